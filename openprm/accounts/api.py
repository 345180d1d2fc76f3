"""/api/v1/auth/tokens, /api/v1/me and /api/v1/users (an admin's own organization's users)."""

from datetime import datetime
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.debug import sensitive_variables
from ninja import Field, Router, Schema, Status
from pydantic import SecretStr

from openprm.accounts import selectors, services
from openprm.accounts.api_auth import MemberRequest
from openprm.accounts.models import Invitation, Membership
from openprm.accounts.roles import OrganizationKind, Role
from openprm.accounts.two_factor.api import router as two_factor_router
from openprm.core.api import (
    ERRORS,
    UPDATE_ERRORS,
    PatchSchema,
    StrictSchema,
    expected_version,
    with_etag,
)
from openprm.core.pagination import LimitOffsetPagination, paginate

router = Router(tags=["accounts"])


class TokenCreateIn(StrictSchema):
    email: str = Field(max_length=254)
    # Its repr is stars, in the frames of an error report as anywhere else.
    password: SecretStr = Field(max_length=4096)
    name: str = Field(default="API token", min_length=1, max_length=100)
    code: SecretStr | None = Field(
        default=None,
        max_length=20,
        description="The current code from the authenticator app, or a recovery code: needed "
        "when the account has two-factor sign-in on.",
    )


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
    kind: OrganizationKind


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    language: str
    timezone: str
    organization: OrganizationRef
    role: Role
    global_scope: bool
    location_countries: list[str]


@router.post(
    "/auth/tokens",
    auth=None,
    response={201: TokenCreatedOut, **ERRORS},
    summary="Exchange email and password for a bearer token",
)
@sensitive_variables("payload", "secret")
def create_token(request: HttpRequest, response: HttpResponse, payload: TokenCreateIn):
    """The secret is shown once: the answer is not to be stored (RFC 6749, 5.1), and an
    Idempotency-Key retry does not replay it."""
    user = services.user_authenticate(
        request=request,
        email=payload.email,
        password=payload.password.get_secret_value(),
        code=payload.code.get_secret_value() if payload.code else "",
    )
    token, secret = services.api_token_create(user=user, name=payload.name)
    response["Cache-Control"] = "no-store"
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": secret})


@router.get("/auth/tokens", response={200: list[TokenOut], **ERRORS})
def list_tokens(request: MemberRequest):
    return selectors.api_tokens_for_user(user=request.user)


@router.delete("/auth/tokens/{token_id}", response={204: None, **ERRORS})
def revoke_token(request: MemberRequest, token_id: int):
    token = selectors.api_token_get(user=request.user, token_id=token_id)
    services.api_token_revoke(token=token, actor=request.user)
    return Status(204, None)


FullName = Annotated[str, Field(min_length=1, max_length=150)]
CountryCode = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", description="ISO 3166 alpha-2")]
LanguageCode = Annotated[
    str,
    Field(
        max_length=10,
        description="A UI language; empty for the browser's own.",
        json_schema_extra={"enum": ["", *(code for code, _name in settings.LANGUAGES)]},
    ),
]
TimezoneName = Annotated[
    str,
    Field(
        max_length=64,
        description="An IANA timezone name such as Asia/Tokyo.",
        json_schema_extra={"enum": sorted(services.timezone_names())},
    ),
]


class MePatchIn(PatchSchema):
    full_name: FullName | None = None
    language: LanguageCode | None = None
    timezone: TimezoneName | None = None


def me_out(request: MemberRequest) -> dict[str, Any]:
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


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: MemberRequest):
    return me_out(request)


@router.patch("/me", response={200: MeOut, **ERRORS}, summary="Change your own preferences")
def update_me(request: MemberRequest, payload: MePatchIn):
    sent = payload.model_dump(include=payload.model_fields_set)
    services.user_update_preferences(
        user=request.user,
        full_name=sent.get("full_name"),
        language=sent.get("language"),
        timezone_name=sent.get("timezone"),
    )
    return me_out(request)


class UserOut(Schema):
    """A member of the requester's organization (the id is the user's)."""

    id: int
    email: str
    full_name: str
    role: Role
    global_scope: bool
    location_countries: list[str]
    is_active: bool
    last_login: datetime | None

    @staticmethod
    def resolve_id(obj: Membership) -> int:
        return obj.user_id

    @staticmethod
    def resolve_email(obj: Membership) -> str:
        return obj.user.email

    @staticmethod
    def resolve_full_name(obj: Membership) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_location_countries(obj: Membership) -> list[str]:
        return list(obj.countries)

    @staticmethod
    def resolve_is_active(obj: Membership) -> bool:
        return obj.user.is_active

    @staticmethod
    def resolve_last_login(obj: Membership) -> datetime | None:
        return obj.user.last_login


