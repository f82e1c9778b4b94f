"""Loopback ports for the servers the tests start, safe under pytest-xdist.

``free_port()`` picks from the calling worker's own slice of 20000–31999 (below Linux's ephemeral range,
32768–60999, from which the kernel hands out port 0 and client sockets): worker ``gwN`` draws from
``20000 + 500·N`` … ``+ 499`` (the main process, without xdist, from the gw0 slice), at random within the slice so
that two test runs on the same machine (two worktrees) rarely meet, and checks that the port binds. Two workers
never draw the same port, and the kernel never hands a worker's port to a client socket between the check and
the server's own bind.
"""

from __future__ import annotations

import os
import random
import socket

BASE = 20000
SLICE = 500
SLICES = 24  # 20000 + 24 × 500 = 32000: below the ephemeral range


def worker_index() -> int:
    """0 for ``gw0`` (or no xdist), 1 for ``gw1``, … (PYTEST_XDIST_WORKER is set in each worker)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    digits = worker.removeprefix("gw")
    return int(digits) % SLICES if digits.isdigit() else 0


def _binds(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A port of this worker's slice that nothing listens on now."""
    start = BASE + SLICE * worker_index()
    candidates = list(range(start, start + SLICE))
    random.SystemRandom().shuffle(candidates)
    for port in candidates:
        if _binds(port):
            return port
    raise RuntimeError(f"no free loopback port in {start}–{start + SLICE - 1}")
