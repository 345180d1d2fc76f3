"""The Django admin is the program configuration screen: only the program admin reaches it."""

from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from openprm.core.errors import AppError


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

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_program_admin(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_program_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_program_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_program_admin(request)


class ServiceCheckedForm(forms.ModelForm):
    """A form whose values are checked by the checks of the service that saves them, so that a
    value the service refuses is the field's error on the page, not a 500 when it saves."""

    # The service's names of the fields the form names otherwise (`rep_ids` for `reps`).
    service_names: ClassVar[dict[str, str]] = {}

    def check_values(self) -> None:
        """The service's checks of `cleaned_data`; a subclass calls them."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.check_values()
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                field = self.service_names.get(name, name)
                self.add_error(field if field in self.fields else None, messages)
        return cleaned


class ServiceAdmin(ProgramAdminOnly, admin.ModelAdmin):
    """A setting the API changes too: the page writes through the same services, so both check
    and record a change alike. A subclass names the fields its services take and calls them;
    a delete the service refuses is an error message, the other rows are still deleted."""

    form: Any = ServiceCheckedForm
    service_fields: ClassVar[tuple[str, ...]] = ()

    def service_create(self, actor: Any, values: dict[str, Any]) -> Model:
        raise NotImplementedError

    def service_update(self, actor: Any, obj: Any, values: dict[str, Any]) -> None:
        raise NotImplementedError

    def service_delete(self, actor: Any, obj: Any) -> None:
        raise NotImplementedError

    def get_changelist_form(self, request: HttpRequest, **kwargs: Any) -> Any:
        return super().get_changelist_form(request, **{"form": self.form, **kwargs})

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        values = {
            name: form.cleaned_data[name]
            for name in self.service_fields
            if name in form.cleaned_data
        }
        if change:
            self.service_update(request.user, obj, values)
        else:
            obj.pk = self.service_create(request.user, values).pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """The services save the many-to-many fields with the row."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self.delete_queryset(request, type(obj).objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            try:
                self.service_delete(request.user, obj)
            except AppError as exc:
                self.message_user(request, f"{obj}: {exc.message}", level="error")


class ProgramAdminConfig(AdminConfig):
    """Installed instead of django.contrib.admin, so `admin.site` is the program admin's site."""

    default_site = "openprm.core.admin_site.ProgramAdminSite"
