"""/api/v1/auth/tokens and /api/v1/me."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from openprm.accounts import selectors, services
from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, StrictSchema

router = Router(tags=["accounts"])


class TokenCreateIn(StrictSchema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=4096)
    name: str = Field(default="API token", min_length=1, max_length=100)


class TokenOut(Schema):
    id: int
    name: str
    key_prefix: str
    created_at: datetime
    last_used_at: datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class OrganizationRef(Schema):
    id: int
    name: str
    kind: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    timezone: str
    organization: OrganizationRef
    role: str
    global_scope: bool
    location_countries: list[str]


@router.post(
    "/auth/tokens",
    auth=None,
    response={201: TokenCreatedOut, 429: ERRORS[400], **ERRORS},
    summary="Exchange email and password for a bearer token",
)
def create_token(request: HttpRequest, payload: TokenCreateIn):
    user = services.user_authenticate(
        request=request, email=payload.email, password=payload.password
    )
    token, secret = services.api_token_create(user=user, name=payload.name)
    return 201, {**TokenOut.from_orm(token).dict(), "token": secret}


@router.get("/auth/tokens", response={200: list[TokenOut], **ERRORS})
def list_tokens(request: MemberRequest):
    return selectors.api_tokens_for_user(user=request.user)


@router.delete("/auth/tokens/{token_id}", response={204: None, **ERRORS})
def revoke_token(request: MemberRequest, token_id: int):
    token = selectors.api_token_get(user=request.user, token_id=token_id)
    services.api_token_revoke(token=token, actor=request.user)
    return 204, None


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: MemberRequest):
    user = request.user
    membership = user.membership
    assert membership is not None  # MemberSession and BearerToken admit members only
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "timezone": user.timezone,
        "organization": membership.organization,
        "role": membership.role,
        "global_scope": user.scope_countries is None,
        "location_countries": user.scope_countries or [],
    }
