"""What a refresh must prove before it may replace a series: the same kind of data, at least as complete.

A publisher can answer with HTTP 200 and still be wrong: aggregates only, another indicator, a file cut short, the
same file for every series id, a value of ``1e999``. Each fetched series is compared with what the snapshot holds for
the same (source, upstream code) before anything is written:

* **the code the answer names is the one asked for** (every row's upstream code);
* **it holds economies**, not only aggregates;
* **it does not shrink**: neither its economies nor its rows fall by more than ``tolerance`` (2%) against the
  snapshot, unless the caller allows it (``--allow-shrink``);
* **every value is finite and plausible for its unit** (``BOUNDS``: percentages in [0, 100]; per-100 rates in
  [0, 500] — the highest mobile-cellular rates are near 400; counts in [0, 2·10¹⁰] — the world has 8·10⁹ people and
  subscriptions are of the same order; prices in (0, 10⁴] % of monthly GNI per capita and (0, 2·10⁴] US$ or PPP$ a
  month — ITU's dearest basket on record is 3,153% of GNI (fixed broadband, 2008) and 5,589 PPP$; a 0 is a missing
  price, never a free one).

A violation raises :class:`RefreshRefused` naming the series, the URL and the rule; ``check_series`` otherwise returns
a :class:`SeriesReport` (rows, economies, years, points added, removed and changed, the largest changes), which the
refresh writes next to the snapshot.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

#: how far a series may shrink (economies or rows) against the snapshot before a refresh is refused
TOLERANCE = 0.02
#: plausible values per registry unit (inclusive)
BOUNDS = {
    "percent": (0.0, 100.0),
    "per100": (0.0, 500.0),
    "count": (0.0, 2e10),
    "percent_gni": (1e-9, 1e4),
    "usd": (1e-9, 2e4),
    "ppp": (1e-9, 2e4),
}
#: a value "changed" when it moved by more than this (in its unit)
CHANGED = 1e-9


class RefreshRefused(ValueError):
    """A fetched series is not the same kind of data as the one it would replace, or not as complete."""


@dataclass(frozen=True)
class SeriesReport:
    source: str
    code: str
    url: str
    rows: int
    economies: int
    first_year: int | None
    last_year: int | None
    held_rows: int
    held_economies: int
    added: int
    removed: int
    changed: int
    largest: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def check_series(
    raw: pd.DataFrame,
    economies: pd.DataFrame,
    held: pd.DataFrame,
    *,
    source: str,
    code: str,
    url: str,
    unit: str,
    allow_shrink: bool = False,
    tolerance: float = TOLERANCE,
) -> SeriesReport:
    """Check one fetched series against the snapshot's rows of it (see the module docstring).

    ``raw`` is the whole answer (economies and aggregates), ``economies`` its economy rows, ``held`` the snapshot's
    rows of the same (source, code) (any columns of the tidy frame).
    """
    where = f"{source} {code} ({url})"
    codes = sorted(set(raw["source_code"].astype(str))) if len(raw) else []
    if codes and codes != [code]:
        raise RefreshRefused(f"{where}: the answer names {', '.join(codes)}, not the {code} asked for")
    if len(raw) and economies.empty:
        raise RefreshRefused(f"{where}: the answer holds aggregates only, no economy")
    values = economies["value"].astype("float64").to_numpy() if len(economies) else np.array([])
    bad = ~np.isfinite(values)
    if bad.any():
        row = economies.iloc[int(np.argmax(bad))]
        raise RefreshRefused(f"{where}: a value that is not finite ({row['iso3']} {int(row['year'])}: {row['value']})")
    lo, hi = BOUNDS.get(unit, (-math.inf, math.inf))
    out = (values < lo) | (values > hi)
    if out.any():
        row = economies.iloc[int(np.argmax(out))]
        raise RefreshRefused(
            f"{where}: {row['iso3']} {int(row['year'])} = {row['value']:g} lies outside [{lo:g}, {hi:g}] for {unit}"
        )
    n_econ, n_rows = economies["iso3"].nunique() if len(economies) else 0, len(economies)
    held_econ, held_rows = held["iso3"].nunique() if len(held) else 0, len(held)
    if not allow_shrink:
        for what, now, before in (("economies", n_econ, held_econ), ("rows", n_rows, held_rows)):
            if before and now < before * (1 - tolerance):
                raise RefreshRefused(
                    f"{where}: {what} would shrink from {before:,} to {now:,} "
                    f"(more than {tolerance:.0%}); pass --allow-shrink to accept it"
                )
    return _report(economies, held, source=source, code=code, url=url)


def _report(economies: pd.DataFrame, held: pd.DataFrame, *, source: str, code: str, url: str) -> SeriesReport:
    key = ["iso3", "year", "sex"]
    new = economies[[*key, "value"]] if len(economies) else pd.DataFrame(columns=[*key, "value"])
    old = held[[*key, "value"]] if len(held) else pd.DataFrame(columns=[*key, "value"])
    both = old.merge(new, on=key, how="outer", suffixes=("_old", "_new"), indicator=True)
    common = both[both["_merge"] == "both"].copy()
    common["change"] = common["value_new"].astype(float) - common["value_old"].astype(float)
    moved = common[common["change"].abs() > CHANGED]
    top = moved.reindex(moved["change"].abs().sort_values(ascending=False).index).head(5)
    largest = [
        {
            "iso3": str(r.iso3),
            "year": int(r.year),
            "sex": str(r.sex),
            "old": float(r.value_old),
            "new": float(r.value_new),
        }
        for r in top.itertuples()
    ]
    years = new["year"].astype(int) if len(new) else pd.Series(dtype=int)
    return SeriesReport(
        source=source,
        code=code,
        url=url,
        rows=len(new),
        economies=int(new["iso3"].nunique()) if len(new) else 0,
        first_year=int(years.min()) if len(years) else None,
        last_year=int(years.max()) if len(years) else None,
        held_rows=len(old),
        held_economies=int(old["iso3"].nunique()) if len(old) else 0,
        added=int((both["_merge"] == "right_only").sum()),
        removed=int((both["_merge"] == "left_only").sum()),
        changed=len(moved),
        largest=largest,
    )
