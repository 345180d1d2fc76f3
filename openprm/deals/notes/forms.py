"""Forms of C6 on the deal page: a shared message with files, a private note, a comment."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from openprm.core.forms import BootstrapForm


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class SharedMessageForm(BootstrapForm):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
    attachments = MultipleFileField(
        label=_("Files and images"), required=False, widget=MultipleFileInput()
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = _(
            "PDF, PNG, JPEG, GIF, Word or Excel files up to %(limit)s each."
        ) % {"limit": filesizeformat(settings.OPENPRM_ATTACHMENT_MAX_BYTES)}


class NoteForm(BootstrapForm):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(BootstrapForm):
    body = forms.CharField(label=_("Comment"), max_length=2000)
