"""Image exports out of process, for gunicorn's gevent workers (app/gunicorn_conf.py).

kaleido's sync server runs Chromium from a thread with its own asyncio loop; under gevent's monkey patching that
thread is a greenlet and the render never returns (measured: the worker hangs until gunicorn kills it). So a
gevent worker hands each figure to one long-lived helper process of its own (``python -m app.export.render``,
plain threads, one warm Chromium: :func:`app.export.render.serve_helper`) and waits on the pipe, which yields to the
event loop: other requests are answered while Chromium renders. This module is the worker's side and the framing
both sides use.

Frames on both pipes: 4-byte big-endian length, then the payload. Request: JSON ``{"fig": fig.to_json(), "fmt",
"scale"}``. Answer: one status byte (``0`` ok, ``1`` error) and the image bytes or the error message. The helper
exits when its stdin closes (its worker is gone).
"""

from __future__ import annotations

import json
import os
import select
import struct
import subprocess
import sys
import threading
import time

from app.export.render_error import RenderError

#: Seconds an export may take before the helper is restarted (the first one starts Chromium: about 2 s).
TIMEOUT = 60.0


def gevent_patched() -> bool:
    """True in a process where gevent has monkey-patched threading (gunicorn's gevent worker)."""
    monkey = sys.modules.get("gevent.monkey")
    return bool(monkey and monkey.is_module_patched("threading"))


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    chunks, got = [], 0
    while got < n:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise TimeoutError("render helper did not answer in time")
        chunk = os.read(fd, n - got)
        if not chunk:
            raise EOFError("render helper closed its pipe")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _frame(payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + payload


def read_frame(fd: int, deadline: float | None = None) -> bytes:
    """One frame's payload from ``fd``; EOFError when the pipe closes first, TimeoutError after ``deadline``."""
    size = struct.unpack(">I", _read_exact(fd, 4, deadline))[0]
    return _read_exact(fd, size, deadline)


def write_frame(out, payload: bytes) -> None:
    out.write(_frame(payload))
    out.flush()


class Helper:
    """The helper process of this (worker) process; started lazily, restarted after a fork, a crash or a timeout."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()  # gevent's lock in a patched worker: one figure on the pipe at a time

    def _ensure(self) -> subprocess.Popen:
        if self._proc is None or self._pid != os.getpid() or self._proc.poll() is not None:
            cmd = [sys.executable, "-m", "app.export.render"]
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            self._pid = os.getpid()
        return self._proc

    def render(self, fig_json: str, fmt: str, scale: float | None, timeout: float = TIMEOUT) -> bytes:
        """``fig_json`` (``fig.to_json()``) as ``fmt`` bytes, or RenderError."""
        request = json.dumps({"fig": fig_json, "fmt": fmt, "scale": scale}).encode()
        with self._lock:
            proc = self._ensure()
            try:
                write_frame(proc.stdin, request)
                answer = read_frame(proc.stdout.fileno(), time.monotonic() + timeout)
            except (OSError, EOFError, TimeoutError) as exc:
                self.stop()
                raise RenderError(f"the render helper failed: {exc}") from exc
        if answer[:1] != b"\0":
            raise RenderError(answer[1:].decode("utf-8", "replace"))
        return answer[1:]

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None and self._pid == os.getpid():
            proc.kill()
            proc.wait(timeout=5)


HELPER = Helper()
