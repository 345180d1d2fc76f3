"""The shell's navigation, as the seeds name it; an entry shows once its page exists."""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    audience: tuple[str, ...]  # "partner", "vendor", or roles such as "pdm" and "reviewer"
    # "bar": the header's row of links; "account": the menu under the user's name, beside
    # "Settings" and "Sign out", so that the header stays one line on a laptop.
    place: str = "bar"


NAVIGATION = [
    NavEntry(_("Dashboard"), "dashboard:home", ("partner",)),
    NavEntry(_("Mutual Action Plan"), "goals:plan", ("partner",)),
    NavEntry(_("Deals"), "deals:list", ("partner",)),
    NavEntry(_("Co-sell referrals"), "referrals:list", ("partner",)),
    NavEntry(_("Tier"), "points:tier", ("partner",)),
    NavEntry(_("Customers"), "crm:customers", ("partner",)),
    NavEntry(_("Contacts"), "crm:contacts", ("partner",)),
    NavEntry(_("Settings"), "accounts:settings", ("partner",)),
    NavEntry(_("Channel dashboard"), "dashboard:channel", ("program_admin", "pdm")),
    NavEntry(_("Partners"), "crm:partners", ("vendor",)),
    NavEntry(_("Partner applications"), "crm:partner-applications", ("program_admin",)),
    NavEntry(_("Mutual Action Plans"), "goals:portfolio", ("program_admin", "pdm")),
    NavEntry(_("Deals"), "deals:vendor-list", ("vendor",)),
    NavEntry(_("Referrals"), "referrals:vendor-list", ("vendor",)),
    NavEntry(_("Registrations"), "deals:registrations", ("program_admin", "reviewer")),
    NavEntry(_("Customers"), "crm:customers", ("vendor",)),
    # A PDM reads the contacts of the partners assigned to them, the program admin everyone's.
    NavEntry(_("Contacts"), "crm:contacts", ("program_admin", "pdm")),
    NavEntry(_("Audit log"), "audit:log", ("program_admin",), place="account"),
    NavEntry(_("Program settings"), "admin:index", ("program_admin",)),
]


def audience_of(user: Any) -> set[str]:
    """The side of the program the user is on, and their role within it."""
    if not user.is_authenticated or user.organization is None:
        return set()
    return {"vendor" if user.is_vendor_staff else "partner", user.role}


def navigation_for(user: Any, current_path: str, place: str = "bar") -> list[dict[str, Any]]:
    """The entries of one place of the header the user sees, in the seeds' order."""
    audiences = audience_of(user)
    entries = []
    for entry in NAVIGATION:
        if entry.place != place or audiences.isdisjoint(entry.audience):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        active = current_path.startswith(url) if url != "/" else current_path == "/"
        entries.append({"label": entry.label, "url": url, "active": active})
    return entries
