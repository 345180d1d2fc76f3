"""The program admin's writes to partner organizations: create, edit, deactivate, locations.

A partner's home currency and market are the program's own (crm's currencies and markets); its
locations carry the vendor's location ids, unique in the program. Deactivating keeps every
record and only stops its members from signing in (openprm.accounts.backends)."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries import countries

from openprm.accounts.models import Location, Membership, Organization, User
from openprm.accounts.roles import OrganizationKind, Role
from openprm.core.checks import FieldErrors, required_text
from openprm.core.errors import Forbidden, field_error
from openprm.core.events import record_event
from openprm.core.search import fold
from openprm.crm.models import Currency, Market
from openprm.crm.selectors import partner_get


@dataclass(frozen=True)
class LocationInput:
    name: str
    country: str
    city: str = ""
    code: str = ""


@dataclass(frozen=True)
class PartnerInput:
    name: str
    country: str
    market: str = ""
    currency: str = ""
    pdm_id: int | None = None
    website: str = ""


def ensure_program_admin(actor: User) -> None:
    if not (actor.is_active and actor.is_program_admin):
        raise Forbidden(_("Only the program admin manages partner organizations."))


def checked_country(field: str, code: str, *, required: bool = True) -> str:
    code = (code or "").strip().upper()
    if not code and not required:
        return ""
    if code not in dict(countries):
        raise field_error(field, _("Choose a country."), "invalid_choice")
    return code


def checked_market(code: str) -> str:
    code = checked_country("market_country", code, required=False)
    if code and not Market.objects.filter(country=code).exists():
        raise field_error(
            "market_country", _("Choose one of the program's markets."), "invalid_choice"
        )
    return code


def checked_currency(code: str) -> str:
    code = (code or "").strip().upper()
    if not Currency.objects.filter(code=code).exists():
        raise field_error(
            "currency", _("Choose one of the program's currencies."), "invalid_choice"
        )
    return code


def checked_pdm(pdm_id: int | None) -> User | None:
    if pdm_id is None:
        return None
    membership = (
        Membership.objects.select_related("user")
        .filter(user_id=pdm_id, role=Role.PDM, user__is_active=True)
        .first()
    )
    if membership is None:
        raise field_error(
            "pdm_id", _("Choose an active partner development manager."), "invalid_choice"
        )
    return membership.user


def checked_name(name: str, *, exclude: Organization | None = None) -> str:
    name = required_text("name", name)
    same = Organization.objects.filter(search_name=fold(name))
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise field_error("name", _("An organization with this name already exists."), "unique")
    return name


def checked_location_codes(locations: list[LocationInput]) -> None:
    codes = [item.code.strip() for item in locations if item.code.strip()]
    taken = set(Location.objects.filter(code__in=codes).values_list("code", flat=True))
    repeated = {code for code in codes if codes.count(code) > 1}
    clash = sorted(taken | repeated)
    if clash:
        raise field_error(
            "locations",
            _("Location ID %(ids)s is already used in the program.") % {"ids": ", ".join(clash)},
            "unique",
        )


def checked_partner(data: PartnerInput, *, exclude: Organization | None = None) -> dict[str, Any]:
    errors = FieldErrors()
    values = {
        "name": errors.check(checked_name, data.name, exclude=exclude),
        "country": errors.check(checked_country, "country", data.country),
        "market": errors.check(checked_market, data.market),
        "currency": errors.check(checked_currency, data.currency),
        "pdm": errors.check(checked_pdm, data.pdm_id),
        "website": data.website.strip(),
    }
    errors.raise_any()
    return values


def unique_slug(name: str) -> str:
    base = slugify(name)[:40] or "partner"
    slug, number = base, 1
    while Organization.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def location_save(*, partner: Organization, item: LocationInput) -> Location:
    errors = FieldErrors()
    name = errors.check(required_text, "location_name", item.name)
    country = errors.check(checked_country, "location_country", item.country)
    errors.raise_any()
    if partner.locations.filter(name=name).exists():
        raise field_error(
            "location_name", _("This partner already has a location with this name."), "unique"
        )
    checked_location_codes([item])
    location = Location(
        organization=partner, name=name, country=country, city=item.city.strip(),
        code=item.code.strip(),
    )  # fmt: skip
    location.full_clean()
    location.save()
    return location


@transaction.atomic
def partner_create(
    *, actor: User, data: PartnerInput, locations: list[LocationInput], tier: str = ""
) -> Organization:
    """A new partner organization with its locations; its administrator is invited next."""
    ensure_program_admin(actor)
    values = checked_partner(data)
    checked_location_codes(locations)
    partner = Organization(
        kind=OrganizationKind.PARTNER, slug=unique_slug(values["name"]), tier=tier, **values
    )
    partner.full_clean()
    partner.save()
    for item in locations:
        location_save(partner=partner, item=item)
    record_event(
        kind="partner.created",
        obj=partner,
        actor=actor,
        organization=partner,
        data={"name": partner.name, "tier": tier, "locations": len(locations)},
    )
    return partner


def locked_partner(*, actor: User, partner_id: int) -> Organization:
    partner_get(user=actor, partner_id=partner_id)  # 404 for a partner the actor cannot see
    ensure_program_admin(actor)
    return Organization.objects.select_for_update().get(pk=partner_id)


@transaction.atomic
def partner_update(
    *, actor: User, partner_id: int, data: PartnerInput, expected_version: int | None = None
) -> Organization:
    partner = locked_partner(actor=actor, partner_id=partner_id)
    partner.check_version(expected_version)
    values = checked_partner(data, exclude=partner)
    before = {field: str(getattr(partner, field) or "") for field in values}
    after = {field: str(value or "") for field, value in values.items()}
    if before != after:
        for field, value in values.items():
            setattr(partner, field, value)
        partner.bump_version()
        partner.full_clean()
        partner.save()
        record_event(
            kind="partner.updated",
            obj=partner,
            actor=actor,
            organization=partner,
            data={"before": before, "after": after},
        )
    return partner


@transaction.atomic
def partner_set_active(*, actor: User, partner_id: int, active: bool) -> Organization:
    """Deactivated, a partner's members cannot sign in and its tokens stop; nothing is deleted,
    and reactivating gives every still-active member their access back."""
    partner = locked_partner(actor=actor, partner_id=partner_id)
    if partner.is_active != active:
        partner.is_active = active
        partner.bump_version()
        partner.save(update_fields=["is_active", "version", "updated_at"])
        record_event(
            kind="partner.reactivated" if active else "partner.deactivated",
            obj=partner,
            actor=actor,
            organization=partner,
        )
    return partner


@transaction.atomic
def location_add(*, actor: User, partner_id: int, item: LocationInput) -> Location:
    partner = locked_partner(actor=actor, partner_id=partner_id)
    location = location_save(partner=partner, item=item)
    record_event(
        kind="partner.location_added",
        obj=partner,
        actor=actor,
        organization=partner,
        data={"name": location.name, "country": str(location.country), "code": location.code},
    )
    return location
