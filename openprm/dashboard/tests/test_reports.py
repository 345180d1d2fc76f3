"""Reports and their actions (E3, E4): "Use in list", "Export unsummarized data" and "Save as
report"; static lists with their own pages; exports equal the report's rows."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from openprm.core.testing import assert_not_found, lose_stored_file
from openprm.crm.models import OpportunityState
from openprm.crm.tests.factories import CustomerFactory, OpportunityFactory
from openprm.dashboard import services
from openprm.dashboard.exports import clean_export_name, export_build
from openprm.dashboard.models import CustomerList, Export, ExportStatus, SavedReport
from openprm.dashboard.periods import Period
from openprm.dashboard.reports import cell_text, report_rows
from openprm.notifications.models import Notification
from openprm.points.tests.records import won

pytestmark = pytest.mark.django_db

D = datetime.date
NOVEMBER = Period(D(2026, 11, 1), D(2026, 11, 30))
RANGE = {"start": "2026-11-01", "end": "2026-11-30"}
REPORT = "/dashboard/reports/closed_won/"


@pytest.fixture
def wins(today, northwind, tailspin):
    """Three of Northwind's deals won in November (two customers), one in October, and one of
    Tailspin's in November."""
    acme, globex = CustomerFactory.create(name="Acme"), CustomerFactory.create(name="Globex")
    won(northwind, D(2026, 11, 2), amount_minor=1_200_00, mrr_minor=100_00, customer=acme)
    won(northwind, D(2026, 11, 9), amount_minor=2_400_00, mrr_minor=200_00, customer=globex)
    won(northwind, D(2026, 11, 16), amount_minor=600_00, mrr_minor=50_00, customer=acme)
    won(northwind, D(2026, 10, 16), amount_minor=600_00, mrr_minor=50_00)
    won(tailspin, D(2026, 11, 3), amount_minor=9_900_00, mrr_minor=990_00)
    return {"acme": acme, "globex": globex}


def test_the_report_lists_the_records_and_customers_behind_the_figure(client, alice, wins):
    client.force_login(alice)
    response = client.get(REPORT, RANGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="report-summary">3 from 2 customers<' in page
    assert page.count("<tr><td>Opportunity") == 3
    for label in ("Use in list", "Export unsummarized data", "Save as report", "Save and add"):
        assert f">{label}</button>" in page


def test_a_report_over_a_reversed_range_is_a_422_with_the_reason(client, alice, wins):
    client.force_login(alice)
    response = client.get(REPORT, {"start": "2026-11-30", "end": "2026-11-01"})
    assert response.status_code == 422
    assert "The date range ends before it starts." in response.content.decode()


def test_an_unknown_report_is_a_404(client, alice):
    client.force_login(alice)
    assert_not_found(client.get("/dashboard/reports/everything/"))


def test_a_csv_export_has_exactly_the_reports_rows(client, alice, northwind, wins):
    client.force_login(alice)
    response = client.post(f"{REPORT}export/", {**RANGE, "export-name": "November wins",
                                                "export-file_format": "csv"})  # fmt: skip
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="November wins.csv"'
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(content)))
    report = report_rows(user=alice, partner=northwind, kind="closed_won", period=NOVEMBER)
    assert header == [str(column) for column in report.columns]
    assert rows == [[cell_text(cell) for cell in row] for row in report.rows]
    assert len(rows) == 3


def test_an_xlsx_export_has_exactly_the_reports_rows(client, alice, northwind, wins):
    client.force_login(alice)
    response = client.post(
        f"{REPORT}export/", {**RANGE, "export-name": "Wins", "export-file_format": "xlsx"}
    )
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    rows = [[cell if cell is not None else "" for cell in row] for row in sheet.values]
    report = report_rows(user=alice, partner=northwind, kind="closed_won", period=NOVEMBER)
    assert rows[1:] == [[cell_text(cell) for cell in row] for row in report.rows]


def test_an_export_writes_a_formula_in_a_customer_name_as_text(client, alice, northwind, today):
    won(northwind, D(2026, 11, 2), customer=CustomerFactory.create(name="=cmd|' /C calc'!A0"))
    client.force_login(alice)
    for file_format in ("csv", "xlsx"):
        response = client.post(f"{REPORT}export/", {**RANGE, "export-name": "Wins",
                                                    "export-file_format": file_format})  # fmt: skip
        content = b"".join(response.streaming_content)
        if file_format == "csv":
            cells = [c for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for c in row]
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(content)).active
            assert sheet is not None
            cells = [cell for row in sheet.values for cell in row]
        assert "'=cmd|' /C calc'!A0" in cells
        assert not any(str(cell).startswith("=") for cell in cells)


