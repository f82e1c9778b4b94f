"""Distance to each target, a projection to its year, and a verdict.

**Projection model.** Internet use, household access and network coverage are adoption shares that follow S-shaped
diffusion curves; a straight line through their recent values overshoots 100% and misreads the slowdown near
saturation. For percentages we therefore fit a straight line to the *logit* of the share (a logistic diffusion
curve, the standard model for technology adoption), which can approach but never pass 100%. Per-100 rates (which may
exceed 100) and parity scores are projected with an ordinary least-squares line. The fit uses the observed points of
the last ``WINDOW`` years up to the latest value and needs at least ``MIN_POINTS`` of them spanning at least
``MIN_SPAN`` years; otherwise the verdict is ``insufficient data`` and the reason says what is missing.

**Verdicts**, judged at the target's deadline, in this order of precedence: ``met`` (first reached in or before the
target year; for a band such as gender parity, a state rather than a threshold crossed once: inside the band at the
last value at or before the deadline) · ``met late`` (first reached after it) · ``missed`` (the deadline lies within
the data and the target was not reached by the latest value) · ``on track`` / ``off track`` (the deadline is still
ahead of the data: the projection reaches it by then or not; a deadline already past in the calendar but not yet in
the data — a 2025 target with data to 2024 — says "no 2025 data yet") · ``insufficient data`` (no value, or too few
points to project). ``met_by_deadline`` is True exactly when the verdict is ``met`` with a deadline, False for ``met
late`` and ``missed``, None otherwise; ``met_year`` is the first observed year the target was satisfied,
``value_at_deadline`` the value in the target year, and ``projected_year`` when the trend reaches it if the latest
value does not (None when met, or when the trend does not reach it by ``HORIZON``).

**Reasons are data**: each row's ``reasons`` is a tuple of ``(code, params)`` clauses (``REASON_CODES``); the CLI
words them in English (``reason_text``), the app from its catalogues. ``reason`` holds the English words.

**Prices** are judged on one basket definition: the one in force in the deadline year (or the latest, for a deadline
after the data), so a trend is never fitted across a change of basket (``one_basket``). Their group value is a
median whose coverage is a share of members (``no_members_coverage``).

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
    "value_at_deadline",
    "verdict",
    "reason",
    "model",
    "reasons",
)

#: the verdicts, in order of precedence
VERDICTS = ("met", "met late", "missed", "on track", "off track", "insufficient data")

#: every reason code and its English words (``reason_text``); the app's catalogues hold ``reason.<code>`` in every
#: language, and tests/test_i18n.py fails on a code one of them lacks
REASON_CODES: dict[str, str] = {
    "no_value": "no value for {entity}",
    "no_observed": "no observed value",
    "met_in_time": "first reached in {met}, by the {deadline} deadline",
    "met_late": "met in {met}, after the {deadline} deadline",
    "missed": "deadline {deadline} passed unmet: {value_at} in {deadline}, latest {latest} in {latest_year}",
    "missed_no_value": "deadline {deadline} passed unmet; no value for {deadline}, latest {latest} in {latest_year}",
    "no_data_yet": "no {deadline} data yet",
    "too_few": "only {n} observed value(s) in {start}–{end}; a projection needs {points} spanning {span} years",
    "trend_reaches": "the trend reaches it in {year}",
    "trend_never": "the trend does not reach it by {horizon}",
    "no_deadline": "no deadline; verdict on whether the trend reaches it by {horizon}",
    "gives_reaches": "the trend gives {value} in {year}; it reaches the target in {reach}",
    "gives_never": "the trend gives {value} in {year}; it does not reach the target by {horizon}",
    "no_coverage": (
        "no year in which reporting members hold ≥{rule}% of {entity}'s {population} (best: {best}% in {year})"
    ),
    "no_member": "no member of {entity} reports {indicator} ({sexes})",
    "group_switch": "{old} until 2021, {new} from 2022",
    "witness_decides": "our aggregate is absent; {witness} decides: {value} in {year}",
    "witness_agrees": "{witness} agrees: {verdict} ({value} in {year})",
    "witness_says": "{witness}: {verdict} ({value} in {year})",
    "disputed": (
        "disputed: our aggregate says {ours} ({ours_value} in {year}), {witness} says {theirs} ({value} in {year})"
    ),
    "fragile": "fragile: with the coverage rule at {rule}% our aggregate would say {alternative}",
    "no_members_coverage": "no year in which ≥{rule}% of {entity}'s members report a price (best: {best}% in {year})",
    "one_basket": "judged on one basket definition, {basket} ({first}–{last}); other baskets are not joined to it",
}
#: the words of the parameters some reasons take, for ``reason_text`` (the app words them from its catalogues)
POPULATION_WORDS = {"total": "population", "female": "female population", "male": "male population",
                    "parity": "female/male population"}  # fmt: skip
SEXES_WORDS = {"parity": "female and male"}
#: the English names of the publishers that witness a verdict (``{"source": …, "edition": …}`` parameters)
WITNESS_WORDS = {"itu_key_ict": "ITU estimate", "un_sdg": "UN SDG database", "worldbank": "World Bank aggregate"}


def reason_text(reasons) -> str:
    """The English words of a row's ``reasons`` (``(code, params)`` clauses), joined by '; '."""
    out = []
    for code, params in reasons or ():
        values = dict(params)
        for key, value in values.items():
            if isinstance(value, float):
                values[key] = f"{value:.4g}"
            elif isinstance(value, dict):  # a witness: {"source": …, "edition": …[, "group": its own list]}
                words = f"{WITNESS_WORDS.get(value['source'], value['source'])} ({value['edition']})"
                values[key] = words + (f" for {value['group']}" if value.get("group") else "")
        if code == "no_coverage":
            values["population"] = POPULATION_WORDS[values["population"]]
        if code == "no_member":
            values["sexes"] = SEXES_WORDS.get(values["sexes"], values["sexes"])
        out.append(REASON_CODES[code].format(**values))
    return "; ".join(out)


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


