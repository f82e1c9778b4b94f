"""Browser-test fixtures: one live app server and one headless Debian Chromium per session.

- ``live_server``: ``python -m app.main`` as a subprocess on a free 127.0.0.1 port (HOST/PORT env), polled until
  ``GET /assets/favicon.ico`` answers 200 (a cheap static file; ``/`` is the costliest page); its output goes to
  ``test-artifacts/server-<port>.log``. Under pytest-xdist each worker starts its own, on a port of its own slice
  (tests/support/ports.py).
- ``browser``: ``/usr/bin/chromium`` driven by Playwright (``playwright install`` is never needed). The browser
  tests skip with a reason when that binary is absent.
- ``page``: a fresh context per test. Every request to a host other than 127.0.0.1/localhost is recorded and
  aborted; console errors, page errors and server tracebacks are recorded. At teardown a full-page screenshot goes
  to ``test-artifacts/screenshots/<test-name>.png`` and the test fails if any of those were recorded.

These fixtures are self-contained (``playwright.sync_api``): they override pytest-playwright's fixtures of the same
names, so its ``--browser``/``--headed`` options do not apply here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.ports import free_port

PROJECT_DIR = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_DIR / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
SERVER_START_TIMEOUT = 60.0
#: The readiness probe: a static file the app serves once it listens (cheap), not ``/`` (the costliest page; the
#: first test to open a page pays for the caches, and ``open_page`` allows for a cold server).
READY_PATH = "/assets/favicon.ico"
DEFAULT_TIMEOUT_MS = 15_000
VIEWPORT = {"width": 1280, "height": 900}


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a browser test (``-m "not browser"`` leaves them out)."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# ---- server ----------------------------------------------------------------------------------------------------


@dataclass
class LiveServer:
    url: str
    log_path: Path
    process: subprocess.Popen

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset: int) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as fh:
            fh.seek(offset)
            return fh.read()


@pytest.fixture(scope="session")
def live_server():
    """The app served by ``python -m app.main`` on a free port; yields a LiveServer (``.url`` is the base URL)."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()  # this xdist worker's own slice (tests/support/ports.py)
    log_path = ARTIFACTS / f"server-{port}.log"  # one per run: concurrent runs must not read each other's log
    env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(port), "DEBUG": "0", "PYTHONUNBUFFERED": "1"}
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115  (closed after the process ends)
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.main"], cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"app server exited with {proc.returncode}:\n{log_path.read_text()[-4000:]}")
            try:
                with urllib.request.urlopen(url + READY_PATH, timeout=5) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"app server not answering on {url} after {SERVER_START_TIMEOUT:.0f} s")
            time.sleep(0.25)
        yield LiveServer(url, log_path, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        log.close()


# ---- browser ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    """Launch arguments (also what pytest-playwright's own fixtures would use, were they requested)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} not found: the browser tests need Debian's chromium (apt-get install chromium)")
    return {"executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser(browser_type_launch_args, browser_name):
    """One Chromium for the session. (pytest-playwright parametrizes ``browser_name``; only chromium is here.)"""
    if browser_name not in (None, "chromium"):
        pytest.skip(f"only chromium is available on this machine, not {browser_name}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(**browser_type_launch_args)
        yield b
        b.close()


@dataclass
class Watch:
    """What a page did that a test must not see: console errors, page errors, external requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"page error: {m}" for m in self.page_errors]
            + [f"external request attempted: {u}" for u in self.external_requests]
        )


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return (parts.hostname or "") in LOCAL_HOSTS


@pytest.fixture
def watch() -> Watch:
    return Watch()


def _artifact_name(item) -> str:
    """The test's name with its parameters, without pytest-playwright's browser-name parameter."""
    name = item.name
    if "[" in name:
        base, params = name[:-1].split("[", 1)
        parts = [p for p in params.split("-") if p not in ("chromium", "firefox", "webkit")]
        name = base + ("[" + "-".join(parts) + "]" if parts else "")
    return re.sub(r"[^A-Za-z0-9_.\[\]-]+", "_", name).strip("_")[:150]


def make_context(browser, watch: Watch, **context_args):
    """A browser context that records console/page errors into ``watch`` and aborts non-loopback requests."""
    context = browser.new_context(**{"viewport": VIEWPORT, **context_args})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)

    def route(r):
        if _is_local(r.request.url):
            r.continue_()
        else:
            watch.external_requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return context


def watch_page(pg, watch: Watch):
    """Record ``pg``'s console errors, uncaught page errors and non-loopback websockets into ``watch``."""
    pg.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: watch.page_errors.append(str(e)))
    pg.on("websocket", lambda ws: None if _is_local(ws.url) else watch.external_requests.append(ws.url))
    return pg


@pytest.fixture
def context_args() -> dict:
    """Extra ``browser.new_context`` arguments; override in a test module or parametrize indirectly."""
    return {}


@pytest.fixture
def page(request, browser, live_server, watch, context_args):
    """A page on a fresh context; fails the test at teardown on any console/page error, external request or
    server traceback, after saving a full-page screenshot."""
    if live_server.process.poll() is not None:  # say so once, not as 100 connection errors
        pytest.fail(
            f"the app server exited with {live_server.process.returncode} (a negative code is the signal that "
            f"ended it):\n{live_server.log_path.read_text(errors='replace')[-3000:]}",
            pytrace=False,
        )
    context = make_context(browser, watch, **context_args)
    pg = watch_page(context.new_page(), watch)
    log_offset = live_server.log_size()
    yield pg
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        pg.screenshot(path=str(SCREENSHOTS / f"{_artifact_name(request.node)}.png"), full_page=True)
    except Exception as exc:  # a screenshot failure must not hide the test's own result
        print(f"screenshot failed: {exc}")
    context.close()
    problems = watch.problems()
    server_log = live_server.log_since(log_offset)
    if "Traceback" in server_log:
        problems.append("server traceback:\n" + server_log[server_log.index("Traceback") :][:3000])
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


# ---- helpers for the tests -------------------------------------------------------------------------------------

# Plotly figures from plotly.py ≥ 6 carry numpy arrays as {"dtype", "bdata"} (base64) in gd.data; decode them.
FIGURE_DATA_JS = """
(selector) => {
    const gd = document.querySelector(selector);
    if (!gd || !gd.data) { return null; }
    const types = {f8: Float64Array, f4: Float32Array, i1: Int8Array, u1: Uint8Array, i2: Int16Array,
                   u2: Uint16Array, i4: Int32Array, u4: Uint32Array};
    const arr = (v) => {
        if (v === undefined || v === null) { return []; }
        if (Array.isArray(v) || ArrayBuffer.isView(v)) { return Array.from(v); }
        if (v.bdata !== undefined) {
            const bin = atob(v.bdata);
            const bytes = new Uint8Array(bin.length);
            for (let i = 0; i < bin.length; i++) { bytes[i] = bin.charCodeAt(i); }
            return Array.from(new types[v.dtype](bytes.buffer));
        }
        return [];
    };
    return {
        traces: gd.data.map((d) => ({name: d.name ?? null, type: d.type ?? "scatter", meta: d.meta ?? null,
                                     x: arr(d.x), y: arr(d.y), locations: arr(d.locations),
                                     hovertemplate: d.hovertemplate ?? ""})),
        layout: {
            // the image's own title, else the HTML title the page shows above the graph
            title: (gd.layout.title && (gd.layout.title.text ?? gd.layout.title)) ||
                   (gd.closest("figure")?.querySelector(".figure-title")?.textContent ?? ""),
            xaxis_range: gd._fullLayout && gd._fullLayout.xaxis ? Array.from(gd._fullLayout.xaxis.range) : null,
            shapes: JSON.parse(JSON.stringify(gd.layout.shapes || [])),
            annotations: (gd.layout.annotations || []).map((a) => ({text: a.text, x: a.x ?? null})),
        },
    };
}
"""


def figure_data(page, graph_id: str) -> dict | None:
    """Trace names, kinds (meta), x/y values and layout bits of the plotly graph inside ``#graph_id``."""
    return page.evaluate(FIGURE_DATA_JS, f"#{graph_id} .js-plotly-plot")


def wait_until(page, expression: str, arg=None, timeout: float = DEFAULT_TIMEOUT_MS, interval_ms: int = 100):
    """Poll the JS function ``expression`` (e.g. ``"() => location.search.includes('x')"``) until it returns a
    truthy value, and return that value. ``page.evaluate`` runs through the DevTools protocol, which the app's
    Content-Security-Policy does not govern; ``page.wait_for_function`` evaluates strings inside the page and is
    refused by a policy without 'unsafe-eval'."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            value = page.evaluate(expression, arg)
        except Exception as exc:  # a navigation between two polls destroys the context: poll again
            if "context was destroyed" not in str(exc) and "navigat" not in str(exc):
                raise
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} ms waiting for {expression.strip()[:300]}")
        page.wait_for_timeout(interval_ms)


def wait_for_figure(page, graph_id: str, predicate_js: str = "true", timeout: float = DEFAULT_TIMEOUT_MS) -> dict:
    """Wait until ``#graph_id`` holds a drawn figure for which ``predicate_js`` (an expression of ``fig``, the
    value ``figure_data`` returns) is true; return that figure data."""
    fn = f"""
    () => {{
        const fig = ({FIGURE_DATA_JS})("#{graph_id} .js-plotly-plot");
        if (!fig || !fig.traces.length) {{ return null; }}
        return ({predicate_js}) ? fig : null;
    }}
    """
    return wait_until(page, fn, timeout=timeout)


def open_page(page, base_url: str, path: str, timeout: float = 3 * DEFAULT_TIMEOUT_MS) -> None:
    """Navigate, wait until the page's content (its H1, rendered by Dash's page callback) is in and the network is
    idle (the first callbacks are done). A cold server computes its caches on the first request: allow for it."""
    page.goto(base_url + path)
    page.wait_for_selector("html.fp-live", state="attached", timeout=timeout)  # the live page replaced the copy
    page.locator("main h1").first.wait_for(timeout=timeout)
    page.wait_for_load_state("networkidle", timeout=timeout)


def dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)[:2000]
