"""Security and caching headers on every response of the Dash app (hooked in ``create_app``).

Content-Security-Policy, chosen by testing the pages in Chromium (tests/browser/test_csp.py):

* ``script-src 'self'`` plus the sha256 hash of every inline script Dash writes into the page (the renderer
  bootstrap and the clientside callbacks; ``Dash.csp_hashes()``). Dash builds that HTML once per process, so hashes
  fit better than per-request nonces, which Dash has no hook for. No ``'unsafe-inline'`` and no ``'unsafe-eval'``
  for scripts: Dash 4, the app's own controls and the plotly.js traces we draw work without them.
* ``style-src 'self' 'unsafe-inline'``: plotly.js and dcc set ``style`` attributes and inject ``<style>``
  elements at run time, which no hash can cover. Injected CSS cannot run script.
* ``frame-ancestors 'self'`` unless ``FRAME_ANCESTORS`` names the sites allowed to embed the app (e.g.
  ``FRAME_ANCESTORS="'self' https://example.org"``): embedding elsewhere is an explicit choice. The embedded charts
  (``/embed/<chart>``, made to be put in other sites' pages) are the exception: ``EMBED_FRAME_ANCESTORS``, default
  ``*`` (any site; ``'self'`` or a list of origins narrows it), and no ``X-Frame-Options`` on them. Both are
  settings (app/settings.py), which refuse a value that would add a directive.
* ``connect-src 'self'`` (callbacks, map shapes from /assets/topojson), ``img-src 'self' data: blob:`` (the
  modebar's image download), ``object-src 'none'``, ``base-uri 'self'``, ``form-action 'self'``.
* That policy, ``X-Frame-Options``, ``Referrer-Policy``, ``Cross-Origin-Opener-Policy`` and ``Permissions-Policy``
  go on documents (pages, SVG and PNG images, downloads, error pages). Scripts, styles, JSON and the icon are never
  rendered as documents: they get ``default-src 'none'; frame-ancestors 'none'`` and ``nosniff``, about 600 bytes
  fewer per response, which on a first visit's twenty of them is 12 KiB (headers are not compressed over HTTP/1.1).

Callbacks: ``/_dash-update-component`` bodies are capped (``MAX_CONTENT_LENGTH``) and checked for Dash's shape
before Dash sees them; a malformed body, an unknown output, or an input of a type its component never sends is
answered ``400 {"error": "invalid callback request"}``. An exception raised by a callback itself is the app's bug:
``500 {"error": "internal error"}`` (logged with its traceback, never sent).

Unknown files under ``/_dash-component-suites/`` (Dash raises DependencyException) are 404s, logged at debug level
only: a scanner asking for thousands of them must not write thousands of tracebacks.

gunicorn's own error pages (400/414/431, written before the app sees the request) get the same headers through
app/server_errors.py.

Caching: Dash's fingerprinted component bundles (``…v4_4_1m1712345678.min.js``) and ``/assets/…?m=<mtime>`` are
immutable for a year; pages' HTML, /data.* and /download/* get a derived ETag and their lifetime (app/http_cache.py);
everything else keeps Dash's and Flask's validators (ETag / Last-Modified).
"""

from __future__ import annotations

import logging
import re

from dash import Dash
from dash.exceptions import DependencyException
from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException, NotFound

from app.i18n import normalise, translator
from app.routing import is_embed
from app.server_errors import COMMON_HEADERS
from app.settings import Settings
from app.state import duplicated

log = logging.getLogger(__name__)

#: Fingerprinted file names Dash writes: ``name.v4_4_1m1712345678.min.js`` (see dash/fingerprint.py).
_FINGERPRINT = re.compile(r"\.v[\w-]+m[0-9a-f]+\.")
YEAR = 31_536_000
IMMUTABLE = f"public, max-age={YEAR}, immutable"
CALLBACK_PATH = "/_dash-update-component"
SUITES_PATH = "/_dash-component-suites/"
#: The largest callback body accepted (the app's own are a few KB).
MAX_CALLBACK_BYTES = 256 * 1024
#: Answers that are never a document (scripts, styles, callback and layout JSON, the icon): a page's policy and its
#: framing, opener and permission headers govern documents only, so these carry the shortest policy that forbids
#: everything, should one be opened as a page, and nosniff (which is what guards a script or style).
SUBRESOURCE_TYPES = frozenset(
    {"application/javascript", "text/javascript", "text/css", "application/json", "image/x-icon",
     "image/vnd.microsoft.icon"}
)  # fmt: skip
SUBRESOURCE_CSP = "default-src 'none'; frame-ancestors 'none'"


