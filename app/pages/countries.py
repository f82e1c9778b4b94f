"""/country: choose an economy (a search box, and links to each profile grouped by M49 region)."""

from __future__ import annotations

import dash
from dash import ALL, ClientsideFunction, Input, Output, State, clientside_callback, html

from app.components import (
    COUNTRY_ITEM,
    COUNTRY_REGION,
    COUNTRY_SEARCH,
    COUNTRY_SEARCH_DATA,
    COUNTRY_SEARCH_STATUS,
    country_list,
    country_search,
)
from app.i18n import normalise, translator

dash.register_page(__name__, path="/country", title="Countries · Digital divide dashboard", order=3)


def layout(lang: str = "en", **_query) -> html.Div:
    t = translator(normalise(lang))
    return html.Div([html.H1(t("country.choose")), country_search(t), country_list(t)])


# typing narrows the list and says how many match; Enter opens the first match (app/assets/country-search.js)
clientside_callback(
    ClientsideFunction(namespace="countries", function_name="filter"),
    Output({"type": COUNTRY_ITEM, "iso3": ALL}, "hidden"),
    Output({"type": COUNTRY_REGION, "region": ALL}, "hidden"),
    Output(COUNTRY_SEARCH_STATUS, "children"),
    Input(COUNTRY_SEARCH, "value"),
    State(COUNTRY_SEARCH_DATA, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction(namespace="countries", function_name="open"),
    Input(COUNTRY_SEARCH, "n_submit"),
    State(COUNTRY_SEARCH, "value"),
    State(COUNTRY_SEARCH_DATA, "data"),
    prevent_initial_call=True,
)
