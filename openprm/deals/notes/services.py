"""C6: shared messages with attachments and comments, and private notes.

A private note is written for its author's side only; nothing here ever notifies the other
side about one, and the selectors never return one to the other side.
"""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from openprm.accounts.models import User
from openprm.core.errors import NotFound, field_error
from openprm.core.events import record_event
from openprm.deals.assignment.selectors import lead_recipients
from openprm.deals.models import Deal, DealNote, NoteAttachment, NoteComment, Side, side_of
from openprm.deals.notes.uploads import checked_content_type
from openprm.deals.selectors import require_deal_worker
from openprm.deals.services import deal_link
from openprm.notifications.kinds import SHARED_NOTE
from openprm.notifications.services import notify


def other_side_recipients(deal: Deal, side: str) -> list[User]:
    if side == Side.PARTNER:
        return [deal.assigned_rep] if deal.assigned_rep and deal.assigned_rep.is_active else []
    return lead_recipients(deal.organization)


def require_worker(actor: User, deal: Deal) -> str:
    require_deal_worker(actor, deal)
    return side_of(actor)


@transaction.atomic
def note_create(
    *,
    deal: Deal,
    actor: User,
    body: str,
    shared: bool,
    files: list[UploadedFile[bytes]] | None = None,
) -> DealNote:
    """A shared message (with attachments) or a private note; "Notes" never leave their side."""
    side = require_worker(actor, deal)
    body = (body or "").strip()
    if not body:
        raise field_error("body", _("Write the note first."), "required")
    files = files or []
    if files and not shared:
        raise field_error("attachments", _("Attach files to shared messages."), "invalid")
    checked = [(upload, checked_content_type(upload)) for upload in files]
    note = DealNote.objects.create(deal=deal, side=side, shared=shared, author=actor, body=body)
    for upload, content_type in checked:
        NoteAttachment.objects.create(
            note=note,
            file=upload,
            name=(upload.name or "attachment")[:200],
            content_type=content_type,
            size=upload.size or 0,
        )
    record_event(
        kind="deal_note.created",
        obj=note,
        actor=actor,
        organization=deal.organization,
        data={"deal": deal.pk, "shared": shared, "side": side},
    )
    if shared:
        for user in other_side_recipients(deal, side):
            notify(
                recipient=user,
                kind=SHARED_NOTE,
                cause=f"deal-note:{note.pk}",
                title=_("New shared message on %(deal)s") % {"deal": deal.opportunity.name},
                link=deal_link(deal),
            )
    return note


def visible_shared_note(note: DealNote, actor: User) -> DealNote:
    """The other side's private notes do not exist for the actor."""
    if not note.shared and note.side != side_of(actor):
        raise NotFound()
    return note


@transaction.atomic
def attachments_add(
    *, note: DealNote, actor: User, files: list[UploadedFile[bytes]]
) -> list[NoteAttachment]:
    """More files on one's own side's shared message (the API uploads them one request each)."""
    require_worker(actor, note.deal)
    visible_shared_note(note, actor)
    if not note.shared or note.side != side_of(actor):
        raise field_error("note", _("Attach files to your side's shared messages."), "invalid")
    if not files:
        raise field_error("file", _("Choose a file."), "required")
    checked = [(upload, checked_content_type(upload, field="file")) for upload in files]
    added = [
        NoteAttachment.objects.create(
            note=note,
            file=upload,
            name=(upload.name or "attachment")[:200],
            content_type=content_type,
            size=upload.size or 0,
        )
        for upload, content_type in checked
    ]
    record_event(
        kind="deal_attachment.added",
        obj=note,
        actor=actor,
        organization=note.deal.organization,
        data={"deal": note.deal_id, "files": [a.name for a in added]},
    )
    return added


@transaction.atomic
def comment_create(*, note: DealNote, actor: User, body: str) -> NoteComment:
    """C6: comments on shared messages; the other side is told."""
    side = require_worker(actor, note.deal)
    visible_shared_note(note, actor)
    if not note.shared:
        raise field_error("note", _("Comments are for shared messages."), "invalid")
    body = (body or "").strip()
    if not body:
        raise field_error("body", _("Write the comment first."), "required")
    comment = NoteComment.objects.create(note=note, side=side, author=actor, body=body)
    record_event(
        kind="deal_note.commented",
        obj=comment,
        actor=actor,
        organization=note.deal.organization,
        data={"deal": note.deal_id, "note": note.pk},
    )
    for user in other_side_recipients(note.deal, side):
        notify(
            recipient=user,
            kind=SHARED_NOTE,
            cause=f"deal-comment:{comment.pk}",
            title=_("New comment on %(deal)s") % {"deal": note.deal.opportunity.name},
            link=deal_link(note.deal),
        )
    return comment


@transaction.atomic
def attachment_delete(*, attachment: NoteAttachment, actor: User) -> None:
    """Deleting from a shared message removes the file for both sides, file and all."""
    note = attachment.note
    require_worker(actor, note.deal)
    visible_shared_note(note, actor)
    record_event(
        kind="deal_attachment.deleted",
        obj=attachment,
        actor=actor,
        organization=note.deal.organization,
        data={"deal": note.deal_id, "note": note.pk, "name": attachment.name},
    )
    stored = attachment.file
    storage, name = stored.storage, stored.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
