"""Forms of the registration pages: the reviewer's decision, the partner's answer and
extension request; they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.forms import BootstrapForm


class DecisionForm(BootstrapForm):
    action = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("reject", _("Reject")),
            ("request_info", _("Ask for more information")),
            ("grant_extension", _("Grant extension")),
            ("refuse_extension", _("Refuse extension")),
        ]
    )
    reason = forms.CharField(
        label=_("Reason or question"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(BootstrapForm):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Why you need more time"), widget=forms.Textarea(attrs={"rows": 2})
    )
