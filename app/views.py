"""From a parsed view to the frames and figures a page shows. Pure functions of (AppData, view, translator):
no Dash callbacks here, so pages stay thin and this is unit-tested without a browser."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from app import figures
from app.components import source_text
from app.data import AppData
from app.figures import TargetLine
from app.i18n import format_number
from app.state import ExploreView, GenderView
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
                    "label": data.country_name(c),
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
                        "label": [data.country_name(c) for c in rows["iso3"]],
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
    return t("target.short", title=target.title_in(lang).split(":")[0], group=target.group, year=target.target_year)


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
        years = _ranges(sorted(missing["year"].astype(int)))
        best = missing["coverage"].max()
        notes.append(t("explore.no_aggregate", group=label, years=years, best=format_number(100 * best, lang, 0)))
    return notes


def _ranges(years: list[int]) -> str:
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
    return ", ".join(out)


def trend_summary(series: pd.DataFrame, data: AppData, view: ExploreView, targets, t, lang: str) -> str:
    """One sentence: the latest year with values, each group's value, and the nearest target."""
    ok = series[series["kind"].isin(["group", "world", "country"])].dropna(subset=["value"])
    title = indicator_title(data, view.indicator, lang)
    if ok.empty:
        return t("summary.none", indicator=title)
    year = int(ok["year"].max())
    latest = ok[ok["year"] == year]
    items = [t("summary.item", label=r.label, value=format_number(r.value, lang)) for r in latest.itertuples()]
    text = t(
        "summary.trend", indicator=title, year=year, unit=unit_label(data, view.indicator, lang), items="; ".join(items)
    )
    if targets:
        tg = targets[0]
        text += " " + t(
            "summary.target", target=target_label(tg, lang, t), threshold=format_number(tg.threshold, lang, 0)
        )
    return text


def explore_trend(data: AppData, view: ExploreView, t) -> tuple:
    lang = t.lang
    start, end = year_range(data, view.start, view.end)
    series = explore_series(data, view, lang, t("legend.world"))
    targets = applicable_targets(data, view.indicator, view.sex, view.groups)
    title = indicator_title(data, view.indicator, lang)
    subtitle = t(
        "explore.subtitle",
        groups=", ".join(
            [group_label(data, g, lang) for g in view.groups] + [data.country_name(c) for c in view.countries]
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
    )
    summary = trend_summary(series, data, view, targets, t, lang)
    return fig, summary, missing_notes(series, t, lang), series, footer


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


def year_values(data: AppData, indicator: str, sex: str, year: int, codes=None) -> pd.DataFrame:
    rows = data.tidy[(data.tidy["indicator"] == indicator) & (data.tidy["sex"] == sex) & (data.tidy["year"] == year)]
    if codes:
        rows = rows[rows["iso3"].isin(codes)]
    return pd.DataFrame(
        {"iso3": rows["iso3"], "name": [data.country_name(c) for c in rows["iso3"]], "value": rows["value"]}
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
    values = year_values(data, view.indicator, view.sex, year)
    ind = data.registry[view.indicator]
    fig = figures.map_figure(
        values,
        title=title,
        subtitle=t(
            "map.subtitle",
            year=year,
            sex=sex_label(view.sex, t),
            focus=", ".join(group_label(data, g, lang) for g in view.groups),
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
    values = year_values(data, view.indicator, view.sex, year, codes or None)
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


def dumbbell_rows(data: AppData, indicator: str, group: str) -> pd.DataFrame:
    """Each member's latest year with both female and male values."""
    members = data.members(group, data.last_year) | data.members(group, 2018)
    t = data.tidy
    rows = t[(t["indicator"] == indicator) & (t["sex"].isin(["female", "male"])) & (t["iso3"].isin(list(members)))]
    if rows.empty:
        return pd.DataFrame(columns=["iso3", "name", "year", "female", "male"])
    wide = rows.pivot_table(index=["iso3", "year"], columns="sex", values="value").dropna().reset_index()
    if wide.empty:
        return pd.DataFrame(columns=["iso3", "name", "year", "female", "male"])
    latest = wide.sort_values("year").groupby("iso3").tail(1)
    latest = latest.assign(name=[data.country_name(c) for c in latest["iso3"]])
    return latest[["iso3", "name", "year", "female", "male"]].reset_index(drop=True)
