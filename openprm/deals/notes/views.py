"""C6 on the deal page: "Add shared message" (with files) on the Shared tab, "Create note" on
the Notes tab, comments, and the files' download and deletion."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openprm.accounts.http import AuthenticatedRequest
from openprm.core.files import stored_file_response
from openprm.deals import selectors as deal_selectors
from openprm.deals.notes import selectors, services
from openprm.deals.notes.forms import CommentForm, NoteForm, SharedMessageForm
from openprm.deals.pages import user_of
from openprm.deals.services import deal_link


@login_required
@require_POST
def note_add(request: AuthenticatedRequest, deal_id: int) -> HttpResponse:
    """ "Add shared message" (with files) on the Shared tab, "Create note" on the Notes tab."""
    user = user_of(request)
    deal = deal_selectors.deal_get_to_change(user=user, deal_id=deal_id)
    shared = request.POST.get("shared") == "1"
    form: Any = SharedMessageForm(request.POST, request.FILES) if shared else NoteForm(request.POST)
    tab = "shared" if shared else "notes"
    if form.is_valid():
        try:
            services.note_create(
                deal=deal,
                actor=user,
                body=form.cleaned_data["body"],
                shared=shared,
                files=form.cleaned_data.get("attachments") or [],
            )
        except ValidationError as exc:
            for errors in exc.message_dict.values():
                for error in errors:
                    messages.error(request, error)
        else:
            messages.success(request, _("Note saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{deal_link(deal)}?tab={tab}")


@login_required
@require_POST
def comment_add(request: AuthenticatedRequest, deal_id: int, note_id: int) -> HttpResponse:
    user = user_of(request)
    note = selectors.note_get_to_change(user=user, deal_id=deal_id, note_id=note_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(note=note, actor=user, body=form.cleaned_data["body"])
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    return redirect(f"{deal_link(note.deal)}?tab=shared")


@login_required
def attachment_download(request: AuthenticatedRequest, attachment_id: int) -> FileResponse:
    attachment = selectors.attachment_get(user=user_of(request), attachment_id=attachment_id)
    return stored_file_response(
        attachment.file, filename=attachment.name, content_type=attachment.content_type
    )


@login_required
@require_POST
def attachment_delete(request: AuthenticatedRequest, attachment_id: int) -> HttpResponse:
    user = user_of(request)
    attachment = selectors.attachment_get(user=user, attachment_id=attachment_id)
    deal = attachment.note.deal
    services.attachment_delete(attachment=attachment, actor=user)
    messages.success(request, _("Attachment deleted for both sides."))
    return redirect(f"{deal_link(deal)}?tab=shared")
