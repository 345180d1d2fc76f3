"""The plotly figures of the Tier page (SPEC E7, E9), drawn by the installed plotly.js.

Built on the server with plotly's figure objects, like the goals chart, and handed to the
page as JSON; the numbers under each figure are also in a table on the page.
"""

from decimal import Decimal

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from openprm.core.charts import figure_json
from openprm.core.formatting import format_month
from openprm.points.ledger.progress import MonthPoints

SOLD_COLOUR = "#0d6efd"
MANAGED_COLOUR = "#198754"
REMOVED_SOLD_COLOUR = "#9ec5fe"
REMOVED_MANAGED_COLOUR = "#a3cfbb"
TOTAL_COLOUR = "#212529"
THRESHOLD_COLOUR = "#dc3545"


def month_labels(months: list[MonthPoints]) -> list[str]:
    return [format_month(m.month) for m in months]


def _layout(figure: go.Figure, **extra: object) -> None:
    figure.update_layout(
        height=380,
        margin={"l": 50, "r": 20, "t": 10, "b": 40},
        # The legend above the plot, so the month labels below have the room they need.
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        # Room for the axes' labels as long as they are, in any language: none is clipped.
        xaxis={"automargin": True, "tickangle": -45},
        yaxis={"automargin": True},
        **extra,
    )


def tier_progress(
    months: list[MonthPoints], *, threshold: Decimal | None, threshold_label: str
) -> str:
    """Points added and removed per track by month, the active total, and a line at the
    next tier's threshold."""
    labels = month_labels(months)
    figure = go.Figure()
    bars = [
        (_("Sold points added"), [m.sold_added for m in months], SOLD_COLOUR),
        (_("Sold points removed"), [m.sold_removed for m in months], REMOVED_SOLD_COLOUR),
        (_("Managed points added"), [m.managed_added for m in months], MANAGED_COLOUR),
        (_("Managed points removed"), [m.managed_removed for m in months], REMOVED_MANAGED_COLOUR),
    ]
    for name, values, colour in bars:
        figure.add_trace(
            go.Bar(x=labels, y=[float(v) for v in values], name=name, marker_color=colour)
        )
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=[float(m.total_active) for m in months],
            name=_("Total points"),
            mode="lines+markers",
            line={"color": TOTAL_COLOUR},
        )
    )
    if threshold is not None:
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=[float(threshold)] * len(labels),
                name=threshold_label,
                mode="lines",
                line={"color": THRESHOLD_COLOUR, "dash": "dash"},
            )
        )
    _layout(figure, barmode="relative")
    return figure_json(figure)


def progress_over_time(months: list[MonthPoints]) -> str:
    """Active sold and managed points at each month's end, stacked (E9)."""
    labels = month_labels(months)
    figure = go.Figure()
    for name, values, colour in [
        (_("Sold points"), [m.sold_active for m in months], SOLD_COLOUR),
        (_("Managed points"), [m.managed_active for m in months], MANAGED_COLOUR),
    ]:
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=[float(v) for v in values],
                name=name,
                mode="lines",
                stackgroup="points",
                line={"color": colour},
            )
        )
    _layout(figure)
    return figure_json(figure)
