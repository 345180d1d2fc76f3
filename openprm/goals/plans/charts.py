"""The plotly figure of actual against target by month, one panel per metric (SPEC B5).

Built on the server with plotly's own figure objects and drawn in the page by the plotly.js that
the plotly package ships (served as a static file; no CDN).
"""

import plotly.graph_objects as go
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from plotly.subplots import make_subplots

from openprm.core.charts import figure_json
from openprm.core.money import from_minor
from openprm.goals.plans.progress import Progress

ACTUAL_COLOUR = "#0d6efd"
TARGET_COLOUR = "#6c757d"


def actual_vs_target(progress: Progress) -> str:
    """The figure as JSON; `progress` must be monthly."""
    # Month names in the viewer's language, as in the progress tables.
    months = [str(MONTHS_3[cell.period]).title() for cell in progress.metrics[0].periods]
    figure = make_subplots(
        rows=2, cols=2, subplot_titles=[metric.label for metric in progress.metrics]
    )
    for index, metric in enumerate(progress.metrics):
        row, col = divmod(index, 2)

        def shown(value: int, is_money: bool = metric.is_money) -> float:
            return float(from_minor(value, progress.currency)) if is_money else value

        figure.add_trace(
            go.Bar(
                x=months,
                y=[shown(c.actual) for c in metric.periods],
                name=_("Actual"),
                marker_color=ACTUAL_COLOUR,
                legendgroup="actual",
                showlegend=index == 0,
            ),
            row=row + 1,
            col=col + 1,
        )
        figure.add_trace(
            go.Scatter(
                x=months,
                y=[shown(c.target) for c in metric.periods],
                name=_("Target"),
                mode="lines+markers",
                line={"color": TARGET_COLOUR, "dash": "dash"},
                legendgroup="target",
                showlegend=index == 0,
            ),
            row=row + 1,
            col=col + 1,
        )
    figure.update_layout(
        height=560,
        margin={"l": 40, "r": 20, "t": 60, "b": 40},
        legend={"orientation": "h", "y": -0.08},
    )
    return figure_json(figure)
