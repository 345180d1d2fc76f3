"""Writes of the vendor's default tasks, offered under "Create task" (SPEC B), for Program
settings and the API alike: the program admin adds, changes, deactivates and removes them;
each change recorded with the values before and after. A task made from a default keeps its
own title, type and due date whatever happens to the default."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.checks import FieldErrors, checked_choice, number_between, required_text
from openprm.core.program_settings import (
    require_program_admin,
    setting_create,
    setting_delete,
    setting_update,
)
from openprm.goals.models import TaskPriority, TaskTemplate, TaskType

FIELDS = ("title", "task_type", "priority", "notes", "due_in_days", "position", "active")
TITLE_LENGTH = 200
# A year: a default task is due within the plan year it is created in.
DUE_IN_DAYS_LIMIT = 365
# The position column's largest value.
POSITION_LIMIT = 32767


def checked_default_task(template: TaskTemplate) -> None:
    errors = FieldErrors()
    title = errors.check(required_text, "title", template.title)
    if title and len(title) > TITLE_LENGTH:
        errors.add("title", _("Use at most 200 characters."), "max_length")
    errors.check(checked_choice, "task_type", template.task_type, TaskType, required=True)
    errors.check(checked_choice, "priority", template.priority, TaskPriority, required=True)
    errors.check(number_between, "due_in_days", template.due_in_days, 0, DUE_IN_DAYS_LIMIT,
                 _("Enter a number of days from 0 to 365."))  # fmt: skip
    errors.check(number_between, "position", template.position, 0, POSITION_LIMIT,
                 _("Enter a position from 0 to 32767."))  # fmt: skip
    errors.raise_any()
    template.title = title
    template.notes = (template.notes or "").strip()


@transaction.atomic
def default_task_create(*, actor: User, **values: Any) -> TaskTemplate:
    require_program_admin(actor)
    return setting_create(
        actor=actor, obj=TaskTemplate(**values), fields=FIELDS, check=checked_default_task,
        kind="default_task.created",
    )  # fmt: skip


@transaction.atomic
def default_task_update(*, actor: User, template: TaskTemplate, **changes: Any) -> TaskTemplate:
    """`active` false takes it off "Create task"; the tasks made from it stay as they are."""
    require_program_admin(actor)
    return setting_update(
        actor=actor, obj=template, changes=changes, fields=FIELDS, check=checked_default_task,
        kind="default_task.updated",
    )  # fmt: skip


@transaction.atomic
def default_task_delete(*, actor: User, template: TaskTemplate) -> None:
    require_program_admin(actor)
    locked = TaskTemplate.objects.select_for_update().get(pk=template.pk)
    setting_delete(actor=actor, obj=locked, fields=FIELDS, kind="default_task.deleted")
