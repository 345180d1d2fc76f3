"""The kinds of notification people choose to receive by email or in the app.

One catalogue, so the preferences page and the API name every kind the product sends. A feature
that needs a new kind adds one `register_kind` line here or calls it from its AppConfig.ready().
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str | Promise


KINDS: dict[str, NotificationKind] = {}


def register_kind(code: str, label: str | Promise) -> str:
    KINDS[code] = NotificationKind(code, label)
    return code


TASK_REMINDER = register_kind("task_reminder", _("Task reminders"))
DEAL_ASSIGNED = register_kind("deal_assigned", _("New shared deals and leads"))
SHARED_NOTE = register_kind("shared_note", _("Shared notes from the other side"))
REGISTRATION_DECISION = register_kind("registration_decision", _("Registration decisions"))
REFERRAL_RECEIVED = register_kind("referral_received", _("Referrals sent to you"))
REFERRAL_ANSWERED = register_kind("referral_answered", _("Declined and expired referrals"))
TIER_AND_POINTS = register_kind("tier_and_points", _("Tier changes and expiring points"))
