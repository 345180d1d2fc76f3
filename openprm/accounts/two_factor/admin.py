"""In the program settings (the Django admin) the program admin sees who has an authenticator
and removes one for a user who lost their phone and their recovery codes; that user then sets
it up again. No one sees or changes a key there: django-otp's own admin, which shows the QR
code of any user's key, is replaced."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from openprm.core.admin_site import ProgramAdminOnly

SHOWN = ("user", "name", "confirmed", "created_at", "last_used_at")


class DeviceAdmin(ProgramAdminOnly, admin.ModelAdmin):
    list_display = SHOWN
    fields = SHOWN
    readonly_fields = SHOWN
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user",)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def register() -> None:
    """Called once the admin has discovered django-otp's registrations, which it replaces."""
    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
        admin.site.register(model, DeviceAdmin)
