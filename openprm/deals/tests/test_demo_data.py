"""The demo program's shared deals: every state, conversations, and a conflict to review."""

import datetime

import pytest

from openprm.accounts.models import User
from openprm.crm.models import OpportunityKind
from openprm.deals import selectors
from openprm.deals.conversion import selectors as conversion_selectors
from openprm.deals.models import Deal, NoteAttachment, Registration, RegistrationState
from openprm.deals.registrations import selectors as registration_selectors
from openprm.demo import generator

pytestmark = pytest.mark.django_db


def test_the_demo_has_shared_deals_conversations_a_conflict_and_an_extension_in_the_queue():
    generator.load(scale=0.1, today=datetime.date(2026, 5, 20), say=lambda message: None)
    reviewer = User.objects.get(email="reviewer@openprm.example")
    states = set(Deal.objects.values_list("opportunity__state", flat=True))
    assert states == {"open", "won", "lost"}
    assert not Deal.objects.exclude(opportunity__kind=OpportunityKind.SHARED_DEAL).exists()
    assert Registration.objects.filter(kind="lead").count() == Deal.objects.count()
    assert Registration.objects.filter(state=RegistrationState.IN_REVIEW_CONFLICT).count() == 1
    assert NoteAttachment.objects.exists()
    waiting = registration_selectors.registrations_for_user(user=reviewer, queue=True)
    assert waiting.filter(state=RegistrationState.IN_REVIEW_CONFLICT).count() == 1
    assert waiting.filter(extension_requested_at__isnull=False).count() == 1
    for state in ("open", "won", "lost"):
        partners = Deal.objects.filter(opportunity__state=state).values("organization")
        assert partners.distinct().count() >= 2, state
    assert NoteAttachment.objects.values("note__deal__organization").distinct().count() >= 2


def test_demo_registrations_carry_their_record_of_decisions():
    generator.load(scale=0.1, today=datetime.date(2026, 5, 20), say=lambda message: None)
    for registration in Registration.objects.prefetch_related("transitions"):
        transitions = list(registration.transitions.all())
        assert transitions[0].from_state == ""
        assert transitions[0].to_state in ("submitted", "in_review_conflict")
        assert transitions[-1].to_state == registration.state
        if registration.state == RegistrationState.REJECTED:
            assert registration.reason
    deal = Deal.objects.filter(opportunity__state="won").first()
    assert deal is not None
    history = list(selectors.deal_history(deal=deal))
    assert {e.kind for e in history} == {"deal.created", "registration.approved"}
    assert all(e.created_at.date() < datetime.date(2026, 5, 21) for e in history)


def test_the_demo_rep_has_vendor_opportunities_to_convert():
    generator.load(scale=0.1, today=datetime.date(2026, 5, 20), say=lambda message: None)
    rep = User.objects.get(email="rep@openprm.example")
    assert conversion_selectors.vendor_opportunities(user=rep).count() == 4
    assert Deal.objects.filter(assigned_rep__isnull=True).count() == 0
