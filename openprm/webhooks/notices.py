"""The notification kind webhooks send: a subscription was disabled after repeated failures."""

from django.utils.translation import gettext_lazy as _

from openprm.notifications.kinds import register_kind

WEBHOOK_DISABLED = register_kind("webhook_disabled", _("Webhooks disabled after failures"))
