"""From a parsed view to the frames and figures a page shows. Pure functions of (AppData, view, translator):
no Dash callbacks here, so pages stay thin and this is unit-tested without a browser."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from app import figures
from app.components import source_text
from app.data import AppData
from app.figures import TargetLine
from app.i18n import format_number, lookup
from app.state import ExploreView, GenderView
from indicators.aggregates import DEFAULT_RULE
from indicators.targets import Target


def group_label(data: AppData, group: str, lang: str) -> str:
    return data.groups.label(group, lang)


def indicator_title(data: AppData, indicator: str, lang: str) -> str:
    return data.registry[indicator].title_in(lang)


def unit_label(data: AppData, indicator: str, lang: str) -> str:
    ind = data.registry[indicator]
    return ind.unit_label.get(lang) or ind.unit_label.get("en", ind.unit)


def year_range(data: AppData, start: int, end: int | None) -> tuple[int, int]:
    return start, end if end is not None else data.last_year


def sex_label(sex: str, t) -> str:
    return t(f"sex.{sex}")


# ---- Explore ----------------------------------------------------------------------------------------------------


def legend_label(group: str, world: str) -> str:
    """Short legend names (ids are the users' own shorthand: LDC, SIDS); full names are in the hover and subtitle."""
    return world if group == "WLD" else group


def explore_series(data: AppData, view: ExploreView, lang: str, t_world: str = "World") -> pd.DataFrame:
    """Rows (label, kind, code, year, value, coverage, n_reporting, n_members) for the groups, countries and,
    on request, the members of the first group that is not the world."""
    start, end = year_range(data, view.start, view.end)
    parts = []
    for g in view.groups:
        agg = data.group_aggregate(view.indicator, g, view.sex)
        agg = agg[(agg["year"] >= start) & (agg["year"] <= end)]
        parts.append(
            agg.assign(
                label=group_label(data, g, lang),
                legend=legend_label(g, t_world),
                kind="world" if g == "WLD" else "group",
                code=g,
            )[["label", "legend", "kind", "code", "year", "value", "coverage", "n_reporting", "n_members"]]
        )
    for c in view.countries:
        rows = data.country_rows(view.indicator, [c], view.sex)
        rows = rows[(rows["year"] >= start) & (rows["year"] <= end)]
        parts.append(
            pd.DataFrame(
                {
                    "label": data.country_name(c, lang),
                    "kind": "country",
                    "code": c,
                    "year": rows["year"],
                    "value": rows["value"],
                }
            )
        )
    if view.members:
        base = next((g for g in view.groups if g != "WLD"), None)
        if base:
            members = data.members(base, end)
            rows = data.country_rows(view.indicator, members, view.sex)
            rows = rows[(rows["year"] >= start) & (rows["year"] <= end)]
            parts.append(
                pd.DataFrame(
                    {
                        "label": [data.country_name(c, lang) for c in rows["iso3"]],
                        "kind": "member",
                        "code": rows["iso3"],
                        "year": rows["year"],
                        "value": rows["value"],
                    }
                )
            )
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=["label", "kind", "code", "year", "value", "coverage", "n_reporting", "n_members"])
    return pd.concat(parts, ignore_index=True)


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


def missing_notes(series: pd.DataFrame, t, lang: str) -> list[str]:
    """In words: the years a group has no aggregate because too few members report."""
    notes = []
    groups = series[series["kind"].isin(["group", "world"])]
    for label, grp in groups.groupby("label", sort=False):
        missing = grp[grp["value"].isna()]
        if missing.empty:
            continue
        years = _ranges(sorted(missing["year"].astype(int)), t("app.list_sep"))
        best = missing["coverage"].max()
        notes.append(t("explore.no_aggregate", group=label, years=years, best=format_number(100 * best, lang, 0)))
    return notes


#: aggregates drawn with less than this coverage are flagged as low (open markers and a note): the rule plus 10 points
LOW_COVERAGE = DEFAULT_RULE.min_coverage + 0.10


