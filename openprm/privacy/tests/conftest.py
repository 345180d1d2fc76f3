"""Yui Sato, a customer contact held by Northwind (a contact, whose email and phone changed
once, and a referral made with her consent) and, under the same address, by Tailspin, whose
copy Northwind must never see or erase."""

import pytest

from openprm.crm import services as crm_services
from openprm.crm.models import Contact
from openprm.crm.tests.factories import ContactFactory
from openprm.referrals.models import Referral
from openprm.referrals.tests.factories import create_referral

EMAIL = "yui@sakura.example"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def yui(northwind, alice) -> Contact:
    contact = ContactFactory.create(
        organization=northwind,
        first_name="Yui",
        last_name="Sato",
        email="Yui@Sakura.example",
        phone="+81 3 0000 0000",
        job_title="CIO",
    )
    return crm_services.contact_update(contact=contact, actor=alice, phone="+81 3 1111 1111")


@pytest.fixture
def yui_referral(alice) -> Referral:
    """Made with the wizard's default contact, Yui Sato at yui@sakura.example, with consent."""
    return create_referral(actor=alice)


@pytest.fixture
def tailspin_yui(tailspin) -> Contact:
    return ContactFactory.create(
        organization=tailspin, first_name="Yui", last_name="Sato", email=EMAIL
    )
