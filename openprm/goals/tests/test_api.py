"""/api/v1/goal-plans: scoped like the pages, strict bodies, declared errors, ETag/If-Match."""

import datetime as dt

import pytest

from openprm.accounts.tests.factories import PASSWORD
from openprm.api import api
from openprm.core.testing import assert_api_error, assert_not_found
from openprm.goals.models import GoalPlan, Metric, MonthlyTarget, QuarterlyReview
from openprm.goals.tests.conftest import YEAR
from openprm.goals.tests.factories import GoalPlanFactory, won_on

JSON = "application/json"


def bearer(client, user):
    response = client.post(
        "/api/v1/auth/tokens", {"email": user.email, "password": PASSWORD}, content_type=JSON
    )
    assert response.status_code == 201, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}


@pytest.fixture
def plan(northwind):
    return GoalPlanFactory.create(organization=northwind, year=YEAR, targets_set_at=None)


@pytest.fixture
def saved_plan(northwind):
    return GoalPlanFactory.create(
        organization=northwind, year=YEAR, targets_set_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    )


def url(plan, tail=""):
    return f"/api/v1/goal-plans/{plan.pk}{tail}"


def test_partner_admin_creates_this_years_plan(client, alice, northwind):
    response = client.post(
        "/api/v1/goal-plans",
        {"year": YEAR, "revenue_goal": "Grow revenue by 20 %"},
        content_type=JSON,
        **bearer(client, alice),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["partner_id"], body["year"], body["currency"]) == (northwind.pk, YEAR, "USD")
    assert body["partner_name"] == "Northwind Traders"
    assert response["ETag"] == f'"{body["id"]}.1"'


