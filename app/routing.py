"""Which addresses are pages, and the HTTP status of those that are not.

Dash answers every path with its index page and 200, then draws its 404 layout in the browser. Here the Flask layer
answers an address that names no page — an unknown path, ``/country/<a code the snapshot lacks>``,
``/embed/<an unknown chart>`` — with 404 (the same page, whose layout is app/pages/not_found_404.py), so links
checkers, crawlers and caches see what a reader sees. Deep links to valid pages stay 200; Dash's own routes
(``/_dash-*``, ``/assets/``) and the data routes are not touched.
"""

from __future__ import annotations

from dash import Dash
from dash._pages import _path_to_page
from flask import Response, request

from app.context import get_data

#: Dash's endpoints for its index page (``/`` and ``/<path:path>``)
INDEX_ENDPOINTS = ("/", "/<path:path>")
#: the charts /embed/<chart> draws (each also a /download/<chart>.<fmt>)
EMBED_CHARTS = ("explore", "map", "ranking", "gender", "gender-internet", "gender-mobile", "country", "country-parity")


EMBED_PREFIX = "/embed/"


def is_embed(path: str | None) -> bool:
    """True for the address of an embedded chart (``/embed/<chart>``)."""
    return (path or "").startswith(EMBED_PREFIX)


def page_of(path: str) -> tuple[dict, dict]:
    """(the registered page, its path variables) for ``path``; ({}, {}) when no page has that path. The same
    matching as Dash's own router (``dash._pages._path_to_page``), so both agree on what a page is."""
    page, variables = _path_to_page((path or "/").strip("/"))
    return page, variables or {}


def page_exists(path: str) -> bool:
    """True when ``path`` is a page the app can draw: a registered path, a known economy's profile, an embed of a
    known chart."""
    page, variables = page_of(path)
    if not page or page.get("module", "").endswith("not_found_404"):
        return False
    if "iso3" in variables:
        return variables["iso3"].strip().upper() in get_data().country_codes
    if "chart" in variables:
        return variables["chart"] in EMBED_CHARTS
    return True


def is_index_request() -> bool:
    """True when the current request is answered by Dash's index page."""
    return request.endpoint in INDEX_ENDPOINTS


def install_not_found_status(app: Dash) -> None:
    """Answer the index page with 404 for an address that names no page (see the module docstring)."""

    @app.server.after_request
    def _not_found_status(response: Response) -> Response:
        if response.status_code == 200 and is_index_request() and not page_exists(request.path):
            response.status_code = 404
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("ETag", None)
        return response
