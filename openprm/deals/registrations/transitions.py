"""The registration lifecycle as data: which decision moves a registration from where to where."""

from openprm.deals.models import RegistrationState as S

HOLDING = (S.SUBMITTED, S.MORE_INFO_REQUESTED, S.APPROVED)

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "approve": (frozenset({S.SUBMITTED, S.IN_REVIEW_CONFLICT}), S.APPROVED),
    "reject": (
        frozenset({S.SUBMITTED, S.IN_REVIEW_CONFLICT, S.MORE_INFO_REQUESTED}),
        S.REJECTED,
    ),
    "request_info": (frozenset({S.SUBMITTED, S.IN_REVIEW_CONFLICT}), S.MORE_INFO_REQUESTED),
    "resubmit": (frozenset({S.MORE_INFO_REQUESTED}), S.SUBMITTED),
    "expire": (frozenset({*HOLDING, S.IN_REVIEW_CONFLICT}), S.EXPIRED),
}

REVIEWER_ACTIONS = ("approve", "reject", "request_info")

# A registration in these states holds its customer and products against other partners.
HOLDING_STATES = frozenset(HOLDING)
# Waiting for the vendor's reviewers (the queue): models.PENDING, kept by the database as
# Registration.awaiting_review.

# Not finished: a second registration of the same customer and product by the same partner
# is a duplicate while one of these exists.
OPEN_STATES = HOLDING_STATES | {S.IN_REVIEW_CONFLICT}


def target_state(action: str, current: str) -> str | None:
    """The state `action` leads to from `current`, or None when it is not allowed there."""
    sources, target = TRANSITIONS[action]
    return target if current in sources else None
