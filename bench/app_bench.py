"""The dashboard against Dash's own floor, served as ``make serve`` serves it (gunicorn, app/gunicorn_conf.py).

    .venv/bin/python bench/app_bench.py [--reps 40] [--load-seconds 20] [--clients 4] [--browser-runs 5]

Measures, each as an absolute number and, where the issue sets a goal, as a ratio to a floor from the same run:

1. Callback server time (loopback round trip, one client, keep-alive): the Explore chart (LDC+SIDS,
   internet_users, 2000–2024) and the Map tab, p50/p95, against a no-op callback on the same server; with the
   callback cache off (every answer computed) and on (a repeated view). Goal: p95 ≤ 2× the no-op's. Every answer
   writes the view's parts by id (the figure, its texts, links and notes); a tab switch and a new view on every
   call are measured too.
2. Figure JSON bytes sent for the chart and the map (goal ≤ 100 KB and ≤ 300 KB), raw and gzip on the wire.
3. First visit with an empty cache in headless Chromium: bytes over the wire (encoded sizes; goal ≤ 1.5 MB) and
   time to the first painted chart, against the bare one-graph page (bench/bare_app.py; goal ≤ 1.3×).
4. Start-up time (gunicorn start → first 200) and memory per worker after warm-up: RSS and PSS (goal ≤ 300 MB).
5. Callbacks per second held by 2 workers under ``--clients`` concurrent clients, zero errors.

Prints Markdown and writes bench/results/app_bench.md. Numbers are this machine's; compare ratios across machines.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
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
    Server,
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
    write_result,
)

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
EXPLORE_URL = "/explore?indicator=internet_users&group=LDC,SIDS&from=2000&to=2024"
PAINTED_JS = """(sel) => { const gd = document.querySelector(sel);
    return !!(gd && gd._fullLayout && gd.data && gd.data.length && gd.querySelector('.main-svg')); }"""


WORKER_CLASS = os.environ.get("GUNICORN_WORKER_CLASS", "gevent")  # app/gunicorn_conf.py


def timed_posts(
    session: requests.Session, url: str, body: dict | list[dict], reps: int
) -> tuple[list[float], requests.Response]:
    """Times of ``reps`` posts of ``body`` (a list: the next body each call, cycling)."""
    bodies = body if isinstance(body, list) else [body]
    times, resp = [], None
    for i in range(reps):
        t0 = time.perf_counter()
        resp = session.post(url + "/_dash-update-component", json=bodies[i % len(bodies)], timeout=60)
        times.append(time.perf_counter() - t0)
        if resp.status_code != 200:
            raise RuntimeError(f"callback answered {resp.status_code}: {resp.text[:300]}")
    return times, resp


def figure_of(resp: requests.Response) -> dict:
    """The first plotly figure inside a callback answer (the graph's ``figure`` prop, whole or patched in)."""
    stack = [resp.json()]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "figure" in node and isinstance(node["figure"], dict) and "data" in node["figure"]:
                return node["figure"]
            if node.get("operation") == "Assign" and (node.get("location") or [None])[-1] == "figure":
                return node["params"]["value"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise RuntimeError("no figure in the callback answer")


VARIED_CHART = "Explore chart, a new view each call (100 start/end years)"
VARIED_MAP = "Explore map, a new view each call (19 years × 4 group choices)"
TAB_SWITCH = "Explore, chart → map tab (the whole tab drawn, not patched)"


def callback_timings(server: Server, reps: int) -> dict:
    deps = dependencies(server.url)
    explore, noop = find_dep(deps, "explore-graph.figure"), find_dep(deps, "bench-noop-out")
    session = requests.Session()
    session.headers["Accept-Encoding"] = "gzip"
    bodies = {
        "no-op callback (floor)": callback_body(noop, {"bench-noop-in": "x"}),
        "Explore chart (LDC+SIDS, internet_users, 2000–2024)": callback_body(explore, EXPLORE_VALUES),
        "Explore map": callback_body(explore, {**EXPLORE_VALUES, "explore-tabs": "map"}),
        TAB_SWITCH: callback_body(explore, {**EXPLORE_VALUES, "explore-tabs": "map"}),
        VARIED_CHART: [
            callback_body(explore, {**EXPLORE_VALUES, "explore-from": str(start), "explore-to": str(end)})
            for end in (2024, 2023, 2022, 2021, 2020)
            for start in range(2000, 2020)
        ],
        VARIED_MAP: [
            callback_body(
                explore,
                {
                    **EXPLORE_VALUES,
                    "explore-tabs": "map",
                    "explore-year": str(year),
                    "explore-groups": groups,
                },
            )
            for groups in (["LDC", "SIDS"], ["LLDC"], ["SSF", "SAS"], ["WLD", "LDC"])
            for year in range(2005, 2024)
        ],
    }
    for body in bodies.values():
        # warm: imports, aggregates, the first figure (a varied list is warmed on its last bodies, timed on its first)
        timed_posts(session, server.url, body[-3:] if isinstance(body, list) else body, 3)
    # interleaved, one call of each per round: the floor and the callbacks meet the same machine state (timed one
    # after the other, the floor's p95 alone moved between 2.1 and 4.1 ms from run to run)
    times: dict[str, list[float]] = {name: [] for name in bodies}
    last: dict[str, requests.Response] = {}
    for i in range(reps):
        for name, body in bodies.items():
            one = body[i % len(body)] if isinstance(body, list) else body
            (elapsed,), last[name] = timed_posts(session, server.url, one, 1)
            times[name].append(elapsed)
    return {
        name: {"times": times[name], "resp": r, "wire": int(r.headers.get("Content-Length", len(r.content)))}
        for name, r in last.items()
    }


def memory(server: Server) -> list[tuple[int, float, float]]:
    return [(pid, rss_mb(pid), pss_mb(pid)) for pid in server.pids()[1:]]


def load(server: Server, seconds: float, clients: int) -> tuple[int, int, float, list[float]]:
    """(requests, errors, elapsed, latencies) of ``clients`` threads posting Explore callbacks over varied views."""
    explore = find_dep(dependencies(server.url), "explore-graph.figure")
    stop_at = time.perf_counter() + seconds
    lock = threading.Lock()
    lat: list[float] = []
    errors = [0]

    def run(seed: int) -> None:
        rng = random.Random(seed)
        session = requests.Session()
        session.headers["Accept-Encoding"] = "gzip"
        while time.perf_counter() < stop_at:
            tab = rng.choice(["chart", "map", "ranking", "table"])
            values = {
                **EXPLORE_VALUES,
                "explore-groups": rng.choice([["LDC", "SIDS"], ["WLD", "LDC"], ["LLDC"], ["SSF", "SAS"]]),
                "explore-tabs": tab,
                "explore-from": str(rng.randint(2000, 2004)),
            }
            t0 = time.perf_counter()
            try:
                ok = session.post(
                    server.url + "/_dash-update-component", json=callback_body(explore, values), timeout=60
                ).ok
            except requests.RequestException:
                ok = False
            with lock:
                lat.append(time.perf_counter() - t0)
                errors[0] += not ok

    t0 = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return len(lat), errors[0], time.perf_counter() - t0, lat


def browser_visits(url: str, path: str, graph_selector: str, runs: int) -> tuple[list[float], list[int], int]:
    """(ms to first painted chart, bytes over the wire, requests) per visit, each in a fresh context."""
    from playwright.sync_api import sync_playwright

    paint, wire = [], []
    n_requests = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                sizes: dict[str, int] = {}
                cdp.on(
                    "Network.loadingFinished", lambda e, s=sizes: s.__setitem__(e["requestId"], e["encodedDataLength"])
                )
                t0 = time.perf_counter()
                page.goto(url + path)
                page.wait_for_function(PAINTED_JS, arg=graph_selector, timeout=60_000)
                paint.append((time.perf_counter() - t0) * 1000)
                page.wait_for_load_state("networkidle")
                wire.append(sum(sizes.values()))
                n_requests = len(sizes)
                context.close()
        finally:
            browser.close()
    return paint, wire, n_requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=40, help="timed calls per callback (after 3 warm-up calls)")
    parser.add_argument("--load-seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--browser-runs", type=int, default=5)
    parser.add_argument("--callbacks-only", action="store_true", help="only the callback timings (cache off)")
    args = parser.parse_args()
    header = machine()
    if args.callbacks_only:
        server = gunicorn(free_port(), app="bench.bench_server:server", env={"CALLBACK_CACHE": "0"})
        try:
            timings = callback_timings(server, args.reps)
        finally:
            server.stop()
        floor_p95 = percentile(timings["no-op callback (floor)"]["times"], 0.95)
        for name, r in timings.items():
            p50, p95 = percentile(r["times"], 0.5) * 1000, percentile(r["times"], 0.95) * 1000
            print(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, {p95 / (floor_p95 * 1000):.1f}× the floor")
        return
    sections = [f"## App benchmarks (`make bench`)\n\nMachine: {header}."]

    # 1–2, 4: callbacks with the cache off (every answer computed), memory, start-up
    cold = gunicorn(free_port(), app="bench.bench_server:server", env={"CALLBACK_CACHE": "0"})
    try:
        startup_s = cold.started_s
        timings = callback_timings(cold, args.reps)
        mem = memory(cold)
        q_cold, e_cold, s_cold, _ = load(cold, args.load_seconds, args.clients)
    finally:
        cold.stop()
    warm = gunicorn(free_port(), app="bench.bench_server:server")
    try:
        warm_timings = callback_timings(warm, args.reps)
        q_warm, e_warm, s_warm, lat_warm = load(warm, args.load_seconds, args.clients)
        paint_app, wire_app, req_app = browser_visits(
            warm.url, EXPLORE_URL, "#explore-graph .js-plotly-plot", args.browser_runs
        )
    finally:
        warm.stop()
    # WARMUP=0: the warm-up imports app.wsgi, whose plotly.js swap would also reach the bare app in the same process
    bare = gunicorn(free_port(), app="bench.bare_app:server", env={"WARMUP": "0"})
    try:
        paint_bare, wire_bare, req_bare = browser_visits(bare.url, "/", "#graph .js-plotly-plot", args.browser_runs)
    finally:
        bare.stop()
    bare_raw = gunicorn(free_port(), app="bench.bare_app:server", env={"BARE_COMPRESS": "0", "WARMUP": "0"})
    try:
        _p, wire_bare_raw, _r = browser_visits(bare_raw.url, "/", "#graph .js-plotly-plot", 1)
    finally:
        bare_raw.stop()

    floor = timings["no-op callback (floor)"]["times"]
    floor_p95 = percentile(floor, 0.95)
    rows = []
    for label, runs in (("cache off", timings), ("cache on, repeated view", warm_timings)):
        for name, r in runs.items():
            if name.startswith("no-op") and label != "cache off":
                continue
            p50, p95 = percentile(r["times"], 0.5) * 1000, percentile(r["times"], 0.95) * 1000
            shown = "cache on, every view new" if label != "cache off" and name in (VARIED_CHART, VARIED_MAP) else label
            rows.append(
                (name, shown, p50, p95, p95 / (floor_p95 * 1000), "≤ 2×" if not name.startswith("no-op") else "")
            )
    sections.append(
        "### Callback server time (loopback round trip, one client, the callbacks interleaved, "
        f"{args.reps} calls each after 3 warm-up calls)\n\n"
        + table(["callback", "callback cache", "p50 ms", "p95 ms", "p95 / floor p95", "goal"], rows)
    )

    chart = timings["Explore chart (LDC+SIDS, internet_users, 2000–2024)"]
    mapr = timings["Explore map"]
    fig_rows = []
    for name, r, goal in (("line chart (Explore)", chart, 100), ("map (Explore)", mapr, 300)):
        fig = json.dumps(figure_of(r["resp"]), separators=(",", ":")).encode()
        fig_rows.append(
            (
                name,
                len(fig) / 1024,
                len(gzip.compress(fig, 6)) / 1024,
                len(r["resp"].content) / 1024,
                r["wire"] / 1024,
                f"≤ {goal} KB",
            )
        )
    sections.append(
        "### Bytes of the callback answers\n\n"
        + table(
            [
                "figure",
                "figure JSON KB",
                "figure gzip KB",
                "whole answer KB",
                "answer on the wire KB",
                "goal (figure JSON)",
            ],
            fig_rows,
        )
    )

    med = statistics.median
    sections.append(
        f"### First visit, empty cache, headless Chromium ({args.browser_runs} visits each, median)\n\n"
        + table(
            ["page", "requests", "bytes over the wire MB", "first chart painted ms", "ratio to bare page", "goal"],
            [
                (
                    "bare one-graph Dash page, uncompressed (Dash default)",
                    req_bare,
                    med(wire_bare_raw) / 1e6,
                    "",
                    "",
                    "",
                ),
                ("bare one-graph Dash page, compressed", req_bare, med(wire_bare) / 1e6, med(paint_bare), 1.0, ""),
                (
                    f"dashboard `{EXPLORE_URL}`",
                    req_app,
                    med(wire_app) / 1e6,
                    med(paint_app),
                    med(paint_app) / med(paint_bare),
                    "≤ 1.5 MB, ≤ 1.3×",
                ),
            ],
        )
    )
    sections.append(
        "### Start-up and memory per worker (after the callbacks above)\n\n"
        + table(
            ["what", "value", "goal"],
            [("gunicorn start → first 200 on / (s)", startup_s, "")]
            + [(f"worker {i + 1} RSS MB", r, "≤ 300") for i, (_p, r, _s) in enumerate(mem)]
            + [(f"worker {i + 1} PSS MB (shared pages split)", s, "") for i, (_p, _r, s) in enumerate(mem)],
        )
    )
    sections.append(
        f"### Throughput: 2 gunicorn workers ({WORKER_CLASS}), {args.clients} concurrent clients, "
        f"{args.load_seconds:g} s of Explore callbacks over 16 views × 5 start years\n\n"
        + table(
            ["callback cache", "callbacks", "callbacks/s", "errors", "p50 ms", "p95 ms"],
            [
                ("off", q_cold, q_cold / s_cold, e_cold, "", ""),
                (
                    "on",
                    q_warm,
                    q_warm / s_warm,
                    e_warm,
                    percentile(lat_warm, 0.5) * 1000,
                    percentile(lat_warm, 0.95) * 1000,
                ),
            ],
        )
    )
    text = "\n\n".join(sections)
    print(text)
    print(f"\nwritten to {write_result('app_bench', text)}")


if __name__ == "__main__":
    main()
