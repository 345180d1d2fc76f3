"""C6 reads: a deal's notes as the requester's side sees them (shared messages for both
sides, private notes for their own side only), and their files."""

from django.db.models import QuerySet

from openprm.accounts.models import User
from openprm.core.errors import NotFound
from openprm.deals.models import Deal, DealNote, NoteAttachment, side_of, visible_notes_filter
from openprm.deals.selectors import deal_get_to_change


def notes_for(*, deal: Deal, user: User, shared: bool) -> QuerySet[DealNote]:
    """The "Shared" tab (shared=True) or the "Notes" tab: the requester's side's private notes."""
    notes = deal.notes.filter(visible_notes_filter(side_of(user)))
    notes = notes.filter(shared=True) if shared else notes.filter(shared=False)
    return notes.select_related("author").prefetch_related("attachments", "comments__author")


def note_get_to_change(*, user: User, deal_id: int, note_id: int) -> DealNote:
    """A note its pages and the API are about to comment on or attach files to: its deal as
    deal_get_to_change finds it (404, or 403 for one who only reads it), then the note as the
    requester's side sees it (the other side's private notes are missing)."""
    deal = deal_get_to_change(user=user, deal_id=deal_id)
    note = deal.notes.filter(visible_notes_filter(side_of(user)), pk=note_id).first()
    if note is None:
        raise NotFound()
    return note


def shared_attachments(*, deal: Deal) -> QuerySet[NoteAttachment]:
    """C5: the files of the deal's shared messages (its quotes), the same for both sides."""
    return NoteAttachment.objects.filter(note__deal=deal, note__shared=True).order_by("id")


def attachment_get(*, user: User, attachment_id: int) -> NoteAttachment:
    attachment = (
        NoteAttachment.objects.select_related("note", "note__deal")
        .filter(pk=attachment_id, note__deal__in=Deal.objects.for_user(user))
        .first()
    )
    if attachment is None or not (attachment.note.shared or attachment.note.side == side_of(user)):
        raise NotFound()
    return attachment
