"""The partner dashboard's charts: points over time and the pipeline by month (issue 15)."""

import datetime
import json
import re

import pytest

from openprm.crm.models import OpportunityState
from openprm.crm.tests.factories import OpportunityFactory
from openprm.dashboard.charts import PipelineMonth, fold_pipeline
from openprm.points.ledger import services as ledger_services
from openprm.points.tests.factories import CertificationFactory
from openprm.points.tests.records import won

D = datetime.date


def test_a_month_counts_what_was_opened_won_and_lost_in_it():
    rows = [
        (D(2026, 10, 3), "won", D(2026, 11, 20)),
        (D(2026, 11, 1), "lost", D(2026, 11, 30)),
        (D(2026, 11, 5), "open", None),
    ]
    months = fold_pipeline(rows, on=D(2026, 12, 1), months=3)
    assert months == [
        PipelineMonth(D(2026, 10, 1), opened=1, won=0, lost=0),
        PipelineMonth(D(2026, 11, 1), opened=2, won=1, lost=1),
        PipelineMonth(D(2026, 12, 1), opened=0, won=0, lost=0),
    ]


def test_what_happened_before_the_window_or_after_today_is_not_counted():
    rows = [
        (D(2025, 1, 5), "won", D(2025, 2, 1)),
        (D(2026, 12, 2), "lost", D(2026, 12, 3)),
    ]
    months = fold_pipeline(rows, on=D(2026, 12, 1), months=2)
    assert [(m.opened, m.won, m.lost) for m in months] == [(0, 0, 0), (0, 0, 0)]


def chart_data(page: str, data_id: str) -> dict:
    found = re.search(rf'<script id="{data_id}" type="application/json">(.*?)</script>', page)
    assert found is not None
    return json.loads(found.group(1))


@pytest.mark.django_db
def test_the_dashboard_draws_points_over_time_and_the_pipeline_from_installed_plotly(
    client, alice, northwind, today
):
    CertificationFactory.create(organization=northwind)
    sale = won(northwind, D(2026, 11, 2), amount_minor=24_000_00, mrr_minor=2_000_00)
    ledger_services.sale_post(opportunity=sale)
    client.force_login(alice)
    page = client.get("/dashboard/").content.decode()
    assert "Points over time" in page
    assert "Pipeline by month" in page
    points = chart_data(page, "points-over-time-data")
    sold = next(trace for trace in points["data"] if trace["name"] == "Sold points")
    assert sold["y"][-2:] == [100.0, 100.0]
    pipeline = chart_data(page, "pipeline-data")
    won_trace = next(trace for trace in pipeline["data"] if trace["name"] == "Won")
    assert won_trace["x"][-2:] == ["Nov 2026", "Dec 2026"]
    assert won_trace["y"][-2:] == [1, 0]
    assert "vendor/plotly/plotly.min.js" in page
    assert "openprm/charts.js" in page
    assert "cdn" not in page.lower()


@pytest.mark.django_db
def test_the_pipeline_counts_an_opportunity_in_the_program_calendars_month_whoever_looks(
    client, alice, northwind, today
):
    # 20:00 UTC on 30 November, the program's day (TIME_ZONE is UTC); 1 December in Tokyo.
    opened = datetime.datetime(2026, 11, 30, 20, tzinfo=datetime.UTC)
    OpportunityFactory.create(organization=northwind, state=OpportunityState.OPEN, opened_at=opened)
    alice.timezone = "Asia/Tokyo"
    alice.save(update_fields=["timezone"])
    client.force_login(alice)
    pipeline = chart_data(client.get("/dashboard/").content.decode(), "pipeline-data")
    opened_trace = next(trace for trace in pipeline["data"] if trace["name"] == "Opened")
    assert opened_trace["y"][-2:] == [1, 0]


@pytest.mark.django_db
def test_the_chart_months_are_named_in_the_readers_language(client, alice, today):
    alice.language = "ja"
    alice.save(update_fields=["language"])
    client.force_login(alice)
    pipeline = chart_data(client.get("/dashboard/").content.decode(), "pipeline-data")
    assert pipeline["data"][0]["x"][-1] == "2026年12月"


@pytest.mark.django_db
def test_saved_reports_lists_and_exports_are_linked_at_the_top_of_the_dashboard(
    client, alice, today
):
    client.force_login(alice)
    page = client.get("/dashboard/").content.decode()
    top = page.index('data-testid="report-links"')
    assert top < page.index('id="program-progress"')
    links = page[top : page.index("</nav>", top)]
    for href, label in [
        ("/dashboard/saved-reports/", "Saved reports"),
        ("/dashboard/lists/", "Static lists"),
        ("/dashboard/exports/", "Exports"),
    ]:
        assert f'href="{href}">{label}</a>' in links
