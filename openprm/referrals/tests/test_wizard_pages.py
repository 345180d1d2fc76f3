"""The "New deal" wizard page by page (D2): each step checks its input, nothing is saved
before "Create deal", and the deal then lands on the Outbound tab as Accepted."""

import re

import pytest
from django.urls import reverse

from openprm.crm.models import Customer, OpportunityKind
from openprm.crm.tests.factories import CustomerFactory
from openprm.referrals.models import Direction, Referral, SolutionType, Substatus
from openprm.referrals.tests.factories import create_referral, member, vet

pytestmark = pytest.mark.django_db

URL = reverse("referrals:create")


@pytest.fixture
def customer():
    return CustomerFactory.create(
        name="Sakura Foods", country="JP", address="1-1 Marunouchi", duns="123456789"
    )


def post(client, step: str, data: dict):
    return client.post(URL, {"step": step, **data})


def customer_step(chosen, /, **overrides) -> dict:
    data = {
        "deal_type": "co_sell",
        "country": "JP",
        "q": "Sakura",
        "duns": "",
        "customer": chosen.pk,
    }
    data.update(overrides)
    return data


def contact_step(**overrides) -> dict:
    data = {
        "contact_name": "Yui Sato",
        "contact_phone": "+81 3 1234 5678",
        "contact_email": "yui@sakura.example",
        "specialist_memo": "They run SAP on premises.",
        "consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def details_step(office, /, **overrides) -> dict:
    data = {
        "name": "Sakura cloud move",
        "location": office.pk,
        "value": "48000",
        "currency": "USD",
        "estimated_close_date": "2027-03-31",
        "crm_id": "SF-0042",
        "campaign_id": "SPRING-26",
        "notes": "Met their CIO at the Tokyo expo.",
    }
    data.update(overrides)
    return data


def team_step(*rows: dict) -> dict:
    data = {
        "team-TOTAL_FORMS": "3",
        "team-INITIAL_FORMS": "0",
        "team-MIN_NUM_FORMS": "3",
        "team-MAX_NUM_FORMS": "10",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"team-{index}-{key}"] = value
    return data


def walk_to(client, step: str, customer, location, *, deal_type: str = "co_sell") -> None:
    """Posts the steps before `step`, each valid."""
    steps = [
        ("customer", customer_step(customer, deal_type=deal_type)),
        ("contact", contact_step()),
        ("details", details_step(location)),
        ("team", team_step(member(1))),
    ]
    for name, data in steps:
        if name == step:
            return
        response = post(client, name, data)
        assert response.status_code == 302, (name, response.content.decode()[:2000])


def test_the_steps_are_named_as_the_training_material_names_them(client, alice):
    client.force_login(alice)
    html = client.get(URL).content.decode()
    for label in ("New deal", "Customer", "Customer contact", "Deal details", "Team", "Review"):
        assert label in html
    assert "Select customer" in html


def test_suggestions_show_the_address_and_the_duns_number(client, alice, customer):
    CustomerFactory.create(name="Sakura Logistics", country="US")
    client.force_login(alice)
    html = post(client, "customer", customer_step(customer, customer="", search="1")).content
    text = html.decode()
    assert "Sakura Foods" in text
    assert "1-1 Marunouchi" in text
    assert "123456789" in text
    assert "Sakura Logistics" not in text


def test_a_duns_number_finds_the_exact_entity(client, alice, customer):
    CustomerFactory.create(name="Sakura Foods Holdings", country="JP")
    client.force_login(alice)
    full_width = "".join(chr(0xFF10 + int(digit)) for digit in "123456789")
    response = client.get(reverse("referrals:customer-suggestions"), {"duns": full_width})
    text = response.content.decode()
    assert "Sakura Foods" in text
    assert "Sakura Foods Holdings" not in text


def test_the_wizard_is_for_partners_and_the_suggestions_for_every_member(client, sam, customer):
    client.force_login(sam)
    assert client.get(URL).status_code == 404
    response = client.get(reverse("referrals:customer-suggestions"), {"duns": customer.duns})
    assert "Sakura Foods" in response.content.decode()


def test_only_a_vetted_partner_is_offered_solution_assessment(client, alice, northwind):
    client.force_login(alice)
    assert 'value="solution_assessment"' not in client.get(URL).content.decode()
    vet(northwind)
    html = client.get(URL).content.decode()
    assert 'value="solution_assessment"' in html
    assert "Solution Assessment" in html


def test_a_partner_not_vetted_cannot_post_solution_assessment(client, alice, customer):
    client.force_login(alice)
    response = post(client, "customer", customer_step(customer, deal_type="solution_assessment"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_review_names_the_location_and_the_customers_country_in_the_readers_language(
    client, alice, customer, seattle
):
    client.force_login(alice)
    walk_to(client, "review", customer, seattle)
    client.post(reverse("accounts:set_language"), {"language": "ja", "next": "/"})
    review = client.get(f"{URL}?step=review").content.decode()
    assert f"{seattle.name} · アメリカ合衆国</dd>" in review
    assert f"{customer.name} · 日本 · " in review
    assert "(US)" not in review


def test_the_whole_co_sell_wizard_saves_nothing_until_create_deal(client, alice, customer, seattle):
    client.force_login(alice)
    walk_to(client, "review", customer, seattle)
    review = client.get(f"{URL}?step=review").content.decode()
    assert "Sakura cloud move" in review
    assert "Create deal" in review
    assert "Member1 Tanaka" in review
    assert not Referral.objects.exists()
    response = post(client, "review", {"agree": "on"})
    assert response["Location"] == f"{reverse('referrals:list')}?tab=outbound"
    referral = Referral.objects.get()
    assert referral.substatus == Substatus.ACCEPTED
    assert referral.direction == Direction.OUTBOUND
    assert referral.opportunity.kind == OpportunityKind.CO_SELL
    assert referral.opportunity.amount_minor == 4_800_000
    assert referral.campaign_id == "SPRING-26"
    assert referral.has_consent
    assert set(referral.team_members.values_list("email", flat=True)) == {
        "member1@northwind.example",
        alice.email,
    }
    outbound = client.get(f"{reverse('referrals:list')}?tab=outbound").content.decode()
    assert "Sakura cloud move" in outbound


def test_create_deal_needs_the_agree_box(client, alice, customer, seattle):
    client.force_login(alice)
    walk_to(client, "review", customer, seattle)
    response = post(client, "review", {})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Referral.objects.exists()


def test_a_solution_assessment_needs_the_customer_contact(client, alice, northwind, customer):
    vet(northwind)
    client.force_login(alice)
    post(client, "customer", customer_step(customer, deal_type="solution_assessment"))
    response = post(
        client,
        "contact",
        contact_step(contact_name="", contact_phone="", contact_email="", consent=None),
    )
    assert response.status_code == 200
    assert response.content.decode().count("This field is required.") == 3


def test_a_co_sell_contact_is_optional_unless_vendor_help_is_requested(client, alice, customer):
    client.force_login(alice)
    post(client, "customer", customer_step(customer))
    empty = contact_step(contact_name="", contact_phone="", contact_email="", consent=None)
    asked = post(client, "contact", {**empty, "vendor_help_requested": "on"})
    assert asked.status_code == 200
    assert "This field is required." in asked.content.decode()
    assert post(client, "contact", empty).status_code == 302


def test_giving_a_contact_needs_the_customers_consent(client, alice, customer):
    client.force_login(alice)
    post(client, "customer", customer_step(customer))
    response = post(client, "contact", contact_step(consent=None))
    assert response.status_code == 200
    assert "Record the customer&#x27;s consent" in response.content.decode()


def test_deal_details_refuse_a_zero_value_and_a_missing_close_date(
    client, alice, customer, seattle
):
    client.force_login(alice)
    walk_to(client, "details", customer, seattle)
    response = post(client, "details", details_step(seattle, value="0"))
    assert "Must be more than zero." in response.content.decode()
    response = post(client, "details", details_step(seattle, estimated_close_date=""))
    assert "This field is required." in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"value": "48000.001"}, "USD amounts have at most 2 decimal places."),
        ({"estimated_close_date": "1899-12-31"}, "Enter a date in 1900 or later."),
    ],
)
def test_deal_details_refuse_what_cannot_be_stored_as_typed(
    client, alice, customer, seattle, overrides, message
):
    client.force_login(alice)
    walk_to(client, "details", customer, seattle)
    response = post(client, "details", details_step(seattle, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_deal_details_offer_only_the_partners_own_locations(
    client, alice, customer, seattle, tailspin
):
    client.force_login(alice)
    walk_to(client, "details", customer, seattle)
    bangkok = tailspin.locations.get()
    response = post(client, "details", details_step(seattle, location=bangkok.pk))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_deal_details_offer_a_scoped_user_only_the_locations_in_scope(
    client, bob, customer, seattle, tokyo
):
    client.force_login(bob)
    walk_to(client, "details", customer, seattle)
    html = client.get(f"{URL}?step=details").content.decode()
    select = re.search(r'<select name="location".*?</select>', html, re.S)
    assert select is not None
    assert "Seattle" in select[0]
    assert "Tokyo" not in select[0]


def test_the_team_needs_one_complete_member(client, alice, customer, seattle):
    client.force_login(alice)
    walk_to(client, "team", customer, seattle)
    response = post(client, "team", team_step(member(1, phone="")))
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    nobody = post(client, "team", team_step())
    assert "Add at least one team member" in nobody.content.decode()


def test_recent_contacts_are_offered_and_add_fills_an_empty_row(client, alice, customer, seattle):
    create_referral(actor=alice, team=[member(7, first_name="Kenji")])
    client.force_login(alice)
    walk_to(client, "team", customer, seattle)
    html = client.get(f"{URL}?step=team").content.decode()
    assert "Recent contacts" in html
    assert "Kenji" in html
    response = post(client, "team", {**team_step(member(1)), "quick_add": "0"})
    text = response.content.decode()
    assert 'name="team-1-first_name"' in text
    assert 'value="Kenji"' in text
    assert not Referral.objects.exclude(team_members__first_name="Kenji").exists()


def test_the_solution_step_takes_exactly_one_type_and_its_location(
    client, alice, northwind, customer, tokyo
):
    vet(northwind)
    client.force_login(alice)
    walk_to(client, "solution", customer, tokyo, deal_type="solution_assessment")
    html = client.get(f"{URL}?step=solution").content.decode()
    assert "Solution assessment type" in html
    assert "Assessment location" in html
    assert post(client, "solution", {"assessment_location": tokyo.pk}).status_code == 200
    solution = SolutionType.objects.filter(registration_eligible=True).get(
        code="security-assessment"
    )
    response = post(
        client, "solution", {"solution_type": solution.pk, "assessment_location": tokyo.pk}
    )
    assert response["Location"] == f"{URL}?step=review"
    post(client, "review", {"agree": "on"})
    referral = Referral.objects.get()
    assert referral.is_solution_assessment
    assert referral.solution_type == solution
    assert referral.assessment_location == tokyo


def test_a_later_step_sends_back_to_the_first_unfinished_one(client, alice):
    client.force_login(alice)
    response = client.get(f"{URL}?step=team")
    assert response["Location"] == f"{URL}?step=customer"


def test_a_new_customer_is_added_with_its_duns_together_with_the_deal(client, alice, seattle):
    client.force_login(alice)
    new = {
        "deal_type": "co_sell",
        "country": "JP",
        "q": "",
        "duns": "",
        "customer": "new",
        "new_name": "Hikari Robotics",
        "new_country": "JP",
        "new_duns": "987654321",
        "new_address": "2-3 Umeda",
        "new_city": "Osaka",
        "new_currency": "JPY",
    }
    assert post(client, "customer", new).status_code == 302
    for name, data in (
        ("contact", contact_step()),
        ("details", details_step(seattle)),
        ("team", team_step(member(1))),
    ):
        assert post(client, name, data).status_code == 302
    assert not Customer.objects.filter(duns="987654321").exists()
    post(client, "review", {"agree": "on"})
    referral = Referral.objects.get()
    assert referral.opportunity.customer.name == "Hikari Robotics"
    assert referral.opportunity.customer.duns == "987654321"


def test_a_new_customer_with_a_known_duns_is_refused(client, alice, customer):
    client.force_login(alice)
    response = post(
        client,
        "customer",
        {"deal_type": "co_sell", "customer": "new", "new_name": "Copy", "new_country": "JP",
         "new_duns": customer.duns, "new_currency": "JPY"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "A customer with this DUNS number is in the directory" in response.content.decode()


def found(pattern: str, html: str) -> str:
    match = re.search(pattern, html)
    assert match is not None, pattern
    return match.group(match.re.groups)


def test_the_team_steps_first_row_is_the_creator_with_only_their_phone_to_add(
    client, alice, customer, seattle
):
    client.force_login(alice)
    walk_to(client, "team", customer, seattle)
    html = client.get(f"{URL}?step=team").content.decode()
    assert "You join the team yourself, as the one who creates the deal" in html
    assert f'value="{alice.email}"' in found(r'<input[^>]*name="team-0-email"[^>]*>', html)
    assert "value=" not in found(r'<input[^>]*name="team-0-phone"[^>]*>', html)


def test_the_creators_row_with_their_phone_completes_the_team(client, alice, customer, seattle):
    client.force_login(alice)
    walk_to(client, "team", customer, seattle)
    first, _space, last = alice.full_name.partition(" ")
    own = {"first_name": first, "last_name": last, "phone": "+1 206 555 0100",
           "email": alice.email}  # fmt: skip
    response = post(client, "team", {**team_step(own), "team-INITIAL_FORMS": "1"})
    assert response.status_code == 302
    post(client, "review", {"agree": "on"})
    creator = Referral.objects.get().team_members.get(email=alice.email)
    assert creator.phone == "+1 206 555 0100"


def test_required_fields_are_marked_and_notes_among_them(client, alice, customer, seattle):
    client.force_login(alice)
    walk_to(client, "details", customer, seattle)
    html = client.get(f"{URL}?step=details").content.decode()
    assert 'data-testid="required-note"' in html
    notes = found(r'<label class="form-label" for="id_notes">(.*?)</label>', html)
    assert notes == "Notes"
    assert (
        '<label class="form-label" for="id_notes">Notes</label><span class="required-mark"' in html
    )
    assert re.search(r'<textarea[^>]*name="notes"[^>]*required', html)
    assert not re.search(r'for="id_crm_id">[^<]*</label><span class="required-mark"', html)