class TooFew(str):
    """Why a trend cannot be fitted (too few points), as words with the parameters kept (``params``)."""

    params: dict

    def __new__(cls, params: dict):
        out = super().__new__(cls, REASON_CODES["too_few"].format(**params))
        out.params = params
        return out


def fit_trend(series: pd.Series, bounded_percent: bool) -> Trend | str:
    """Fit the recent trend of ``series`` (year → value); a string says why it cannot be fitted."""
    s = series.dropna().sort_index()
    if s.empty:
        return "no observed value"
    last = int(s.index.max())
    recent = s[s.index > last - WINDOW]
    if len(recent) < MIN_POINTS or recent.index.max() - recent.index.min() < MIN_SPAN - 1:
        return TooFew(
            {"n": len(recent), "start": last - WINDOW + 1, "end": last, "points": MIN_POINTS, "span": MIN_SPAN}
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
        "value_at_deadline": None,
        "verdict": "insufficient data",
        "reason": "",
        "model": "",
        "reasons": (),
    }
    reasons: list[tuple[str, dict]] = []

    def done() -> dict:
        row["reasons"] = tuple(reasons)
        row["reason"] = reason_text(reasons)
        return row

    if s.empty:
        reasons.append(("no_value", {"entity": entity}))
        return done()
    latest_year, latest = int(s.index[-1]), float(s.iloc[-1])
    row.update(latest_year=latest_year, latest_value=latest, distance=distance_to(latest, comparator, threshold, band))
    ok = [int(y) for y, v in s.items() if satisfies(float(v), comparator, threshold, band)]
    met_year = row["met_year"] = ok[0] if ok else None
    if target_year is not None and target_year in s.index:
        row["value_at_deadline"] = float(s[target_year])
    met_now = satisfies(latest, comparator, threshold, band)
    trend = fit_trend(s, bounded_percent)
    if isinstance(trend, Trend):
        row["model"] = trend.name
        if not met_now:
            row["projected_year"] = first_year_satisfied(trend, latest_year + 1, comparator, threshold, band)
        if target_year is not None and target_year > latest_year:
            row["projected_value"] = trend.value(target_year)

    if target_year is None:  # no deadline: met now, else whether the trend gets there
        if met_now:
            row["verdict"] = "met"
            return done()
        if not isinstance(trend, Trend):
            reasons.append(_too_few(trend))
            return done()
        row["verdict"] = "on track" if row["projected_year"] else "off track"
        reasons.append(("no_deadline", {"horizon": HORIZON}))
        return done()

    if comparator == "within":
        # a band (parity) is a state, not a threshold crossed once: judged on the last value at or before the
        # deadline, and "met late" from the first year in the band after it
        before = s[s.index <= target_year]
        in_time = len(before) and satisfies(float(before.iloc[-1]), comparator, threshold, band)
        met_year = row["met_year"] = (
            int(before.index[-1]) if in_time else next((y for y in ok if y > target_year), None)
        )
    if met_year is not None and met_year <= target_year:
        row.update(verdict="met", met_by_deadline=True)
        reasons.append(("met_in_time", {"met": met_year, "deadline": target_year}))
        return done()
    if target_year <= latest_year:  # the deadline lies within the data, and was not met by then
        row["met_by_deadline"] = False
        if met_year is not None:
            row["verdict"] = "met late"
            reasons.append(("met_late", {"met": met_year, "deadline": target_year}))
            return done()
        row["verdict"] = "missed"
        at = row["value_at_deadline"]
        params = {"deadline": target_year, "latest": latest, "latest_year": latest_year}
        reasons.append(("missed", {**params, "value_at": at}) if at is not None else ("missed_no_value", params))
        if isinstance(trend, Trend):
            reasons.append(_reaches(row["projected_year"]))
        return done()
    # the deadline is ahead of the data
    if not isinstance(trend, Trend):
        reasons.append(_too_few(trend))
        return done()
    on_track = row["projected_year"] is not None and row["projected_year"] <= target_year
    row["verdict"] = "on track" if on_track else "off track"
    if target_year < today_year():
        reasons.append(("no_data_yet", {"deadline": target_year}))
    value = row["projected_value"]
    if row["projected_year"]:
        reasons.append(("gives_reaches", {"value": value, "year": target_year, "reach": row["projected_year"]}))
    else:
        reasons.append(("gives_never", {"value": value, "year": target_year, "horizon": HORIZON}))
    return done()


