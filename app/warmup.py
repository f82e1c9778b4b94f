"""Warm the per-process caches before gunicorn forks its workers (``when_ready`` in app/gunicorn_conf.py).

The snapshot holds every group aggregate (data/group_aggregates.parquet); what is left to warm is the per-process
indexes over it (group lines, year slices, names) and the first figure's lazy imports. Done once in the master,
both workers inherit the results (copy-on-write) instead of each making its first visitors wait. ``WARMUP=0``
skips it.
"""

from __future__ import annotations

import os
import time

from dash import Dash

from app.context import get_data
from app.state import ExploreView

#: The groups the pages show by default (Explore, Gender: WLD, LDC, LLDC, SIDS).
DEFAULT_GROUPS = ExploreView().groups


def enabled() -> bool:
    return os.environ.get("WARMUP", "1") not in ("0", "false", "no", "off")


def warm_lines(groups=DEFAULT_GROUPS) -> int:
    """Build the chart lines every page draws from (views.group_line over the snapshot's precomputed aggregates)
    for ``groups``, every indicator and sex, in every catalogue language; returns how many."""
    from app import views
    from app.i18n import languages, translator

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
    from plotly.io.json import to_json_plotly

    from app import views
    from app.i18n import translator

    data, view, t = get_data(), ExploreView(), translator("en")
    to_json_plotly(views.explore_trend(data, view, t).screen)
    to_json_plotly(views.explore_map(data, view, t).screen)


def warm(app: Dash) -> float:
    """Warm everything; returns the seconds it took."""
    t0 = time.perf_counter()
    warm_lines()
    warm_pages(app)
    warm_figures()
    return time.perf_counter() - t0
