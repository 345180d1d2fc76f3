"""The data the permission matrix runs against, built once per test module and shared by every
case (each case runs in its own transaction, rolled back after it).

The standing cast of conftest.py, the roles it does not name, and each side's objects. Text in
those objects carries a marker (MARKERS) that names the roles which may read it; a body that
shows a marker to anyone else has leaked another partner's data or a private note.
"""

from django.core.files.base import ContentFile
from django.utils import timezone

from openprm.accounts import services as account_services
from openprm.accounts.models import Organization, User
from openprm.accounts.roles import Role
from openprm.accounts.tests import cast as standing
from openprm.accounts.tests.factories import LocationFactory, PartnerFactory
from openprm.crm.models import Contact, Customer, CustomerNote, Opportunity
from openprm.crm.tests.factories import ContactFactory, CustomerFactory, SubscriptionFactory
from openprm.dashboard import services as dashboard_services
from openprm.deals.models import Deal, DealNote, DealView, NoteAttachment, NoteComment, Side
from openprm.deals.tests.factories import create_deal
from openprm.goals.plans import services as goal_services
from openprm.goals.tests.factories import GoalPlanFactory, action_task
from openprm.notifications.tests.factories import NotificationFactory
from openprm.points.ledger import services as ledger_services
from openprm.points.tests.factories import WonOpportunityFactory
from openprm.referrals.checks import Contact as ReferralContact
from openprm.referrals.crm_stages.services import crm_stage_save
from openprm.referrals.lifecycle.services import referral_close
from openprm.referrals.tests.factories import create_referral, send_referral
from tests.permission_matrix import MATRIX_PERIOD, ROLES, Cast

ACTOR_EMAILS = {
    "program_admin": "victor@contoso.example",
    "pdm": "pam@contoso.example",
    "other_pdm": "paul@contoso.example",
    "sales_rep": "sam@contoso.example",
    "reviewer": "rita@contoso.example",
    "partner_admin": "alice@northwind.example",
    "partner_user": "bob@northwind.example",
    "user_out_of_scope": "uma@northwind.example",
    "user_off_team": "otto@northwind.example",
}

NORTHWIND_PEOPLE = frozenset(
    {"partner_admin", "partner_user", "user_out_of_scope", "user_off_team"}
)
VENDOR_STAFF = frozenset({"program_admin", "pdm", "other_pdm", "sales_rep", "reviewer"})
# Contacts, plans and tasks: the partner's people, its PDM and the program admin.
NORTHWIND_RECORDS = NORTHWIND_PEOPLE | {"program_admin", "pdm"}
# A shared deal: also its sales rep, and the reviewer (who reads every deal).
NORTHWIND_DEAL = NORTHWIND_RECORDS | {"sales_rep", "reviewer"}
TAILSPIN_DEAL = frozenset({"program_admin", "reviewer"})
# D3: Northwind's accepted referral at Seattle, worked by Bob's team (Uma is on it too, but
# scoped to Japan); Otto is scoped to the US but not on the team.
NORTHWIND_REFERRAL = frozenset({"program_admin", "pdm", "partner_admin", "partner_user"})
# A referral sam sent to Northwind's Tokyo office: Received, no team yet, so every partner user
# whose scope covers Japan sees it.
TOKYO_LEAD = frozenset({"program_admin", "pdm", "sales_rep", "partner_admin", "user_out_of_scope"})
# Alice's deal at Tokyo, won: no partner user is on its team.
TOKYO_WIN = frozenset({"program_admin", "pdm", "partner_admin"})
ADMIN_ONLY = frozenset({"program_admin"})
NO_ONE = frozenset[str]()

