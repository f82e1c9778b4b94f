"""The floor: a bare Dash 4 page with one graph drawn by one callback, and a no-op callback.

Served like the app (``gunicorn -c app/gunicorn_conf.py bench.bare_app:server``) so page and callback timings of
the dashboard can be read as ratios to what Dash itself costs on the same machine. ``BARE_COMPRESS=0`` serves it
uncompressed, as Dash does by default. Serve it with ``WARMUP=0``: the config's warm-up imports the dashboard, whose
partial plotly.js (app/plotly_bundle.py) would otherwise replace Dash's full copy here too.
"""

from __future__ import annotations

import os

import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

YEARS = list(range(2000, 2025))

app = Dash(__name__, compress=os.environ.get("BARE_COMPRESS", "1") != "0", serve_locally=True)
app.layout = html.Div(
    [
        html.H1("Bare page"),
        dcc.Dropdown(id="series", options=["a", "b"], value="a", clearable=False),
        dcc.Graph(id="graph"),
        html.Div(id="noop-out"),
        dcc.Input(id="noop-in", value=""),
    ]
)


@app.callback(Output("graph", "figure"), Input("series", "value"))
def draw(series: str) -> go.Figure:
    """One line, 25 points: what Dash and plotly.js cost before any app logic."""
    slope = 2.0 if series == "a" else 3.0
    return go.Figure(go.Scatter(x=YEARS, y=[slope * (y - 2000) for y in YEARS], mode="lines", name=series))


@app.callback(Output("noop-out", "children"), Input("noop-in", "value"))
def noop(value: str) -> str:
    """The no-op floor of a Dash callback: parse, call, serialise."""
    return value


server = app.server
