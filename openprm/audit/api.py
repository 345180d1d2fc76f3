"""/api/v1/audit: the audit log (A4), newest first, filtered by object type, object id, actor
and date range. The program admin reads every entry, a partner admin its organization's; anyone
else gets a 404. The same selector as Settings > Audit log."""

import datetime
from typing import Any

from ninja import Field, Query, Router, Schema

from openprm.accounts.api_auth import MemberRequest
from openprm.audit import selectors
from openprm.audit.entries import EntryPages
from openprm.core.api import ERRORS, IsoDateTime
from openprm.core.pagination import LimitOffsetPagination, paginate

router = Router(tags=["audit"])


class AuditQuery(Schema):
    object_type: str = Field(
        "", max_length=80, description="An object type as entries name it, such as deals.deal."
    )
    object_id: str = Field("", max_length=64, description="With object_type: one object.")
    actor: int | None = Field(None, ge=1, description="The id of the user who made the change.")
    since: IsoDateTime | None = Field(None, description="Entries at or after this time.")
    until: IsoDateTime | None = Field(None, description="Entries before this time.")


class ChangeOut(Schema):
    field: str = Field(description="The field changed; empty for a move such as a stage's.")
    before: Any
    after: Any


class AuditEntryOut(Schema):
    id: int
    created_at: datetime.datetime
    actor_id: int | None = Field(description="Empty for the system's own work.")
    actor_name: str
    organization_id: int | None = Field(description="The partner the object belongs to.")
    action: str = Field(description="What happened, such as deal.stage_changed.")
    object_type: str
    object_id: str
    link: str | None = Field(description="The object's page, when it has one.")
    fields: list[str] = Field(description="The fields an update changed, when it names them.")
    changes: list[ChangeOut] = Field(description="Values before and after, when recorded.")
    details: dict[str, Any]


@router.get(
    "/audit",
    response={200: list[AuditEntryOut], **ERRORS},
    summary="The audit log, newest first",
)
@paginate(LimitOffsetPagination)
def list_audit_entries(request: MemberRequest, filters: Query[AuditQuery]):
    wanted = selectors.AuditFilters(**filters.dict())
    return EntryPages(selectors.audit_entries(user=request.user, filters=wanted))
