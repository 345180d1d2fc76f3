"""Plotly figures as JSON for the installed plotly.js, in the pages' one template.

Setting a template on a plotly figure validates its hundreds of properties each time (about
100 ms a chart on the benchmark machine, more than the rest of the figure): the template is
serialised once per process instead and set in the figure's JSON, which plotly.js reads the same.
"""

import functools
import json
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
from plotly.utils import PlotlyJSONEncoder

TEMPLATE = "plotly_white"


@functools.cache
def template_json(name: str = TEMPLATE) -> dict[str, Any]:
    return json.loads(json.dumps(pio.templates[name].to_plotly_json(), cls=PlotlyJSONEncoder))


def figure_json(figure: go.Figure) -> str:
    """What `figure.to_json()` gives once `template=TEMPLATE` is set on its layout; the figure
    sets no template of its own."""
    data = figure.to_plotly_json()
    data["layout"]["template"] = template_json()
    return json.dumps(data, cls=PlotlyJSONEncoder)
