"""Compress Dash's JavaScript bundles and the app's assets once per process, harder than per-request compression can.

flask-compress (``Dash(compress=True)``) compresses every response as it leaves, at a level cheap enough to repeat:
Dash's full plotly.min.js (4.8 MB) would cost ~0.18 s of CPU per first visit and go out as 1.41 MB (brotli 4).
Static files never change while the process runs, so here they are compressed once and kept in memory keyed by
their content hash: on a request, at brotli quality 9 (0.1 s for the app's partial plotly.js) or gzip 9. ``make
serve`` compresses every linked file in the master before the workers fork (app/warmup.py, inside :func:`hard`), at
brotli's highest quality, 11: plotly.js goes out as 353 KiB instead of 386 KiB, dcc's bundle as 65 instead of 70
KiB (~8% fewer bytes for ~2 s of CPU per big file, once, shared by the workers). Quality 11 is never spent on a
request: brotli holds the interpreter for those seconds, which stalls every other thread of a worker (kaleido's
among them). flask-compress leaves the answer alone (it skips responses that already have a Content-Encoding).
Dynamic answers (pages, callbacks) still go through flask-compress.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import threading

from dash import Dash
from flask import Response, request
from werkzeug.http import parse_accept_header

try:  # flask-compress pulls in brotli; without it gzip is used
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
MIMETYPES = {"application/javascript", "text/javascript", "text/css", "application/json", "image/svg+xml"}
MIN_SIZE = 1024
BROTLI_QUALITY = 9  # on a request
HARD_BROTLI_QUALITY = 11  # inside hard(): the warm-up
_hard = threading.Event()
GZIP_LEVEL = 9


def choose_encoding(accept_encoding: str) -> str | None:
    """The encoding ``Accept-Encoding`` rates highest among ``br`` (when brotli is installed) and ``gzip``, ``br``
    on a tie; None when the client takes neither (``q=0`` refuses one). werkzeug parses the header."""
    offers = ("br", "gzip") if brotli is not None else ("gzip",)
    return parse_accept_header(accept_encoding).best_match(offers)


@contextlib.contextmanager
def hard():
    """Compress at brotli's highest quality while inside (the warm-up, before any request is served)."""
    _hard.set()
    try:
        yield
    finally:
        _hard.clear()


def compress(data: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(data, quality=HARD_BROTLI_QUALITY if _hard.is_set() else BROTLI_QUALITY)
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def install_static_compression(app: Dash) -> dict:
    """Serve static bundles precompressed; returns the (encoding, sha256) → bytes cache for tests."""
    cache: dict[tuple[str, bytes], bytes] = {}
    lock = threading.Lock()

    @app.server.after_request
    def _precompressed(response: Response) -> Response:
        if (
            response.status_code != 200
            or not request.path.startswith(STATIC_PREFIXES)
            or "Content-Encoding" in response.headers
            or response.mimetype not in MIMETYPES
        ):
            return response
        encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
        if encoding is None:
            return response
        response.direct_passthrough = False  # static files come as a file wrapper; read it
        data = response.get_data()
        if len(data) < MIN_SIZE:
            return response
        key = (encoding, hashlib.sha256(data).digest())
        with lock:
            body = cache.get(key)
        if body is None:
            body = compress(data, encoding)
            with lock:
                cache[key] = body
        response.set_data(body)
        response.headers["Content-Encoding"] = encoding
        vary = response.headers.get("Vary", "")
        if "accept-encoding" not in vary.lower():
            response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
        return response

    return cache