@pytest.mark.parametrize("name", ["../secrets", "a/b", "a\\b", ".hidden", "x:y", "bell\x07"])
def test_an_export_name_with_path_characters_is_refused(name):
    with pytest.raises(ValidationError) as error:
        clean_export_name(name)
    assert list(error.value.message_dict) == ["name"]


def test_a_refused_export_name_saves_nothing(client, alice, wins):
    client.force_login(alice)
    response = client.post(
        f"{REPORT}export/", {**RANGE, "export-name": "../x", "export-file_format": "csv"}
    )
    assert response.status_code == 422
    assert "cannot contain" in response.content.decode()
    assert not Export.objects.exists()


@override_settings(OPENPRM_EXPORT_INLINE_MAX_ROWS=2)
def test_a_large_export_runs_in_the_worker_and_notifies_with_the_download_link(
    client, alice, wins, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{REPORT}export/", {**RANGE, "export-name": "Big", "export-file_format": "csv"}
        )
    assert response.status_code == 302
    export = Export.objects.get()
    assert export.status == ExportStatus.QUEUED
    task = DBTaskResult.objects.get()
    assert task.task_path == "openprm.dashboard.tasks.build_export"
    assert export_build(export_id=export.pk) == "ready"
    export.refresh_from_db()
    assert (export.status, export.row_count) == (ExportStatus.READY, 3)
    notification = Notification.objects.get(recipient=alice)
    assert notification.link == f"/dashboard/exports/{export.pk}/download/"
    assert notification.title == "Your export Big is ready"
    assert client.get(notification.link).status_code == 200


@override_settings(OPENPRM_EXPORT_INLINE_MAX_ROWS=2)
def test_running_the_export_task_twice_notifies_once(alice, northwind, wins):
    export = services.export_create(
        actor=alice, name="Big", file_format="csv", kind="closed_won", period=NOVEMBER
    )
    export_build(export_id=export.pk)
    export_build(export_id=export.pk)
    assert Notification.objects.filter(recipient=alice).count() == 1


def test_another_members_export_is_a_404(client, alice, charlie, wins):
    export = services.export_create(
        actor=alice, name="Mine", file_format="csv", kind="closed_won", period=NOVEMBER
    )
    client.force_login(charlie)
    assert_not_found(client.get(f"/dashboard/exports/{export.pk}/download/"), "Acme")


def test_an_export_whose_file_storage_lost_says_so_and_the_exports_page_still_lists_it(
    client, alice, wins
):
    export = services.export_create(
        actor=alice, name="November", file_format="csv", kind="closed_won", period=NOVEMBER
    )
    lose_stored_file(export.file)
    client.force_login(alice)
    response = client.get(f"/dashboard/exports/{export.pk}/download/")
    assert response.status_code == 410
    assert f"The file {export.filename} is missing from storage" in response.content.decode()
    assert "November" in client.get("/dashboard/exports/").content.decode()


def test_use_in_list_makes_a_new_static_list_of_the_reports_customers(client, alice, wins):
    client.force_login(alice)
    response = client.post(f"{REPORT}use-in-list/", {**RANGE, "list-mode": "new",
                                                     "list-name": "November buyers"})  # fmt: skip
    customer_list = CustomerList.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/lists/{customer_list.pk}/"
    assert set(customer_list.customers.all()) == {wins["acme"], wins["globex"]}


def test_use_in_list_adds_to_an_existing_list_once(client, alice, northwind, wins):
    existing = services.customer_list_create(
        actor=alice, name="Buyers", customer_ids=[wins["acme"].pk]
    )
    client.force_login(alice)
    client.post(
        f"{REPORT}use-in-list/", {**RANGE, "list-mode": "existing", "list-existing": existing.pk}
    )
    assert sorted(existing.members.values_list("customer__name", flat=True)) == [
        "Acme",
        "Globex",
    ]


def test_use_in_list_cannot_name_another_partners_list(client, alice, charlie, wins):
    theirs = services.customer_list_create(actor=charlie, name="Theirs", customer_ids=[])
    client.force_login(alice)
    response = client.post(
        f"{REPORT}use-in-list/", {**RANGE, "list-mode": "existing", "list-existing": theirs.pk}
    )
    assert response.status_code == 422
    assert not theirs.members.exists()


