"""Query-count guards: every page and API route that lists rows costs the same number of queries
for three rows as for nine (`assert_queries_do_not_grow`, after one request that warms what the
server keeps between requests), so a query per row (an N+1) fails here before a large program
finds it. The rows must show: the API's count grows, or the page shows them (a dashboard, whose
rows are figures, changes).

Enumerated like the permission matrix: every API operation whose answer is a list (ninja's
paged `items`, or a bare JSON array) and every page the matrix reads with GET. Each has a row
in GUARDS (who asks, and how to add rows they see), or is named in ELSEWHERE (a fixed budget in
its app's own suite), UNGUARDED (a list still without a guard, and why) or NOT_LISTS (a page that
lists nothing, or a fixed handful). A new list route without a row fails
`test_every_list_route_has_a_row`.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from openprm.accounts import services as account_services
from openprm.accounts.models import Invitation, Organization, User
from openprm.accounts.roles import Role
from openprm.accounts.tests.factories import LocationFactory, MembershipFactory, PartnerFactory
from openprm.api import api
from openprm.core.models import Event
from openprm.core.testing import assert_queries_do_not_grow
from openprm.crm.applications.models import PartnerApplication
from openprm.crm.applications.tests.kit import pending_application
from openprm.crm.models import Market
from openprm.crm.tests.factories import (
    ContactFactory,
    CustomerFactory,
    CustomerNoteFactory,
    MarketFactory,
    OpportunityFactory,
    ProductFactory,
    SubscriptionFactory,
)
from openprm.dashboard import services as dashboard_services
from openprm.dashboard.models import CustomerList, SavedReport
from openprm.dashboard.periods import Period
from openprm.deals.models import DealView
from openprm.deals.notes import services as notes_services
from openprm.deals.saved_views import services as deal_views_services
from openprm.deals.tests.factories import create_deal
from openprm.notifications.tests.factories import NotificationFactory
from openprm.points.ledger import services as ledger_services
from openprm.points.tests.records import won
from openprm.referrals.tests.factories import create_referral
from openprm.webhooks.models import Delivery, Webhook
from tests.permission_matrix import ROWS
from tests.test_permission_matrix import api_operations

pytestmark = pytest.mark.django_db

MARKER = "QcRow"
# Countries no program default names as a market.
UNUSUAL_COUNTRIES = ["IS", "MT", "LU", "EE", "LV", "LT", "SI", "SK", "CY", "AD", "MC", "LI"]
YEAR = Period(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


@dataclass
class World:
    northwind: Organization
    users: dict[str, User]  # by conftest's name: alice, victor, rita …
    things: dict[str, Any] = field(default_factory=dict)  # the object a nested list is of

    def thing(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self.things:
            self.things[name] = make()
        return self.things[name]


def the_deal(world: World) -> Any:
    return world.thing("deal", lambda: create_deal(actor=world.users["alice"]))


def the_webhook(world: World) -> Webhook:
    def make() -> Webhook:
        webhooks(world, 1)
        return Webhook.objects.get()

    return world.thing("webhook", make)


def the_customer(world: World) -> Any:
    return world.thing("customer", CustomerFactory.create)


def the_list(world: World) -> CustomerList:
    return world.thing(
        "list",
        lambda: dashboard_services.customer_list_create(
            actor=world.users["alice"], name="Counted", customer_ids=[]
        ),
    )


Adder = Callable[[World, int], None]


def deals(world: World, count: int) -> None:
    for number in range(count):
        create_deal(actor=world.users["alice"], name=f"{MARKER} deal {number}")


def referrals(world: World, count: int) -> None:
    for number in range(count):
        create_referral(actor=world.users["alice"], name=f"{MARKER} referral {number}")


def contacts(world: World, count: int) -> None:
    for _number in range(count):
        ContactFactory.create(organization=world.northwind, first_name=MARKER)


def customers(world: World, count: int) -> None:
    for number in range(count):
        CustomerFactory.create(name=f"{MARKER} customer {number} {Organization.objects.count()}")


def partners(world: World, count: int) -> None:
    for _number in range(count):
        PartnerFactory.create(name=f"{MARKER} partner {Organization.objects.count()}")


def notifications(world: World, count: int) -> None:
    for number in range(count):
        NotificationFactory.create(recipient=world.users["alice"], title=f"{MARKER} {number}")


def members(world: World, count: int) -> None:
    for _number in range(count):
        MembershipFactory.create(
            organization=world.northwind, role=Role.PARTNER_USER, user__full_name=MARKER
        )


def tokens(world: World, count: int) -> None:
    for number in range(count):
        account_services.api_token_create(user=world.users["alice"], name=f"{MARKER} {number}")


def products(world: World, count: int) -> None:
    for _number in range(count):
        ProductFactory.create(name=MARKER)


def sales(world: World, count: int) -> None:
    """Won sales of Northwind's, each posting its points to the ledger."""
    for _number in range(count):
        customer = CustomerFactory.create(name=f"{MARKER} {Organization.objects.count()}")
        day = datetime.date.today()
        opportunity = won(world.northwind, day, mrr_minor=1_000_00, customer=customer)
        ledger_services.sale_post(opportunity=opportunity)


