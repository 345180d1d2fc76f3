"""The Django admin is the program configuration screen: only the program admin reaches it."""

from collections.abc import Iterable
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
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
    a delete the service refuses is an error message naming the row and the reason, the other
    rows are still deleted and only they are counted as deleted."""

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

    def delete_through_services(
        self, request: HttpRequest, objects: Iterable[Any]
    ) -> tuple[list[Any], list[tuple[Any, str]]]:
        """Deletes each object through the service: the objects deleted, and those the service
        refused with its reason. Only the deleted ones go to the admin's history."""
        deleted: list[Any] = []
        refused: list[tuple[Any, str]] = []
        for obj in objects:
            try:
                self.service_delete(request.user, obj)
            except AppError as exc:
                refused.append((obj, str(exc.message)))
            else:
                deleted.append(obj)
        if deleted:
            from django.contrib.admin.models import DELETION, LogEntry  # needs the apps loaded

            LogEntry.objects.log_actions(
                user_id=request.user.pk or 0, queryset=deleted, action_flag=DELETION
            )
        for obj, reason in refused:
            self.message_user(request, refusal_message(obj, reason), level=messages.ERROR)
        return deleted, refused

    def log_deletions(self, request: HttpRequest, queryset: Any) -> list[Any]:
        """Logged by `delete_through_services`, once the service has deleted them."""
        return []

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _deleted, refused = self.delete_through_services(request, [obj])
        request.openprm_delete_refused = bool(refused)  # type: ignore[attr-defined]

    def response_delete(self, request: HttpRequest, obj_display: str, obj_id: Any) -> Any:
        """A refused delete goes back to the object with the reason, never "deleted"."""
        if getattr(request, "openprm_delete_refused", False):
            return HttpResponseRedirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                    args=[obj_id],
                    current_app=self.admin_site.name,
                )
            )
        return super().response_delete(request, obj_display, obj_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        self.delete_through_services(request, queryset)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        django_action = actions.get("delete_selected")
        if django_action is not None:
            name, description = django_action[1], django_action[2]
            actions[name] = (delete_selected_through_services, name, description)
        return actions


def refusal_message(obj: Any, reason: str) -> str:
    return _("“%(object)s” was not deleted: %(reason)s") % {"object": obj, "reason": reason}


def delete_selected_through_services(
    modeladmin: ServiceAdmin, request: HttpRequest, queryset: QuerySet
) -> Any:
    """Django's "Delete selected" with its confirmation page, but counting only what the
    services deleted: each refused object is named with the service's reason."""
    if not request.POST.get("post"):
        return delete_selected(modeladmin, request, queryset)
    deleted, _refused = modeladmin.delete_through_services(request, queryset)
    if deleted:
        count = len(deleted)
        modeladmin.message_user(
            request,
            _("Deleted %(count)d %(items)s.")
            % {"count": count, "items": model_ngettext(modeladmin.opts, count)},
            messages.SUCCESS,
        )
    return None


class ProgramAdminConfig(AdminConfig):
    """Installed instead of django.contrib.admin, so `admin.site` is the program admin's site."""

    default_site = "openprm.core.admin_site.ProgramAdminSite"
