"""The render helper's pipe protocol (app/export/render_helper.py; its loop, app/export/render.py), with a fake
renderer: frames in, frames out, errors sent back as messages, the loop ends when its input closes."""

from __future__ import annotations

import json
import os
import struct
import threading
import time

import plotly.graph_objects as go

from app.export import render, render_helper


def _frame(payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + payload


def _read(fd: int) -> bytes:
    deadline = time.monotonic() + 5  # _read_exact takes a monotonic deadline
    size = struct.unpack(">I", render_helper._read_exact(fd, 4, deadline))[0]
    return render_helper._read_exact(fd, size, deadline)


def test_the_helper_answers_each_figure_and_stops_when_its_input_closes(monkeypatch):
    def fake(fig, fmt, scale=None):
        if fmt == "bad":
            raise ValueError("no such format")
        return f"{fmt}:{fig.layout.title.text}:{scale}".encode()

    monkeypatch.setattr(render, "to_bytes", fake)
    monkeypatch.setattr(render, "stop", lambda: None)
    req_r, req_w = os.pipe()
    ans_r, ans_w = os.pipe()
    with os.fdopen(req_r, "rb") as stdin, os.fdopen(ans_w, "wb") as stdout:
        loop = threading.Thread(target=render.serve_helper, args=(stdin, stdout))
        loop.start()
        fig = go.Figure(layout={"title": {"text": "Internet use"}}).to_json()
        os.write(req_w, _frame(json.dumps({"fig": fig, "fmt": "png", "scale": 2}).encode()))
        assert _read(ans_r) == b"\0png:Internet use:2"
        os.write(req_w, _frame(json.dumps({"fig": fig, "fmt": "bad", "scale": None}).encode()))
        assert _read(ans_r) == b"\1no such format"
        os.close(req_w)
        loop.join(timeout=5)
        assert not loop.is_alive()
    os.close(ans_r)


def test_exports_use_the_helper_only_under_gevent():
    assert render_helper.gevent_patched() is False  # pytest is not monkey-patched: kaleido runs in-process


def _failing_browser(monkeypatch, failures: int) -> list[str]:
    """kaleido failing ``failures`` times before it answers; returns the log of starts, stops and calls."""
    import kaleido

    from app.export import render

    events: list[str] = []
    monkeypatch.setattr(render, "_ensure_server", lambda: events.append("start"))
    monkeypatch.setattr(render, "stop", lambda: events.append("stop"))
    monkeypatch.setattr(render.render_helper, "gevent_patched", lambda: False)

    def calc(spec, opts, topojson):
        events.append("call")
        if events.count("call") <= failures:
            raise RuntimeError("browser closed")
        return b"<svg/>"

    monkeypatch.setattr(kaleido, "calc_fig_sync", calc)
    return events


def test_a_browser_that_fails_once_is_started_again(monkeypatch):
    import plotly.graph_objects as go

    from app.export import render

    events = _failing_browser(monkeypatch, failures=1)
    assert render.to_bytes(go.Figure(), "svg") == b"<svg/>"
    assert events == ["start", "call", "stop", "start", "call"]


def test_a_browser_that_fails_twice_is_a_render_error_naming_the_figure(monkeypatch):
    import plotly.graph_objects as go
    import pytest

    from app.export import render

    _failing_browser(monkeypatch, failures=2)
    with pytest.raises(render.RenderError, match="'Chart' as png: browser closed"):
        render.to_bytes(go.Figure(layout={"title": {"text": "Chart"}}), "png")
