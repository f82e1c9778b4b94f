"""2015 → 2025: each figure resolution 70/125 (WSIS+10) states beside the matching figure of 80/173 (WSIS+20), and
what the data say for both years — ITU's own estimates (Key ICT, November 2024) and our aggregates.

A figure matches another when both measure the same thing (the indicator, or the related indicator and how the
figure derives from it, plus the area) for the same group and sex. The resolutions' figures are ITU's: 70/125's
were projections for end-2015, 80/173's are ITU's 2025 figures (Facts and Figures 2025), which no file here holds;
the data columns give the latest year there is (2024). A figure with no series here (online content by language,
school connectivity) is kept with ``status`` ``no_series``, so a page can say so in words.
"""

from __future__ import annotations

import math

import pandas as pd

from indicators.aggregates import aggregate

THEN_NOW_COLUMNS = (
    "indicator",
    "derive",
    "area",
    "measure",
    "group",
    "sex",
    "then_paragraph",
    "then_value",
    "then_qualifier",
    "now_paragraph",
    "now_value",
    "now_qualifier",
    "itu_then",
    "itu_now",
    "itu_now_year",
    "ours_then",
    "ours_now",
    "ours_now_year",
    "status",
)
THEN, NOW = 2015, 2025


def _key(fig: dict) -> tuple:
    ind = fig.get("indicator") or (fig.get("related_indicator") if (fig.get("derive") or fig.get("area")) else None)
    return (ind, fig.get("derive") or "", fig.get("area") or "total", fig.get("group"), fig.get("sex", "total"))


def _figures(seeds: dict, year: int) -> dict[tuple, tuple[int, dict]]:
    """{key: (paragraph, figure)} of the figures in percent for ``year`` (the first one stated wins)."""
    out: dict[tuple, tuple[int, dict]] = {}
    for number in sorted(seeds):
        for fig in seeds[number].figures:
            if fig.get("unit") != "percent" or fig.get("value") is None or int(fig.get("year", 0)) != year:
                continue
            key = _key(fig)
            if not key[0]:  # no series: keyed by what it measures
                key = (None, fig.get("measure"), fig.get("area") or "total", fig.get("group"), fig.get("sex", "total"))
            out.setdefault(key, (number, fig))
    return out


def then_and_now(tidy: pd.DataFrame, groups, then_seeds: dict, now_seeds: dict, published=None) -> pd.DataFrame:
    """One row per figure of either resolution, matched across them (see the module docstring)."""
    then, now = _figures(then_seeds, THEN), _figures(now_seeds, NOW)
    years = list(range(2000, int(tidy["year"].max()) + 1))
    rows = []
    for key in list(dict.fromkeys([*then, *now])):
        indicator, derive, area, group, sex = key
        t_par, t_fig = then.get(key, (None, {}))
        n_par, n_fig = now.get(key, (None, {}))
        row = {
            "indicator": indicator or "",
            "derive": derive if indicator else "",
            "area": area,
            "measure": t_fig.get("measure") or n_fig.get("measure") or "",
            "group": group,
            "sex": sex,
            "then_paragraph": t_par,
            "then_value": t_fig.get("value"),
            "then_qualifier": t_fig.get("qualifier", ""),
            "now_paragraph": n_par,
            "now_value": n_fig.get("value"),
            "now_qualifier": n_fig.get("qualifier", ""),
            "itu_then": None,
            "itu_now": None,
            "itu_now_year": None,
            "ours_then": None,
            "ours_now": None,
            "ours_now_year": None,
            "status": "ok" if indicator else "no_series",
        }
        if indicator:
            _fill_data(row, tidy, groups, years, published, indicator, derive, area, group, sex)
        rows.append(row)
    return pd.DataFrame(rows, columns=list(THEN_NOW_COLUMNS))


def _fill_data(row, tidy, groups, years, published, indicator, derive, area, group, sex) -> None:
    def transform(value):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return 100 - float(value) if derive == "complement" else float(value)

    if area == "total" and group in groups.ids():
        members = {y: groups.members(group, y) for y in years}
        agg = aggregate(tidy, indicator, members, group=group, sex=sex).set_index("year")["value"]
        row["ours_then"] = transform(agg.get(THEN))
        upto = agg[agg.index <= NOW]
        if len(upto):
            row["ours_now"], row["ours_now_year"] = transform(upto.iloc[-1]), int(upto.index[-1])
    if published is not None and len(published):
        itu = published[
            (published["source"] == "itu_key_ict")
            & (published["indicator"] == indicator)
            & (published["sex"] == sex)
            & (published["area"] == area)
        ]
        # ITU's SIDS are UN-OHRLLS's list: its nearest group stands in for M49's (indicators.published.NEAREST_GROUP)
        from indicators.published import NEAREST_GROUP

        theirs = {group, *(g for (src, ours), g in NEAREST_GROUP.items() if src == "itu_key_ict" and ours == group)}
        itu = itu[itu["group"].isin(theirs)]
        itu = itu.set_index("year")["value"].sort_index() if len(itu) else pd.Series(dtype=float)
        row["itu_then"] = transform(itu.get(THEN))
        upto = itu[itu.index <= NOW]
        if len(upto):
            row["itu_now"], row["itu_now_year"] = transform(upto.iloc[-1]), int(upto.index[-1])
