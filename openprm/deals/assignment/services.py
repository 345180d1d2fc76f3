"""Who works a new shared deal (C2): ordered rules, round robin inside a rule, a fallback; and
who of a partner gets its lead notifications (C8)."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.errors import Forbidden, field_error
from openprm.core.events import record_event
from openprm.crm.models import Customer, Product
from openprm.deals.assignment.selectors import lead_recipient_candidates
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


@transaction.atomic
def lead_recipients_set(*, actor: User, users: list[User]) -> list[User]:
    """C8: Settings > Communication: the partner admin picks who gets lead notifications."""
    organization = actor.organization
    if not actor.is_partner_admin or organization is None:
        raise Forbidden(_("Only the partner admin chooses the lead notification recipients."))
    allowed = set(lead_recipient_candidates(organization).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in users):
        raise field_error("users", _("Choose active users of your organization."), "invalid")
    PartnerLeadRecipient.objects.filter(organization=organization).delete()
    PartnerLeadRecipient.objects.bulk_create(
        PartnerLeadRecipient(organization=organization, user=user) for user in users
    )
    record_event(
        kind="lead_recipients.set",
        obj=organization,
        actor=actor,
        organization=organization,
        data={"users": sorted(user.pk for user in users)},
    )
    return users
