"""The Mutual Action Plan pages: the set-up wizard, the plan with its progress, reviews, and
the PDM's portfolio. Views only call selectors and services (and map their errors on forms).
"""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from openprm.accounts.http import AuthenticatedRequest
from openprm.accounts.roles import Role
from openprm.core.errors import NotFound
from openprm.core.forms import add_errors
from openprm.goals.models import MONTHS, GoalPlan, QuarterlyReview
from openprm.goals.plans import calc, charts, progress, selectors, services
from openprm.goals.plans.forms import (
    CompanyGoalsForm,
    NewReviewForm,
    ReviewNotesForm,
    TargetGridForm,
)
from openprm.goals.tasks import selectors as task_selectors


def year_param(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return selectors.today().year
    return year if 2000 <= year <= 2100 else selectors.today().year


@login_required
def plan(request: AuthenticatedRequest) -> HttpResponse:
    """Partner > Mutual Action Plan: this year's plan, or the way to set it."""
    user: Any = request.user
    if not user.is_partner:
        return redirect("goals:portfolio")
    partner = user.organization
    year = year_param(request)
    current = selectors.plan_for_partner_year(user=user, organization=partner, year=year)
    if current is not None:
        return redirect("goals:detail", plan_id=current.pk)
    return render(
        request,
        "goals/start.html",
        {
            "partner": partner,
            "year": year,
            "can_edit": selectors.can_edit_plans_of(user=user, organization=partner),
            "plans": selectors.plans_for_user(user=user),
        },
    )


@login_required
def portfolio(request: AuthenticatedRequest) -> HttpResponse:
    """The PDM's partners with year-to-date attainment per metric and a behind-pace flag."""
    user: Any = request.user
    if user.role not in (Role.PDM, Role.PROGRAM_ADMIN):
        raise NotFound()
    year = year_param(request)
    rows = progress.portfolio(user=user, year=year)
    return render(request, "goals/portfolio.html", {"rows": rows, "year": year})


@login_required
@require_http_methods(["GET", "POST"])
def setup(request: AuthenticatedRequest, partner_id: int, year: int) -> HttpResponse:
    """Step 1 of "Set goals for this year": the company goals, then "Next"."""
    partner = selectors.partner_get(user=request.user, partner_id=partner_id)
    services.ensure_can_edit(user=request.user, organization=partner)
    if not 2000 <= year <= 2100:
        raise NotFound()
    existing = selectors.plan_for_partner_year(user=request.user, organization=partner, year=year)
    initial = {"currency": selectors.default_currency_code(organization=partner)}
    form = CompanyGoalsForm(
        request.POST or None, instance=existing, initial=initial, new=existing is None
    )
    if request.method == "POST" and form.is_valid():
        goals = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if existing is None:
                saved = services.goal_plan_create(
                    organization=partner,
                    year=year,
                    currency=form.cleaned_data["currency"].code,
                    goals=goals,
                    actor=request.user,
                )
            else:
                saved = services.goal_plan_update_goals(
                    plan=existing, goals=goals, actor=request.user
                )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if saved.targets_set_at is None:
                return redirect("goals:targets", plan_id=saved.pk)
            messages.success(request, _("Company goals saved."))
            return redirect("goals:detail", plan_id=saved.pk)
    return render(
        request,
        "goals/setup_goals.html",
        {"form": form, "partner": partner, "year": year, "plan": existing},
    )


def grid_form(request: HttpRequest, plan: GoalPlan, locked: set[int]) -> TargetGridForm:
    return TargetGridForm(
        request.POST or None,
        currency=plan.currency_id,
        values=selectors.plan_targets(plan=plan),
        previous=selectors.previous_year_actuals(plan=plan).values,
        locked_months=locked,
    )


def apply_growth_to(form: TargetGridForm, plan: GoalPlan, locked: set[int]) -> TargetGridForm:
    """The no-JavaScript "Apply growth percentage": the same numbers the API saves, unsaved."""
    try:
        grown = services.grown_targets(
            plan=plan, percent=form.cleaned_data["growth"] or 0, field="growth"
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return form
    unbound = TargetGridForm(
        currency=plan.currency_id,
        values=selectors.plan_targets(plan=plan),
        previous=form.previous,
        locked_months=locked,
        initial={"growth": form.cleaned_data["growth"]},
    )
    unbound.fill({key: value for key, value in grown.items() if key[1] not in locked})
    return unbound


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    """Step 2: monthly targets beside last year's actuals; "Save and exit"."""
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    services.ensure_can_edit(user=request.user, organization=plan.organization)
    if plan.targets_set_at is not None:
        return redirect("goals:detail", plan_id=plan.pk)
    form = grid_form(request, plan, set())
    if request.method == "POST":
        growth_only = "apply_growth" in request.POST
        form.full_clean()
        if growth_only and "growth" not in form.errors:
            form = apply_growth_to(form, plan, set())
        elif not growth_only and form.is_valid():
            try:
                services.goal_plan_set_targets(
                    plan=plan, targets=form.targets(), actor=request.user
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Your goals are saved and shared with your PDM."))
                return redirect("goals:detail", plan_id=plan.pk)
    return render(request, "goals/setup_targets.html", {"plan": plan, "form": form})


@login_required
def detail(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    """The plan: company goals, progress per metric, data highlights, pace, reviews."""
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    period = "quarter" if request.GET.get("period") == "quarter" else "month"
    result = progress.plan_progress(plan=plan, period=period)
    monthly = result if period == "month" else progress.plan_progress(plan=plan)
    others = list(selectors.other_plans(user=request.user, plan=plan))
    highlights = selectors.opportunity_highlights(
        organization=plan.organization, year=plan.year, currency=plan.currency_id
    )
    context = {
        "plan": plan,
        "progress": result,
        "period": period,
        "highlights": highlights,
        "chart": json.loads(charts.actual_vs_target(monthly)),
        "reviews": selectors.plan_reviews(plan=plan),
        "open_tasks": task_selectors.plan_open_tasks(plan=plan),
        "templates": task_selectors.task_templates(),
        "changes": selectors.target_changes(plan=plan),
        "can_edit": selectors.can_edit_plans_of(user=request.user, organization=plan.organization),
        "other_plans": others,
        "next_year": plan.year + 1,
        "offer_next_year": plan.year == selectors.today().year
        and not any(other.year == plan.year + 1 for other in others),
        # The progress tables carry thirteen money columns: the page takes the screen's width.
        "wide": True,
    }
    return render(request, "goals/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(user=request.user, plan_id=plan_id)
    services.ensure_can_edit(user=request.user, organization=plan.organization)
    taken = selectors.reviewed_quarters(plan=plan)
    now = selectors.today()
    suggested = calc.quarter_of(now.month) if plan.year == now.year else 1
    form = NewReviewForm(request.POST or None, initial={"quarter": suggested})
    if request.method == "POST" and form.is_valid():
        try:
            review = services.quarterly_review_create(
                plan=plan, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("goals:review", review_id=review.pk)
    return render(request, "goals/review_new.html", {"plan": plan, "form": form, "taken": taken})


def review_forms(
    request: HttpRequest, review: QuarterlyReview, locked: set[int]
) -> tuple[ReviewNotesForm, TargetGridForm]:
    notes = ReviewNotesForm(
        request.POST or None,
        initial={"strategy_notes": review.strategy_notes, "focus_notes": review.focus_notes},
    )
    return notes, grid_form(request, review.plan, locked)


def task_progress_texts(request: HttpRequest) -> dict[int, str]:
    """The review form's "progress of open tasks" boxes: task_progress_<task id>."""
    texts: dict[int, str] = {}
    for name in request.POST:
        value = request.POST.get(name, "")
        prefix, _sep, task_id = name.rpartition("_")
        if prefix == "task_progress" and task_id.isdigit():
            texts[int(task_id)] = value
    return texts


@login_required
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedRequest, review_id: int) -> HttpResponse:
    """A quarterly review: its snapshot, notes, and changes to the months still ahead."""
    found = selectors.review_get(user=request.user, review_id=review_id)
    plan = found.plan
    can_edit = selectors.can_edit_plans_of(user=request.user, organization=plan.organization)
    today = selectors.today()
    locked = {m for m in MONTHS if calc.month_has_ended(plan.year, m, today)}
    notes, grid = review_forms(request, found, locked)
    typed = task_progress_texts(request) if request.method == "POST" else {}
    if request.method == "POST":
        services.ensure_can_edit(user=request.user, organization=plan.organization)
        grid.full_clean()
        growth_only = "apply_growth" in request.POST
        if growth_only and "growth" not in grid.errors:
            grid = apply_growth_to(grid, plan, locked)
        elif not growth_only and notes.is_valid() and grid.is_valid():
            try:
                services.quarterly_review_save(
                    review=found,
                    actor=request.user,
                    task_progress=typed,
                    targets=grid.targets(),
                    **notes.cleaned_data,
                )
            except ValidationError as exc:
                add_errors(grid, exc)
            else:
                messages.success(request, _("Review saved."))
                return redirect("goals:review", review_id=found.pk)
    context = {
        "review": found,
        "plan": plan,
        "notes": notes,
        "form": grid,
        "can_edit": can_edit,
        "snapshot": found.snapshot,
        "changes": selectors.review_target_changes(review=found),
        # What was typed for each open task comes back when the review did not save.
        "open_tasks": [
            (task, typed.get(task.pk, "")) for task in task_selectors.plan_open_tasks(plan=plan)
        ],
        "task_updates": task_selectors.review_task_updates(review=found),
    }
    return render(request, "goals/review.html", context)
