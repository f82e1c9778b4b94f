"""Image exports out of process, for gunicorn's gevent workers (app/gunicorn_conf.py).

kaleido's sync server runs Chromium from a thread with its own asyncio loop; under gevent's monkey patching that
thread is a greenlet and the render never returns (measured: the worker hangs until gunicorn kills it). So a
gevent worker hands each figure to one long-lived helper process of its own (``python -m
app.export.render_helper``, plain threads, one warm Chromium) and waits on the pipe, which yields to the event loop:
other requests are answered while Chromium renders.

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

#: Seconds an export may take before the helper is restarted (the first one starts Chromium: about 2 s).
TIMEOUT = 60.0


def gevent_patched() -> bool:
    """True in a process where gevent has monkey-patched threading (gunicorn's gevent worker)."""
    monkey = sys.modules.get("gevent.monkey")
    return bool(monkey and monkey.is_module_patched("threading"))


def _read_exact(fd: int, n: int, deadline: float | None) -> bytes:
    import time

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


class Helper:
    """The helper process of this (worker) process; started lazily, restarted after a fork, a crash or a timeout."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()  # gevent's lock in a patched worker: one figure on the pipe at a time

    def _ensure(self) -> subprocess.Popen:
        if self._proc is None or self._pid != os.getpid() or self._proc.poll() is not None:
            cmd = [sys.executable, "-m", "app.export.render_helper"]
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            self._pid = os.getpid()
        return self._proc

    def render(self, fig_json: str, fmt: str, scale: float | None, timeout: float = TIMEOUT) -> bytes:
        """``fig_json`` (``fig.to_json()``) as ``fmt`` bytes, or RenderError."""
        import time

        from app.export.render import RenderError

        request = json.dumps({"fig": fig_json, "fmt": fmt, "scale": scale}).encode()
        with self._lock:
            proc = self._ensure()
            try:
                proc.stdin.write(_frame(request))
                proc.stdin.flush()
                deadline = time.monotonic() + timeout
                fd = proc.stdout.fileno()
                size = struct.unpack(">I", _read_exact(fd, 4, deadline))[0]
                answer = _read_exact(fd, size, deadline)
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


def serve(stdin=None, stdout=None) -> None:
    """The helper's loop: figures in, images out, until stdin closes."""
    import plotly.io as pio

    from app.export import render

    fd_in = (stdin or sys.stdin.buffer).fileno()
    if stdout is None:  # frames go to the original stdout; anything a library prints goes to stderr instead
        out = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
    else:
        out = stdout
    try:
        while True:
            try:
                size = struct.unpack(">I", _read_exact(fd_in, 4, None))[0]
            except EOFError:
                return
            req = json.loads(_read_exact(fd_in, size, None))
            try:
                body = b"\0" + render.to_bytes(pio.from_json(req["fig"]), req["fmt"], scale=req.get("scale"))
            except Exception as exc:  # noqa: BLE001  (sent back as the worker's RenderError)
                body = b"\1" + str(exc).encode()
            out.write(_frame(body))
            out.flush()
    finally:
        render.stop()


if __name__ == "__main__":
    serve()
