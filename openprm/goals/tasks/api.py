"""/api/v1/tasks: a plan's action tasks and their progress updates (SPEC B6, B8).

Scoped like the pages: the partner's members, its PDM and the program admin see and work on
the tasks of the partner's plans; anything else is a 404. Times are ISO 8601 and answered in
UTC; a time without an offset is read in the user's timezone.
"""

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import (
    ERRORS,
    UPDATE_ERRORS,
    IsoDateTime,
    PatchSchema,
    StrictSchema,
    expected_version,
    with_etag,
)
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.goals.default_tasks.api import router as default_tasks_router
from openprm.goals.models import ActionTask
from openprm.goals.plans import selectors as plan_selectors
from openprm.goals.tasks import selectors, services

# Listed under goals too, as when this router was mounted inside the plans' one; each
# operation keeps the id published while the handlers lived in openprm/goals/task_api.py.
router = Router(tags=["goals", "tasks"])

TaskTypeName = Literal["call", "email", "todo"]
PriorityName = Literal["none", "low", "medium", "high"]
ReminderName = Literal["none", "at_due", "30m", "1h", "1d", "1w", "custom"]


class TaskOut(Schema):
    id: int
    plan_id: int
    partner_id: int = Field(alias="plan.organization_id")
    title: str
    done: bool
    completed_at: datetime | None
    task_type: TaskTypeName
    priority: PriorityName
    assignee_id: int
    due_at: datetime
    reminder: ReminderName
    remind_at: datetime | None
    reminder_sent_at: datetime | None
    notes: str
    template_id: int | None
    created_by_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class TaskCreateIn(StrictSchema):
    plan_id: int
    title: str = Field(min_length=1, max_length=200)
    done: bool = False
    task_type: TaskTypeName = "todo"
    priority: PriorityName = "none"
    assignee_id: int
    due_at: IsoDateTime
    reminder: ReminderName = "none"
    remind_at: IsoDateTime | None = Field(default=None, description="Only with reminder=custom.")
    notes: str = Field(default="", max_length=10000)
    template_id: int | None = None


class TaskUpdateIn(PatchSchema):
    clearable = frozenset({"remind_at"})

    title: str | None = Field(default=None, min_length=1, max_length=200)
    task_type: TaskTypeName | None = None
    priority: PriorityName | None = None
    assignee_id: int | None = None
    due_at: IsoDateTime | None = None
    reminder: ReminderName | None = None
    remind_at: IsoDateTime | None = None
    notes: str | None = Field(default=None, max_length=10000)


class ProgressUpdateOut(Schema):
    id: int
    task_id: int
    text: str
    review_id: int | None
    created_by_id: int | None
    created_at: datetime


class ProgressUpdateIn(StrictSchema):
    text: str = Field(min_length=1, max_length=5000)
    review_id: int | None = Field(default=None, description="The quarterly review it is part of.")


class TaskListFilters(Schema):
    plan_id: int | None = None
    status: Literal["open", "done", "all"] = "open"
    assignee_id: int | None = None
    due: Literal["overdue", "today", "week", "later"] | None = None


def task_body(request: MemberRequest, response: HttpResponse, task_id: int) -> ActionTask:
    return with_etag(response, selectors.task_get(user=request.user, task_id=task_id))


@router.get(
    "/tasks",
    response={200: list[TaskOut], **ERRORS},
    operation_id="openprm_goals_task_api_list_tasks",
)
@paginate(LimitOffsetPagination)
def list_tasks(request: MemberRequest, filters: Query[TaskListFilters]):
    return selectors.tasks_filtered(
        user=request.user,
        filters=selectors.TaskFilters(
            status=filters.status,
            assignee_id=filters.assignee_id,
            due=filters.due,
            plan_id=filters.plan_id,
        ),
    )


@router.post(
    "/tasks", response={201: TaskOut, **ERRORS}, operation_id="openprm_goals_task_api_create_task"
)
def create_task(request: MemberRequest, response: HttpResponse, payload: TaskCreateIn):
    plan = plan_selectors.plan_get(user=request.user, plan_id=payload.plan_id)
    task = services.action_task_create(
        plan=plan,
        actor=request.user,
        fields=payload.dict(exclude={"plan_id", "done", "template_id"}),
        template_id=payload.template_id,
        done=payload.done,
    )
    return Status(201, task_body(request, response, task.pk))


@router.get(
    "/tasks/{task_id}",
    response={200: TaskOut, **ERRORS},
    operation_id="openprm_goals_task_api_get_task",
)
def get_task(request: MemberRequest, response: HttpResponse, task_id: int):
    return task_body(request, response, task_id)


@router.patch(
    "/tasks/{task_id}",
    response={200: TaskOut, **UPDATE_ERRORS},
    operation_id="openprm_goals_task_api_update_task",
)
def update_task(
    request: MemberRequest, response: HttpResponse, task_id: int, payload: TaskUpdateIn
):
    task = selectors.task_get(user=request.user, task_id=task_id)
    services.action_task_update(
        task=task,
        actor=request.user,
        fields=payload.dict(exclude_unset=True),
        expected_version=expected_version(request),
    )
    return task_body(request, response, task.pk)


@router.delete(
    "/tasks/{task_id}",
    response={204: None, **UPDATE_ERRORS},
    operation_id="openprm_goals_task_api_delete_task",
)
def delete_task(request: MemberRequest, task_id: int):
    task = selectors.task_get(user=request.user, task_id=task_id)
    services.action_task_delete(
        task=task, actor=request.user, expected_version=expected_version(request)
    )
    return Status(204, None)


@router.post(
    "/tasks/{task_id}/complete",
    response={200: TaskOut, **UPDATE_ERRORS},
    operation_id="openprm_goals_task_api_complete_task",
)
def complete_task(request: MemberRequest, response: HttpResponse, task_id: int):
    task = selectors.task_get(user=request.user, task_id=task_id)
    services.action_task_set_done(
        task=task, actor=request.user, done=True, expected_version=expected_version(request)
    )
    return task_body(request, response, task.pk)


@router.post(
    "/tasks/{task_id}/reopen",
    response={200: TaskOut, **UPDATE_ERRORS},
    operation_id="openprm_goals_task_api_reopen_task",
)
def reopen_task(request: MemberRequest, response: HttpResponse, task_id: int):
    task = selectors.task_get(user=request.user, task_id=task_id)
    services.action_task_set_done(
        task=task, actor=request.user, done=False, expected_version=expected_version(request)
    )
    return task_body(request, response, task.pk)


@router.get(
    "/tasks/{task_id}/progress-updates",
    response={200: list[ProgressUpdateOut], **ERRORS},
    operation_id="openprm_goals_task_api_list_progress_updates",
)
@paginate(LimitOffsetPagination)
def list_progress_updates(request: MemberRequest, task_id: int):
    task = selectors.task_get(user=request.user, task_id=task_id)
    return selectors.task_updates(task=task)


@router.post(
    "/tasks/{task_id}/progress-updates",
    response={201: ProgressUpdateOut, **ERRORS},
    operation_id="openprm_goals_task_api_add_progress_update",
)
def add_progress_update(request: MemberRequest, task_id: int, payload: ProgressUpdateIn):
    task = selectors.task_get(user=request.user, task_id=task_id)
    update = services.task_progress_add(
        task=task, actor=request.user, text=payload.text, review_id=payload.review_id
    )
    return Status(201, update)


router.add_router("", default_tasks_router)
