"""ETag and Cache-Control for the responses that depend only on the snapshot, so a CDN or caching proxy in front
of the workers serves repeated views, and revalidates them, without running the app's Python.

What is cached, and for how long (the ETag is the same in every worker: it is derived, not hashed from a body):

* **pages' HTML** (a known page's address, any query): ``public, max-age=300``. The HTML is the app's shell —
  scripts, styles, the translated title — and the same for every visitor of one address; the numbers arrive by
  callbacks (POST, never cached). Five minutes bounds how long a proxy serves the shell of a previous release or
  snapshot; after that a revalidation costs a 304 from :func:`_revalidate`, before Dash renders anything.
* ``/data.*`` and ``/download/*``: ``public, max-age=3600``. The files carry the date they were made (and the
  briefing pack its day), so the day is part of their ETag and an hour is their lifetime.
* ``/assets/…?m=`` and Dash's fingerprinted bundles stay immutable for a year (app/security.py); unstamped assets
  keep Flask's own validators.

The ETag is weak (``W/"…"``): the same representation is sent brotli'd, gzipped or plain. It is made from the
snapshot the process serves (the name of its directory, which holds the tidy frame's sha256), the app's version,
the code's assets (their newest modification time), the path and the query (which holds the language), and for
files the day. ``If-None-Match`` with it → 304 with the same headers and no body. A 404, a 400 or an error
is never given an ETag.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from dash import Dash
from flask import Response, request

from app.context import app_state
from app.routing import is_index_request, page_exists
from app.settings import Settings
from indicators.snapshot import current_dir

PAGE_CACHE = "public, max-age=300"
FILE_CACHE = "public, max-age=3600"
ASSETS_DIR = Path(__file__).resolve().parent / "assets"


def app_version() -> str:
    try:
        return metadata.version("digital-divide-indicators")
    except metadata.PackageNotFoundError:
        return "0"


@cache
def assets_stamp() -> str:
    """The newest modification time of the app's assets (a changed stylesheet or script changes the pages)."""
    return str(max((int(p.stat().st_mtime) for p in ASSETS_DIR.rglob("*") if p.is_file()), default=0))


def snapshot_id(data_dir: Path | None = None) -> str:
    """The name of the snapshot directory in ``data_dir`` (default: the app's) that ``CURRENT`` names
    (``<UTC time>-<tidy sha256>``)."""
    return current_dir(data_dir or app_state().settings.data_dir).name


def kind_of(path: str) -> str | None:
    """``"file"`` for the data and download routes, ``"page"`` for a page, None for everything else."""
    if path.startswith("/download/") or path.startswith("/data."):
        return "file"
    if is_index_request():
        return "page" if page_exists(path) else None
    return None


def etag_for(kind: str, path: str, query: str, snapshot: str, *, today: dt.date | None = None) -> str:
    """The weak ETag of a response of ``kind`` for ``path`` and ``query`` served from ``snapshot``."""
    parts = [snapshot, app_version(), assets_stamp(), kind, path, query]
    if kind == "file":
        parts.append((today or dt.date.today()).isoformat())
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f'W/"{digest}"'


def _matches(if_none_match: str, etag: str) -> bool:
    tags = [t.strip() for t in if_none_match.split(",")]
    plain = etag[2:]
    return "*" in tags or any(t in (etag, plain) or t.removeprefix("W/") == plain for t in tags)


def install_http_cache(app: Dash, settings: Settings) -> None:
    """Answer ``If-None-Match`` with 304 before the app works, and mark cacheable answers (module docstring)."""
    snapshot = snapshot_id(settings.data_dir)  # the snapshot loaded at start: served until the process restarts

    def current() -> tuple[str, str] | None:
        if request.method not in ("GET", "HEAD"):
            return None
        kind = kind_of(request.path)
        if kind is None:
            return None
        query = request.query_string.decode("latin-1")
        return kind, etag_for(kind, request.path, query, snapshot)

    @app.server.before_request
    def _revalidate():
        found = current()
        if found is None or not _matches(request.headers.get("If-None-Match", ""), found[1]):
            return None
        response = Response(status=304)
        response.headers["ETag"] = found[1]
        response.headers["Cache-Control"] = PAGE_CACHE if found[0] == "page" else FILE_CACHE
        return response

    @app.server.after_request
    def _mark(response: Response) -> Response:
        if response.status_code != 200:
            return response
        found = current()
        if found is not None:
            response.headers["ETag"] = found[1]
            response.headers["Cache-Control"] = PAGE_CACHE if found[0] == "page" else FILE_CACHE
            response.headers.pop("Expires", None)
            response.headers.pop("Last-Modified", None)
        return response
