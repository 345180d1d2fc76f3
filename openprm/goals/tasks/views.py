"""The action task pages of a plan's "Go to market" section (SPEC B6). Whoever sees the plan
(the partner's members, its PDM, the program admin) sees and works on its tasks."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from openprm.accounts.http import AuthenticatedRequest
from openprm.core.forms import add_errors
from openprm.goals.plans import selectors as plan_selectors
from openprm.goals.tasks import selectors, services
from openprm.goals.tasks.forms import ActionTaskForm, ProgressUpdateForm, TaskFilterForm

# The task form's field for what the services name assignee_id.
SERVICE_FIELDS = {"assignee_id": "assignee"}


@login_required
def tasks(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    """The plan's tasks with filters: open or done, assignee, due."""
    plan = plan_selectors.plan_get(user=request.user, plan_id=plan_id)
    assignees = selectors.assignable_users(organization=plan.organization)
    form = TaskFilterForm(request.GET or None, assignees=assignees)
    filters = selectors.TaskFilters(plan_id=plan.pk)
    if form.is_valid():
        data = form.cleaned_data
        filters.status = data["status"] or "open"
        filters.assignee_id = data["assignee"].pk if data["assignee"] else None
        filters.due = data["due"] or None
    found = selectors.tasks_filtered(user=request.user, filters=filters)
    return render(
        request,
        "goals/tasks.html",
        {
            "plan": plan,
            "form": form,
            "tasks": found,
            "templates": selectors.task_templates(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def task_new(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    """ "Create open task", or one of the vendor's default tasks (?template=<id>)."""
    plan = plan_selectors.plan_get(user=request.user, plan_id=plan_id)
    template = None
    template_id = request.GET.get("template") or request.POST.get("template")
    if template_id:
        template = selectors.task_template_get(template_id=template_id)
    form = ActionTaskForm(
        request.POST or None,
        assignees=selectors.assignable_users(organization=plan.organization),
        initial={
            "assignee": request.user.pk,
            "task_type": "todo",
            "reminder": "none",
            "priority": "none",
        },
    )
    if template is not None and request.method == "GET":
        form.use_template(template)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.action_task_create(
                plan=plan,
                actor=request.user,
                fields=form.task_fields(),
                template_id=template.pk if template else None,
                done=form.cleaned_data["done"],
            )
        except ValidationError as exc:
            add_errors(form, exc, SERVICE_FIELDS)
        else:
            messages.success(request, _("Task created."))
            return redirect("goals:task", task_id=task.pk)
    return render(
        request, "goals/task_form.html", {"plan": plan, "form": form, "template": template}
    )


@login_required
@require_http_methods(["GET", "POST"])
def task(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    """A task: edit it, complete or reopen it, and add progress updates over time."""
    found = selectors.task_get(user=request.user, task_id=task_id)
    assignees = selectors.assignable_users(organization=found.plan.organization)
    editing = request.method == "POST" and "save" in request.POST
    adding = request.method == "POST" and "add_update" in request.POST
    form = ActionTaskForm(request.POST if editing else None, assignees=assignees, task=found)
    update_form = ProgressUpdateForm(request.POST if adding else None)
    if editing and form.is_valid():
        try:
            services.action_task_update(task=found, actor=request.user, fields=form.task_fields())
        except ValidationError as exc:
            add_errors(form, exc, SERVICE_FIELDS)
        else:
            messages.success(request, _("Task saved."))
            return redirect("goals:task", task_id=found.pk)
    if adding and update_form.is_valid():
        try:
            services.task_progress_add(
                task=found, actor=request.user, text=update_form.cleaned_data["text"]
            )
        except ValidationError as exc:
            add_errors(update_form, exc)
        else:
            messages.success(request, _("Progress update added."))
            return redirect("goals:task", task_id=found.pk)
    context: dict[str, Any] = {
        "task": found,
        "plan": found.plan,
        "form": form,
        "update_form": update_form,
        "updates": selectors.task_updates(task=found),
    }
    return render(request, "goals/task_detail.html", context)


def set_done(request: AuthenticatedRequest, task_id: int, done: bool) -> HttpResponse:
    found = selectors.task_get(user=request.user, task_id=task_id)
    services.action_task_set_done(task=found, actor=request.user, done=done)
    messages.success(request, _("Task completed.") if done else _("Task reopened."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("goals:task", task_id=found.pk)


@login_required
@require_POST
def task_complete(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    return set_done(request, task_id, True)


@login_required
@require_POST
def task_reopen(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    return set_done(request, task_id, False)


@login_required
@require_POST
def task_delete(request: AuthenticatedRequest, task_id: int) -> HttpResponse:
    found = selectors.task_get(user=request.user, task_id=task_id)
    plan_id = found.plan_id
    services.action_task_delete(task=found, actor=request.user)
    messages.success(request, _("Task deleted."))
    return redirect("goals:tasks", plan_id=plan_id)