# Marker -> the roles that may read it. Markers are unique words: none contains another.
MARKERS: dict[str, frozenset[str]] = {
    "ZqNorthwindDealName": NORTHWIND_DEAL,
    "ZqNorthwindSharedMessage": NORTHWIND_DEAL,
    "ZqNorthwindCommentText": NORTHWIND_DEAL,
    "ZqNorthwindPartnerPrivate": NORTHWIND_PEOPLE,  # C6: never on the vendor's side
    "ZqNorthwindVendorPrivate": VENDOR_STAFF - {"other_pdm"},  # C6: never on the partner's side
    "ZqNorthwindCustomerNote": NORTHWIND_PEOPLE,  # a partner's private note about a customer
    "ZqVendorCustomerNote": VENDOR_STAFF,
    "ZqNorthwindContactName": NORTHWIND_RECORDS,
    "ZqNorthwindReferralName": NORTHWIND_REFERRAL,
    "ZqNorthwindReferralMemo": NORTHWIND_REFERRAL,
    "ZqNorthwindReferralPerson": NORTHWIND_REFERRAL,
    "ZqNorthwindTokyoLead": TOKYO_LEAD,
    "ZqNorthwindTokyoWin": TOKYO_WIN,
    "ZqNorthwindGoalText": NORTHWIND_RECORDS,
    "ZqNorthwindReviewText": NORTHWIND_RECORDS,
    "ZqNorthwindTaskTitle": NORTHWIND_RECORDS,
    "ZqAliceTokenName": frozenset({"partner_admin"}),
    "ZqAliceViewName": frozenset({"partner_admin"}),
    "ZqAliceNoticeTitle": frozenset({"partner_admin"}),
    "ZqTailspinDealName": TAILSPIN_DEAL,
    "ZqTailspinSharedMessage": TAILSPIN_DEAL,
    "ZqTailspinCommentText": TAILSPIN_DEAL,
    "ZqTailspinPartnerPrivate": NO_ONE,
    "ZqTailspinVendorPrivate": TAILSPIN_DEAL,
    "ZqTailspinCustomerNote": NO_ONE,
    "ZqTailspinContactName": ADMIN_ONLY,
    "ZqTailspinCustomerContact": ADMIN_ONLY,
    "ZqTailspinReferralName": ADMIN_ONLY,
    "ZqTailspinReferralMemo": ADMIN_ONLY,
    "ZqTailspinReferralPerson": ADMIN_ONLY,
    "ZqTailspinTeammate": ADMIN_ONLY,
    "ZqTailspinWonSale": ADMIN_ONLY,
    "ZqTailspinGoalText": ADMIN_ONLY,
    "ZqTailspinReviewText": ADMIN_ONLY,
    "ZqTailspinTaskTitle": ADMIN_ONLY,
    "ZqTailspinCrmStage": ADMIN_ONLY,
    "ZqTailspinSubscription": ADMIN_ONLY,
    # Every partner's offices: the vendor's partner pages, and "Send referral" for every sender.
    "ZqTailspinOffice": frozenset(ROLES) - {"anonymous", "pdm", "other_pdm"},
    # Charlie: the reviewer reads Tailspin's deal; a shared deal's partner owner is chosen by
    # whoever converts a vendor deal (C4).
    "ZqTailspinPerson": TAILSPIN_DEAL | {"sales_rep"},
    "ZqTailspinReportName": NO_ONE,
    "ZqTailspinListName": NO_ONE,
    "ZqTailspinExportName": NO_ONE,
    "ZqTailspinViewName": NO_ONE,
    "ZqTailspinTokenName": NO_ONE,
    "ZqTailspinNoticeTitle": NO_ONE,
}
assert all(roles <= set(ROLES) for roles in MARKERS.values())
assert not [(a, b) for a in MARKERS for b in MARKERS if a != b and a.lower() in b.lower()]

World = dict[tuple[str, bool], int]


