"""The vendor's default tasks as the program admin configures them, inactive ones included."""

from django.db.models import QuerySet

from openprm.accounts.models import User
from openprm.core.errors import NotFound
from openprm.core.program_settings import require_program_admin
from openprm.goals.models import TaskTemplate


def default_tasks_all(*, user: User) -> QuerySet[TaskTemplate]:
    require_program_admin(user)
    return TaskTemplate.objects.order_by("position", "title", "pk")


def default_task_get(*, user: User, template_id: int) -> TaskTemplate:
    template = default_tasks_all(user=user).filter(pk=template_id).first()
    if template is None:
        raise NotFound()
    return template
