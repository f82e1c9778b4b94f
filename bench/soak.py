"""Soak: the app under ``make serve``'s gunicorn (2 workers) on 127.0.0.1, a bounded concurrent client for N
minutes, reporting errors and each worker's RSS over time (it should stay flat).

    .venv/bin/python bench/soak.py --minutes 5 [--clients 4]

The client mixes what browsers send: page GETs, Dash Pages' layout callback with varied queries, and Explore
callbacks over many views (groups × tabs × years × indicators; some repeat, most do not, so both the callback
cache and the figure code are exercised). An error is any status other than 200/204 or a failed request.
Writes bench/results/soak.md.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    EXPLORE_VALUES,
    callback_body,
    dependencies,
    find_dep,
    free_port,
    gunicorn,
    machine,
    percentile,
    rss_mb,
    table,
    wait_for_workers,
    write_result,
)

INDICATORS = ["internet_users", "households_internet", "mobile_cellular_per100", "fixed_broadband_per100"]
GROUPS = [["LDC", "SIDS"], ["WLD", "LDC", "LLDC", "SIDS"], ["LLDC"], ["SSF", "SAS"], ["LDC"]]
TABS = ["chart", "map", "ranking", "table"]
QUERIES = ["", "?tab=map", "?group=LDC,SIDS&from=2000&to=2024", "?indicator=nope", "?lang=zh", "?from=3000"]
PAGES = ["/", "/explore", "/gender", "/country/NPL", "/about"]


def requests_mix(url: str, deps: list[dict], seed: int):
    """An endless, seeded sequence of (method, path, json body) a browser would send."""
    rng = random.Random(seed)
    explore = find_dep(deps, "explore-panel-chart")
    pages = find_dep(deps, "_pages_content")
    for n in itertools.count():
        kind = n % 4
        if kind == 0:
            yield "GET", rng.choice(PAGES) + rng.choice(QUERIES), None
        elif kind == 1:
            body = callback_body(
                pages,
                {"_pages_location": None},
            )
            body["inputs"] = [
                {"id": "_pages_location", "property": "pathname", "value": rng.choice(PAGES)},
                {"id": "_pages_location", "property": "search", "value": rng.choice(QUERIES)},
            ]
            yield "POST", "/_dash-update-component", body
        else:
            values = {
                **EXPLORE_VALUES,
                "explore-indicator": rng.choice(INDICATORS),
                "explore-groups": rng.choice(GROUPS),
                "explore-tabs": rng.choice(TABS),
                "explore-from": str(rng.randint(2000, 2010)),
                "explore-year": rng.choice(["", "2015", "2020", "2022"]),
            }
            yield "POST", "/_dash-update-component", callback_body(explore, values)


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[tuple[float, float]] = []  # (time since start, seconds)
        self.errors: list[tuple[float, str]] = []


def client(url: str, deps: list[dict], seed: int, stop_at: float, t0: float, tally: Tally) -> None:
    session = requests.Session()
    for method, path, body in requests_mix(url, deps, seed):
        now = time.perf_counter()
        if now >= stop_at:
            return
        try:
            resp = session.request(method, url + path, json=body, timeout=30, headers={"Accept-Encoding": "gzip"})
            ok = resp.status_code in (200, 204)
            problem = "" if ok else f"HTTP {resp.status_code} {method} {path}"
        except requests.RequestException as exc:
            problem = f"{type(exc).__name__} {method} {path}"
        elapsed = time.perf_counter() - now
        with tally.lock:
            tally.latencies.append((now - t0, elapsed))
            if problem:
                tally.errors.append((now - t0, problem))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections (bounded load)")
    parser.add_argument("--sample", type=float, default=15.0, help="seconds between RSS samples")
    args = parser.parse_args()

    header = machine()
    server = gunicorn(free_port())
    try:
        deps = dependencies(server.url)
        workers = wait_for_workers(server, 2)
        tally = Tally()
        t0 = time.perf_counter()
        stop_at = t0 + args.minutes * 60
        threads = [
            threading.Thread(target=client, args=(server.url, deps, i, stop_at, t0, tally), daemon=True)
            for i in range(args.clients)
        ]
        for th in threads:
            th.start()
        samples: list[tuple[float, list[float], int, int]] = []
        while time.perf_counter() < stop_at:
            with tally.lock:
                n, errors = len(tally.latencies), len(tally.errors)
            samples.append((time.perf_counter() - t0, [rss_mb(p) for p in workers], n, errors))
            time.sleep(min(args.sample, max(0.0, stop_at - time.perf_counter())))
        for th in threads:
            th.join(timeout=60)
        with tally.lock:
            n, errors = len(tally.latencies), len(tally.errors)
        samples.append((time.perf_counter() - t0, [rss_mb(p) for p in workers], n, errors))
        alive = server.process.poll() is None and all(Path(f"/proc/{p}").exists() for p in workers)
    finally:
        server.stop()

    lat = [s for _t, s in tally.latencies]
    duration = samples[-1][0]
    rows = [(f"{t:.0f}", count, errs, *(f"{r:.0f}" for r in rss)) for t, rss, count, errs in samples]
    first, last = samples[1][1] if len(samples) > 1 else samples[0][1], samples[-1][1]
    growth = [b - a for a, b in zip(first, last, strict=True)]
    summary = table(
        ["duration", "clients", "requests", "requests/s", "errors", "p50 ms", "p95 ms", "max ms", "RSS growth MB"],
        [
            (
                f"{duration:.0f} s",
                args.clients,
                len(lat),
                len(lat) / duration,
                len(tally.errors),
                percentile(lat, 0.5) * 1000,
                percentile(lat, 0.95) * 1000,
                max(lat) * 1000 if lat else float("nan"),
                " / ".join(f"{g:+.0f}" for g in growth),
            )
        ],
    )
    over_time = table(["t (s)", "requests", "errors", *(f"worker {i + 1} RSS MB" for i in range(len(workers)))], rows)
    text = "\n\n".join(
        [
            f"## Soak: gunicorn (app/gunicorn_conf.py), {len(workers)} workers, {args.minutes:g} min",
            f"Machine: {header}.",
            summary,
            "RSS per worker over time (growth is measured from the first sample after start-up):",
            over_time,
            "Errors: " + ("none" if not tally.errors else "; ".join(f"{t:.0f}s {e}" for t, e in tally.errors[:20])),
            f"Workers alive at the end: {'yes' if alive else 'NO'}. Median RSS "
            f"{statistics.median([r for _t, rss, *_ in samples for r in rss]):.0f} MB.",
        ]
    )
    print(text)
    print(f"\nwritten to {write_result('soak', text)}")
    sys.exit(1 if tally.errors or not alive else 0)


if __name__ == "__main__":
    main()
