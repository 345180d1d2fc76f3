"""The audit log's filters; the selector checks them, as it does the API's."""

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openprm.audit.selectors import AuditFilters
from openprm.core.dates import DateField
from openprm.core.forms import BootstrapForm


class DateInput(forms.DateInput):
    input_type = "date"


def start_of(day: datetime.date | None) -> datetime.datetime | None:
    """The start of a day in the user's timezone; None past the calendar's end."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class AuditFilterForm(BootstrapForm):
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    actor = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    start = DateField(label=_("From"), required=False, widget=DateInput(format="%Y-%m-%d"))
    end = DateField(label=_("To"), required=False, widget=DateInput(format="%Y-%m-%d"))

    def __init__(self, *args: Any, object_types: list[tuple[str, str]], actors: list[Any], **kw):
        super().__init__(*args, **kw)
        everything = [("", _("All"))]
        type_field: Any = self.fields["object_type"]
        type_field.choices = everything + object_types
        actor_field: Any = self.fields["actor"]
        actor_field.choices = everything + [(a.pk, a.full_name or a.email) for a in actors]

    def filters(self) -> AuditFilters:
        """The filters of a valid form; both ends of the date range are included."""
        data = self.cleaned_data
        end = data.get("end")
        after_end = end + datetime.timedelta(days=1) if end and end < datetime.date.max else None
        return AuditFilters(
            object_type=data.get("object_type") or "",
            object_id=(data.get("object_id") or "").strip(),
            actor=data.get("actor"),
            since=start_of(data.get("start")),
            until=start_of(after_end),
        )