def test_a_second_plan_for_the_year_is_a_field_error(client, alice, plan):
    response = client.post(
        "/api/v1/goal-plans", {"year": YEAR}, content_type=JSON, **bearer(client, alice)
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "year"


def test_unknown_fields_are_refused(client, alice):
    response = client.post(
        "/api/v1/goal-plans",
        {"year": YEAR, "color": "red"},
        content_type=JSON,
        **bearer(client, alice),
    )
    assert_api_error(response, 422, "validation_error", field="color")
    assert not GoalPlan.objects.exists()


def test_pdm_creates_a_plan_for_an_assigned_partner_only(client, pam, northwind, tailspin):
    headers = bearer(client, pam)
    ok = client.post(
        "/api/v1/goal-plans",
        {"year": YEAR, "partner_id": northwind.pk},
        content_type=JSON,
        **headers,
    )
    other = client.post(
        "/api/v1/goal-plans",
        {"year": YEAR, "partner_id": tailspin.pk},
        content_type=JSON,
        **headers,
    )
    assert ok.status_code == 201
    assert other.status_code == 404
    assert not GoalPlan.objects.filter(organization=tailspin).exists()


def test_partner_user_reads_but_cannot_change_the_plan(client, bob, plan):
    headers = bearer(client, bob)
    read = client.get(url(plan), **headers)
    assert (read.status_code, read.json()["id"]) == (200, plan.pk)
    response = client.patch(url(plan), {"market_goal": "x"}, content_type=JSON, **headers)
    assert_api_error(response, 403, "forbidden")
    assert GoalPlan.objects.get(pk=plan.pk).market_goal == plan.market_goal


@pytest.mark.parametrize("who", ["charlie", "paula"])
def test_other_partners_and_other_pdms_get_404(client, request, plan, who):
    headers = bearer(client, request.getfixturevalue(who))
    for tail in ("", "/targets", "/progress", "/reviews"):
        assert_not_found(client.get(url(plan, tail), **headers))
    targets = {"targets": [{"metric": "assisted_mrr", "month": 9, "value": 150000}]}
    response = client.put(url(plan, "/targets"), targets, content_type=JSON, **headers)
    assert_not_found(response)
    assert not MonthlyTarget.objects.filter(plan=plan, month=9, value=150000).exists()


def test_plans_list_shows_only_the_partners_own(client, charlie, plan, tailspin):
    theirs = GoalPlanFactory.create(organization=tailspin, year=YEAR)
    body = client.get("/api/v1/goal-plans", **bearer(client, charlie)).json()
    assert [item["id"] for item in body["items"]] == [theirs.pk]


def test_pdm_lists_the_plans_of_assigned_partners(
    client, pam, plan, northwind, tailspin, django_assert_max_num_queries
):
    GoalPlanFactory.create(organization=tailspin, year=YEAR)
    headers = bearer(client, pam)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/goal-plans", **headers).json()
    assert [item["id"] for item in body["items"]] == [plan.pk]


def test_update_goals_honours_if_match(client, alice, plan):
    headers = bearer(client, alice)
    etag = client.get(url(plan), **headers)["ETag"]
    ok = client.patch(
        url(plan), {"people_goal": "Hire a rep"}, content_type=JSON, HTTP_IF_MATCH=etag, **headers
    )
    assert ok.status_code == 200
    assert ok.json()["people_goal"] == "Hire a rep"
    stale = client.patch(
        url(plan), {"people_goal": "Two reps"}, content_type=JSON, HTTP_IF_MATCH=etag, **headers
    )
    assert stale.status_code == 412


def test_targets_show_last_years_actual_beside_each_cell(client, alice, plan, northwind):
    won_on(dt.date(2025, 3, 3), organization=northwind, mrr_minor=4_200)
    body = client.get(url(plan, "/targets"), **bearer(client, alice)).json()
    cell = next(t for t in body["targets"] if t["metric"] == Metric.SOURCED_MRR and t["month"] == 3)
    assert (cell["previous_actual"], cell["value"], cell["locked"]) == (4_200, 0, False)
    assert len(body["targets"]) == 48


def test_put_targets_during_set_up(client, alice, plan):
    response = client.put(
        url(plan, "/targets"),
        {"targets": [{"metric": "sourced_won", "month": 1, "value": 6}]},
        content_type=JSON,
        **bearer(client, alice),
    )
    assert response.status_code == 200, response.content
    assert response.json()["in_setup"] is False
    assert MonthlyTarget.objects.get(plan=plan, metric="sourced_won", month=1).value == 6


@pytest.mark.parametrize("value", [-1, "six", 1.5, None, 10**16])
def test_negative_or_non_numeric_target_is_422_and_nothing_saved(client, alice, plan, value):
    response = client.put(
        url(plan, "/targets"),
        {
            "targets": [
                {"metric": "sourced_won", "month": 2, "value": 3},
                {"metric": "sourced_won", "month": 1, "value": value},
            ]
        },
        content_type=JSON,
        **bearer(client, alice),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("targets.1.value")
    assert not MonthlyTarget.objects.filter(plan=plan).exclude(value=0).exists()


def test_change_to_an_ended_month_is_a_field_error(client, alice, saved_plan):
    headers = bearer(client, alice)
    review = client.post(
        url(saved_plan, "/reviews"), {"quarter": 2}, content_type=JSON, **headers
    ).json()
    response = client.put(
        url(saved_plan, "/targets"),
        {"targets": [{"metric": "sourced_won", "month": 4, "value": 3}], "review_id": review["id"]},
        content_type=JSON,
        **headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "targets.0.value",
            "message": "This month has ended; its target is fixed.",
            "code": "locked",
        }
    ]


def test_future_month_changes_in_a_review_with_if_match(client, pam, saved_plan):
    headers = bearer(client, pam)
    review = client.post(
        url(saved_plan, "/reviews"),
        {"quarter": 2, "focus_notes": "Retail"},
        content_type=JSON,
        **headers,
    )
    assert review.status_code == 201
    etag = client.get(url(saved_plan, "/targets"), **headers)["ETag"]
    body = {
        "targets": [{"metric": "assisted_mrr", "month": 9, "value": 150000}],
        "review_id": review.json()["id"],
    }
    ok = client.put(
        url(saved_plan, "/targets"), body, content_type=JSON, HTTP_IF_MATCH=etag, **headers
    )
    assert ok.status_code == 200, ok.content
    target = MonthlyTarget.objects.get(plan=saved_plan, metric="assisted_mrr", month=9)
    assert target.value == 150000
    stale = client.put(
        url(saved_plan, "/targets"), body, content_type=JSON, HTTP_IF_MATCH=etag, **headers
    )
    assert_api_error(stale, 412, "stale_version")


def test_without_a_review_a_saved_plans_targets_do_not_change(client, alice, saved_plan):
    response = client.put(
        url(saved_plan, "/targets"),
        {"targets": [{"metric": "sourced_won", "month": 9, "value": 3}]},
        content_type=JSON,
        **bearer(client, alice),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "review_id"


def test_apply_growth(client, alice, plan, northwind):
    won_on(dt.date(2025, 1, 10), organization=northwind)
    won_on(dt.date(2025, 1, 11), organization=northwind)
    response = client.post(
        url(plan, "/apply-growth"), {"percent": 25}, content_type=JSON, **bearer(client, alice)
    )
    assert response.status_code == 200
    cell = next(
        t for t in response.json()["targets"] if t["metric"] == "sourced_won" and t["month"] == 1
    )
    assert (cell["previous_actual"], cell["value"]) == (2, 3)


@pytest.mark.parametrize("percent", [7, 0, 35, "10"])
def test_apply_growth_outside_the_steps_is_422(client, alice, plan, northwind, percent):
    won_on(dt.date(2025, 1, 10), organization=northwind)
    response = client.post(
        url(plan, "/apply-growth"),
        {"percent": percent},
        content_type=JSON,
        **bearer(client, alice),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "percent"
    assert not MonthlyTarget.objects.filter(plan=plan).exclude(value=0).exists()


def test_progress_monthly_and_quarterly(client, alice, northwind, django_assert_max_num_queries):
    plan = GoalPlanFactory.create(
        organization=northwind,
        year=YEAR,
        targets={("sourced_won", 1): 6, ("sourced_won", 2): 0, ("sourced_won", 3): 4},
    )
    for day in range(1, 6):
        won_on(dt.date(2026, 1, day), organization=northwind)
    won_on(dt.date(2026, 2, 1), organization=northwind)
    headers = bearer(client, alice)
    with django_assert_max_num_queries(12):
        monthly = client.get(url(plan, "/progress"), **headers).json()
    won = next(m for m in monthly["metrics"] if m["metric"] == "sourced_won")
    assert won["periods"][0] == {"period": 1, "actual": 5, "target": 6, "percent": 83}
    assert won["periods"][1] == {"period": 2, "actual": 1, "target": 0, "percent": None}
    quarterly = client.get(url(plan, "/progress?period=quarter"), **headers).json()
    won = next(m for m in quarterly["metrics"] if m["metric"] == "sourced_won")
    assert won["periods"][0] == {"period": 1, "actual": 6, "target": 10, "percent": 60}
    assert len(won["periods"]) == 4
    assert won["year"]["actual"] == 6


def test_progress_period_must_be_month_or_quarter(client, alice, plan):
    response = client.get(url(plan, "/progress?period=week"), **bearer(client, alice))
    assert_api_error(response, 422, "validation_error", field="period")


def test_behind_pace_in_progress(client, alice, northwind):
    plan = GoalPlanFactory.create(
        organization=northwind, year=YEAR, targets={("sourced_won", 12): 100}
    )
    body = client.get(url(plan, "/progress"), **bearer(client, alice)).json()
    assert body["behind_pace"] is True


def test_reviews_list_and_update(client, alice, pam, saved_plan):
    created = client.post(
        url(saved_plan, "/reviews"),
        {"quarter": 1, "strategy_notes": "Focus on retail"},
        content_type=JSON,
        **bearer(client, alice),
    )
    assert created.status_code == 201
    assert "metrics" in created.json()["snapshot"]
    headers = bearer(client, pam)
    listed = client.get(url(saved_plan, "/reviews"), **headers).json()
    assert [r["quarter"] for r in listed["items"]] == [1]
    review_url = url(saved_plan, f"/reviews/{created.json()['id']}")
    updated = client.patch(
        review_url,
        {"focus_notes": "Two new reps"},
        content_type=JSON,
        HTTP_IF_MATCH=created["ETag"],
        **headers,
    )
    assert updated.status_code == 200
    assert updated.json()["focus_notes"] == "Two new reps"


def test_review_quarter_outside_1_to_4_is_422(client, alice, saved_plan):
    response = client.post(
        url(saved_plan, "/reviews"), {"quarter": 5}, content_type=JSON, **bearer(client, alice)
    )
    assert_api_error(response, 422, "validation_error", field="quarter")
    assert not QuarterlyReview.objects.exists()


def test_every_goal_plan_route_declares_its_errors():
    paths = api.get_openapi_schema()["paths"]
    goal_paths = {path: ops for path, ops in paths.items() if "goal-plans" in path}
    assert len(goal_paths) == 8
    for operations in goal_paths.values():
        for operation in operations.values():
            assert {401, 404, 422} <= set(operation["responses"])


@pytest.mark.parametrize("partners", [1, 4])
def test_plans_and_reviews_list_in_a_fixed_number_of_queries(
    client, pam, partners, django_assert_max_num_queries
):
    plans = [GoalPlanFactory.create(organization__pdm=pam, year=YEAR) for _ in range(partners)]
    for quarter in range(1, partners + 1):
        QuarterlyReview.objects.create(plan=plans[0], quarter=quarter)
    client.force_login(pam)
    with django_assert_max_num_queries(16):
        listed = client.get("/api/v1/goal-plans")
        reviews = client.get(url(plans[0], "/reviews"))
        single = client.get(url(plans[0]))
    assert (listed.json()["count"], reviews.json()["count"]) == (partners, partners)
    assert single.json()["partner_name"] == plans[0].organization.name
