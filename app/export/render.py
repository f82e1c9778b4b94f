"""Figures to PNG/SVG/PDF bytes through kaleido v1 and Debian's Chromium, with ONE warm browser per process.

The first export in a process starts ``kaleido.start_sync_server`` (about 2 s); later exports reuse it (about
0.2–0.3 s). The server is started lazily after any fork (gunicorn workers each get their own: the pid is checked),
and calls are serialised with a lock because kaleido's sync server hands results back through one shared queue.
In a gevent worker (``make serve``) the rendering happens in a helper process instead (app/export/render_helper.py).
Map shapes come from the app's own topojson folder (no CDN); MathJax is disabled (it would be fetched from a CDN).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import warnings
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio

from app.export import render_helper

IMAGE_FORMATS = ("png", "svg", "pdf")
DEFAULT_BROWSER = "/usr/bin/chromium"
TOPOJSON_DIR = Path(__file__).resolve().parents[1] / "assets" / "topojson"
DEFAULT_SCALE = 2

log = logging.getLogger(__name__)
_lock = threading.Lock()
_server_pid: int | None = None


class RenderError(RuntimeError):
    """The browser could not render a figure (no Chromium, or plotly.js failed); the message says which."""


def topojson_url() -> str:
    """The local map shapes as a file URL folder (plotly.js appends ``world_50m.json``)."""
    return TOPOJSON_DIR.as_uri() + "/"


def _configure() -> None:
    os.environ.setdefault("BROWSER_PATH", DEFAULT_BROWSER)
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
    if not Path(os.environ["BROWSER_PATH"]).exists():
        raise RenderError(
            f"Chromium not found at BROWSER_PATH={os.environ['BROWSER_PATH']!r} (apt-get install chromium)"
        )
    if _server_pid is not None:  # inherited from the parent across a fork: its thread did not survive
        kaleido._global_server._initialized = False  # noqa: SLF001
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
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
