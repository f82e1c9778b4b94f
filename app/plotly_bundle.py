"""Serve the app's partial plotly.js (scatter, bar, choropleth; app/plotlyjs/) instead of Dash's full copy.

Dash ships all of plotly.js (plotly python's ``package_data/plotly.min.js``: 4.8 MB, 1.23 MB as brotli) because it
cannot know which traces an app draws; this app draws three. ``make plotlyjs`` builds them with plotly.js's core into
``app/plotlyjs/dist/plotly-custom.min.js`` (1.25 MB, ~0.4 MB as brotli).

How the swap works. ``Dash()`` appends plotly.js to ``dash.dcc._js_dist`` (``namespace="plotly"``,
``async="eager"``): with Dash's default ``eager_loading=False`` that entry is *dynamic*, written into no page, and
dcc.Graph loads the file itself when the first graph mounts (unless ``window.Plotly`` is already there), from
``window._dashPlotlyJSURL``, which dash-renderer sets to Dash's own copy
(``/_dash-component-suites/plotly/package_data/plotly.min.js``). That entry is kept as it is, so a page without a
chart never fetches plotly.js. :func:`use_custom_bundle` makes the bundle servable, and every page carries
``<meta name="plotlyjs-url" content="/_dash-component-suites/app.plotlyjs/dist/plotly-custom.v4_1_1m<mtime>.min.js">``
(:func:`head_tags`): app/assets/page-scripts.js, which runs before dash-renderer, makes ``window._dashPlotlyJSURL``
answer that URL whatever the renderer writes into it, so dcc.Graph loads the bundle. A page whose first view has a
chart also gets ``<link rel="preload" as="script">`` for it, so the download starts with the page's other scripts
instead of after the first graph mounts. The URL is fingerprinted by Dash like any component-suite file (package
``app.plotlyjs``, its ``__version__`` = the plotly.js version, the file's mtime), so app/security.py marks it
immutable for a year and app/static_compress.py sends it precompressed (its prefixes and types cover it).

Dash's path for the full copy stays servable: dcc.Graph's own fallback should the script above not run.

The full copy is kept, with a warning in the log, when the bundle has not been built (``make plotlyjs``) or was
built from another plotly.js than the one plotly python writes figures for; ``PLOTLYJS=full`` asks for it
(``Settings.plotlyjs``, app/settings.py; ``create_app`` passes it as ``full``).

``dash.dcc._js_dist`` is one module-level list, shared by every Dash app of the process and extended by every
``Dash()``: the swap edits it in place and is idempotent (one plotly entry whatever the number of ``create_app()``
calls).
"""

from __future__ import annotations

import logging
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


def why_full(bundle: Path = BUNDLE, *, full: bool = False) -> str | None:
    """Why Dash's full plotly.js must be served instead of the bundle (``full``: the settings ask for it); None
    when the bundle can be used."""
    from plotly.offline import get_plotlyjs_version

    if full:
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


def use_custom_bundle(app: Dash, bundle: Path = BUNDLE, *, full: bool = False) -> bool:
    """Serve the partial bundle in place of Dash's plotly.js (see the module docstring; ``full`` keeps Dash's);
    True when it is in use. Call it right after ``Dash()``; any number of calls leave exactly one plotly.js entry,
    Dash's dynamic one."""
    entries = dcc._js_dist  # Dash's list of dcc's scripts, to which every Dash() adds plotly.js
    first = next((e for e in entries if _is_dash_plotly(e)), None)
    kept = [e for e in entries if not (_is_dash_plotly(e) or _is_ours(e))]
    kept.append(
        first
        or {
            "relative_package_path": DASH_PATH,
            "external_url": getattr(app, "_plotlyjs_url", None) or "",
            "namespace": DASH_NAMESPACE,
            "async": "eager",
        }
    )
    entries[:] = kept  # in place: every dcc component class holds this same list
    reason = why_full(bundle, full=full)
    app.registered_paths[DASH_NAMESPACE].add(DASH_PATH)  # dcc.Graph's own URL for it
    if reason is None:
        app.registered_paths[NAMESPACE].add(RELATIVE_PATH)  # servable before the first page is rendered
        app.server.config["DIVIDE_PLOTLYJS_BUNDLE"] = str(bundle)
        return True
    app.server.config["DIVIDE_PLOTLYJS_BUNDLE"] = None
    if reason == "PLOTLYJS=full":
        log.info("serving Dash's full plotly.js (PLOTLYJS=full)")
    else:
        log.warning("serving Dash's full plotly.js (4.8 MB) instead of the partial bundle: %s", reason)
    return False


def head_tags(app: Dash, *, preload: bool) -> str:
    """The ``<meta name="plotlyjs-url">`` that points dcc.Graph at the bundle (app/assets/page-scripts.js reads it)
    and, with ``preload``, the ``<link rel="preload">`` that starts its download with the page; "" when the full
    copy is served (dcc.Graph then loads Dash's own URL)."""
    bundle = app.server.config.get("DIVIDE_PLOTLYJS_BUNDLE")
    if not bundle:
        return ""
    url = bundle_url(app, Path(bundle))
    tags = f'\n        <meta name="plotlyjs-url" content="{url}">'
    if preload:
        tags += f'\n        <link rel="preload" href="{url}" as="script">'
    return tags


def suite_url(app: Dash, relative_path: str, file: Path) -> str:
    """The fingerprinted URL of ``file``, served from the ``app.plotlyjs`` package at ``relative_path``, as Dash builds
    it for any component-suite file (the package's version and the file's mtime): immutable for a year."""
    from app.plotlyjs import __version__

    fingerprint = build_fingerprint(relative_path, __version__, int(file.stat().st_mtime))
    return f"{app.config.requests_pathname_prefix}_dash-component-suites/{NAMESPACE}/{fingerprint}"


def bundle_url(app: Dash, bundle: Path = BUNDLE) -> str:
    """The fingerprinted URL of the bundle."""
    return suite_url(app, RELATIVE_PATH, bundle)
