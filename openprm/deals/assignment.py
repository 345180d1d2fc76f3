"""Who works a new shared deal (C2): ordered rules, round robin inside a rule, a fallback."""

from django.db.models import F

from openprm.accounts.models import Membership, Organization, User
from openprm.accounts.roles import Role
from openprm.crm.models import Customer, Product
from openprm.deals.models import AssignmentRule, DealProgram, PartnerLeadRecipient


def rule_matches(rule: AssignmentRule, *, customer: Customer, product_ids: set[int]) -> bool:
    if rule.country and rule.country != customer.country:
        return False
    return not (rule.product_id and rule.product_id not in product_ids)


def assign_rep(*, customer: Customer, products: list[Product]) -> User | None:
    """The first matching rule with an active rep wins; call inside the creating transaction.

    The rules are locked so two deals created at once take consecutive reps of the pool.
    """
    product_ids = {p.pk for p in products}
    for rule in AssignmentRule.objects.select_for_update().order_by("position", "id"):
        if not rule_matches(rule, customer=customer, product_ids=product_ids):
            continue
        reps = list(rule.reps.filter(is_active=True).order_by("id"))
        if not reps:
            continue
        AssignmentRule.objects.filter(pk=rule.pk).update(next_index=F("next_index") + 1)
        return reps[rule.next_index % len(reps)]
    return DealProgram.current().fallback_owner


def lead_recipients(organization: Organization) -> list[User]:
    """The partner's chosen lead notification recipients (C8), or its admins when none."""
    chosen = [
        row.user
        for row in PartnerLeadRecipient.objects.filter(
            organization=organization, user__is_active=True
        ).select_related("user")
    ]
    if chosen:
        return chosen
    admins = Membership.objects.filter(
        organization=organization, role=Role.PARTNER_ADMIN, user__is_active=True
    ).select_related("user")
    return [membership.user for membership in admins]
