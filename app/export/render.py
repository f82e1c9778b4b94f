"""Figures to PNG/SVG/PDF bytes through kaleido v1 and Debian's Chromium, with ONE warm browser per process.

The first export in a process starts ``kaleido.start_sync_server`` (about 2 s); later exports reuse it (about
0.2–0.3 s). The server is started lazily after any fork (gunicorn workers each get their own: the pid is checked),
and calls are serialised with a lock because kaleido's sync server hands results back through one shared queue.
In a gevent worker (``make serve``) the rendering happens in a helper process instead (app/export/render_helper.py):
``python -m app.export.render`` runs this module's :func:`serve_helper` loop there.
The browser is ``Settings.browser_path`` (``BROWSER_PATH``, app/settings.py), handed to kaleido.
Map shapes come from the app's own topojson folder (no CDN); MathJax is disabled (it would be fetched from a CDN).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import sys
import threading
import warnings
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from app.export import render_helper
from app.export.render_error import RenderError
from app.settings import current

IMAGE_FORMATS = ("png", "svg", "pdf")
TOPOJSON_DIR = Path(__file__).resolve().parents[1] / "assets" / "topojson"
DEFAULT_SCALE = 2

log = logging.getLogger(__name__)
_lock = threading.Lock()
_server_pid: int | None = None


def topojson_url() -> str:
    """The local map shapes as a file URL folder (plotly.js appends ``world_50m.json``)."""
    return TOPOJSON_DIR.as_uri() + "/"


def _configure() -> None:
    pio.defaults.mathjax = None
    pio.defaults.topojson = topojson_url()
    warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)


def _ensure_server() -> None:
    """Start the warm kaleido server once per process (again in a forked child)."""
    global _server_pid
    import kaleido

    if _server_pid == os.getpid():
        return
    _configure()
    browser = current().browser_path
    if not browser.exists():
        raise RenderError(f"Chromium not found at BROWSER_PATH={str(browser)!r} (apt-get install chromium)")
    if _server_pid is not None:  # inherited from the parent across a fork: its thread did not survive
        kaleido._global_server._initialized = False  # noqa: SLF001
    kaleido.start_sync_server(mathjax=False, silence_warnings=True, path=str(browser))
    _server_pid = os.getpid()
    atexit.register(stop)


def stop() -> None:
    """Stop this process's warm browser (registered with atexit; safe to call twice)."""
    global _server_pid
    import kaleido

    if _server_pid == os.getpid():
        kaleido.stop_sync_server(silence_warnings=True)
    _server_pid = None


def is_warm() -> bool:
    return _server_pid == os.getpid()


def to_bytes(fig: go.Figure, fmt: str, *, scale: float | None = None) -> bytes:
    """``fig`` as ``fmt`` (png, svg or pdf) at its own layout width and height; PNG at ``scale`` (default 2)."""
    import kaleido

    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; use one of {', '.join(IMAGE_FORMATS)}")
    if render_helper.gevent_patched():  # kaleido hangs under gevent's patching: render in the helper process
        return render_helper.HELPER.render(fig.to_json(), fmt, scale)
    width = int(fig.layout.width or 1100)
    height = int(fig.layout.height or 620)
    opts = {"format": fmt, "width": width, "height": height, "scale": scale or (DEFAULT_SCALE if fmt == "png" else 1)}
    spec = fig.to_dict()
    with _lock, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The kopts argument is ignored", category=UserWarning)
        for attempt in (1, 2):  # a browser that failed to start or died is started again, once
            _ensure_server()
            try:
                return kaleido.calc_fig_sync(spec, opts=opts, topojson=topojson_url())
            except Exception as exc:  # kaleido/choreographer raise many types; name the figure and format
                stop()
                if attempt == 2:
                    title = fig.layout.title.text or "untitled figure"
                    raise RenderError(f"could not render {title!r} as {fmt}: {exc}") from exc
                log.warning("rendering %s failed (%s); starting the browser again", fmt, exc)
    raise AssertionError("unreachable")


def serve_helper(stdin=None, stdout=None) -> None:
    """The render helper process's loop (app/export/render_helper.py): figures in, images out, until stdin closes.
    A failure goes back as a message, which the worker raises as RenderError."""
    fd_in = (stdin or sys.stdin.buffer).fileno()
    if stdout is None:  # frames go to the original stdout; anything a library prints goes to stderr instead
        out = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
    else:
        out = stdout
    try:
        while True:
            try:
                req = json.loads(render_helper.read_frame(fd_in))
            except EOFError:
                return
            try:
                body = b"\0" + to_bytes(pio.from_json(req["fig"]), req["fmt"], scale=req.get("scale"))
            except Exception as exc:  # noqa: BLE001  (sent back as the worker's RenderError)
                body = b"\1" + str(exc).encode()
            render_helper.write_frame(out, body)
    finally:
        stop()


if __name__ == "__main__":
    serve_helper()
