"""The campaign report's arithmetic: exact per-currency sums and the win rate."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openprm.referrals.lifecycle.services import referral_close
from openprm.referrals.selectors import CampaignRow, campaign_report
from openprm.referrals.tests.factories import create_referral

counts = st.integers(min_value=0, max_value=10_000)


@given(won=counts, lost=counts, still_open=counts)
def test_the_win_rate_is_won_out_of_those_decided(won, lost, still_open):
    row = CampaignRow("C", created=won + lost + still_open, won=won, lost=lost)
    if won + lost == 0:
        assert row.win_rate is None
        return
    assert row.win_rate is not None
    assert Decimal(0) <= row.win_rate <= Decimal(1)
    assert abs(row.win_rate - Decimal(won) / Decimal(won + lost)) <= Decimal("0.00005")


@pytest.mark.django_db
def test_won_values_are_summed_exactly_per_currency(alice):
    amounts = [1, 10, 1_000_000_01]
    for amount in amounts:
        referral = create_referral(actor=alice, campaign_id="X", amount_minor=amount)
        referral_close(referral=referral, actor=alice, outcome="won", mrr_minor=1)
    euro = create_referral(actor=alice, campaign_id="X", currency="EUR", amount_minor=5)
    referral_close(referral=euro, actor=alice, outcome="won", mrr_minor=1)
    (row,) = campaign_report(user=alice)
    assert row.won_value == {"USD": Decimal("1000000.12"), "EUR": Decimal("0.05")}
    assert (row.created, row.won, row.win_rate) == (4, 4, Decimal(1))


@pytest.mark.django_db
def test_another_partners_campaigns_are_not_counted(alice, charlie):
    create_referral(actor=charlie, campaign_id="THEIRS")
    assert campaign_report(user=alice) == []
