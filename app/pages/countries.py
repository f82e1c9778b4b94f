"""/country: choose an economy (links to each profile, grouped by M49 region)."""

from __future__ import annotations

import dash
from dash import html

from app.context import get_data
from app.i18n import translator

dash.register_page(__name__, path="/country", title="Countries · Digital divide dashboard", order=3)


def country_list(t) -> html.Div:
    data = get_data()
    suffix = "?lang=zh" if t.lang == "zh" else ""
    frame = data.countries.reindex(data.country_codes)
    sections = []
    for region, grp in frame.groupby(frame["m49_region"].fillna("—"), sort=True):
        links = [html.Li(html.A(f"{data.country_name(c)} ({c})", href=f"/country/{c}{suffix}")) for c in grp.index]
        sections.append(html.Section([html.H2(region), html.Ul(links, className="country-list")]))
    return html.Div(sections)


def layout(lang: str = "en", **_query) -> html.Div:
    t = translator(lang if lang in ("en", "zh") else "en")
    return html.Div([html.H1(t("country.choose")), country_list(t)])