def webhooks(world: World, count: int) -> None:
    for number in range(count):
        Webhook.objects.create(
            organization=world.northwind,
            url=f"https://93.184.215.14/{MARKER}/{number}",  # public: no resolver needed
            event_types=["deal.created"],
            description=MARKER,
            secret="whsec_counts",
        )


def saved_reports(world: World, count: int) -> None:
    for number in range(count):
        dashboard_services.saved_report_create(
            actor=world.users["alice"],
            name=f"{MARKER} {number} {SavedReport.objects.count()}",
            kind="closed_won",
            period=YEAR,
        )


def customer_lists(world: World, count: int) -> None:
    for _number in range(count):
        dashboard_services.customer_list_create(
            actor=world.users["alice"],
            name=f"{MARKER} {CustomerList.objects.count()}",
            customer_ids=[CustomerFactory.create().pk],
        )


def applications(world: World, count: int) -> None:
    for _number in range(count):
        number = PartnerApplication.objects.count()
        pending_application(
            company_name=f"{MARKER} {number}", contact_email=f"nok{number}@litware.example"
        )


def invitations(world: World, count: int) -> None:
    """Invitations by Northwind's admin; each is an audit log entry too."""
    for _number in range(count):
        number = Invitation.objects.count()
        account_services.invitation_create(
            actor=world.users["alice"],
            email=f"invitee{number}@northwind.example",
            full_name=f"{MARKER} {number}",
            role=Role.PARTNER_USER,
        )


def subscriptions(world: World, count: int) -> None:
    for _number in range(count):
        customer = CustomerFactory.create(name=f"{MARKER} {Organization.objects.count()}")
        SubscriptionFactory.create(customer=customer, managing_partners=[world.northwind])


def exports(world: World, count: int) -> None:
    for number in range(count):
        dashboard_services.export_create(
            actor=world.users["alice"],
            name=f"{MARKER} {number}",
            file_format="csv",
            kind="closed_won",
            period=YEAR,
        )


def list_members(world: World, count: int) -> None:
    customers = [
        CustomerFactory.create(name=f"{MARKER} {number} {Organization.objects.count()}")
        for number in range(count)
    ]
    dashboard_services.customer_list_add(
        customer_list=the_list(world),
        actor=world.users["alice"],
        customer_ids=[customer.pk for customer in customers],
    )


def deal_notes(world: World, count: int) -> None:
    deal = the_deal(world)
    for number in range(count):
        note = notes_services.note_create(
            deal=deal, actor=world.users["alice"], body=f"{MARKER} {number}", shared=True
        )
        notes_services.comment_create(note=note, actor=world.users["alice"], body="Seen")


def markets(world: World, count: int) -> None:
    taken = set(Market.objects.values_list("country", flat=True))
    for code in [c for c in UNUSUAL_COUNTRIES if c not in taken][:count]:
        MarketFactory.create(country=code, region=MARKER)


def deliveries(world: World, count: int) -> None:
    webhook = the_webhook(world)
    for _number in range(count):
        event = Event.objects.create(
            kind="deal.created",
            organization=world.northwind,
            object_type="deals.deal",
            object_id=MARKER,
        )
        Delivery.objects.create(
            webhook=webhook,
            event=event,
            event_type="deal.created",
            chain=f"deals.deal:{event.pk}",
            body="{}",
            state="delivered",
            attempts_left=0,
            next_attempt_at=timezone.now(),
        )


