"""With a read replica (OPENPRM_REPLICA_DATABASE_URL) the dashboards, reports and exports read
their rows there, and sign-in, permissions and every write stay on the primary: each query is
recorded with whether it ran as a report read (what openprm.core.replica routes)."""

import datetime

import pytest
from django.db import DEFAULT_DB_ALIAS, connection

from openprm.core.replica import REPLICA, ReportReadRouter, reading_reports, report_reads
from openprm.points.tests.records import won

pytestmark = pytest.mark.django_db


def queries(request):
    """(ran as a report read, SQL) of every query `request()` makes."""
    seen: list[tuple[bool, str]] = []

    def record(execute, sql, params, many, context):
        seen.append((reading_reports(), sql))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = request()
    return response, seen


def on_table(seen, table):
    return {as_report for as_report, sql in seen if f'"{table}"' in sql}


def test_a_report_read_goes_to_the_replica_when_one_is_configured(settings, monkeypatch):
    monkeypatch.setitem(settings.DATABASES, REPLICA, dict(settings.DATABASES["default"]))
    router = ReportReadRouter()
    with report_reads():
        assert router.db_for_read(None) == REPLICA
        assert router.db_for_write(None) == DEFAULT_DB_ALIAS
    assert router.db_for_read(None) == DEFAULT_DB_ALIAS


def test_report_reads_stay_on_the_primary_without_a_replica():
    with report_reads():
        assert ReportReadRouter().db_for_read(None) == DEFAULT_DB_ALIAS


def test_the_replica_is_never_migrated():
    assert not ReportReadRouter().allow_migrate(REPLICA, "crm")
    assert ReportReadRouter().allow_migrate(DEFAULT_DB_ALIAS, "crm")


def test_the_partner_dashboard_reads_the_ledger_as_a_report_and_the_user_on_the_primary(
    client, alice, northwind, today
):
    won(northwind, datetime.date(2026, 11, 2), amount_minor=1_200_00, mrr_minor=100_00)
    client.force_login(alice)
    response, seen = queries(lambda: client.get("/dashboard/"))
    assert response.status_code == 200
    assert on_table(seen, "points_pointentry") == {True}
    assert on_table(seen, "accounts_user") == {False}


def test_the_channel_dashboard_reads_the_partners_points_as_a_report(client, victor, northwind):
    client.force_login(victor)
    response, seen = queries(lambda: client.get("/dashboard/channel/"))
    assert response.status_code == 200
    assert on_table(seen, "points_pointentry") == {True}


def test_an_export_reads_its_rows_as_a_report_and_writes_on_the_primary(
    client, alice, northwind, today
):
    won(northwind, datetime.date(2026, 11, 2), amount_minor=1_200_00, mrr_minor=100_00)
    client.force_login(alice)
    response, seen = queries(
        lambda: client.post(
            "/dashboard/reports/closed_won/export/",
            {
                "start": "2026-11-01",
                "end": "2026-11-30",
                "export-name": "Wins",
                "export-file_format": "csv",
            },
        )
    )
    assert response.status_code in (200, 302)
    assert on_table(seen, "crm_opportunity") == {True}
    assert not [sql for as_report, sql in seen if as_report and sql.startswith("INSERT")]
