"""Forms of the dashboard pages; the rules behind them live in the services and periods."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openprm.core.dates import DateField
from openprm.core.formatting import country_name
from openprm.core.forms import BootstrapForm
from openprm.crm.selectors import NO_TIER, PartnerFilters
from openprm.dashboard.channel import ChannelChoices
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


class ChannelFilterForm(BootstrapForm):
    """The channel dashboard's filter and sort; a choice it does not offer is a field error."""

    q = forms.CharField(label=_("Partner name"), required=False, max_length=200)
    tier = forms.ChoiceField(label=_("Credited tier"), required=False)
    market = forms.ChoiceField(label=_("Market"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args: Any, choices: ChannelChoices, **kwargs: Any):
        super().__init__(*args, **kwargs)
        every: list[tuple[str, Any]] = [("", _("All"))]
        self.choice_field("tier").choices = every + choices.tiers + [(NO_TIER, _("No tier"))]
        self.choice_field("market").choices = every + named_countries(choices.markets)
        self.choice_field("country").choices = every + named_countries(choices.countries)
        self.choice_field("sort").choices = channel_sorts()
        self.fields["q"].widget.input_type = "search"

    def choice_field(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def filters(self) -> tuple[PartnerFilters, str]:
        """(filters, sort) of a valid form."""
        data = self.cleaned_data
        filters = PartnerFilters(
            q=data.get("q") or "",
            tier=data.get("tier") or "",
            market=data.get("market") or "",
            country=data.get("country") or "",
        )
        return filters, data.get("sort") or "name"


def channel_sorts() -> list[tuple[str, Any]]:
    """Every column either way round; the column headers link to the same values."""
    by_name = [("name", _("Partner: A to Z")), ("-name", _("Partner: Z to A"))]
    columns = [
        ("credited", _("Credited tier")),
        ("performance", _("Tier performance")),
        ("points", _("Total points")),
        ("trend", _("Trend")),
        ("risk", _("At risk")),
    ]
    either_way = []
    for key, column in columns:
        either_way.append((f"-{key}", _("%(column)s: highest first") % {"column": column}))
        either_way.append((key, _("%(column)s: lowest first") % {"column": column}))
    return by_name + either_way


def named_countries(codes: list[str]) -> list[tuple[str, str]]:
    """Country codes as choices named in the reader's language, in that language's order."""
    return sorted(((code, country_name(code)) for code in codes), key=lambda c: c[1])
