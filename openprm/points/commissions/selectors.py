"""Reads of commissions, always scoped to the requester: a partner's people see its statements,
its PDM and the program admin too (`CommissionStatement.objects.for_user`), other vendor roles
none. The dashboard and the statements API read them here."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.accounts.scoping import get_for_user_or_404
from openprm.core.errors import field_error
from openprm.core.money import from_minor
from openprm.core.program_settings import require_program_admin
from openprm.core.replica import reads_reports
from openprm.crm.models import Currency
from openprm.points.commissions.engine import quarter_end, quarter_lines, quarter_start, windows_for
from openprm.points.models import CommissionLine, CommissionProgram, CommissionStatement


def statements_for_partner(*, user: User, partner: Organization) -> QuerySet[CommissionStatement]:
    """A partner's statements as `user` may see them (its own people, its PDM, the admin)."""
    return (
        CommissionStatement.objects.for_user(user)
        .filter(organization=partner)
        .order_by("-quarter_start", "currency_id")
    )


def statements_for_user(
    *,
    user: User,
    on: date,
    partner_id: int | None = None,
    currency: str | None = None,
    paid: bool | None = None,
) -> QuerySet[CommissionStatement]:
    """Every statement `user` may see, newest quarter first: a partner's people their own, the
    program admin all, a PDM those of the partners they look after, other vendor roles none
    (`CommissionStatement.objects.for_user`, as the dashboard and the CSV page read them).
    `paid`: payable on or before `on` (the dashboard's "past payments") or after it."""
    if currency is not None and not Currency.objects.filter(code=currency).exists():
        raise field_error("currency", _("Unknown currency."), "unknown")
    statements = CommissionStatement.objects.for_user(user).select_related("organization")
    if partner_id is not None:
        statements = statements.filter(organization_id=partner_id)
    if currency is not None:
        statements = statements.filter(currency_id=currency)
    if paid is not None:
        statements = (
            statements.filter(payable_on__lte=on) if paid else statements.filter(payable_on__gt=on)
        )
    return statements.order_by("-quarter_start", "organization__name", "currency_id", "id")


def statement_get(*, user: User, statement_id: int) -> CommissionStatement:
    """One statement `user` may see (as `statements_for_user`); anyone else's is a 404."""
    return get_for_user_or_404(
        CommissionStatement.objects.select_related("organization"), user, pk=statement_id
    )


def statement_lines(*, statement: CommissionStatement) -> QuerySet[CommissionLine]:
    return statement.lines.select_related(
        "customer", "opportunity", "subscription__product"
    ).order_by("customer__name", "id")


@dataclass(frozen=True)
class Estimate:
    quarter_start: date
    quarter_end: date
    payable_on: date
    currency: str
    commission_minor: int

    @property
    def commission(self) -> Decimal:
        return from_minor(self.commission_minor, self.currency)


@reads_reports
def current_quarter_estimate(*, partner: Organization, on: date) -> list[Estimate]:
    """The running quarter's commission so far: an upcoming payment, not yet a statement.
    `partner` comes from a scoped lookup (the dashboard's `dashboard_partner`)."""
    program = CommissionProgram.current()
    start, end = quarter_start(on), quarter_end(on)
    windows = windows_for(partner, earning_from=start)
    by_currency = quarter_lines(windows, start, min(end, on), program)
    payable_on = end + timedelta(days=program.payment_delay_days)
    return [
        Estimate(start, end, payable_on, currency, sum(line.commission_minor for line in lines))
        for currency, lines in sorted(by_currency.items())
    ]


def commission_program_get(*, user: User) -> CommissionProgram:
    """The commission program's settings, for the program admin."""
    require_program_admin(user)
    return CommissionProgram.current()
