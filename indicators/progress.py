"""Distance to each target, a projection to its year, and a verdict.

**Projection model.** Internet use, household access and network coverage are adoption shares that follow S-shaped
diffusion curves; a straight line through their recent values overshoots 100% and misreads the slowdown near
saturation. For percentages we therefore fit a straight line to the *logit* of the share (a logistic diffusion
curve, the standard model for technology adoption), which can approach but never pass 100%. Per-100 rates (which may
exceed 100) and parity scores are projected with an ordinary least-squares line. The fit uses the observed points of
the last ``WINDOW`` years up to the latest value and needs at least ``MIN_POINTS`` of them spanning at least
``MIN_SPAN`` years; otherwise the verdict is ``insufficient data`` and the reason says what is missing.

**Verdicts.** ``met``: the latest value satisfies the target. ``on track``: not yet met, and the projection
satisfies it by the target year. ``off track``: not met and the projection does not reach it in time (or the
deadline has passed unmet). ``insufficient data``: no value, or too few points to project. For deadlines already
past, ``met_by_deadline`` says whether an observed value at or before the deadline satisfied the target,
``met_year`` the first observed year it did, and ``projected_year`` when the trend reaches it if it has not.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

WINDOW = 8
MIN_POINTS = 3
MIN_SPAN = 3
HORIZON = 2060
EPS = 0.05  # percent: logit needs 0 < p < 100

PROGRESS_COLUMNS = (
    "target_id",
    "entity",
    "indicator",
    "sex",
    "metric",
    "comparator",
    "threshold",
    "target_year",
    "latest_year",
    "latest_value",
    "distance",
    "projected_value",
    "projected_year",
    "met_year",
    "met_by_deadline",
    "verdict",
    "reason",
    "model",
)


@dataclass(frozen=True)
class Trend:
    """A fitted trend: ``value(year)``; logistic in percent space when ``logit``."""

    slope: float
    intercept: float
    logit: bool
    years: tuple[int, ...]

    def value(self, year: float) -> float:
        y = self.intercept + self.slope * year
        if self.logit:
            return 100.0 / (1.0 + math.exp(-y))
        return y

    @property
    def name(self) -> str:
        kind = "logistic (linear in logit)" if self.logit else "linear"
        return f"{kind} fit to {len(self.years)} points, {self.years[0]}–{self.years[-1]}"


def satisfies(value: float, comparator: str, threshold: float, band: tuple[float, float] | None = None) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    if comparator == ">=":
        return value >= threshold - 1e-9
    if comparator == "<=":
        return value <= threshold + 1e-9
    if comparator == "within":
        lo, hi = band or (threshold, threshold)
        return lo - 1e-9 <= value <= hi + 1e-9
    raise ValueError(f"unknown comparator {comparator!r}")


def distance_to(value: float, comparator: str, threshold: float, band: tuple[float, float] | None = None) -> float:
    """How far the value still has to go (0 when the target is satisfied), in the target's unit."""
    if comparator == ">=":
        return max(0.0, threshold - value)
    if comparator == "<=":
        return max(0.0, value - threshold)
    lo, hi = band or (threshold, threshold)
    return max(0.0, lo - value, value - hi)


def fit_trend(series: pd.Series, bounded_percent: bool) -> Trend | str:
    """Fit the recent trend of ``series`` (year → value); a string says why it cannot be fitted."""
    s = series.dropna().sort_index()
    if s.empty:
        return "no observed value"
    last = int(s.index.max())
    recent = s[s.index > last - WINDOW]
    if len(recent) < MIN_POINTS or recent.index.max() - recent.index.min() < MIN_SPAN - 1:
        return (
            f"only {len(recent)} observed value(s) in {last - WINDOW + 1}–{last}; "
            f"a projection needs {MIN_POINTS} spanning {MIN_SPAN} years"
        )
    x = recent.index.to_numpy(dtype=float)
    y = recent.to_numpy(dtype=float)
    if bounded_percent:
        p = np.clip(y, EPS, 100 - EPS) / 100
        y = np.log(p / (1 - p))
    slope, intercept = np.polyfit(x, y, 1)
    return Trend(float(slope), float(intercept), bounded_percent, tuple(int(v) for v in recent.index))


def first_year_satisfied(trend: Trend, start: int, comparator: str, threshold: float, band=None) -> int | None:
    for year in range(start, HORIZON + 1):
        if satisfies(trend.value(year), comparator, threshold, band):
            return year
    return None


