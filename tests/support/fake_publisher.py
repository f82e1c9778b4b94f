"""A scripted HTTP server on 127.0.0.1 that answers like a publisher's API, for client tests.

Usage::

    with FakePublisher() as srv:
        srv.add("/v2/country/all/indicator/X", json_body([...]))          # same answer every time
        srv.add("/v2/...", Reply(status=500), Reply(body=b"..."))          # a sequence, last one repeats
        client.get(srv.url + "/v2/country/all/indicator/X?format=json")
        srv.requests  # [(path, query_dict), ...] in arrival order

Replies match on the path only (the query is recorded, and an optional ``match`` callable can inspect it).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to sleep before answering (to provoke client read timeouts)
    truncate: bool = False  # announce the full Content-Length but send half the body, then close
    trickle: float = 0.0  # seconds between single bytes of the body (a body that never ends in time)


def json_body(obj, status: int = 200, **kw) -> Reply:
    return Reply(status=status, body=json.dumps(obj).encode(), headers={"Content-Type": "application/json"}, **kw)


class FakePublisher:
    def __init__(self) -> None:
        self.routes: dict[str, list] = {}
        self.requests: list[tuple[str, dict[str, list[str]]]] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):  # noqa: N802 (http.server naming)
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                with outer._lock:
                    outer.requests.append((parts.path, query))
                    seq = outer.routes.get(parts.path)
                    if seq is None:
                        reply = Reply(status=404, body=b"not found")
                    else:
                        reply = seq[0] if len(seq) == 1 else seq.pop(0)
                        if callable(reply):
                            reply = reply(query)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body
                self.send_response(reply.status)
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if reply.trickle:
                        for i in range(len(body)):
                            self.wfile.write(body[i : i + 1])
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        self.wfile.write(body[: len(body) // 2] if reply.truncate else body)
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass
                if reply.truncate:
                    self.close_connection = True

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, path: str, *replies) -> None:
        """Answer ``path`` with ``replies`` in turn; the last one repeats. A reply may be a callable(query)."""
        with self._lock:
            self.routes[path] = list(replies)

    def __enter__(self) -> FakePublisher:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
