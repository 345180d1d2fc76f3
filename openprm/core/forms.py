"""What every page form shares: Bootstrap's classes on its widgets, so one template include
renders any field, and the services' errors shown on the fields they name."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from openprm.core.formatting import currency_label


def bootstrap_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple | forms.RadioSelect):
        return "form-check-input"
    return "form-select" if isinstance(widget, forms.Select) else "form-control"


class BootstrapMixin:
    """For Django's own forms (password change, reset) as much as for ours; a class a widget
    already has is kept."""

    fields: dict[str, forms.Field]

    def style_fields(self) -> None:
        for field in self.fields.values():
            if not isinstance(field.widget, forms.HiddenInput):
                field.widget.attrs.setdefault("class", bootstrap_class(field.widget))


class CurrencyChoiceField(forms.ModelChoiceField):
    """A currency select whose options read "JPY — Japanese Yen" in the reader's language; the
    submitted value stays the code."""

    def label_from_instance(self, obj: Any) -> str:
        return currency_label(obj.pk)


class BootstrapForm(BootstrapMixin, forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_fields()


def add_errors(
    form: forms.BaseForm, exc: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """A service's errors land on the field they name (or the one `aliases` maps its name to,
    where the form asks for `assignee` and the service checks `assignee_id`), the rest above
    the form."""
    for field, errors in exc.message_dict.items():
        name = (aliases or {}).get(field, field)
        form.add_error(name if name in form.fields else None, errors)