def customer_notes(world: World, count: int) -> None:
    for number in range(count):
        CustomerNoteFactory.create(
            organization=world.northwind, customer=the_customer(world), body=f"{MARKER} {number}"
        )


def open_opportunities(world: World, count: int) -> None:
    for number in range(count):
        OpportunityFactory.create(organization=world.northwind, name=f"{MARKER} {number}")


def deal_views(world: World, count: int) -> None:
    for _number in range(count):
        deal_views_services.deal_view_create(
            actor=world.users["alice"], name=f"{MARKER} {DealView.objects.count()}", state="open"
        )


def locations(world: World, count: int) -> None:
    for _number in range(count):
        number = world.northwind.locations.count()
        LocationFactory.create(organization=world.northwind, name=f"{MARKER} {number}")


@dataclass(frozen=True)
class Guard:
    role: str  # the conftest fixture that asks
    add: Adder
    query: str = ""  # where the rows show: a tab
    shows: str | None = MARKER  # what a page shows once a row; None: a page of figures
    of: Callable[[World], Any] | None = None  # the object whose list it is (its path's id)


# "api /path" for API operations (under /api/v1), "page url:name" for pages.
GUARDS: dict[str, Guard] = {
    "api /deals": Guard("alice", deals),
    "api /registrations": Guard("rita", deals),
    "page deals:list": Guard("alice", deals),
    "page deals:vendor-list": Guard("victor", deals),
    "page deals:registrations": Guard("rita", deals),
    "api /referrals": Guard("alice", referrals),
    "page referrals:list": Guard("alice", referrals, "?tab=outbound"),
    "page referrals:vendor-list": Guard("victor", referrals),
    "api /contacts": Guard("alice", contacts),
    "page crm:contacts": Guard("alice", contacts),
    "api /customers": Guard("victor", customers),
    "page crm:customers": Guard("victor", customers),
    "api /partners": Guard("victor", partners),
    "page crm:partners": Guard("victor", partners),
    "page dashboard:channel": Guard("victor", partners),
    "api /notifications": Guard("alice", notifications),
    "page notifications:inbox": Guard("alice", notifications),
    "api /users": Guard("alice", members),
    "page accounts:users": Guard("alice", members),
    "api /auth/tokens": Guard("alice", tokens),
    "page accounts:tokens": Guard("alice", tokens),
    "api /products": Guard("alice", products),
    "api /points/ledger": Guard("alice", sales),
    "api /points/breakdown": Guard("alice", sales),
    "page points:breakdown": Guard("alice", sales),
    "api /webhooks": Guard("alice", webhooks),
    "page webhooks:list": Guard("alice", webhooks),
    "api /reports": Guard("alice", saved_reports),
    "page dashboard:saved-reports": Guard("alice", saved_reports),
    "api /lists": Guard("alice", customer_lists),
    "page dashboard:lists": Guard("alice", customer_lists),
    "api /partner-applications": Guard("victor", applications),
    "page crm:partner-applications": Guard("victor", applications),
    "api /invitations": Guard("alice", invitations),
    "api /audit": Guard("alice", invitations),
    "page audit:log": Guard("alice", invitations, shows="invitation.created"),
    "api /subscriptions": Guard("victor", subscriptions),
    "api /exports": Guard("alice", exports),
    "page dashboard:exports": Guard("alice", exports),
    "api /lists/{int:list_id}/members": Guard("alice", list_members, of=the_list),
    "page dashboard:list-detail": Guard("alice", list_members, of=the_list),
    "api /deals/{int:deal_id}/notes": Guard("alice", deal_notes, of=the_deal),
    "page deals:detail": Guard("alice", deal_notes, "?tab=shared", of=the_deal),
    "api /settings/markets": Guard("victor", markets),
    "api /webhooks/{int:webhook_id}/deliveries": Guard("alice", deliveries, of=the_webhook),
    "page webhooks:detail": Guard(
        "alice", deliveries, of=the_webhook, shows='<td class="font-monospace">'
    ),
    "page crm:customer-detail": Guard("alice", customer_notes, of=the_customer),
    "page points:tier": Guard("alice", open_opportunities),
    "api /deals/views": Guard("alice", deal_views),
    "page dashboard:home": Guard("alice", sales, shows=None),
    "page dashboard:partner": Guard("victor", sales, of=lambda world: world.northwind, shows=None),
    "api /partners/{int:partner_id}/locations": Guard(
        "alice", locations, of=lambda world: world.northwind
    ),
}

