"""The Django admin is the program configuration screen: only the program admin reaches it."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def is_program_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and getattr(user, "is_program_admin", False))


class ProgramAdminSite(admin.AdminSite):
    site_header = _("OpenPRM program settings")
    site_title = _("Program settings")
    index_title = _("Program settings")

    def has_permission(self, request: HttpRequest) -> bool:
        return is_program_admin(request)


class ProgramAdminOnly:
    """Model admins grant everything to the program admin, whatever Django's model permissions."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_program_admin(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_program_admin(request)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return is_program_admin(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_program_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_program_admin(request)


class ProgramAdminConfig(AdminConfig):
    """Installed instead of django.contrib.admin, so `admin.site` is the program admin's site."""

    default_site = "openprm.core.admin_site.ProgramAdminSite"
