"""The download links under each chart: plain ``<a href download>`` elements (keyboard reachable, visible labels,
translated), built from the same view the chart is drawn from, so they change whenever the chart changes."""

from __future__ import annotations

from urllib.parse import quote

from dash import html

from app.export.charts import canonical_query
from app.export.names import codes_part, file_name

IMAGE_AND_DATA = ("png", "svg", "pdf", "csv", "xlsx", "zip")


def download_hrefs(chart: str, view, iso3: str | None = None, formats=IMAGE_AND_DATA) -> list[str]:
    """The ``href`` of each of ``download_links``' links, in order."""
    query = canonical_query(chart, view, iso3)
    return [f"/download/{chart}.{fmt}?{query}" for fmt in formats]


def download_links(chart: str, view, t, *, iso3: str | None = None, formats=IMAGE_AND_DATA) -> html.Div:
    """``Download this chart: PNG image · SVG image · PDF · CSV data · Excel · ZIP`` for ``chart`` at ``view``."""
    links = []
    for fmt, href in zip(formats, download_hrefs(chart, view, iso3, formats), strict=True):
        links.append(
            html.A(
                t(f"export.{fmt}"),
                href=href,
                download="",  # the server's Content-Disposition names the file
                className=f"download-link download-{fmt}",
                **{"data-format": fmt, "data-chart": chart},
            )
        )
    return html.Div(
        [html.Span(t("export.downloads"), className="downloads-label"), *links],
        className="downloads",
        role="group",
        **{"aria-label": t("export.downloads")},
    )


def briefing_link(groups, lang: str, t, label_groups: str) -> html.P:
    """One link to the briefing pack for ``groups`` (the world is added by the pack itself)."""
    codes = [g for g in groups if g != "WLD"] or ["WLD"]
    href = f"/download/briefing.pdf?group={quote(','.join(codes), safe=',')}&lang={quote(lang)}"
    return html.P(
        [
            html.A(
                t("export.briefing_for", groups=label_groups),
                href=href,
                download=file_name(["briefing", codes_part(codes), "" if lang == "en" else lang], "pdf"),
                className="download-link briefing-link",
                id="briefing-link",
            ),
            " ",
            html.Span(t("export.briefing_hint"), className="briefing-hint"),
        ],
        className="briefing",
    )
