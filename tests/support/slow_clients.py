"""Slow clients ("slowloris"): sockets that trickle a request's headers or body a few bytes at a time, to check
that a server keeps answering everyone else (tests/test_serve.py, bench/slow_clients.py).

Pure standard library: one thread drives every socket, sending one byte per socket each ``interval`` seconds and
never finishing the request, until ``stop()``.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

HEADERS = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-client\r\n" + b"X-Slow: " + b"a" * 4000
BODY_HEAD = (
    b"POST /_dash-update-component HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 200000\r\n\r\n"
)


@dataclass
class SlowClients:
    """``n`` sockets to ``host:port``; half trickle headers, half send full headers then trickle a body."""

    host: str
    port: int
    n: int = 64
    interval: float = 0.5
    opened: int = 0
    reopened: int = 0  # sockets the server closed and that were opened again
    _socks: list[tuple[socket.socket | None, bytes, int]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _open(self, i: int) -> tuple[socket.socket | None, bytes, int]:
        payload = HEADERS if i % 2 == 0 else BODY_HEAD + b"{" + b" " * 199_000
        try:
            s = socket.create_connection((self.host, self.port), timeout=5)
        except OSError:
            return None, payload, 0
        sent = 0 if i % 2 == 0 else len(BODY_HEAD)
        if sent:
            s.sendall(payload[:sent])
        self.opened += 1
        return s, payload, sent

    def _run(self) -> None:
        while not self._stop.is_set():
            for i, (s, payload, sent) in enumerate(self._socks):
                if s is None:
                    self._socks[i] = self._open(i)
                    self.reopened += 1
                    continue
                try:
                    s.sendall(payload[sent : sent + 1])
                    self._socks[i] = (s, payload, min(sent + 1, len(payload) - 1))
                except OSError:
                    s.close()
                    self._socks[i] = (None, payload, 0)
            self._stop.wait(self.interval)

    def start(self) -> SlowClients:
        self._socks = [self._open(i) for i in range(self.n)]
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def alive(self) -> int:
        """How many of the sockets are open now."""
        return sum(s is not None for s, _p, _n in self._socks)

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)
        for s, _p, _n in self._socks:
            if s is not None:
                s.close()

    def __enter__(self) -> SlowClients:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def timed_get(url: str, timeout: float = 10.0) -> tuple[int, float]:
    """(status, seconds) of one plain GET; status 0 when it failed or timed out."""
    import urllib.error
    import urllib.request

    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - t0
