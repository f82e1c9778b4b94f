"""Warm the per-process caches before gunicorn forks its workers (``when_ready`` in app/gunicorn_conf.py).

The snapshot holds every group aggregate (data/group_aggregates.parquet); what is left to warm is the per-process
indexes over it (group lines, year slices, names) and the first figure's lazy imports. Done once in the master,
both workers inherit the results (copy-on-write) instead of each making its first visitors wait. ``WARMUP=0``
skips it (``Settings.warmup``, read by app/gunicorn_conf.py).
"""

from __future__ import annotations

import logging
import re
import time

from dash import Dash
from plotly.io.json import to_json_plotly

from app import views
from app.context import get_data
from app.export import render, render_helper
from app.first_paint_page import prerender
from app.i18n import lang_query, languages, translator
from app.state import ExploreView
from app.static_compress import hard

log = logging.getLogger(__name__)

#: The groups the pages show by default (Explore, Gender: WLD, LDC, LLDC, SIDS).
DEFAULT_GROUPS = ExploreView().groups


def warm_lines(groups=DEFAULT_GROUPS) -> int:
    """Build the chart lines every page draws from (views.group_line over the snapshot's precomputed aggregates)
    for ``groups``, every indicator and sex, in every catalogue language; returns how many."""
    data = get_data()
    n = 0
    for lang in languages():
        world = translator(lang)("legend.world")
        for indicator, ind in data.registry.items():
            for group in groups:
                for sex in ind.sexes:
                    views.group_line(data, indicator, group, sex, lang, world)
                    n += 1
    return n


def warm_pages(app: Dash) -> int:
    """Request every page and render its layout through Dash Pages' callback (imports, first figures); returns
    the number of requests that answered 200."""
    client = app.server.test_client()
    ok = int(client.get("/").status_code == 200)
    deps = client.get("/_dash-dependencies").get_json() or []
    pages = next((d for d in deps if "_pages_content.children" in d["output"]), None)
    if pages is None:
        return ok
    outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in pages["output"][2:-2].split("...")]
    for path in ("/", "/explore", "/explore?tab=map", "/gender", "/country/NPL", "/about"):
        pathname, _, search = path.partition("?")
        body = {
            "output": pages["output"],
            "outputs": outputs,
            "inputs": [
                {**i, "value": v}
                for i, v in zip(pages["inputs"], [pathname, "?" + search if search else ""], strict=False)
            ],
            "state": [],
            "changedPropIds": [],
        }
        ok += int(client.post("/_dash-update-component", json=body).status_code == 200)
    return ok


def warm_figures() -> None:
    """Build and serialise the default Explore chart and map once (lazy imports, the data's per-indicator indexes)."""
    data, view, t = get_data(), ExploreView(), translator("en")
    to_json_plotly(views.explore_trend(data, view, t).screen)
    to_json_plotly(views.explore_map(data, view, t).screen)


#: the views whose first paint carries inline SVG from a worker's first request (each in every language)
PRERENDERED = ("/explore", "/gender")
#: pages whose scripts and styles are precompressed (between them they link every static file a page can)
STATIC_PAGES = ("/", "/explore", "/about")


def warm_first_paint(paths=PRERENDERED) -> int:
    """Render the default views' inline SVGs into the first paint's cache (app/first_paint_page.py), then stop the
    browser that rendered them, so no worker inherits it; returns the number of charts rendered."""
    try:
        return sum(prerender(path, lang_query(lang).lstrip("?"), lang) for path in paths for lang in languages())
    except Exception:  # noqa: BLE001 — no Chromium: the first paint shows <img> of /static-chart/ instead
        log.warning("warm-up: the first paint's charts were not pre-rendered", exc_info=True)
        return 0
    finally:
        render.stop()
        render_helper.HELPER.stop()


def warm_static(app: Dash, pages=STATIC_PAGES) -> int:
    """Request every script and stylesheet the pages link (and the plotly.js bundle they name) as brotli and gzip,
    so app/static_compress.py compresses each once, here, at its hardest; returns the number of files."""
    client = app.server.test_client()
    urls: set[str] = set()
    for page in pages:
        body = client.get(page).get_data(as_text=True)
        urls |= set(re.findall(r'(?:src|href|content)="(/(?:_dash-component-suites|assets)/[^"]+)"', body))
    with hard():  # brotli 11: this runs before any request is served
        for url in urls:
            for encoding in ("br", "gzip"):
                client.get(url, headers={"Accept-Encoding": encoding})
    return len(urls)


def warm(app: Dash) -> float:
    """Warm everything for ``app`` (inside its app context: its snapshot and settings); returns the seconds it
    took."""
    t0 = time.perf_counter()
    with app.server.app_context():
        warm_lines()
        warm_pages(app)
        warm_figures()
        warm_static(app)
        warm_first_paint()
    return time.perf_counter() - t0
