"""A small per-process cache of Dash callback answers, keyed by the exact request body.

Every server-side callback of this app is a pure function of its request: the view lives in the URL and the
callback's inputs/state, and the snapshot is read-only for the life of the process (ARCHITECTURE.md). The same
body therefore always gets the same answer, and a popular view (the default Explore chart, a shared link) is
answered without rebuilding its figure. Bounded by entries and bytes (least recently used first out, app/lru.py);
``CALLBACK_CACHE=0`` turns it off (``Settings.callback_cache``; benchmarks measure both).
"""

from __future__ import annotations

import hashlib

from dash import Dash
from flask import Response, g, request

from app.lru import BytesLRU

CALLBACK_PATH = "/_dash-update-component"
MAX_ENTRIES = 256
MAX_BYTES = 48 * 1024 * 1024


class ResponseCache(BytesLRU):
    """Response bodies and their mimetypes by request hash: at most ``max_entries`` and ``max_bytes``; a body
    larger than an eighth of the bytes is not kept."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        super().__init__(max_entries, max_bytes, largest_part=8, size=lambda item: len(item[0]))

    def put(self, key: bytes, body: bytes, mimetype: str) -> None:  # type: ignore[override]
        super().put(key, (body, mimetype))


def install_callback_cache(app: Dash) -> ResponseCache:
    """Serve repeated callback requests from a ResponseCache (``create_app`` installs it unless
    ``CALLBACK_CACHE=0``)."""
    cache = ResponseCache()
    server = app.server

    @server.before_request
    def _from_cache():
        if request.method != "POST" or not request.path.endswith(CALLBACK_PATH):
            return None
        key = hashlib.sha256(request.get_data(cache=True)).digest()
        hit = cache.get(key)
        if hit is not None:
            return Response(hit[0], mimetype=hit[1])
        g.callback_cache_key = key
        return None

    @server.after_request
    def _to_cache(response: Response) -> Response:
        key = g.pop("callback_cache_key", None)
        cacheable = key is not None and response.status_code == 200 and not response.direct_passthrough
        if cacheable and "Content-Encoding" not in response.headers and "Set-Cookie" not in response.headers:
            cache.put(key, response.get_data(), response.mimetype or "application/json")
        return response

    app.callback_cache = cache  # type: ignore[attr-defined]  (for benchmarks and tests)
    return cache
