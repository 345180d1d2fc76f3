"""Program settings for goals: the vendor's default tasks offered under "Create task"."""

from django.contrib import admin

from openprm.core.admin_site import ProgramAdminOnly
from openprm.goals.models import TaskTemplate


@admin.register(TaskTemplate)
class TaskTemplateAdmin(ProgramAdminOnly, admin.ModelAdmin):
    list_display = ["title", "task_type", "priority", "due_in_days", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active", "task_type"]
    search_fields = ["title"]
