"""Currency selects name each currency in the reader's language beside its code."""

import pytest
from django.utils import translation

from openprm.deals.forms import DealStep1Form

pytestmark = pytest.mark.django_db


def test_the_shared_deal_form_offers_currencies_by_name_and_takes_the_code():
    with translation.override("ja"):
        html = str(DealStep1Form()["currency"])
    assert '<option value="JPY">JPY — 日本円</option>' in html


def test_the_shared_deal_form_accepts_the_code_it_offers():
    form = DealStep1Form()
    assert form.fields["currency"].clean("JPY").pk == "JPY"
