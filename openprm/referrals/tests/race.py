"""A separate process on the database DATABASE_URL names, for the accept/decline race.

    python -m openprm.referrals.tests.race setup
    python -m openprm.referrals.tests.race act ACTION REFERRAL_PK USER_PK START_AT
    python -m openprm.referrals.tests.race state REFERRAL_PK

Each prints one JSON object; test_concurrency.py runs an accept and a decline at once.
"""

import json
import sys
import time
import uuid

import django


def setup() -> dict:
    from openprm.accounts.models import Location, Organization
    from openprm.accounts.roles import Role
    from openprm.accounts.tests.factories import MembershipFactory, PartnerFactory, VendorFactory
    from openprm.crm.tests.factories import CustomerFactory
    from openprm.referrals.tests.factories import send_referral

    tag = uuid.uuid4().hex[:8]
    vendor = Organization.objects.filter(kind="vendor").first() or VendorFactory.create()
    partner = PartnerFactory.create(name=f"Partner {tag}")
    Location.objects.create(organization=partner, name="Seattle", country="US")
    rep = MembershipFactory.create(
        organization=vendor, role=Role.SALES_REP, user__email=f"rep-{tag}@example.com"
    ).user
    admins = [
        MembershipFactory.create(
            organization=partner, role=Role.PARTNER_ADMIN, user__email=f"admin{n}-{tag}@example.com"
        ).user
        for n in range(2)
    ]
    customer = CustomerFactory.create(duns=f"{int(tag, 16) % 10**9:09d}")
    referral = send_referral(actor=rep, partner=partner, customer=customer)
    return {"referral": referral.pk, "users": [u.pk for u in admins]}


def act(action: str, referral_pk: int, user_pk: int, start_at: float) -> dict:
    from openprm.accounts.models import User
    from openprm.core.errors import Conflict
    from openprm.referrals.lifecycle import services
    from openprm.referrals.models import Referral

    user = User.objects.get(pk=user_pk)
    referral = Referral.objects.get(pk=referral_pk)
    time.sleep(max(0.0, start_at - time.time()))
    try:
        if action == "accept":
            services.referral_accept(referral=referral, actor=user, notes="Mine")
        else:
            services.referral_decline(referral=referral, actor=user, reason="no_capacity")
    except Conflict as error:
        return {"ok": False, "code": error.code}
    return {"ok": True, "code": ""}


def state(referral_pk: int) -> dict:
    from openprm.referrals.models import Referral

    referral = Referral.objects.get(pk=referral_pk)
    return {"substatus": referral.substatus, "transitions": referral.transitions.count()}


if __name__ == "__main__":
    django.setup()
    command, *args = sys.argv[1:]
    if command == "setup":
        result = setup()
    elif command == "act":
        result = act(args[0], int(args[1]), int(args[2]), float(args[3]))
    else:
        result = state(int(args[0]))
    print(json.dumps(result))
