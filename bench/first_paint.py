"""Slow-link first visits: how soon a reader sees the view, and what it costs, against the bare Dash page.

    .venv/bin/python bench/first_paint.py [--runs 5] [--breakdown]

Drives Debian's headless Chromium with Chromium's own network emulation (CDP ``Network.emulateNetworkConditions``)
on two links, 1 Mbit/s with 300 ms round trip and 4 Mbit/s with 100 ms, against the app served as ``make serve``
serves it (gunicorn, app/gunicorn_conf.py) and against the bare one-graph Dash page (bench/bare_app.py), in the same
run. Each visit is a fresh browser context with the cache disabled. Per page and link, the median of ``--runs``
visits of:

* **summary visible**: ms from navigation start until the view's summary sentence is laid out on screen (the bare
  page has none: its heading stands in);
* **static chart visible**: until the chart drawn by the server (inline SVG or ``<img>``) is on screen;
* **interactive chart**: until plotly.js has drawn the live graph (pages without a chart: until the live page has
  replaced the static copy);
* **bytes** over the wire (CDP ``encodedDataLength``, headers included) and **requests**, after the network is idle.

``--breakdown`` also prints the bytes of each response of one 4 Mbit/s visit per page. Prints Markdown and writes
bench/results/first_paint.md. The times are this machine's and the emulated link's; compare rows with each other.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import free_port, gunicorn, machine, table, write_result  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
#: (name, kbit/s down, kbit/s up, round trip ms)
LINKS = (("1 Mbit/s, 300 ms", 1000, 500, 300), ("4 Mbit/s, 100 ms", 4000, 1000, 100))


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    summary: str = ".summary"  # what "readable" means: the chart's summary sentence, or the heading
    chart: bool = True  # whether the page draws an interactive chart (else: until the live page is in)


PAGES = (
    Page("/explore", "/explore?indicator=internet_users&group=LDC,SIDS&from=2000&to=2024"),
    Page("/explore (zh)", "/explore?indicator=internet_users&group=LDC&lang=zh"),
    Page("/gender", "/gender"),
    Page("/", "/", "main h1", chart=False),
    Page("/about", "/about", "main h1", chart=False),
)
BARE = Page("bare one-graph Dash page", "/", "h1")

#: Runs in the page before any of its scripts: records, against performance.now() (ms from navigation start),
#: when the summary (or heading), the static chart, the live page and the interactive chart are first on screen.
PROBE = """
(() => {
  const marks = window.__marks = {};
  const summary = %s;
  const shown = (el) => { if (!el) return false; const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'
      && !el.closest('.fp-building'); };
  const mark = (name, ok) => { if (!(name in marks) && ok) marks[name] = performance.now(); };
  const look = () => {
    mark('summary', [...document.querySelectorAll(summary)].some(shown));
    const img = document.querySelector('.fp-chart img');
    mark('static', shown(document.querySelector('.fp-chart svg')) || !!(img && img.complete && shown(img)));
    mark('live', document.documentElement.classList.contains('fp-live'));
    const gd = document.querySelector('.js-plotly-plot');
    mark('interactive', !!(gd && gd._fullLayout && gd.querySelector('.main-svg')) && shown(gd));
    if (!('interactive' in marks && 'live' in marks)) requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
  document.addEventListener('readystatechange', look);
})();
"""


@dataclass
class Visit:
    summary: float
    static: float
    interactive: float
    bytes: int
    requests: int
    responses: list[tuple[str, int]] = field(default_factory=list)


def visit(browser, base: str, page_: Page, link: tuple, timeout_ms: int = 120_000) -> Visit:
    """One empty-cache visit of ``page_`` over ``link``."""
    import json

    _name, down, up, rtt = link
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script(PROBE % json.dumps(page_.summary))
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": rtt,
                "downloadThroughput": down * 1000 / 8,
                "uploadThroughput": up * 1000 / 8,
            },
        )
        urls: dict[str, str] = {}
        sizes: dict[str, int] = {}
        cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.goto(base + page_.path, wait_until="commit", timeout=timeout_ms)
        done = "interactive" if page_.chart else "live"
        deadline = time.monotonic() + timeout_ms / 1000
        # polled through the DevTools protocol: the app's CSP (no 'unsafe-eval') refuses wait_for_function's strings
        while not page.evaluate(f"() => '{done}' in (window.__marks || {{}})"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{page_.path}: no '{done}' mark after {timeout_ms} ms")
            time.sleep(0.05)
        page.wait_for_load_state("networkidle", timeout=timeout_ms)
        time.sleep(0.5)
        marks = page.evaluate("() => window.__marks")
        responses = sorted(((urls.get(k, k), v) for k, v in sizes.items()), key=lambda r: -r[1])
        nan = float("nan")
        return Visit(
            marks.get("summary", nan),
            marks.get("static", nan),
            marks.get("interactive", nan) if page_.chart else marks.get("live", marks.get("summary", nan)),
            sum(sizes.values()),
            len(sizes),
            responses,
        )
    finally:
        context.close()


def median_visit(browser, base: str, page_: Page, link: tuple, runs: int) -> Visit:
    visits = [visit(browser, base, page_, link) for _ in range(runs)]
    return Visit(
        statistics.median(v.summary for v in visits),
        statistics.median(v.static for v in visits),
        statistics.median(v.interactive for v in visits),
        int(statistics.median(v.bytes for v in visits)),
        int(statistics.median(v.requests for v in visits)),
        visits[-1].responses,
    )


def measure(base: str, pages, runs: int) -> dict[tuple[str, str], Visit]:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            visit(browser, base, pages[0], LINKS[1])  # the server's first answers: not measured
            for link in LINKS:
                for page_ in pages:
                    out[(page_.name, link[0])] = median_visit(browser, base, page_, link, runs)
        finally:
            browser.close()
    return out


def breakdown(results: dict, pages) -> str:
    lines = []
    for page_ in pages:
        name = page_.name
        v = results[(name, LINKS[1][0])]
        lines.append(f"\n{name}: {v.bytes / 1024:,.0f} KiB in {v.requests} responses\n")
        rows = [(u.split("//", 1)[-1].split("/", 1)[-1][:90], round(n / 1024, 1)) for u, n in v.responses]
        lines.append(table(["response", "KiB"], rows))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="empty-cache visits per page and link (median)")
    parser.add_argument("--breakdown", action="store_true", help="print the bytes of each response")
    parser.add_argument("--url", help="measure a running server instead of starting `make serve`'s")
    args = parser.parse_args()

    started = None if args.url else gunicorn(free_port())
    try:
        ours = measure(args.url or started.url, PAGES, args.runs)
    finally:
        if started:
            started.stop()
    bare_server = gunicorn(free_port(), app="bench.bare_app:server", env={"WARMUP": "0"})
    try:
        bare = measure(bare_server.url, [BARE], args.runs)
    finally:
        bare_server.stop()

    rows = []
    for link in LINKS:
        for page_ in [*PAGES, BARE]:
            name = page_.name
            v = (bare if page_ is BARE else ours)[(name, link[0])]
            rows.append(
                (
                    link[0],
                    name,
                    round(v.summary),
                    round(v.static) if v.static == v.static else "–",
                    round(v.interactive) if v.interactive == v.interactive else "–",
                    round(v.bytes / 1024),
                    v.requests,
                )
            )
    head = [
        "link",
        "page",
        "summary visible ms",
        "static chart visible ms",
        "interactive chart (or live page) ms",
        "KiB over the wire",
        "requests",
    ]
    text = (
        f"# First visits on slow links (median of {args.runs}, empty cache)\n\n{machine()}\n\n"
        + table(head, rows)
        + "\n\nGoals at 1 Mbit/s: summary and static chart ≤ 2,500 ms, interactive chart ≤ 7,000 ms; "
        "first visit ≤ 600 KiB for /explore, ≤ 350 KiB for / and /about."
        " The bare page has no summary or static chart: its heading stands in for the summary; pages without a chart"
        " (/, /about) show their heading and the time the live page took over."
    )
    if args.breakdown:
        text += "\n\n## Responses of one 4 Mbit/s visit\n" + breakdown({**ours, **bare}, [*PAGES, BARE])
    print(text)
    write_result("first_paint", text)


if __name__ == "__main__":
    main()