def build_world() -> World:
    """Everything the cases share; returns the ids builders hand out, keyed (name, own side)."""
    vendor = standing.contoso()
    victor = standing.victor(vendor)
    pam = standing.pam(vendor)
    northwind = standing.northwind(pam)
    tailspin = standing.tailspin()
    alice = standing.alice(northwind)
    standing.bob(northwind)
    charlie = standing.charlie(tailspin)
    User.objects.filter(pk=charlie.pk).update(full_name="Charlie ZqTailspinPerson")
    standing.member(vendor, Role.SALES_REP, ACTOR_EMAILS["sales_rep"])
    standing.member(vendor, Role.REVIEWER, ACTOR_EMAILS["reviewer"])
    paul = standing.member(vendor, Role.PDM, ACTOR_EMAILS["other_pdm"])
    PartnerFactory.create(name="Fabrikam", pdm=paul)
    for role, countries in (("user_out_of_scope", ["JP"]), ("user_off_team", ["US"])):
        standing.member(
            northwind, Role.PARTNER_USER, ACTOR_EMAILS[role], global_scope=False,
            countries=countries,
        )  # fmt: skip
    LocationFactory.create(organization=tailspin, name="ZqTailspinOffice", country="TH")

    world: World = {}
    own_customer, other_customer = CustomerFactory.create(), CustomerFactory.create()
    world["customer", True], world["customer", False] = own_customer.pk, other_customer.pk
    for customer, seller in ((own_customer, northwind), (other_customer, tailspin)):
        # The side's partner sold to it, so it is in that partner's Points Breakdown too.
        name = "ZqTailspinWonSale" if seller == tailspin else "Northwind sale"
        ledger_services.sale_post(
            opportunity=WonOpportunityFactory.create(
                organization=seller, customer=customer, name=name
            )
        )
        ContactFactory.create(
            organization=tailspin, customer=customer, last_name="ZqTailspinCustomerContact"
        )
        note(tailspin, customer, charlie, "ZqTailspinCustomerNote")
    note(northwind, own_customer, alice, "ZqNorthwindCustomerNote")
    note(vendor, own_customer, victor, "ZqVendorCustomerNote")
    contacts = {
        True: ContactFactory.create(
            organization=northwind, customer=own_customer, last_name="ZqNorthwindContactName"
        ),
        False: ContactFactory.create(
            organization=tailspin, customer=other_customer, last_name="ZqTailspinContactName"
        ),
    }
    for own in (True, False):
        world["contact", own] = contacts[own].pk
        shared_deal(world, own, creator=alice if own else charlie, contact=contacts[own])
        goals(world, own, owner=alice if own else charlie)
    referrals(world, northwind, alice, charlie)
    personal(alice, "ZqAlice")
    personal(charlie, "ZqTailspin")
    dashboard_services.saved_report_create(
        actor=charlie, name="ZqTailspinReportName", kind="closed_won", period=MATRIX_PERIOD
    )
    dashboard_services.customer_list_create(
        actor=charlie, name="ZqTailspinListName", customer_ids=[other_customer.pk]
    )
    dashboard_services.export_create(
        actor=charlie, name="ZqTailspinExportName", file_format="csv", kind="closed_won",
        period=MATRIX_PERIOD,
    )  # fmt: skip
    crm_stage_save(actor=charlie, name="ZqTailspinCrmStage", percentage=70)
    SubscriptionFactory.create(
        external_id="ZqTailspinSubscription", customer=other_customer, managing_partners=[tailspin]
    )
    return world


def note(organization: Organization, customer: Customer, author: User, body: str) -> None:
    CustomerNote.objects.create(
        organization=organization, customer=customer, author=author, body=body
    )


def shared_deal(world: World, own: bool, *, creator: User, contact: Contact) -> None:
    """The side's shared deal with a shared message (and its quote), a vendor comment on it,
    and one private note of each side. Northwind's is assigned to sam, the sales rep."""
    side = "ZqNorthwind" if own else "ZqTailspin"
    vendor_author = User.objects.get(email=ACTOR_EMAILS["sales_rep" if own else "program_admin"])
    deal = create_deal(actor=creator, contact=contact, name=f"{side}DealName")
    if own:
        Deal.objects.filter(pk=deal.pk).update(assigned_rep=vendor_author)
    shared = DealNote.objects.create(
        deal=deal, side=Side.PARTNER, shared=True, author=creator, body=f"{side}SharedMessage"
    )
    NoteComment.objects.create(
        note=shared, side=Side.VENDOR, author=vendor_author, body=f"{side}CommentText"
    )
    DealNote.objects.create(
        deal=deal, side=Side.PARTNER, author=creator, body=f"{side}PartnerPrivate"
    )
    DealNote.objects.create(
        deal=deal, side=Side.VENDOR, author=vendor_author, body=f"{side}VendorPrivate"
    )
    attachment = NoteAttachment(note=shared, name="quote.pdf", content_type="application/pdf")
    attachment.file.save("quote.pdf", ContentFile(b"%PDF-1.7 matrix"), save=False)
    attachment.size = attachment.file.size
    attachment.save()
    world["deal", own], world["note", own] = deal.pk, shared.pk
    world["attachment", own] = attachment.pk


