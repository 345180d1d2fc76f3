"""Writes of commissions: the statements of closed quarters, once per partner and quarter
(SPEC E13), run by the sweep and by `openprm manage commission_statements`; and the commission
program's settings (rate, years, payment delay), which Program settings and the API change
through `commission_program_update`, the program admin only, each change recorded."""

from collections.abc import Collection
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization, User
from openprm.core.checks import FieldErrors, number_between
from openprm.core.dates import program_today
from openprm.core.events import record_event
from openprm.core.marks import mark_run, since_last_run
from openprm.core.program_settings import program_row_update
from openprm.points.commissions.engine import (
    Line,
    partners_with_sales_saved_since,
    quarter_end,
    quarter_lines,
    quarter_start,
    unsettled_quarters,
    windows_for,
)
from openprm.points.models import (
    CommissionLine,
    CommissionProgram,
    CommissionSettlement,
    CommissionStatement,
)


def _write_statement(
    partner: Organization,
    start: date,
    currency: str,
    lines: list[Line],
    program: CommissionProgram,
) -> CommissionStatement:
    end = quarter_end(start)
    statement = CommissionStatement.objects.create(
        organization=partner,
        quarter_start=start,
        quarter_end=end,
        currency_id=currency,
        rate_percent=program.rate_percent,
        revenue_minor=sum(line.revenue_minor for line in lines),
        commission_minor=sum(line.commission_minor for line in lines),
        payable_on=end + timedelta(days=program.payment_delay_days),
    )
    CommissionLine.objects.bulk_create(
        CommissionLine(
            statement=statement,
            opportunity_id=line.window.opportunity_id,
            subscription_id=line.window.subscription_id,
            customer_id=line.window.customer_id,
            sale_on=line.window.sale_on,
            revenue_minor=line.revenue_minor,
            commission_minor=line.commission_minor,
        )
        for line in lines
    )
    record_event(
        kind="points.commission_statement",
        obj=statement,
        organization=partner,
        data={"quarter": start.isoformat(), "currency": currency,
              "commission_minor": statement.commission_minor},
    )  # fmt: skip
    return statement


def statements_generate(*, on: date, partners: Collection[int] | None = None) -> int:
    """Write the statements of every closed quarter not settled yet (of the partners in
    `partners`); returns how many.

    A partner's quarter is worked out once, in one transaction with its settlement row, whether
    anything was due or not: a run with nothing new reads two queries and computes nothing, and
    records that change after a quarter was settled leave it as it was, as they leave statements.
    """
    if partners is not None and not partners:
        return 0
    pending = unsettled_quarters(on=on, partners=partners)
    if not pending:
        return 0
    program = CommissionProgram.current()
    written = 0
    for organization in Organization.objects.filter(pk__in=pending).order_by("pk"):
        windows = windows_for(organization)
        for start in pending[organization.pk]:
            by_currency = quarter_lines(windows, start, quarter_end(start), program)
            try:
                with transaction.atomic():
                    CommissionSettlement.objects.create(
                        organization=organization, quarter_start=start, statements=len(by_currency)
                    )
                    for currency, lines in sorted(by_currency.items()):
                        _write_statement(organization, start, currency, lines, program)
            except IntegrityError:
                continue  # another run settled this quarter first
            written += len(by_currency)
    return written


STATEMENTS_MARK = "points.commission_statements"


def statements_generate_due(*, now: datetime) -> int:
    """The sweep's run: every partner when a quarter closed since the last complete run (and on
    the first), otherwise only the partners whose sales were saved since (a backdated sale can
    open an earlier quarter), so an idle run reads two index ranges and no sale."""
    checked_at = timezone.now()
    on = program_today(now)
    since = since_last_run(STATEMENTS_MARK)
    partners = None
    if since is not None and quarter_start(program_today(since.last_now)) == quarter_start(on):
        partners = partners_with_sales_saved_since(since.saved_from)
    written = statements_generate(on=on, partners=partners)
    mark_run(STATEMENTS_MARK, now=now, checked_at=checked_at)
    return written


PROGRAM_FIELDS = ("rate_percent", "years", "payment_delay_days")
RATE_LIMIT = Decimal(100)
# Both keep every commission window and payment day well inside the calendar's dates.
YEARS_LIMIT = 100
PAYMENT_DELAY_DAYS_LIMIT = 3650


def checked_commission_program(program: CommissionProgram) -> None:
    errors = FieldErrors()
    rate = errors.check(number_between, "rate_percent", program.rate_percent, Decimal(0),
                        RATE_LIMIT, _("Enter a rate from 0 to 100."))  # fmt: skip
    if rate is not None and Decimal(rate) != Decimal(rate).quantize(Decimal("0.01")):
        errors.add("rate_percent", _("Use at most two decimal places."), "invalid")
    errors.check(number_between, "years", program.years, 1, YEARS_LIMIT,
                 _("Enter a number of years from 1 to 100."))  # fmt: skip
    errors.check(number_between, "payment_delay_days", program.payment_delay_days, 0,
                 PAYMENT_DELAY_DAYS_LIMIT, _("Enter a number of days from 0 to 3650."))  # fmt: skip
    errors.raise_any()


@transaction.atomic
def commission_program_update(*, actor: User, **changes: Any) -> CommissionProgram:
    """A change applies to the statements written from then on, never to written ones."""
    return program_row_update(
        actor=actor,
        model=CommissionProgram,
        changes=changes,
        fields=PROGRAM_FIELDS,
        check=checked_commission_program,
        kind="commission_program.updated",
    )
