"""D8 and D10: a won deal of an eligible solution is registered into the one queue."""

import datetime
import json
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from openprm.accounts.tests.test_api import bearer
from openprm.core.errors import Conflict
from openprm.core.models import Event
from openprm.crm.models import OpportunityKind
from openprm.deals.models import RegistrationKind, RegistrationState
from openprm.deals.registrations.services import registration_decide
from openprm.referrals.lifecycle.services import referral_close
from openprm.referrals.models import Referral
from openprm.referrals.registration.services import referral_register
from openprm.referrals.stages.services import referral_mark_stage
from openprm.referrals.tests.factories import create_referral, solution
from openprm.referrals.tests.states import PDF, proof

pytestmark = pytest.mark.django_db

CREATED = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def won_assessment(alice, *, won_after: datetime.timedelta, eligible: bool = True):
    with time_machine.travel(CREATED, tick=False):
        referral = create_referral(actor=alice, kind=OpportunityKind.SOLUTION_ASSESSMENT)
        if not eligible:
            type(referral).objects.filter(pk=referral.pk).update(
                solution_type=solution(eligible=False)
            )
        referral_mark_stage(referral=referral, actor=alice, stage="present")
    with time_machine.travel(CREATED + won_after, tick=False):
        referral_close(referral=referral, actor=alice, outcome="won", mrr_minor=1000)
    return type(referral).objects.get(pk=referral.pk)


def register(referral, alice, **overrides: Any):
    data: dict[str, Any] = {
        "won_value_minor": 4_800_000,
        "closed_on": datetime.date(2026, 12, 3),
        "account_ids": "sub-991",
        "proof": proof(),
    }
    data.update(overrides)
    return referral_register(referral=referral, actor=alice, **data)


def test_a_win_less_than_72_hours_after_creation_is_flagged(alice):
    referral = won_assessment(alice, won_after=datetime.timedelta(hours=71, minutes=59))
    details = register(referral, alice)
    assert details.fast_win is True
    assert details.registration.kind == RegistrationKind.WON_REFERRAL
    assert details.registration.state == RegistrationState.SUBMITTED


def test_a_win_72_hours_after_creation_is_not_flagged(alice):
    referral = won_assessment(alice, won_after=datetime.timedelta(hours=72))
    assert register(referral, alice).fast_win is False


def test_a_solution_that_is_not_eligible_cannot_be_registered(alice):
    referral = won_assessment(alice, won_after=datetime.timedelta(days=10), eligible=False)
    with pytest.raises(Conflict) as refused:
        register(referral, alice)
    assert refused.value.code == "not_eligible"


def test_a_deal_is_registered_once(alice):
    referral = won_assessment(alice, won_after=datetime.timedelta(days=10))
    register(referral, alice)
    with pytest.raises(Conflict) as refused:
        register(referral, alice)
    assert refused.value.code == "already_registered"


def test_the_proof_must_be_an_allowed_file(alice):
    referral = won_assessment(alice, won_after=datetime.timedelta(days=10))
    fake = SimpleUploadedFile("po.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        register(referral, alice, proof=fake, won_value_minor=0)
    assert set(refused.value.error_dict) == {"proof", "won_value"}


@pytest.mark.parametrize(
    ("action", "state"),
    [
        ("approve", RegistrationState.APPROVED),
        ("reject", RegistrationState.REJECTED),
        ("request_info", RegistrationState.MORE_INFO_REQUESTED),
    ],
)
def test_the_reviewer_decides_in_the_one_queue(alice, rita, action, state):
    referral = won_assessment(alice, won_after=datetime.timedelta(days=10))
    registration = register(referral, alice).registration
    decided = registration_decide(
        registration=registration, action=action, actor=rita, reason="Proof checked"
    )
    assert decided.state == state


def test_answering_the_reviewer_on_the_queue_page_leads_back_to_the_referral(client, alice, rita):
    from django.urls import reverse

    referral = won_assessment(alice, won_after=datetime.timedelta(days=10))
    registration = register(referral, alice).registration
    registration_decide(
        registration=registration, action="request_info", actor=rita, reason="Which PO?"
    )
    client.force_login(alice)
    response = client.post(
        reverse("deals:registration-answer", args=[registration.pk]), {"answer": "PO 42"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    registration.refresh_from_db()
    assert registration.state == RegistrationState.SUBMITTED


def test_the_reviewers_decision_notifies_with_a_link_to_the_referral(alice, rita):
    from django.urls import reverse

    from openprm.notifications.models import Notification

    referral = won_assessment(alice, won_after=datetime.timedelta(days=10))
    registration = register(referral, alice).registration
    registration_decide(registration=registration, action="approve", actor=rita)
    notice = Notification.objects.get(recipient=alice, kind="registration_decision")
    assert notice.link == reverse("referrals:detail", args=[referral.pk])


def test_the_reviewer_sees_a_registered_referral_with_its_fast_win_flag(client, alice, rita):
    referral = won_assessment(alice, won_after=datetime.timedelta(hours=5))
    register(referral, alice)
    client.force_login(rita)
    body = client.get(f"/api/v1/referrals/{referral.pk}").json()
    assert body["registration"]["fast_win"] is True
    assert body["allowed_actions"] == []


TEAM_MEMBER = {"first_name": "Mia", "last_name": "Ito", "phone": "+1 206 555 0199",
               "email": "mia@northwind.example"}  # fmt: skip


@pytest.mark.parametrize(
    ("method", "action", "body"),
    [
        ("PATCH", "", {"notes": "Changed by the reviewer"}),
        ("POST", "/accept", {"notes": "Mine"}),
        ("POST", "/decline", {"reason": "other"}),
        ("POST", "/stages", {"stage": "gather_data"}),
        ("POST", "/close", {"outcome": "lost", "lost_reason": "price"}),
        ("POST", "/team", {"members": [TEAM_MEMBER]}),
    ],
)
def test_the_reviewer_changes_nothing_on_the_referral_it_reviews(
    client, alice, rita, method, action, body
):
    referral = won_assessment(alice, won_after=datetime.timedelta(days=10))
    registration = register(referral, alice).registration
    before = (Referral.objects.get(pk=referral.pk).version, Event.objects.count())
    client.force_login(rita)
    response = client.generic(
        method,
        f"/api/v1/referrals/{referral.pk}{action}",
        json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 403, response.content
    assert (Referral.objects.get(pk=referral.pk).version, Event.objects.count()) == before
    registration.refresh_from_db()
    assert registration.state == RegistrationState.SUBMITTED


@pytest.mark.parametrize(
    ("case", "offered"), [("eligible", True), ("not_eligible", False), ("registered", False)]
)
def test_a_won_referral_offers_registration_exactly_when_registering_it_succeeds(
    client, alice, case, offered
):
    referral = won_assessment(alice, won_after=datetime.timedelta(days=10),
                              eligible=case != "not_eligible")  # fmt: skip
    if case == "registered":
        register(referral, alice)
    token = bearer(client, alice)

    shown = client.get(f"/api/v1/referrals/{referral.pk}", **token).json()["allowed_actions"]
    response = client.post(f"/api/v1/referrals/{referral.pk}/registration", {
        "won_value": "48000", "closed_on": "2026-12-03", "account_ids": "sub-1",
        "proof": SimpleUploadedFile("po.pdf", PDF, content_type="application/pdf"),
    }, **token)  # fmt: skip

    assert ("registration" in shown) is offered
    assert response.status_code == (201 if offered else 409), response.content
