"""Pure figure functions: frames (or lines) in, plotly figure dicts out. No Dash, no I/O, no globals.

Every figure carries its title, a subtitle (what is shown), its targets where they apply, and a footer naming the
source, vintage and licence, so an exported image stands on its own. An empty frame gives a figure that says there
is no data, in words, never an exception.

Figures are plain ``{"data": [...], "layout": {...}}`` dicts in plotly's JSON schema, not ``go.Figure`` objects:
building a graph object runs plotly.py's validators on every property, which cost ~60 ms a chart, most of an
Explore callback (bench/app_bench.py). The browser and kaleido read the dicts as they are; the tests wrap each one
in ``go.Figure`` so an invalid property still fails there, and the exports wrap them where they edit a figure.
"""

from __future__ import annotations

import math
import re
import textwrap
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd

from app import theme
from app.figure_metrics import FIGURE, SCREEN

FOOTER_WRAP = 130

#: a plotly figure as JSON-ready dicts
Figure = dict


@dataclass(frozen=True)
class TargetLine:
    """A target drawn on a chart: a horizontal line to its year (or a band) with a label."""

    label: str
    threshold: float
    year: int | None
    band: tuple[float, float] | None = None
    start_year: int | None = None


@dataclass(frozen=True)
class BasketBreak:
    """A change of price-basket definition: every line breaks between ``year - 1`` and ``year``, and a dotted vertical
    line carries ``label`` ("from 2018: Fixed broadband basket (5GB)")."""

    year: int
    label: str


@dataclass(frozen=True)
class BreakMark:
    """A group aggregate's year whose change a member's series break moves materially: a ring around the point of
    the line with ``code`` at ``year``, its hover ``text`` saying which member and by how much."""

    code: str
    year: int
    text: str


@dataclass(frozen=True)
class Line:
    """One line of a trend chart, year by year. ``values`` may hold NaN (a year without a value: not drawn, but
    the notes name it); aggregates also carry their coverage and how many members report out of how many."""

    label: str
    kind: str  # group | world | country | member
    years: tuple[int, ...]
    values: tuple[float, ...]
    legend: str = ""
    code: str = ""
    coverage: tuple[float, ...] | None = None
    n_reporting: tuple[float, ...] | None = None
    n_members: tuple[float, ...] | None = None
    n_filled: tuple[float, ...] | None = None
    filled_share: tuple[float, ...] | None = None
    source: str = ""  # a published line's publisher (indicators.published)
    #: the missing-data band of an aggregate (indicators.aggregates): its value with every member without a value
    #: like the lowest, then the highest, member with one
    band_low: tuple[float, ...] | None = None
    band_high: tuple[float, ...] | None = None
    #: an economy's series breaks (indicators.breaks: the first year of each new definition): the line is cut there
    breaks: tuple[int, ...] = ()

    def between(self, start: int, end: int) -> Line:
        """The same line for the years ``start``–``end`` only."""
        keep = [i for i, y in enumerate(self.years) if start <= y <= end]
        if len(keep) == len(self.years):
            return self
        pick = lambda seq: None if seq is None else tuple(seq[i] for i in keep)  # noqa: E731
        return replace(
            self,
            years=pick(self.years),
            values=pick(self.values),
            **{name: pick(getattr(self, name)) for name in AGGREGATE_FIELDS},
        )

    def n_without_value(self, i: int) -> int | None:
        """How many members have no value (neither reported nor gap-filled) in the line's ``i``-th year."""
        if not (self.n_members and self.n_reporting):
            return None
        n = self.n_members[i] - self.n_reporting[i] - (self.n_filled[i] if self.n_filled else 0)
        return None if _missing(n) else int(n)

    def points(self) -> list[int]:
        """Indexes of the years with a value."""
        return [i for i, v in enumerate(self.values) if not _missing(v)]


#: the per-year counts an aggregate line carries beside its values
AGGREGATE_FIELDS = ("coverage", "n_reporting", "n_members", "n_filled", "filled_share", "band_low", "band_high")
#: the fields an aggregate point's hover reads by index (``customdata[0]`` …); its band is worded in its ``text``
HOVER_FIELDS = AGGREGATE_FIELDS[:5]
LINE_COLUMNS = ["label", "legend", "kind", "code", "year", "value", *AGGREGATE_FIELDS]


def lines_to_frame(lines: Sequence[Line]) -> pd.DataFrame:
    """Rows (label, legend, kind, code, year, value and the ``AGGREGATE_FIELDS``), one per line and year."""
    columns: dict[str, list] = {c: [] for c in LINE_COLUMNS}
    nan = float("nan")
    for ln in lines:
        n = len(ln.years)
        columns["label"] += [ln.label] * n
        columns["legend"] += [ln.legend or nan] * n
        columns["kind"] += [ln.kind] * n
        columns["code"] += [ln.code] * n
        columns["year"] += list(ln.years)
        columns["value"] += list(ln.values)
        for name in AGGREGATE_FIELDS:
            seq = getattr(ln, name)
            columns[name] += list(seq) if seq is not None else [nan] * n
    frame = pd.DataFrame(columns)
    frame["year"] = frame["year"].astype("int64")
    return frame


def frame_to_lines(series: pd.DataFrame) -> list[Line]:
    """The lines of a frame with columns label, kind, year, value and optionally legend, code and the
    ``AGGREGATE_FIELDS`` (one line per label, in order of appearance, years sorted)."""
    if series is None or series.empty:
        return []
    lines = []
    for label, grp in series.groupby("label", sort=False):
        grp = grp.sort_values("year")
        legend = grp["legend"].iloc[0] if "legend" in grp else ""
        has_cov = "coverage" in grp and grp["coverage"].notna().any()

        def col(name: str, grp=grp, has_cov=has_cov):
            return tuple(float(v) for v in grp[name]) if has_cov and name in grp else None

        lines.append(
            Line(
                label=str(label),
                kind=str(grp["kind"].iloc[0]),
                years=tuple(int(y) for y in grp["year"]),
                values=tuple(float(v) for v in grp["value"]),
                legend=legend if isinstance(legend, str) else "",
                code=str(grp["code"].iloc[0]) if "code" in grp else "",
                **{name: col(name) for name in AGGREGATE_FIELDS},
            )
        )
    return lines


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _floats(values) -> list:
    """JSON-ready numbers: NaN becomes None (null)."""
    return [None if _missing(v) else float(v) for v in values]


_CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")


@lru_cache(maxsize=4096)  # textwrap is slow on a long footer, and the same footers come back
def _wrap(text: str, width: int = FOOTER_WRAP) -> str:
    # not at hyphens: "CC BY-NC-SA" must not come back as "CC BY- NC-SA" when an export re-wraps the line; never
    # inside a word: a Chinese sentence has no spaces, and "5.b.1" cut as "5.b<br>.1" came back as "5.b .1"
    if not text:
        return ""
    if _CJK.search(text):  # no spaces to break at: between wide characters, never inside a code, kinsoku kept
        return wrap_em(text, text_em("n" * width))
    return "<br>".join(textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False))


def _merge(target: dict, updates: dict) -> dict:
    """Merge ``updates`` into ``target`` recursively (plotly's ``update_layout`` semantics for dicts)."""
    for key, value in updates.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value
    return target


def _base(title: str, subtitle: str, footer: str, *, height: int = 520) -> Figure:
    footer_lines = _wrap(footer).count("<br>") + 1 if footer else 0
    subtitle = _wrap(subtitle, SUBTITLE_WRAP)
    layout = {
        "template": theme.TEMPLATE_JSON,
        "title": {
            "text": title,
            "subtitle": {"text": subtitle},
            "x": 0,
            "xanchor": "left",
            "y": 0.98,
            "yanchor": "top",
            "yref": "container",
        },
        "margin": {
            "l": FIGURE.margin_l,
            "r": FIGURE.margin_r,
            "t": FIGURE.title_px + (subtitle.count("<br>") + 1) * FIGURE.subtitle_line_px + 16,
            "b": 70 + FIGURE.footer_line_px * footer_lines,
        },
        "height": height,
        "hovermode": "closest",
        "annotations": [],
        "shapes": [],
        "xaxis": {},
        "yaxis": {},
    }
    if footer:
        layout["annotations"].append(_under_plot(_wrap(footer), "footer", -42, {"size": 11, "color": "#444"}))
    return {"data": [], "layout": layout}


