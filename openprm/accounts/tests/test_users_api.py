"""/api/v1/users and PATCH /api/v1/me."""

import pytest

from openprm.accounts.models import ApiToken, Invitation, User
from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.accounts.tests.test_api import bearer
from openprm.core.models import Event
from openprm.core.testing import assert_not_found

pytestmark = pytest.mark.django_db


def patch(client, path, data, **headers):
    return client.patch(path, data, content_type="application/json", **headers)


def post(client, path, data=None, **headers):
    return client.post(path, data or {}, content_type="application/json", **headers)


def field_errors(response) -> dict[str, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def test_admin_lists_only_their_organizations_users(client, alice, bob, charlie):
    response = client.get("/api/v1/users", **bearer(client, alice))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_email = {item["email"]: item for item in body["items"]}
    assert set(by_email) == {"alice@northwind.example", "bob@northwind.example"}
    assert by_email["bob@northwind.example"]["global_scope"] is False
    assert by_email["bob@northwind.example"]["location_countries"] == ["US"]
    assert by_email["bob@northwind.example"]["id"] == bob.pk


def test_users_list_queries_do_not_grow_with_members(
    client, alice, northwind, django_assert_max_num_queries
):
    MembershipFactory.create_batch(15, organization=northwind, role=Role.PARTNER_USER)
    headers = bearer(client, alice)
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/users?limit=100", **headers)
    assert response.json()["count"] == 16


def test_partner_user_gets_404_on_users(client, alice, bob):
    headers = bearer(client, bob)
    assert_not_found(client.get("/api/v1/users", **headers), alice.email)
    assert_not_found(post(client, f"/api/v1/users/{alice.pk}/deactivate", **headers))
    assert User.objects.get(pk=alice.pk).is_active


def test_other_organizations_user_is_404(client, alice, charlie):
    headers = bearer(client, alice)
    assert_not_found(client.get(f"/api/v1/users/{charlie.pk}", **headers), charlie.email)
    response = patch(client, f"/api/v1/users/{charlie.pk}", {"role": "partner_user"}, **headers)
    assert_not_found(response, charlie.email)
    assert_not_found(post(client, f"/api/v1/users/{charlie.pk}/deactivate", **headers))
    unchanged = User.objects.get(pk=charlie.pk)
    assert (unchanged.role, unchanged.is_active) == (Role.PARTNER_ADMIN, True)


def test_invitation_by_api_sends_the_email(
    client, alice, mailoutbox, django_capture_on_commit_callbacks
):
    headers = bearer(client, alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            "/api/v1/users/invitations",
            {
                "email": "dora@northwind.example",
                "full_name": "Dora Jones",
                "role": "partner_user",
                "global_scope": False,
                "location_countries": ["jp"],
            },
            **headers,
        )
    assert response.status_code == 201, response.content
    assert response.json()["location_countries"] == ["JP"]
    assert mailoutbox[0].to == ["dora@northwind.example"]
    assert Event.objects.filter(kind="invitation.created").count() == 1


def test_country_outside_the_organizations_locations_is_a_field_error(client, alice):
    response = post(
        client,
        "/api/v1/users/invitations",
        {
            "email": "dora@northwind.example",
            "full_name": "Dora",
            "role": "partner_user",
            "global_scope": False,
            "location_countries": ["TH"],
        },
        **bearer(client, alice),
    )
    assert response.status_code == 422
    assert "TH" in field_errors(response)["location_countries"]
    assert not Invitation.objects.exists()


def test_invalid_invitation_email_is_a_field_error(client, alice):
    response = post(
        client,
        "/api/v1/users/invitations",
        {"email": "not an email", "full_name": "X", "role": "partner_admin"},
        **bearer(client, alice),
    )
    assert response.status_code == 422
    assert "email" in field_errors(response)


def test_partner_roles_are_only_for_partner_organizations(client, victor):
    response = post(
        client,
        "/api/v1/users/invitations",
        {"email": "x@contoso.example", "full_name": "X", "role": "partner_admin"},
        **bearer(client, victor),
    )
    assert response.status_code == 422
    assert "role" in field_errors(response)


def test_vendor_roles_are_not_for_partners(client, alice):
    response = post(
        client,
        "/api/v1/users/invitations",
        {"email": "x@northwind.example", "full_name": "X", "role": "program_admin"},
        **bearer(client, alice),
    )
    assert response.status_code == 422
    assert "role" in field_errors(response)


def test_unknown_role_and_unknown_keys_are_422(client, alice):
    headers = bearer(client, alice)
    unknown_role = post(
        client,
        "/api/v1/users/invitations",
        {"email": "x@northwind.example", "full_name": "X", "role": "superuser"},
        **headers,
    )
    assert unknown_role.status_code == 422
    assert "role" in field_errors(unknown_role)
    unknown_key = patch(client, "/api/v1/me", {"is_staff": True}, **headers)
    assert unknown_key.status_code == 422
    assert "is_staff" in field_errors(unknown_key)


def test_patch_user_changes_scope_and_honours_if_match(client, alice, bob):
    headers = bearer(client, alice)
    read = client.get(f"/api/v1/users/{bob.pk}", **headers)
    etag = read["ETag"]
    changed = patch(
        client,
        f"/api/v1/users/{bob.pk}",
        {"location_countries": ["US", "JP"]},
        HTTP_IF_MATCH=etag,
        **headers,
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["location_countries"] == ["JP", "US"]
    assert changed["ETag"] != etag
    stale = patch(
        client, f"/api/v1/users/{bob.pk}", {"global_scope": True}, HTTP_IF_MATCH=etag, **headers
    )
    assert stale.status_code == 412
    assert User.objects.get(pk=bob.pk).scope_countries == ["JP", "US"]


def test_patch_user_rejects_null(client, alice, bob):
    response = patch(client, f"/api/v1/users/{bob.pk}", {"role": None}, **bearer(client, alice))
    assert response.status_code == 422
    assert "role" in field_errors(response)


def test_last_partner_admin_cannot_be_demoted(client, alice):
    response = patch(
        client, f"/api/v1/users/{alice.pk}", {"role": "partner_user"}, **bearer(client, alice)
    )
    assert response.status_code == 409
    assert response.json()["code"] == "last_admin"


def test_admin_cannot_deactivate_themselves(client, alice):
    response = post(client, f"/api/v1/users/{alice.pk}/deactivate", **bearer(client, alice))
    assert response.status_code == 409
    assert response.json()["code"] == "cannot_deactivate_self"


def test_deactivated_users_token_stops_working_and_reactivation_restores_it(client, alice, bob):
    admin = bearer(client, alice)
    bobs = bearer(client, bob)
    deactivated = post(client, f"/api/v1/users/{bob.pk}/deactivate", **admin)
    assert deactivated.status_code == 200
    assert deactivated.json()["is_active"] is False
    assert client.get("/api/v1/me", **bobs).status_code == 401
    assert ApiToken.objects.filter(user=bob, revoked_at__isnull=True).exists()
    reactivated = post(client, f"/api/v1/users/{bob.pk}/reactivate", **admin)
    assert reactivated.json()["is_active"] is True
    assert client.get("/api/v1/me", **bobs).status_code == 200


def test_patch_me_saves_preferences(client, bob):
    response = patch(
        client,
        "/api/v1/me",
        {"full_name": "Bob Builder", "language": "th", "timezone": "Asia/Bangkok"},
        **bearer(client, bob),
    )
    assert response.status_code == 200, response.content
    assert response.json()["timezone"] == "Asia/Bangkok"
    bob = User.objects.get(pk=bob.pk)
    assert (bob.full_name, bob.language, bob.timezone) == ("Bob Builder", "th", "Asia/Bangkok")
    assert Event.objects.filter(kind="user.preferences_updated", object_id=str(bob.pk)).exists()


def test_unknown_timezone_is_a_field_error(client, bob):
    response = patch(client, "/api/v1/me", {"timezone": "Mars/Olympus"}, **bearer(client, bob))
    assert response.status_code == 422
    assert "timezone" in field_errors(response)
    assert User.objects.get(pk=bob.pk).timezone == "UTC"


def test_unknown_language_is_a_field_error(client, bob):
    response = patch(client, "/api/v1/me", {"language": "klingon"}, **bearer(client, bob))
    assert response.status_code == 422
    assert "language" in field_errors(response)


def test_a_user_id_that_is_not_a_number_is_a_json_422(client, alice):
    response = client.get("/api/v1/users/abc", **bearer(client, alice))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "user_id"


def test_a_boolean_sent_as_a_string_is_a_422_and_invites_nobody(client, alice):
    body = {"email": "new@northwind.example", "full_name": "New Person", "role": "partner_user",
            "global_scope": "yes"}  # fmt: skip
    response = post(client, "/api/v1/users/invitations", body, **bearer(client, alice))
    assert response.status_code == 422
    assert list(field_errors(response)) == ["global_scope"]
    assert not Invitation.objects.filter(email="new@northwind.example").exists()


def test_a_number_for_a_name_is_one_error_naming_the_field(client, bob):
    response = patch(client, "/api/v1/me", {"full_name": 5}, **bearer(client, bob))
    assert response.status_code == 422
    assert list(field_errors(response)) == ["full_name"]


def test_an_over_long_name_is_one_error_naming_the_field(client, bob):
    response = patch(client, "/api/v1/me", {"full_name": "x" * 151}, **bearer(client, bob))
    assert response.status_code == 422
    assert field_errors(response) == {"full_name": "String should have at most 150 characters"}
    assert User.objects.get(pk=bob.pk).full_name != "x" * 151


def test_patch_bodies_document_no_null(client, db):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("MePatchIn", "UserPatchIn"):
        for prop in schemas[name]["properties"].values():
            assert {"type": "null"} not in prop.get("anyOf", []), name


def test_a_change_by_api_token_is_audited_as_the_tokens_user(client, alice, bob):
    response = patch(
        client, f"/api/v1/users/{bob.pk}", {"role": "partner_admin"}, **bearer(client, alice)
    )
    assert response.status_code == 200
    membership = User.objects.get(pk=bob.pk).membership
    assert membership is not None
    assert membership.history.first().history_user == alice
