"""What partners and vendor staff see on the referral pages, and what their buttons do."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from openprm.core.testing import assert_not_found
from openprm.crm.models import OpportunityKind
from openprm.crm.tests.factories import CustomerFactory
from openprm.deals.models import Registration, RegistrationState
from openprm.notifications.models import Notification
from openprm.referrals.crm_stages.services import crm_stage_save
from openprm.referrals.lifecycle.services import referral_close, referral_decline, referral_update
from openprm.referrals.models import PartnerCrmStage, Referral, Substatus
from openprm.referrals.stages.services import referral_mark_stage
from openprm.referrals.tests.factories import create_referral, member, send_referral

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7 proof of the win"


@pytest.fixture
def customer():
    return CustomerFactory.create(name="Sakura Foods", country="JP")


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def list_url(**query: str) -> str:
    params = "&".join(f"{k}={v}" for k, v in query.items())
    return f"{reverse('referrals:list')}?{params}"


def detail_url(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


def all_stages_marked(referral: Referral, actor) -> Referral:
    return referral_mark_stage(referral=referral, actor=actor, stage="present")


# --- the list (D1) ---------------------------------------------------------------------------


def test_the_list_has_the_three_tabs_and_the_new_deal_and_send_referral_buttons(client, alice):
    html = page(client, alice, reverse("referrals:list"))
    for label in (
        "Co-sell referrals",
        "Inbound",
        "Outbound",
        "Closed",
        "New deal",
        "Send referral",
    ):
        assert label in html
    assert reverse("referrals:create") in html
    assert reverse("referrals:send") in html


def test_a_received_referral_is_on_the_inbound_tab_with_its_expiry(client, alice, sam, northwind):
    send_referral(actor=sam, partner=northwind, name="Contoso lead: Sakura Foods")
    inbound = page(client, alice, list_url(tab="inbound"))
    outbound = page(client, alice, list_url(tab="outbound"))
    assert "Contoso lead: Sakura Foods" in inbound
    assert "Received" in inbound
    assert "Expires" in inbound
    assert "Contoso lead: Sakura Foods" not in outbound


def test_a_created_solution_assessment_is_on_outbound_with_its_label(client, alice):
    create_referral(actor=alice, kind=OpportunityKind.SOLUTION_ASSESSMENT, name="Sakura cloud")
    outbound = page(client, alice, list_url(tab="outbound"))
    assert "Sakura cloud" in outbound
    assert "Solution Assessment" in outbound
    assert "Accepted" in outbound
    assert "Sakura cloud" not in page(client, alice, list_url(tab="inbound"))


def test_the_closed_tab_holds_a_declined_referral(client, alice, sam, northwind):
    referral = send_referral(actor=sam, partner=northwind, name="Declined lead")
    referral_decline(referral=referral, actor=alice, reason="no_capacity")
    assert "Declined lead" in page(client, alice, list_url(tab="closed"))
    assert "Declined lead" not in page(client, alice, list_url(tab="inbound"))


def test_the_deal_type_filter_keeps_only_solution_assessments(client, alice):
    create_referral(actor=alice, kind=OpportunityKind.SOLUTION_ASSESSMENT, name="Assessment deal")
    create_referral(actor=alice, name="Co-sell deal")
    html = page(client, alice, list_url(tab="outbound", deal_type="solution_assessment"))
    assert "Assessment deal" in html
    assert "Co-sell deal" not in html


def test_the_campaign_filter_keeps_only_that_campaign(client, alice):
    create_referral(actor=alice, name="Spring deal", campaign_id="SPRING-26")
    create_referral(actor=alice, name="Other deal", campaign_id="AUTUMN-26")
    html = page(client, alice, list_url(tab="outbound", campaign_id="SPRING-26"))
    assert "Spring deal" in html
    assert "Other deal" not in html


def test_the_status_filter_and_the_stage_filter(client, alice):
    marked = create_referral(actor=alice, name="Data deal")
    referral_mark_stage(referral=marked, actor=alice, stage="gather_data")
    create_referral(actor=alice, name="Fresh deal")
    html = page(client, alice, list_url(tab="outbound", stage="gather_data", status="accepted"))
    assert "Data deal" in html
    assert "Fresh deal" not in html


def test_the_close_date_filter_takes_a_range(client, alice):
    today = datetime.date.today()
    create_referral(actor=alice, name="Soon deal", estimated_close_date=today)
    create_referral(
        actor=alice, name="Late deal", estimated_close_date=today + datetime.timedelta(days=200)
    )
    end = (today + datetime.timedelta(days=10)).isoformat()
    html = page(client, alice, list_url(tab="outbound", close_from=today.isoformat(), close_to=end))
    assert "Soon deal" in html
    assert "Late deal" not in html


def test_the_location_filter_keeps_only_that_location(client, alice, seattle, tokyo):
    create_referral(actor=alice, name="Tokyo deal", location=tokyo)
    create_referral(actor=alice, name="Seattle deal", location=seattle)
    html = page(client, alice, list_url(tab="outbound", location=str(tokyo.pk)))
    assert "Tokyo deal" in html
    assert "Seattle deal" not in html


def test_sorting_by_highest_value_puts_the_bigger_deal_first(client, alice):
    create_referral(actor=alice, name="Small deal", amount_minor=100_00)
    create_referral(actor=alice, name="Big deal", amount_minor=900_000_00)
    html = page(client, alice, list_url(tab="outbound", ordering="-value"))
    assert html.index("Big deal") < html.index("Small deal")
    html = page(client, alice, list_url(tab="outbound", ordering="name"))
    assert html.index("Big deal") < html.index("Small deal")


def test_every_filter_has_a_label(client, alice):
    html = page(client, alice, reverse("referrals:list"))
    for name in ("deal_type", "status", "stage", "location", "close_from", "close_to"):
        assert re.search(rf'<label[^>]+for="id_{name}"', html), name
    for label in ("Deal type", "Status", "Stage", "Location", "Marketing campaign ID", "Sort by"):
        assert label in html


def test_the_list_is_a_fixed_number_of_queries(client, alice, django_assert_max_num_queries):
    for n in range(6):
        create_referral(actor=alice, name=f"Deal {n}", team=[member(n)])
    client.force_login(alice)
    client.get(list_url(tab="outbound"))
    with django_assert_max_num_queries(12):
        response = client.get(list_url(tab="outbound"))
    assert response.content.decode().count("Deal ") >= 6


def test_vendor_staff_get_the_vendor_list_and_partners_the_partner_list(client, alice, sam):
    client.force_login(alice)
    assert client.get(reverse("referrals:vendor-list")).status_code == 404
    client.force_login(sam)
    assert client.get(reverse("referrals:list"))["Location"] == reverse("referrals:vendor-list")


def test_a_sales_rep_sees_the_referral_they_sent_with_send_referral(client, sam, northwind):
    send_referral(actor=sam, partner=northwind, name="Rep lead")
    html = page(client, sam, reverse("referrals:vendor-list"))
    assert "Rep lead" in html
    assert "Send referral" in html
    assert "Northwind Traders" in html
    assert "Pending" in html


def test_the_pdm_sees_the_referrals_of_the_partner_they_manage_without_send(
    client, pam, sam, northwind, tailspin
):
    send_referral(actor=sam, partner=northwind, name="Northwind lead")
    send_referral(actor=sam, partner=tailspin, name="Tailspin lead")
    html = page(client, pam, reverse("referrals:vendor-list"))
    assert "Northwind lead" in html
    assert "Tailspin lead" not in html
    assert "Send referral" not in html


# --- visibility (D3) -------------------------------------------------------------------------


def test_another_partners_referral_is_not_found(client, alice, charlie):
    theirs = create_referral(actor=charlie, name="Tailspin secret")
    client.force_login(alice)
    assert client.get(detail_url(theirs)).status_code == 404
    assert client.get(reverse("referrals:accept", args=[theirs.pk])).status_code == 404
    assert "Tailspin secret" not in page(client, alice, list_url(tab="outbound"))


def test_a_scoped_user_sees_a_received_referral_in_scope_only(
    client, bob, sam, northwind, seattle, tokyo
):
    in_scope = send_referral(actor=sam, partner=northwind, name="US lead", location=seattle)
    out_of_scope = send_referral(actor=sam, partner=northwind, name="JP lead", location=tokyo)
    html = page(client, bob, list_url(tab="inbound"))
    assert "US lead" in html
    assert "JP lead" not in html
    assert client.get(detail_url(in_scope)).status_code == 200
    assert client.get(detail_url(out_of_scope)).status_code == 404


def test_a_scoped_user_sees_an_accepted_deal_only_when_on_its_team(client, alice, bob, seattle):
    without = create_referral(actor=alice, name="Not Bob's", location=seattle)
    with_bob = create_referral(
        actor=alice,
        name="Bob's deal",
        location=seattle,
        team=[member(1, email=bob.email)],
    )
    client.force_login(bob)
    assert_not_found(client.get(detail_url(without)), escape("Not Bob's"))
    shown = client.get(detail_url(with_bob))
    assert shown.status_code == 200
    assert escape("Bob's deal") in shown.content.decode()


# --- send (D1) -------------------------------------------------------------------------------


def send_data(office, chosen, /, **overrides) -> dict:
    data = {
        "receiving_location": office.pk,
        "customer": chosen.pk,
        "name": "Sakura Foods rollout",
        "contact_name": "",
        "contact_phone": "",
        "contact_email": "",
        "value": "24000",
        "currency": "USD",
        "estimated_close_date": "",
        "notes": "They want a local partner.",
    }
    data.update(overrides)
    return data


def test_send_referral_has_a_label_for_every_input(client, sam):
    html = page(client, sam, reverse("referrals:send"))
    for label in ("Receiving partner", "Customer", "Deal name", "Estimated value", "Notes"):
        assert label in html
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html)
    for input_id in ids:
        if input_id != "language-switcher":
            assert f'for="{input_id}"' in html, input_id


def test_send_referral_finds_the_customer_by_name_without_listing_the_directory(
    client, sam, seattle, customer
):
    CustomerFactory.create(name="Hikari Robotics", country="JP")
    client.force_login(sam)
    assert "Hikari Robotics" not in client.get(reverse("referrals:send")).content.decode()
    data = {**send_data(seattle, customer, customer=""), "q": "Sakura", "search": "1"}
    html = client.post(reverse("referrals:send"), data).content.decode()
    assert f'name="customer" id="customer-{customer.pk}" value="{customer.pk}"' in html
    assert "Hikari Robotics" not in html
    assert "This field is required." not in html
    assert not Referral.objects.exists()


def test_sending_without_a_customer_asks_for_one(client, sam, seattle, customer):
    client.force_login(sam)
    response = client.post(reverse("referrals:send"), send_data(seattle, customer, customer=""))
    assert "Choose the customer from the suggestions." in response.content.decode()
    assert not Referral.objects.exists()


def test_a_sent_referral_arrives_on_the_partners_inbound_tab(client, sam, alice, seattle, customer):
    client.force_login(sam)
    response = client.post(reverse("referrals:send"), send_data(seattle, customer))
    referral = Referral.objects.get()
    assert response["Location"] == detail_url(referral)
    assert referral.substatus == Substatus.RECEIVED
    assert referral.location == seattle
    assert "Sakura Foods rollout" in page(client, alice, list_url(tab="inbound"))


def test_sending_a_zero_value_names_the_field_and_saves_nothing(client, sam, seattle, customer):
    client.force_login(sam)
    response = client.post(reverse("referrals:send"), send_data(seattle, customer, value="0"))
    assert response.status_code == 200
    assert "Must be more than zero." in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": "24000.001"}, "value", "USD amounts have at most 2 decimal places."),
        ({"currency": "JPY", "value": "2400.5"}, "value", "JPY amounts have no decimal places."),
        (
            {"estimated_close_date": "1899-12-31"},
            "estimated_close_date",
            "Enter a date in 1900 or later.",
        ),
    ],
)
def test_sending_what_cannot_be_stored_as_typed_names_the_field(
    client, sam, seattle, customer, overrides, field, message
):
    client.force_login(sam)
    response = client.post(reverse("referrals:send"), send_data(seattle, customer, **overrides))
    assert response.context["form"].errors[field] == [message]
    assert not Referral.objects.exists()


def test_a_partner_cannot_send_to_its_own_location(client, alice, seattle, customer):
    client.force_login(alice)
    response = client.post(reverse("referrals:send"), send_data(seattle, customer))
    assert response.status_code == 200
    assert not Referral.objects.exists()


# --- the detail page and its actions (D4 to D8) ------------------------------------------------


def test_a_received_referral_shows_accept_decline_and_its_expiry(client, alice, sam, northwind):
    referral = send_referral(actor=sam, partner=northwind)
    html = page(client, alice, detail_url(referral))
    assert "Received" in html
    assert "Expires" in html
    assert reverse("referrals:accept", args=[referral.pk]) in html
    assert reverse("referrals:decline", args=[referral.pk]) in html
    assert reverse("referrals:edit", args=[referral.pk]) not in html


def test_the_sender_sees_the_state_but_no_actions(client, sam, northwind):
    referral = send_referral(actor=sam, partner=northwind)
    html = page(client, sam, detail_url(referral))
    assert "Pending" in html
    assert reverse("referrals:accept", args=[referral.pk]) not in html
    client.force_login(sam)
    assert client.get(reverse("referrals:accept", args=[referral.pk])).status_code == 404


def test_the_detail_page_is_a_fixed_number_of_queries(client, alice, django_assert_max_num_queries):
    referral = create_referral(actor=alice, team=[member(1), member(2), member(3)])
    all_stages_marked(referral, alice)
    client.force_login(alice)
    with django_assert_max_num_queries(20):
        response = client.get(detail_url(referral))
    assert response.status_code == 200


def accept_data(**overrides) -> dict:
    data = {
        "name": "Sakura Foods (accepted)",
        "value": "30000",
        "purchase_timeframe": "3m",
        "notes": "Called their CIO: they need it by spring.",
        "crm_id": "CRM-7",
        "campaign_id": "SPRING-26",
        "team-first_name": "",
        "team-last_name": "",
        "team-phone": "",
        "team-email": "",
    }
    data.update(overrides)
    return data


def test_accept_asks_for_name_value_timeframe_notes_and_optional_ids(client, alice, sam, northwind):
    referral = send_referral(actor=sam, partner=northwind)
    html = page(client, alice, reverse("referrals:accept", args=[referral.pk]))
    for label in ("Deal name", "Estimated value", "Purchase timeframe", "Notes", "CRM ID"):
        assert label in html
    assert "Marketing campaign ID" in html


def test_accepting_without_notes_names_the_field_and_keeps_it_received(
    client, alice, sam, northwind
):
    referral = send_referral(actor=sam, partner=northwind)
    client.force_login(alice)
    response = client.post(reverse("referrals:accept", args=[referral.pk]), accept_data(notes=""))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    referral.refresh_from_db()
    assert referral.substatus == Substatus.RECEIVED


def test_accepting_moves_it_to_accepted_with_the_accepter_on_the_team(
    client, alice, sam, northwind
):
    referral = send_referral(actor=sam, partner=northwind)
    client.force_login(alice)
    response = client.post(
        reverse("referrals:accept", args=[referral.pk]),
        accept_data(**{"team-first_name": "Ken", "team-last_name": "Mori",
                       "team-phone": "+1 206 555 0101", "team-email": "ken@northwind.example"}),
    )  # fmt: skip
    assert response["Location"] == detail_url(referral)
    referral.refresh_from_db()
    assert referral.substatus == Substatus.ACCEPTED
    assert referral.opportunity.name == "Sakura Foods (accepted)"
    assert referral.campaign_id == "SPRING-26"
    emails = set(referral.team_members.values_list("email", flat=True))
    assert emails == {alice.email, "ken@northwind.example"}


def test_past_its_expiry_a_referral_offers_no_accept_even_before_the_sweep(
    client, alice, sam, northwind, time_machine
):
    time_machine.move_to("2026-12-01 09:00Z", tick=False)
    referral = send_referral(actor=sam, partner=northwind)
    time_machine.move_to("2026-12-15 09:00Z", tick=False)
    html = page(client, alice, detail_url(referral))
    assert "Expired" in html
    assert reverse("referrals:accept", args=[referral.pk]) not in html
    assert client.get(reverse("referrals:accept", args=[referral.pk])).status_code == 404


def test_declining_with_a_reason_archives_it_and_notifies_the_sender(
    client, alice, sam, northwind, django_capture_on_commit_callbacks
):
    referral = send_referral(actor=sam, partner=northwind)
    html = page(client, alice, reverse("referrals:decline", args=[referral.pk]))
    assert "Reason" in html
    assert "Message" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("referrals:decline", args=[referral.pk]),
            {"reason": "no_capacity", "message": "Fully booked until March."},
        )
    assert response["Location"] == detail_url(referral)
    referral.refresh_from_db()
    assert referral.substatus == Substatus.DECLINED
    assert Notification.objects.filter(recipient=sam, kind="referral_answered").exists()
    html = page(client, alice, detail_url(referral))
    assert "Fully booked until March." in html
    assert reverse("referrals:accept", args=[referral.pk]) not in html


def test_an_accepted_deal_offers_edit_add_team_stages_and_closing(client, alice):
    referral = create_referral(actor=alice)
    html = page(client, alice, detail_url(referral))
    for url_name in ("edit", "team-add", "stages", "close-won", "close-lost"):
        assert reverse(f"referrals:{url_name}", args=[referral.pk]) in html
    assert reverse("referrals:accept", args=[referral.pk]) not in html


def test_edit_offers_neither_location_nor_solution(client, alice):
    referral = create_referral(actor=alice, kind=OpportunityKind.SOLUTION_ASSESSMENT)
    html = page(client, alice, reverse("referrals:edit", args=[referral.pk]))
    for label in ("Deal name", "Estimated close date", "Estimated value", "Notes", "CRM ID"):
        assert label in html
    assert 'name="location"' not in html
    assert 'name="solution_type"' not in html
    assert 'name="assessment_location"' not in html


def test_editing_saves_the_new_name_and_campaign(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    response = client.post(
        reverse("referrals:edit", args=[referral.pk]),
        {
            "name": "Renamed deal",
            "estimated_close_date": "2027-02-01",
            "value": "1234.50",
            "notes": "Budget approved.",
            "crm_id": "",
            "campaign_id": "WINTER-27",
            "version": referral.version,
        },
    )
    assert response["Location"] == detail_url(referral)
    referral.refresh_from_db()
    assert referral.opportunity.name == "Renamed deal"
    assert referral.opportunity.amount_minor == 123450
    assert referral.campaign_id == "WINTER-27"


def test_an_edit_with_more_decimals_than_the_currency_has_names_the_value(client, alice):
    referral = create_referral(actor=alice)
    before = referral.opportunity.amount_minor
    client.force_login(alice)
    response = client.post(
        reverse("referrals:edit", args=[referral.pk]),
        {"name": "X", "estimated_close_date": "2027-02-01", "value": "1234.505", "notes": "N",
         "crm_id": "", "campaign_id": "", "version": referral.version},
    )  # fmt: skip
    assert response.context["form"].errors["value"] == [
        "USD amounts have at most 2 decimal places."
    ]
    referral.refresh_from_db()
    assert referral.opportunity.amount_minor == before


def test_a_stale_edit_says_someone_changed_it(client, alice):
    referral = create_referral(actor=alice)
    stale = referral.version
    referral_update(referral=referral, actor=alice, notes="Changed meanwhile.")
    client.force_login(alice)
    response = client.post(
        reverse("referrals:edit", args=[referral.pk]),
        {"name": "X", "estimated_close_date": "2027-02-01", "value": "10", "notes": "N",
         "crm_id": "", "campaign_id": "", "version": stale},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Someone changed this referral" in response.content.decode()


def test_add_team_refuses_an_incomplete_member_and_adds_a_complete_one(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    url = reverse("referrals:team-add", args=[referral.pk])
    incomplete = {"first_name": "Ken", "last_name": "Mori", "phone": "", "email": "ken@nw.example"}
    assert client.post(url, incomplete).status_code == 200
    assert not referral.team_members.filter(email="ken@nw.example").exists()
    response = client.post(url, {**incomplete, "phone": "+1 206 555 0101"})
    assert response["Location"] == detail_url(referral)
    assert referral.team_members.filter(email="ken@nw.example").exists()


def test_marking_a_stage_marks_every_stage_below_it(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    client.post(reverse("referrals:stages", args=[referral.pk]), {"stage": "gather_data"})
    marked = set(referral.stage_marks.values_list("stage__code", flat=True))
    assert {"created", "accepted", "secure_loe", "gather_data"} <= marked
    assert "prepare_report" not in marked


def test_won_is_disabled_for_an_assessment_and_names_the_missing_stages(client, alice):
    referral = create_referral(actor=alice, kind=OpportunityKind.SOLUTION_ASSESSMENT)
    html = page(client, alice, detail_url(referral))
    won_button = re.search(r"<button[^>]*>Won</button>", html)
    assert won_button is not None
    assert "disabled" in won_button.group(0)
    assert "Missing:" in html
    for stage in ("Secure customer LOE", "Gather data", "Prepare assessment report"):
        assert stage in html.split("Missing:")[1]


def test_won_is_enabled_once_every_stage_is_complete(client, alice):
    referral = create_referral(actor=alice, kind=OpportunityKind.SOLUTION_ASSESSMENT)
    all_stages_marked(referral, alice)
    html = page(client, alice, detail_url(referral))
    won_button = re.search(r"<button[^>]*>Won</button>", html)
    assert won_button is not None
    assert "disabled" not in won_button.group(0)


def test_closing_as_won_moves_it_to_closed_with_no_actions_left(client, alice):
    referral = create_referral(actor=alice, name="Won deal")
    client.force_login(alice)
    client.post(reverse("referrals:close-won", args=[referral.pk]), {"mrr": "500"})
    referral.refresh_from_db()
    assert referral.substatus == Substatus.WON
    assert "Won deal" in page(client, alice, list_url(tab="closed"))
    html = page(client, alice, detail_url(referral))
    for url_name in ("edit", "team-add", "stages", "close-won", "close-lost"):
        assert reverse(f"referrals:{url_name}", args=[referral.pk]) not in html


def test_closing_as_won_with_more_decimals_than_the_currency_has_says_so(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    url = reverse("referrals:close-won", args=[referral.pk])
    response = client.post(url, {"mrr": "400.001"}, follow=True)
    assert "USD amounts have at most 2 decimal places." in response.content.decode()
    referral.refresh_from_db()
    assert referral.substatus == Substatus.ACCEPTED


def test_closing_as_lost_needs_a_reason(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    url = reverse("referrals:close-lost", args=[referral.pk])
    assert client.post(url, {"reason": "", "note": ""}).status_code == 200
    response = client.post(url, {"reason": "competitor", "note": "They chose Fabrikam."})
    assert response["Location"] == detail_url(referral)
    referral.refresh_from_db()
    assert referral.substatus == Substatus.LOST
    assert referral.lost_reason == "competitor"


def won_assessment(alice) -> Referral:
    referral = create_referral(actor=alice, kind=OpportunityKind.SOLUTION_ASSESSMENT)
    all_stages_marked(referral, alice)
    return referral_close(referral=referral, actor=alice, outcome="won", mrr_minor=50_000)


def test_after_won_an_eligible_deal_is_registered_into_the_queue(client, alice):
    referral = won_assessment(alice)
    html = page(client, alice, detail_url(referral))
    register_url = reverse("referrals:register", args=[referral.pk])
    assert register_url in html
    form = page(client, alice, register_url)
    for label in ("Won value", "Close date", "Vendor account or subscription IDs", "Proof"):
        assert label in form
    response = client.post(
        register_url,
        {
            "won_value": "50000",
            "closed_on": datetime.date.today().isoformat(),
            "account_ids": "SUB-1001, SUB-1002",
            "proof": SimpleUploadedFile("po.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response["Location"] == detail_url(referral)
    referral.refresh_from_db()
    assert referral.registration.registration.state == RegistrationState.SUBMITTED
    html = page(client, alice, detail_url(referral))
    assert "Submitted" in html
    assert "Won less than 72 hours after creation" in html
    assert register_url not in html


def test_a_registration_without_proof_names_the_field(client, alice):
    referral = won_assessment(alice)
    client.force_login(alice)
    response = client.post(
        reverse("referrals:register", args=[referral.pk]),
        {"won_value": "50000", "closed_on": "2026-12-01", "account_ids": "SUB-1"},
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"won_value": "50000.001"}, "won_value", "USD amounts have at most 2 decimal places."),
        ({"closed_on": "1899-12-01"}, "closed_on", "Enter a date in 1900 or later."),
    ],
)
def test_a_registration_that_cannot_be_stored_as_typed_names_the_field(
    client, alice, overrides, field, message
):
    referral = won_assessment(alice)
    client.force_login(alice)
    data = {
        "won_value": "50000",
        "closed_on": datetime.date.today().isoformat(),
        "account_ids": "SUB-1",
        "proof": SimpleUploadedFile("po.pdf", PDF, content_type="application/pdf"),
        **overrides,
    }
    response = client.post(reverse("referrals:register", args=[referral.pk]), data)
    assert response.context["form"].errors[field] == [message]
    assert not Registration.objects.exists()


# --- settings: the partner's CRM stages (D9) -------------------------------------------------


def test_the_partner_settings_link_to_crm_stages_for_the_admin_only(client, alice, bob):
    assert reverse("referrals:crm-stages") in page(client, alice, reverse("accounts:settings"))
    assert reverse("referrals:crm-stages") not in page(client, bob, reverse("accounts:settings"))
    client.force_login(bob)
    assert client.get(reverse("referrals:crm-stages")).status_code == 404


def test_a_crm_stage_is_saved_and_shown_with_the_standard_stage_it_maps_to(client, alice):
    client.force_login(alice)
    response = client.post(
        reverse("referrals:crm-stages"), {"name": "Proposal", "percentage": "65"}
    )
    assert response["Location"] == reverse("referrals:crm-stages")
    html = page(client, alice, reverse("referrals:crm-stages"))
    row = html.split("Proposal")[1].split("</tr>")[0]
    assert "65%" in row
    assert "Prepare assessment report" in row


def test_a_crm_stage_above_100_percent_is_refused(client, alice):
    client.force_login(alice)
    response = client.post(reverse("referrals:crm-stages"), {"name": "Huge", "percentage": "140"})
    assert response.status_code == 200
    assert "Give a percentage from 0 to 100." in response.content.decode()
    assert not PartnerCrmStage.objects.exists()


def test_a_crm_stage_is_deleted(client, alice):
    stage = crm_stage_save(actor=alice, name="Qualify", percentage=20)
    client.force_login(alice)
    client.post(reverse("referrals:crm-stage-delete", args=[stage.pk]))
    assert not PartnerCrmStage.objects.exists()


# --- the campaign report ---------------------------------------------------------------------


def test_the_campaign_report_counts_created_won_value_and_win_rate(client, alice):
    won = create_referral(actor=alice, campaign_id="SPRING-26", amount_minor=1_000_00)
    referral_close(referral=won, actor=alice, outcome="won", mrr_minor=100)
    lost = create_referral(actor=alice, campaign_id="SPRING-26")
    referral_close(referral=lost, actor=alice, outcome="lost", lost_reason="price")
    create_referral(actor=alice, campaign_id="SPRING-26")
    html = page(client, alice, reverse("referrals:campaigns"))
    row = html.split("SPRING-26")[1].split("</tr>")[0]
    cells = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    assert [c.strip() for c in cells] == ["3", "1", "$1,000.00", "50%"]


def test_the_campaign_report_leaves_out_other_partners_campaigns(client, alice, charlie):
    create_referral(actor=charlie, campaign_id="TAILSPIN-ONLY")
    assert "TAILSPIN-ONLY" not in page(client, alice, reverse("referrals:campaigns"))


# --- export ----------------------------------------------------------------------------------


def test_the_export_link_carries_the_current_filters(client, alice):
    html = page(client, alice, list_url(tab="outbound", campaign_id="SPRING-26"))
    assert "tab=outbound&amp;campaign_id=SPRING-26&amp;format=csv" in html
    assert "format=xlsx" in html


def test_the_csv_export_holds_the_filtered_list_of_the_tab(client, alice):
    create_referral(actor=alice, name="Spring deal", campaign_id="SPRING-26")
    create_referral(actor=alice, name="Autumn deal", campaign_id="AUTUMN-26")
    client.force_login(alice)
    response = client.get(
        reverse("referrals:export"),
        {"tab": "outbound", "campaign_id": "SPRING-26", "format": "csv"},
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    assert "Spring deal" in body
    assert "Autumn deal" not in body


def test_the_xlsx_export_is_a_workbook(client, alice):
    create_referral(actor=alice, name="Spring deal")
    client.force_login(alice)
    response = client.get(reverse("referrals:export"), {"tab": "outbound", "format": "xlsx"})
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_an_unknown_export_format_is_not_found(client, alice):
    client.force_login(alice)
    assert_not_found(client.get(reverse("referrals:export"), {"format": "pdf"}))


def test_posting_won_with_stages_missing_is_refused_naming_them(client, alice):
    referral = create_referral(actor=alice, kind=OpportunityKind.SOLUTION_ASSESSMENT)
    client.force_login(alice)
    response = client.post(
        reverse("referrals:close-won", args=[referral.pk]), {"mrr": "500"}, follow=True
    )
    referral.refresh_from_db()
    assert referral.substatus == Substatus.ACCEPTED
    assert "missing: Secure customer LOE" in response.content.decode()


def test_won_without_mrr_names_the_field(client, alice):
    referral = create_referral(actor=alice)
    client.force_login(alice)
    response = client.post(reverse("referrals:close-won", args=[referral.pk]), {}, follow=True)
    referral.refresh_from_db()
    assert referral.substatus == Substatus.ACCEPTED
    assert "This field is required." in response.content.decode()


def test_the_vendor_list_is_a_fixed_number_of_queries(
    client, victor, alice, sam, northwind, django_assert_max_num_queries
):
    for n in range(4):
        send_referral(actor=sam, partner=northwind, name=f"Lead {n}")
        create_referral(actor=alice, name=f"Deal {n}", team=[member(n)])
    client.force_login(victor)
    client.get(reverse("referrals:vendor-list"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("referrals:vendor-list"))
    assert response.content.decode().count("Northwind Traders") >= 8
