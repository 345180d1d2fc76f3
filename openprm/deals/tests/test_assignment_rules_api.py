"""C2 through the API and Program settings: the program admin adds, changes and removes the
assignment rules; bad input names the field and writes nothing; each change is in the audit log."""

import pytest

from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.core.testing import assert_not_found
from openprm.deals.models import AssignmentRule

pytestmark = pytest.mark.django_db

URL = "/api/v1/settings/assignment-rules"
JSON = "application/json"


def post(client, user, **body):
    return client.post(URL, body, content_type=JSON, **bearer(client, user))


def patch(client, user, rule, **body):
    return client.patch(f"{URL}/{rule.pk}", body, content_type=JSON, **bearer(client, user))


def test_the_program_admin_adds_a_rule_and_the_audit_log_records_it(client, victor, sam, product):
    response = post(
        client, victor, name="Japan", position=5, country="jp", product_id=product.pk,
        rep_ids=[sam.pk],
    )  # fmt: skip

    assert response.status_code == 201
    created = response.json()
    assert (created["country"], created["product_id"], created["rep_ids"]) == (
        "JP", product.pk, [sam.pk],
    )  # fmt: skip
    event = Event.objects.get(kind="assignment_rule.created")
    assert (event.actor, event.object_id) == (victor, str(created["id"]))
    assert event.data["changes"]["rep_ids"] == [None, [sam.pk]]


def test_the_program_admin_reads_the_rules_in_their_order(client, victor, sam_rule):
    AssignmentRule.objects.create(name="First", position=1)

    response = client.get(URL, **bearer(client, victor))

    assert response.status_code == 200
    assert [(r["name"], r["rep_ids"]) for r in response.json()] == [
        ("First", []), ("Everything", [sam_rule.reps.get().pk]),
    ]  # fmt: skip


def test_a_change_records_the_values_before_and_after(client, victor, sam_rule, product):
    response = patch(client, victor, sam_rule, country="US", product_id=product.pk)

    assert response.status_code == 200
    event = Event.objects.get(kind="assignment_rule.updated")
    assert event.data["changes"] == {"country": ["", "US"], "product_id": [None, product.pk]}


def test_the_program_admin_removes_a_rule_and_the_audit_log_records_it(client, victor, sam_rule):
    response = client.delete(f"{URL}/{sam_rule.pk}", **bearer(client, victor))

    assert response.status_code == 204
    assert not AssignmentRule.objects.exists()
    event = Event.objects.get(kind="assignment_rule.deleted")
    assert event.data["changes"]["name"] == ["Everything", None]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "EVERYTHING"}, "name"),
        ({"name": "Next", "country": "XX"}, "country"),
        ({"name": "Next", "product_id": 999999}, "product_id"),
        ({"name": "Next", "position": -1}, "position"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(
    client, victor, sam_rule, body, field
):
    response = post(client, victor, **body)

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert AssignmentRule.objects.count() == 1
    assert not Event.objects.filter(kind__startswith="assignment_rule.").exists()


def test_a_partner_user_as_rep_is_a_422_naming_rep_ids(client, victor, sam_rule, bob):
    response = patch(client, victor, sam_rule, rep_ids=[bob.pk])

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["rep_ids"]
    assert list(sam_rule.reps.all()) != [bob]


@pytest.mark.parametrize("method", ["get", "post"])
def test_anyone_but_the_program_admin_gets_a_403(client, alice, pam, method):
    for user in (alice, pam):
        response = getattr(client, method)(URL, {"name": "Ours"} if method == "post" else None,
                                           content_type=JSON, **bearer(client, user))  # fmt: skip
        assert response.status_code == 403
    assert not AssignmentRule.objects.exists()


def test_an_unknown_rule_is_a_404(client, victor):
    assert_not_found(patch(client, victor, AssignmentRule(pk=999999), name="X"))


def test_program_settings_saves_through_the_same_service(client, victor, sam_rule, sam):
    client.force_login(victor)

    response = client.post(
        f"/admin/deals/assignmentrule/{sam_rule.pk}/change/",
        {"name": "Everyone", "position": 100, "country": "", "product": "", "reps": [sam.pk]},
    )

    assert response.status_code == 302
    event = Event.objects.get(kind="assignment_rule.updated")
    assert (event.actor, event.data["changes"]) == (victor, {"name": ["Everything", "Everyone"]})


def test_program_settings_names_the_field_of_a_partner_rep(client, victor, sam_rule, bob):
    client.force_login(victor)

    response = client.post(
        "/admin/deals/assignmentrule/add/",
        {"name": "Partners", "position": 1, "country": "", "product": "", "reps": [bob.pk]},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "reps": ["Choose active users of the vendor."]
    }
    assert AssignmentRule.objects.count() == 1
