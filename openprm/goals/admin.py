"""Program settings for goals: the vendor's default tasks offered under "Create task", saved
through the same services as /api/v1/settings/default-tasks."""

from typing import Any

from django.contrib import admin
from django.forms.models import construct_instance

from openprm.core.admin_site import ServiceAdmin, ServiceCheckedForm
from openprm.goals.default_tasks import services
from openprm.goals.models import TaskTemplate


class DefaultTaskForm(ServiceCheckedForm):
    def check_values(self) -> None:
        services.checked_default_task(construct_instance(self, self.instance))


@admin.register(TaskTemplate)
class TaskTemplateAdmin(ServiceAdmin):
    form = DefaultTaskForm
    service_fields = services.FIELDS
    list_display = ["title", "task_type", "priority", "due_in_days", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active", "task_type"]
    search_fields = ["title"]

    def service_create(self, actor: Any, values: dict[str, Any]) -> TaskTemplate:
        return services.default_task_create(actor=actor, **values)

    def service_update(self, actor: Any, obj: Any, values: dict[str, Any]) -> None:
        services.default_task_update(actor=actor, template=obj, **values)

    def service_delete(self, actor: Any, obj: Any) -> None:
        services.default_task_delete(actor=actor, template=obj)
