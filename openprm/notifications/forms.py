from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.notifications.kinds import NotificationKind


class PreferencesForm(forms.Form):
    """Two checkboxes per kind: by email, in the app."""

    def __init__(self, rows: list[tuple[NotificationKind, bool, bool]], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = [kind for kind, _email, _in_app in rows]
        for kind, email, in_app in rows:
            self.fields[f"{kind.code}__email"] = forms.BooleanField(
                label=_("%(kind)s by email") % {"kind": kind.label}, required=False, initial=email
            )
            self.fields[f"{kind.code}__in_app"] = forms.BooleanField(
                label=_("%(kind)s in the app") % {"kind": kind.label},
                required=False,
                initial=in_app,
            )

    def rows(self) -> list[tuple[NotificationKind, forms.BoundField, forms.BoundField]]:
        return [
            (kind, self[f"{kind.code}__email"], self[f"{kind.code}__in_app"]) for kind in self.kinds
        ]

    def choices(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {
            kind.code: (data[f"{kind.code}__email"], data[f"{kind.code}__in_app"])
            for kind in self.kinds
        }