def assess(
    series: pd.Series,
    *,
    target_id: str,
    entity: str,
    indicator: str,
    sex: str,
    metric: str,
    comparator: str,
    threshold: float,
    band: tuple[float, float] | None,
    target_year: int | None,
    bounded_percent: bool,
) -> dict:
    """Assess one series (year → observed value) against one target."""
    s = series.dropna().sort_index()
    row = {
        "target_id": target_id,
        "entity": entity,
        "indicator": indicator,
        "sex": sex,
        "metric": metric,
        "comparator": comparator,
        "threshold": threshold,
        "target_year": target_year,
        "latest_year": None,
        "latest_value": None,
        "distance": None,
        "projected_value": None,
        "projected_year": None,
        "met_year": None,
        "met_by_deadline": None,
        "verdict": "insufficient data",
        "reason": "",
        "model": "",
    }
    if s.empty:
        row["reason"] = f"no value for {entity}"
        return row
    latest_year, latest = int(s.index[-1]), float(s.iloc[-1])
    row.update(latest_year=latest_year, latest_value=latest, distance=distance_to(latest, comparator, threshold, band))
    ok = [int(y) for y, v in s.items() if satisfies(float(v), comparator, threshold, band)]
    row["met_year"] = ok[0] if ok else None
    if target_year is not None and s.index.min() <= target_year:
        row["met_by_deadline"] = any(y <= target_year for y in ok)
    met_now = satisfies(latest, comparator, threshold, band)
    trend = fit_trend(s, bounded_percent)
    if isinstance(trend, Trend):
        row["model"] = trend.name
        row["projected_year"] = (
            latest_year if met_now else first_year_satisfied(trend, latest_year + 1, comparator, threshold, band)
        )
        if target_year is not None and target_year > latest_year:
            row["projected_value"] = trend.value(target_year)
    if met_now:
        row["verdict"] = "met"
        return row
    if not isinstance(trend, Trend):
        row["reason"] = trend
        return row
    if target_year is not None and target_year <= latest_year:
        row["verdict"] = "off track"
        when = (
            f"the trend reaches it in {row['projected_year']}"
            if row["projected_year"]
            else "the trend does not reach it by 2060"
        )
        row["reason"] = f"deadline {target_year} passed unmet; {when}"
        return row
    if target_year is None:
        row["verdict"] = "on track" if row["projected_year"] else "off track"
        row["reason"] = "no deadline; verdict on whether the trend reaches it by 2060"
        return row
    on_track = satisfies(row["projected_value"], comparator, threshold, band)
    row["verdict"] = "on track" if on_track else "off track"
    return row


def to_frame(rows: Iterable[dict]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(PROGRESS_COLUMNS))


__all__ = ["Trend", "assess", "fit_trend", "satisfies", "distance_to", "to_frame", "asdict"]


# ---- series for a target, and the progress table ---------------------------------------------------------------

FIRST_YEAR = 2000


def _years(tidy: pd.DataFrame) -> list[int]:
    return list(range(FIRST_YEAR, int(tidy["year"].max()) + 1))


def group_value_series(tidy, groups, indicator: str, sex: str, members_for_year) -> pd.Series:
    """year → the group aggregate (coverage rule applied), from ``members_for_year(year)``."""
    from indicators.aggregates import aggregate

    members = {y: members_for_year(y) for y in _years(tidy)}
    agg = aggregate(tidy, indicator, members, group="_", sex=sex)
    return agg.set_index("year")["value"]


def target_series(tidy: pd.DataFrame, groups, target, entity: str, is_country: bool = False) -> pd.Series:
    """year → the value the target is judged on (a parity score for parity targets) for a group or a country."""
    sexes = ("female", "male") if target.metric == "parity_score" else (target.sex,)
    if is_country:
        rows = tidy[(tidy["indicator"] == target.indicator) & (tidy["iso3"] == entity)]
        per_sex = {s: rows[rows["sex"] == s].set_index("year")["value"] for s in sexes}
    else:
        own = entity == target.group

        def members_for_year(year: int) -> frozenset[str]:
            return groups.members(target.group_for_year(year) if own else entity, year)

        per_sex = {s: group_value_series(tidy, groups, target.indicator, s, members_for_year) for s in sexes}
    if target.metric == "parity_score":
        female, male = per_sex["female"], per_sex["male"]
        both = female.index.intersection(male.index)
        return (female[both] / male[both]).sort_index()
    return per_sex[sexes[0]].sort_index()


def assess_target(tidy: pd.DataFrame, groups, target, entity: str, is_country: bool = False) -> dict:
    from indicators.registry import load_registry

    series = target_series(tidy, groups, target, entity, is_country)
    bounded = target.metric == "value" and load_registry()[target.indicator].unit == "percent"
    row = assess(
        series,
        target_id=target.id,
        entity=entity,
        indicator=target.indicator,
        sex=target.sex if target.metric == "value" else "female/male",
        metric=target.metric,
        comparator=target.comparator,
        threshold=target.threshold,
        band=target.band,
        target_year=target.target_year,
        bounded_percent=bounded,
    )
    row["applies"] = is_country or target.applies_to_group(entity)
    if not is_country and entity == target.group and target.group_from_2022:
        row["reason"] = (row["reason"] + "; " if row["reason"] else "") + (
            f"{target.group} until 2021, {target.group_from_2022} from 2022"
        )
    return row


def progress_table(
    tidy: pd.DataFrame, groups, targets, *, group: str | None = None, iso3: str | None = None
) -> pd.DataFrame:
    """Every tracked target's verdict: for its own group by default, or benchmarked for ``group`` or ``iso3``."""
    rows = []
    for target in targets:
        if not target.tracked or not target.indicator:
            continue
        if iso3:
            rows.append(assess_target(tidy, groups, target, iso3, is_country=True))
        else:
            rows.append(assess_target(tidy, groups, target, group or target.group))
    frame = pd.DataFrame(rows, columns=[*PROGRESS_COLUMNS, "applies"])
    return frame
