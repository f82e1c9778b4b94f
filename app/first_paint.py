"""The first paint: every page's HTML carries a static rendering of the view its URL asks for.

Dash renders nothing on the server: a first visit shows nothing until ~900 KiB of scripts have arrived and run.
So the index page (``app/main.py``) puts, inside the element Dash mounts into, the same page drawn as plain HTML:
the header and navigation (working links), the page's own layout (the same ``layout(**query)`` Dash will render,
walked here into tags) and each chart as an inline SVG of its screen figure (the same figure function as the
exports), or an ``<img>`` of ``/static-chart/<chart>.<svg|png>?<query>`` where the SVG is not ready (maps are PNG:
their SVG is megabytes). Readable with scripts off; translated like the page; links and tabs work as plain links.

``app/assets/first-paint.js`` moves the copy out of Dash's root before the renderer starts, keeps it on screen
while the live page builds, hidden, underneath, and swaps the two when every graph of the live page is drawn, so
React's own "Loading..." never shows and the page does not jump (tests/browser/test_first_paint.py measures it).

Controls (app/controls.py) are drawn as the same native elements, disabled, and the tabs as links; buttons that
only scripts can serve are drawn disabled; ids get a ``fp-`` prefix so a script looking for a live element never
finds its static copy.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs

import plotly.graph_objects as go
from cachetools import LRUCache

from app import controls
from app.export import render
from app.http_cache import snapshot_id

log = logging.getLogger(__name__)

#: the widths the inline SVG is drawn at: one for wide screens, one for phones (CSS shows one of them)
WIDE, NARROW = 1100, 400
#: charts drawn as a PNG image rather than inline SVG (a world map's SVG is ~5 MB)
RASTER_CHARTS = ("map",)
#: renders one request may wait for when the chart is not cached yet (the rest become <img>)
RENDER_BUDGET = 2
ID_PREFIX = "fp-"
_ID_REFS = ("aria-labelledby", "aria-describedby", "aria-controls", "htmlFor")
_VOID = {"img", "br", "hr", "input", "meta", "link", "source", "wbr"}
_ATTRS = {"className": "class", "htmlFor": "for", "tabIndex": "tabindex", "colSpan": "colspan", "rowSpan": "rowspan"}
_PLAIN_ATTRS = {"href", "target", "rel", "title", "role", "lang", "type", "alt", "src", "width", "height", "scope",
                "download", "name", "value", "open", "hidden", "disabled", "readOnly", "rows", "dir",
                "placeholder"}  # fmt: skip

# ---- the chart images --------------------------------------------------------------------------------------------

CACHE_SIZE = 256
_cache: LRUCache = LRUCache(maxsize=CACHE_SIZE)
_lock = threading.Lock()


def _render(fig: dict, fmt: str, width: int) -> bytes:
    figure = go.Figure(fig)
    figure.update_layout(width=width)
    return render.to_bytes(figure, fmt, scale=1)


@dataclass(frozen=True)
class Chart:
    """A chart as the first paint meets it: its key and query (which rebuild it) and its screen figure."""

    chart: str
    query: str
    screen: dict
    summary: str = ""

    @property
    def height(self) -> int:
        return int(self.screen["layout"].get("height") or 450)


def chart_image(chart: Chart, fmt: str, width: int = WIDE) -> bytes:
    """The screen figure of ``chart`` as SVG or PNG bytes at ``width`` px, cached per snapshot, chart and query."""
    key = (snapshot_id(), chart.chart, chart.query, fmt, width)
    with _lock:
        body = _cache.get(key)
    if body is None:
        body = _render(chart.screen, fmt, width)
        with _lock:
            _cache[key] = body
    return body


def cached_image(chart: Chart, fmt: str, width: int = WIDE) -> bytes | None:
    with _lock:
        return _cache.get((snapshot_id(), chart.chart, chart.query, fmt, width))


def inline_svg(svg: bytes, height: int, css_class: str) -> str:
    """A plotly SVG made to fill its box's width at the live graph's height, without its XML prolog."""
    text = svg.decode("utf-8")
    text = text[text.index("<svg") :]
    head, rest = text.split(">", 1)
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    head = head.replace("<svg", f'<svg width="100%" height="{height}" preserveAspectRatio="xMinYMin meet"', 1)
    head = head.replace('class="main-svg"', f'class="main-svg {css_class}" aria-hidden="true" focusable="false"', 1)
    return head + ">" + rest


class Render:
    """One request's rendering: its language, the renders it may still wait for."""

    def __init__(self, lang: str, budget: int = RENDER_BUDGET, *, force: bool = False):
        self.lang = lang
        self.budget = budget
        self.force = force  # render even when this process's browser is cold (the warm-up's pre-render)
        self.charts: list[Chart] = []

    def chart(self, model: Chart) -> str:
        """The static chart of ``model``: inline SVG (wide and narrow) when ready, else an ``<img>``."""
        self.charts.append(model)
        height = model.height
        if model.chart not in RASTER_CHARTS:
            wide, narrow = cached_image(model, "svg", WIDE), cached_image(model, "svg", NARROW)
            if (wide is None or narrow is None) and self.budget > 0 and (self.force or render.is_warm()):
                self.budget -= 1
                try:
                    wide, narrow = chart_image(model, "svg", WIDE), chart_image(model, "svg", NARROW)
                except Exception as exc:  # noqa: BLE001 — a chart that cannot render leaves its image to the route
                    log.warning("first paint: %s not rendered (%s)", model.chart, exc)
            if wide is not None and narrow is not None:
                svgs = inline_svg(wide, height, "fp-wide") + inline_svg(narrow, height, "fp-narrow")
                return f'<div class="fp-chart" style="height:{height}px">{svgs}</div>'
        fmt = "png" if model.chart in RASTER_CHARTS else "svg"
        src = escape(f"/static-chart/{model.chart}.{fmt}?{model.query}")
        return (
            f'<div class="fp-chart" style="height:{height}px">'
            f'<img class="fp-image" src="{src}" alt="" height="{height}" decoding="async"></div>'
        )


