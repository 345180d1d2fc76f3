"""The task form's presets (SPEC B6, seed 000 "Due date" and "Reminder"): every one the issue
lists, and the dates they stand for."""

import calendar
import datetime as dt

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from openprm.goals.tasks.forms import ActionTaskForm, add_months, preset_day
from openprm.goals.tasks.selectors import assignable_users

pytestmark = pytest.mark.django_db


def choices(form: ActionTaskForm, name: str) -> list[str]:
    return [str(option.choice_label) for option in form[name].subwidgets]


def test_the_form_offers_every_type_priority_due_date_and_reminder(northwind):
    form = ActionTaskForm(assignees=assignable_users(organization=northwind))
    assert choices(form, "task_type") == ["Call", "Email", "To-do"]
    assert choices(form, "priority") == ["None", "Low", "Medium", "High"]
    assert choices(form, "due_preset") == [
        "Today",
        "Tomorrow",
        "In 1 week",
        "In 2 weeks",
        "In 1 month",
        "In 3 months",
        "Custom date",
    ]
    assert choices(form, "reminder") == [
        "None",
        "At due time",
        "30 minutes before",
        "1 hour before",
        "1 day before",
        "1 week before",
        "Custom date and time",
    ]


def test_the_assignees_are_the_partners_users_and_its_pdm(northwind, alice, bob, pam, charlie):
    form = ActionTaskForm(assignees=assignable_users(organization=northwind))
    field = form.fields["assignee"]
    assert isinstance(field, forms.ModelChoiceField)
    assert field.queryset is not None
    offered = set(field.queryset)
    assert {alice, bob, pam} <= offered
    assert charlie not in offered


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        ("today", dt.date(2026, 1, 31)),
        ("tomorrow", dt.date(2026, 2, 1)),
        ("1w", dt.date(2026, 2, 7)),
        ("2w", dt.date(2026, 2, 14)),
        ("1m", dt.date(2026, 2, 28)),  # no 31 February: the month's last day
        ("3m", dt.date(2026, 4, 30)),
        ("custom", None),
    ],
)
def test_each_due_date_preset_names_its_day(preset, expected):
    assert preset_day(preset, dt.date(2026, 1, 31)) == expected


@given(day=st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)), months=st.integers(0, 24))
def test_adding_months_keeps_the_day_or_takes_the_months_last(day, months):
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(later.year, later.month)[1]
    assert later.day == min(day.day, last)
