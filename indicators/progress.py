"""Distance to each target, a projection to its year, and a verdict.

**Projection model.** Internet use, household access and network coverage are adoption shares that follow S-shaped
diffusion curves; a straight line through their recent values overshoots 100% and misreads the slowdown near
saturation. For percentages we therefore fit a straight line to the *logit* of the share (a logistic diffusion
curve, the standard model for technology adoption), which can approach but never pass 100%. Per-100 rates (which may
exceed 100) and parity scores are projected with an ordinary least-squares line. The fit uses the observed points of
the last ``WINDOW`` years up to the latest value and needs at least ``MIN_POINTS`` of them spanning at least
``MIN_SPAN`` years; otherwise the verdict is ``insufficient data`` and the reason says what is missing.

**Verdicts.** ``met``: the latest value satisfies the target. ``on track``: not yet met, and the projection
reaches it by the target year (for a ``within`` band: enters the band; a linear parity trend may pass through the
band and out again, so ``projected_value`` at the target year can lie outside it). ``off track``: not met and the
projection does not reach it in time (or the deadline has passed unmet). ``insufficient data``: no value, or too
few points to project. ``met_by_deadline`` says whether an observed value at or before the deadline satisfied the
target (True as soon as one did; None while the deadline lies after the latest value and the target is unmet);
``met_year`` is the first observed year it did, and ``projected_year`` when the trend reaches it if the latest
value does not (None when met, or when the trend does not reach it by ``HORIZON``).

**Groups without a value.** A group's series holds only the years that pass the coverage rule of
:mod:`indicators.aggregates`; when none does, the reason says so and gives the best coverage reached.
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
        if self.logit:  # 100 / (1 + e^-y), written so that a large |y| cannot overflow
            if y >= 0:
                return 100.0 / (1.0 + math.exp(-y))
            return 100.0 * math.exp(y) / (1.0 + math.exp(y))
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
    """The first year from ``start`` in which the trend satisfies the target (a trend that steps over a narrow
    ``within`` band between two years counts in the second); None when not by ``HORIZON``."""
    lo, hi = band or (threshold, threshold)
    before = trend.value(start - 1)
    for year in range(start, HORIZON + 1):
        value = trend.value(year)
        if satisfies(value, comparator, threshold, band):
            return year
        if comparator == "within" and (before < lo < hi < value or value < lo < hi < before):
            return year
        before = value
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
        if any(y <= target_year for y in ok):
            row["met_by_deadline"] = True
        elif target_year <= latest_year:
            row["met_by_deadline"] = False  # the deadline passed within the data, unmet
    met_now = satisfies(latest, comparator, threshold, band)
    trend = fit_trend(s, bounded_percent)
    if isinstance(trend, Trend):
        row["model"] = trend.name
        if not met_now:
            row["projected_year"] = first_year_satisfied(trend, latest_year + 1, comparator, threshold, band)
        if target_year is not None and target_year > latest_year:
            row["projected_value"] = trend.value(target_year)
    if met_now:
        row["verdict"] = "met"
        if target_year is not None and row["met_year"] is not None and row["met_year"] > target_year:
            row["reason"] = f"met in {row['met_year']}, after the {target_year} deadline"
        return row
    if not isinstance(trend, Trend):
        row["reason"] = trend
        return row
    if target_year is not None and target_year <= latest_year:
        row["verdict"] = "off track"
        when = (
            f"the trend reaches it in {row['projected_year']}"
            if row["projected_year"]
            else f"the trend does not reach it by {HORIZON}"
        )
        row["reason"] = f"deadline {target_year} passed unmet; {when}"
        return row
    if target_year is None:
        row["verdict"] = "on track" if row["projected_year"] else "off track"
        row["reason"] = f"no deadline; verdict on whether the trend reaches it by {HORIZON}"
        return row
    on_track = row["projected_year"] is not None and row["projected_year"] <= target_year
    row["verdict"] = "on track" if on_track else "off track"
    gives = f"the trend gives {row['projected_value']:.4g} in {target_year}"
    if row["projected_year"]:
        row["reason"] = f"{gives}; it reaches the target in {row['projected_year']}"
    else:
        row["reason"] = f"{gives}; it does not reach the target by {HORIZON}"
    return row


def to_frame(rows: Iterable[dict]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(PROGRESS_COLUMNS))


__all__ = ["Trend", "assess", "fit_trend", "satisfies", "distance_to", "to_frame", "asdict"]


# ---- series for a target, and the progress table ---------------------------------------------------------------

FIRST_YEAR = 2000


def _years(tidy: pd.DataFrame) -> list[int]:
    return list(range(FIRST_YEAR, int(tidy["year"].max()) + 1))


def group_aggregate_frame(tidy, indicator: str, sex: str, members_for_year) -> pd.DataFrame:
    """The group aggregate for every year, the years failing the coverage rule kept with ``value`` NaN."""
    from indicators.aggregates import aggregate

    members = {y: members_for_year(y) for y in _years(tidy)}
    return aggregate(tidy, indicator, members, group="_", sex=sex, keep_below_rule=True).set_index("year")


def group_value_series(tidy, groups, indicator: str, sex: str, members_for_year) -> pd.Series:
    """year → the group aggregate (coverage rule applied), from ``members_for_year(year)``."""
    return group_aggregate_frame(tidy, indicator, sex, members_for_year)["value"].dropna()


def _series_and_coverage(tidy, groups, target, entity: str, is_country: bool) -> tuple[pd.Series, pd.Series | None]:
    """(series, coverage): the target series and, for a group, year → the coverage that binds (the lower of the two
    sexes for a parity score); None for a country."""
    sexes = ("female", "male") if target.metric == "parity_score" else (target.sex,)
    coverage = None
    if is_country:
        rows = tidy[(tidy["indicator"] == target.indicator) & (tidy["iso3"] == entity)]
        per_sex = {s: rows[rows["sex"] == s].set_index("year")["value"].dropna() for s in sexes}
    else:
        own = entity == target.group

        def members_for_year(year: int) -> frozenset[str]:
            return groups.members(target.group_for_year(year) if own else entity, year)

        frames = {s: group_aggregate_frame(tidy, target.indicator, s, members_for_year) for s in sexes}
        per_sex = {s: f["value"].dropna() for s, f in frames.items()}
        coverage = pd.concat([f["coverage"] for f in frames.values()], axis=1).min(axis=1)
    if target.metric == "parity_score":
        female, male = per_sex["female"], per_sex["male"]
        both = female.index.intersection(male.index)
        both = both[male[both] > 0]  # a score needs a male rate above zero
        return (female[both] / male[both]).sort_index(), coverage
    return per_sex[sexes[0]].sort_index(), coverage


def target_series(tidy: pd.DataFrame, groups, target, entity: str, is_country: bool = False) -> pd.Series:
    """year → the value the target is judged on (a parity score for parity targets) for a group or a country."""
    return _series_and_coverage(tidy, groups, target, entity, is_country)[0]


def no_value_reason(target, entity: str, coverage: pd.Series) -> str:
    """Why a group has no value: no year passes the coverage rule (with the best coverage reached), or no member
    reports the indicator at all."""
    from indicators.aggregates import DEFAULT_RULE

    if target.metric == "parity_score":
        whose = f"{entity}'s female/male population"
        sexes = "female and male"
    else:
        whose = f"{entity}'s population" if target.sex == "total" else f"{entity}'s {target.sex} population"
        sexes = target.sex
    cov = coverage.dropna()
    if cov.empty or float(cov.max()) <= 0:
        return f"no member of {entity} reports {target.indicator} ({sexes})"
    best_year = int(cov.idxmax())
    return (
        f"no year in which reporting members hold ≥{DEFAULT_RULE.min_coverage:.0%} of {whose} "
        f"(best: {float(cov.max()):.0%} in {best_year})"
    )


def assess_target(tidy: pd.DataFrame, groups, target, entity: str, is_country: bool = False) -> dict:
    from indicators.registry import load_registry

    series, coverage = _series_and_coverage(tidy, groups, target, entity, is_country)
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
    if series.empty and coverage is not None:
        row["reason"] = no_value_reason(target, entity, coverage)
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
