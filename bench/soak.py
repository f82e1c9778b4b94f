"""Soak: the app under ``make serve``'s gunicorn (2 gevent workers) on 127.0.0.1, a bounded concurrent client for
N minutes, reporting errors and each worker's RSS and PSS over time: after the warm-up they must stay flat.

    .venv/bin/python bench/soak.py --minutes 15 [--clients 4] [--warmup 3] [--max-growth-mb 10]

The client mixes what browsers send: page GETs, Dash Pages' layout callback with varied queries, Explore
callbacks over many views (groups × tabs × years × indicators; some repeat, most do not, so both the callback
cache and the figure code are exercised), and CSV/JSON downloads of varied views (the download cache). An error is
any status other than 200/204 or a failed request. Growth is measured from the end of ``--warmup`` minutes (the
caches fill towards their byte bounds: app/callback_cache.py, app/export/routes.py) to the end, as the difference
of the medians of the first and the last five samples; the exit status is 1 on any error, a dead worker, or RSS
growth above ``--max-growth-mb`` in any worker. Writes bench/results/soak.md.
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
    pss_mb,
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


def download_path(rng: random.Random) -> str:
    """A CSV or JSON download of one of many views (indicator × groups × start year × tab)."""
    groups = ",".join(rng.choice(GROUPS))
    query = f"indicator={rng.choice(INDICATORS)}&group={groups}&from={rng.randint(2000, 2010)}&tab={rng.choice(TABS)}"
    return f"/data.{rng.choice(['csv', 'json'])}?{query}"


def requests_mix(url: str, deps: list[dict], seed: int):
    """An endless, seeded sequence of (method, path, json body) a browser would send."""
    rng = random.Random(seed)
    explore = find_dep(deps, "explore-graph.figure")
    pages = find_dep(deps, "_pages_content")
    for n in itertools.count():
        kind = n % 5
        if kind == 0:
            yield "GET", rng.choice(PAGES) + rng.choice(QUERIES), None
        elif kind == 4:
            yield "GET", download_path(rng), None
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


def growth(samples: list[tuple], index: int, since: float) -> list[float]:
    """Per worker: median of the last five samples minus median of the first five at or after ``since`` seconds."""
    after = [row[index] for row in samples if row[0] >= since] or [samples[-1][index]]
    head, tail = after[:5], after[-5:]
    workers = range(len(after[0]))
    return [statistics.median(r[i] for r in tail) - statistics.median(r[i] for r in head) for i in workers]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections (bounded load)")
    parser.add_argument("--sample", type=float, default=15.0, help="seconds between RSS samples")
    parser.add_argument("--warmup", type=float, default=3.0, help="minutes before growth is measured")
    parser.add_argument("--max-growth-mb", type=float, default=10.0, help="RSS growth per worker after warm-up")
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
        samples: list[tuple[float, list[float], list[float], int, int]] = []

        def sample() -> None:
            with tally.lock:
                n, errors = len(tally.latencies), len(tally.errors)
            now = time.perf_counter() - t0
            samples.append((now, [rss_mb(p) for p in workers], [pss_mb(p) for p in workers], n, errors))

        while time.perf_counter() < stop_at:
            sample()
            time.sleep(min(args.sample, max(0.0, stop_at - time.perf_counter())))
        for th in threads:
            th.join(timeout=60)
        sample()
        alive = server.process.poll() is None and all(Path(f"/proc/{p}").exists() for p in workers)
    finally:
        server.stop()

    lat = [s for _t, s in tally.latencies]
    duration = samples[-1][0]
    warm_s = min(args.warmup * 60, duration / 2)
    rss_growth, pss_growth = growth(samples, 1, warm_s), growth(samples, 2, warm_s)
    flat = all(g <= args.max_growth_mb for g in rss_growth)
    step = max(1, len(samples) // 40)  # at most ~40 rows in the table, the last sample always
    shown = samples[::step] + ([samples[-1]] if (len(samples) - 1) % step else [])
    rows = [
        (f"{t:.0f}", count, errs, *(f"{r:.0f} / {p:.0f}" for r, p in zip(rss, pss, strict=True)))
        for t, rss, pss, count, errs in shown
    ]
    summary = table(
        ["duration", "clients", "requests", "requests/s", "errors", "p50 ms", "p95 ms", "max ms"],
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
            )
        ],
    )
    memory = table(
        ["worker", "RSS at start MB", f"RSS at {warm_s:.0f} s", "RSS at end", "RSS growth after warm-up", "PSS growth"],
        [
            (
                f"worker {i + 1}",
                f"{samples[0][1][i]:.0f}",
                f"{next(row[1][i] for row in samples if row[0] >= warm_s):.0f}",
                f"{samples[-1][1][i]:.0f}",
                f"{rss_growth[i]:+.1f} MB",
                f"{pss_growth[i]:+.1f} MB",
            )
            for i in range(len(workers))
        ],
    )
    over_time = table(
        ["t (s)", "requests", "errors", *(f"worker {i + 1} RSS / PSS MB" for i in range(len(workers)))], rows
    )
    verdict = "flat" if flat else f"NOT flat (more than {args.max_growth_mb:g} MB)"
    text = "\n\n".join(
        [
            f"## Soak: gunicorn (app/gunicorn_conf.py), {len(workers)} workers, {args.minutes:g} min",
            f"Machine: {header}.",
            summary,
            f"Memory per worker; growth is measured after a {warm_s:.0f} s warm-up (median of the last five samples "
            f"minus median of the first five after it): **{verdict}**.",
            memory,
            "RSS and PSS per worker over time:",
            over_time,
            "Errors: " + ("none" if not tally.errors else "; ".join(f"{t:.0f}s {e}" for t, e in tally.errors[:20])),
            f"Workers alive at the end: {'yes' if alive else 'NO'}.",
        ]
    )
    print(text)
    print(f"\nwritten to {write_result('soak', text)}")
    sys.exit(1 if tally.errors or not alive or not flat else 0)


if __name__ == "__main__":
    main()
