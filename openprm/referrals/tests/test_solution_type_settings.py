"""D2 step 5 and D10 through the API and Program settings: the program admin adds, renames and
deactivates solution types; bad input names the field and writes nothing; each change is in the
audit log."""

import pytest

from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.referrals.models import SolutionType
from openprm.referrals.tests.factories import solution

pytestmark = pytest.mark.django_db

URL = "/api/v1/settings/solution-types"
JSON = "application/json"


def post(client, user, **body):
    return client.post(URL, body, content_type=JSON, **bearer(client, user))


def patch(client, user, solution_type, **body):
    return client.patch(
        f"{URL}/{solution_type.pk}", body, content_type=JSON, **bearer(client, user)
    )


def test_the_program_admin_adds_a_type_and_the_audit_log_records_it(client, victor):
    response = post(client, victor, name="Data Migration Review", registration_eligible=True)

    assert response.status_code == 201
    assert (response.json()["code"], response.json()["is_active"]) == (
        "data-migration-review", True,
    )  # fmt: skip
    event = Event.objects.get(kind="solution_type.created")
    assert (event.actor, event.data["changes"]["name"]) == (
        victor, [None, "Data Migration Review"],
    )  # fmt: skip


def test_the_program_admin_reads_inactive_types_too(client, victor):
    SolutionType.objects.update(is_active=False)

    response = client.get(URL, **bearer(client, victor))

    assert response.status_code == 200
    assert len(response.json()) == SolutionType.objects.count() > 0


def test_the_program_admin_deactivates_a_type_and_the_change_is_recorded(client, victor):
    offered = solution(eligible=True)

    response = patch(client, victor, offered, is_active=False)

    assert response.status_code == 200
    event = Event.objects.get(kind="solution_type.updated")
    assert event.data["changes"] == {"is_active": [True, False]}
    assert not SolutionType.objects.get(pk=offered.pk).is_active


@pytest.mark.parametrize(
    ("body", "field"),
    [({"name": " "}, "name"), ({"name": "New", "code": "Not A Slug"}, "code")],
)
def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(client, victor, body, field):
    before = SolutionType.objects.count()

    response = post(client, victor, **body)

    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert SolutionType.objects.count() == before
    assert not Event.objects.filter(kind__startswith="solution_type.").exists()


def test_a_name_or_code_another_type_has_is_a_422_naming_both(client, victor):
    taken = solution(eligible=True)

    response = post(client, victor, name=taken.name.upper(), code=taken.code)

    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["name", "code"]


def test_types_named_without_latin_letters_get_codes_of_their_own(client, victor):
    first = post(client, victor, name="ソリューション評価")
    second = post(client, victor, name="解決方案評估")

    assert (first.status_code, second.status_code) == (201, 201)
    codes = {first.json()["code"], second.json()["code"]}
    assert len(codes) == 2
    assert all(code.startswith("type-") for code in codes)


def test_anyone_but_the_program_admin_gets_a_403(client, alice, pam):
    for user in (alice, pam):
        assert client.get(URL, **bearer(client, user)).status_code == 403
        assert post(client, user, name="Ours").status_code == 403
    assert not SolutionType.objects.filter(name="Ours").exists()


def test_program_settings_names_the_field_of_a_taken_name(client, victor):
    taken = solution(eligible=True)
    client.force_login(victor)

    response = client.post(
        "/admin/referrals/solutiontype/add/",
        {"name": taken.name.lower(), "code": "another-code", "is_active": "on"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "name": ["A solution type with this name already exists."]
    }


def test_program_settings_saves_through_the_same_service(client, victor):
    taken = solution(eligible=True)
    client.force_login(victor)

    response = client.post(
        f"/admin/referrals/solutiontype/{taken.pk}/change/",
        {"name": "Renamed review", "code": taken.code, "registration_eligible": "on"},
    )

    assert response.status_code == 302
    event = Event.objects.get(kind="solution_type.updated")
    assert (event.actor, sorted(event.data["changes"])) == (victor, ["is_active", "name"])
