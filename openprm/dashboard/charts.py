"""The partner dashboard's charts (issue 15, SPEC F2): points over time and the pipeline by month.

Points over time is the Tier page's figure (E9) from the points ledger; the pipeline counts the
partner's opportunities opened, won and lost in each of the last twelve months, from crm's
opportunities table. Both go to the page as plotly JSON, drawn by the installed plotly.js.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import plotly.graph_objects as go
from django.utils import timezone
from django.utils.translation import gettext as _

from openprm.accounts.models import Organization
from openprm.core.charts import figure_json
from openprm.core.dates import program_days, program_timezone
from openprm.core.formatting import format_month
from openprm.core.replica import reads_reports
from openprm.crm.models import Opportunity, OpportunityState
from openprm.points import charts as points_charts
from openprm.points.ledger.progress import MONTHS, month_starts, points_by_month

OPENED_COLOUR = "#6c757d"
WON_COLOUR = "#198754"
LOST_COLOUR = "#dc3545"


@dataclass(frozen=True)
class PipelineMonth:
    month: date  # the first of the month
    opened: int
    won: int
    lost: int


def fold_pipeline(
    rows: Sequence[tuple[date, str, date | None]], *, on: date, months: int = MONTHS
) -> list[PipelineMonth]:
    """The pure fold: `rows` are (day opened, state, day closed); a month counts what was
    opened in it and what was won or lost in it."""
    starts = month_starts(on, months)
    opened = dict.fromkeys(starts, 0)
    won = dict.fromkeys(starts, 0)
    lost = dict.fromkeys(starts, 0)
    for opened_on, state, closed_on in rows:
        if opened_on <= on and opened_on.replace(day=1) in opened:
            opened[opened_on.replace(day=1)] += 1
        if closed_on is None or closed_on > on or closed_on.replace(day=1) not in opened:
            continue
        if state == OpportunityState.WON:
            won[closed_on.replace(day=1)] += 1
        elif state == OpportunityState.LOST:
            lost[closed_on.replace(day=1)] += 1
    return [PipelineMonth(start, opened[start], won[start], lost[start]) for start in starts]


def pipeline_by_month(*, partner: Organization, on: date) -> list[PipelineMonth]:
    """The day an opportunity opened is the program's day, whoever looks at the chart."""
    first = month_starts(on, MONTHS)[0]
    since, _end = program_days(first, first)
    zone = program_timezone()
    opportunities = Opportunity.objects.filter(organization=partner).filter(
        opened_at__gte=since
    ) | Opportunity.objects.filter(organization=partner, closed_on__gte=first)
    rows = [
        (timezone.localdate(opened_at, zone), state, closed_on)
        for opened_at, state, closed_on in opportunities.values_list(
            "opened_at", "state", "closed_on"
        )
    ]
    return fold_pipeline(rows, on=on)


def pipeline_figure(months: list[PipelineMonth]) -> str:
    labels = [format_month(m.month) for m in months]
    figure = go.Figure()
    for name, values, colour in [
        (_("Opened"), [m.opened for m in months], OPENED_COLOUR),
        (_("Won"), [m.won for m in months], WON_COLOUR),
        (_("Lost"), [m.lost for m in months], LOST_COLOUR),
    ]:
        figure.add_trace(go.Bar(x=labels, y=values, name=name, marker_color=colour))
    figure.update_layout(
        height=320,
        margin={"l": 40, "r": 10, "t": 10, "b": 40},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        barmode="group",
        xaxis={"automargin": True, "tickangle": -45},
        yaxis={"automargin": True, "rangemode": "tozero"},
    )
    return figure_json(figure)


@reads_reports
def dashboard_charts(*, partner: Organization, on: date) -> dict[str, Any]:
    """The two figures, by the chart's name on the page."""
    points = points_charts.progress_over_time(points_by_month(partner=partner, on=on))
    pipeline = pipeline_figure(pipeline_by_month(partner=partner, on=on))
    return {"points_over_time": json.loads(points), "pipeline": json.loads(pipeline)}
