"""Slow clients against ``make serve``'s config: normal GET latency with and without 64 trickling sockets, for the
gevent worker (the default) and gthread (2 × 4 threads, the old config).

    .venv/bin/python bench/slow_clients.py [--clients 64] [--probes 20]

Writes bench/results/slow_clients.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import free_port, gunicorn, machine, percentile, table, wait_for_workers, write_result  # noqa: E402
from tests.support.slow_clients import SlowClients, timed_get  # noqa: E402

PATHS = ["/", "/explore", "/country/NPL", "/about"]


def probe(url: str, n: int) -> tuple[int, list[float]]:
    """(answered 200, seconds of each) for ``n`` GETs of the pages in turn (10 s timeout)."""
    out = [timed_get(url + PATHS[i % len(PATHS)], timeout=10) for i in range(n)]
    return sum(status == 200 for status, _s in out), [s for _status, s in out]


def measure(worker: str, clients: int, probes: int) -> list[tuple]:
    port = free_port()
    server = gunicorn(port, env={"GUNICORN_WORKER_CLASS": worker})
    rows = []
    try:
        wait_for_workers(server, 2)
        ok, lat = probe(server.url, probes)
        rows.append((worker, 0, f"{ok}/{probes}", percentile(lat, 0.5) * 1000, max(lat) * 1000))
        with SlowClients("127.0.0.1", port, n=clients, interval=0.5):
            time.sleep(6)
            ok, lat = probe(server.url, probes)
        rows.append((worker, clients, f"{ok}/{probes}", percentile(lat, 0.5) * 1000, max(lat) * 1000))
    finally:
        server.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--probes", type=int, default=20)
    args = parser.parse_args()
    header = machine()
    rows = [*measure("gevent", args.clients, args.probes), *measure("gthread", args.clients, args.probes)]
    text = "\n\n".join(
        [
            "## Slow clients: normal GETs while sockets trickle headers and bodies (app/gunicorn_conf.py, 2 workers)",
            f"Machine: {header}.",
            table(["worker", "slow clients", "answered 200", "p50 ms", "max ms"], rows),
        ]
    )
    print(text)
    print(f"\nwritten to {write_result('slow_clients', text)}")


if __name__ == "__main__":
    main()
