"""Serve the app's partial plotly.js (scatter, bar, choropleth; app/plotlyjs/) instead of Dash's full copy.

Dash ships all of plotly.js (plotly python's ``package_data/plotly.min.js``: 4.8 MB, 1.23 MB as brotli) because it
cannot know which traces an app draws; this app draws three. ``make plotlyjs`` builds them with plotly.js's core into
``app/plotlyjs/dist/plotly-custom.min.js`` (1.25 MB, ~0.4 MB as brotli).

How the swap works. ``Dash()`` appends plotly.js to ``dash.dcc._js_dist`` (``namespace="plotly"``,
``async="eager"``): with Dash's default ``eager_loading=False`` that entry is *dynamic*, written into no page, and
dcc.Graph loads the file itself when the first graph mounts, from a URL dash-renderer hard-codes
(``/_dash-component-suites/plotly/package_data/plotly.min.js``), unless ``window.Plotly`` is already there.
:func:`use_custom_bundle` replaces that entry with a plain (not async) one for our bundle, so every page has
``<script src="/_dash-component-suites/app.plotlyjs/dist/plotly-custom.v4_1_1m<mtime>.min.js">`` before Dash's
renderer starts; ``window.Plotly`` is then set and dcc.Graph never fetches the full copy. The URL is fingerprinted
by Dash like any component-suite file (package ``app.plotlyjs``, its ``__version__`` = the plotly.js version, the
file's mtime), so app/security.py marks it immutable for a year and app/static_compress.py sends it as brotli
quality 9 / gzip 9 (its prefixes and types cover it). The cost: the bundle now loads on the first visit to any page,
graph or not (~0.4 MB, cached for a year after).

Dash's path for the full copy stays servable (not linked from any page) as dcc.Graph's own fallback should the
bundle ever fail to load.

The full copy is kept, with a warning in the log, when the bundle has not been built (``make plotlyjs``) or was
built from another plotly.js than the one plotly python writes figures for; ``PLOTLYJS=full`` asks for it.

``dash.dcc._js_dist`` is one module-level list, shared by every Dash app of the process and extended by every
``Dash()``: the swap edits it in place and is idempotent (one plotly entry whatever the number of ``create_app()``
calls).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from dash import Dash, dcc
from dash.fingerprint import build_fingerprint

log = logging.getLogger(__name__)

NAMESPACE = "app.plotlyjs"  # a package: Dash serves component-suite files from imported packages
RELATIVE_PATH = "dist/plotly-custom.min.js"
BUNDLE = Path(__file__).resolve().parent / "plotlyjs" / RELATIVE_PATH
DASH_NAMESPACE = "plotly"
DASH_PATH = "package_data/plotly.min.js"
ENTRY = {"relative_package_path": RELATIVE_PATH, "namespace": NAMESPACE}
_BANNER = re.compile(rb"plotly\.js v([\w.+-]+) \(partial bundle")


def _is_dash_plotly(entry: dict) -> bool:
    return entry.get("namespace") == DASH_NAMESPACE and entry.get("relative_package_path") == DASH_PATH


def _is_ours(entry: dict) -> bool:
    return entry.get("namespace") == NAMESPACE


def bundle_version(path: Path = BUNDLE) -> str | None:
    """The plotly.js version in the built bundle's banner (None when the file is absent or has no banner)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError:
        return None
    found = _BANNER.search(head)
    return found[1].decode() if found else None


def why_full(bundle: Path = BUNDLE) -> str | None:
    """Why Dash's full plotly.js must be served instead of the bundle; None when the bundle can be used."""
    from plotly.offline import get_plotlyjs_version

    if os.environ.get("PLOTLYJS", "").strip().lower() == "full":
        return "PLOTLYJS=full"
    if not bundle.is_file():
        return f"{bundle} is absent: run `make plotlyjs` (npm) to build it"
    built, wanted = bundle_version(bundle), get_plotlyjs_version()
    if built != wanted:
        return (
            f"{bundle} was built from plotly.js {built}, but plotly python {wanted} writes the figures: "
            f"pin plotly.js {wanted} in app/plotlyjs/package.json and run `make plotlyjs`"
        )
    return None


def use_custom_bundle(app: Dash, bundle: Path = BUNDLE) -> bool:
    """Serve the partial bundle in place of Dash's plotly.js (see the module docstring); True when it is in use.
    Call it right after ``Dash()``; any number of calls leave exactly one plotly.js entry."""
    entries = dcc._js_dist  # Dash's list of dcc's scripts, to which Dash() adds plotly.js
    reason = why_full(bundle)
    if reason is None:
        first = next((i for i, e in enumerate(entries) if _is_dash_plotly(e) or _is_ours(e)), len(entries))
        kept = [e for e in entries if not (_is_dash_plotly(e) or _is_ours(e))]
        kept.insert(first, dict(ENTRY))  # where Dash put its own: after dcc's scripts, before html's
        entries[:] = kept  # in place: every dcc component class holds this same list
        app.registered_paths[NAMESPACE].add(RELATIVE_PATH)  # servable before the first page is rendered
        app.registered_paths[DASH_NAMESPACE].add(DASH_PATH)  # dcc.Graph's fallback, linked from no page
        return True
    entries[:] = [e for e in entries if not _is_ours(e)]
    if not any(_is_dash_plotly(e) for e in entries):  # an earlier call took it out: put Dash's entry back
        entries.append(
            {
                "relative_package_path": DASH_PATH,
                "external_url": getattr(app, "_plotlyjs_url", None) or "",
                "namespace": DASH_NAMESPACE,
                "async": "eager",
            }
        )
    if reason == "PLOTLYJS=full":
        log.info("serving Dash's full plotly.js (PLOTLYJS=full)")
    else:
        log.warning("serving Dash's full plotly.js (4.8 MB) instead of the partial bundle: %s", reason)
    return False


def bundle_url(app: Dash, bundle: Path = BUNDLE) -> str:
    """The fingerprinted URL Dash writes into the page for the bundle (as Dash builds it for any component suite)."""
    from app.plotlyjs import __version__

    fingerprint = build_fingerprint(RELATIVE_PATH, __version__, int(bundle.stat().st_mtime))
    return f"{app.config.requests_pathname_prefix}_dash-component-suites/{NAMESPACE}/{fingerprint}"
