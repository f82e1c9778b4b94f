"""From a parsed view to the frames and figures a page shows. Pure functions of (AppData, view, translator):
no Dash callbacks here, so pages stay thin and this is unit-tested without a browser."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache

import pandas as pd

from app import figures
from app.chart_model import ChartModel
from app.components import basket_text, source_text
from app.data import AppData
from app.figures import Line, TargetLine, frame_to_lines, lines_to_frame
from app.i18n import basket_name, format_date, format_month, format_number, lookup
from app.state import CountryView, ExploreView, GenderView, to_query
from indicators import published
from indicators.aggregates import DEFAULT_RULE, MATERIAL_BREAK_EFFECT, break_effects, failed_rules
from indicators.breaks import select as select_breaks
from indicators.gender import ParityAnswer, parity_answer
from indicators.targets import Target


def group_label(data: AppData, group: str, lang: str) -> str:
    return data.groups.label(group, lang)


def indicator_title(data: AppData, indicator: str, lang: str) -> str:
    return data.registry[indicator].title_in(lang)


def unit_label(data: AppData, indicator: str, lang: str) -> str:
    ind = data.registry[indicator]
    return ind.unit_label.get(lang) or ind.unit_label.get("en", ind.unit)


def axis_label(data: AppData, indicator: str, lang: str) -> str:
    """The unit as an axis or colour-bar title (short enough for a phone; the hover and notes keep the full one)."""
    return data.registry[indicator].axis_label_in(lang)


def year_range(data: AppData, start: int, end: int | None) -> tuple[int, int]:
    return start, end if end is not None else data.last_year


def sex_label(sex: str, t) -> str:
    return t(f"sex.{sex}")


# ---- Explore ----------------------------------------------------------------------------------------------------


def legend_label(group: str, world: str, lang: str = "en") -> str:
    """A group's short legend name ("LDCs", "Upper-middle income"; ``world`` for the world), never its code; the full
    name is in the hover and the subtitle. A custom group (a list of codes) keeps its codes."""
    from app.i18n import lookup

    return world if group == "WLD" else lookup(lang, f"group_short.{group}", group)


@lru_cache(maxsize=4096)
def group_line(data: AppData, indicator: str, group: str, sex: str, lang: str, world: str = "World") -> Line:
    """Every year of a group's aggregate as a line (years below the coverage rule have NaN values)."""
    agg = data.group_aggregate(indicator, group, sex)
    return Line(
        label=group_label(data, group, lang),
        kind="world" if group == "WLD" else "group",
        years=tuple(int(y) for y in agg["year"]),
        values=tuple(float(v) for v in agg["value"]),
        legend=legend_label(group, world, lang),
        code=group,
        coverage=tuple(float(v) for v in agg["coverage"]),
        n_reporting=tuple(float(v) for v in agg["n_reporting"]),
        n_members=tuple(float(v) for v in agg["n_members"]),
        n_filled=tuple(float(v) for v in agg["n_filled"]),
        filled_share=tuple(float(v) for v in agg["filled_share"]),
        band_low=tuple(float(v) for v in agg["band_low"]) if "band_low" in agg else None,
        band_high=tuple(float(v) for v in agg["band_high"]) if "band_high" in agg else None,
    )


def economy_break_notes(data: AppData, lines, indicator: str, sex: str, t) -> list[str]:
    """In words, where an economy's line is cut at a series break the publisher records: whose, which year, what
    kind (a change of definition, method or source, or values a release withdrew)."""
    items = []
    for ln in lines:
        if ln.kind not in ("country", "member") or not ln.breaks:
            continue
        shown = [y for y in ln.breaks if ln.years and ln.years[0] < y <= ln.years[-1]]
        rows = select_breaks(data.breaks, indicator, sex, [ln.code])
        for year in shown:
            kind = str(rows.loc[rows["year"] == year, "kind"].iloc[0])
            items.append(
                t("explore.economy_break_item", name=ln.label, year=year, kind=t(f"explore.economy_break_{kind}"))
            )
    return [t("explore.economy_break_note", items=t("app.list_sep").join(items))] if items else []


@lru_cache(maxsize=8192)
def country_line(data: AppData, indicator: str, iso3: str, sex: str, lang: str, kind: str = "country") -> Line:
    """Every observation of one economy as a line (``kind`` country, or member when drawn faint)."""
    years, values = data.country_series(indicator, iso3, sex)
    cut = tuple(sorted({int(y) for y in select_breaks(data.breaks, indicator, sex, [iso3])["year"]}))
    return Line(label=data.country_name(iso3, lang), kind=kind, years=years, values=values, code=iso3, breaks=cut)


@lru_cache(maxsize=4096)
def published_lines(data: AppData, indicator: str, group: str, sex: str, lang: str, world: str = "World") -> tuple:
    """Each publisher's own estimate for ``group`` as a line of kind ``published`` (drawn beside our aggregate in its
    colour, never mixed into it), ITU first."""
    from app.i18n import translator

    t = translator(lang)
    rows = data.published_rows(indicator, group, sex)
    out = []
    for source in published.PUBLISHERS:
        mine = rows[rows["source"] == source]
        if mine.empty:
            continue
        edition = str(mine["edition"].max())
        mine = mine[mine["edition"] == edition].sort_values("year")
        panel = _longest_panel(mine)
        if panel:  # ITU's price medians: one line per panel would repeat years; draw its longest fixed panel
            mine = mine[mine["panel"] == panel]
        their = str(mine["group"].iloc[0])
        name = publisher_label(source, edition, t, their if their != group else "", data, panel=panel)
        label = f"{group_label(data, group, lang)} · {name}"
        legend = f"{legend_label(group, world, lang)} · {PUBLISHER_TAGS.get(source, source)}"
        if not data.registry[indicator].is_price:
            parts = [(mine, label, legend)]
        else:  # a median is drawn only beside ours on the same basket, one line per basket, each named
            mine = _same_basket(data, indicator, mine)
            parts = [
                (rows, f"{label} · {basket_name(b, lang)}", f"{legend} {basket_tag(basket_name(b, lang))}")
                for b, rows in mine.groupby("basket", sort=False)
            ]
        out += [
            Line(
                label=text,
                kind="published",
                years=tuple(int(y) for y in rows["year"]),
                values=tuple(float(v) for v in rows["value"]),
                legend=short,
                code=group,
                source=source,
            )
            for rows, text, short in parts
            if len(rows)
        ]
    return tuple(out)


def publisher_baskets(data: AppData, indicator: str, rows: pd.DataFrame) -> pd.Series:
    """The basket each of a publisher's price medians prices: its own (the workbook's BasketHistory, in the
    snapshot's ``basket`` column), else (a snapshot built before that column) the basket of the workbook's own
    economy rows of that year in ours, else "" (unknown: never drawn)."""
    own = rows["basket"] if "basket" in rows else pd.Series("", index=rows.index)
    tidy = data.tidy
    book = tidy[(tidy["indicator"] == indicator) & (tidy["source"] == "itu_price_baskets") & (tidy["basket"] != "")]
    by_year = book.drop_duplicates("year").set_index("year")["basket"]
    return own.where(own.fillna("") != "", rows["year"].map(by_year)).fillna("")


