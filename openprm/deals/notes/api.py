"""/api/v1/deals/{deal_id}/notes and /api/v1/deals/attachments: shared messages with their
files and comments, and private notes (C6). Each operation keeps the operationId it was
published under when deals/api.py held it.
"""

import datetime

from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import DOWNLOAD_ERRORS, ERRORS, STRICT_UPLOAD, StrictSchema, only_parts
from openprm.core.files import stored_file_response
from openprm.core.pagination import LimitOffsetPagination, paginate
from openprm.deals import selectors as deal_selectors
from openprm.deals.models import Side
from openprm.deals.notes import selectors, services
from openprm.deals.notes.uploads import CONTENT_TYPES
from openprm.deals.schemas import AttachmentOut, UserRef

router = Router()


class CommentOut(Schema):
    id: int
    side: Side
    author: UserRef | None
    body: str
    created_at: datetime.datetime


class NoteOut(Schema):
    id: int
    shared: bool
    side: Side
    author: UserRef | None
    body: str
    attachments: list[AttachmentOut]
    comments: list[CommentOut]
    created_at: datetime.datetime

    @staticmethod
    def resolve_attachments(obj) -> list:
        return list(obj.attachments.all())

    @staticmethod
    def resolve_comments(obj) -> list:
        return list(obj.comments.all())


class NoteFilters(Schema):
    shared: bool = Field(True, description="true: the Shared tab; false: your side's notes.")


class NoteIn(StrictSchema):
    body: str = Field(min_length=1, max_length=10000)
    shared: bool = Field(description="true: a shared message; false: a private note.")


class CommentIn(StrictSchema):
    body: str = Field(min_length=1, max_length=2000)


@router.get(
    "/deals/{int:deal_id}/notes",
    response={200: list[NoteOut], **ERRORS},
    operation_id="openprm_deals_api_list_notes",
)
@paginate(LimitOffsetPagination)
def list_notes(request: MemberRequest, deal_id: int, filters: Query[NoteFilters]):
    deal = deal_selectors.deal_get(user=request.user, deal_id=deal_id)
    return selectors.notes_for(deal=deal, user=request.user, shared=filters.shared)


@router.post(
    "/deals/{int:deal_id}/notes",
    response={201: NoteOut, **ERRORS},
    operation_id="openprm_deals_api_create_note",
)
def create_note(request: MemberRequest, deal_id: int, payload: NoteIn):
    deal = deal_selectors.deal_get_to_change(user=request.user, deal_id=deal_id)
    note = services.note_create(
        deal=deal, actor=request.user, body=payload.body, shared=payload.shared
    )
    return 201, note


@router.post(
    "/deals/{int:deal_id}/notes/{int:note_id}/attachments",
    response={201: list[AttachmentOut], **ERRORS},
    openapi_extra=STRICT_UPLOAD,
    operation_id="openprm_deals_api_upload_attachment",
)
def upload_attachment(request: MemberRequest, deal_id: int, note_id: int, file: File[UploadedFile]):
    note = selectors.note_get_to_change(user=request.user, deal_id=deal_id, note_id=note_id)
    only_parts(request, "file")
    return 201, services.attachments_add(note=note, actor=request.user, files=[file])


@router.post(
    "/deals/{int:deal_id}/notes/{int:note_id}/comments",
    response={201: CommentOut, **ERRORS},
    operation_id="openprm_deals_api_create_comment",
)
def create_comment(request: MemberRequest, deal_id: int, note_id: int, payload: CommentIn):
    note = selectors.note_get_to_change(user=request.user, deal_id=deal_id, note_id=note_id)
    return 201, services.comment_create(note=note, actor=request.user, body=payload.body)


BINARY = {
    "responses": {
        200: {
            "description": "The file, with the content type it was checked to have.",
            "content": {
                content_type: {"schema": {"type": "string", "format": "binary"}}
                for content_type in CONTENT_TYPES
            },
        }
    }
}


@router.get(
    "/deals/attachments/{int:attachment_id}",
    response={200: None, **DOWNLOAD_ERRORS},
    openapi_extra=BINARY,
    operation_id="openprm_deals_api_download_attachment",
)
def download_attachment(request: MemberRequest, attachment_id: int):
    """The file of a shared message (or of one's own side's note), as both sides see it; 410
    when storage no longer holds it."""
    attachment = selectors.attachment_get(user=request.user, attachment_id=attachment_id)
    return stored_file_response(
        attachment.file, filename=attachment.name, content_type=attachment.content_type
    )


@router.delete(
    "/deals/attachments/{int:attachment_id}",
    response={204: None, **ERRORS},
    operation_id="openprm_deals_api_delete_attachment",
)
def delete_attachment(request: MemberRequest, attachment_id: int):
    attachment = selectors.attachment_get(user=request.user, attachment_id=attachment_id)
    services.attachment_delete(attachment=attachment, actor=request.user)
    return 204, None
