"""/country: choose an economy (links to each profile, grouped by M49 region)."""

from __future__ import annotations

import dash
from dash import html

from app.components import country_list
from app.i18n import normalise, translator

dash.register_page(__name__, path="/country", title="Countries · Digital divide dashboard", order=3)


def layout(lang: str = "en", **_query) -> html.Div:
    t = translator(normalise(lang))
    return html.Div([html.H1(t("country.choose")), country_list(t)])
