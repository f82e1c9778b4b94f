"""Write a page's view into the address bar without reloading: the server computes the query string
(``state.to_query``), a clientside callback calls ``history.replaceState``."""

from __future__ import annotations

from dash import Input, Output, clientside_callback

REPLACE_STATE = """
function(query) {
    if (query === undefined || query === null) { return window.dash_clientside.no_update; }
    // after the current render: a page whose layout carries its query mounts this store together with Dash
    // Pages' location component, which must have read the address first
    setTimeout(function () {
        var target = window.location.pathname + (query ? "?" + query : "");
        if (target !== window.location.pathname + window.location.search) {
            window.history.replaceState(window.history.state, "", target);
        }
    }, 0);
    return window.dash_clientside.no_update;
}
"""


def register_url_sync(store_id: str) -> None:
    clientside_callback(REPLACE_STATE, Output(store_id, "modified_timestamp"), Input(store_id, "data"))