class InvitationIn(StrictSchema):
    email: str = Field(min_length=3, max_length=254, json_schema_extra={"format": "email"})
    full_name: FullName
    role: Role
    global_scope: bool = True
    location_countries: list[CountryCode] = Field(
        default_factory=list,
        max_length=300,
        description="ISO country codes of the organization's locations; for partner users "
        "without global scope.",
    )


class InvitationOut(Schema):
    id: int
    email: str
    full_name: str
    role: Role
    global_scope: bool
    location_countries: list[str]
    expires_at: datetime

    @staticmethod
    def resolve_location_countries(obj: Invitation) -> list[str]:
        return list(obj.countries)


class InvitationListOut(InvitationOut):
    organization: OrganizationRef


class PartnerAdminInvitationIn(StrictSchema):
    partner_id: int
    email: str = Field(min_length=3, max_length=254, json_schema_extra={"format": "email"})
    full_name: FullName


class UserPatchIn(PatchSchema):
    """Sending countries without global_scope limits a partner user to those countries."""

    role: Role | None = None
    global_scope: bool | None = None
    location_countries: Annotated[list[CountryCode], Field(max_length=300)] | None = None


@router.get("/users", response={200: list[UserOut], **ERRORS}, summary="Your organization's users")
@paginate(LimitOffsetPagination)
def list_users(request: MemberRequest):
    return selectors.members_for_manager(user=request.user)


# Registered before /users/{user_id}, whose pattern would otherwise take "invitations".
@router.post(
    "/users/invitations",
    response={201: InvitationOut, **ERRORS},
    summary="Invite a user into your organization by email",
)
def invite_user(request: MemberRequest, payload: InvitationIn):
    invitation = services.invitation_create(
        actor=request.user,
        email=payload.email,
        full_name=payload.full_name,
        role=payload.role,
        global_scope=payload.global_scope,
        location_countries=payload.location_countries,
    )
    return Status(201, invitation)


@router.get("/users/{user_id}", response={200: UserOut, **ERRORS})
def get_user(request: MemberRequest, response: HttpResponse, user_id: int):
    return with_etag(response, selectors.member_get(user=request.user, user_id=user_id))


@router.patch("/users/{user_id}", response={200: UserOut, **UPDATE_ERRORS})
def update_user(request: MemberRequest, response: HttpResponse, user_id: int, payload: UserPatchIn):
    current = selectors.member_get(user=request.user, user_id=user_id)
    sent = payload.model_fields_set
    countries = current.countries
    if "location_countries" in sent:
        countries = payload.location_countries or []
    if payload.global_scope is not None:
        global_scope = payload.global_scope
    else:
        global_scope = current.global_scope and not ("location_countries" in sent and countries)
    membership = services.membership_update(
        actor=request.user,
        user_id=user_id,
        role=payload.role or current.role,
        global_scope=global_scope,
        location_countries=list(countries),
        expected_version=expected_version(request),
    )
    return with_etag(response, membership)


@router.post("/users/{user_id}/deactivate", response={200: UserOut, **ERRORS})
def deactivate_user(request: MemberRequest, response: HttpResponse, user_id: int):
    return with_etag(response, services.user_deactivate(actor=request.user, user_id=user_id))


@router.post("/users/{user_id}/reactivate", response={200: UserOut, **ERRORS})
def reactivate_user(request: MemberRequest, response: HttpResponse, user_id: int):
    return with_etag(response, services.user_reactivate(actor=request.user, user_id=user_id))


@router.get(
    "/invitations",
    response={200: list[InvitationListOut], **ERRORS},
    summary="Open invitations you answer for",
)
@paginate(LimitOffsetPagination)
def list_invitations(request: MemberRequest):
    return selectors.open_invitations(user=request.user)


@router.post(
    "/invitations",
    response={201: InvitationListOut, **ERRORS},
    summary="Invite a partner's first administrator by email (program admin)",
)
def invite_partner_admin(request: MemberRequest, payload: PartnerAdminInvitationIn):
    """The link in the email is single-use and expires; the partner admin then invites the
    partner's own users (POST /users/invitations)."""
    invitation = services.partner_admin_invite(
        actor=request.user,
        partner_id=payload.partner_id,
        email=payload.email,
        full_name=payload.full_name,
    )
    return Status(201, invitation)


router.add_router("", two_factor_router)
