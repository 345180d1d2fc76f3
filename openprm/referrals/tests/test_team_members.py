"""D2: a deal's team members are edited and removed later, by page and API; the owner leaves
only once another is named, the last member never, and the history says what changed."""

import json

import pytest
from django.core.exceptions import ValidationError

from openprm.referrals.models import Referral, ReferralTeamMember
from openprm.referrals.team.services import (
    referral_team_member_remove,
    referral_team_member_update,
)
from openprm.referrals.tests.factories import create_referral, member
from openprm.referrals.tests.states import in_substatus

pytestmark = pytest.mark.django_db


def team_of(referral: Referral) -> list[tuple[str, bool]]:
    return [(m.email, m.is_owner) for m in referral.team_members.order_by("id")]


def member_of(referral: Referral, email: str) -> ReferralTeamMember:
    return referral.team_members.get(email=email)


def api(client, method: str, path: str, body: dict | None = None):
    call = getattr(client, method)
    return call(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json")


def test_the_creator_owns_a_new_deal(alice):
    referral = create_referral(actor=alice, team=[member(1)])
    assert team_of(referral) == [("member1@northwind.example", False), (alice.email, True)]


def test_whoever_accepts_a_received_referral_owns_it(alice, sam):
    referral = in_substatus("accepted", partner_admin=alice, sender=sam)
    assert member_of(referral, alice.email).is_owner


def test_a_member_is_edited_and_the_history_records_it(alice):
    referral = create_referral(actor=alice, team=[member(1)])
    ken = member_of(referral, "member1@northwind.example")
    referral_team_member_update(
        referral=referral, actor=alice, member_id=ken.pk, first_name="Ken", phone="+81 3 9999"
    )
    ken.refresh_from_db()
    assert (ken.first_name, ken.phone) == ("Ken", "+81 3 9999")
    assert referral.transitions.order_by("-id")[0].note == "Team member changed: Ken Tanaka."


def test_an_incomplete_or_duplicate_member_is_named_by_its_field(alice):
    referral = create_referral(actor=alice, team=[member(1)])
    ken = member_of(referral, "member1@northwind.example")
    with pytest.raises(ValidationError) as blank:
        referral_team_member_update(referral=referral, actor=alice, member_id=ken.pk, phone=" ")
    assert list(blank.value.message_dict) == ["phone"]
    with pytest.raises(ValidationError) as taken:
        referral_team_member_update(
            referral=referral, actor=alice, member_id=ken.pk, email=alice.email
        )
    assert list(taken.value.message_dict) == ["email"]


def test_making_a_member_the_owner_moves_the_ownership(alice):
    referral = create_referral(actor=alice, team=[member(1)])
    ken = member_of(referral, "member1@northwind.example")
    referral_team_member_update(referral=referral, actor=alice, member_id=ken.pk, owner=True)
    assert team_of(referral) == [("member1@northwind.example", True), (alice.email, False)]
    assert referral.transitions.order_by("-id")[0].note.endswith("Member1 Tanaka is now the owner.")


def test_the_owner_cannot_simply_stop_owning(alice):
    referral = create_referral(actor=alice, team=[member(1)])
    owner = member_of(referral, alice.email)
    with pytest.raises(ValidationError) as refused:
        referral_team_member_update(referral=referral, actor=alice, member_id=owner.pk, owner=False)
    assert list(refused.value.message_dict) == ["owner"]
    assert member_of(referral, alice.email).is_owner


def test_a_member_is_removed_and_the_history_records_it(alice):
    referral = create_referral(actor=alice, team=[member(1)])
    ken = member_of(referral, "member1@northwind.example")
    referral_team_member_remove(referral=referral, actor=alice, member_id=ken.pk)
    assert team_of(referral) == [(alice.email, True)]
    note = referral.transitions.order_by("-id")[0].note
    assert note == "Team member removed: Member1 Tanaka."


def test_the_owner_is_not_removed_without_naming_another(alice):
    referral = create_referral(actor=alice, team=[member(1)])
    owner = member_of(referral, alice.email)
    with pytest.raises(ValidationError) as refused:
        referral_team_member_remove(referral=referral, actor=alice, member_id=owner.pk)
    assert list(refused.value.message_dict) == ["new_owner_id"]
    assert len(team_of(referral)) == 2


def test_the_owner_leaves_once_another_is_named(alice):
    referral = create_referral(actor=alice, team=[member(1)])
    owner = member_of(referral, alice.email)
    ken = member_of(referral, "member1@northwind.example")
    referral_team_member_remove(
        referral=referral, actor=alice, member_id=owner.pk, new_owner_id=ken.pk
    )
    assert team_of(referral) == [("member1@northwind.example", True)]


def test_the_new_owner_must_be_on_the_same_team(alice):
    referral = create_referral(actor=alice, team=[member(1)])
    other = create_referral(actor=alice, team=[member(2)])
    stranger = member_of(other, "member2@northwind.example")
    owner = member_of(referral, alice.email)
    with pytest.raises(ValidationError) as refused:
        referral_team_member_remove(
            referral=referral, actor=alice, member_id=owner.pk, new_owner_id=stranger.pk
        )
    assert list(refused.value.message_dict) == ["new_owner_id"]


def only_alice(alice) -> list[dict[str, str]]:
    """A team of the creator alone."""
    return [member(1, first_name="Alice", last_name="Admin", email=alice.email)]


def test_the_last_member_is_never_removed(alice):
    referral = create_referral(actor=alice, team=only_alice(alice))
    [only] = referral.team_members.all()
    with pytest.raises(ValidationError) as refused:
        referral_team_member_remove(referral=referral, actor=alice, member_id=only.pk)
    assert refused.value.message_dict == {
        "team": ["Alice Admin is the last team member; add another before removing them."]
    }
    assert referral.team_members.count() == 1


def test_the_api_edits_a_member_and_shows_the_owner(client, alice):
    referral = create_referral(actor=alice, team=[member(1)])
    ken = member_of(referral, "member1@northwind.example")
    client.force_login(alice)
    response = api(client, "patch", f"/referrals/{referral.pk}/team/{ken.pk}", {"owner": True})
    assert response.status_code == 200, response.content
    team = {m["email"]: (m["id"], m["owner"]) for m in response.json()["team"]}
    assert team == {
        ken.email: (ken.pk, True),
        alice.email: (member_of(referral, alice.email).pk, False),
    }


def test_the_api_removes_the_owner_only_with_a_new_owner(client, alice):
    referral = create_referral(actor=alice, team=[member(1)])
    owner = member_of(referral, alice.email)
    ken = member_of(referral, "member1@northwind.example")
    client.force_login(alice)
    path = f"/referrals/{referral.pk}/team/{owner.pk}"
    refused = api(client, "delete", path)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["new_owner_id"]
    removed = api(client, "delete", f"{path}?new_owner_id={ken.pk}")
    assert removed.status_code == 200
    assert [(m["email"], m["owner"]) for m in removed.json()["team"]] == [(ken.email, True)]


def test_the_api_refuses_to_remove_the_last_member(client, alice):
    referral = create_referral(actor=alice, team=only_alice(alice))
    [only] = referral.team_members.all()
    client.force_login(alice)
    response = api(client, "delete", f"/referrals/{referral.pk}/team/{only.pk}")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["team"]


def test_a_member_of_another_deal_is_404(client, alice):
    referral = create_referral(actor=alice, team=[member(1)])
    other = create_referral(actor=alice, team=[member(2)])
    stranger = member_of(other, "member2@northwind.example")
    client.force_login(alice)
    response = api(client, "delete", f"/referrals/{referral.pk}/team/{stranger.pk}")
    assert response.status_code == 404
    assert ReferralTeamMember.objects.filter(pk=stranger.pk).exists()


def test_the_pages_edit_and_remove_members_and_the_deal_shows_the_owner(client, alice):
    referral = create_referral(actor=alice, team=[member(1)])
    ken = member_of(referral, "member1@northwind.example")
    client.force_login(alice)
    detail = client.get(f"/referrals/{referral.pk}/").content.decode()
    assert f"/referrals/{referral.pk}/team/{ken.pk}/edit/" in detail
    assert "Owner</span>" in detail
    edit = client.post(
        f"/referrals/{referral.pk}/team/{ken.pk}/edit/",
        {"first_name": "Ken", "last_name": "Sato", "phone": "+81 3 1111",
         "email": ken.email, "owner": "on", "version": referral.version},
    )  # fmt: skip
    assert edit.status_code == 302
    assert team_of(referral) == [(ken.email, True), (alice.email, False)]
    owner_page = client.get(f"/referrals/{referral.pk}/team/{ken.pk}/remove/").content.decode()
    assert "New owner" in owner_page
    refused = client.post(f"/referrals/{referral.pk}/team/{ken.pk}/remove/", {"new_owner_id": ""})
    assert "Name another team member as the owner before removing the owner." in (
        refused.content.decode()
    )
    alice_member = member_of(referral, alice.email)
    removed = client.post(
        f"/referrals/{referral.pk}/team/{ken.pk}/remove/", {"new_owner_id": alice_member.pk}
    )
    assert removed.status_code == 302
    assert team_of(referral) == [(alice.email, True)]
    history = client.get(f"/referrals/{referral.pk}/").content.decode()
    owner = alice_member.full_name
    assert f"Team member removed: Ken Sato. {owner} is now the owner." in history