def _under_plot(text: str, name: str, yshift: int, font: dict) -> dict:
    """A left-aligned text under the plot (the sources footer, the list of target keys)."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "xanchor": "left",
        "yanchor": "top",
        "yshift": yshift,
        "showarrow": False,
        "name": name,
        "align": "left",
        "font": font,
    }


def _hrect(y0: float, y1: float, colour: str) -> dict:
    """A band across the plot (plotly's ``add_hrect``)."""
    return {
        "type": "rect",
        "xref": "x domain",
        "yref": "y",
        "x0": 0,
        "x1": 1,
        "y0": y0,
        "y1": y1,
        "fillcolor": colour,
        "line": {"width": 0},
        "layer": "below",
    }


def _vline(x: float) -> dict:
    """A dotted target line from the bottom to the top of the plot (plotly's ``add_vline``)."""
    return {
        "type": "line",
        "xref": "x",
        "yref": "y domain",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": theme.TARGET_COLOUR, "dash": "dot", "width": 2},
    }


SUBTITLE_WRAP = 90
LEGEND_CHARS = 20  # longest legend name (in Latin-character units) for two columns in an exported image
LEGEND_FONT_PX = 14  # the template's font size, which legends use
LEGEND_EM = 16.0  # longest legend name in ems: one column of it fits the plot of a 390 px screen (~286 px)
LEGEND_GAP_PX = 40  # plotly's room for an entry's symbol before its text (itemwidth 30 + 2 × itemGap 5)
MODEBAR_PX = 28  # plotly's toolbar, top right
RANKING_LABEL_PX = 15  # one row of target keys above a ranking chart
RANKING_KEY_GAP = 0.08  # two target lines closer than this share of a ranking's x range: their keys in two rows
RANKING_X_PAD = 1.15  # a ranking's x axis runs past its longest bar, for the value printed beside it


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def text_em(text: str) -> float:
    """An upper estimate of ``text``'s width in ems: a wide (CJK) character is 1 em, any other 0.6 em (Noto Sans
    averages 0.57 em over mixed Latin text)."""
    return sum(1.0 if _is_wide(ch) else 0.6 for ch in text)


def _short(name: str, limit: float = LEGEND_EM) -> str:
    """A legend name cut to ``limit`` ems (one legend column must fit a phone; the hover has it in full)."""
    if text_em(name) <= limit:
        return name
    while name and text_em(name) > limit - 0.6:
        name = name[:-1]
    return name.rstrip() + "…"


def legend_entry_px(names: Sequence[str], font_px: float = LEGEND_FONT_PX) -> int:
    """The width (px) every legend entry's text gets: the widest name's. Plotly puts as many entries of that width
    on a row as the plot holds, so a phone gets one or two columns and a desktop several, each row below the last."""
    return math.ceil(max((text_em(n) for n in names), default=1.0) * font_px) + 4


def _in_legend(trace: dict) -> bool:
    return trace.get("showlegend") is not False and bool(trace.get("name"))


def _legend_on_top(fig: Figure) -> Figure:
    """Place the legend under the title in two columns (one when a name is longer than ``LEGEND_CHARS``, so
    entries never overprint on a phone) and make room for it (pixel maths on the fixed height)."""
    names = [tr["name"] for tr in fig["data"] if _in_legend(tr)]
    columns = 2 if all(text_em(n) <= LEGEND_CHARS * 0.6 for n in names) else 1
    rows = max(1, -(-len(names) // columns))
    layout = fig["layout"]
    height = layout.get("height") or 520
    layout["legend"] = {
        "orientation": "h",
        "yref": "container",
        "y": 1 - FIGURE.title_px / height,
        "yanchor": "top",
        "x": 0,
        "xanchor": "left",
        "entrywidthmode": "fraction",
        "entrywidth": 1 / columns,
    }
    layout["margin"]["t"] = FIGURE.title_px + rows * FIGURE.legend_row_px + 14
    return fig


PHONE_PLOT_PX = 390 - 2 * 16 - SCREEN.margin_l - SCREEN.margin_r  # a 390 px phone's plot: page padding, margins off
Y_TITLE_PX = 28  # what a y axis title adds to the left margin on screen (measured: 78 px against 56 on a phone)
AXIS_TITLE_EM = 13.0  # an x axis title's line on screen: it fits a phone's plot, beside the dumbbells' member labels
LEGEND_FREE_PX = 120  # legend rows a screen figure holds in its own height; more rows make the figure taller


def phone_legend_rows(names: Sequence[str], *, y_title: bool = False) -> int:
    """How many rows the legend of ``names`` takes on a 390 px phone (entries ``legend_entry_px`` wide); a y axis
    title narrows the plot further (automargin pushes the left margin past ``SCREEN.margin_l``)."""
    if not names:
        return 0
    plot_px = PHONE_PLOT_PX - (Y_TITLE_PX if y_title else 0)
    per_row = max(1, plot_px // (legend_entry_px(names) + LEGEND_GAP_PX))
    return -(-len(names) // per_row)


def target_keys(fig: Figure) -> tuple[str, ...]:
    """The key of each target drawn ("① Connect 2020 1.2 (WLD, 2020)"), as the figure lists them under the plot."""
    for a in fig["layout"].get("annotations", []):
        if a.get("name") == "target_keys":
            return tuple(a["text"].split("<br>"))
    return ()


def screen_version(fig: Figure) -> tuple[Figure, str, str]:
    """(figure, title, subtitle) for a web page: the title, subtitle, footer and the list of target keys move out
    of the image into HTML, which wraps on narrow screens; exports keep them burned in (the figure functions' own
    output). The legend's entries get the width of the longest name, so plotly fits as many on a row as the screen
    holds and reserves the rows' height above the plot; the axes make room for their titles (automargin); a map
    takes the full width, its colour bar under it."""
    layout = dict(fig["layout"])  # shallow: the keys changed below get new values, the rest is shared read-only
    data = fig["data"]
    title_block = layout.get("title") or {}
    title = title_block.get("text") or ""
    subtitle = ((title_block.get("subtitle") or {}).get("text") or "").replace("<br>", " ")
    off = ("footer", "target_keys")
    annotations = [a for a in layout.get("annotations", []) if a.get("name") not in off]
    layout["annotations"] = annotations
    names = [tr["name"] for tr in data if _in_legend(tr)]
    legend = layout.get("legend") or {}
    has_legend = bool(names) and layout.get("showlegend") is not False and legend.get("yref") == "container"
    y_title = bool(((layout.get("yaxis") or {}).get("title") or {}).get("text"))
    rows = phone_legend_rows(names, y_title=y_title) if has_legend else 0
    above = [a for a in annotations if a.get("yref") == "paper" and a.get("y") is not None and a["y"] >= 1]
    labels_px = max(
        ((a.get("yshift") or 0) + RANKING_LABEL_PX + 4 for a in above if a.get("yanchor") == "bottom"), default=0
    )
    height = layout.get("height")
    if height and height <= 700:  # tall ranking and dumbbell charts keep their height
        height -= 60
    legend_px = rows * SCREEN.legend_row_px
    if height and legend_px > LEGEND_FREE_PX:  # a long legend on a phone must not squash the plot
        height += legend_px - LEGEND_FREE_PX
    top = 16 + labels_px + (MODEBAR_PX + SCREEN.legend_row_px if has_legend else 0)
    layout["title"] = {**title_block, "text": "", "subtitle": {"text": ""}}
    margin = {**(layout.get("margin") or {}), "t": top, "b": 48, "l": SCREEN.margin_l, "r": SCREEN.margin_r}
    layout["margin"] = margin
    layout["height"] = height
    for axis in ("xaxis", "yaxis"):
        if axis in layout:
            layout[axis] = {**layout[axis], "automargin": True}
    x_title = (layout.get("xaxis") or {}).get("title") or {}
    if x_title.get("text"):
        layout["xaxis"]["title"] = {**x_title, "text": wrap_em(x_title["text"], AXIS_TITLE_EM)}
    if has_legend:  # under the strip where plotly shows its toolbar (always, on touch screens); plotly reserves
        # the legend's rows above the plot
        layout["legend"] = {
            **legend,
            "y": 1 - MODEBAR_PX / (height or 450),
            "yanchor": "top",
            "entrywidthmode": "pixels",
            "entrywidth": legend_entry_px(names),
            "maxheight": legend_px + SCREEN.legend_row_px,
        }
    if "geo" in layout:
        margin.update(l=0, r=0, t=16, b=8)
        data = [_colorbar_below(tr) for tr in data]
    return {"data": data, "layout": layout}, title, subtitle


def _colorbar_below(trace: dict) -> dict:
    """A choropleth's colour bar laid flat under the map, so the map takes the screen's full width."""
    if "colorbar" not in trace:
        return trace
    bar = trace["colorbar"]
    return {
        **trace,
        "colorbar": {
            **bar,
            "orientation": "h",
            "x": 0.5,
            "xanchor": "center",
            "y": 0,
            "yanchor": "top",
            "len": 0.9,
            "thickness": 10,
            "title": {**bar.get("title", {}), "side": "top"},
        },
    }


def no_data_figure(title: str, message: str, footer: str = "") -> Figure:
    """A figure that says in words that there is nothing to draw."""
    fig = _base(title, "", footer, height=360)
    fig["layout"]["annotations"].append(
        {
            "text": message,
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
            "showarrow": False,
            "font": {"size": 16, "color": "#333"},
        }
    )
    _merge(fig["layout"], {"xaxis": {"visible": False}, "yaxis": {"visible": False}})
    return fig


#: the keys that mark target diamonds; the full names are listed under the plot
TARGET_KEYS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
KEY_GAP = 0.07  # two diamonds of one year closer than this share of the y range: their keys go to opposite sides
DIAMOND_PX = 10


def target_key(i: int) -> str:
    """The key of the ``i``-th target: ①, ②, … and (21), (22), … after ⑳."""
    return TARGET_KEYS[i] if i < len(TARGET_KEYS) else f"({i + 1})"


def key_sides(points: Sequence[tuple[float, float]], span: float, gap: float = KEY_GAP) -> list[str]:
    """The side ("left" or "right") of each target diamond's key, for diamonds at (year, threshold): left of its
    diamond (a diamond at the last year sits at the plot's right edge), unless a diamond of the same year within
    ``gap`` of the y range (``span``) already has its key there; keys of diamonds apart never meet."""
    near = gap * (span or 1.0)
    sides = [""] * len(points)
    for i in sorted(range(len(points)), key=lambda k: (points[k][0], points[k][1])):
        x, y = points[i]
        taken = {
            sides[j] for j in range(len(points)) if sides[j] and points[j][0] == x and abs(points[j][1] - y) < near
        }
        sides[i] = "right" if "left" in taken and "right" not in taken else "left"
    return sides


def _target_traces(fig: Figure, targets: Sequence[TargetLine], x0: int, span: float = 100.0) -> None:
    """Each target as a dotted grey line from ``x0`` (or its start year) to its year, ending in a diamond marked with
    a key (①, ②, …) beside it; the keys' full names are listed under the plot (an annotation named
    ``target_keys``, one line each, above the footer; the page shows them as an HTML list instead), so no label runs
    off a phone's screen or over another. The hover on a target gives its name. A band target also shades its
    band."""
    layout = fig["layout"]
    points = [(float(tl.year or x0), tl.threshold) for tl in targets]
    sides = key_sides(points, span)
    for i, (tl, side) in enumerate(zip(targets, sides, strict=True)):
        if tl.band:
            layout["shapes"].append(_hrect(tl.band[0], tl.band[1], theme.PARITY_BAND_COLOUR))
        end = tl.year or x0
        start = tl.start_year or x0
        fig["data"].append(
            {
                "type": "scatter",
                "x": [start, end],
                "y": [tl.threshold, tl.threshold],
                "mode": "lines+markers",
                "name": tl.label,
                "line": {"color": theme.TARGET_COLOUR, "dash": "dot", "width": 2},
                "marker": {"symbol": ["line-ns", "diamond"], "size": [1, DIAMOND_PX], "color": theme.TARGET_COLOUR},
                "cliponaxis": False,
                "hovertemplate": f"{target_key(i)} {tl.label}<extra></extra>",
                "meta": {"kind": "target", "key": target_key(i)},
                "showlegend": False,
            }
        )
        layout["annotations"].append(
            {
                "x": end,
                "y": tl.threshold,
                "xref": "x",
                "yref": "y",
                "text": target_key(i),
                "showarrow": False,
                "xanchor": "right" if side == "left" else "left",
                "xshift": -DIAMOND_PX / 2 - 2 if side == "left" else DIAMOND_PX / 2 + 2,
                "yanchor": "middle",
                "name": "target_key",
                "font": {"size": 13, "color": theme.TARGET_COLOUR},
                "bgcolor": "rgba(255,255,255,0.85)",
                "borderpad": 0,
            }
        )
    if targets:
        _key_list(fig, [tl.label for tl in targets])


def _key_list(fig: Figure, labels: Sequence[str], *, x_title: bool = False) -> None:
    """The targets' names by their keys ("① Connect 2020 1.2 (WLD, 2020)"), one a line under the plot (under the x
    axis title where there is one) and above the footer, which moves down to make room."""
    layout = fig["layout"]
    keys = [f"{target_key(i)} {label}" for i, label in enumerate(labels)]
    font = {"size": 12, "color": theme.TARGET_COLOUR}
    layout["annotations"].append(_under_plot("<br>".join(keys), "target_keys", -70 if x_title else -42, font))
    room = FIGURE.key_line_px * len(keys) + 6 + (28 if x_title else 0)
    for a in layout["annotations"]:
        if a.get("name") == "footer":
            a["yshift"] = (a.get("yshift") or 0) - room
    layout["margin"]["b"] += room


def key_rows(positions: Sequence[float], span: float, gap: float = RANKING_KEY_GAP) -> list[int]:
    """The row (0 the lowest) of each key over a ranking's target lines at ``positions``: the lowest row where no
    key within ``gap`` of the x range (``span``) sits already."""
    placed: list[tuple[float, int]] = []
    rows = []
    for x in positions:
        taken = {row for x2, row in placed if abs(x2 - x) < gap * (span or 1.0)}
        row = next(r for r in range(len(positions) + 1) if r not in taken)
        placed.append((x, row))
        rows.append(row)
    return rows


def _line_style(kind: str, colour, last: str = "#333", source: str = "") -> dict:
    """Plotly line and marker settings of a line ``kind``; ``colour`` yields the next palette colour, ``last`` is
    the colour of this line's group (a group's line and each publisher's estimate for it share one)."""
    if kind == "group":
        return {
            "line": {"color": last, "width": 3},
            "mode": "lines+markers",
            "marker": {"symbol": "circle", "size": 6},
        }
    if kind == "published":
        symbol = {"itu_key_ict": "diamond-open", "un_sdg": "square-open", "worldbank": "x-thin-open"}.get(
            source, "circle-open"
        )
        return {
            "line": {"color": last, "width": 1.5, "dash": "dot"},
            "mode": "lines+markers",
            "marker": {"symbol": symbol, "size": 7, "line": {"width": 1.5, "color": last}},
        }
    if kind == "member":
        return {"line": {"color": theme.MEMBER_COLOUR, "width": 1}, "mode": "lines", "showlegend": False}
    if kind == "world":
        return {
            "line": {"color": theme.WORLD_COLOUR, "width": 3, "dash": "dash"},
            "mode": "lines+markers",
            "marker": {"symbol": "square", "size": 6},
        }
    if kind == "focus":  # the economy a country profile is about: the strongest line on its chart
        return {
            "line": {"color": theme.FOCUS_COLOUR, "width": 4.5},
            "mode": "lines+markers",
            "marker": {"symbol": "circle", "size": 9},
        }
    if kind == "country":
        return {
            "line": {"color": next(colour, "#333"), "width": 2.5, "dash": "dashdot"},
            "mode": "lines+markers",
            "marker": {"symbol": "triangle-up", "size": 7},
        }
    return {
        "line": {"color": next(colour, "#333"), "width": 3},
        "mode": "lines+markers",
        "marker": {"symbol": "circle", "size": 6},
    }


def _estimated(ln: Line, i: int, low_coverage: float | None, filled_mark: float | None) -> bool:
    """Whether an aggregate point is drawn open: low coverage, or too much of it gap-filled."""
    cov = ln.coverage[i] if ln.coverage else None
    low = low_coverage is not None and not _missing(cov) and cov < low_coverage
    share = ln.filled_share[i] if ln.filled_share else None
    filled = filled_mark is not None and not _missing(share) and share >= filled_mark
    return not _missing(ln.values[i]) and (low or filled)


def _break_at(trace: dict, years: Sequence[int]) -> None:
    """Insert a gap (x = year − 0.5, y = null) wherever a trace runs across one of ``years``; the per-point lists
    (customdata, text, marker symbols and sizes) get a matching entry."""
    xs, ys = list(trace["x"]), list(trace["y"])
    marker = trace.get("marker", {})
    per_point = {  # name → (list, what the gap gets)
        "customdata": (trace.get("customdata"), lambda v: [None] * len(v)),
        "text": (trace.get("text"), lambda v: ""),
        "symbol": (marker.get("symbol"), lambda v: v),
        "size": (marker.get("size"), lambda v: v),
    }
    per_point = {k: (v, gap) for k, (v, gap) in per_point.items() if isinstance(v, list)}
    out_x, out_y = [], []
    out = {k: [] for k in per_point}
    for i, x in enumerate(xs):
        if i and any(xs[i - 1] < y <= x for y in years):
            out_x.append(x - 0.5)
            out_y.append(None)
            for k, (v, gap) in per_point.items():
                out[k].append(gap(v[i]))
        out_x.append(x)
        out_y.append(ys[i])
        for k, (v, _gap) in per_point.items():
            out[k].append(v[i])
    trace.update(x=out_x, y=out_y)
    for k, values in out.items():
        (trace if k in ("customdata", "text") else trace["marker"])[k] = values


BASKET_EM = 16.0  # a basket label's line length in ems: short lines fit beside the break on a phone


#: punctuation a line may not end with (opening) or start with (closing), as Chinese typesetting rules have it
OPENING = ("（", "(", "“", "「", "『", "《", "【")
CLOSING = tuple("，。、；：！？）)”」』》】")


def wrap_em(text: str, limit: float) -> str:
    """``text`` in lines of at most ``limit`` ems (``text_em``), joined by <br>: broken at spaces, or between two
    wide (CJK) characters; a word longer than a line keeps its own line."""
    tokens = re.findall(r"[^\s\u2e80-\u9fff\uff00-\uffef]+|[\u2e80-\u9fff\uff00-\uffef]|\s+", text)
    for i in range(len(tokens) - 2, -1, -1):  # an opening bracket stays with what follows it
        if tokens[i] in OPENING:
            tokens[i : i + 2] = [tokens[i] + tokens[i + 1]]
    for i in range(len(tokens) - 1, 0, -1):  # closing punctuation stays with what precedes it (kinsoku)
        if tokens[i][:1] in CLOSING and not tokens[i - 1].isspace():
            tokens[i - 1 : i + 1] = [tokens[i - 1] + tokens[i]]
    lines, line = [], ""
    for token in tokens:
        if token.isspace():
            line += " " if line else ""
            continue
        if line and text_em(line + token) > limit:
            lines.append(line.rstrip())
            line = ""
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return "<br>".join(lines)


def _basket_marks(fig: Figure, breaks: Sequence[BasketBreak], x_range: tuple[float, float]) -> None:
    """A dotted vertical line half a year before each new basket, labelled at the top of the plot: on the side of
    the line with more room (its label wrapped in short lines), so it stays inside a phone's chart."""
    layout = fig["layout"]
    middle = (x_range[0] + x_range[1]) / 2
    for i, b in enumerate(breaks):
        layout["shapes"].append(
            {**_vline(b.year - 0.5), "line": {"color": theme.BASKET_COLOUR, "dash": "dot", "width": 1}}
        )
        layout["annotations"].append(
            {
                "x": b.year - 0.5,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "yshift": -30 * i,
                "text": wrap_em(b.label, BASKET_EM),
                "showarrow": False,
                "xanchor": "left" if b.year - 0.5 <= middle else "right",
                "yanchor": "top",
                "align": "left" if b.year - 0.5 <= middle else "right",
                "name": "basket",
                "font": {"size": 11, "color": theme.BASKET_COLOUR},
                "bgcolor": "rgba(255,255,255,0.8)",
            }
        )


X_PAD = 0.6  # years either side of a trend chart's first and last year (room for the markers and diamonds)
Y_FOCUS_PAD = 1.15


def y_focus(drawn: Sequence[tuple[Line, list[int]]], since: int, targets: Sequence[TargetLine] = ()) -> float | None:
    """The top of a y axis that shows the values of ``drawn`` (lines and the indexes drawn) from ``since`` on and the
    targets, with room above them; None when no value is drawn from ``since`` on."""
    recent = [ln.values[i] for ln, keep in drawn for i in keep if ln.years[i] >= since and not _missing(ln.values[i])]
    if not recent:
        return None
    return max([*recent, *(tl.threshold for tl in targets)]) * Y_FOCUS_PAD


def runs_off_top(fig: Figure) -> bool:
    """Whether a line of ``fig`` has a value above the top of its fixed y range (``y_focus``)."""
    top = (fig["layout"].get("yaxis") or {}).get("range", [None, None])[1]
    if top is None:
        return False
    return any(
        y is not None and y > top
        for tr in fig["data"]
        if (tr.get("meta") or {}).get("kind") != "target"
        for y in tr.get("y") or ()
    )


def _band_texts(ln: Line, keep: Sequence[int], band_text: Callable[[float, float, int], str]) -> list[str] | None:
    """Each drawn point's band sentence for its hover ("<br>…"; "" where every member has a value or there is no
    band), or None when no point of ``ln`` has one."""
    if ln.band_low is None or ln.band_high is None:
        return None
    texts = []
    for i in keep:
        low, high, n = ln.band_low[i], ln.band_high[i], ln.n_without_value(i)
        open_band = not (_missing(low) or _missing(high) or _missing(ln.values[i])) and n and high > low
        texts.append(f"<br>{band_text(low, high, n)}" if open_band else "")
    return texts if any(texts) else None


BREAK_RING_PX = 17


def _break_rings(fig: Figure, drawn, marks: Sequence[BreakMark], colour_of) -> None:
    """A ring around each marked point of a group's line (one trace per line, outside the legend; the hover says
    which member's break moves the aggregate and by how much)."""
    for ln, _keep in drawn:
        if ln.kind not in ("group", "world"):
            continue
        mine = [m for m in marks if m.code == (ln.code or ln.label) and m.year in ln.years]
        mine = [m for m in mine if not _missing(ln.values[ln.years.index(m.year)])]
        if not mine:
            continue
        fig["data"].append(
            {
                "type": "scatter",
                "x": [m.year for m in mine],
                "y": [float(ln.values[ln.years.index(m.year)]) for m in mine],
                "mode": "markers",
                "marker": {
                    "symbol": "circle-open",
                    "size": BREAK_RING_PX,
                    "color": colour_of(ln),
                    "line": {"width": 2, "color": colour_of(ln)},
                },
                "text": [m.text for m in mine],
                "hovertemplate": f"<b>{ln.label}</b><br>%{{text}}<extra></extra>",
                "name": _short(ln.legend or ln.label),
                "meta": {"kind": "break"},
                "showlegend": False,
            }
        )


def trend_figure(series: pd.DataFrame | Sequence[Line], **kwargs) -> Figure:
    """Lines over years. ``series`` is a list of ``Line`` or a frame with columns label, kind
    (group|world|country|member), year, value, optionally legend (a short name), and for aggregates coverage,
    n_reporting, n_members (see ``trend_figure_lines`` for the keyword arguments)."""
    lines = frame_to_lines(series) if isinstance(series, pd.DataFrame) else list(series)
    return trend_figure_lines(lines, **kwargs)


def trend_figure_lines(
    lines: Sequence[Line],
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
    filled_label: str = "",
    filled_mark: float | None = None,
    breaks: Sequence[BasketBreak] = (),
    y_focus_from: int | None = None,
    band_text: Callable[[float, float, int], str] | None = None,
    break_marks: Sequence[BreakMark] = (),
) -> Figure:
    """Groups are coloured solid lines, the world a black dashed line, countries dash-dotted, members faint;
    targets dotted grey lines ending in a labelled diamond at their year. A year without an aggregate breaks its
    line. Aggregate points whose coverage is below ``low_coverage``, or whose gap-filled members hold at least
    ``filled_mark`` of the group's population, get open markers; the hover gives both. At each of ``breaks`` (a new
    price basket) every line breaks and a labelled dotted vertical line marks the year: two basket definitions are
    never joined as one line. With ``y_focus_from`` (a year) the y axis ends just over the values drawn from that
    year on and the targets (``y_focus``): earlier, far higher values run off its top (a price chart's early LDC
    medians would squash its 2% and 5% targets onto the axis). ``band_text(low, high, n)`` words an aggregate
    point's missing-data band for its hover, where ``n`` members have no value; each of ``break_marks`` rings a group's
    point whose change a member's series break moves, with its words on hover."""
    drawn = [(ln, ln.points()) for ln in lines]
    drawn = [(ln, keep) for ln, keep in drawn if keep]
    if not drawn:
        return no_data_figure(title, no_data, footer)
    fig = _base(title, subtitle, footer)
    colours = theme.Colours()
    for ln, _keep in drawn:  # groups first, so a country never takes a group's own colour
        if ln.kind in ("group", "world", "published"):
            colours.of(ln.code or ln.label, world=ln.kind == "world")

    def colour_of(ln: Line) -> str:
        """One colour per group (its own, ``theme.GROUP_COLOURS``), the world's black: its line and every
        publisher's estimate for it share it, even where our own aggregate has no point to draw."""
        return colours.of(ln.code or ln.label, world=ln.kind == "world")

    colour = (colours.of(f"country:{i}") for i in range(10_000))

    years: set[int] = set()
    top = -math.inf
    for ln, keep in drawn:
        own = colour_of(ln) if ln.kind in ("group", "world", "published") else "#333"
        style = _line_style(ln.kind, colour, own, ln.source)
        if ln.kind in ("group", "world", "published"):  # every year from first to last point: a gap breaks the line
            keep = list(range(keep[0], keep[-1] + 1))
        xs = [ln.years[i] for i in keep]
        ys = _floats(ln.values[i] for i in keep)
        years.update(x for x, y in zip(xs, ys, strict=True) if y is not None)
        top = max(top, *(y for y in ys if y is not None))
        has_cov = ln.coverage is not None and any(not _missing(ln.coverage[i]) for i in keep)
        trace = {"type": "scatter", "x": xs, "y": ys, "connectgaps": False}
        if has_cov:
            per_year = [getattr(ln, name) or (None,) * len(ln.years) for name in HOVER_FIELDS]
            trace["customdata"] = [_floats(seq[i] for seq in per_year) for i in keep]
        if has_cov and "marker" in style and (low_coverage is not None or filled_mark is not None):
            marked = [_estimated(ln, i, low_coverage, filled_mark) for i in keep]
            symbol = style["marker"]["symbol"]
            style["marker"] = {
                **style["marker"],
                "symbol": [f"{symbol}-open" if is_marked else symbol for is_marked in marked],
                "size": [9 if is_marked else style["marker"]["size"] for is_marked in marked],
            }
        hover = f"<b>{ln.label}</b><br>%{{x}}: %{{y:,.1f}}"
        if has_cov:
            hover += f"<br>{coverage_label}: %{{customdata[0]:.0%}} (%{{customdata[1]}}/%{{customdata[2]}})"
            if filled_label:
                hover += f"<br>{filled_label}: %{{customdata[3]}} (%{{customdata[4]:.0%}})"
        if has_cov and band_text is not None and (texts := _band_texts(ln, keep, band_text)):
            trace["text"] = texts
            hover += "%{text}"
        trace.update(
            name=_short(ln.legend or ln.label),
            hovertemplate=hover + "<extra></extra>",
            meta={"kind": ln.kind},
            **style,
        )
        cut = [*(b.year for b in breaks), *ln.breaks]
        if cut:
            _break_at(trace, cut)
        fig["data"].append(trace)
    _break_rings(fig, drawn, break_marks, colour_of)
    x0 = min(years)
    last = max([*years, *(tl.year for tl in targets if tl.year)])
    # a fixed range: plotly would otherwise widen the axis until every label at a year fits beside it
    x_range = (x0 - X_PAD, last + X_PAD)
    _basket_marks(fig, [b for b in breaks if min(years) < b.year <= max(years)], x_range)
    top = max([top, *(tl.threshold for tl in targets)])
    yaxis = fig["layout"]["yaxis"]
    if percent:
        top = max(100.0, top) * 1.04
        yaxis["range"] = [0, top]
    elif y_focus_from is not None and (focus := y_focus(drawn, y_focus_from, targets)) is not None and focus < top:
        top = focus
        yaxis["range"] = [0, top]
    _target_traces(fig, targets, x0, span=top)
    fig["layout"]["xaxis"]["range"] = list(x_range)
    yaxis.update(title={"text": y_title}, rangemode="tozero")
    fig["layout"]["xaxis"]["dtick"] = 5 if len(years) > 12 else 1
    return _legend_on_top(fig)


def map_figure(
    values: pd.DataFrame | dict[str, Sequence],
    *,
    title: str,
    subtitle: str,
    footer: str,
    colorbar_title: str,
    highlight: Sequence[str] = (),
    no_data: str = "No data for this year.",
    zmax: float | None = None,
    centre: float | None = None,
    no_data_label: str = "",
    other_label: str = "",
) -> Figure:
    """Choropleth of ``values`` (iso3, name, value: a frame, or a dict of those three lists) for one year; when
    ``highlight`` is given only those economies are coloured and the rest are drawn grey. Shapes come from the
    app's local topojson (no CDN). With ``centre`` (a price threshold) the scale diverges around it: blue at or
    under, orange over, saturating at 4 × the threshold (the hover gives the value). A key under the map names its
    two greys: ``other_label`` (a value, but not in the chosen groups: mid grey) and ``no_data_label`` (no value:
    the pale land colour)."""
    columns = values if isinstance(values, dict) else {c: values[c].tolist() for c in ("iso3", "name", "value")}
    codes, names, vals = (list(columns[c]) for c in ("iso3", "name", "value"))
    keep = [i for i, v in enumerate(vals) if not _missing(v)]
    if not keep:
        return no_data_figure(title, no_data, footer)
    focus = set(highlight)
    shown = [i for i in keep if codes[i] in focus] if highlight else keep
    others = [i for i in keep if codes[i] not in focus] if highlight else []
    fig = _base(title, subtitle, footer, height=560)
    if others:
        fig["data"].append(
            {
                "type": "choropleth",
                "locations": [codes[i] for i in others],
                "z": [0] * len(others),
                "locationmode": "ISO-3",
                "showscale": False,
                "colorscale": [[0, theme.NO_DATA_COLOUR], [1, theme.NO_DATA_COLOUR]],
                "text": [names[i] for i in others],
                "hovertemplate": "%{text}<extra></extra>",
                "marker": {"line": {"color": "white", "width": 0.4}},
                "name": "other",
            }
        )
    z = [float(vals[i]) for i in shown]
    scale = {"colorscale": theme.SEQUENTIAL, "zmin": 0, "zmax": zmax or (max(z) if z else 1)}
    if centre is not None:
        # the threshold sits at 1/4 of the scale, where theme.DIVERGING turns from blue to orange (zmid would be
        # ignored with zmin and zmax both set)
        scale = {"colorscale": theme.DIVERGING, "zmin": 0, "zmax": 4 * centre}
    fig["data"].append(
        {
            "type": "choropleth",
            "locations": [codes[i] for i in shown],
            "z": z,
            "locationmode": "ISO-3",
            **scale,
            "text": [names[i] for i in shown],
            "colorbar": {"title": {"text": colorbar_title}, "thickness": 12, "len": 0.8},
            "hovertemplate": "%{text}: %{z:,.1f}<extra></extra>",
            "marker": {"line": {"color": "#222" if highlight else "white", "width": 0.8 if highlight else 0.4}},
            "name": "value",
        }
    )
    fig["layout"]["geo"] = {
        "resolution": 50,
        "showframe": False,
        "showcoastlines": False,
        "projection": {"type": "natural earth"},
        "showland": True,
        "landcolor": theme.MAP_LAND_COLOUR,
        "showcountries": False,
        "lataxis": {"range": [-58, 85]},
    }
    keys = [(theme.NO_DATA_COLOUR, other_label if others else ""), (theme.MAP_LAND_COLOUR, no_data_label)]
    text = "   ".join(f"<span style='color:{c}'>■</span> {label}" for c, label in keys if label)
    if text:
        fig["layout"]["annotations"].append(
            {
                "x": 0,
                "y": 0,
                "xref": "paper",
                "yref": "paper",
                "text": text,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "name": "no_data",
                "font": {"size": 11, "color": "#333"},
            }
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
) -> Figure:
    """Horizontal bars of ``values`` (name, value, label) sorted, highest on top, with target lines."""
    rows = values.dropna(subset=["value"]) if len(values) else values
    if rows.empty:
        return no_data_figure(title, no_data, footer)
    rows = rows.sort_values("value")
    height = max(420, 22 * len(rows) + 200)
    fig = _base(title, subtitle, footer, height=height)
    xs = [float(v) for v in rows["value"]]
    fig["data"].append(
        {
            "type": "bar",
            "x": xs,
            "y": [str(n) for n in rows["name"]],
            "orientation": "h",
            "marker": {"color": theme.PALETTE[0]},
            "text": [f"{v:,.1f}" for v in xs],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}: %{x:,.1f}<extra></extra>",
            "name": "value",
        }
    )
    layout = fig["layout"]
    xmax = max([max(xs), *(tl.threshold for tl in targets)])
    ordered = sorted(targets, key=lambda tl: tl.threshold)
    rows_of = key_rows([tl.threshold for tl in ordered], xmax)
    for i, (tl, row) in enumerate(zip(ordered, rows_of, strict=True)):
        layout["shapes"].append(_vline(tl.threshold))
        layout["annotations"].append(  # its key over the line: close lines' keys in rows above each other
            {
                "x": tl.threshold,
                "y": 1,
                "yref": "paper",
                "yshift": RANKING_LABEL_PX * row,
                "text": target_key(i),
                "showarrow": False,
                "xanchor": "center",
                "yanchor": "bottom",
                "name": "target_key",
                "font": {"size": 13, "color": theme.TARGET_COLOUR},
            }
        )
    if targets:
        layout["margin"]["t"] += RANKING_LABEL_PX * (max(rows_of) + 1)
        _key_list(fig, [tl.label for tl in ordered], x_title=bool(x_title))
    # room for the values printed beside the longest bars
    layout["xaxis"]["range"] = [0, xmax * RANKING_X_PAD]
    layout["xaxis"].update(title={"text": x_title})
    layout["yaxis"].update(automargin=True, tickfont={"size": 12})
    return fig


#: how each witness of a group's parity score is drawn: our aggregate solid, publishers' estimates dashed or dotted
WITNESS_STYLES = {
    "ours": {"dash": "solid", "symbol": "circle"},
    "itu_key_ict": {"dash": "dash", "symbol": "diamond-open"},
    "un_sdg": {"dash": "dot", "symbol": "square-open"},
    "worldbank": {"dash": "dashdot", "symbol": "x"},
}


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
    x_range: tuple[int, int] | None = None,
) -> Figure:
    """Parity score (female ÷ male) over years per label, the parity band shaded and the deadline marked.

    ``series`` has columns label, year, value and optionally legend (a short name), kind (world|group|country),
    group (lines of one group share a colour) and source (``ours`` or a publisher key: see ``WITNESS_STYLES``), so
    our aggregate and each publisher's estimate for the same group are told apart by line and marker."""
    rows = series.dropna(subset=["value"]) if len(series) else series
    if rows.empty:
        return no_data_figure(title, no_data, footer)
    fig = _base(title, subtitle, footer)
    layout = fig["layout"]
    layout["shapes"].append(_hrect(band[0], band[1], theme.PARITY_BAND_COLOUR))
    fig["data"].append(
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "name": band_label,
            "hoverinfo": "skip",
            "marker": {"symbol": "square", "size": 14, "color": theme.PARITY_BAND_COLOUR},
        }
    )
    colours = theme.Colours()
    for label, grp in rows.groupby("label", sort=False):
        grp = grp.sort_values("year")
        kind = str(grp["kind"].iloc[0]) if "kind" in grp else "group"
        key = str(grp["group"].iloc[0]) if "group" in grp else str(label)
        colour = colours.of(key, world=kind == "world")
        style = WITNESS_STYLES.get(str(grp["source"].iloc[0]) if "source" in grp else "ours", WITNESS_STYLES["ours"])
        legend = grp["legend"].iloc[0] if "legend" in grp and isinstance(grp["legend"].iloc[0], str) else str(label)
        years = [int(y) for y in grp["year"]]
        xs = list(range(years[0], years[-1] + 1))  # a year without a score breaks the line
        by_year = dict(zip(years, _floats(grp["value"]), strict=True))
        fig["data"].append(
            {
                "type": "scatter",
                "x": xs,
                "y": [by_year.get(x) for x in xs],
                "connectgaps": False,
                "name": _short(legend),
                "mode": "lines+markers",
                "line": {"color": colour, "dash": style["dash"], "width": 3 if style["dash"] == "solid" else 2},
                "marker": {"symbol": style["symbol"], "size": 8, "color": colour, "line": {"width": 2}},
                "hovertemplate": f"<b>{label}</b><br>%{{x}}: %{{y:.2f}}<extra></extra>",
                "meta": {"kind": kind},
            }
        )
    span = x_range or (int(rows["year"].min()), int(rows["year"].max()))
    if deadline:
        layout["shapes"].append(_vline(deadline))
        # on the side of the line with more room, so a phone's narrow chart still holds it
        right = deadline - span[0] >= span[1] - deadline
        layout["annotations"].append(
            {
                "x": deadline,
                "y": 1,
                "yref": "paper",
                "text": deadline_label,
                "showarrow": False,
                "xanchor": "right" if right else "left",
                "yanchor": "top",
                "name": "deadline",
                "font": {"size": 11, "color": theme.TARGET_COLOUR},
                "bgcolor": "rgba(255,255,255,0.8)",
            }
        )
    values = rows["value"]
    lo = min(0.5, float(values.min()) - 0.05)
    layout["yaxis"].update(title={"text": y_title}, range=[lo, max(1.1, float(values.max()) + 0.05)])
    layout["xaxis"].update(range=[span[0] - 0.5, span[1] + 0.5], dtick=5 if span[1] - span[0] > 12 else 1)
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
) -> Figure:
    """Female vs male values per economy (name, female, male, year), sorted by the gap; ``name`` is the row's label
    as given (the Gender page writes each member's year into it: "Niger (2017)")."""
    if rows.empty:
        return no_data_figure(title, no_data, footer)
    rows = rows.assign(gap=(rows["male"] - rows["female"]).abs()).sort_values("gap")
    height = max(420, 24 * len(rows) + 200)
    fig = _base(title, subtitle, footer, height=height)
    names = [str(n) for n in rows["name"]]
    female, male, years = _floats(rows["female"]), _floats(rows["male"]), [int(y) for y in rows["year"]]
    xs, ys = [], []
    for name, f, m in zip(names, female, male, strict=True):
        xs += [f, m, None]
        ys += [name, name, None]
    fig["data"] += [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "line": {"color": "#bbbbbb", "width": 3},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "x": female,
            "y": names,
            "mode": "markers",
            "name": female_label,
            "customdata": years,
            # open and larger, so a man's marker at the same value shows inside it
            "marker": {"symbol": "circle-open", "size": 14, "color": theme.PALETTE[1], "line": {"width": 3}},
            "hovertemplate": f"%{{y}}<br>{female_label}: %{{x:.1f}}<extra></extra>",
        },
        {
            "type": "scatter",
            "x": male,
            "y": names,
            "mode": "markers",
            "name": male_label,
            "customdata": years,
            "marker": {"symbol": "diamond", "size": 8, "color": theme.PALETTE[0]},
            "hovertemplate": f"%{{y}}<br>{male_label}: %{{x:.1f}}<extra></extra>",
        },
    ]
    fig["layout"]["xaxis"].update(title={"text": x_title}, range=[0, 104])
    fig["layout"]["yaxis"].update(automargin=True, tickfont={"size": 12})
    return _legend_on_top(fig)