def test_a_list_name_is_unique_per_partner(alice, charlie, wins):
    services.customer_list_create(actor=alice, name="Buyers", customer_ids=[])
    services.customer_list_create(actor=charlie, name="Buyers", customer_ids=[])
    with pytest.raises(ValidationError):
        services.customer_list_create(actor=alice, name="Buyers", customer_ids=[])


def test_the_list_pages_show_and_remove_members(client, alice, wins):
    customer_list = services.customer_list_create(
        actor=alice, name="Buyers", customer_ids=[wins["acme"].pk, wins["globex"].pk]
    )
    client.force_login(alice)
    assert "Buyers" in client.get("/dashboard/lists/").content.decode()
    detail = client.get(f"/dashboard/lists/{customer_list.pk}/").content.decode()
    assert "Acme" in detail
    assert "Globex" in detail
    response = client.post(f"/dashboard/lists/{customer_list.pk}/members/{wins['acme'].pk}/remove/")
    assert response.status_code == 302
    assert list(customer_list.members.values_list("customer__name", flat=True)) == ["Globex"]


def test_another_partners_list_is_a_404(client, alice, charlie):
    theirs = services.customer_list_create(actor=charlie, name="Theirs", customer_ids=[])
    client.force_login(alice)
    assert_not_found(client.get(f"/dashboard/lists/{theirs.pk}/"), "Theirs")


def test_save_keeps_the_report_and_save_and_add_puts_it_on_the_dashboard(client, alice, wins):
    client.force_login(alice)
    saved = client.post(f"{REPORT}save/", {**RANGE, "save-name": "Wins", "action": "save"})
    added = client.post(
        f"{REPORT}save/", {**RANGE, "save-name": "On top", "action": "save_and_add"}
    )
    assert saved["Location"] == "/dashboard/saved-reports/"
    assert added["Location"] == "/dashboard/"
    on_dashboard = dict(SavedReport.objects.values_list("name", "on_dashboard"))
    assert on_dashboard == {"Wins": False, "On top": True}
    assert "On top" in client.get("/dashboard/").content.decode()


def test_a_saved_report_reopens_with_its_date_range(client, alice, wins):
    report = services.saved_report_create(
        actor=alice, name="November", kind="closed_won", period=NOVEMBER
    )
    client.force_login(alice)
    listing = client.get("/dashboard/saved-reports/").content.decode()
    assert f'href="/dashboard/saved-reports/{report.pk}/">November<' in listing
    page = client.get(f"/dashboard/saved-reports/{report.pk}/").content.decode()
    assert 'data-testid="report-summary">3 from 2 customers<' in page


def test_another_partners_saved_report_is_a_404(client, alice, charlie):
    theirs = services.saved_report_create(
        actor=charlie, name="Theirs", kind="closed_won", period=NOVEMBER
    )
    client.force_login(alice)
    assert_not_found(client.get(f"/dashboard/saved-reports/{theirs.pk}/"), "Theirs")


def test_the_report_shows_only_the_partners_own_records(client, charlie, wins):
    client.force_login(charlie)
    page = client.get(REPORT, RANGE).content.decode()
    assert 'data-testid="report-summary">1 from 1 customer<' in page


def test_an_open_deal_is_in_flight_not_won(alice, northwind, today):
    OpportunityFactory.create(organization=northwind, state=OpportunityState.OPEN)
    period = Period(today, today)
    assert len(report_rows(user=alice, partner=northwind, kind="closed_won",
                           period=period).rows) == 0  # fmt: skip
    assert len(report_rows(user=alice, partner=northwind, kind="sourced_in_flight",
                           period=period).rows) == 1  # fmt: skip


@override_settings(OPENPRM_EXPORT_INLINE_MAX_ROWS=2)
def test_an_export_the_worker_cannot_make_is_marked_failed(alice, wins, monkeypatch):
    export = services.export_create(
        actor=alice, name="Big", file_format="csv", kind="closed_won", period=NOVEMBER
    )

    def broken(report, file_format):
        raise OSError("disk full")

    monkeypatch.setattr("openprm.dashboard.exports.report_file", broken)
    with pytest.raises(OSError, match="disk full"):
        export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ExportStatus.FAILED
    assert not Notification.objects.exists()
