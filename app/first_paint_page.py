"""The first paint of a request's page, its social preview tags, and the ``/static-chart/`` route.

``first_paint(path, query, lang, title)`` draws the page the address asks for as plain HTML (app/first_paint.py
walks the components) inside the same shell as the live page (header, main, footer), and gives the ``og:`` and
``twitter:`` tags of that view: the title, the first chart's summary sentence and a PNG of that chart. Any failure
leaves the translated loading text instead: the index page is never broken by its static copy.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from html import escape

from dash import page_registry
from dash._pages import _parse_query_string
from flask import Flask, Response, request

from app import views
from app.chrome import chosen_groups, footer, header
from app.context import get_data
from app.export.charts import QueryError, strict_parse
from app.export.render_error import RenderError
from app.first_paint import RASTER_CHARTS, WIDE, Chart, Render, chart_image, walker
from app.i18n import normalise, translator
from app.routing import is_embed, page_of
from app.settings import current

log = logging.getLogger(__name__)

_SOCIAL = re.compile(r'\s*<meta (?:property="og:|name="twitter:)[^>]*>')
_NAME = re.compile(r"^[a-z][a-z-]{0,30}$")


@dataclass(frozen=True)
class FirstPaint:
    body: str  # what goes inside Dash's root element
    metas: str  # og: and twitter: tags
    charts: bool = False  # whether its first view draws a chart (the page then preloads plotly.js)


def strip_dash_social_tags(metas: str) -> str:
    """Dash's own ``og:``/``twitter:`` tags (the registered English title, no description): ours replace them."""
    return _SOCIAL.sub("", metas)


def _layout(path: str, query: str):
    page, variables = page_of(path)
    if not page:
        page = next(p for p in page_registry.values() if p["module"].endswith("not_found_404"))
        variables = {}
    layout = page["layout"]
    params = _parse_query_string("?" + query) if query else {}
    return layout(**variables, **params) if callable(layout) else layout


def _absolute(path: str) -> str:
    return current().public_base_url + path


def _metas(title: str, description: str, image: str | None) -> str:
    card = "summary_large_image" if image else "summary"
    tags = [("property", "og:type", "website"), ("property", "og:title", title),
            ("property", "og:description", description), ("name", "twitter:card", card),
            ("name", "twitter:title", title), ("name", "twitter:description", description)]  # fmt: skip
    if image:
        tags += [("property", "og:image", image), ("name", "twitter:image", image)]
    return "".join(f'\n        <meta {attr}="{name}" content="{escape(value)}">' for attr, name, value in tags)


def first_paint(path: str, query: str, lang: str, title: str) -> FirstPaint:
    """The static copy of the page at ``path`` for ``query`` in ``lang``, and its preview tags."""
    t = translator(lang)
    try:
        walk = walker(path, query, lang)
        layout = _layout(path, query)
        content = walk.html(layout)
        embed = is_embed(path)
        head = "" if embed else walk.html(header(path, lang, chosen_groups("?" + query)))
        foot = "" if embed else walk.html(footer(lang))
    except Exception:  # noqa: BLE001 — the live page will say what is wrong; the static copy just steps aside
        log.exception("first paint of %s?%s failed", path, query)
        loading = f'<div class="_dash-loading">{escape(t("app.loading"))}</div>'
        return FirstPaint(loading, _metas(title, t("app.tagline"), None))
    body = (
        f'<div id="first-paint" class="first-paint" data-path="{escape(path)}">'
        f'<div class="page"><header class="site-header">{head}</header>'
        f'<main id="fp-main" tabindex="-1"><div><div class="fp-content">{content}</div></div></main>'
        f'<footer class="site-footer">{foot}</footer></div></div>'
    )
    charts = walk.render.charts
    description = walk.summaries[0] if walk.summaries else t("app.tagline")
    image = _absolute(f"/download/{charts[0].chart}.png?{charts[0].query}") if charts else None
    return FirstPaint(body, _metas(title, description, image), bool(charts))


def prerender(path: str, query: str, lang: str) -> int:
    """Render the inline SVGs of the page at ``path`` into the chart cache, however cold the browser (the warm-up
    does it in gunicorn's master for the default views, so every worker's first visitor gets them inline); returns
    how many charts the page draws."""
    walk = walker(path, query, lang, Render(lang, budget=99, force=True))
    walk.html(_layout(path, query))
    return len(walk.render.charts)


def register_static_chart_route(server: Flask) -> None:
    """``/static-chart/<chart>.<svg|png>?<query>``: the screen figure of a chart (the first paint's image where
    its SVG is not inline), from the same view models as the page; 400 naming the parameter for a bad query."""

    @server.route("/static-chart/<chart>.<fmt>")
    def static_chart(chart: str, fmt: str) -> Response:
        lang = normalise(request.args.get("lang"))
        t = translator(lang)
        if not _NAME.match(chart) or chart not in views.MODELS or fmt not in ("svg", "png"):
            return Response(t("not_found.heading"), status=404, mimetype="text/plain")
        args = request.args.to_dict()
        iso3 = args.pop("iso3", "").upper() if chart in views.COUNTRY_CHARTS else None
        data = get_data()
        try:
            if iso3 is not None and iso3 not in data.country_codes:
                raise QueryError([t("export.unknown_iso3", value=iso3[:12])])
            view = strict_parse(views.MODELS[chart][0], args)
            model = views.chart_model(chart, data, view, translator(view.lang), iso3)
            body = chart_image(Chart(chart, model.query, model.screen), fmt, WIDE)
        except QueryError as exc:
            return Response("\n".join(exc.problems), status=400, mimetype="text/plain")
        except RenderError as exc:
            log.warning("/static-chart/%s.%s not rendered: %s", chart, fmt, exc)
            return Response(str(exc), status=503, mimetype="text/plain")
        mime = "image/svg+xml" if fmt == "svg" else "image/png"
        response = Response(body, mimetype=mime)
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    assert set(RASTER_CHARTS) <= set(views.MODELS)