# Guarded by their own app's suite with a fixed query budget over several rows (not yet a
# growing dataset); named here so the walk knows.
ELSEWHERE: dict[str, str] = {
    "api /tasks": "openprm/goals/tests/test_task_api.py",
    "page goals:tasks": "openprm/goals/tests/test_task_pages.py",
    "page goals:portfolio": "openprm/goals/tests/test_pages.py",
    "api /goal-plans": "openprm/goals/tests/test_api.py",
}

# Lists that still have no guard that grows the data: each needs its own rows (a plan, a
# webhook, an import…) built here. Every one has at most a fixed budget in its app's suite.
UNGUARDED: dict[str, str] = {
    "api /settings/exchange-rates": "program configuration, a few dozen rows",
    "api /commissions/statements": "needs commission statements",
    "api /deal-stages": "program configuration, a handful of stages",
    "api /settings/assignment-rules": "needs assignment rules",
    "api /goal-plans/{plan_id}/reviews": "needs a plan's reviews",
    "api /goal-plans/{plan_id}/reviews/{review_id}/task-updates": "needs a review's updates",
    "api /tasks/{task_id}/progress-updates": "needs a task's updates",
    "api /notifications/preferences": "one row per notification kind",
    "api /settings/points-rules": "needs rule versions",
    "api /privacy/erasures": "needs erasures",
    "page privacy:requests": "needs erasures",
    "api /referrals/sales-stages": "program configuration",
    "api /referrals/solution-types": "program configuration",
    "api /referrals/stage-mappings": "needs a partner's CRM stages",
    "page referrals:crm-stages": "needs a partner's CRM stages",
    "api /referrals/campaigns": "needs campaigns",
    "page referrals:campaigns": "needs campaigns",
    "api /settings/solution-types": "program configuration",
    "api /settings/assessment-vettings": "program configuration, one row per vetted partner",
    "api /settings/currencies": "program configuration, a few dozen currencies",
    "api /settings/default-tasks": "program configuration, a handful of default tasks",
    "api /settings/products": "program configuration, the vendor's product catalog",
    "api /imports": "needs import jobs",
    "page imports:list": "needs import jobs",
    "page deals:vendor-opportunities": "needs a rep's opportunities",
    "page dashboard:report": "needs a report's rows",
    "page dashboard:partner-report": "needs a report's rows",
    "page dashboard:saved-report": "needs a report's rows",
}

# GET pages that list nothing that grows: forms, one object, settings, files.
NOT_LISTS = {
    "home", "login", "healthz", "admin:index",
    "accounts:invitation_accept", "accounts:password_change", "accounts:password_reset",
    "accounts:password_reset_complete", "accounts:password_reset_confirm",
    "accounts:password_reset_done", "accounts:settings", "accounts:two_factor",
    "accounts:two_factor_setup", "accounts:two_factor_sign_in", "accounts:user_edit",
    "accounts:user_invite",
    "crm:contact-create", "crm:contact-detail", "crm:contact-edit",
    "crm:partner-application-approve", "crm:partner-application-detail",
    "crm:partner-application-reject", "crm:partner-apply", "crm:partner-apply-sent",
    "crm:partner-create", "crm:partner-detail", "crm:partner-edit", "crm:partner-invite",
    "crm:partner-location-add",
    "dashboard:export-download", "dashboard:statement-download",
    "deals:attachment", "deals:change-product", "deals:convert", "deals:create", "deals:edit",
    "deals:lead-recipients",
    "goals:detail", "goals:plan", "goals:review", "goals:review-new", "goals:setup",
    "goals:targets", "goals:task", "goals:task-new",
    "imports:detail", "imports:template", "imports:upload",
    "notifications:preferences", "points:customer",
    "referrals:accept", "referrals:close-lost", "referrals:create",
    "referrals:customer-suggestions", "referrals:decline", "referrals:detail",
    "referrals:edit", "referrals:export", "referrals:register", "referrals:send",
    "referrals:team-add", "referrals:team-edit", "referrals:team-remove",
    "webhooks:create", "webhooks:edit",
}  # fmt: skip


