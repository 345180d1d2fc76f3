"""The Mutual Action Plan pages as the seeds walk them, and who may see them."""

import datetime as dt
import json

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.core.testing import assert_not_found
from openprm.goals.models import GoalPlan, Metric, MonthlyTarget, QuarterlyReview, TargetChange
from openprm.goals.plans import charts, progress
from openprm.goals.tests.conftest import YEAR
from openprm.goals.tests.factories import GoalPlanFactory, won_on

SAVED = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)


def grid(**overrides):
    """A full step-2 form: every cell 0 unless told otherwise."""
    data = {f"{metric}_{month}": "0" for metric in Metric.values for month in range(1, 13)}
    data.update(overrides)
    return data


def test_navigation_shows_mutual_action_plan_to_partners(client, alice):
    client.force_login(alice)
    response = client.get(reverse("goals:plan"))
    assert response.status_code == 200
    assert b"Mutual Action Plan" in response.content
    assert b"Set goals for this year" in response.content


def test_the_wizard_sets_goals_then_targets_then_saves_and_exits(client, alice, northwind):
    won_on(dt.date(2025, 1, 10), organization=northwind, mrr_minor=10_001)
    won_on(dt.date(2025, 1, 11), organization=northwind, mrr_minor=10_001)
    client.force_login(alice)
    step1 = client.get(reverse("goals:setup", args=[northwind.pk, YEAR]))
    assert b"Next" in step1.content
    response = client.post(
        reverse("goals:setup", args=[northwind.pk, YEAR]),
        {
            "organizational_goal": "Sell the business",
            "revenue_goal": "Grow 20 %",
            "people_goal": "",
            "market_goal": "",
            "partnership_goal": "",
            "currency": "USD",
        },
    )
    plan = GoalPlan.objects.get(organization=northwind, year=YEAR)
    assert response.url == reverse("goals:targets", args=[plan.pk])
    step2 = client.get(response.url)
    assert b"Apply growth percentage" in step2.content
    assert b"Save and exit" in step2.content
    assert b'data-previous="2"' in step2.content  # last January's two won deals
    grown = client.post(response.url, {**grid(), "growth": "25", "apply_growth": "1"})
    assert grown.status_code == 200
    assert b'value="3"' in grown.content  # 2 x 1.25 = 2.5 -> 3, computed without JavaScript
    assert b'value="250.03"' in grown.content  # 200.02 x 1.25 = 250.025 -> 250.03
    assert not MonthlyTarget.objects.filter(plan=plan).exclude(value=0).exists()
    saved = client.post(response.url, grid(sourced_won_1="3", sourced_mrr_1="250.03", save="1"))
    assert saved.url == reverse("goals:detail", args=[plan.pk])
    assert MonthlyTarget.objects.get(plan=plan, metric="sourced_mrr", month=1).value == 25_003
    assert client.get(reverse("goals:plan")).url == saved.url


