"""One view model per chart, built once from the URL state, read by every renderer.

A :class:`ChartModel` holds what a chart says: its figure (with the title, subtitle and footer burned in, as files
draw it) and its screen version (those texts moved out into HTML), the title, subtitle, one-sentence summary,
notes, the targets' keys, the sources-and-licence line, the rows it draws and the addresses that rebuild it. Three
renderers read it: the Dash components of a page (``components.figure_block``), the static first paint of the HTML
(``app/first_paint.py``) and the files (``app/export/charts.py``). None of them recomputes a text, so the screen, the
first paint and a download cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from app.figures import Figure, screen_version, target_keys


@dataclass(frozen=True, eq=False)
class ChartModel:
    """A chart and everything said about it (frozen: built once, shared read-only)."""

    chart: str  # the chart's key in downloads and embeds: explore, map, ranking, gender, country, …
    figure: Figure  # the full figure: its own title, subtitle and footer (files and briefing packs)
    screen: Figure  # the same figure for a page: title, subtitle and footer are HTML around it
    title: str
    subtitle: str
    summary: str  # one sentence: the chart's accessible name, its caption, og:description
    footer: str  # sources, vintages and licences, as under the chart
    notes: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()  # the targets drawn, by their keys ("① Connect 2020 1.2 (WLD, 2020)"): listed under it
    indicators: tuple[str, ...] = ()  # the indicators whose pages the source line links
    rows: pd.DataFrame = field(default_factory=pd.DataFrame)  # what the chart draws, in the views' shape
    filename: str = ""  # the file stem of the toolbar's PNG
    page: str = ""  # the address (path and query) of the page that shows this chart
    query: str = ""  # the query that rebuilds it in /download, /embed and /static-chart
    year: int | None = None  # the year a map or ranking shows
    extra: dict[str, Any] = field(default_factory=dict)  # what one chart alone needs (lines, parity answers)

    @classmethod
    def of(cls, chart: str, figure: Figure, *, summary: str, footer: str, **fields) -> ChartModel:
        """The model of ``figure``: its screen version, title and subtitle are read from it once, here."""
        screen, title, subtitle = screen_version(figure)
        fields.setdefault("keys", target_keys(figure))
        return cls(chart, figure, screen, title, subtitle, summary, footer, **fields)
