"""Money earned: the commission program and its immutable quarterly statements (SPEC E13).

A statement is what was paid, so it is written once per partner, quarter and currency and never
changed; the settlement row says a partner's quarter was worked out, with or without statements.
The tables were the dashboard's until the models moved here (migration 0004 renamed them).
"""

from decimal import Decimal
from typing import Any, Never

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from openprm.accounts.scoping import OrganizationScopedQuerySet
from openprm.core.money import from_minor


class CommissionProgram(models.Model):
    """The revenue-share configuration of the program (one row; SPEC E13 defaults)."""

    rate_percent = models.DecimalField(
        _("commission rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    years = models.PositiveSmallIntegerField(
        _("years paid from the sale"), default=3, validators=[MinValueValidator(1)]
    )
    # 92 days: a quarter's commission is paid by the end of the following quarter.
    payment_delay_days = models.PositiveSmallIntegerField(
        _("days from the quarter's end to the payment"), default=92
    )

    class Meta:
        verbose_name = _("commission program")
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_percent__gte=0, rate_percent__lte=100), name="commission_rate"
            )
        ]

    def __str__(self) -> str:
        return str(_("Commission program"))

    @classmethod
    def current(cls) -> "CommissionProgram":
        program, _created = cls.objects.get_or_create(pk=1)
        return program


class ImmutableStatement(Exception):
    """A commission statement records what was paid; it is never changed or removed."""


class CommissionStatementQuerySet(OrganizationScopedQuerySet):
    def update(self, **kwargs: Any) -> Never:
        raise ImmutableStatement("Commission statements never change.")

    def delete(self) -> Never:
        raise ImmutableStatement("Commission statements are kept.")


class CommissionStatement(models.Model):
    """A partner's commission for one closed quarter in one currency, with its lines."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="commission_statements"
    )
    quarter_start = models.DateField(_("quarter from"))
    quarter_end = models.DateField(_("quarter to"))
    currency = models.ForeignKey("crm.Currency", on_delete=models.PROTECT, related_name="+")
    rate_percent = models.DecimalField(_("commission rate (%)"), max_digits=5, decimal_places=2)
    revenue_minor = models.BigIntegerField(_("net recurring revenue"))
    commission_minor = models.BigIntegerField(_("commission"))
    payable_on = models.DateField(_("payment date"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CommissionStatementQuerySet.as_manager()

    class Meta:
        ordering = ["-quarter_start", "currency_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "quarter_start", "currency"],
                name="one_statement_per_partner_quarter_currency",
            ),
            models.CheckConstraint(
                condition=Q(commission_minor__gte=0, revenue_minor__gte=0),
                name="statement_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.quarter_start} {self.currency_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableStatement("Commission statements never change.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Never:
        raise ImmutableStatement("Commission statements are kept.")

    @property
    def commission(self) -> Decimal:
        return from_minor(self.commission_minor, self.currency_id)

    @property
    def revenue(self) -> Decimal:
        return from_minor(self.revenue_minor, self.currency_id)


class CommissionSettlement(models.Model):
    """A partner's closed quarter whose commission was worked out: its statements (one per
    currency, none when nothing was due) are written, so the sweep never computes it again."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="commission_settlements"
    )
    quarter_start = models.DateField(_("quarter from"))
    statements = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "quarter_start"],
                name="one_settlement_per_partner_quarter",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.quarter_start}"


class CommissionLine(models.Model):
    """One subscription's revenue in the quarter and the commission it earned."""

    statement = models.ForeignKey(
        CommissionStatement, on_delete=models.PROTECT, related_name="lines"
    )
    opportunity = models.ForeignKey("crm.Opportunity", on_delete=models.PROTECT, related_name="+")
    subscription = models.ForeignKey("crm.Subscription", on_delete=models.PROTECT, related_name="+")
    customer = models.ForeignKey("crm.Customer", on_delete=models.PROTECT, related_name="+")
    sale_on = models.DateField(_("sale date"))
    revenue_minor = models.BigIntegerField(_("net recurring revenue"))
    commission_minor = models.BigIntegerField(_("commission"))

    class Meta:
        ordering = ["statement", "customer__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "subscription"], name="one_line_per_statement_subscription"
            )
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.subscription_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableStatement("Commission statements never change.")
        super().save(*args, **kwargs)
