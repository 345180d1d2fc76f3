"""Pagination for every API list: ninja's limit/offset with a ceiling on the offset.

Ninja's own offset has no maximum, and an offset past what the database's integers hold is a
server error (SQLite: "datatype mismatch"); here it is a 422 naming `offset`.
"""

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination as NinjaLimitOffsetPagination
from ninja.pagination import paginate

# The largest integer every JSON client holds exactly, far below either database's limit.
MAX_OFFSET = 2**53 - 1


class LimitOffsetPagination(NinjaLimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


__all__ = ["MAX_OFFSET", "LimitOffsetPagination", "paginate"]
