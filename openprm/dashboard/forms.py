"""Forms of the dashboard pages; the rules behind them live in the services and periods."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openprm.core.dates import DateField
from openprm.dashboard.exports import clean_export_name
from openprm.dashboard.models import CustomerList, ExportFormat
from openprm.dashboard.periods import Period


class DateInput(forms.DateInput):
    input_type = "date"


class DateRangeForm(forms.Form):
    """A section's date range; both ends are included."""

    start = DateField(
        label=pgettext_lazy("date range", "From"), widget=DateInput(format="%Y-%m-%d")
    )
    end = DateField(label=pgettext_lazy("date range", "To"), widget=DateInput(format="%Y-%m-%d"))

    def __init__(self, *args: Any, default: Period, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.default = default
        self.fields["start"].initial = default.start
        self.fields["end"].initial = default.end
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end"):
            try:
                data["period"] = Period(data["start"], data["end"])
            except ValidationError as error:
                self.add_error(None, error)
        return data

    def period(self) -> Period | None:
        """The chosen range, the default when none was chosen, None when it is invalid."""
        if not self.is_bound:
            return self.default
        return self.cleaned_data.get("period") if self.is_valid() else None


class TargetTierForm(forms.Form):
    tier = forms.ChoiceField(label=_("Target tier"), required=False)

    def __init__(self, *args: Any, tiers: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["tier"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = tiers
        field.widget.attrs["class"] = "form-select form-select-sm"


class UseInListForm(forms.Form):
    NEW, EXISTING = "new", "existing"
    mode = forms.ChoiceField(
        label=_("Use in list"),
        choices=[(NEW, _("Create a new list")), (EXISTING, _("Add to an existing static list"))],
        widget=forms.RadioSelect,
        initial=NEW,
    )
    name = forms.CharField(label=_("List name"), max_length=120, required=False)
    existing = forms.ModelChoiceField(
        label=_("Static list"), queryset=CustomerList.objects.none(), required=False
    )

    def __init__(self, *args: Any, lists: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        existing = self.fields["existing"]
        assert isinstance(existing, forms.ModelChoiceField)
        existing.queryset = lists
        self.fields["name"].widget.attrs["class"] = "form-control"
        existing.widget.attrs["class"] = "form-select"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == self.NEW and not (data.get("name") or "").strip():
            self.add_error("name", _("Name the new list."))
        if data.get("mode") == self.EXISTING and not data.get("existing"):
            self.add_error("existing", _("Choose a static list."))
        return data


class ExportForm(forms.Form):
    name = forms.CharField(label=_("Export name"), max_length=100)
    file_format = forms.ChoiceField(
        label=_("File format"),
        choices=ExportFormat.choices,
        widget=forms.RadioSelect,
        initial=ExportFormat.CSV,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["class"] = "form-control"

    def clean_name(self) -> str:
        try:
            return clean_export_name(self.cleaned_data["name"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["name"]) from None


class SaveReportForm(forms.Form):
    name = forms.CharField(label=_("Report name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["class"] = "form-control"
        self.fields["description"].widget.attrs.update({"class": "form-control", "rows": 3})
