"""Points rule versions and tiers through the API, as Program settings' *Rule sets*: the
program admin publishes a new version from a later day (a published one never changes); bad
input names the field and writes nothing; the audit log has what the version changed."""

import datetime

import pytest

from openprm.accounts.tests.test_api import bearer
from openprm.core.dates import program_today
from openprm.core.models import Event
from openprm.points.models import RuleSet

pytestmark = pytest.mark.django_db

RULES = "/api/v1/settings/points-rules"
TIERS = "/api/v1/settings/tiers"
JSON = "application/json"


def day(days: int) -> str:
    return (program_today() + datetime.timedelta(days=days)).isoformat()


def tier(name: str, threshold: str) -> dict:
    return {"name": name, "threshold": threshold, "sold_minimum": "0", "managed_minimum": "0"}


def send(client, user, method, url, **body):
    return getattr(client, method)(url, body, content_type=JSON, **bearer(client, user))


def test_the_program_admin_publishes_a_version_and_the_first_is_kept(client, victor):
    RuleSet.objects.ensure_first_version()
    first = RuleSet.objects.get(version=1)

    response = send(client, victor, "post", RULES, effective_from=day(1), sourced_rate="8",
                    note="Spring promotion")  # fmt: skip

    assert response.status_code == 201
    assert (response.json()["version"], response.json()["sourced_rate"]) == (2, "8.00")
    assert RuleSet.objects.get(version=1).sourced_rate == first.sourced_rate
    event = Event.objects.get(kind="points.rules_published")
    assert event.data["changes"] == {"sourced_rate": [str(first.sourced_rate), "8.00"]}


def test_the_program_admin_reads_every_version_newest_first(client, victor):
    send(client, victor, "post", RULES, effective_from=day(1))

    response = client.get(RULES, **bearer(client, victor))

    assert response.status_code == 200
    assert [version["version"] for version in response.json()] == [2, 1]


def test_new_tiers_are_a_new_version_with_the_change_recorded(client, victor):
    response = send(client, victor, "put", TIERS, effective_from=day(1),
                    tiers=[tier("Silver", "100"), tier("Gold", "500")])  # fmt: skip

    assert response.status_code == 201
    assert [t["name"] for t in response.json()["tiers"]] == ["Silver", "Gold"]
    tiers_in_force = client.get("/api/v1/tiers", **bearer(client, victor)).json()["tiers"]
    assert "Silver" not in [t["name"] for t in tiers_in_force]
    event = Event.objects.get(kind="points.rules_published")
    assert list(event.data["changes"]) == ["tiers"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"effective_from": day(0)}, "effective_from"),
        ({"effective_from": day(1), "sourced_rate": "-1"}, "sourced_rate"),
        ({"effective_from": day(1), "tiers": [tier("A", "50"), tier("B", "50")]}, "tiers"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(client, victor, body, field):
    response = send(client, victor, "post", RULES, **body)

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not RuleSet.objects.filter(version=2).exists()
    assert not Event.objects.filter(kind="points.rules_published").exists()


def test_a_version_on_or_before_a_published_versions_day_is_a_422(client, victor):
    send(client, victor, "post", RULES, effective_from=day(30))

    response = send(client, victor, "post", RULES, effective_from=day(20), sourced_rate="9")

    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("effective_from", "overlap")
    ]
    assert RuleSet.objects.count() == 2


def test_anyone_but_the_program_admin_gets_a_403(client, alice, pam):
    for user in (alice, pam):
        assert client.get(RULES, **bearer(client, user)).status_code == 403
        response = send(client, user, "put", TIERS, effective_from=day(1), tiers=[tier("A", "1")])
        assert response.status_code == 403
    assert not Event.objects.filter(kind="points.rules_published").exists()


def test_program_settings_names_the_day_of_an_overlapping_version(client, victor):
    send(client, victor, "post", RULES, effective_from=day(30))
    client.force_login(victor)

    response = client.get("/admin/points/ruleset/add/")
    form = response.context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(effective_from=day(10), tiers=form["tiers"].value())
    response = client.post("/admin/points/ruleset/add/", data)

    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["effective_from"]
    assert RuleSet.objects.count() == 2
