"""Who works a new shared deal (C2): ordered rules, round robin inside a rule, a fallback; the
program admin adds, changes and removes the rules (Program settings and the API alike, each
change recorded with the values before and after); and who of a partner gets its lead
notifications (C8)."""

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_countries import countries

from openprm.accounts.models import Membership, User
from openprm.accounts.roles import VENDOR_ROLES
from openprm.core.checks import FieldErrors, required_text
from openprm.core.errors import Forbidden, NotFound, field_error
from openprm.core.events import record_event
from openprm.core.program_settings import record_setting_change, require_program_admin
from openprm.crm.models import Customer, Product
from openprm.deals.assignment.selectors import lead_recipient_candidates, lead_recipients
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


def lead_recipients_choose(*, actor: User, user_ids: list[int]) -> list[User]:
    """C8 through the API: the recipients named by id, checked as the page's choice is; answers
    who gets the lead notifications now (the partner admins when nobody is chosen)."""
    if not actor.is_partner_admin or actor.organization is None:
        raise NotFound()
    candidates = lead_recipient_candidates(actor.organization)
    users = list(candidates.filter(pk__in=user_ids))
    if len(users) != len(set(user_ids)):
        raise field_error("users", _("Choose active users of your organization."), "invalid")
    lead_recipients_set(actor=actor, users=users)
    return lead_recipients(actor.organization)


RULE_FIELDS = ("name", "position", "country", "product_id", "rep_ids")
RULE_NAME_LENGTH = 120


def vendor_reps(rep_ids: list[int]) -> list[User]:
    vendor = Membership.objects.filter(role__in=VENDOR_ROLES).values("user")
    reps = list(User.objects.filter(pk__in=rep_ids, is_active=True).filter(pk__in=vendor))
    if len(reps) != len(set(rep_ids)):
        raise field_error("rep_ids", _("Choose active users of the vendor."), "invalid")
    return reps


def checked_values(rule: AssignmentRule, values: dict[str, Any]) -> dict[str, Any]:
    """The rule's values as they would be saved, every bad field named at once."""
    errors = FieldErrors()
    name = errors.check(required_text, "name", values["name"])
    if name and len(name) > RULE_NAME_LENGTH:
        errors.add("name", _("Use at most 120 characters."), "max_length")
    if name and AssignmentRule.objects.exclude(pk=rule.pk).filter(name__iexact=name).exists():
        errors.add("name", _("A rule with this name already exists."), "unique")
    country = (values["country"] or "").upper()
    if country and country not in countries:
        errors.add("country", _("Choose a country by its two-letter code."), "invalid_choice")
    position = values["position"]
    if position is None or position < 0:
        errors.add("position", _("Enter a position of 0 or more."), "invalid")
    product_id = values["product_id"]
    if product_id is not None and not Product.objects.filter(pk=product_id).exists():
        errors.add("product_id", _("Choose an existing product."), "invalid")
    reps = errors.check(vendor_reps, values["rep_ids"] or [])
    errors.raise_any()
    return {**values, "name": name, "country": country, "rep_ids": [r.pk for r in reps]}


def values_of(rule: AssignmentRule) -> dict[str, Any]:
    reps = sorted(rule.reps.values_list("pk", flat=True)) if rule.pk else []
    return {
        "name": rule.name,
        "position": rule.position,
        "country": str(rule.country or ""),
        "product_id": rule.product_id,
        "rep_ids": reps,
    }


def saved(rule: AssignmentRule, values: dict[str, Any]) -> AssignmentRule:
    for field in ("name", "position", "country", "product_id"):
        setattr(rule, field, values[field])
    rule.save()
    rule.reps.set(values["rep_ids"])
    return rule


@transaction.atomic
def assignment_rule_create(
    *,
    actor: User,
    name: str,
    position: int = 0,
    country: str = "",
    product_id: int | None = None,
    rep_ids: list[int] | None = None,
) -> AssignmentRule:
    require_program_admin(actor)
    values = {"name": name, "position": position, "country": country,
              "product_id": product_id, "rep_ids": rep_ids or []}  # fmt: skip
    rule = saved(AssignmentRule(), checked_values(AssignmentRule(), values))
    record_setting_change(
        kind="assignment_rule.created", obj=rule, actor=actor, before=None, after=values_of(rule)
    )
    return rule


@transaction.atomic
def assignment_rule_update(*, actor: User, rule: AssignmentRule, **changes: Any) -> AssignmentRule:
    """Changes some of the rule's fields; its place in the round robin is kept."""
    require_program_admin(actor)
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise field_error(sorted(unknown)[0], _("This field cannot be set."), "unknown_field")
    locked = AssignmentRule.objects.select_for_update().get(pk=rule.pk)
    before = values_of(locked)
    saved(locked, checked_values(locked, {**before, **changes}))
    after = values_of(locked)
    record_setting_change(
        kind="assignment_rule.updated", obj=locked, actor=actor, before=before, after=after
    )
    return locked


@transaction.atomic
def assignment_rule_delete(*, actor: User, rule: AssignmentRule) -> None:
    """New deals stop matching it; the deals it assigned keep their reps."""
    require_program_admin(actor)
    locked = AssignmentRule.objects.select_for_update().get(pk=rule.pk)
    record_setting_change(
        kind="assignment_rule.deleted",
        obj=locked,
        actor=actor,
        before=values_of(locked),
        after=None,
    )
    locked.delete()
