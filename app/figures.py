"""Pure figure functions: frames in, ``go.Figure`` out. No Dash, no I/O, no globals.

Every figure carries its title, a subtitle (what is shown), its targets where they apply, and a footer naming the
source, vintage and licence, so an exported image stands on its own. An empty frame gives a figure that says there
is no data, in words, never an exception.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from app import theme

FOOTER_WRAP = 130


@dataclass(frozen=True)
class TargetLine:
    """A target drawn on a chart: a horizontal line to its year (or a band) with a label."""

    label: str
    threshold: float
    year: int | None
    band: tuple[float, float] | None = None
    start_year: int | None = None


def _wrap(text: str, width: int = FOOTER_WRAP) -> str:
    return "<br>".join(textwrap.wrap(text, width)) if text else ""


def _base(title: str, subtitle: str, footer: str, *, height: int = 520, legend_top: bool = True) -> go.Figure:
    fig = go.Figure()
    footer_lines = _wrap(footer).count("<br>") + 1 if footer else 0
    subtitle = _wrap(subtitle, SUBTITLE_WRAP)
    fig.update_layout(
        template="divide",
        title={
            "text": title,
            "subtitle": {"text": subtitle},
            "x": 0,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "yref": "container",
        },
        margin={
            "l": 64,
            "r": 24,
            "t": TITLE_PX + (subtitle.count("<br>") + 1) * SUBTITLE_LINE_PX + 16,
            "b": 70 + 16 * footer_lines,
        },
        height=height,
        hovermode="closest",
    )
    if footer:
        fig.add_annotation(
            text=_wrap(footer),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="top",
            yshift=-42,
            showarrow=False,
            name="footer",
            align="left",
            font={"size": 11, "color": "#444"},
        )
    return fig


TITLE_PX = 48  # the title line, from the top of the image
SUBTITLE_LINE_PX = 19
SUBTITLE_WRAP = 90
LEGEND_ROW_PX = 22
LEGEND_CHARS = 20  # longest legend name: two columns of them fit a 390 px screen
MODEBAR_PX = 28  # plotly's toolbar, top right
RANKING_LABEL_PX = 15  # one row of target labels above a ranking chart


def _short(name: str, limit: int = LEGEND_CHARS) -> str:
    """A legend name cut to ``limit`` characters (two legend columns must fit a phone; the hover has it in full)."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _legend_on_top(fig: go.Figure) -> go.Figure:
    """Place the legend under the title in two columns (one when a name is longer than ``LEGEND_CHARS``, so
    entries never overprint on a phone) and make room for it (pixel maths on the fixed height)."""
    names = [tr.name for tr in fig.data if tr.showlegend is not False and tr.name]
    columns = 2 if all(len(n) <= LEGEND_CHARS for n in names) else 1
    rows = max(1, -(-len(names) // columns))
    height = fig.layout.height or 520
    fig.update_layout(
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 1 - TITLE_PX / height,
            "yanchor": "top",
            "x": 0,
            "xanchor": "left",
            "entrywidthmode": "fraction",
            "entrywidth": 1 / columns,
        },
        margin={"t": TITLE_PX + rows * LEGEND_ROW_PX + 14},
    )
    return fig


def screen_version(fig: go.Figure) -> tuple[go.Figure, str, str]:
    """(figure, title, subtitle) for a web page: the title, subtitle and footer move out of the image into HTML,
    which wraps on narrow screens; exports keep them burned in (the figure functions' own output)."""
    screen = go.Figure(fig)
    title = screen.layout.title.text or ""
    subtitle = (screen.layout.title.subtitle.text or "").replace("<br>", " ")
    screen.layout.annotations = [a for a in screen.layout.annotations if a.name != "footer"]
    entries = sum(1 for tr in screen.data if tr.showlegend is not False and tr.name)
    legend = screen.layout.legend
    has_legend = entries > 0 and screen.layout.showlegend is not False and legend.yref == "container"
    columns = round(1 / legend.entrywidth) if legend.entrywidthmode == "fraction" and legend.entrywidth else 3
    rows = -(-entries // columns) if has_legend else 0
    above = [a for a in screen.layout.annotations if a.yref == "paper" and a.y is not None and a.y >= 1]
    labels_px = max(((a.yshift or 0) + RANKING_LABEL_PX + 4 for a in above if a.yanchor == "bottom"), default=0)
    height = screen.layout.height
    if height and height <= 700:  # tall ranking and dumbbell charts keep their height
        height -= 60
    top = 16 + labels_px + ((MODEBAR_PX + rows * LEGEND_ROW_PX) if has_legend else 0)
    screen.update_layout(title={"text": "", "subtitle": {"text": ""}}, margin={"t": top, "b": 48}, height=height)
    if has_legend:  # under the strip where plotly shows its toolbar (always, on touch screens)
        screen.update_layout(legend={"y": 1 - MODEBAR_PX / (height or 450), "yanchor": "top"})
    return screen, title, subtitle


def no_data_figure(title: str, message: str, footer: str = "") -> go.Figure:
    """A figure that says in words that there is nothing to draw."""
    fig = _base(title, "", footer, height=360, legend_top=False)
    fig.add_annotation(
        text=message, xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False, font={"size": 16, "color": "#333"}
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


LABEL_HEIGHT = 0.06  # a target label's height as a share of the y range (11 px text on a ~300 px plot)


def label_sides(thresholds: Sequence[float], span: float) -> list[str]:
    """The side ("top" or "bottom") of each target label: above its line unless that would overlap a label already
    placed (labels run across most of the chart, so every pair can collide); highest thresholds first."""
    height = LABEL_HEIGHT * (span or 1.0)
    placed: list[tuple[float, float]] = []
    sides = [""] * len(thresholds)
    for i in sorted(range(len(thresholds)), key=lambda k: -thresholds[k]):
        y = thresholds[i]
        options = {"top": (y, y + height), "bottom": (y - height, y)}
        free = [s for s, (b0, b1) in options.items() if not any(b0 < hi - 1e-9 and lo < b1 - 1e-9 for lo, hi in placed)]
        sides[i] = free[0] if free else "top"
        placed.append(options[sides[i]])
    return sides


def _target_traces(fig: go.Figure, targets: Sequence[TargetLine], x0: int, span: float = 100.0) -> None:
    """Each target as a dotted grey line from ``x0`` (or its start year) to its year, ending in a diamond; its label
    sits on the line's start and runs rightwards over the chart (never over the axis labels, even on a phone), and
    may run into the right margin rather than be clipped. A band target also shades its band."""
    sides = label_sides([tl.threshold for tl in targets], span)
    for tl, side in zip(targets, sides, strict=True):
        if tl.band:
            fig.add_hrect(y0=tl.band[0], y1=tl.band[1], fillcolor=theme.PARITY_BAND_COLOUR, line_width=0, layer="below")
        end = tl.year or x0
        start = tl.start_year or x0
        fig.add_trace(
            go.Scatter(
                x=[start, end],
                y=[tl.threshold, tl.threshold],
                mode="lines+markers+text",
                name=tl.label,
                line={"color": theme.TARGET_COLOUR, "dash": "dot", "width": 2},
                marker={"symbol": ["line-ns", "diamond"], "size": [1, 11], "color": theme.TARGET_COLOUR},
                text=[tl.label, ""],
                textposition=f"{side} right",
                textfont={"size": 11, "color": theme.TARGET_COLOUR},
                cliponaxis=False,
                hovertemplate=f"{tl.label}<extra></extra>",
                meta={"kind": "target"},
                showlegend=False,
            )
        )


def trend_figure(
    series: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    y_title: str,
    footer: str,
    targets: Sequence[TargetLine] = (),
    no_data: str = "No data for this selection.",
    coverage_label: str = "coverage",
    percent: bool = True,
    low_coverage: float | None = None,
) -> go.Figure:
    """Lines over years. ``series`` columns: label, kind (group|world|country|member), year, value, optionally
    legend (a short name), and for aggregates coverage, n_reporting, n_members. Groups are coloured solid lines, the
    world a black dashed line, countries dash-dotted, members faint; targets dotted grey lines ending in a labelled
    diamond at their year. Aggregate points whose coverage is below ``low_coverage`` get open markers."""
    rows = series.dropna(subset=["value"]) if len(series) else series
    if rows.empty:
        return no_data_figure(title, no_data, footer)
    fig = _base(title, subtitle, footer)
    colour = iter(theme.PALETTE)
    for label, grp in rows.groupby("label", sort=False):
        grp = grp.sort_values("year")
        kind = grp["kind"].iloc[0]
        if kind == "member":
            style = {"line": {"color": theme.MEMBER_COLOUR, "width": 1}, "mode": "lines", "showlegend": False}
        elif kind == "world":
            style = {
                "line": {"color": theme.WORLD_COLOUR, "width": 3, "dash": "dash"},
                "mode": "lines+markers",
                "marker": {"symbol": "square", "size": 6},
            }
        elif kind == "country":
            style = {
                "line": {"color": next(colour, "#333"), "width": 2.5, "dash": "dashdot"},
                "mode": "lines+markers",
                "marker": {"symbol": "triangle-up", "size": 7},
            }
        else:
            style = {
                "line": {"color": next(colour, "#333"), "width": 3},
                "mode": "lines+markers",
                "marker": {"symbol": "circle", "size": 6},
            }
        has_cov = "coverage" in grp and grp["coverage"].notna().any()
        custom = grp[["coverage", "n_reporting", "n_members"]].to_numpy() if has_cov else None
        if has_cov and low_coverage is not None and "marker" in style:
            low = (grp["coverage"] < low_coverage).to_numpy()
            symbol = style["marker"]["symbol"]
            style["marker"] = {
                **style["marker"],
                "symbol": [f"{symbol}-open" if is_low else symbol for is_low in low],
                "size": [9 if is_low else style["marker"]["size"] for is_low in low],
            }
        legend = grp["legend"].iloc[0] if "legend" in grp else None
        hover = f"<b>{label}</b><br>%{{x}}: %{{y:,.1f}}"
        if has_cov:
            hover += f"<br>{coverage_label}: %{{customdata[0]:.0%}} (%{{customdata[1]}}/%{{customdata[2]}})"
        fig.add_trace(
            go.Scatter(
                x=grp["year"],
                y=grp["value"],
                name=_short(str(legend) if isinstance(legend, str) and legend else str(label)),
                customdata=custom,
                hovertemplate=hover + "<extra></extra>",
                meta={"kind": kind},
                **style,
            )
        )
    x0 = int(rows["year"].min())
    top = max([float(rows["value"].max()), *(tl.threshold for tl in targets)])
    if percent:
        top = max(100.0, top) * 1.04
        fig.update_yaxes(range=[0, top])
    _target_traces(fig, targets, x0, span=top)
    fig.update_yaxes(title_text=y_title, rangemode="tozero")
    fig.update_xaxes(dtick=5 if rows["year"].nunique() > 12 else 1)
    return _legend_on_top(fig)


def map_figure(
    values: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    footer: str,
    colorbar_title: str,
    highlight: Sequence[str] = (),
    no_data: str = "No data for this year.",
    zmax: float | None = None,
) -> go.Figure:
    """Choropleth of ``values`` (iso3, name, value) for one year; when ``highlight`` is given only those economies
    are coloured and the rest are drawn grey. Shapes come from the app's local topojson (no CDN)."""
    rows = values.dropna(subset=["value"]) if len(values) else values
    if rows.empty:
        return no_data_figure(title, no_data, footer)
    fig = _base(title, subtitle, footer, height=560, legend_top=False)
    shown = rows[rows["iso3"].isin(highlight)] if highlight else rows
    others = rows[~rows["iso3"].isin(highlight)] if highlight else rows.iloc[0:0]
    if len(others):
        fig.add_trace(
            go.Choropleth(
                locations=others["iso3"],
                z=[0] * len(others),
                locationmode="ISO-3",
                showscale=False,
                colorscale=[[0, theme.NO_DATA_COLOUR], [1, theme.NO_DATA_COLOUR]],
                text=others["name"],
                hovertemplate="%{text}<extra></extra>",
                marker={"line": {"color": "white", "width": 0.4}},
                name="other",
            )
        )
    fig.add_trace(
        go.Choropleth(
            locations=shown["iso3"],
            z=shown["value"],
            locationmode="ISO-3",
            colorscale=theme.SEQUENTIAL,
            zmin=0,
            zmax=zmax or float(shown["value"].max()),
            text=shown["name"],
            colorbar={"title": {"text": colorbar_title}, "thickness": 12, "len": 0.8},
            hovertemplate="%{text}: %{z:,.1f}<extra></extra>",
            marker={"line": {"color": "#222" if highlight else "white", "width": 0.8 if highlight else 0.4}},
            name="value",
        )
    )
    fig.update_geos(
        resolution=50,
        showframe=False,
        showcoastlines=False,
        projection_type="natural earth",
        showland=True,
        landcolor="#f2f2f2",
        showcountries=False,
        lataxis_range=[-58, 85],
    )
    return fig


def ranking_figure(
    values: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    footer: str,
    x_title: str,
    targets: Sequence[TargetLine] = (),
    no_data: str = "No data for this year.",
) -> go.Figure:
    """Horizontal bars of ``values`` (name, value, label) sorted, highest on top, with target lines."""
    rows = values.dropna(subset=["value"]) if len(values) else values
    if rows.empty:
        return no_data_figure(title, no_data, footer)
    rows = rows.sort_values("value")
    height = max(420, 22 * len(rows) + 200)
    fig = _base(title, subtitle, footer, height=height, legend_top=False)
    fig.add_trace(
        go.Bar(
            x=rows["value"],
            y=rows["name"],
            orientation="h",
            marker={"color": theme.PALETTE[0]},
            text=[f"{v:,.1f}" for v in rows["value"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:,.1f}<extra></extra>",
            name="value",
        )
    )
    xmax = max([float(rows["value"].max()), *(tl.threshold for tl in targets)])
    for i, tl in enumerate(sorted(targets, key=lambda tl: tl.threshold)):
        fig.add_vline(x=tl.threshold, line_dash="dot", line_color=theme.TARGET_COLOUR, line_width=2)
        fig.add_annotation(  # one row per label above the plot, so neighbouring targets never overprint
            x=tl.threshold,
            y=1,
            yref="paper",
            yshift=RANKING_LABEL_PX * i,
            text=tl.label,
            showarrow=False,
            xanchor="right" if tl.threshold > 0.6 * xmax else "left",
            yanchor="bottom",
            name="target",
            font={"size": 11, "color": theme.TARGET_COLOUR},
        )
    if targets:
        fig.update_layout(margin={"t": fig.layout.margin.t + RANKING_LABEL_PX * len(targets)})
    fig.update_xaxes(title_text=x_title, rangemode="tozero")
    fig.update_yaxes(automargin=True, tickfont={"size": 12})
    return fig


def parity_figure(
    series: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    footer: str,
    band: tuple[float, float],
    band_label: str,
    deadline: int | None,
    deadline_label: str,
    y_title: str,
    no_data: str,
    references: pd.DataFrame | None = None,
    x_range: tuple[int, int] | None = None,
) -> go.Figure:
    """Parity score (female ÷ male) over years per label, the parity band shaded and the deadline marked.
    ``references`` (label, year, value) are published figures drawn as open markers, labelled."""
    rows = series.dropna(subset=["value"]) if len(series) else series
    refs = references if references is not None and len(references) else None
    if rows.empty and refs is None:
        return no_data_figure(title, no_data, footer)
    fig = _base(title, subtitle, footer)
    fig.add_hrect(y0=band[0], y1=band[1], fillcolor=theme.PARITY_BAND_COLOUR, line_width=0, layer="below")
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=band_label,
            hoverinfo="skip",
            marker={"symbol": "square", "size": 14, "color": theme.PARITY_BAND_COLOUR},
        )
    )
    colour = iter(theme.PALETTE)
    for label, grp in rows.groupby("label", sort=False):
        grp = grp.sort_values("year")
        is_world = grp["kind"].iloc[0] == "world"
        line = (
            {"color": theme.WORLD_COLOUR, "dash": "dash", "width": 3}
            if is_world
            else {"color": next(colour), "width": 3}
        )
        fig.add_trace(
            go.Scatter(
                x=grp["year"],
                y=grp["value"],
                name=str(label),
                mode="lines+markers",
                line=line,
                hovertemplate=f"<b>{label}</b><br>%{{x}}: %{{y:.3f}}<extra></extra>",
                meta={"kind": grp["kind"].iloc[0]},
            )
        )
    if refs is not None:
        for label, grp in refs.groupby("label", sort=False):
            fig.add_trace(
                go.Scatter(
                    x=grp["year"],
                    y=grp["value"],
                    name=str(label),
                    mode="markers+text",
                    marker={"symbol": "diamond-open", "size": 11, "color": theme.WORLD_COLOUR, "line": {"width": 2}},
                    text=[f"{v:.2f}" for v in grp["value"]],
                    textposition=["top center" if i % 2 == 0 else "bottom center" for i in range(len(grp))],
                    cliponaxis=False,
                    hovertemplate=f"<b>{label}</b><br>%{{x}}: %{{y:.2f}}<extra></extra>",
                    meta={"kind": "reference"},
                )
            )
    if deadline:
        fig.add_vline(x=deadline, line_dash="dot", line_color=theme.TARGET_COLOUR, line_width=2)
        fig.add_annotation(
            x=deadline,
            y=1,
            yref="paper",
            text=deadline_label,
            showarrow=False,
            xanchor="right",  # to the left of the line: the years before the deadline have room
            yanchor="top",
            font={"size": 11, "color": theme.TARGET_COLOUR},
        )
    values = pd.concat([rows["value"], refs["value"]]) if refs is not None else rows["value"]
    lo = min(0.5, float(values.min()) - 0.05)
    fig.update_yaxes(title_text=y_title, range=[lo, max(1.1, float(values.max()) + 0.05)])
    span = x_range or (
        int(pd.concat([rows["year"], refs["year"]] if refs is not None else [rows["year"]]).min()),
        int(pd.concat([rows["year"], refs["year"]] if refs is not None else [rows["year"]]).max()),
    )
    fig.update_xaxes(range=[span[0] - 0.5, span[1] + 0.5], dtick=5 if span[1] - span[0] > 12 else 1)
    return _legend_on_top(fig)


def dumbbell_figure(
    rows: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    footer: str,
    x_title: str,
    female_label: str,
    male_label: str,
    no_data: str,
) -> go.Figure:
    """Female vs male values per economy (name, female, male, year), sorted by the gap."""
    if rows.empty:
        return no_data_figure(title, no_data, footer)
    rows = rows.assign(gap=rows["male"] - rows["female"]).sort_values("gap")
    height = max(420, 24 * len(rows) + 200)
    fig = _base(title, subtitle, footer, height=height)
    xs, ys = [], []
    for r in rows.itertuples():
        xs += [r.female, r.male, None]
        ys += [r.name, r.name, None]
    fig.add_trace(
        go.Scatter(x=xs, y=ys, mode="lines", line={"color": "#bbbbbb", "width": 3}, hoverinfo="skip", showlegend=False)
    )
    fig.add_trace(
        go.Scatter(
            x=rows["female"],
            y=rows["name"],
            mode="markers",
            name=female_label,
            customdata=rows["year"],
            marker={"symbol": "circle", "size": 10, "color": theme.PALETTE[1]},
            hovertemplate=f"%{{y}} (%{{customdata}})<br>{female_label}: %{{x:.1f}}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=rows["male"],
            y=rows["name"],
            mode="markers",
            name=male_label,
            customdata=rows["year"],
            marker={"symbol": "diamond", "size": 10, "color": theme.PALETTE[0]},
            hovertemplate=f"%{{y}} (%{{customdata}})<br>{male_label}: %{{x:.1f}}<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=x_title, range=[0, 104])
    fig.update_yaxes(automargin=True, tickfont={"size": 12})
    return _legend_on_top(fig)
