"""Settings > Webhooks' form; the services still decide what is valid (the URL's addresses)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from openprm.core.forms import BootstrapMixin
from openprm.webhooks.models import EventType


class WebhookForm(BootstrapMixin, forms.Form):
    url = forms.CharField(
        label=_("Payload URL"),
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
        help_text=_("Where OpenPRM posts the events, as JSON signed with the webhook's secret."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Events"),
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one event.")},
    )
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("Enabling a disabled webhook sends the deliveries that waited meanwhile."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]
            del self.fields["version"]
        self.style_fields()
