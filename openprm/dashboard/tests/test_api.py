"""/api/v1/dashboard, /api/v1/reports, /api/v1/lists and /api/v1/exports: the pages' figures
and actions, strict bodies, one error format, idempotent creates, ETag / If-Match, and
another partner's objects answering 404."""

import csv
import datetime
import io

import pytest
from django.test import override_settings

from openprm.core.testing import assert_api_error, assert_not_found, lose_stored_file
from openprm.crm.tests.factories import CustomerFactory
from openprm.dashboard import services
from openprm.dashboard.models import CustomerList, Export, SavedReport
from openprm.dashboard.periods import Period
from openprm.points.ledger import services as ledger_services
from openprm.points.tests.factories import CertificationFactory
from openprm.points.tests.records import won

pytestmark = pytest.mark.django_db

D = datetime.date
API = "/api/v1"
NOVEMBER = Period(D(2026, 11, 1), D(2026, 11, 30))


def post(client, path, body, **headers):
    return client.post(f"{API}{path}", body, content_type="application/json", headers=headers)


def patch(client, path, body, **headers):
    return client.patch(f"{API}{path}", body, content_type="application/json", headers=headers)


@pytest.fixture
def wins(today, northwind, tailspin):
    acme, globex = CustomerFactory.create(name="Acme"), CustomerFactory.create(name="Globex")
    CertificationFactory.create(organization=northwind)
    sale = won(northwind, D(2026, 11, 2), amount_minor=36_000_00, mrr_minor=3_000_00,
               customer=acme)  # fmt: skip
    ledger_services.sale_post(opportunity=sale)
    won(northwind, D(2026, 11, 9), amount_minor=2_400_00, mrr_minor=200_00, customer=globex)
    won(tailspin, D(2026, 11, 3), amount_minor=9_900_00, mrr_minor=990_00)
    return {"acme": acme, "globex": globex}


