"""The "Copy link" and "Embed" controls beside each chart's download links.

The address already holds the view (app/state.py), so both are computed in the browser from ``location`` when they
are used (app/assets/share.js, run as clientside callbacks: the CSP allows scripts from 'self', not inline ones):

- **Copy link** writes ``PUBLIC_BASE_URL`` (or the page's own origin) + path + query to the clipboard and says so in
  a polite live region ("Link copied").
- **Embed** opens a disclosure with the ``<iframe src=".../embed/<chart>?<query>">`` code for the chart (the page
  app/pages/embed.py draws), ready to copy.
"""

from __future__ import annotations

from dash import MATCH, ClientsideFunction, Input, Output, State, clientside_callback, dcc, html

from app.settings import current

COPY = "share-copy"  # pattern-matching id types: {"type": …, "chart": chart}
STATUS = "share-status"
EMBED_OPEN = "share-embed-open"
EMBED_CODE = "share-embed-code"
EMBED_COPY = "share-embed-copy"
TEXTS = "share-texts"  # dcc.Store in the app layout: the status texts in the page's language, and the base URL


def share_texts(t) -> dict[str, str]:
    """What share.js says and builds with, in the page's language."""
    return {
        "copied": t("share.copied"),
        "code_copied": t("share.code_copied"),
        "failed": t("share.failed"),
        "frame_title": t("share.frame_title"),
        "base": current().public_base_url,
    }


def texts_store() -> dcc.Store:
    return dcc.Store(id=TEXTS)


def share_controls(chart: str, t) -> html.Div:
    """The "Copy link" button, its status, and the "Embed" disclosure for ``chart`` (a /download and /embed name)."""
    return html.Div(
        [
            html.Button(t("share.copy"), id={"type": COPY, "chart": chart}, className="share-copy", type="button"),
            html.Details(
                [
                    html.Summary(t("share.embed"), id={"type": EMBED_OPEN, "chart": chart}, className="share-embed"),
                    html.Label(
                        [
                            html.Span(t("share.embed_label"), className="share-embed-label"),
                            dcc.Textarea(
                                id={"type": EMBED_CODE, "chart": chart},
                                readOnly=True,
                                className="share-embed-code",
                                rows=3,
                            ),
                        ]
                    ),
                    html.Button(
                        t("share.copy_code"), id={"type": EMBED_COPY, "chart": chart}, className="share-copy-code"
                    ),
                ],
                className="share-embed-box",
            ),
            html.Span(id={"type": STATUS, "chart": chart}, className="share-status", role="status"),
        ],
        className="share",
        role="group",
        **{"aria-label": t("share.label"), "data-chart": chart},
    )


clientside_callback(
    ClientsideFunction(namespace="share", function_name="copyLink"),
    Output({"type": STATUS, "chart": MATCH}, "children"),
    Input({"type": COPY, "chart": MATCH}, "n_clicks"),
    Input({"type": EMBED_COPY, "chart": MATCH}, "n_clicks"),
    State({"type": EMBED_CODE, "chart": MATCH}, "value"),
    State(TEXTS, "data"),
    prevent_initial_call=True,
)

clientside_callback(
    ClientsideFunction(namespace="share", function_name="embedCode"),
    Output({"type": EMBED_CODE, "chart": MATCH}, "value"),
    Input({"type": EMBED_OPEN, "chart": MATCH}, "n_clicks"),
    State(TEXTS, "data"),
)