def _same_basket(data: AppData, indicator: str, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (a publisher's price medians) with their ``basket``, only the years whose basket is the one our
    median prices that year (ITU's 2023 data-only median is of its 2 GB basket, ours of the DataHub's 5 GB)."""
    ours = {y: b for b, first, last in data.basket_periods(indicator) for y in range(first, last + 1)}
    rows = rows.assign(basket=publisher_baskets(data, indicator, rows))
    return rows[[b != "" and ours.get(int(y)) == b for y, b in zip(rows["year"], rows["basket"], strict=True)]]


def unmatched_basket_years(data: AppData, indicator: str, groups) -> list[tuple[str, int, str, str]]:
    """(group, year, their basket, our basket) of the publishers' price medians not drawn: another basket than
    ours that year."""
    if not data.registry[indicator].is_price:
        return []
    ours = {y: b for b, first, last in data.basket_periods(indicator) for y in range(first, last + 1)}
    out = []
    for g in groups:
        rows = data.published_rows(indicator, g, "total")
        if rows.empty:
            continue
        rows = rows.assign(basket=publisher_baskets(data, indicator, rows))
        for (year, basket), _ in rows.groupby(["year", "basket"]):
            if ours.get(int(year)) and ours[int(year)] != basket:
                out.append((g, int(year), basket, ours[int(year)]))
    return out


def basket_mismatch_notes(data: AppData, view, t, start: int, end: int) -> list[str]:
    """In words, the publishers' medians left out of a price chart because they price another basket than ours."""
    found: dict[tuple[str, str], dict[str, list[int]]] = {}
    for g, year, theirs, ours in unmatched_basket_years(data, view.indicator, view.groups):
        if start <= year <= end:
            found.setdefault((theirs, ours), {}).setdefault(g, []).append(year)
    notes = []
    for (theirs, ours), by_group in found.items():
        years = sorted({y for ys in by_group.values() for y in ys})
        notes.append(
            t(
                "price.basket_mismatch",
                groups=t("app.list_sep").join(group_label(data, g, t.lang) for g in by_group),
                years=_ranges(years, t("app.list_sep")),
                theirs=basket_name(theirs, t.lang) if theirs else t("price.basket_unknown"),
                ours=basket_name(ours, t.lang),
            )
        )
    return notes


def basket_tag(basket: str) -> str:
    """A basket's short tag for a legend: its data allowance ('2GB', '1.5GB'), else its words in brackets."""
    if m := re.search(r"\d+(?:[.,]\d+)?\s?[GM]B", basket):
        return m.group(0).replace(" ", "")
    if m := re.search(r"[(（]([^()（）]+)[)）]\s*$", basket):
        return m.group(1)
    return ""


def _longest_panel(rows: pd.DataFrame) -> str:
    """The fixed panel (``2008-2023``) spanning the most years among ``rows``' panels; "" when rows have none."""
    panels = [p for p in rows["panel"].unique() if p] if "panel" in rows else []
    if not panels:
        return ""
    span = lambda p: int(p.split("-")[-1]) - int(p.split("-")[0])  # noqa: E731
    return max(panels, key=lambda p: (span(p), p))


def basket_breaks(data: AppData, indicator: str, t) -> list[figures.BasketBreak]:
    """Each change of basket definition of a price indicator, labelled 'from 2018: Fixed broadband basket (5GB)'."""
    periods = data.basket_periods(indicator)
    return [
        figures.BasketBreak(first, t("price.basket_from", year=first, basket=basket_name(b, t.lang)))
        for b, first, _ in periods[1:]
    ]


def price_notes(data: AppData, indicator: str, t, start: int, end: int, panels: bool) -> list[str]:
    """What a reader of a price chart would otherwise misread: the basket history, the median, ITU's panels."""
    if not data.registry[indicator].is_price:
        return []
    notes = [t("price.median_note")]
    if basket := basket_text(data, indicator, t, (start, end)):
        notes.append(basket)
    if panels:
        notes.append(t("price.panel_note"))
    return notes


def explore_lines(data: AppData, view: ExploreView, lang: str, t_world: str = "World") -> list[Line]:
    """The lines of the Explore chart: the groups, each followed by the publishers' own estimates for it, the
    countries and, on request, the members of the first group that is not the world, for the view's years."""
    start, end = explore_years(data, view)
    lines = []
    for g in view.groups:
        lines.append(group_line(data, view.indicator, g, view.sex, lang, t_world))
        lines += published_lines(data, view.indicator, g, view.sex, lang, t_world)
    lines += [country_line(data, view.indicator, c, view.sex, lang) for c in view.countries]
    base = next((g for g in view.groups if g != "WLD"), None) if view.members else None
    if base:
        members = sorted(data.members(base, end))
        lines += [country_line(data, view.indicator, c, view.sex, lang, "member") for c in members]
    lines = [ln.between(start, end) for ln in lines]
    return [ln for ln in lines if ln.years]


def _as_lines(series: pd.DataFrame | Sequence[Line]) -> list[Line]:
    return frame_to_lines(series) if isinstance(series, pd.DataFrame) else list(series)


def target_label(target: Target, lang: str, t) -> str:
    """The target's short name (its title up to the colon, ASCII or full-width) with its group and year."""
    short = re.split("[:：]", target.title_in(lang), maxsplit=1)[0]
    return t("target.short", title=short, group=target.group, year=target.target_year)


def applicable_targets(data: AppData, indicator: str, sex: str, groups) -> list[Target]:
    """Value targets on this indicator for one of the shown groups (parity targets live on the Gender page)."""
    shown = set(groups)
    return [
        tg
        for tg in data.targets
        if tg.indicator == indicator
        and tg.metric == "value"
        and tg.sex == sex
        and (tg.group in shown or (tg.group_from_2022 or "") in shown)
    ]


def target_lines(targets, lang: str, t, start: int) -> list[TargetLine]:
    return [
        TargetLine(target_label(tg, lang, t), float(tg.threshold), tg.target_year, start_year=start) for tg in targets
    ]


def missing_notes(series: pd.DataFrame | Sequence[Line], t, lang: str, key: str = "explore.no_aggregate") -> list[str]:
    """In words: the years a group has no aggregate because too few members report (``key``: the catalogue text of
    the population rule; ``price.no_median`` for a price, whose coverage is a share of members). The years that fail
    the members rule (fewer than half the members, or fewer than ``DEFAULT_RULE.min_reporting``, report) get their
    own note, with how many report out of how many in the latest of them."""
    notes = []
    for ln in _as_lines(series):
        if ln.kind not in ("group", "world"):
            continue
        missing = [i for i, v in enumerate(ln.values) if math.isnan(v)]
        if not missing:
            continue
        few = [i for i in missing if _too_few_members(ln, i)] if key == "explore.no_aggregate" else []
        missing = [i for i in missing if i not in few]
        if missing:
            years = _ranges(sorted(ln.years[i] for i in missing), t("app.list_sep"))
            shares = [ln.coverage[i] for i in missing if ln.coverage and not math.isnan(ln.coverage[i])]
            best = max(shares, default=float("nan"))
            notes.append(t(key, group=ln.label, years=years, best=format_number(100 * best, lang, 0)))
        if few:
            last = max(few, key=lambda i: ln.years[i])
            notes.append(
                t(
                    "explore.no_aggregate_members",
                    group=ln.label,
                    years=_ranges(sorted(ln.years[i] for i in few), t("app.list_sep")),
                    year=ln.years[last],
                    n=int(ln.n_reporting[last]),
                    members=int(ln.n_members[last]),
                    least=DEFAULT_RULE.min_reporting,
                )
            )
    return notes


def _too_few_members(ln: Line, i: int) -> bool:
    """Whether the line's ``i``-th year fails the members rule (``indicators.aggregates.failed_rules``)."""
    if not (ln.n_reporting and ln.n_members) or math.isnan(ln.n_reporting[i]) or math.isnan(ln.n_members[i]):
        return False
    row = {"n_reporting": ln.n_reporting[i], "n_members": ln.n_members[i], "coverage": 1.0}
    return bool(set(failed_rules(row)) & {"members_share", "min_reporting"})


#: aggregates drawn with less than this coverage are flagged as low (open markers and a note): the rule plus 10 points
LOW_COVERAGE = DEFAULT_RULE.min_coverage + 0.10
#: aggregates whose gap-filled members hold at least this share of the group's population are drawn open, noted
FILLED_MARK = 0.05


def _flagged(series, field: str, flag) -> list[tuple[Line, list[int]]]:
    """(line, indexes) of every group or world line with years that have a value and whose ``field`` (coverage,
    filled_share) satisfies ``flag``."""
    out = []
    for ln in _as_lines(series):
        per_year = getattr(ln, field)
        if ln.kind not in ("group", "world") or not per_year:
            continue
        hits = [
            i
            for i, (v, f) in enumerate(zip(ln.values, per_year, strict=True))
            if not math.isnan(v) and not math.isnan(f) and flag(f)
        ]
        if hits:
            out.append((ln, hits))
    return out


def low_coverage_notes(
    series: pd.DataFrame | Sequence[Line], t, lang: str, threshold: float = LOW_COVERAGE
) -> list[str]:
    """In words: the years a group's aggregate is drawn although members reporting hold less than ``threshold``
    of its population (it passed the coverage rule, but not by much)."""
    notes = []
    for ln, low in _flagged(series, "coverage", lambda c: c < threshold):
        shares = [ln.coverage[i] for i in low]
        lo, hi = (format_number(100 * v, lang, 0) for v in (min(shares), max(shares)))
        notes.append(
            t(
                "explore.low_coverage",
                group=ln.label,
                years=_ranges(sorted(ln.years[i] for i in low), t("app.list_sep")),
                share=t("explore.share", value=lo) if lo == hi else t("explore.share_range", low=lo, high=hi),
                rule=format_number(100 * DEFAULT_RULE.min_coverage, lang, 0),
            )
        )
    return notes


def filled_notes(series: pd.DataFrame | Sequence[Line], t, lang: str, threshold: float = FILLED_MARK) -> list[str]:
    """In words: the years a group's aggregate rests on gap-filled members holding at least ``threshold`` of its
    population (interpolated or carried values, drawn as open markers)."""
    notes = []
    for ln, marked in _flagged(series, "filled_share", lambda f: f >= threshold):
        worst = max(marked, key=lambda i: ln.filled_share[i])
        notes.append(
            t(
                "explore.filled",
                group=ln.label,
                years=_ranges(sorted(ln.years[i] for i in marked), t("app.list_sep")),
                share=format_number(100 * ln.filled_share[worst], lang, 0),
                year=ln.years[worst],
                n=int(ln.n_filled[worst]) if ln.n_filled else 0,
            )
        )
    return notes


def _ranges(years: list[int], sep: str = ", ") -> str:
    """``2005–2007, 2010``: runs of consecutive years, joined by ``sep``."""
    out, start, prev = [], None, None
    for y in years:
        if start is None:
            start = prev = y
        elif y == prev + 1:
            prev = y
        else:
            out.append(f"{start}–{prev}" if start != prev else str(start))
            start = prev = y
    if start is not None:
        out.append(f"{start}–{prev}" if start != prev else str(start))
    return sep.join(out)


def trend_summary(
    series: pd.DataFrame | Sequence[Line], data: AppData, view: ExploreView, targets, t, lang: str
) -> str:
    """One sentence: the latest year with values, each group's value, and every target drawn."""
    title = indicator_title(data, view.indicator, lang)
    points = [
        (ln.label, y, v)
        for ln in _as_lines(series)
        if ln.kind in ("group", "world", "country", "focus", "published")
        for y, v in zip(ln.years, ln.values, strict=True)
        if not math.isnan(v)
    ]
    if not points:
        return t("summary.none", indicator=title)
    year = max(y for _label, y, _v in points)
    items = [t("summary.item", label=label, value=format_number(v, lang)) for label, y, v in points if y == year]
    text = t(
        "summary.trend",
        indicator=title,
        year=year,
        unit=unit_label(data, view.indicator, lang),
        items=t("source.separator").join(items),
    )
    if targets:
        shown = [
            t("summary.target", target=target_label(tg, lang, t), threshold=format_number(tg.threshold, lang, 0))
            for tg in targets
        ]
        text += t("summary.join") + t("summary.targets", items=t("source.separator").join(shown))
    return text


#: a price chart's y axis fits the medians from this year on (earlier LDC medians reach 180% of GNI p.c.)
PRICE_FOCUS_FROM = 2015


def indicator_trend(
    data: AppData,
    indicator: str,
    lines: Sequence[Line],
    t,
    *,
    title: str,
    subtitle: str,
    footer: str,
    targets: Sequence[Target],
    start: int,
    low_coverage: float | None = LOW_COVERAGE,
    break_marks: Sequence[figures.BreakMark] = (),
) -> figures.Figure:
    """The trend figure of ``lines`` on ``indicator``: its unit, targets and texts in the translator's language. A
    price's coverage is a share of members (no open markers, no gap filling); its basket changes break the lines.
    Each aggregate point's hover gives its missing-data band (``band_text``); ``break_marks`` ring the points a
    member's series break moves."""
    price = data.registry[indicator].is_price
    marks = (
        {}
        if price
        else {
            "low_coverage": low_coverage,
            "filled_label": t("figure.filled"),
            "filled_mark": FILLED_MARK if low_coverage is not None else None,
        }
    )
    return figures.trend_figure_lines(
        lines,
        title=title,
        subtitle=subtitle,
        y_title=axis_label(data, indicator, t.lang),
        footer=footer,
        targets=target_lines(targets, t.lang, t, start),
        no_data=t("figure.no_data"),
        coverage_label=t("price.members_reporting" if price else "figure.coverage"),
        percent=data.registry[indicator].unit == "percent",
        breaks=basket_breaks(data, indicator, t),
        y_focus_from=PRICE_FOCUS_FROM if price else None,
        band_text=band_text(t),
        break_marks=break_marks,
        **marks,
    )


def band_text(t):
    """``(low, high, n) -> str``: an aggregate point's missing-data band in words, in the translator's language."""
    lang = t.lang

    def words(low: float, high: float, n: int) -> str:
        key = "figure.band_one" if n == 1 else "figure.band_many"
        return t(key, low=format_number(low, lang), high=format_number(high, lang), n=n)

    return words


def explore_years(data: AppData, view: ExploreView) -> tuple[int, int]:
    """The Explore view's (start, end): without a ``to`` year, the end is the latest year in which one of the chosen
    groups has an aggregate, ours or a publisher's (or a chosen country a value), not the latest year any economy
    reported."""
    if view.end is not None:
        return view.start, view.end
    return view.start, _default_end(data, view.indicator, view.sex, view.groups, view.countries)


@lru_cache(maxsize=1024)
def _default_end(data: AppData, indicator: str, sex: str, groups: tuple, countries: tuple) -> int:
    years = [
        int(y)
        for g in groups
        for y, v in zip(*_aggregate_points(data, indicator, g, sex), strict=True)
        if not math.isnan(v)
    ]
    years += [y for c in countries for y in data.country_series(indicator, c, sex)[0][-1:]]
    # the publishers' own group estimates are aggregates too (women's Internet use: ITU's, to 2024, where ours has none)
    years += [int(y) for g in groups for y in data.published_rows(indicator, g, sex)["year"]]
    return max(years, default=data.last_year)


def _aggregate_points(data: AppData, indicator: str, group: str, sex: str) -> tuple[list, list]:
    agg = data.group_aggregate(indicator, group, sex)
    return list(agg["year"]), [float(v) for v in agg["value"]]


#: the kinds of break (the breaks table's ``kind``) worded in the catalogue (``explore.change_<kind>``; else ``other``)
BREAK_KINDS = ("definition", "method", "source")


def break_rows(data: AppData, indicator: str, group: str, sex: str) -> pd.DataFrame:
    """The material effects (``indicators.aggregates.break_effects``, at least ``MATERIAL_BREAK_EFFECT`` points) of
    its members' series breaks on a group's aggregate, in years where it has one, with the break's ``kind``; none
    when the snapshot has no breaks table (``data.breaks``)."""
    return _break_rows(data, indicator, group, sex)


@lru_cache(maxsize=1024)
def _break_rows(data: AppData, indicator: str, group: str, sex: str) -> pd.DataFrame:
    breaks = data.breaks
    empty = pd.DataFrame(columns=["year", "iso3", "step", "share", "effect", "kind"])
    if breaks is None or len(breaks) == 0 or group not in data.groups.ids():
        return empty
    own = breaks[(breaks["indicator"] == indicator) & breaks["sex"].isin([sex, "*"])]
    if own.empty:
        return empty
    years, values = _aggregate_points(data, indicator, group, sex)
    shown = {y for y, v in zip(years, values, strict=True) if not math.isnan(v)}
    members = {y: data.members(group, y) for y in years}
    effects = break_effects(data.tidy, indicator, members, own, sex=sex)
    effects = effects[effects["year"].isin(shown) & (effects["effect"].abs() >= MATERIAL_BREAK_EFFECT)]
    if effects.empty:
        return empty
    kind = [""] * len(effects)
    if "kind" in own:
        kinds = own.drop_duplicates(["iso3", "year"]).set_index(["iso3", "year"])["kind"]
        kind = [str(kinds.get((c, y), "")) for c, y in zip(effects["iso3"], effects["year"], strict=True)]
    return effects.assign(kind=kind).reset_index(drop=True)


def break_notes(data: AppData, lines: Sequence[Line], sex: str, indicator: str, t) -> tuple[list, list[str]]:
    """(marks, notes): a ring on each group point whose change a member's break moves materially, and one sentence
    for each ("2023: China's change of definition moves this aggregate by about +14.6 points")."""
    lang = t.lang
    marks, notes = [], []
    for ln in lines:
        if ln.kind not in ("group", "world"):
            continue
        rows = break_rows(data, indicator, ln.code, sex)
        rows = rows[rows["year"].isin(ln.years)]
        for year, part in rows.groupby("year", sort=True):
            words = []
            for r in part.sort_values("effect", key=abs, ascending=False).itertuples():
                change = t(f"explore.change_{r.kind if r.kind in BREAK_KINDS else 'other'}")
                effect = format_number(r.effect, lang, 1)
                words.append(
                    t(
                        "explore.break_effect",
                        year=int(year),
                        country=data.country_name(r.iso3, lang),
                        change=change,
                        effect=("+" if r.effect > 0 else "") + effect,
                    )
                )
            marks.append(figures.BreakMark(ln.code, int(year), "<br>".join(words)))
            notes += [t("explore.break_note", group=ln.label, text=w) for w in words]
    return marks, notes


#: the Explore tab that shows each Explore chart
CHART_TAB = {"explore": "chart", "map": "map", "ranking": "ranking"}


def addresses(chart: str, view, iso3: str | None = None) -> dict[str, str]:
    """{page, query}: the page that shows ``chart`` for ``view`` and the query that rebuilds it (every field
    written, so defaults cannot drift later; a country chart's query names its economy)."""
    if chart in CHART_TAB:
        tab = "table" if chart == "explore" and view.tab == "table" else CHART_TAB[chart]
        view = replace(view, tab=tab)
        path = "/explore"
    elif chart.startswith("gender"):
        path = "/gender"
    else:
        path = f"/country/{iso3}"
    q = to_query(view)
    return {"page": f"{path}?{q}", "query": f"iso3={iso3}&{q}" if iso3 else q}


def _stem(view: ExploreView) -> str:
    return f"{view.indicator.replace('_', '-')}_{'-'.join(view.groups)}"


def explore_trend(data: AppData, view: ExploreView, t) -> ChartModel:
    """The Explore chart: the groups' (and countries') lines over time, with the targets; ``rows`` are the lines as a
    frame (``figures.lines_to_frame``) and ``extra["lines"]`` the lines themselves."""
    lang = t.lang
    start, end = explore_years(data, view)
    lines = explore_lines(data, view, lang, t("legend.world"))
    targets = applicable_targets(data, view.indicator, view.sex, view.groups)
    title = indicator_title(data, view.indicator, lang)
    subtitle = t(
        "explore.subtitle",
        groups=t("app.list_sep").join(
            [group_label(data, g, lang) for g in view.groups] + [data.country_name(c, lang) for c in view.countries]
        ),
        sex=sex_label(view.sex, t),
        start=start,
        end=end,
    )
    drawn = sorted({ln.source for ln in lines if ln.kind == "published"})
    footer = source_text(
        data, [view.indicator], t, sex=view.sex, years=(start, end), published_sources=drawn, groups=view.groups
    )
    marks, moved = break_notes(data, lines, view.sex, view.indicator, t)
    fig = indicator_trend(
        data,
        view.indicator,
        lines,
        t,
        title=title,
        subtitle=subtitle,
        footer=footer,
        targets=targets,
        start=start,
        break_marks=marks,
    )
    summary = trend_summary(lines, data, view, targets, t, lang)
    if data.registry[view.indicator].is_price:  # coverage is a share of members, not of people: worded apart
        notes = missing_notes(lines, t, lang, key="price.no_median")
    else:
        notes = missing_notes(lines, t, lang) + low_coverage_notes(lines, t, lang) + filled_notes(lines, t, lang)
    notes += moved
    notes += economy_break_notes(data, lines, view.indicator, view.sex, t)
    if drawn:
        names = t("app.list_sep").join(t(f"published.short.{source}") for source in drawn)
        notes.append(t("explore.published_note", publishers=names))
    notes += price_notes(data, view.indicator, t, start, end, panels="itu_price_baskets" in drawn)
    notes += basket_mismatch_notes(data, view, t, start, end)
    if figures.runs_off_top(fig):
        notes.append(t("price.focus_note", year=PRICE_FOCUS_FROM))
    return ChartModel.of(
        "explore",
        fig,
        summary=summary,
        footer=footer,
        notes=tuple(notes),
        indicators=(view.indicator,),
        rows=lines_to_frame(lines),
        filename=_stem(view),
        extra={"lines": tuple(lines), "published": tuple(drawn)},
        **addresses("explore", view),
    )


def latest_year_with_data(data: AppData, indicator: str, sex: str, codes=None) -> int | None:
    """The latest year in which at least half as many economies report as in the best-reported year."""
    return _latest_year(data, indicator, sex, None if codes is None else tuple(sorted(codes)))


@lru_cache(maxsize=1024)
def _latest_year(data: AppData, indicator: str, sex: str, codes: tuple[str, ...] | None) -> int | None:
    rows = data.tidy[(data.tidy["indicator"] == indicator) & (data.tidy["sex"] == sex)]
    if codes is not None:
        rows = rows[rows["iso3"].isin(list(codes))]
    if rows.empty:
        return None
    counts = rows.groupby("year")["iso3"].nunique()
    enough = counts[counts >= max(1, int(0.5 * counts.max()))]
    return int(enough.index.max())


def focus_codes(data: AppData, view, year: int) -> list[str]:
    """Members of the shown groups other than the world, plus the chosen countries (empty: everyone)."""
    codes = set(view.countries)
    for g in view.groups:
        if g != "WLD":
            codes |= set(data.members(g, year))
    return sorted(codes)


def map_codes(data: AppData, view, year: int) -> list[str]:
    """The economies the map colours: the members of every chosen group, the world included (with World chosen,
    every economy: none is "not in the chosen groups"), plus the chosen countries; empty means everyone."""
    return [] if "WLD" in view.groups else focus_codes(data, view, year)


def year_values(data: AppData, indicator: str, sex: str, year: int, codes=None, lang: str = "en") -> pd.DataFrame:
    """(iso3, name in ``lang``, value) of every economy with a value in ``year`` (or of ``codes`` only); a new frame
    the caller may change."""
    rows = _year_frame(data, indicator, sex, int(year), lang)
    return rows[rows["iso3"].isin(list(codes))].reset_index(drop=True) if codes else rows.copy()


@lru_cache(maxsize=512)
def _year_lists(data: AppData, indicator: str, sex: str, year: int, lang: str) -> dict[str, tuple]:
    """``year_values`` for every economy as {iso3, name, value} tuples, shared read-only (the map draws them)."""
    iso3, values = data.year_slice(indicator, sex, year)
    return {"iso3": iso3, "name": tuple(data.country_name(c, lang) for c in iso3), "value": values}


def _year_frame(data: AppData, indicator: str, sex: str, year: int, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {k: list(v) for k, v in _year_lists(data, indicator, sex, year, lang).items()},
        columns=["iso3", "name", "value"],
    )


MAP_COLUMNS = ["iso3", "name", "year", "value", "highlighted"]


def explore_map(data: AppData, view: ExploreView, t) -> ChartModel:
    """The Explore map: every economy's value in the view's year (the latest with enough data by default), the
    chosen groups' members drawn, the others grey; ``rows`` say which are highlighted."""
    lang = t.lang
    year = view.year or latest_year_with_data(data, view.indicator, view.sex)
    title = indicator_title(data, view.indicator, lang)
    footer = source_text(data, [view.indicator], t, aggregated=False, sex=view.sex, years=(year or 0, year or 0))
    model = {
        "footer": footer,
        "notes": (t("map.small_islands"),),
        "indicators": (view.indicator,),
        "filename": f"{_stem(view)}_map_{year}",
        "year": year,
        **addresses("map", view),
    }
    if year is None:
        no_data = figures.no_data_figure(title, t("figure.no_data"), footer)
        return ChartModel.of(
            "map", no_data, summary=t("summary.none", indicator=title), rows=pd.DataFrame(columns=MAP_COLUMNS), **model
        )
    codes = map_codes(data, view, year)
    values = _year_lists(data, view.indicator, view.sex, int(year), lang)
    ind = data.registry[view.indicator]
    fig = figures.map_figure(
        values,
        title=title,
        subtitle=t(
            "map.subtitle",
            year=year,
            sex=sex_label(view.sex, t),
            focus=t("app.list_sep").join(group_label(data, g, lang) for g in view.groups),
        ),
        footer=footer,
        colorbar_title=axis_label(data, view.indicator, lang),
        highlight=codes,
        no_data=t("map.no_data", year=year),
        zmax=100 if ind.unit == "percent" else None,
        centre=data.affordable_share if ind.unit == "percent_gni" else None,
        no_data_label=t("price.map_no_data") if ind.is_price else t("map.key_no_data"),
        other_label=t("map.key_other"),
    )
    focus = set(codes)
    shown = sum(1 for c in values["iso3"] if c in focus) if codes else len(values["iso3"])
    summary = t("map.summary", year=year, n=shown, indicator=title)
    rows = year_values(data, view.indicator, view.sex, year, lang=lang)
    rows = rows.assign(year=year, highlighted=rows["iso3"].isin(focus) if codes else True)[MAP_COLUMNS]
    return ChartModel.of("map", fig, summary=summary, rows=rows.sort_values("iso3").reset_index(drop=True), **model)


def explore_ranking(data: AppData, view: ExploreView, t) -> ChartModel:
    """The Explore ranking: the chosen groups' members (everyone for the world) by value in one year; ``rows`` in
    the chart's order, highest first."""
    lang = t.lang
    probe = focus_codes(data, view, view.year or data.last_year)
    year = view.year or latest_year_with_data(data, view.indicator, view.sex, probe or None)
    title = indicator_title(data, view.indicator, lang)
    footer = source_text(data, [view.indicator], t, aggregated=False, sex=view.sex, years=(year or 0, year or 0))
    model = {
        "footer": footer,
        "indicators": (view.indicator,),
        "filename": f"{_stem(view)}_ranking_{year}",
        "year": year,
        **addresses("ranking", view),
    }
    if year is None:
        no_data = figures.no_data_figure(title, t("figure.no_data"), footer)
        return ChartModel.of("ranking", no_data, summary=t("summary.none", indicator=title), **model)
    codes = focus_codes(data, view, year)
    values = year_values(data, view.indicator, view.sex, year, codes or None, lang)
    targets = applicable_targets(data, view.indicator, view.sex, view.groups)
    lines = target_lines(targets, lang, t, year)
    if data.registry[view.indicator].unit == "percent_gni" and not any(
        tl.threshold == data.affordable_share for tl in lines
    ):  # every economy is read against the 2% line, whichever groups are chosen
        lines.append(figures.TargetLine(t("price.reference", value=data.affordable_share), data.affordable_share, None))
    fig = figures.ranking_figure(
        values,
        title=title,
        subtitle=t("ranking.subtitle", year=year, sex=sex_label(view.sex, t)),
        footer=footer,
        x_title=axis_label(data, view.indicator, lang),
        targets=lines,
        no_data=t("map.no_data", year=year),
    )
    if values.empty:
        summary = t("map.no_data", year=year)
    else:
        top, bottom = values.loc[values["value"].idxmax()], values.loc[values["value"].idxmin()]
        summary = t(
            "ranking.summary",
            year=year,
            n=len(values),
            top=top["name"],
            top_value=format_number(top["value"], lang),
            bottom=bottom["name"],
            bottom_value=format_number(bottom["value"], lang),
        )
    rows = values.sort_values("value", ascending=False).reset_index(drop=True)
    return ChartModel.of("ranking", fig, summary=summary, rows=rows, **model)


# ---- Affordability -----------------------------------------------------------------------------------------------

#: the groups and baskets of the affordability tiles and tables
AFFORDABILITY_GROUPS = ("WLD", "LMY", "LDC", "LLDC", "SIDS")
AFFORDABILITY_INDICATORS = ("fixed_broadband_price_gni", "mobile_broadband_price_gni")


@lru_cache(maxsize=64)
def affordability_rows(data: AppData, groups: tuple[str, ...] = AFFORDABILITY_GROUPS) -> pd.DataFrame:
    """Per group and broadband basket, in the latest year with a median: the median (% of monthly GNI p.c.), its
    members reporting, and the shares of members and of people at or under the 2% threshold."""
    from indicators.affordability import under_threshold

    out = []
    for ind in AFFORDABILITY_INDICATORS:
        for g in groups:
            agg = data.group_aggregate(ind, g).dropna(subset=["value"])
            if agg.empty:
                continue
            last = agg.loc[agg["year"].idxmax()]
            year = int(last["year"])
            under = under_threshold(
                data.tidy, ind, {year: data.members(g, year)}, group=g, threshold=data.affordable_share
            )
            share = under.iloc[0] if len(under) else None
            out.append(
                {
                    "group": g,
                    "indicator": ind,
                    "year": year,
                    "median": float(last["value"]),
                    "n_reporting": int(last["n_reporting"]),
                    "n_members": int(last["n_members"]),
                    "members_under": float(share["members_under"]) if share is not None else float("nan"),
                    "people_under": float(share["people_under"]) if share is not None else float("nan"),
                    "basket": str(share["basket"]) if share is not None else "",
                }
            )
    return pd.DataFrame(out)


def basket_history_rows(data: AppData, t) -> pd.DataFrame:
    """(indicator, basket, years) of every price basket the data hold: what was priced when."""
    rows = data.baskets
    return pd.DataFrame(
        {
            "indicator": [data.registry[i].title_in(t.lang) for i in rows["indicator"]],
            "basket": [basket_name(b, t.lang) for b in rows["basket"]],
            "years": [f"{int(a)}–{int(b)}" for a, b in zip(rows["first_year"], rows["last_year"], strict=True)],
        }
    )


def price_beside_rows(
    data: AppData,
    t,
    indicator: str = "fixed_broadband_price_gni",
    year: int = 2023,
    groups=("WLD", "LDC", "LLDC", "SIDS"),
) -> pd.DataFrame:
    """Our median of ``year`` beside ITU's: over every economy reporting in the year, and over its fixed panels."""
    out = []
    for g in groups:
        ours = data.group_aggregate(indicator, g)
        ours = ours[(ours["year"] == year)].dropna(subset=["value"])
        theirs = published.for_group(data.published, indicator, g)
        theirs = theirs[(theirs["source"] == "itu_price_baskets") & (theirs["year"] == year)]
        row = {
            "group": t("app.name_code", name=group_label(data, g, t.lang), code=g),
            "ours": float(ours["value"].iloc[0]) if len(ours) else float("nan"),
            "reporting": f"{int(ours['n_reporting'].iloc[0])}/{int(ours['n_members'].iloc[0])}" if len(ours) else "–",
        }
        for panel in ("2023", "2018-2023", "2008-2023"):
            hit = theirs[theirs["panel"] == panel]
            row[f"itu_{panel.replace('-', '_')}"] = float(hit["value"].iloc[0]) if len(hit) else float("nan")
        out.append(row)
    return pd.DataFrame(out)


# ---- Gender ------------------------------------------------------------------------------------------------------


def publisher_label(
    source: str, edition: str, t, their_group: str = "", data: AppData | None = None, panel: str = ""
) -> str:
    """'ITU estimate, Nov 2024', 'UN SDG database, Dec 2023', 'ITU median, fixed panel 2008–2023', 'our aggregate' in
    the translator's language; with ``their_group``, the publisher's own group list is named (ITU's SIDS are
    UN-OHRLLS's list)."""
    if source == "ours":
        return t("published.ours")
    if source == "itu_price_baskets":
        key = "published.itu_price_baskets_panel" if "-" in panel else "published.itu_price_baskets"
        text = t(key, panel=panel.replace("-", "–"), edition=edition.replace("-", "–"))
    else:
        text = t(f"published.{source}", edition=format_month(edition, t.lang))
    if their_group and data is not None:
        text += t("published.their_list", group=group_label(data, their_group, t.lang))
    return text


#: the short legend tag of each witness (the full name is in the hover and the source line)
PUBLISHER_TAGS = {"ours": "", "itu_key_ict": "ITU", "itu_price_baskets": "ITU", "un_sdg": "SDG", "worldbank": "WB"}


def parity_witnesses(data: AppData, group: str, indicator: str = "internet_users") -> pd.DataFrame:
    """(source, edition, group, year, parity_score): our aggregate's scores (where the coverage rule holds for both
    sexes) and every publisher's, for ``group``."""
    ours = data.group_parity(indicator, group)
    ours = pd.DataFrame(
        {"source": "ours", "edition": "", "group": group, "year": ours["year"], "parity_score": ours["parity_score"]}
    )
    theirs = published.parity_rows(data.published, indicator, group)
    theirs = theirs[["source", "edition", "group", "year", "parity_score"]]
    parts = [p for p in (ours, theirs) if len(p)]
    if not parts:
        return pd.DataFrame(columns=["source", "edition", "group", "year", "parity_score"])
    return pd.concat(parts, ignore_index=True).astype({"year": "int64"})


def gender_parity_series(data: AppData, view: GenderView, t) -> pd.DataFrame:
    """Rows (label, legend, kind, group, source, edition, year, value) of the parity chart: for each chosen group,
    our aggregate and each publisher's estimate, in the view's years."""
    lang = t.lang
    start, end = year_range(data, view.start, view.end)
    parts = []
    for g in view.groups:
        w = parity_witnesses(data, g)
        w = w[(w["year"] >= start) & (w["year"] <= end)]
        for (source, edition, their), rows in w.groupby(["source", "edition", "group"], sort=False):
            name = group_label(data, g, lang)
            tag = PUBLISHER_TAGS.get(source, source)
            legend = legend_label(g, t("legend.world"), t.lang)
            other = their if their != g else ""
            label = name if source == "ours" else f"{name} · {publisher_label(source, edition, t, other, data)}"
            parts.append(
                pd.DataFrame(
                    {
                        "label": label,
                        "legend": f"{legend} · {tag}" if tag else legend,
                        "kind": "world" if g == "WLD" else "group",
                        "group": g,
                        "source": source,
                        "edition": edition,
                        "year": rows["year"],
                        "value": rows["parity_score"],
                    }
                )
            )
    parts = [p for p in parts if len(p)]
    columns = ["label", "legend", "kind", "group", "source", "edition", "year", "value"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def parity_answers(data: AppData, view: GenderView) -> list[ParityAnswer]:
    """¶27 answered for each chosen group (codes and parameters; ``parity_sentence`` words them)."""
    return [parity_answer(g, parity_witnesses(data, g)) for g in view.groups]


#: the General Assembly's ¶27 target: gender equality among Internet users by 2020
P27_TARGET = "wsis_p27_gender_parity_2020"


def parity_sentence(data: AppData, answer: ParityAnswer, t) -> str:
    """'LDCs: no — 0.70 in 2020 (ITU estimate, Nov 2024).' in the translator's language."""
    lang = t.lang
    group = group_label(data, answer.group, lang)

    def witness(w) -> str:
        source = publisher_label(w.source, w.edition, t, w.group, data)
        return t("gender.witness", value=format_number(w.score, lang, 2), source=source)

    if answer.at_deadline is None:
        if answer.latest is None:
            return t("gender.answer_none", group=group, year=answer.deadline)
        return t(
            "gender.answer_no_deadline",
            group=group,
            year=answer.deadline,
            latest_year=answer.latest.year,
            witness=witness(answer.latest),
        )
    key = "gender.answer_yes" if answer.verdict == "parity" else "gender.answer_no"
    text = t(key, group=group, year=answer.deadline, witness=witness(answer.at_deadline))
    if answer.others:
        text += t("summary.join") + t(
            "gender.answer_others",
            year=answer.deadline,
            items=t("source.separator").join(witness(w) for w in answer.others),
        )
    if answer.verdict == "men behind":
        text += t("summary.join") + t("gender.answer_men_behind")
    return text + t("summary.join") + p27_verdict_text(data, answer.group, t)


def p27_verdict_text(data: AppData, group: str, t) -> str:
    """¶27's verdict for ``group`` as the Overview and the briefing pack give it: the word, its flags, and each
    publisher whose verdict differs."""
    from app.reasons import verdict_flags, witness_name

    row = data.verdict(P27_TARGET, group)
    if row is None:
        return ""
    verdict = t(f"verdict.{row['verdict']}")
    flags = [words for _flag, words in verdict_flags(row, t)]
    if flags:
        verdict = t("app.name_code", name=verdict, code=t("app.list_sep").join(flags))
    text = t("gender.answer_verdict", verdict=verdict)
    others = [w for w in row["witnesses"] if w["verdict"] not in (row["verdict"], "insufficient data")]
    if others:

        def name(g: str) -> str:
            return group_label(data, g, t.lang)

        items = t("source.separator").join(
            t("gender.answer_dissent_item", witness=witness_name(w, t, name), verdict=t(f"verdict.{w['verdict']}"))
            for w in others
        )
        text += t("summary.join") + t("gender.answer_dissent", items=items)
    return text


def parity_coverage_notes(data: AppData, view: GenderView, t, lang: str) -> list[str]:
    """In words: the groups for which our own aggregate gives no parity score (too few members report by sex)."""
    notes = []
    for g in view.groups:
        f = data.group_aggregate("internet_users", g, "female")
        m = data.group_aggregate("internet_users", g, "male")
        cov = pd.concat([f, m]).groupby("year")["coverage"].min()
        ok = data.group_parity("internet_users", g)
        if ok.empty:
            best_year = int(cov.idxmax()) if len(cov) else None
            best = format_number(100 * cov.max(), lang, 0) if len(cov) else "0"
            notes.append(t("gender.no_parity", group=group_label(data, g, lang), best=best, year=best_year))
    return notes


DUMBBELL_COLUMNS = ["iso3", "name", "year", "female", "male", "parity_score", "source", "vintage"]


def by_sex_pairs(data: AppData, indicator: str, codes) -> pd.DataFrame:
    """(iso3, year, source, vintage, female, male) of every pair of one release: the female and the male value of
    the same publisher and vintage, from the current rows and the earlier vintages the snapshot keeps (DZA's 2018
    mobile ownership: the SDG database republished the female value in its December 2023 release, not the male;
    the pair is the October 2020 release's). Of several releases of a year's pair, the newest."""
    parts = [data.tidy]
    previous = data.snapshot.previous_vintages
    if previous is not None and len(previous):
        parts.append(previous)
    keep = ["iso3", "year", "sex", "value", "source", "vintage"]
    rows = pd.concat(
        [p.loc[(p["indicator"] == indicator) & p["sex"].isin(["female", "male"]) & p["iso3"].isin(codes), keep]
         for p in parts],
        ignore_index=True,
    ).drop_duplicates(["iso3", "year", "sex", "source", "vintage"])  # fmt: skip
    if rows.empty:
        return pd.DataFrame(columns=["iso3", "year", "source", "vintage", "female", "male"])
    wide = rows.pivot_table(index=["iso3", "year", "source", "vintage"], columns="sex", values="value")
    wide = wide.reindex(columns=["female", "male"]).dropna().reset_index()
    return wide.sort_values(["iso3", "year", "vintage"]).groupby(["iso3", "year"]).tail(1)


def recent_window(data: AppData, indicator: str, recent: str) -> tuple[int, int] | None:
    """(first, last) years of the dumbbells' window: the last ``recent`` years of the indicator's by-sex data (its
    latest year with a pair anywhere), or None for any year."""
    if recent == "all":
        return None
    pairs = by_sex_pairs(data, indicator, data.country_codes)
    if pairs.empty:
        return None
    last = int(pairs["year"].max())
    return last - int(recent) + 1, last


def dumbbell_rows(data: AppData, indicator: str, group: str, lang: str = "en", recent: str = "all") -> pd.DataFrame:
    """Each member's latest year with a female and a male value of one release (within the ``recent`` window),
    names in ``lang``, with its parity score and the release (source, vintage) both values come from."""
    members = data.members(group, data.last_year) | data.members(group, 2018)
    wide = by_sex_pairs(data, indicator, list(members))
    window = recent_window(data, indicator, recent)
    if window is not None:
        wide = wide[wide["year"].between(*window)]
    if wide.empty:
        return pd.DataFrame(columns=DUMBBELL_COLUMNS)
    latest = wide.sort_values("year").groupby("iso3").tail(1)
    latest = latest.assign(
        name=[data.country_name(c, lang) for c in latest["iso3"]],
        parity_score=(latest["female"] / latest["male"]).where(latest["male"] > 0),
    )
    return latest[DUMBBELL_COLUMNS].sort_values("iso3").reset_index(drop=True)


# ---- Gender parity figure (shared by the Gender page's downloads and the briefing pack) --------------------------


def gender_parity(data: AppData, view: GenderView, t) -> ChartModel:
    """The parity chart of the Gender page: ``rows`` are its series (ours and the publishers'), ``extra["answers"]``
    the ¶27 answer for each group."""

    lang = t.lang
    start, end = year_range(data, view.start, view.end)
    series = gender_parity_series(data, view, t)
    shown = sorted(set(series["source"]) - {"ours"}) if len(series) else []
    footer = source_text(data, ["internet_users"], t, sex="female", published_sources=shown, groups=view.groups)
    groups_text = t("app.list_sep").join(data.groups.label(g, lang) for g in view.groups)
    fig = parity_chart(
        series,
        t,
        title=t("gender.parity_title"),
        subtitle=t("gender.parity_subtitle", groups=groups_text, start=start, end=end),
        footer=footer,
        no_data=t("figure.no_data"),
        x_range=_drawn_span(series, start, end),
    )
    notes = parity_coverage_notes(data, view, t, lang)
    if len(series) and (series["source"] != "ours").any():
        only = not (series["source"] == "ours").any()
        notes.append(t("gender.published_only_note" if only else "gender.published_note"))
    n_lines = series["label"].nunique() if len(series) else 0
    return ChartModel.of(
        "gender",
        fig,
        summary=t("gender.parity_chart_summary", groups=groups_text, n=n_lines),
        footer=footer,
        notes=tuple(notes),
        indicators=("internet_users",),
        rows=series,
        filename="gender-parity_" + "-".join(view.groups),
        extra={"answers": tuple(parity_answers(data, view)), "published": tuple(shown)},
        **addresses("gender", view),
    )


def parity_chart(series: pd.DataFrame, t, **texts) -> figures.Figure:
    """``figures.parity_figure`` with the parity band, the ¶27 deadline and the axis in the translator's language
    (the Gender page's chart and a country's share them)."""
    from indicators.gender import PARITY_BAND, PARITY_DEADLINE

    return figures.parity_figure(
        series,
        band=PARITY_BAND,
        band_label=t("gender.parity_band"),
        deadline=PARITY_DEADLINE,
        deadline_label=t("gender.deadline"),
        y_title=t("gender.y_parity"),
        **texts,
    )


def _drawn_span(series: pd.DataFrame, start: int, end: int) -> tuple[int, int]:
    """The years the chart spans: the view's, narrowed to the years with a score (the publishers' estimates start in
    2019), always including the 2020 line."""
    if series.empty:
        return start, end
    years = series.dropna(subset=["value"])["year"]
    return max(start, min(int(years.min()), 2019) - 1), min(end, max(int(years.max()), 2021) + 1)


# ---- Gender dumbbells and the country chart (shared by the pages, downloads and the briefing pack) ---------------

DUMBBELLS = {"internet_users": "gender.dumbbell_title", "mobile_ownership": "gender.mobile_title"}


DUMBBELL_CHARTS = {"internet_users": "gender-internet", "mobile_ownership": "gender-mobile"}


def gender_dumbbell(data: AppData, view: GenderView, indicator: str, t) -> ChartModel:
    """Women vs men for the members of ``view.members_of`` on ``indicator``: one row per member, its latest year."""
    lang = t.lang
    rows = dumbbell_rows(data, indicator, view.members_of, lang, view.recent)
    glabel = data.groups.label(view.members_of, lang)
    footer = source_text(data, [indicator], t, aggregated=False)
    window = recent_window(data, indicator, view.recent)
    subtitle = t("gender.dumbbell_window", first=window[0], last=window[1]) if window else t("gender.dumbbell_subtitle")
    fig = figures.dumbbell_figure(
        rows.assign(
            name=[t("gender.member_year", name=n, year=int(y)) for n, y in zip(rows["name"], rows["year"], strict=True)]
        ),
        title=t(DUMBBELLS[indicator], group=glabel),
        subtitle=subtitle,
        footer=footer,
        x_title=t("gender.x_percent") if indicator == "internet_users" else data.registry[indicator].title_in(lang),
        female_label=t("gender.female"),
        male_label=t("gender.male"),
        no_data=t("gender.no_members_data", group=glabel),
    )
    if rows.empty:
        summary = t("gender.no_members_data", group=glabel)
    else:
        gaps = rows["male"] - rows["female"]
        widest = rows.loc[gaps.abs().idxmax()]
        gap = float(widest["male"] - widest["female"])
        summary = t(
            "gender.dumbbell_summary" if gap >= 0 else "gender.dumbbell_summary_men",
            n=len(rows),
            group=glabel,
            widest=widest["name"],
            gap=format_number(abs(gap), lang),
            year=int(widest["year"]),
        )
    chart = DUMBBELL_CHARTS[indicator]
    return ChartModel.of(
        chart,
        fig,
        summary=summary,
        footer=footer,
        indicators=(indicator,),
        rows=rows,
        filename=f"{indicator.replace('_', '-')}-by-sex_{view.members_of}",
        **addresses(chart, view),
    )


PROFILE_GROUPS = ("LDC", "LLDC", "SIDS", "DEVELOPING", "DEVELOPED", "LIC", "LMC", "UMC", "HIC")


def profile_groups(data: AppData, code: str, year: int) -> list[str]:
    """The groups a country profile compares with by default: the world and the economy's own groups."""
    return ["WLD"] + [g for g in country_groups(data, code, year) if g in PROFILE_GROUPS]


def country_groups(data: AppData, iso3: str, year: int) -> list[str]:
    """The groups (other than the world) ``iso3`` belongs to in ``year``."""
    return [g for g in data.group_ids if g != "WLD" and iso3 in data.members(g, year)]


def country_trend(data: AppData, view, code: str, t) -> ChartModel:
    """One economy against its groups and the world, with the targets; ``rows`` are the lines as a frame and
    ``extra["targets"]`` the targets drawn."""
    lang = t.lang
    groups = list(getattr(view, "groups", ()) or ()) or profile_groups(data, code, view.end or data.last_year)
    # without a ``to`` year: the latest year with the economy's value or one of its groups' aggregates
    end = view.end if view.end is not None else _default_end(data, view.indicator, "total", tuple(groups), (code,))
    start = view.start
    world = t("legend.world")  # short legend names fit a phone's two columns
    lines = [group_line(data, view.indicator, g, "total", lang, world).between(start, end) for g in groups]
    own = country_line(data, view.indicator, code, "total", lang, "focus").between(start, end)
    lines = [ln for ln in [*lines, own] if ln.years]
    series = lines_to_frame(lines)
    targets = applicable_targets(data, view.indicator, "total", groups)
    footer = source_text(data, [view.indicator], t, sex="total", years=(start, end))
    title = t(
        "country.chart_title",
        name=data.country_name(code, lang),
        indicator=data.registry[view.indicator].title_in(lang),
    )
    subtitle = t(
        "country.subtitle", groups=t("app.list_sep").join(dict.fromkeys(ln.label for ln in lines)), start=start, end=end
    )
    fig = indicator_trend(
        data,
        view.indicator,
        lines,
        t,
        title=title,
        subtitle=subtitle,
        footer=footer,
        targets=targets,
        start=start,
        low_coverage=None,
    )
    if not own.years:
        summary = t("summary.none", indicator=data.registry[view.indicator].title_in(lang))
    else:
        summary = t(
            "summary.trend",
            indicator=title,
            unit=unit_label(data, view.indicator, lang),
            year=own.years[-1],
            items=t("summary.item", label=data.country_name(code, lang), value=format_number(own.values[-1], lang)),
        )
    return ChartModel.of(
        "country",
        fig,
        summary=summary,
        footer=footer,
        indicators=(view.indicator,),
        rows=series,
        filename=f"{code}_{view.indicator.replace('_', '-')}",
        extra={"targets": tuple(targets) if any(ln.points() for ln in lines) else ()},  # none on "no data"
        **addresses("country", view, code),
    )


def country_parity(data: AppData, view, code: str, t) -> ChartModel:
    """One economy's parity score over time (``rows``: year, female, male, parity_score, gap_points; SDG 17.8.1
    by sex, or the source its series by sex comes from), with the parity band and the ¶27 line."""
    from indicators.gender import parity

    lang = t.lang
    start, end = year_range(data, view.start, view.end)
    rows = data.tidy[(data.tidy["iso3"] == code) & (data.tidy["indicator"] == "internet_users")]
    scores = parity(rows[rows["sex"].isin(["female", "male"])], entity_col="iso3", indicator="internet_users")
    scores = scores[(scores["year"] >= start) & (scores["year"] <= end)].reset_index(drop=True)
    name = data.country_name(code, lang)
    series = pd.DataFrame(
        {"label": name, "legend": name, "kind": "country", "group": code, "source": "ours", "year": scores["year"]}
    ).assign(value=scores["parity_score"])
    codes = [code]
    footer = source_text(data, ["internet_users"], t, aggregated=False, sex="female", codes=codes)
    fig = parity_chart(
        series,
        t,
        title=t("country.parity_title", name=name),
        subtitle=t("gender.parity_subtitle", groups=name, start=start, end=end),
        footer=footer,
        no_data=t("country.no_parity", name=name),
        x_range=(start, end),
    )
    if scores.empty:
        summary = t("country.no_parity", name=name)
    else:
        last = scores.iloc[-1]
        summary = t(
            "country.parity_summary",
            name=name,
            n=len(scores),
            year=int(last["year"]),
            score=format_number(last["parity_score"], lang, 2),
            female=format_number(last["female"], lang),
            male=format_number(last["male"], lang),
        )
    return ChartModel.of(
        "country-parity",
        fig,
        summary=summary,
        footer=footer,
        indicators=("internet_users",),
        rows=scores,
        filename=f"{code}_gender-parity",
        **addresses("country-parity", view, code),
    )


# ---- Our aggregates against the publisher's own (About page) ------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """How far our group aggregates are from a publisher's own, over the group-years both have."""

    groups: tuple[str, ...]
    n: int  # group-years compared
    start: int
    end: int
    mean_abs: float
    max_abs: float
    worst_group: str
    worst_year: int
    share_within_1: float  # share of group-years within 1 unit (percentage point)


def compare_aggregates(ours: pd.DataFrame, theirs: pd.DataFrame, since: int | None = None) -> Comparison | None:
    """Absolute differences between ``ours`` and ``theirs`` (both: group, year, value) on the group-years both hold
    a value for (from ``since``); None when there is no such year."""
    both = ours.dropna(subset=["value"]).merge(
        theirs.dropna(subset=["value"]), on=["group", "year"], suffixes=("_ours", "_theirs")
    )
    if since is not None:
        both = both[both["year"] >= since]
    if both.empty:
        return None
    diff = (both["value_ours"] - both["value_theirs"]).abs()
    worst = both.loc[diff.idxmax()]
    return Comparison(
        groups=tuple(dict.fromkeys(both["group"])),
        n=len(both),
        start=int(both["year"].min()),
        end=int(both["year"].max()),
        mean_abs=float(diff.mean()),
        max_abs=float(diff.max()),
        worst_group=str(worst["group"]),
        worst_year=int(worst["year"]),
        share_within_1=float((diff <= 1.0).mean()),
    )


@cache
def publisher_comparison(data: AppData, indicator: str = "internet_users", since: int = 2005) -> Comparison | None:
    """Our aggregates of ``indicator`` (total) against the World Bank's own, for every group both publish."""
    pa = data.snapshot.publisher_aggregates
    theirs = pa[(pa["indicator"] == indicator) & (pa["sex"] == "total") & (pa["source"] == "worldbank")]
    shared = [g for g in data.group_ids if g in set(theirs["group"])]
    if not shared:
        return None
    ours = pd.concat([data.group_aggregate(indicator, g) for g in shared], ignore_index=True)
    return compare_aggregates(ours[["group", "year", "value"]], theirs[["group", "year", "value"]], since)


def comparison_sentence(data: AppData, t, indicator: str = "internet_users") -> str:
    """The About page's sentence on how our aggregates compare with the World Bank's ('' when nothing to compare)."""
    cmp = publisher_comparison(data, indicator)
    if cmp is None:
        return ""
    lang = t.lang
    return t(
        "about.comparison",
        indicator=indicator_title(data, indicator, lang),
        n_groups=len(cmp.groups),
        groups=", ".join(cmp.groups),
        start=cmp.start,
        end=cmp.end,
        mean=format_number(cmp.mean_abs, lang, 1),
        max=format_number(cmp.max_abs, lang, 1),
        worst_group=cmp.worst_group,
        worst_year=cmp.worst_year,
        within=format_number(100 * cmp.share_within_1, lang, 0),
        n=cmp.n,
    )


# ---- About: the publishers' estimates beside ours, one source per series, and what a release revised ------------

#: the groups and years the About page sets our aggregate beside each publisher's estimate for
BESIDE_GROUPS = ("WLD", "LDC", "LLDC", "SIDS")
BESIDE_YEARS = (2015, 2020, 2024)


def beside_rows(data: AppData, t, indicator: str = "internet_users", sex: str = "total") -> pd.DataFrame:
    """(group, year, ours, itu_key_ict, un_sdg, worldbank): our aggregate and each publisher's estimate, as numbers
    (NaN where one has none), for ``BESIDE_GROUPS`` × ``BESIDE_YEARS``."""
    rows = []
    for g in BESIDE_GROUPS:
        ours = data.group_aggregate(indicator, g, sex).set_index("year")["value"]
        theirs = data.published_rows(indicator, g, sex)
        for year in BESIDE_YEARS:
            row = {"group": group_label(data, g, t.lang), "year": year, "ours": float(ours.get(year, float("nan")))}
            for source in published.PUBLISHERS:
                hit = theirs[(theirs["source"] == source) & (theirs["year"] == year)]
                row[source] = float(hit["value"].iloc[0]) if len(hit) else float("nan")
            rows.append(row)
    return pd.DataFrame(rows)


def superseded_rows(data: AppData, t) -> pd.DataFrame:
    """(indicator, dropped, kept, economies): how many economies' series each source lost to a preferred one."""
    sup = data.snapshot.superseded
    if sup is None or sup.empty:
        return pd.DataFrame(columns=["indicator", "dropped", "kept", "economies"])
    counts = sup.groupby(["indicator", "dropped_source", "kept_source"])["iso3"].nunique().reset_index()
    sources = data.snapshot.provenance.get("sources", {})

    def name(key: str) -> str:
        s = sources.get(key, {})
        return lookup(t.lang, f"data.source.{key}.title", s.get("title", key))

    return pd.DataFrame(
        {
            "indicator": [indicator_title(data, i, t.lang) for i in counts["indicator"]],
            "dropped": [name(k) for k in counts["dropped_source"]],
            "kept": [name(k) for k in counts["kept_source"]],
            "economies": counts["iso3"].astype(float),
        }
    )


@cache
def revision_of(data: AppData, indicator: str = "internet_users"):
    """The first kept revision of ``indicator`` (``indicators.revisions.Revision``), or None."""
    from indicators.revisions import revisions

    found = revisions(data.tidy, data.snapshot.previous_vintages, indicator, data.groups)
    return found[0] if found else None


def revision_table(data: AppData, t, n: int = 10) -> pd.DataFrame:
    """The ``n`` largest revisions of one economy-year, named in the translator's language."""
    rev = revision_of(data)
    if rev is None:
        return pd.DataFrame(columns=["name", "year", "previous", "value", "change"])
    top = rev.largest(n)
    return top.assign(name=[data.country_name(c, t.lang) for c in top["iso3"]])[
        ["name", "year", "previous", "value", "change"]
    ]


def revision_sentence(data: AppData, t) -> str:
    """What ITU's newer release revised, in words ('' when no earlier vintage is kept)."""
    rev = revision_of(data)
    if rev is None:
        return ""
    lang = t.lang
    moved = rev.groups_moved()
    groups = moved.drop_duplicates("group").head(4)
    items = t("app.list_sep").join(
        t(
            "about.revision_group",
            group=group_label(data, r.group, lang),
            year=r.year,
            previous=format_number(r.previous, lang),
            value=format_number(r.value, lang),
        )
        for r in groups.itertuples()
    )
    return t(
        "about.revisions_text",
        vintage=format_date(rev.vintage, lang, "medium"),
        previous=format_date(rev.previous_vintage, lang, "medium"),
        n=format_number(rev.n_common, lang, 0),
        moved=format_number(rev.n_moved, lang, 0),
        threshold=format_number(rev.threshold, lang, 0),
        n_groups=format_number(len(moved), lang, 0),
        groups=items or "–",
    )


# ---- Every chart by its key (pages, embeds, downloads and the first paint build them here) ------------------------

#: chart → (view class, build(data, view, t, iso3) → ChartModel); the country charts need an economy
MODELS = {
    "explore": (ExploreView, lambda data, view, t, _iso3: explore_trend(data, view, t)),
    "map": (ExploreView, lambda data, view, t, _iso3: explore_map(data, view, t)),
    "ranking": (ExploreView, lambda data, view, t, _iso3: explore_ranking(data, view, t)),
    "gender": (GenderView, lambda data, view, t, _iso3: gender_parity(data, view, t)),
    "gender-internet": (GenderView, lambda data, view, t, _iso3: gender_dumbbell(data, view, "internet_users", t)),
    "gender-mobile": (GenderView, lambda data, view, t, _iso3: gender_dumbbell(data, view, "mobile_ownership", t)),
    "country": (CountryView, lambda data, view, t, iso3: country_trend(data, view, iso3, t)),
    "country-parity": (CountryView, lambda data, view, t, iso3: country_parity(data, view, iso3, t)),
}
#: the charts of one economy (their queries carry ``iso3``)
COUNTRY_CHARTS = ("country", "country-parity")


def chart_model(chart: str, data: AppData, view, t, iso3: str | None = None) -> ChartModel:
    """The model of ``chart`` for a parsed ``view`` (and, for a country chart, a known economy ``iso3``)."""
    return MODELS[chart][1](data, view, t, iso3)