def today_year() -> int:
    """This calendar year (a function, so tests can pin it)."""
    import datetime as dt

    return dt.date.today().year


def _too_few(text: str) -> tuple[str, dict]:
    """The reason ``fit_trend`` gave, as a code: no value, or too few points (``TooFew``)."""
    if isinstance(text, TooFew):
        return ("too_few", dict(text.params))
    return ("no_observed", {})


def _reaches(projected_year: int | None) -> tuple[str, dict]:
    if projected_year:
        return ("trend_reaches", {"year": projected_year})
    return ("trend_never", {"horizon": HORIZON})


def to_frame(rows: Iterable[dict]) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(PROGRESS_COLUMNS))


__all__ = ["Trend", "assess", "fit_trend", "satisfies", "distance_to", "to_frame", "asdict"]


# ---- series for a target, and the progress table ---------------------------------------------------------------

FIRST_YEAR = 2000


def _years(tidy: pd.DataFrame) -> list[int]:
    return list(range(FIRST_YEAR, int(tidy["year"].max()) + 1))


def group_aggregate_frame(tidy, indicator: str, sex: str, members_for_year, rule=None) -> pd.DataFrame:
    """The group aggregate for every year, the years failing the coverage rule kept with ``value`` NaN."""
    from indicators.aggregates import DEFAULT_RULE, aggregate

    members = {y: members_for_year(y) for y in _years(tidy)}
    frame = aggregate(tidy, indicator, members, group="_", sex=sex, keep_below_rule=True, rule=rule or DEFAULT_RULE)
    return frame.set_index("year")


def group_value_series(tidy, groups, indicator: str, sex: str, members_for_year) -> pd.Series:
    """year → the group aggregate (coverage rule applied), from ``members_for_year(year)``."""
    return group_aggregate_frame(tidy, indicator, sex, members_for_year)["value"].dropna()


def _series_and_coverage(
    tidy, groups, target, entity: str, is_country: bool, rule=None
) -> tuple[pd.Series, pd.Series | None]:
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

        frames = {s: group_aggregate_frame(tidy, target.indicator, s, members_for_year, rule) for s in sexes}
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


def no_value_reason(target, entity: str, coverage: pd.Series) -> tuple[str, dict]:
    """Why a group has no value, as a reason code: no year passes the coverage rule (with the best coverage
    reached), or no member reports the indicator at all."""
    from indicators.aggregates import DEFAULT_RULE
    from indicators.registry import load_registry

    parity = target.metric == "parity_score"
    cov = coverage.dropna()
    if cov.empty or float(cov.max()) <= 0:
        sexes = "parity" if parity else target.sex
        return ("no_member", {"entity": entity, "indicator": target.indicator, "sexes": sexes})
    if load_registry()[target.indicator].is_price:
        best = {"best": round(100 * float(cov.max())), "year": int(cov.idxmax())}
        return (
            "no_members_coverage",
            {"rule": round(100 * DEFAULT_RULE.min_members_reporting), "entity": entity, **best},
        )
    return (
        "no_coverage",
        {
            "rule": round(100 * DEFAULT_RULE.min_coverage),
            "entity": entity,
            "population": "parity" if parity else target.sex,
            "best": round(100 * float(cov.max())),
            "year": int(cov.idxmax()),
        },
    )


