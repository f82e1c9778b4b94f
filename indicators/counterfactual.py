"""An economy held on its old definition after a series break: what a number would be without the break.

When a publisher changes what a series counts (China's Internet users from 2023 include people who use mobile
applications but say they do not use the Internet), the values from the break year on are not comparable with those
before. We never rewrite the published values; to say whether a *verdict* depends on the change, we build the
series the economy would have had on its old definition and judge again (``indicators.progress``).

**The old definition, estimated.** The step at the break is the jump from the last value before the break year to
the first value from it, less the change the economy's own recent trend would have given over those years (the median
of its last ``TREND_INTERVALS`` year-on-year changes before the break, per year; none when it has fewer than two
values before the break). Every value from the break year on is lowered by that step (kept within 0–100 for
percentages). This is the level-shift (chain-linking) treatment statistical offices apply to a series break when no
overlap year is published; it is an estimate, used only to test a verdict, never drawn as data.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from indicators.breaks import select

#: how many year-on-year changes before a break give the expected change
TREND_INTERVALS = 4
#: the break kinds that change what a value means (a ``withdrawn`` run is a hole, not a new definition)
DEFINITION_KINDS = ("definition", "method", "source")


def breaks_for(
    breaks: pd.DataFrame | None, indicator: str, sex: str, iso3: Iterable[str] | None = None
) -> pd.DataFrame:
    """The rows of the breaks table for one indicator and sex (``*`` rows count for every sex), optionally for some
    economies (``indicators.breaks.select``)."""
    return select(breaks, indicator, sex, iso3)


def break_years(breaks: pd.DataFrame | None, indicator: str, sex: str, iso3: str) -> tuple[int, ...]:
    """The years an economy's series breaks (every kind: a trend is never fitted across a withdrawn run either)."""
    rows = breaks_for(breaks, indicator, sex, [iso3])
    return tuple(sorted({int(y) for y in rows["year"]}))


def step_at(series: pd.Series, year: int) -> float | None:
    """The part of the jump into ``year`` that the economy's own recent trend does not explain (None when the series
    has no value on one side of the break)."""
    s = series.dropna().sort_index()
    before, after = s[s.index < year], s[s.index >= year]
    if before.empty or after.empty:
        return None
    p, b = int(before.index[-1]), int(after.index[0])
    jump = float(after.iloc[0]) - float(before.iloc[-1])
    recent = before.tail(TREND_INTERVALS + 1)
    if len(recent) >= 2:
        per_year = pd.Series(recent.to_numpy(dtype=float)).diff() / pd.Series(recent.index.to_numpy(dtype=float)).diff()
        expected = float(per_year.dropna().median()) * (b - p)
    else:
        expected = 0.0
    return jump - expected


def old_definition(series: pd.Series, year: int, bounded_percent: bool) -> pd.Series | None:
    """``series`` with every value from ``year`` on lowered by the step at the break (None when there is no step)."""
    step = step_at(series, year)
    if step is None:
        return None
    out = series.astype(float).copy()
    later = out.index >= year
    out[later] = out[later] - step
    if bounded_percent:
        out = out.clip(0.0, 100.0)
    return out


def hold_on_old_definition(
    tidy: pd.DataFrame, iso3: str, indicator: str, year: int, sexes: Iterable[str], bounded_percent: bool
) -> pd.DataFrame | None:
    """``tidy`` with one economy's ``indicator`` (each of ``sexes``) on its old definition from ``year`` on; None when
    no sex has a value on both sides of the break."""
    mask = (tidy["iso3"] == iso3) & (tidy["indicator"] == indicator) & tidy["sex"].isin(list(sexes))
    rows = tidy.loc[mask]
    if rows.empty:
        return None
    changed = False
    values = rows["value"].astype(float).copy()
    for _sex, part in rows.groupby("sex"):
        series = pd.Series(part["value"].to_numpy(dtype=float), index=part["year"].to_numpy(dtype=int))
        held = old_definition(series, year, bounded_percent)
        if held is None:
            continue
        values.loc[part.index] = held.to_numpy()
        changed = True
    if not changed:
        return None
    out = tidy.copy()
    out.loc[values.index, "value"] = values
    return out
