"""A deal's team members, as the wizard's rows (D2 step 4) and as "Add team" (D5) take them."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.forms import BootstrapForm


class TeamMemberForm(BootstrapForm):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["data-team-field"] = name

    def member(self) -> dict[str, str] | None:
        """The row as the services take it, or None for a row left empty."""
        data = {k: (v or "").strip() for k, v in self.cleaned_data.items()}
        return data if any(data.values()) else None


TeamFormSet = forms.formset_factory(TeamMemberForm, extra=0, min_num=3, max_num=10)


class TeamAddForm(BootstrapForm):
    """One team member; optional where a team member may be left out (on "Accept")."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.EmailField(label=_("Email"))

    def __init__(self, *args: Any, optional: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = not optional

    def members(self) -> list[dict[str, str]]:
        """The member as the team services take it: none when the optional form is empty."""
        member = {k: (v or "").strip() for k, v in self.cleaned_data.items()}
        return [member] if any(member.values()) else []

    def service_fields(self) -> dict[str, str]:
        """team.0.phone, the services' name for the one member's phone, is this form's phone."""
        return {f"team.0.{name}": name for name in self.fields}


class TeamMemberEditForm(BootstrapForm):
    """D2 "editable later": one member's details, and whether they own the deal."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=40)
    email = forms.EmailField(label=_("Email"))
    owner = forms.BooleanField(
        label=_("Owner"),
        required=False,
        help_text=_("The owner stops being one when another member is made the owner."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, is_owner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if is_owner:
            # The owner is named on another member's page; here the box stays ticked.
            self.fields["owner"].disabled = True


class TeamMemberRemoveForm(BootstrapForm):
    """D2: removing a member; the owner's page asks who owns the deal next."""

    new_owner_id = forms.TypedChoiceField(label=_("New owner"), coerce=int, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, others: list[Any], is_owner: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if is_owner:
            field = self.fields["new_owner_id"]
            assert isinstance(field, forms.TypedChoiceField)
            field.choices = [("", "—")] + [(m.pk, m.full_name) for m in others]
        else:
            del self.fields["new_owner_id"]
