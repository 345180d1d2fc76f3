"""Forms of the registration pages: the reviewer's decision, the partner's answer and
extension request; they parse input, the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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


class QueueFilterForm(BootstrapForm):
    """The registrations queue's filter: pending (waiting for a reviewer) unless chosen."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("pending", pgettext_lazy("registration status", "Pending")),
            ("more_info_requested", _("More information requested")),
            ("approved", _("Approved")),
            ("rejected", _("Rejected")),
            ("expired", _("Expired")),
            ("all", _("All")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("oldest", _("Submitted: oldest first")),
            ("newest", _("Submitted: newest first")),
        ],
    )

    def filters(self) -> tuple[str, str]:
        """(status, sort) of a valid form, "" for every status."""
        status = self.cleaned_data.get("status") or "pending"
        return ("" if status == "all" else status), self.cleaned_data.get("sort") or "oldest"


class AnswerForm(BootstrapForm):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(BootstrapForm):
    reason = forms.CharField(
        label=_("Why you need more time"), widget=forms.Textarea(attrs={"rows": 2})
    )
