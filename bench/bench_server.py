"""The dashboard with one extra no-op callback, so a callback's cost can be read against Dash's floor measured on
the same server (``gunicorn -c app/gunicorn_conf.py bench.bench_server:server``)."""

from __future__ import annotations

from dash import Input, Output

from app.wsgi import app

NOOP_IN, NOOP_OUT = "bench-noop-in", "bench-noop-out"


@app.callback(Output(NOOP_OUT, "children"), Input(NOOP_IN, "value"))
def noop(value: str) -> str:
    """Parse, call, serialise: nothing else."""
    return value


server = app.server
