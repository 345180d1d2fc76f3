"""/api/v1/settings/default-tasks: the vendor's default tasks offered under "Create task", as
Program settings adds, changes, deactivates and removes them; the program admin only, anyone
else gets a 403."""

from ninja import Field, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, PatchSchema, StrictSchema
from openprm.goals.default_tasks import selectors, services
from openprm.goals.models import TaskPriority, TaskType

router = Router(tags=["settings"])
DUE = services.DUE_IN_DAYS_LIMIT
POSITION = services.POSITION_LIMIT


class DefaultTaskIn(StrictSchema):
    title: str = Field(max_length=200)
    task_type: TaskType = TaskType.TODO
    priority: TaskPriority = TaskPriority.NONE
    notes: str = Field("", max_length=5000)
    due_in_days: int = Field(7, ge=0, le=DUE, description="Due this many days after creation.")
    position: int = Field(0, ge=0, le=POSITION, description="Offered in its order.")
    active: bool = True


class DefaultTaskPatchIn(PatchSchema):
    title: str | None = Field(None, max_length=200)
    task_type: TaskType | None = None
    priority: TaskPriority | None = None
    notes: str | None = Field(None, max_length=5000)
    due_in_days: int | None = Field(None, ge=0, le=DUE)
    position: int | None = Field(None, ge=0, le=POSITION)
    active: bool | None = Field(None, description="false takes it off Create task.")


class DefaultTaskOut(Schema):
    id: int
    title: str
    task_type: TaskType
    priority: TaskPriority
    notes: str
    due_in_days: int
    position: int
    active: bool


@router.get(
    "/settings/default-tasks",
    response={200: list[DefaultTaskOut], **ERRORS},
    summary="Every default task, inactive ones included",
)
def list_default_tasks(request: MemberRequest):
    return list(selectors.default_tasks_all(user=request.user))


@router.post("/settings/default-tasks", response={201: DefaultTaskOut, **ERRORS}, summary="Add one")
def create_default_task(request: MemberRequest, payload: DefaultTaskIn):
    return Status(201, services.default_task_create(actor=request.user, **payload.model_dump()))


@router.patch(
    "/settings/default-tasks/{int:template_id}",
    response={200: DefaultTaskOut, **ERRORS},
    summary="Change, deactivate or reactivate a default task",
)
def update_default_task(request: MemberRequest, template_id: int, payload: DefaultTaskPatchIn):
    template = selectors.default_task_get(user=request.user, template_id=template_id)
    changes = payload.model_dump(include=payload.model_fields_set)
    return services.default_task_update(actor=request.user, template=template, **changes)


@router.delete(
    "/settings/default-tasks/{int:template_id}",
    response={204: None, **ERRORS},
    summary="Remove a default task; the tasks made from it stay",
)
def delete_default_task(request: MemberRequest, template_id: int):
    template = selectors.default_task_get(user=request.user, template_id=template_id)
    services.default_task_delete(actor=request.user, template=template)
    return Status(204, None)