#: the coverage rule a verdict is re-judged with to see whether it is fragile (for prices: the share of members
#: reporting, the 50% rule plus 10 points, as 80% is the population rule plus 10)
FRAGILE_RULE = 0.80
FRAGILE_MEMBERS = 0.60


def _is_price(target) -> bool:
    from indicators.registry import load_registry

    return bool(target.indicator) and load_registry()[target.indicator].is_price


def basket_in_force(tidy: pd.DataFrame, target) -> tuple[str, int, int] | None:
    """(basket, first_year, last_year) a price target is judged on: the basket of its deadline year, else the latest
    basket (None when the indicator is not a price or has no basket)."""
    from indicators.tidy import basket_starts

    if not _is_price(target):
        return None
    rows = basket_starts(tidy[tidy["indicator"] == target.indicator])
    if rows.empty:
        return None
    year = target.target_year
    hit = rows[(rows["first_year"] <= year) & (rows["last_year"] >= year)] if year else rows.iloc[0:0]
    r = (hit if len(hit) else rows.sort_values("first_year")).iloc[-1]
    return str(r["basket"]), int(r["first_year"]), int(r["last_year"])


#: decided outcomes: met / not met (None: not decided yet)
OUTCOME = {"met": True, "met late": False, "missed": False}


def assess_target(tidy: pd.DataFrame, groups, target, entity: str, is_country: bool = False, published=None) -> dict:
    """One target for one group or economy. For a group: our aggregate's verdict, beside the first publisher's own
    estimate that exists (``published``: the snapshot's publisher aggregates) — the witness — and whether the
    verdict flips with an 80% coverage rule (``fragile``)."""
    from indicators.aggregates import Rule

    row = _assess_series(tidy, groups, target, entity, is_country)
    row.update(
        applies=is_country or target.applies_to_group(entity),
        verdict_ours=row["verdict"],
        witness="",
        witness_edition="",
        witness_value=None,
        witness_verdict="",
        decided_by="ours",
        disputed=False,
        fragile=False,
        fragile_verdict="",
    )
    if is_country:
        return row
    reasons = list(row["reasons"])
    strict_rule = Rule(min_coverage=FRAGILE_RULE, min_members_reporting=FRAGILE_MEMBERS)
    strict = _assess_series(tidy, groups, target, entity, is_country, rule=strict_rule)
    if strict["verdict"] != row["verdict"]:
        row.update(fragile=True, fragile_verdict=strict["verdict"])
        price = _is_price(target)
        rule = round(100 * (FRAGILE_MEMBERS if price else FRAGILE_RULE))
        reasons.append(("fragile", {"rule": rule, "alternative": strict["verdict"]}))
    witness = _witness(target, entity, published)
    if witness is not None:
        source, edition, series, their_group = witness
        theirs = assess(series, **_assess_args(target, entity))
        year = target.target_year if target.target_year in series.index else theirs["latest_year"]
        value = float(series[year]) if year in series.index else None
        name = {"source": source, "edition": edition}
        if their_group != entity:  # the publisher's own list (ITU's SIDS: UN-OHRLLS's)
            name["group"] = their_group
        row.update(witness=source, witness_edition=edition, witness_value=value, witness_verdict=theirs["verdict"])
        ours, their_outcome = OUTCOME.get(row["verdict"]), OUTCOME.get(theirs["verdict"])
        if row["verdict"] == "insufficient data" and theirs["verdict"] != "insufficient data":
            row.update(
                verdict=theirs["verdict"],
                decided_by=source,
                met_year=theirs["met_year"],
                met_by_deadline=theirs["met_by_deadline"],
                value_at_deadline=theirs["value_at_deadline"],
                latest_year=theirs["latest_year"],
                latest_value=theirs["latest_value"],
                distance=theirs["distance"],
                projected_year=theirs["projected_year"],
                projected_value=theirs["projected_value"],
                model=theirs["model"],
            )
            reasons = [*theirs["reasons"], ("witness_decides", {"witness": name, "value": value, "year": year})]
        elif ours is not None and their_outcome is not None and ours != their_outcome:
            row["disputed"] = True
            ours_value = row["value_at_deadline"] if row["value_at_deadline"] is not None else row["latest_value"]
            reasons.append(
                (
                    "disputed",
                    {
                        "ours": row["verdict"],
                        "ours_value": ours_value,
                        "witness": name,
                        "theirs": theirs["verdict"],
                        "value": value,
                        "year": year,
                    },
                )  # fmt: skip
            )
        elif value is not None:
            reasons.append(
                ("witness_agrees", {"witness": name, "verdict": theirs["verdict"], "value": value, "year": year})
            )
    row["reasons"] = tuple(reasons)
    row["reason"] = reason_text(reasons)
    return row


