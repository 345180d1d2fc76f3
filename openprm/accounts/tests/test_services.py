"""Rules the services keep whatever calls them."""

import pytest

from openprm.accounts import services
from openprm.accounts.models import User
from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import MembershipFactory
from openprm.core.errors import NotFound
from openprm.core.models import Event

pytestmark = pytest.mark.django_db


def test_an_admin_demoted_meanwhile_can_no_longer_manage(alice, bob, northwind):
    dana = MembershipFactory.create(organization=northwind, role=Role.PARTNER_ADMIN).user
    assert alice.is_partner_admin  # alice's membership is now cached as admin
    services.membership_update(
        actor=dana, user_id=alice.pk, role=Role.PARTNER_USER, global_scope=True,
        location_countries=[],
    )  # fmt: skip
    with pytest.raises(NotFound):
        services.user_deactivate(actor=alice, user_id=bob.pk)
    assert User.objects.get(pk=bob.pk).is_active


def test_a_second_admin_can_step_down(alice, northwind):
    dana = MembershipFactory.create(organization=northwind, role=Role.PARTNER_ADMIN).user
    services.membership_update(
        actor=dana, user_id=dana.pk, role=Role.PARTNER_USER, global_scope=True,
        location_countries=[],
    )  # fmt: skip
    assert User.objects.get(pk=dana.pk).role == Role.PARTNER_USER


def test_admins_always_have_global_scope(alice, bob):
    membership = services.membership_update(
        actor=alice, user_id=bob.pk, role=Role.PARTNER_ADMIN, global_scope=False,
        location_countries=["US"],
    )  # fmt: skip
    assert (membership.global_scope, membership.countries) == (True, [])


def test_an_unchanged_update_writes_no_event_and_keeps_the_version(alice, bob):
    before = User.objects.get(pk=bob.pk).membership
    assert before is not None
    after = services.membership_update(
        actor=alice, user_id=bob.pk, role=Role.PARTNER_USER, global_scope=False,
        location_countries=["US"],
    )  # fmt: skip
    assert after.version == before.version
    assert not Event.objects.filter(kind="membership.updated").exists()


def test_every_change_writes_an_event(alice, bob):
    services.user_deactivate(actor=alice, user_id=bob.pk)
    services.user_reactivate(actor=alice, user_id=bob.pk)
    services.user_update_preferences(user=bob, timezone_name="Asia/Tokyo")
    services.api_token_create(user=bob, name="script")
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert {
        "user.deactivated", "user.reactivated", "user.preferences_updated", "api_token.created"
    } <= kinds  # fmt: skip


def test_the_change_and_its_event_are_one_transaction(alice, bob, monkeypatch):
    """An event that cannot be written undoes the change it records: nothing half-written."""

    def failing_event(**kwargs):
        raise RuntimeError("the event table is unavailable")

    monkeypatch.setattr(services, "record_event", failing_event)
    history_before = bob.membership.history.count()
    with pytest.raises(RuntimeError):
        services.membership_update(
            actor=alice, user_id=bob.pk, role=Role.PARTNER_ADMIN, global_scope=True,
            location_countries=[],
        )  # fmt: skip
    membership = User.objects.get(pk=bob.pk).membership
    assert membership is not None
    assert (membership.role, membership.version) == (Role.PARTNER_USER, 1)
    assert membership.history.count() == history_before
    assert not Event.objects.filter(kind="membership.updated").exists()


def test_an_event_says_what_happened_to_which_object_and_by_whom(alice, bob):
    membership = services.membership_update(
        actor=alice, user_id=bob.pk, role=Role.PARTNER_ADMIN, global_scope=True,
        location_countries=[],
    )  # fmt: skip
    event = Event.objects.get(kind="membership.updated")
    assert (event.object_type, event.object_id) == ("accounts.membership", str(membership.pk))
    assert (event.actor, event.organization) == (alice, membership.organization)
    assert event.data["before"]["role"] == Role.PARTNER_USER
    assert event.data["after"]["role"] == Role.PARTNER_ADMIN