def answers_a_list(operation: Any) -> bool:
    """A paged list (ninja's `items`) or a bare JSON array, by the 200 answer's schema."""
    model = operation.response_models.get(200)
    field = getattr(model, "model_fields", {}).get("response")
    if field is None:
        return False
    annotation = str(field.annotation)
    return "Paged" in annotation or annotation.startswith("list[")


def api_lists() -> list[str]:
    api.urls  # noqa: B018 -- binds the routers
    listed = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if "GET" in operation.methods and answers_a_list(operation):
                    full = "/".join(p for p in (prefix, path) if p)
                    listed.add(full)
    operations = {path for method, path in api_operations() if method == "GET"}
    return sorted(f"api {path}" for path in operations if path.lstrip("/") in listed_paths(listed))


def listed_paths(listed: set[str]) -> set[str]:
    from ninja.utils import normalize_path

    return {normalize_path(path).lstrip("/") for path in listed}


def get_pages() -> list[str]:
    return sorted(f"page {row.route}" for row in ROWS if row.kind == "page" and row.method == "GET")


def rowless() -> list[str]:
    known = GUARDS.keys() | ELSEWHERE.keys() | UNGUARDED.keys()
    pages = [p for p in get_pages() if p.removeprefix("page ") not in NOT_LISTS]
    return [route for route in api_lists() + pages if route not in known]


def test_every_list_route_has_a_row():
    missing = rowless()
    assert not missing, f"list routes without a row in tests/test_query_counts.py: {missing}"


def test_a_list_route_without_a_row_is_named(monkeypatch):
    monkeypatch.delitem(GUARDS, "api /deals")
    monkeypatch.delitem(UNGUARDED, "page imports:list")
    assert rowless() == ["api /deals", "page imports:list"]


def test_every_row_names_a_list_route():
    routes = set(api_lists()) | set(get_pages())
    named = GUARDS.keys() | ELSEWHERE.keys() | UNGUARDED.keys() | {f"page {p}" for p in NOT_LISTS}
    stale = sorted(named - routes)
    assert not stale, f"rows for routes that are no longer lists: {stale}"


def path_of(route: str, world: World, guard: Guard) -> str:
    """The route's address; a nested list's path names the object its rows belong to."""
    kind, name = route.split(" ", 1)
    of = guard.of(world).pk if guard.of else None
    if kind == "api":
        return "/api/v1" + re.sub(r"\{[^}]+\}", str(of), name)
    return reverse(name, args=[of] if of else [])


@pytest.fixture
def world(northwind, alice, victor, vendor) -> World:
    reviewer = MembershipFactory.create(organization=vendor, role=Role.REVIEWER).user
    return World(northwind=northwind, users={"alice": alice, "victor": victor, "rita": reviewer})


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Export files land in the test's own folder, not in ./var."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("route", sorted(GUARDS))
def test_the_list_costs_the_same_queries_for_three_or_nine_rows(client, world, route):
    guard = GUARDS[route]
    client.force_login(world.users[guard.role])
    path = path_of(route, world, guard) + guard.query
    client.get(path)  # warms what the server keeps between requests (rules, settings)
    few, many = assert_queries_do_not_grow(
        lambda: client.get(path), lambda count: guard.add(world, count)
    )
    assert (few.status_code, many.status_code) == (200, 200)
    if guard.shows is None:
        assert many.content != few.content, "the added rows change no figure"
    else:
        assert listed(many, guard) > listed(few, guard), "the added rows are not listed"


def listed(response: Any, guard: Guard) -> int:
    """How many rows the answer lists: the API's count or array, the page's marked rows."""
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        return body["count"] if isinstance(body, dict) else len(body)
    return response.content.decode().count(guard.shows or MARKER)
