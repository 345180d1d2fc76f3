"""Deals of two partners, with private and shared notes on Northwind's, for the audit log."""

import pytest

from openprm.deals.notes import services as notes
from openprm.deals.tests.conftest import customer, media_root, product, sam, sam_rule
from openprm.deals.tests.factories import create_deal

__all__ = ["customer", "media_root", "product", "sam", "sam_rule"]

PARTNER_SECRET = "Our margin is thin here"
VENDOR_SECRET = "Discount needs the regional manager"


@pytest.fixture
def northwind_deal(alice, sam, sam_rule, customer, product, django_capture_on_commit_callbacks):
    deal = create_deal(actor=alice, customer=customer, products=[product], name="Sakura rollout")
    with django_capture_on_commit_callbacks(execute=True):
        notes.note_create(deal=deal, actor=alice, body=PARTNER_SECRET, shared=False)
        notes.note_create(deal=deal, actor=sam, body=VENDOR_SECRET, shared=False)
        notes.note_create(deal=deal, actor=alice, body="Demo booked", shared=True)
    return deal


@pytest.fixture
def tailspin_deal(charlie, sam_rule, customer, product):
    return create_deal(actor=charlie, customer=customer, products=[product], name="Tailspin deal")
