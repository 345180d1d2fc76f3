"""/api/v1/settings/assignment-rules (C2): the rules that give a new shared deal its rep, as
Program settings edits them; the program admin only, anyone else gets a 403.
/api/v1/settings/lead-recipients (C8): who of a partner gets its lead notifications, as
Settings > Communication sets it. The partner admin only; anyone else gets a 404."""

from ninja import Field, Router, Schema, Status

from openprm.accounts.api_auth import MemberRequest
from openprm.core.api import ERRORS, PatchSchema, StrictSchema
from openprm.deals.assignment import selectors, services
from openprm.deals.models import AssignmentRule

router = Router(tags=["settings"])


class LeadRecipientsIn(StrictSchema):
    users: list[int] = Field(
        max_length=500,
        description="Ids of active users of your organization; none: the partner admins.",
    )


class RecipientOut(Schema):
    id: int
    email: str
    full_name: str


class LeadRecipientsOut(Schema):
    users: list[RecipientOut] = Field(description="Who gets the lead notifications now.")


@router.get(
    "/settings/lead-recipients",
    response={200: LeadRecipientsOut, **ERRORS},
    summary="Who gets the partner's lead notifications",
)
def get_lead_recipients(request: MemberRequest):
    return {"users": selectors.lead_recipients_for_admin(user=request.user)}


@router.put(
    "/settings/lead-recipients",
    response={200: LeadRecipientsOut, **ERRORS},
    summary="Choose who gets the partner's lead notifications",
)
def set_lead_recipients(request: MemberRequest, payload: LeadRecipientsIn):
    return {"users": services.lead_recipients_choose(actor=request.user, user_ids=payload.users)}


class AssignmentRuleIn(StrictSchema):
    name: str = Field(max_length=120)
    position: int = Field(0, ge=0, le=2_147_483_647, description="Rules are tried in its order.")
    country: str = Field(
        "", max_length=2, description="The customer's country it matches; empty: any."
    )
    product_id: int | None = Field(None, description="The product it matches; null: any.")
    rep_ids: list[int] = Field(
        default_factory=list, max_length=500, description="Active vendor users, in turn."
    )


class AssignmentRulePatchIn(PatchSchema):
    clearable = frozenset({"product_id"})

    name: str | None = Field(None, max_length=120)
    position: int | None = Field(None, ge=0, le=2_147_483_647)
    country: str | None = Field(None, max_length=2)
    product_id: int | None = None
    rep_ids: list[int] | None = Field(None, max_length=500)


class AssignmentRuleOut(Schema):
    id: int
    name: str
    position: int
    country: str
    product_id: int | None
    rep_ids: list[int]

    @staticmethod
    def resolve_country(rule: AssignmentRule) -> str:
        return str(rule.country or "")

    @staticmethod
    def resolve_rep_ids(rule: AssignmentRule) -> list[int]:
        return sorted(rep.pk for rep in rule.reps.all())


@router.get(
    "/settings/assignment-rules",
    response={200: list[AssignmentRuleOut], **ERRORS},
    summary="The assignment rules, in the order they are tried",
)
def list_assignment_rules(request: MemberRequest):
    return list(selectors.assignment_rules(user=request.user))


@router.post(
    "/settings/assignment-rules",
    response={201: AssignmentRuleOut, **ERRORS},
    summary="Add an assignment rule",
)
def create_assignment_rule(request: MemberRequest, payload: AssignmentRuleIn):
    rule = services.assignment_rule_create(actor=request.user, **payload.model_dump())
    return Status(201, rule)


@router.patch(
    "/settings/assignment-rules/{int:rule_id}",
    response={200: AssignmentRuleOut, **ERRORS},
    summary="Change an assignment rule",
)
def update_assignment_rule(request: MemberRequest, rule_id: int, payload: AssignmentRulePatchIn):
    rule = selectors.assignment_rule_get(user=request.user, rule_id=rule_id)
    changes = payload.model_dump(include=payload.model_fields_set)
    return services.assignment_rule_update(actor=request.user, rule=rule, **changes)


@router.delete(
    "/settings/assignment-rules/{int:rule_id}",
    response={204: None, **ERRORS},
    summary="Remove an assignment rule",
)
def delete_assignment_rule(request: MemberRequest, rule_id: int):
    rule = selectors.assignment_rule_get(user=request.user, rule_id=rule_id)
    services.assignment_rule_delete(actor=request.user, rule=rule)
    return Status(204, None)
