"""The directory's write rules, the sourced/assisted rule and closing opportunities."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from openprm.core.errors import AppError, Forbidden, PreconditionFailed
from openprm.core.models import Event
from openprm.crm import services
from openprm.crm.models import (
    Customer,
    MarketType,
    Opportunity,
    OpportunityKind,
    OpportunityState,
    Source,
)
from openprm.crm.tests.factories import CustomerFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def field_of(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return sorted(exc.value.message_dict)


def create_customer(actor, **overrides):
    data = {"name": "Fabrikam", "country": "US", "currency": "USD", "duns": "111222333"}
    return services.customer_create(actor=actor, **{**data, **overrides})


# --- the sourced/assisted rule (SPEC A3b) ------------------------------------------------------


def test_an_opportunity_the_partner_brought_is_sourced(northwind):
    assert services.opportunity_source(partner=northwind, brought_by=northwind) == Source.SOURCED


def test_an_opportunity_the_vendor_brought_is_assisted(northwind, vendor):
    assert services.opportunity_source(partner=northwind, brought_by=vendor) == Source.ASSISTED


def test_an_opportunity_another_partner_brought_is_assisted(northwind, tailspin):
    assert services.opportunity_source(partner=northwind, brought_by=tailspin) == Source.ASSISTED


def test_an_opportunity_of_unknown_origin_is_not_counted_as_sourced(northwind):
    assert services.opportunity_source(partner=northwind, brought_by=None) == Source.ASSISTED


def test_a_partner_creating_its_own_opportunity_makes_it_sourced(alice, northwind):
    opportunity = services.opportunity_create(
        partner=northwind,
        customer=CustomerFactory.create(),
        kind=OpportunityKind.SHARED_DEAL,
        name="Rollout",
        currency="USD",
        actor=alice,
    )
    assert opportunity.source == Source.SOURCED
    assert opportunity.brought_by == northwind
    assert Event.objects.filter(kind="opportunity.created", object_id=str(opportunity.pk)).exists()


def test_the_vendor_creating_an_opportunity_for_a_partner_makes_it_assisted(victor, northwind):
    opportunity = services.opportunity_create(
        partner=northwind,
        customer=CustomerFactory.create(),
        kind=OpportunityKind.SHARED_DEAL,
        name="Converted vendor deal",
        currency="EUR",
        actor=victor,
    )
    assert opportunity.source == Source.ASSISTED
    assert opportunity.currency_id == "EUR"


def test_a_referral_received_from_another_partner_is_assisted(charlie, northwind):
    opportunity = services.opportunity_create(
        partner=northwind,
        customer=CustomerFactory.create(),
        kind=OpportunityKind.CO_SELL,
        name="Referral from Tailspin",
        currency="USD",
        actor=charlie,
    )
    assert opportunity.source == Source.ASSISTED


@pytest.mark.parametrize(
    ("amount_minor", "mrr_minor", "field"), [(-1, 0, "amount_minor"), (0, -1, "mrr_minor")]
)
def test_opportunity_with_a_negative_amount_or_mrr_is_refused_and_not_written(
    alice, northwind, amount_minor, mrr_minor, field
):
    with pytest.raises(ValidationError) as exc:
        services.opportunity_create(
            partner=northwind,
            customer=CustomerFactory.create(),
            kind=OpportunityKind.SHARED_DEAL,
            name="Bad",
            currency="USD",
            actor=alice,
            amount_minor=amount_minor,
            mrr_minor=mrr_minor,
        )
    assert field_of(exc) == [field]
    assert not Opportunity.objects.exists()


def test_closing_as_won_with_negative_mrr_is_refused(northwind):
    opportunity = OpportunityFactory.create(organization=northwind)
    with pytest.raises(ValidationError) as exc:
        services.opportunity_close(
            opportunity=opportunity, state="won", closed_on=datetime.date.today(), mrr_minor=-5
        )
    assert field_of(exc) == ["mrr_minor"]
    opportunity.refresh_from_db()
    assert opportunity.state == OpportunityState.OPEN


def test_an_opportunity_in_an_unknown_currency_is_refused(alice, northwind):
    with pytest.raises(ValidationError) as exc:
        services.opportunity_create(
            partner=northwind,
            customer=CustomerFactory.create(),
            kind=OpportunityKind.SHARED_DEAL,
            name="Bad",
            currency="QQQ",
            actor=alice,
        )
    assert field_of(exc) == ["currency"]


# --- closing -----------------------------------------------------------------------------------


def test_won_needs_a_close_date_and_mrr(northwind):
    opportunity = OpportunityFactory.create(organization=northwind, mrr_minor=0)
    with pytest.raises(ValidationError) as exc:
        services.opportunity_close(opportunity=opportunity, state="won", closed_on=None)
    assert field_of(exc) == ["closed_on", "mrr_minor"]


def test_lost_needs_a_close_date(northwind):
    opportunity = OpportunityFactory.create(organization=northwind)
    with pytest.raises(ValidationError) as exc:
        services.opportunity_close(opportunity=opportunity, state="lost", closed_on=None)
    assert field_of(exc) == ["closed_on"]


def test_closing_as_won_records_date_mrr_and_event(northwind, alice):
    opportunity = OpportunityFactory.create(organization=northwind)
    closed = services.opportunity_close(
        opportunity=opportunity,
        state=OpportunityState.WON,
        closed_on=datetime.date(2026, 3, 31),
        mrr_minor=45_000,
        actor=alice,
    )
    assert (closed.state, closed.closed_on, closed.mrr_minor) == (
        "won",
        datetime.date(2026, 3, 31),
        45_000,
    )
    assert closed.version == 2
    assert Event.objects.filter(kind="opportunity.won", object_id=str(closed.pk)).exists()


def test_a_closed_opportunity_cannot_be_closed_again(northwind):
    opportunity = OpportunityFactory.create(organization=northwind, state=OpportunityState.LOST)
    with pytest.raises(AppError):
        services.opportunity_close(
            opportunity=opportunity, state="won", closed_on=datetime.date.today(), mrr_minor=1
        )


def test_closing_a_stale_version_is_refused(northwind):
    opportunity = OpportunityFactory.create(organization=northwind)
    with pytest.raises(PreconditionFailed):
        services.opportunity_close(
            opportunity=opportunity,
            state="lost",
            closed_on=datetime.date.today(),
            expected_version=7,
        )


# --- the directory -----------------------------------------------------------------------------


@pytest.mark.parametrize("duns", ["12345678", "1234567890", "12345678a", "๑๒๓๔๕๖๗๘๙"])
def test_duns_must_be_exactly_nine_digits(victor, duns):
    with pytest.raises(ValidationError) as exc:
        create_customer(victor, duns=duns)
    assert field_of(exc) == ["duns"]
    assert not Customer.objects.exists()


def test_full_width_duns_digits_are_stored_as_ascii(victor):
    full_width = "".join(chr(ord(digit) + 0xFEE0) for digit in "123456789")
    assert create_customer(victor, duns=full_width).duns == "123456789"


def test_duns_must_be_unique(victor):
    create_customer(victor, duns="123456789")
    with pytest.raises(ValidationError) as exc:
        create_customer(victor, name="Copy", duns="123456789")
    assert field_of(exc) == ["duns"]
    assert exc.value.error_dict["duns"][0].code == "duplicate"


def test_customers_without_duns_may_coexist(victor):
    create_customer(victor, name="One", duns="")
    create_customer(victor, name="Two", duns="")
    assert Customer.objects.count() == 2


def test_unknown_country_is_a_field_error(victor):
    with pytest.raises(ValidationError) as exc:
        create_customer(victor, country="XX")
    assert field_of(exc) == ["country"]


def test_unknown_currency_is_a_field_error(victor):
    with pytest.raises(ValidationError) as exc:
        create_customer(victor, currency="ZZZ")
    assert field_of(exc) == ["currency"]


def test_market_type_follows_the_customers_country(victor):
    assert create_customer(victor, country="TH", duns="").market_type == MarketType.GROWTH
    assert create_customer(victor, country="DE", duns="").market_type == MarketType.STANDARD


def test_moving_a_customer_to_a_growth_country_changes_its_market(victor):
    customer = create_customer(victor, country="US")
    updated = services.customer_update(customer=customer, actor=victor, country="VN")
    assert updated.market_type == MarketType.GROWTH
    assert updated.version == 2


def test_only_the_program_admin_changes_the_directory(alice, pam):
    for user in (alice, pam):
        with pytest.raises(Forbidden):
            create_customer(user)