def content_security_policy(script_hashes: list[str] | tuple[str, ...], ancestors: str = "'self'") -> str:
    """The policy string for a page whose inline scripts have ``script_hashes`` ('sha256-…' CSP sources)."""
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": [ancestors],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def cache_control_for(path: str, query: str) -> str | None:
    """A long, immutable lifetime for fingerprinted static files; None leaves the response's own header."""
    if path.startswith("/_dash-component-suites/") and _FINGERPRINT.search(path):
        return IMMUTABLE
    if path.startswith("/assets/") and re.search(r"(^|&)m=\d", query):
        return IMMUTABLE
    return None


def install_security_headers(app: Dash, settings: Settings) -> None:
    """Add the headers to every response of ``app.server`` (framing as ``settings`` say); the CSP hashes are taken
    at the first request, once every page (and its clientside callbacks) has been imported."""
    state: dict[str, str] = {}
    ancestors = settings.frame_ancestors
    embed_ancestors = settings.embed_frame_ancestors

    def policy(sources: str) -> str:
        if sources not in state:
            state[sources] = content_security_policy(list(dict.fromkeys(app.csp_hashes())), sources)
        return state[sources]

    @app.server.after_request
    def _headers(response: Response) -> Response:
        headers = response.headers
        if response.mimetype in SUBRESOURCE_TYPES:
            headers.setdefault("Content-Security-Policy", SUBRESOURCE_CSP)
            headers.setdefault("X-Content-Type-Options", "nosniff")
        else:
            sources = embed_ancestors if is_embed(request.path) else ancestors
            headers.setdefault("Content-Security-Policy", policy(sources))
            for name, value in COMMON_HEADERS.items():
                headers.setdefault(name, value)
            if sources == "'self'":
                headers.setdefault("X-Frame-Options", "SAMEORIGIN")  # for browsers without CSP frame-ancestors
        cache = cache_control_for(request.path, request.query_string.decode("latin-1"))
        if cache and response.status_code == 200:
            headers["Cache-Control"] = cache
            headers.pop("Expires", None)
        return response


def _is_dependency(item: object) -> bool:
    """``{"id": str | dict, "property": str, …}``: one output, input or state of a callback request."""
    return isinstance(item, dict) and isinstance(item.get("id"), str | dict) and isinstance(item.get("property"), str)


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


#: What a component sends for each property the app's callbacks take (None for any of them: not set yet). The
#: app's controls are native elements (app/controls.py), whose values are strings (a MultiSelect's, a list of them).
#: A value of another type never came from the page. A store's ``data`` may hold anything: the callbacks validate
#: it themselves (a forged store answers like the page's own fallback, tests/test_callback_state.py).
INPUT_TYPES = {
    "pathname": lambda v: isinstance(v, str),
    "search": lambda v: isinstance(v, str),
    "hash": lambda v: isinstance(v, str),
    "href": lambda v: isinstance(v, str),
    "checked": lambda v: isinstance(v, bool),
    "n_clicks": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "value": lambda v: isinstance(v, str) or _strings(v),
}
#: Inputs that are never None: Dash Pages' router fires on a change of the address, always a string, and fails on
#: None.
NEVER_NONE = {("_pages_location", "pathname")}


