"""Forms of the action task pages. Dates and times are entered in the user's timezone (the
active one) and handed to the services as aware datetimes, which store them in UTC."""

import calendar
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openprm.core.dates import DateField, out_of_range_message, showable
from openprm.core.forms import BootstrapForm
from openprm.goals.models import ActionTask, Reminder, TaskPriority, TaskTemplate, TaskType

DUE_PRESETS = [
    ("today", _("Today")),
    ("tomorrow", _("Tomorrow")),
    ("1w", _("In 1 week")),
    ("2w", _("In 2 weeks")),
    ("1m", _("In 1 month")),
    ("3m", _("In 3 months")),
    ("custom", _("Custom date")),
]
DEFAULT_DUE_TIME = time(9, 0)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def preset_day(preset: str, today: date) -> date | None:
    days = {"today": 0, "tomorrow": 1, "1w": 7, "2w": 14}
    if preset in days:
        return today + timedelta(days=days[preset])
    if preset in ("1m", "3m"):
        return add_months(today, 1 if preset == "1m" else 3)
    return None


def aware(day: date, moment: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment), timezone.get_current_timezone())


class ActionTaskForm(BootstrapForm):
    title = forms.CharField(label=_("Task title"), max_length=200)
    done = forms.BooleanField(label=_("Done"), required=False)
    task_type = forms.ChoiceField(label=_("Task type"), choices=TaskType.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=TaskPriority.choices)
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Assignee"), queryset=None, empty_label=None
    )
    due_preset = forms.ChoiceField(label=_("Due date"), choices=DUE_PRESETS, initial="1w")
    due_date = DateField(
        label=_("Custom due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_time = forms.TimeField(
        label=_("Due time"),
        initial=DEFAULT_DUE_TIME,
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    reminder = forms.ChoiceField(label=_("Reminder"), choices=Reminder.choices)
    remind_date = DateField(
        label=_("Reminder date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    remind_time = forms.TimeField(
        label=_("Reminder time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    notes = forms.CharField(
        label=_("Task notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, assignees: QuerySet, task: ActionTask | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        assignee_field = self.fields["assignee"]
        assert isinstance(assignee_field, forms.ModelChoiceField)
        assignee_field.queryset = assignees
        if task is not None:
            del self.fields["done"]
            due = timezone.localtime(task.due_at)
            self.initial.update(
                title=task.title,
                task_type=task.task_type,
                priority=task.priority,
                assignee=task.assignee_id,
                due_preset="custom",
                due_date=due.date(),
                due_time=due.time(),
                reminder=task.reminder,
                notes=task.notes,
            )
            if task.reminder == Reminder.CUSTOM and task.remind_at is not None:
                remind = timezone.localtime(task.remind_at)
                self.initial.update(remind_date=remind.date(), remind_time=remind.time())

    def use_template(self, template: TaskTemplate) -> None:
        self.initial.update(
            title=template.title,
            task_type=template.task_type,
            priority=template.priority,
            notes=template.notes,
            due_preset="custom",
            due_date=timezone.localdate() + timedelta(days=template.due_in_days),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        preset = data.get("due_preset")
        day = (
            data.get("due_date")
            if preset == "custom"
            else preset_day(preset or "", timezone.localdate())
        )
        if preset == "custom" and day is None:
            if "due_date" not in self.errors:
                self.add_error("due_date", _("Choose the due date."))
        elif day is not None and data.get("due_time") is not None:
            self.set_moment(data, "due_at", "due_date", aware(day, data["due_time"]))
        if data.get("reminder") == Reminder.CUSTOM:
            if data.get("remind_date") is None or data.get("remind_time") is None:
                if "remind_date" not in self.errors:
                    self.add_error("remind_date", _("Choose the date and time of the reminder."))
            else:
                moment = aware(data["remind_date"], data["remind_time"])
                self.set_moment(data, "remind_at", "remind_date", moment)
        return data

    def set_moment(self, data: dict[str, Any], name: str, field: str, moment: datetime) -> None:
        """Only a time every timezone can show (core.dates); otherwise an error on its date."""
        if showable(moment):
            data[name] = moment
        else:
            self.add_error(field, out_of_range_message())

    def task_fields(self) -> dict[str, Any]:
        """What the services take: only the fields this form sets."""
        data = self.cleaned_data
        fields = {
            name: data[name] for name in ("title", "task_type", "priority", "reminder", "notes")
        }
        fields["assignee_id"] = data["assignee"].pk
        fields["due_at"] = data["due_at"]
        fields["remind_at"] = data.get("remind_at")
        return fields


class ProgressUpdateForm(BootstrapForm):
    text = forms.CharField(
        label=_("Progress update"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class TaskFilterForm(BootstrapForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("open", _("Open")), ("done", _("Done")), ("all", _("All"))],
    )
    assignee: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Assignee"), queryset=None, required=False, empty_label=_("Anyone")
    )
    due = forms.ChoiceField(
        label=_("Due"),
        required=False,
        choices=[
            ("", _("Any time")),
            ("overdue", _("Overdue")),
            ("today", _("Today")),
            ("week", _("Next 7 days")),
            ("later", _("Later")),
        ],
    )

    def __init__(self, *args: Any, assignees: QuerySet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assignees