def goals(world: World, own: bool, *, owner: User) -> None:
    """Next year's plan, so this year's is still to be set up, with a Q2 review (Q1 is left to
    create) and a task."""
    side = "ZqNorthwind" if own else "ZqTailspin"
    organization = owner.organization
    plan = GoalPlanFactory.create(
        organization=organization,
        year=timezone.localdate().year + 1,
        organizational_goal=f"{side}GoalText",
    )
    review = goal_services.quarterly_review_create(
        plan=plan, quarter=2, actor=owner, focus_notes=f"{side}ReviewText"
    )
    task = action_task(plan, owner, title=f"{side}TaskTitle")
    world["plan", own], world["review", own], world["task", own] = plan.pk, review.pk, task.pk


def referrals(world: World, northwind: Organization, alice: User, charlie: User) -> None:
    """Accepted deals of each side: Northwind's at Seattle with Bob and Uma on its team."""
    team = [
        {"first_name": first, "last_name": "Northwind", "phone": "+1 206 555 0100",
         "email": ACTOR_EMAILS[role]}
        for first, role in (("Bob", "partner_user"), ("Uma", "user_out_of_scope"))
    ]  # fmt: skip
    world["referral", True] = create_referral(
        actor=alice,
        location=northwind.locations.get(name="Seattle"),
        team=team,
        name="ZqNorthwindReferralName",
        notes="ZqNorthwindReferralMemo",
        contact=ReferralContact(
            "Kenji ZqNorthwindReferralPerson", "+81 3 0000 0001", "kenji@sakura.example"
        ),
    ).pk
    teammate = {"first_name": "Tom", "last_name": "ZqTailspinTeammate",
                "phone": "+66 2 000 0000", "email": "tom@tailspin.example"}  # fmt: skip
    world["referral", False] = create_referral(
        actor=charlie,
        team=[teammate],
        name="ZqTailspinReferralName",
        notes="ZqTailspinReferralMemo",
        contact=ReferralContact(
            "Mai ZqTailspinReferralPerson", "+66 2 000 0001", "mai@siam.example"
        ),
    ).pk
    tokyo = northwind.locations.get(name="Tokyo")
    send_referral(
        actor=User.objects.get(email=ACTOR_EMAILS["sales_rep"]),
        partner=northwind,
        location=tokyo,
        name="ZqNorthwindTokyoLead",
    )
    won = create_referral(actor=alice, location=tokyo, name="ZqNorthwindTokyoWin")
    referral_close(referral=won, actor=alice, outcome="won", mrr_minor=100_00)
    ledger_services.sale_post(opportunity=Opportunity.objects.get(referral=won))


def personal(owner: User, prefix: str) -> None:
    """A person's own things: an API token, a saved deal view and a notification."""
    account_services.api_token_create(user=owner, name=f"{prefix}TokenName")
    DealView.objects.create(user=owner, name=f"{prefix}ViewName")
    NotificationFactory.create(recipient=owner, title=f"{prefix}NoticeTitle")


def load_cast(world: World) -> Cast:
    """The cast as fresh instances, so no case sees another's cached state."""
    users = {user.email: user for user in User.objects.filter(email__in=ACTOR_EMAILS.values())}
    actors: dict[str, User | None] = {"anonymous": None}
    actors.update({role: users[email] for role, email in ACTOR_EMAILS.items()})
    return Cast(
        northwind=Organization.objects.get(name="Northwind Traders"),
        tailspin=Organization.objects.get(name="Tailspin Toys"),
        alice=users[ACTOR_EMAILS["partner_admin"]],
        charlie=User.objects.get(email="charlie@tailspin.example"),
        actors=actors,
        world=world,
    )


def leaked(body: str, role: str) -> list[str]:
    """The markers in `body` that `role` may not read."""
    text = body.lower()
    return [
        marker
        for marker, readers in MARKERS.items()
        if role not in readers and marker.lower() in text
    ]