def _dependencies_problem(key: str, items: object, declared: list[dict] | None) -> str | None:
    """What is wrong with a body's ``inputs`` or ``state`` (``items``) against the callback's ``declared`` ones."""
    if not isinstance(items, list):
        return f"bad {key}"
    if declared is not None and len(items) != len(declared):
        return f"bad {key}"
    for n, item in enumerate(items):  # pattern-matching (ALL) inputs arrive as lists of dependencies
        group = item if isinstance(item, list) else [item]
        if not all(_is_dependency(i) for i in group):
            return f"bad {key}"
        want = declared[n] if declared is not None else None
        plain = want is not None and not want["id"].startswith("{")  # not pattern-matching: exactly the declared one
        if plain and (isinstance(item, list) or (item["id"], item["property"]) != (want["id"], want["property"])):
            return f"bad {key}"
        for i in group:
            accepts = INPUT_TYPES.get(i["property"])
            value = i.get("value")
            if value is None and isinstance(i["id"], str) and (i["id"], i["property"]) in NEVER_NONE:
                return f"bad value for {i['property']}"
            if value is not None and accepts is not None and not accepts(value):
                return f"bad value for {i['property']}"
    return None


def callback_body_problem(body: object, known_outputs) -> str | None:
    """What is wrong with a ``/_dash-update-component`` body, or None when it has Dash's shape, the declared
    inputs and state of its callback (when ``known_outputs`` is Dash's callback map) and values of their types."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in known_outputs:
        return "unknown output"
    outputs = body.get("outputs")
    outputs = outputs if isinstance(outputs, list) else [outputs]
    if not outputs or not all(_is_dependency(o) for o in outputs):
        return "bad outputs"
    spec = known_outputs[output] if isinstance(known_outputs, dict) else None
    for key in ("inputs", "state"):
        declared = spec.get(key) if isinstance(spec, dict) else None
        problem = _dependencies_problem(key, body.get(key, []), declared)
        if problem:
            return problem
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "bad changedPropIds"
    return None


class CallbackFailed(RuntimeError):
    """A callback raised on an input of the right shape and types: a bug of the app, answered 500."""


def callback_failed(error: Exception):
    """Dash's ``on_error`` hook (``Dash(on_error=…)`` in ``create_app``): an exception raised by a callback
    function itself, as opposed to Dash failing to read the request, leaves as CallbackFailed."""
    raise CallbackFailed(f"{type(error).__name__}: {error}") from error


def install_callback_guard(app: Dash) -> None:
    """Answer malformed or unusable callback requests with 400, and a callback's own failure with 500 (see the
    module docstring)."""
    server = app.server
    server.config["MAX_CONTENT_LENGTH"] = MAX_CALLBACK_BYTES

    def invalid(reason: str):
        response = jsonify(error="invalid callback request", reason=reason)
        response.status_code = 400
        return response

    @server.before_request
    def _check_callback_body():
        if request.method != "POST" or not request.path.endswith(CALLBACK_PATH):
            return None
        body = request.get_json(silent=True)
        problem = callback_body_problem(body, app.callback_map)
        return invalid(problem) if problem else None

    @server.errorhandler(Exception)
    def _callback_errors(error: Exception):
        if isinstance(error, HTTPException):
            return error
        if isinstance(error, DependencyException) and SUITES_PATH in request.path:  # a file Dash does not serve
            log.debug("unknown component file %s", request.path[:200])
            return NotFound()
        if request.path.endswith(CALLBACK_PATH) and not isinstance(error, CallbackFailed):
            log.warning("callback %s could not read its request", request.path, exc_info=error)
            return invalid("the callback could not use its input")
        log.error("request %s failed", request.path, exc_info=error)
        return jsonify(error="internal error"), 500


def install_query_guard(app: Dash) -> None:
    """A GET whose query names a parameter twice (``?group=LDC&group=SIDS``) is answered 400 with a plain message
    naming it, on the pages and the data routes alike: which of the two values to use would be a guess."""

    @app.server.before_request
    def _refuse_duplicated_parameters():
        if request.method not in ("GET", "HEAD"):
            return None
        names = duplicated((name, None) for name, values in request.args.lists() for _v in values)
        if not names:
            return None
        t = translator(normalise(request.args.get("lang")))
        lines = [t("export.duplicated", param=name[:60]) for name in names]
        return Response("\n".join(lines) + "\n", status=400, mimetype="text/plain")
