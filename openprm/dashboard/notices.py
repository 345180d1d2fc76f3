"""The notification kind the dashboard sends: a large export is ready to download."""

from django.utils.translation import gettext_lazy as _

from openprm.notifications.kinds import register_kind

EXPORT_READY = register_kind("export_ready", _("Exports ready to download"))
