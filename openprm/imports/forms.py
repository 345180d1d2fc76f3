from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.forms import BootstrapForm
from openprm.imports.kinds import Kind


class UploadForm(BootstrapForm):
    kind = forms.ChoiceField(label=_("What to import"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("A .csv file in UTF-8, or an .xlsx workbook (its first sheet)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, kinds: list[Kind], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(kind.value, kind.label) for kind in kinds]


class MappingForm(BootstrapForm):
    """One choice per field of the kind: which column of the file holds it."""

    def __init__(self, *args: Any, kind: Kind, headers: list[str], mapping: dict, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", _("(not in the file)")), *((header, header) for header in headers)]
        for column in kind.columns:
            self.fields[column.field] = forms.ChoiceField(
                label=str(column.label),
                choices=choices,
                required=False,
                initial=mapping.get(column.field, ""),
                help_text=_("Required") if column.required else "",
            )
        self.style_fields()

    def mapping(self) -> dict[str, str]:
        return {field: value for field, value in self.cleaned_data.items() if value}
