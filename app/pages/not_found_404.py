"""The page for an address that names no page (Dash draws it; app/routing.py makes its HTTP status 404)."""

from __future__ import annotations

import dash
from dash import html

from app.components import not_found_body
from app.i18n import normalise, translator

dash.register_page(__name__, path="/404", title="Page not found · Digital divide dashboard")


def layout(lang: str = "en", **_query) -> html.Div:
    t = translator(normalise(lang))
    return html.Div(not_found_body(t))
