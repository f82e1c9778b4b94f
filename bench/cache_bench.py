"""The cache hit path: a revalidation answered 304 (app/http_cache.py) against the full answer, served as
``make serve`` serves it (gunicorn, 2 gevent workers).

    .venv/bin/python bench/cache_bench.py [--reps 200]

For a page's HTML, ``/data.csv`` and a PNG download: the first request (the download cache cold for the PNG), then
``--reps`` full GETs and ``--reps`` GETs with ``If-None-Match`` (each a loopback round trip on a kept-alive
connection, p50/p95, and the bytes sent). What a proxy or CDN in front of the workers saves is the difference;
within ``max-age`` it does not ask at all. Prints Markdown and writes bench/results/cache_bench.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import free_port, gunicorn, machine, percentile, table, write_result  # noqa: E402

QUERY = "indicator=internet_users&group=LDC,SIDS&from=2000&to=2024"
PATHS = (
    ("page HTML", f"/explore?{QUERY}"),
    ("/data.csv", f"/data.csv?{QUERY}"),
    ("PNG download", f"/download/explore.png?{QUERY}"),
)


def timed(session: requests.Session, url: str, reps: int, headers: dict | None = None) -> tuple[list[float], int]:
    """Milliseconds per GET, and the body size of the last one."""
    times, size = [], 0
    for _ in range(reps):
        t0 = time.perf_counter()
        resp = session.get(url, headers=headers or {})
        times.append((time.perf_counter() - t0) * 1000)
        size = len(resp.content)
    return times, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    args = parser.parse_args()
    server = gunicorn(free_port())
    rows = []
    try:
        session = requests.Session()
        for name, path in PATHS:
            url = server.url + path
            t0 = time.perf_counter()
            first = session.get(url)
            first_ms = (time.perf_counter() - t0) * 1000
            etag = first.headers["ETag"]
            full, size = timed(session, url, args.reps)
            hit, hit_size = timed(session, url, args.reps, {"If-None-Match": etag})
            assert session.get(url, headers={"If-None-Match": etag}).status_code == 304
            rows.append(
                [
                    name,
                    first_ms,
                    percentile(full, 0.5),
                    percentile(full, 0.95),
                    size,
                    percentile(hit, 0.5),
                    percentile(hit, 0.95),
                    hit_size,
                ]  # fmt: skip
            )
    finally:
        server.stop()
    headers = ["response", "first (ms)", "full p50", "full p95", "bytes", "304 p50", "304 p95", "bytes (304)"]
    text = "\n".join(
        [
            "# The cache hit path: 304 revalidation vs the full answer",
            "",
            machine() + f"; gunicorn, 2 gevent workers; {args.reps} GETs each, one kept-alive connection.",
            "",
            table(headers, rows),
        ]
    )
    print(text)
    write_result("cache_bench", text)


if __name__ == "__main__":
    main()