# ---- components to HTML ------------------------------------------------------------------------------------------


def _css(style: dict) -> str:
    def kebab(name: str) -> str:
        return re.sub(r"([A-Z])", lambda m: "-" + m.group(1).lower(), name)

    return ";".join(f"{kebab(k)}:{v}{'px' if isinstance(v, int | float) and k != 'zIndex' else ''}"
                    for k, v in style.items())  # fmt: skip


def _attrs(props: dict) -> str:
    out = []
    for key, value in props.items():
        if value is None or value is False or key == "children":
            continue
        if key == "id":
            if isinstance(value, str):
                out.append(f'id="{escape(ID_PREFIX + value)}"')
            continue
        if key in _ID_REFS and isinstance(value, str):
            value = " ".join(ID_PREFIX + v for v in value.split())
        if key == "style" and isinstance(value, dict):
            out.append(f'style="{escape(_css(value))}"')
            continue
        name = _ATTRS.get(key, key)
        if key in _PLAIN_ATTRS or key in _ATTRS or key.startswith(("aria-", "data-")):
            if value is True:
                out.append(name.lower() if key == "readOnly" else name)
            else:
                out.append(f'{name}="{escape(str(value))}"')
    return (" " + " ".join(out)) if out else ""


def _tag(tag: str, props: dict, inner: str) -> str:
    if tag in _VOID:
        return f"<{tag}{_attrs(props)}>"
    return f"<{tag}{_attrs(props)}>{inner}</{tag}>"


class Walk:
    """Dash components → HTML for one request (its path, query and language)."""

    def __init__(self, path: str, query: dict[str, str], render: Render):
        self.path, self.query, self.render = path, query, render
        self.figure: tuple[str, str] | None = None  # (chart, query) of the html.Figure being walked
        self.summaries: list[str] = []  # the charts' summary sentences, in page order

    def with_param(self, key: str, value: str) -> str:
        from urllib.parse import urlencode

        query = {**self.query, key: value}
        return f"{self.path}?{urlencode(query, safe=',')}"

    def tab_href(self, tab: str) -> str:
        return self.with_param("tab", tab)

    def html(self, node) -> str:
        if node is None or node is False:
            return ""
        if isinstance(node, str | int | float):
            return escape(str(node))
        if isinstance(node, list | tuple):
            return "".join(self.html(n) for n in node)
        namespace = getattr(node, "_namespace", "")
        kind = getattr(node, "_type", "")
        props = node.to_plotly_json()["props"]
        if namespace == "dash_html_components":
            return self._html_component(kind, props)
        if namespace == "dash_core_components":
            return self._core(kind, props)
        if namespace == controls.NAMESPACE:
            children = self.html(props.get("children"))
            return controls.static_html(kind, props, children, self.tab_href, ID_PREFIX)
        return self.html(props.get("children"))

    def _html_component(self, kind: str, props: dict) -> str:
        tag = kind.lower()
        if tag == "button" and isinstance(props.get("id"), dict) and props["id"].get("type") == "lang-button":
            lang = props["id"]["lang"]  # the language switch is a plain link without scripts
            link = {
                "href": self.with_param("lang", lang),
                "className": props.get("className"),
                "lang": props.get("lang"),
            }
            return _tag("a", link, self.html(props.get("children")))
        if tag == "button":
            props = {**props, "disabled": True}  # copy link, embed code: scripts only
        if tag == "figure" and props.get("data-chart"):
            self.figure = (props["data-chart"], props.get("data-query") or "")
        if tag == "figcaption" and "summary" in (props.get("className") or "").split():
            self.summaries.append(str(props.get("children") or ""))
        if tag == "a" and props.get("href") == "#main":
            props = {**props, "href": f"#{ID_PREFIX}main"}
        return _tag(tag, props, self.html(props.get("children")))

    def _core(self, kind: str, props: dict) -> str:
        if kind == "Link":
            return _tag(
                "a", {k: props.get(k) for k in ("href", "className", "title")}, self.html(props.get("children"))
            )
        if kind == "Graph":
            if self.figure is None or not isinstance(props.get("figure"), dict):
                return ""
            (chart, query), self.figure = self.figure, None
            return self.render.chart(Chart(chart, query, props["figure"]))
        if kind == "Loading":
            return self.html(props.get("children"))
        if kind == "Input":  # a search box: typed into once the scripts run; drawn in its place, disabled
            keep = ("id", "type", "className", "placeholder", "value")
            return _tag("input", {**{k: props.get(k) for k in keep}, "disabled": True}, "")
        if kind == "Textarea":
            return _tag("textarea", {"className": props.get("className"), "readOnly": True, "rows": 3}, "")
        return ""  # Store, Location, Clipboard: nothing to see


def walker(path: str, query_string: str, lang: str, render: Render | None = None) -> Walk:
    """A walk for one request (a parameter given twice is dropped from the tab and language links)."""
    query = {k: v[0] for k, v in parse_qs(query_string, keep_blank_values=True).items() if len(v) == 1}
    return Walk(path, query, render or Render(lang))