def low_coverage_notes(series: pd.DataFrame, t, lang: str, threshold: float = LOW_COVERAGE) -> list[str]:
    """In words: the years a group's aggregate is drawn although members reporting hold less than ``threshold``
    of its population (it passed the coverage rule, but not by much)."""
    notes = []
    groups = series[series["kind"].isin(["group", "world"])].dropna(subset=["value", "coverage"])
    for label, grp in groups.groupby("label", sort=False):
        low = grp[grp["coverage"] < threshold]
        if low.empty:
            continue
        lo, hi = (format_number(100 * v, lang, 0) for v in (low["coverage"].min(), low["coverage"].max()))
        notes.append(
            t(
                "explore.low_coverage",
                group=label,
                years=_ranges(sorted(low["year"].astype(int)), t("app.list_sep")),
                share=t("explore.share", value=lo) if lo == hi else t("explore.share_range", low=lo, high=hi),
                rule=format_number(100 * DEFAULT_RULE.min_coverage, lang, 0),
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


def trend_summary(series: pd.DataFrame, data: AppData, view: ExploreView, targets, t, lang: str) -> str:
    """One sentence: the latest year with values, each group's value, and every target drawn."""
    ok = series[series["kind"].isin(["group", "world", "country"])].dropna(subset=["value"])
    title = indicator_title(data, view.indicator, lang)
    if ok.empty:
        return t("summary.none", indicator=title)
    year = int(ok["year"].max())
    latest = ok[ok["year"] == year]
    items = [t("summary.item", label=r.label, value=format_number(r.value, lang)) for r in latest.itertuples()]
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


def explore_trend(data: AppData, view: ExploreView, t) -> tuple:
    lang = t.lang
    start, end = year_range(data, view.start, view.end)
    series = explore_series(data, view, lang, t("legend.world"))
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
    footer = source_text(data, [view.indicator], t, sex=view.sex, years=(start, end))
    fig = figures.trend_figure(
        series,
        title=title,
        subtitle=subtitle,
        y_title=unit_label(data, view.indicator, lang),
        footer=footer,
        targets=target_lines(targets, lang, t, start),
        no_data=t("figure.no_data"),
        coverage_label=t("figure.coverage"),
        percent=data.registry[view.indicator].unit == "percent",
        low_coverage=LOW_COVERAGE,
    )
    summary = trend_summary(series, data, view, targets, t, lang)
    notes = missing_notes(series, t, lang) + low_coverage_notes(series, t, lang)
    return fig, summary, notes, series, footer


def latest_year_with_data(data: AppData, indicator: str, sex: str, codes=None) -> int | None:
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


def year_values(data: AppData, indicator: str, sex: str, year: int, codes=None, lang: str = "en") -> pd.DataFrame:
    """(iso3, name in ``lang``, value) of every economy with a value in ``year`` (or of ``codes`` only)."""
    rows = data.tidy[(data.tidy["indicator"] == indicator) & (data.tidy["sex"] == sex) & (data.tidy["year"] == year)]
    if codes:
        rows = rows[rows["iso3"].isin(codes)]
    return pd.DataFrame(
        {"iso3": rows["iso3"], "name": [data.country_name(c, lang) for c in rows["iso3"]], "value": rows["value"]}
    )


def explore_map(data: AppData, view: ExploreView, t) -> tuple:
    lang = t.lang
    year = view.year or latest_year_with_data(data, view.indicator, view.sex)
    title = indicator_title(data, view.indicator, lang)
    footer = source_text(data, [view.indicator], t, aggregated=False, sex=view.sex, years=(year or 0, year or 0))
    if year is None:
        return (
            figures.no_data_figure(title, t("figure.no_data"), footer),
            t("summary.none", indicator=title),
            year,
            footer,
        )
    codes = focus_codes(data, view, year)
    values = year_values(data, view.indicator, view.sex, year, lang=lang)
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
        colorbar_title=unit_label(data, view.indicator, lang),
        highlight=codes,
        no_data=t("map.no_data", year=year),
        zmax=100 if ind.unit == "percent" else None,
    )
    shown = values[values["iso3"].isin(codes)] if codes else values
    summary = t("map.summary", year=year, n=len(shown), indicator=title)
    return fig, summary, year, footer


def explore_ranking(data: AppData, view: ExploreView, t) -> tuple:
    lang = t.lang
    probe = focus_codes(data, view, view.year or data.last_year)
    year = view.year or latest_year_with_data(data, view.indicator, view.sex, probe or None)
    title = indicator_title(data, view.indicator, lang)
    footer = source_text(data, [view.indicator], t, aggregated=False, sex=view.sex, years=(year or 0, year or 0))
    if year is None:
        return (
            figures.no_data_figure(title, t("figure.no_data"), footer),
            t("summary.none", indicator=title),
            pd.DataFrame(),
            year,
            footer,
        )
    codes = focus_codes(data, view, year)
    values = year_values(data, view.indicator, view.sex, year, codes or None, lang)
    targets = applicable_targets(data, view.indicator, view.sex, view.groups)
    fig = figures.ranking_figure(
        values,
        title=title,
        subtitle=t("ranking.subtitle", year=year, sex=sex_label(view.sex, t)),
        footer=footer,
        x_title=unit_label(data, view.indicator, lang),
        targets=target_lines(targets, lang, t, year),
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
    return fig, summary, values.sort_values("value", ascending=False), year, footer


# ---- Gender ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedReference:
    label: str
    year: int
    value: float


def gender_parity_series(data: AppData, view: GenderView, lang: str) -> pd.DataFrame:
    start, end = year_range(data, view.start, view.end)
    parts = []
    for g in view.groups:
        p = data.group_parity("internet_users", g)
        p = p[(p["year"] >= start) & (p["year"] <= end)]
        parts.append(
            pd.DataFrame(
                {
                    "label": group_label(data, g, lang),
                    "kind": "world" if g == "WLD" else "group",
                    "year": p["year"],
                    "value": p["parity_score"],
                }
            )
        )
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["label", "kind", "year", "value"])


def parity_coverage_notes(data: AppData, view: GenderView, t, lang: str) -> list[str]:
    notes = []
    for g in view.groups:
        f = data.group_aggregate("internet_users", g, "female")
        m = data.group_aggregate("internet_users", g, "male")
        cov = pd.concat([f, m]).groupby("year")["coverage"].min()
        ok = pd.concat([f, m]).dropna(subset=["value"])
        if ok.empty:
            best_year = int(cov.idxmax()) if len(cov) else None
            best = format_number(100 * cov.max(), lang, 0) if len(cov) else "0"
            notes.append(t("gender.no_parity", group=group_label(data, g, lang), best=best, year=best_year))
    return notes


def dumbbell_rows(data: AppData, indicator: str, group: str, lang: str = "en") -> pd.DataFrame:
    """Each member's latest year with both female and male values (names in ``lang``)."""
    members = data.members(group, data.last_year) | data.members(group, 2018)
    t = data.tidy
    rows = t[(t["indicator"] == indicator) & (t["sex"].isin(["female", "male"])) & (t["iso3"].isin(list(members)))]
    if rows.empty:
        return pd.DataFrame(columns=["iso3", "name", "year", "female", "male"])
    wide = rows.pivot_table(index=["iso3", "year"], columns="sex", values="value").dropna().reset_index()
    if wide.empty:
        return pd.DataFrame(columns=["iso3", "name", "year", "female", "male"])
    latest = wide.sort_values("year").groupby("iso3").tail(1)
    latest = latest.assign(name=[data.country_name(c, lang) for c in latest["iso3"]])
    return latest[["iso3", "name", "year", "female", "male"]].reset_index(drop=True)


# ---- Gender parity figure (shared by the Gender page's downloads and the briefing pack) --------------------------


@cache
def published_reference() -> tuple[pd.DataFrame, dict]:
    """ITU's published world parity figures (seeds/itu_facts_and_figures.yml) and their source."""
    import yaml

    from indicators import PROJECT_DIR

    with open(PROJECT_DIR / "seeds" / "itu_facts_and_figures.yml", encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    return pd.DataFrame(doc["editions"]), doc["source"]


def reference_source(source: dict, t) -> str:
    """'Title (publisher).' for the published reference figures, in the translator's language."""
    return t(
        "source.reference",
        title=lookup(t.lang, "data.reference.title", source["title"]),
        publisher=lookup(t.lang, "data.reference.publisher", source["publisher"]),
    )


def gender_parity(data: AppData, view: GenderView, t) -> tuple:
    """(figure, series, references, footer): the parity chart of the Gender page for ``view``."""
    from indicators.gender import PARITY_BAND

    lang = t.lang
    start, end = year_range(data, view.start, view.end)
    series = gender_parity_series(data, view, lang)
    refs, ref_source = published_reference()
    refs = refs[(refs["year"] >= start) & (refs["year"] <= end)]
    ref_rows = pd.DataFrame({"label": t("gender.published"), "year": refs["year"], "value": refs["parity_score"]})
    footer = source_text(data, ["internet_users"], t) + t("summary.join") + reference_source(ref_source, t)
    groups_text = t("app.list_sep").join(data.groups.label(g, lang) for g in view.groups)
    fig = figures.parity_figure(
        series,
        title=t("gender.parity_title"),
        subtitle=t("gender.parity_subtitle", groups=groups_text, start=start, end=end),
        footer=footer,
        band=PARITY_BAND,
        band_label=t("gender.parity_band"),
        deadline=2020,
        deadline_label=t("gender.deadline"),
        y_title=t("gender.y_parity"),
        no_data=t("figure.no_data"),
        references=ref_rows,
        x_range=(start, end),
    )
    return fig, series, ref_rows, footer


# ---- Gender dumbbells and the country chart (shared by the pages, downloads and the briefing pack) ---------------

DUMBBELLS = {"internet_users": "gender.dumbbell_title", "mobile_ownership": "gender.mobile_title"}


def gender_dumbbell(data: AppData, view: GenderView, indicator: str, t) -> tuple:
    """(figure, rows, footer, summary): women vs men for the members of ``view.members_of`` on ``indicator``."""
    lang = t.lang
    rows = dumbbell_rows(data, indicator, view.members_of, lang)
    glabel = data.groups.label(view.members_of, lang)
    footer = source_text(data, [indicator], t, aggregated=False)
    fig = figures.dumbbell_figure(
        rows,
        title=t(DUMBBELLS[indicator], group=glabel),
        subtitle=t("gender.dumbbell_subtitle"),
        footer=footer,
        x_title=t("gender.x_percent") if indicator == "internet_users" else data.registry[indicator].title_in(lang),
        female_label=t("gender.female"),
        male_label=t("gender.male"),
        no_data=t("gender.no_members_data", group=glabel),
    )
    if rows.empty:
        summary = t("gender.no_members_data", group=glabel)
    else:
        widest = rows.assign(gap=rows["male"] - rows["female"]).sort_values("gap").iloc[-1]
        summary = t(
            "gender.dumbbell_summary",
            n=len(rows),
            group=glabel,
            widest=widest["name"],
            gap=format_number(widest["gap"], lang),
        )
    return fig, rows, footer, summary


PROFILE_GROUPS = ("LDC", "LLDC", "SIDS", "DEVELOPING", "DEVELOPED", "LIC", "LMC", "UMC", "HIC")


def country_groups(data: AppData, iso3: str, year: int) -> list[str]:
    """The groups (other than the world) ``iso3`` belongs to in ``year``."""
    return [g for g in data.group_ids if g != "WLD" and iso3 in data.members(g, year)]


def country_trend(data: AppData, view, code: str, t) -> tuple:
    """(figure, series, footer, summary): one economy against its groups and the world, with the targets."""
    lang = t.lang
    start, end = year_range(data, view.start, view.end)
    groups = ["WLD"] + [g for g in country_groups(data, code, end) if g in PROFILE_GROUPS]
    parts = []
    for g in groups:
        agg = data.group_aggregate(view.indicator, g)
        agg = agg[(agg["year"] >= start) & (agg["year"] <= end)]
        parts.append(
            agg.assign(
                label=data.groups.label(g, lang),
                legend=legend_label(g, t("legend.world")),  # short legend names fit a phone's two columns
                kind="world" if g == "WLD" else "group",
                code=g,
            )[["label", "legend", "kind", "code", "year", "value", "coverage", "n_reporting", "n_members"]]
        )
    own = data.country_rows(view.indicator, [code])
    own = own[(own["year"] >= start) & (own["year"] <= end)]
    parts.append(
        pd.DataFrame(
            {
                "label": data.country_name(code, lang),
                "kind": "country",
                "code": code,
                "year": own["year"],
                "value": own["value"],
            }
        )
    )
    series = pd.concat([p for p in parts if len(p)], ignore_index=True)
    targets = applicable_targets(data, view.indicator, "total", groups)
    footer = source_text(data, [view.indicator], t)
    title = t(
        "country.chart_title",
        name=data.country_name(code, lang),
        indicator=data.registry[view.indicator].title_in(lang),
    )
    fig = figures.trend_figure(
        series,
        title=title,
        subtitle=t(
            "country.subtitle", groups=t("app.list_sep").join(dict.fromkeys(series["label"])), start=start, end=end
        ),
        y_title=unit_label(data, view.indicator, lang),
        footer=footer,
        targets=target_lines(targets, lang, t, start),
        no_data=t("figure.no_data"),
        coverage_label=t("figure.coverage"),
        percent=data.registry[view.indicator].unit == "percent",
    )
    latest = own.sort_values("year").tail(1)
    if latest.empty:
        summary = t("summary.none", indicator=data.registry[view.indicator].title_in(lang))
    else:
        summary = t(
            "summary.trend",
            indicator=title,
            unit=unit_label(data, view.indicator, lang),
            year=int(latest["year"].iloc[0]),
            items=t(
                "summary.item",
                label=data.country_name(code, lang),
                value=format_number(float(latest["value"].iloc[0]), lang),
            ),
        )
    return fig, series, footer, summary


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