def _assess_args(target, entity: str) -> dict:
    from indicators.registry import load_registry

    bounded = target.metric == "value" and load_registry()[target.indicator].unit == "percent"
    return {
        "target_id": target.id,
        "entity": entity,
        "indicator": target.indicator,
        "sex": target.sex if target.metric == "value" else "female/male",
        "metric": target.metric,
        "comparator": target.comparator,
        "threshold": target.threshold,
        "band": target.band,
        "target_year": target.target_year,
        "bounded_percent": bounded,
    }


def _assess_series(tidy, groups, target, entity: str, is_country: bool, rule=None) -> dict:
    series, coverage = _series_and_coverage(tidy, groups, target, entity, is_country, rule)
    basket = basket_in_force(tidy, target)
    if basket is not None:  # never fit a trend, nor find a first year met, across two basket definitions
        series = series[(series.index >= basket[1]) & (series.index <= basket[2])]
    row = assess(series, **_assess_args(target, entity))
    reasons = list(row["reasons"])
    if basket is not None:
        reasons.append(("one_basket", {"basket": basket[0], "first": basket[1], "last": basket[2]}))
    if series.empty and coverage is not None:
        reasons = [no_value_reason(target, entity, coverage)]
    if not is_country and entity == target.group and target.group_from_2022:
        reasons.append(("group_switch", {"old": target.group, "new": target.group_from_2022}))
    row["reasons"] = tuple(reasons)
    row["reason"] = reason_text(reasons)
    return row


#: the publishers whose own estimates witness a group verdict, in order of preference
WITNESSES = ("itu_key_ict", "un_sdg", "worldbank")


def _witness(target, entity: str, published) -> tuple[str, str, pd.Series, str] | None:
    """(publisher, edition, year → value, the publisher's own group) of the first publisher with an estimate of the
    target's series for ``entity`` (a parity score from its women's and men's estimates for parity targets), or None."""
    from indicators import published as pub

    if published is None or published.empty or target.group_from_2022:
        return None
    for source in WITNESSES:
        if target.metric == "parity_score":
            rows = pub.parity_rows(published[published["source"] == source], target.indicator, entity)
            if rows.empty:
                continue
            edition = str(rows["edition"].max())
            rows = rows[rows["edition"] == edition]
            return source, edition, rows.set_index("year")["parity_score"].sort_index(), str(rows["group"].iloc[0])
        rows = pub.for_group(published[published["source"] == source], target.indicator, entity, target.sex)
        if rows.empty:
            continue
        edition = str(rows["edition"].max())
        rows = rows[rows["edition"] == edition]
        return source, edition, rows.set_index("year")["value"].sort_index(), str(rows["group"].iloc[0])
    return None


PROGRESS_EXTRA = (
    "applies",
    "verdict_ours",
    "witness",
    "witness_edition",
    "witness_value",
    "witness_verdict",
    "decided_by",
    "disputed",
    "fragile",
    "fragile_verdict",
)


def progress_table(
    tidy: pd.DataFrame,
    groups,
    targets,
    *,
    group: str | None = None,
    iso3: str | None = None,
    published: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every tracked target's verdict: for its own group by default, or benchmarked for ``group`` or ``iso3``;
    ``published`` (the publishers' own group estimates) adds the witness to each group verdict."""
    rows = []
    for target in targets:
        if not target.tracked or not target.indicator:
            continue
        if iso3:
            rows.append(assess_target(tidy, groups, target, iso3, is_country=True))
        else:
            rows.append(assess_target(tidy, groups, target, group or target.group, published=published))
    return pd.DataFrame(rows, columns=[*PROGRESS_COLUMNS, *PROGRESS_EXTRA])
