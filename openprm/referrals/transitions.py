"""The referral lifecycle as data (D1 to D8): which action may start from which substatus, and
where it leads. A referral starts Received when sent to a partner, Accepted when the partner
creates it; work on an accepted deal (edit, team, stages) keeps it Accepted; closed referrals
allow nothing but the registration of a won one.
"""

import datetime

from openprm.referrals.models import Referral
from openprm.referrals.models import Substatus as S

# Where a referral not yet written stands: its first move, send or create, starts here.
NEW = ""

# action -> (substatuses it may start from, substatus it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "send": (frozenset({NEW}), S.RECEIVED),
    "create": (frozenset({NEW}), S.ACCEPTED),
    "accept": (frozenset({S.RECEIVED}), S.ACCEPTED),
    "decline": (frozenset({S.RECEIVED}), S.DECLINED),
    "expire": (frozenset({S.RECEIVED}), S.EXPIRED),
    "update": (frozenset({S.ACCEPTED}), S.ACCEPTED),
    "team": (frozenset({S.ACCEPTED}), S.ACCEPTED),
    "stages": (frozenset({S.ACCEPTED}), S.ACCEPTED),
    "close_won": (frozenset({S.ACCEPTED}), S.WON),
    "close_lost": (frozenset({S.ACCEPTED}), S.LOST),
    "registration": (frozenset({S.WON}), S.WON),
}

# Actions the system takes itself; never offered to a person.
SYSTEM_ACTIONS = frozenset({"expire"})

# Each move's event is referral.<action>, but for the first moves, named for what they made.
EVENT_KINDS = {"send": "referral.sent", "create": "referral.created"}

# The API's names for the actions a person can take on a referral (POST /referrals/{id}/<name>).
API_ACTIONS = {
    "accept": "accept",
    "decline": "decline",
    "update": "update",
    "team": "team",
    "stages": "stages",
    "close_won": "close",
    "close_lost": "close",
    "registration": "registration",
}


def target_substatus(action: str, current: str) -> str | None:
    """The substatus `action` leads to from `current`, or None when it is not allowed there."""
    sources, target = TRANSITIONS[action]
    return target if current in sources else None


def allowed_actions(current: str) -> list[str]:
    """What a person may do to a referral in `current`, in the API's names, each once."""
    names: list[str] = []
    for action, (sources, _target) in TRANSITIONS.items():
        if action in SYSTEM_ACTIONS or current not in sources:
            continue
        name = API_ACTIONS[action]
        if name not in names:
            names.append(name)
    return names


def effective_substatus(referral: Referral, now: datetime.datetime) -> str:
    """A received referral past its expiry is expired already, whether or not the sweep ran."""
    if (
        referral.substatus == S.RECEIVED
        and referral.expires_at is not None
        and referral.expires_at <= now
    ):
        return S.EXPIRED
    return referral.substatus
