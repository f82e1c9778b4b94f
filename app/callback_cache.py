"""A small per-process cache of Dash callback answers, keyed by the exact request body.

Every server-side callback of this app is a pure function of its request: the view lives in the URL and the
callback's inputs/state, and the snapshot is read-only for the life of the process (ARCHITECTURE.md). The same
body therefore always gets the same answer, and a popular view (the default Explore chart, a shared link) is
answered without rebuilding its figure. Bounded by entries and bytes (least recently used first out);
``CALLBACK_CACHE=0`` turns it off (``Settings.callback_cache``; benchmarks measure both).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from dash import Dash
from flask import Response, g, request

CALLBACK_PATH = "/_dash-update-component"
MAX_ENTRIES = 256
MAX_BYTES = 48 * 1024 * 1024


class ResponseCache:
    """A thread-safe LRU of response bodies, bounded by entry count and total bytes."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._items: OrderedDict[bytes, tuple[bytes, str]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: bytes) -> tuple[bytes, str] | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item

    def put(self, key: bytes, body: bytes, mimetype: str) -> None:
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (body, mimetype)
            self._bytes += len(body)
            while len(self._items) > self.max_entries or self._bytes > self.max_bytes:
                _key, (old, _m) = self._items.popitem(last=False)
                self._bytes -= len(old)

    def __len__(self) -> int:
        return len(self._items)


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