def test_the_dashboard_answers_the_figures_for_the_range(client, alice, wins):
    client.force_login(alice)
    response = client.get(f"{API}/dashboard", {"start": "2026-11-01", "end": "2026-11-30"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["program"]["total_points"] == "150.00"
    assert body["program"]["tier_performance"] is None  # no managed points yet
    assert body["program"]["sourced_revenue"] == {
        "amount": "38400.00", "currency": "USD", "unconverted": 0,
    }  # fmt: skip
    assert body["tier_progress"]["target"] == "Gold"
    assert body["tier_progress"]["managed_minimum"]["remaining"] == "60.00"
    changes = {f["kind"]: f for f in body["point_changes"]}
    assert changes["new_sold"] == {"kind": "new_sold", "value": "150.00", "customers": 1}
    sales = {f["kind"]: f["value"] for f in body["shared_sales"]}
    assert sales["closed_won"] == "2"
    assert body["vendor_team"]["pdm_email"] == "pam@contoso.example"


def test_a_reversed_range_is_a_422_naming_the_end(client, alice, wins):
    client.force_login(alice)
    response = client.get(f"{API}/dashboard", {"start": "2026-11-30", "end": "2026-11-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "end"


def test_a_pdm_reads_their_partners_dashboard_and_not_another(client, pam, northwind, tailspin):
    client.force_login(pam)
    theirs = client.get(f"{API}/dashboard", {"partner_id": northwind.pk})
    assert (theirs.status_code, theirs.json()["partner_id"]) == (200, northwind.pk)
    assert_not_found(client.get(f"{API}/dashboard", {"partner_id": tailspin.pk}))


def test_a_partner_cannot_read_another_partners_dashboard(client, alice, tailspin):
    client.force_login(alice)
    assert_not_found(client.get(f"{API}/dashboard", {"partner_id": tailspin.pk}))


def report_body(**overrides):
    return {"name": "November wins", "kind": "closed_won", "start": "2026-11-01",
            "end": "2026-11-30", **overrides}  # fmt: skip


def test_a_saved_report_is_created_once_per_idempotency_key(client, alice, wins):
    client.force_login(alice)
    first = post(client, "/reports", report_body(), **{"Idempotency-Key": "r-1"})
    again = post(client, "/reports", report_body(), **{"Idempotency-Key": "r-1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert SavedReport.objects.count() == 1
    assert first["ETag"] == f'"{first.json()["id"]}.1"'


def test_a_saved_report_with_a_reversed_range_saves_nothing(client, alice):
    client.force_login(alice)
    response = post(client, "/reports", report_body(start="2026-12-01"))
    assert response.status_code == 422
    assert not SavedReport.objects.exists()


def test_unknown_fields_and_kinds_are_a_422_naming_the_field(client, alice):
    client.force_login(alice)
    response = post(client, "/reports", report_body(colour="red"))
    assert_api_error(response, 422, "validation_error", field="colour")
    response = post(client, "/reports", report_body(kind="everything"))
    assert_api_error(response, 422, "validation_error", field="kind")
    assert not SavedReport.objects.exists()


def test_a_saved_report_runs_and_pages_its_rows(client, alice, wins):
    report = services.saved_report_create(
        actor=alice, name="Wins", kind="closed_won", period=NOVEMBER
    )
    client.force_login(alice)
    body = client.get(f"{API}/reports/{report.pk}/run", {"limit": 1}).json()
    assert body["total"] == "2"
    assert len(body["rows"]) == 1
    assert body["customer_ids"] == [wins["acme"].pk, wins["globex"].pk]


def test_a_stale_if_match_is_a_412(client, alice, wins):
    report = services.saved_report_create(
        actor=alice, name="Wins", kind="closed_won", period=NOVEMBER
    )
    client.force_login(alice)
    ahead = patch(client, f"/reports/{report.pk}", {"on_dashboard": True},
                  **{"If-Match": f'"{report.pk}.9"'})  # fmt: skip
    assert ahead.status_code == 412
    ok = patch(client, f"/reports/{report.pk}", {"on_dashboard": True},
               **{"If-Match": f'"{report.pk}.1"'})  # fmt: skip
    assert ok.status_code == 200
    assert ok.json()["on_dashboard"] is True
    stale = patch(client, f"/reports/{report.pk}", {"name": "Again"},
                  **{"If-Match": f'"{report.pk}.1"'})  # fmt: skip
    assert stale.status_code == 412


def test_another_partners_saved_report_is_a_404_everywhere(client, alice, charlie):
    theirs = services.saved_report_create(
        actor=charlie, name="Theirs", kind="closed_won", period=NOVEMBER
    )
    client.force_login(alice)
    assert client.get(f"{API}/reports/{theirs.pk}").status_code == 404
    assert client.get(f"{API}/reports/{theirs.pk}/run").status_code == 404
    assert patch(client, f"/reports/{theirs.pk}", {"name": "Mine"}).status_code == 404
    assert client.delete(f"{API}/reports/{theirs.pk}").status_code == 404
    assert client.get(f"{API}/reports").json() == {"items": [], "count": 0}


def test_a_list_is_made_from_a_report_and_pages_its_members(client, alice, wins):
    client.force_login(alice)
    created = post(client, "/lists", {"name": "Buyers", "from_report": {
        "kind": "closed_won", "start": "2026-11-01", "end": "2026-11-30"}})  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["member_count"] == 2
    list_id = created.json()["id"]
    members = client.get(f"{API}/lists/{list_id}/members", {"limit": 1}).json()
    assert members["count"] == 2
    assert [m["customer_name"] for m in members["items"]] == ["Acme"]


def test_members_are_added_and_removed(client, alice, wins):
    customer_list = services.customer_list_create(actor=alice, name="Buyers", customer_ids=[])
    client.force_login(alice)
    added = post(client, f"/lists/{customer_list.pk}/members",
                 {"customer_ids": [wins["acme"].pk, wins["acme"].pk]})  # fmt: skip
    assert added.json() == {"added": 1}
    path = f"{API}/lists/{customer_list.pk}/members/{wins['acme'].pk}"
    assert client.delete(path).status_code == 204
    assert client.delete(path).status_code == 204  # already gone: DELETE is idempotent
    assert not customer_list.members.exists()


def test_an_unknown_customer_is_a_422_naming_the_field(client, alice):
    customer_list = services.customer_list_create(actor=alice, name="Buyers", customer_ids=[])
    client.force_login(alice)
    response = post(client, f"/lists/{customer_list.pk}/members", {"customer_ids": [999999]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "customer_ids"


def test_a_list_rename_needs_the_current_version(client, alice):
    customer_list = services.customer_list_create(actor=alice, name="Buyers", customer_ids=[])
    client.force_login(alice)
    response = patch(client, f"/lists/{customer_list.pk}", {"name": "Clients"},
                     **{"If-Match": f'"{customer_list.pk}.7"'})  # fmt: skip
    assert response.status_code == 412
    assert CustomerList.objects.get().name == "Buyers"


def test_another_partners_list_is_a_404(client, alice, charlie):
    theirs = services.customer_list_create(actor=charlie, name="Theirs", customer_ids=[])
    client.force_login(alice)
    assert_not_found(client.get(f"{API}/lists/{theirs.pk}"), "Theirs")
    assert_not_found(client.get(f"{API}/lists/{theirs.pk}/members"))
    customer = CustomerFactory.create()
    added = post(client, f"/lists/{theirs.pk}/members", {"customer_ids": [customer.pk]})
    assert_not_found(added)
    assert not theirs.members.exists()


def export_body(**overrides):
    return {"name": "November", "file_format": "csv", "kind": "closed_won",
            "start": "2026-11-01", "end": "2026-11-30", **overrides}  # fmt: skip


def test_a_small_export_is_ready_at_once_and_downloads_the_reports_rows(client, alice, wins):
    client.force_login(alice)
    created = post(client, "/exports", export_body())
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["status"], body["row_count"]) == ("ready", 2)
    download = client.get(body["download_url"])
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(content)))) == 3  # the header and two rows


@override_settings(OPENPRM_EXPORT_INLINE_MAX_ROWS=1)
def test_a_large_export_is_accepted_for_the_worker(client, alice, wins):
    client.force_login(alice)
    created = post(client, "/exports", export_body())
    assert created.status_code == 202
    assert created.json()["status"] == "queued"
    assert created.json()["download_url"] is None
    status = client.get(f"{API}/exports/{created.json()['id']}").json()
    assert status["status"] == "queued"


def test_an_export_name_with_path_characters_is_a_422_and_saves_nothing(client, alice):
    client.force_login(alice)
    response = post(client, "/exports", export_body(name="../../etc/passwd"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    assert not Export.objects.exists()


def test_another_members_export_is_a_404(client, alice, charlie, wins):
    export = services.export_create(
        actor=alice, name="Mine", file_format="csv", kind="closed_won", period=NOVEMBER
    )
    client.force_login(charlie)
    assert_not_found(client.get(f"{API}/exports/{export.pk}"), "Mine")
    assert_not_found(client.get(f"{API}/exports/{export.pk}/download"), "Acme")


def test_an_export_whose_file_storage_lost_is_a_410_saying_so(client, alice, wins):
    export = services.export_create(
        actor=alice, name="November", file_format="csv", kind="closed_won", period=NOVEMBER
    )
    lose_stored_file(export.file)
    client.force_login(alice)
    response = client.get(f"{API}/exports/{export.pk}/download")
    assert response.status_code == 410
    assert response.json()["code"] == "file_missing"
    assert export.filename in response.json()["message"]
    assert client.get(f"{API}/exports").json()["count"] == 1


def test_vendor_staff_have_no_lists_reports_or_exports(client, victor):
    client.force_login(victor)
    assert post(client, "/lists", {"name": "Mine"}).status_code == 404
    assert client.get(f"{API}/exports").json() == {"items": [], "count": 0}


def test_the_lists_endpoint_reads_a_bounded_number_of_queries(
    client, alice, django_assert_max_num_queries
):
    for index in range(15):
        services.customer_list_create(actor=alice, name=f"List {index}", customer_ids=[])
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        assert client.get(f"{API}/lists").json()["count"] == 15


def test_the_dashboard_endpoint_reads_a_bounded_number_of_queries(
    client, alice, wins, django_assert_max_num_queries
):
    client.force_login(alice)
    with django_assert_max_num_queries(40):
        assert client.get(f"{API}/dashboard").status_code == 200


def test_the_reports_and_exports_endpoints_read_a_bounded_number_of_queries(
    client, alice, wins, django_assert_max_num_queries
):
    for index in range(12):
        services.saved_report_create(
            actor=alice, name=f"Report {index}", kind="closed_won", period=NOVEMBER
        )
        services.export_create(
            actor=alice, name=f"Export {index}", file_format="csv", kind="closed_won",
            period=NOVEMBER,
        )  # fmt: skip
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        assert client.get(f"{API}/reports").json()["count"] == 12
    with django_assert_max_num_queries(8):
        assert client.get(f"{API}/exports").json()["count"] == 12