def test_growth_of_7_percent_is_a_field_error(client, alice, northwind):
    plan = GoalPlanFactory.create(organization=northwind, year=YEAR)
    client.force_login(alice)
    response = client.post(
        reverse("goals:targets", args=[plan.pk]), {**grid(), "growth": "7", "apply_growth": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["growth"]


@pytest.mark.parametrize("bad", ["-1", "ten", "1.5"])
def test_bad_targets_are_field_errors_and_nothing_saved(client, alice, northwind, bad):
    plan = GoalPlanFactory.create(organization=northwind, year=YEAR)
    client.force_login(alice)
    response = client.post(
        reverse("goals:targets", args=[plan.pk]),
        grid(sourced_won_2=bad, sourced_won_3="4", save="1"),
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["sourced_won_2"]
    assert not MonthlyTarget.objects.filter(plan=plan).exclude(value=0).exists()
    plan.refresh_from_db()
    assert plan.targets_set_at is None


def test_progress_shows_percent_of_target_and_a_quarterly_switch(
    client, alice, northwind, django_assert_max_num_queries
):
    plan = GoalPlanFactory.create(
        organization=northwind,
        year=YEAR,
        targets_set_at=SAVED,
        targets={("sourced_won", 1): 6, ("sourced_won", 2): 0},
    )
    for day in range(1, 6):
        won_on(dt.date(2026, 1, day), organization=northwind)
    client.force_login(alice)
    with django_assert_max_num_queries(25):
        monthly = client.get(reverse("goals:detail", args=[plan.pk]))
    body = monthly.content.decode()
    assert "83%" in body
    assert "Quarterly" in body
    assert "Data highlights" in body
    assert "vendor/plotly/plotly.min.js" in body
    quarterly = client.get(reverse("goals:detail", args=[plan.pk]) + "?period=quarter")
    won = quarterly.context["progress"].metrics[1]
    assert [c.actual for c in won.periods] == [5, 0, 0, 0]
    assert "Q1" in quarterly.content.decode()


def test_behind_pace_is_shown_to_the_partner(client, alice, northwind):
    plan = GoalPlanFactory.create(
        organization=northwind, year=YEAR, targets_set_at=SAVED, targets={("sourced_won", 3): 50}
    )
    client.force_login(alice)
    assert b"Behind pace" in client.get(reverse("goals:detail", args=[plan.pk])).content


def test_pdm_portfolio_lists_assigned_partners_with_attainment(client, pam, northwind, tailspin):
    GoalPlanFactory.create(
        organization=northwind, year=YEAR, targets_set_at=SAVED, targets={("sourced_won", 3): 50}
    )
    client.force_login(pam)
    response = client.get(reverse("goals:portfolio"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Northwind Traders" in body
    assert "Tailspin Toys" not in body
    assert "Behind pace" in body


def test_an_ended_year_is_never_behind_pace(client, alice, pam, northwind):
    plan = GoalPlanFactory.create(
        organization=northwind,
        year=YEAR - 1,
        targets_set_at=SAVED,
        targets={("sourced_won", 3): 50},
    )
    client.force_login(alice)
    body = client.get(reverse("goals:detail", args=[plan.pk])).content.decode()
    assert "Behind pace" not in body
    assert "Projected year end" not in body
    client.force_login(pam)
    row = client.get(reverse("goals:portfolio") + f"?year={YEAR - 1}").context["rows"][0]
    assert row.progress.metrics[1].year.percent == 0
    assert (row.progress.behind_pace, row.progress.has_pace) == (False, False)


@pytest.mark.parametrize("partners", [1, 6])
def test_the_portfolio_reads_every_partners_progress_in_a_fixed_number_of_queries(
    client, pam, partners, django_assert_max_num_queries
):
    for _ in range(partners):
        plan = GoalPlanFactory.create(organization__pdm=pam, year=YEAR, targets_set_at=SAVED)
        won_on(dt.date(YEAR, 2, 3), organization=plan.organization, currency_id="EUR")
    client.force_login(pam)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("goals:portfolio"))
    assert len(response.context["rows"]) == partners


def test_partners_cannot_open_the_portfolio(client, alice):
    client.force_login(alice)
    assert_not_found(client.get(reverse("goals:portfolio")))


@pytest.mark.parametrize("who", ["charlie", "paula"])
def test_other_partners_and_other_pdms_get_404_on_every_page(client, request, northwind, who):
    plan = GoalPlanFactory.create(
        organization=northwind, year=YEAR, targets_set_at=SAVED, market_goal="Retail in Osaka"
    )
    review = QuarterlyReview.objects.create(plan=plan, quarter=1)
    client.force_login(request.getfixturevalue(who))
    for name, args in [
        ("goals:review", [review.pk]),
        ("goals:detail", [plan.pk]),
        ("goals:targets", [plan.pk]),
        ("goals:review-new", [plan.pk]),
        ("goals:setup", [northwind.pk, YEAR]),
    ]:
        assert_not_found(client.get(reverse(name, args=args)), plan.market_goal)


def test_pdm_runs_a_quarterly_review_and_changes_a_future_month(client, pam, northwind):
    plan = GoalPlanFactory.create(organization=northwind, year=YEAR, targets_set_at=SAVED)
    client.force_login(pam)
    created = client.post(
        reverse("goals:review-new", args=[plan.pk]),
        {"quarter": "2", "strategy_notes": "Retail first", "focus_notes": ""},
    )
    review = plan.reviews.get()
    assert created.url == reverse("goals:review", args=[review.pk])
    page = client.get(created.url)
    assert b"Performance at review time" in page.content
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields if name.startswith(tuple(Metric))}
    data.update({"sourced_won_9": "4", "strategy_notes": "Retail first", "focus_notes": "Hire"})
    saved = client.post(created.url, {**{k: str(v) for k, v in data.items()}, "save": "1"})
    assert saved.status_code == 302
    change = TargetChange.objects.get(plan=plan)
    assert (change.month, change.new_value, change.review, change.changed_by) == (
        9,
        4,
        review,
        pam,
    )
    review.refresh_from_db()
    assert review.focus_notes == "Hire"
    assert b"Quarterly reviews" in client.get(reverse("goals:detail", args=[plan.pk])).content


def test_an_ended_month_cannot_be_changed_in_a_review(client, alice, northwind):
    plan = GoalPlanFactory.create(organization=northwind, year=YEAR, targets_set_at=SAVED)
    client.force_login(alice)
    client.post(reverse("goals:review-new", args=[plan.pk]), {"quarter": "2"})
    review = plan.reviews.get()
    page = client.get(reverse("goals:review", args=[review.pk]))
    assert page.context["form"].fields["sourced_won_4"].disabled
    client.post(
        reverse("goals:review", args=[review.pk]),
        {**grid(sourced_won_4="9"), "strategy_notes": "", "focus_notes": "", "save": "1"},
    )
    assert MonthlyTarget.objects.get(plan=plan, metric="sourced_won", month=4).value == 0


def test_partner_user_sees_the_plan_but_cannot_edit(client, bob, northwind):
    plan = GoalPlanFactory.create(organization=northwind, year=YEAR, targets_set_at=SAVED)
    client.force_login(bob)
    page = client.get(reverse("goals:detail", args=[plan.pk]))
    assert page.status_code == 200
    assert b"Start quarterly review" not in page.content
    assert client.get(reverse("goals:review-new", args=[plan.pk])).status_code == 403


def test_plotly_is_found_as_a_static_file_of_the_installed_package():
    found = finders.find("vendor/plotly/plotly.min.js")
    assert str(found).endswith("package_data/plotly.min.js")
    assert finders.find("vendor/plotly/widgetbundle.js") is None


def test_program_admin_portfolio_lists_every_partner(client, victor, northwind, tailspin):
    client.force_login(victor)
    body = client.get(reverse("goals:portfolio")).content.decode()
    assert "Northwind Traders" in body
    assert "Tailspin Toys" in body


def test_sales_reps_have_no_portfolio(client, vendor):
    rep = MembershipFactory.create(organization=vendor, role=Role.SALES_REP).user
    client.force_login(rep)
    assert_not_found(client.get(reverse("goals:portfolio")))


def test_this_years_plan_offers_next_years_goals_and_links_other_years(client, alice, northwind):
    plan = GoalPlanFactory.create(organization=northwind, year=YEAR, targets_set_at=SAVED)
    last_year = GoalPlanFactory.create(organization=northwind, year=YEAR - 1)
    client.force_login(alice)
    body = client.get(reverse("goals:detail", args=[plan.pk])).content.decode()
    assert reverse("goals:detail", args=[last_year.pk]) in body
    assert reverse("goals:setup", args=[northwind.pk, YEAR + 1]) in body
    assert "Set goals for 2027" in body


def test_the_chart_names_the_months_in_the_users_language(northwind):
    plan = GoalPlanFactory.create(organization=northwind, year=YEAR)
    with translation.override("ja"):
        figure = json.loads(charts.actual_vs_target(progress.plan_progress(plan=plan)))
    assert figure["data"][0]["x"][:2] == ["1月", "2月"]
