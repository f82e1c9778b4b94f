"""Distance to each target, its verdict judged at the deadline, and the anticipated progress before it.

**One rule, judged on the deadline's own value.** A threshold or band target is

* ``met`` when the value *in its deadline year* satisfies it (``met_year``: the first year of the run of satisfied
  years that reaches the deadline; reaching it earlier and falling back by the deadline is not met);
* ``met late`` when the deadline's value fails and a later year satisfies it (``met_year``: that later year);
* ``missed`` when the deadline's value fails and no year since does;
* ``insufficient data`` when there is **no value in the deadline year** once the deadline has passed: no verdict is
  ever inferred from an absent value. The reasons give the nearest values on either side (and, for a group, what the
  aggregate would read where a rule withheld it);
* ``on track`` / ``off track`` **only before the deadline** (the deadline year is after both this calendar year's
  last completed year and the data), by the **anticipated progress** method of the UN regional commissions (ESCAP's
  Anticipated Progress Index, used by UNECE and the other commissions for their SDG progress reports): the trend of
  the years *since the last series break* is projected to the deadline and compared with the target. ``on track``
  when the projected value satisfies it. The trend is a time-weighted least-squares line (weights rising linearly
  with the year, so recent years count more, as in ESCAP's method; the weights are ours), in the logit of the share
  for percentages (a share cannot pass 100%) and in the value itself otherwise, over the last ``WINDOW`` years and
  needing ``MIN_POINTS`` observed years spanning ``MIN_SPAN``; ``ratio`` is the share of the progress required from
  the fitted start of the window to the threshold that the projection achieves (1 or more: on track).
  A target without a deadline is ``met`` when the latest value satisfies it, else ``on track`` when the trend gets
  there by ``HORIZON``.

``met_by_deadline`` is True exactly for ``met`` with a deadline, False for ``met late`` and ``missed``, None
otherwise. ``value_at_deadline`` is the value in the target year (None when absent).

**Breaks.** ``breaks`` are the years in which a series changes definition, method or source (the snapshot's
``breaks.csv``, ``indicators.breaks``): a trend is never fitted across one. A verdict that would differ with the
breaking economy held on its old definition (``indicators.counterfactual``) is flagged ``break``, with a reason in
words. For a group, a member's break counts when it moves the aggregate by at least
``aggregates.MATERIAL_BREAK_EFFECT`` points in its year; the group's trend is then fitted after it.

**Witnesses** (``indicators.witnesses``): every publisher's own estimate for the group (ITU, the SDG database, the
World Bank, ITU's figures quoted by the General Assembly) is judged by the same rule. "Agrees" only when the verdicts
are the same word; any other decided verdict makes the row ``disputed``. A witness that cannot judge (insufficient
data) is listed and neither agrees nor disputes. Where our aggregate cannot judge, the witnesses decide: the first
in order of preference gives the verdict, ``disputed`` when the others who can judge say otherwise.

**Fragile**: a group verdict that flips under a stricter coverage rule (``FRAGILE_RULE``), whose threshold lies
inside the missing-data band of the judged year (``band_low``–``band_high``: where the value could lie if the members
without a value were like the lowest or the highest reporting member), or that rests on a value a rule withheld.

**Reasons are data**: each row's ``reasons`` is a tuple of ``(code, params)`` clauses (``REASON_CODES``); the CLI
words them in English (``reason_text``), the app from its catalogues. ``reason`` holds the English words.

**Prices** are judged on one basket definition: the one in force in the deadline year (or the latest, for a deadline
after the data), so a trend is never fitted across a change of basket (``one_basket``). Their group value is a
median whose coverage is a share of members (``no_members_coverage``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.aggregates import MATERIAL_BREAK_EFFECT

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
    "met_at_deadline": "{value} in {deadline} meets it (reached in {since})",
    "met_late": "{value_at} in {deadline} falls short; first met in {met} ({value_met})",
    "missed": "deadline {deadline} passed unmet: {value_at} in {deadline}, latest {latest} in {latest_year}",
    "no_deadline_value": "no value for {deadline}, the deadline: a verdict needs the deadline's own value",
    "nearest_before": "nearest before: {value} in {year}",
    "nearest_after": "nearest after: {value} in {year}",
    "withheld": (
        "in {year} our aggregate would read {value} but is withheld: {n} of {members} members report, "
        "{coverage}% of the population"
    ),
    "too_few": "only {n} observed value(s) in {start}–{end}; a projection needs {points} spanning {span} years",
    "trend_reaches": "the trend reaches it in {year}",
    "trend_never": "the trend does not reach it by {horizon}",
    "no_deadline": "no deadline; verdict on whether the trend reaches it by {horizon}",
    "anticipated": (
        "anticipated progress: the time-weighted trend of {first}–{last} gives {value} in {year}, "
        "{ratio}% of the progress required"
    ),
    "anticipated_keeps": "anticipated progress: the time-weighted trend of {first}–{last} gives {value} in {year}",
    "already_met": "already met in {year} ({value}); judged again at the {deadline} deadline",
    "fit_after_break": "trend fitted from {year}, after a break in the series",
    "no_coverage": (
        "no year in which reporting members hold ≥{rule}% of {entity}'s {population} (best: {best}% in {year})"
    ),
    "no_member": "no member of {entity} reports {indicator} ({sexes})",
    "no_members": (
        "no year in which at least {share}% of {entity}'s members, and at least {min}, report ({n} of {members} in "
        "{year})"
    ),
    "group_switch": "{old} until 2021, {new} from 2022",
    "witness_decides": "our aggregate cannot judge; {witness} decides: {verdict} ({value} in {year})",
    "witness_agrees": "{witness} agrees: {verdict} ({value} in {year})",
    "witness_says": "{witness}: {verdict} ({value} in {year})",
    "disputed": (
        "disputed: our aggregate says {ours} ({ours_value} in {ours_year}), {witness} says {theirs} ({value} in {year})"
    ),
    "witnesses_differ": "disputed: the publishers' estimates do not give the same verdict",
    "fragile": "fragile: with the coverage rule at {rule}% our aggregate would say {alternative}",
    "fragile_band": (
        "fragile: in {year} the value could lie anywhere in {low}–{high} if the members without a value were like "
        "the lowest or highest reporting member, and the threshold {threshold} lies inside that range"
    ),
    "break": (
        "depends on {economy}'s {year} change of {kind}: with {economy} held on its old {kind} the verdict would be "
        "{alternative}"
    ),
    "no_members_coverage": "no year in which ≥{rule}% of {entity}'s members report a price (best: {best}% in {year})",
    "one_basket": "judged on one basket definition, {basket} ({first}–{last}); other baskets are not joined to it",
}
#: the words of the parameters some reasons take, for ``reason_text`` (the app words them from its catalogues)
POPULATION_WORDS = {"total": "population", "female": "female population", "male": "male population",
                    "parity": "female/male population"}  # fmt: skip
SEXES_WORDS = {"parity": "female and male"}
#: the English names of the publishers that witness a verdict (``{"source": …, "edition": …}`` parameters)
WITNESS_WORDS = {
    "itu_key_ict": "ITU estimate",
    "un_sdg": "UN SDG database",
    "worldbank": "World Bank aggregate",
    "un_resolution": "ITU figure quoted in",
}
#: a derived witness's method, in words (``{"method": …}`` in the witness parameter)
WITNESS_METHOD_WORDS = {"income_groups": "derived from ITU's low-, lower-middle- and upper-middle-income estimates"}


def witness_words(value: dict) -> str:
    """``ITU estimate (2024-11)``, ``… for SIDS_OHRLLS``, ``…, derived from …``: a witness parameter in English."""
    if value["source"] == "un_resolution":  # the edition is the paragraph: "ITU figure quoted in A/RES/80/173 ¶20"
        words = f"{WITNESS_WORDS['un_resolution']} {value['edition']}"
    else:
        words = f"{WITNESS_WORDS.get(value['source'], value['source'])} ({value['edition']})"
    if value.get("group"):
        words += f" for {value['group']}"
    if value.get("method"):
        words += f", {WITNESS_METHOD_WORDS.get(value['method'], value['method'])}"
    return words


def witnesses_text(witnesses) -> str:
    """A row's ``witnesses`` in English, one per publisher: ``ITU estimate (2024-11): missed (0.9045 in 2020) | …``."""
    out = []
    for w in witnesses or ():
        value = "–" if w.get("value") is None else f"{w['value']:.4g}"
        year = "–" if w.get("year") is None else w["year"]
        out.append(f"{witness_words(w)}: {w['verdict']} ({value} in {year})")
    return " | ".join(out)


def reason_text(reasons) -> str:
    """The English words of a row's ``reasons`` (``(code, params)`` clauses), joined by '; '."""
    out = []
    for code, params in reasons or ():
        values = dict(params)
        for key, value in values.items():
            if isinstance(value, float):
                values[key] = f"{value:.4g}"
            elif isinstance(value, dict):  # a witness: {"source": …, "edition": …[, "group": …][, "method": …]}
                values[key] = witness_words(value)
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
        return (
            f"anticipated progress: time-weighted {kind} fit to {len(self.years)} points, "
            f"{self.years[0]}–{self.years[-1]}"
        )


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


def last_break(breaks: Iterable[int], last: int) -> int | None:
    """The latest break year at or before ``last`` (None when there is none)."""
    years = [int(b) for b in breaks if int(b) <= last]
    return max(years) if years else None


def fit_trend(series: pd.Series, bounded_percent: bool, breaks: Iterable[int] = ()) -> Trend | str:
    """Fit the recent trend of ``series`` (year → value) — the last ``WINDOW`` years, never across a break — as a
    time-weighted least-squares line; a string says why it cannot be fitted."""
    s = series.dropna().sort_index()
    if s.empty:
        return "no observed value"
    last = int(s.index.max())
    start = last - WINDOW + 1
    after = last_break(breaks, last)
    if after is not None:
        start = max(start, after)
    recent = s[s.index >= start]
    if len(recent) < MIN_POINTS or recent.index.max() - recent.index.min() < MIN_SPAN - 1:
        return TooFew({"n": len(recent), "start": start, "end": last, "points": MIN_POINTS, "span": MIN_SPAN})
    x = recent.index.to_numpy(dtype=float)
    y = recent.to_numpy(dtype=float)
    if bounded_percent:
        p = np.clip(y, EPS, 100 - EPS) / 100
        y = np.log(p / (1 - p))
    weights = x - x.min() + 1  # recent years count more (ESCAP's time-weighted regression)
    slope, intercept = np.polyfit(x, y, 1, w=np.sqrt(weights))  # polyfit squares w: least squares weighted by w²
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


def required_ratio(trend: Trend, year: int, comparator: str, threshold: float, band=None) -> float | None:
    """The share of the required progress the projection achieves: (projected − start) / (target − start), the start
    being the trend's value in the first year of its window; None when the start already satisfies the target."""
    start = trend.value(trend.years[0])
    if comparator == "within":
        lo, hi = band or (threshold, threshold)
        goal = lo if start < lo else hi
    else:
        goal = threshold
    if satisfies(start, comparator, threshold, band) or goal == start:
        return None
    return (trend.value(year) - start) / (goal - start)


def today_year() -> int:
    """This calendar year (a function, so tests can pin it)."""
    import datetime as dt

    return dt.date.today().year


def deadline_passed(target_year: int, latest_year: int | None) -> bool:
    """A deadline is judged once its year is over (before this calendar year) or the data reach it."""
    return target_year < today_year() or (latest_year is not None and target_year <= latest_year)


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
    breaks: Iterable[int] = (),
) -> dict:
    """Assess one series (year → observed value) against one target (see the module docstring)."""
    s = series.dropna().sort_index()
    s.index = s.index.astype(int)
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
    breaks = tuple(int(b) for b in breaks)
    latest_year, latest = int(s.index[-1]), float(s.iloc[-1])
    row.update(latest_year=latest_year, latest_value=latest, distance=distance_to(latest, comparator, threshold, band))
    ok = [int(y) for y, v in s.items() if satisfies(float(v), comparator, threshold, band)]
    met_now = satisfies(latest, comparator, threshold, band)
    trend = fit_trend(s, bounded_percent, breaks)
    if isinstance(trend, Trend):
        row["model"] = trend.name
        if not met_now:
            row["projected_year"] = first_year_satisfied(trend, latest_year + 1, comparator, threshold, band)
        if target_year is not None and target_year > latest_year:
            row["projected_value"] = trend.value(target_year)
    after = last_break(breaks, latest_year)
    fitted_after = [("fit_after_break", {"year": after})] if after is not None and after > latest_year - WINDOW else []

    if target_year is None:  # no deadline: met now, else whether the trend gets there
        if met_now:
            row["verdict"] = "met"
            row["met_year"] = ok[0] if ok else None
            return done()
        reasons.extend(fitted_after)
        if not isinstance(trend, Trend):
            reasons.append(_too_few(trend))
            return done()
        row["verdict"] = "on track" if row["projected_year"] else "off track"
        reasons.append(("no_deadline", {"horizon": HORIZON}))
        return done()

    if deadline_passed(target_year, latest_year):
        if target_year not in s.index:  # no verdict from an absent value
            reasons.append(("no_deadline_value", {"deadline": target_year}))
            before, after = s[s.index < target_year], s[s.index > target_year]
            if len(before):
                reasons.append(("nearest_before", {"value": float(before.iloc[-1]), "year": int(before.index[-1])}))
            if len(after):
                reasons.append(("nearest_after", {"value": float(after.iloc[0]), "year": int(after.index[0])}))
            return done()
        at = row["value_at_deadline"] = float(s[target_year])
        if satisfies(at, comparator, threshold, band):
            since = target_year  # the first year of the satisfied run that reaches the deadline
            for y in sorted(s.index[s.index < target_year], reverse=True):
                if not satisfies(float(s[y]), comparator, threshold, band):
                    break
                since = int(y)
            row.update(verdict="met", met_by_deadline=True, met_year=since)
            reasons.append(("met_at_deadline", {"value": at, "deadline": target_year, "since": since}))
            return done()
        row["met_by_deadline"] = False
        later = [y for y in ok if y > target_year]
        if later:
            row.update(verdict="met late", met_year=later[0])
            reasons.append(
                (
                    "met_late",
                    {"value_at": at, "deadline": target_year, "met": later[0], "value_met": float(s[later[0]])},
                )
            )
            return done()
        row["verdict"] = "missed"
        reasons.append(
            ("missed", {"deadline": target_year, "value_at": at, "latest": latest, "latest_year": latest_year})
        )
        if isinstance(trend, Trend):
            reasons.extend(fitted_after)
            reasons.append(_reaches(row["projected_year"]))
        return done()

    # before the deadline: anticipated progress
    reasons.extend(fitted_after)
    if not isinstance(trend, Trend):
        reasons.append(_too_few(trend))
        return done()
    value = row["projected_value"]
    on_track = satisfies(value, comparator, threshold, band)
    row["verdict"] = "on track" if on_track else "off track"
    if met_now:
        reasons.append(("already_met", {"year": latest_year, "value": latest, "deadline": target_year}))
    ratio = required_ratio(trend, target_year, comparator, threshold, band)
    fit = {"first": trend.years[0], "last": trend.years[-1], "value": value, "year": target_year}
    if ratio is None:  # the window starts inside the target: no progress is required, only keeping it
        reasons.append(("anticipated_keeps", fit))
    else:
        reasons.append(("anticipated", {**fit, "ratio": round(100 * ratio)}))
    if not on_track and not met_now:
        reasons.append(_reaches(row["projected_year"]))
    return done()


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


# ---- series for a target, and the progress table ---------------------------------------------------------------

FIRST_YEAR = 2000


def _years(tidy: pd.DataFrame) -> list[int]:
    return list(range(FIRST_YEAR, int(tidy["year"].max()) + 1))


def group_aggregate_frame(tidy, indicator: str, sex: str, members_for_year, rule=None, breaks=None) -> pd.DataFrame:
    """The group aggregate for every year, the years failing the coverage rule kept with ``value`` NaN (never
    interpolating a member across one of its ``breaks``)."""
    from indicators.aggregates import DEFAULT_RULE, aggregate

    members = {y: members_for_year(y) for y in _years(tidy)}
    frame = aggregate(
        tidy, indicator, members, group="_", sex=sex, keep_below_rule=True, rule=rule or DEFAULT_RULE, breaks=breaks
    )
    return frame.set_index("year")


def group_value_series(tidy, groups, indicator: str, sex: str, members_for_year) -> pd.Series:
    """year → the group aggregate (coverage rule applied), from ``members_for_year(year)``."""
    return group_aggregate_frame(tidy, indicator, sex, members_for_year)["value"].dropna()


def _sexes(target) -> tuple[str, ...]:
    return ("female", "male") if target.metric == "parity_score" else (target.sex,)


def _members_for_year(groups, target, entity: str):
    own = entity == target.group

    def members_for_year(year: int) -> frozenset[str]:
        return groups.members(target.group_for_year(year) if own else entity, year)

    return members_for_year


def _group_frames(tidy, groups, target, entity: str, rule=None, breaks=None) -> dict[str, pd.DataFrame]:
    members_for_year = _members_for_year(groups, target, entity)
    return {s: group_aggregate_frame(tidy, target.indicator, s, members_for_year, rule, breaks) for s in _sexes(target)}


def _combine(target, per_sex: dict[str, pd.Series]) -> pd.Series:
    """The target's series from its sexes' series: a parity score (women ÷ men) for parity targets."""
    if target.metric == "parity_score":
        female, male = per_sex["female"], per_sex["male"]
        both = female.index.intersection(male.index)
        both = both[male[both] > 0]  # a score needs a male rate above zero
        return (female[both] / male[both]).sort_index()
    return per_sex[target.sex].sort_index()


def _series_and_coverage(
    tidy, groups, target, entity: str, is_country: bool, rule=None, breaks=None
) -> tuple[pd.Series, pd.Series | None]:
    """(series, coverage): the target series and, for a group, year → the coverage that binds (the lower of the two
    sexes for a parity score); None for a country."""
    if is_country:
        rows = tidy[(tidy["indicator"] == target.indicator) & (tidy["iso3"] == entity)]
        per_sex = {s: rows[rows["sex"] == s].set_index("year")["value"].dropna() for s in _sexes(target)}
        return _combine(target, per_sex), None
    frames = _group_frames(tidy, groups, target, entity, rule, breaks)
    coverage = pd.concat([f["coverage"] for f in frames.values()], axis=1).min(axis=1)
    return _combine(target, {s: f["value"].dropna() for s, f in frames.items()}), coverage


def target_series(tidy: pd.DataFrame, groups, target, entity: str, is_country: bool = False) -> pd.Series:
    """year → the value the target is judged on (a parity score for parity targets) for a group or a country."""
    return _series_and_coverage(tidy, groups, target, entity, is_country)[0]


def no_value_reason(target, entity: str, coverage: pd.Series, frames=None) -> tuple[str, dict]:
    """Why a group has no value, as a reason code: no year passes the coverage rule (with the best coverage
    reached), years that pass it fail the members rule (``frames``: the group's aggregate frames, to say how many
    members report), or no member reports the indicator at all."""
    from indicators.aggregates import DEFAULT_RULE

    parity = target.metric == "parity_score"
    cov = coverage.dropna()
    if cov.empty or float(cov.max()) <= 0:
        sexes = "parity" if parity else target.sex
        return ("no_member", {"entity": entity, "indicator": target.indicator, "sexes": sexes})
    passing = cov[cov >= DEFAULT_RULE.min_coverage - 1e-12]
    if frames and len(passing) and not _is_price(target):
        year = int(passing.index.max())
        frame = next(iter(frames.values()))
        return (
            "no_members",
            {
                "entity": entity,
                "share": round(100 * DEFAULT_RULE.min_members_reporting),
                "min": DEFAULT_RULE.min_reporting,
                "year": year,
                "n": int(frame.loc[year, "n_reporting"]),
                "members": int(frame.loc[year, "n_members"]),
            },
        )
    if _is_price(target):
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


def _bounded(target) -> bool:
    from indicators.registry import load_registry

    return target.metric == "value" and load_registry()[target.indicator].unit == "percent"


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
    "break",
    "witnesses",
)


def _assess_args(target, entity: str) -> dict:
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
        "bounded_percent": _bounded(target),
    }


class _Context:
    """What one progress table shares across its rows: the data, and group series already computed."""

    def __init__(self, tidy, groups, published=None, breaks=None, seeds=()):
        self.tidy, self.groups, self.published, self.breaks, self.seeds = tidy, groups, published, breaks, seeds
        self._frames: dict = {}
        self._baskets: dict = {}
        self._economies: dict = {}

    def economy_breaks(self, indicator: str, sexes, iso3: str) -> list[tuple[int, str]]:
        """(year, kind) of one economy's recorded breaks in ``indicator`` for any of ``sexes`` (``*``: every sex)."""
        if not hasattr(self, "_break_index"):
            index: dict = {}
            if self.breaks is not None and not self.breaks.empty:
                for r in self.breaks[["iso3", "indicator", "sex", "year", "kind"]].itertuples(index=False):
                    index.setdefault((r.iso3, r.indicator), []).append((r.sex, int(r.year), str(r.kind)))
            self._break_index = index
        rows = self._break_index.get((iso3, indicator), ())
        return sorted({(year, kind) for sex, year, kind in rows if sex == "*" or sex in sexes})

    def economy_population(self, sex: str, year: int) -> pd.Series:
        """iso3 → population of ``sex`` in ``year`` (the latest earlier figure where that year has none)."""
        wide = self._wide("population", sex).ffill(axis=1)
        if year not in wide.columns:
            earlier = [y for y in wide.columns if y <= year]
            if not earlier:
                return pd.Series(dtype="float64")
            year = earlier[-1]
        return wide[year].dropna()

    def basket(self, target) -> tuple[str, int, int] | None:
        if target.id not in self._baskets:
            self._baskets[target.id] = basket_in_force(self.tidy, target)
        return self._baskets[target.id]

    def _wide(self, indicator: str, sex: str) -> pd.DataFrame:
        """iso3 × year of one indicator and sex (pivoted once)."""
        if (indicator, sex) not in self._economies:
            rows = self.tidy[(self.tidy["indicator"] == indicator) & (self.tidy["sex"] == sex)]
            self._economies[(indicator, sex)] = rows.pivot_table(
                index="iso3", columns="year", values="value", aggfunc="first"
            ).sort_index(axis=1)
        return self._economies[(indicator, sex)]

    def economy_series(self, indicator: str, sex: str, iso3: str) -> pd.Series:
        """year → one economy's observed values."""
        key = ("_series", indicator, sex)
        if key not in self._economies:
            wide = self._wide(indicator, sex)
            years = wide.columns.to_numpy(dtype=int)
            values = wide.to_numpy(dtype="float64")
            self._economies[key] = {
                iso3: pd.Series(row[~np.isnan(row)], index=years[~np.isnan(row)], dtype="float64")
                for iso3, row in zip(wide.index, values, strict=True)
            }
        found = self._economies[key].get(iso3)
        return found if found is not None else pd.Series(dtype="float64")

    def published_of(self, source: str) -> pd.DataFrame:
        """The publisher estimates of one source (split once)."""
        key = ("_published", source)
        if key not in self._economies:
            pub = self.published
            self._economies[key] = pub[pub["source"] == source] if pub is not None and len(pub) else pub
        return self._economies[key]

    def frames(self, target, entity: str, rule=None, tidy=None, key=()) -> dict[str, pd.DataFrame]:
        cache_key = (target.indicator, target.metric, target.sex, target.group, target.group_from_2022, entity)
        cache_key += (rule, key)
        if cache_key not in self._frames:
            self._frames[cache_key] = _group_frames(
                self.tidy if tidy is None else tidy, self.groups, target, entity, rule, self.breaks
            )
        return self._frames[cache_key]


def _judged_series(target, frames: dict[str, pd.DataFrame]) -> pd.Series:
    return _combine(target, {s: f["value"].dropna() for s, f in frames.items()})


def _basket_cut(ctx: _Context, target, series: pd.Series) -> tuple[pd.Series, tuple | None]:
    basket = ctx.basket(target)
    if basket is not None:  # never fit a trend, nor find a first year met, across two basket definitions
        series = series[(series.index >= basket[1]) & (series.index <= basket[2])]
    return series, basket


def _judge(ctx: _Context, target, entity: str, series: pd.Series, breaks=()) -> dict:
    series, basket = _basket_cut(ctx, target, series)
    row = assess(series, **_assess_args(target, entity), breaks=breaks)
    if basket is not None:
        row["reasons"] = (*row["reasons"], ("one_basket", {"basket": basket[0], "first": basket[1], "last": basket[2]}))
    return row


def _member_breaks(ctx: _Context, target, entity: str, frames) -> list[dict]:
    """The members' breaks that move the group's aggregate by at least ``MATERIAL_BREAK_EFFECT`` in their year, each
    with the group's series with that member held on its old definition."""
    from indicators.counterfactual import DEFINITION_KINDS, breaks_for, hold_on_old_definition

    if ctx.breaks is None or ctx.breaks.empty or _is_price(target):
        return []
    members = set()
    mfy = _members_for_year(ctx.groups, target, entity)
    for year in _years(ctx.tidy):
        members |= set(mfy(year))
    rows = pd.concat([breaks_for(ctx.breaks, target.indicator, s, members) for s in _sexes(target)])
    rows = rows[rows["kind"].isin(DEFINITION_KINDS)].drop_duplicates(["iso3", "year"])
    series = _judged_series(target, frames)
    out = []
    for r in rows.itertuples():
        year = int(r.year)
        if year not in series.index or r.iso3 not in mfy(year):
            continue
        if target.metric == "value" and _negligible(ctx, target, r.iso3, year, mfy(year)):
            continue
        held = hold_on_old_definition(ctx.tidy, r.iso3, target.indicator, year, _sexes(target), _bounded(target))
        if held is None:
            continue
        alt_frames = ctx.frames(target, entity, tidy=held, key=(r.iso3, year))
        alt = _judged_series(target, alt_frames)
        if year not in alt.index:
            continue
        effect = float(series[year] - alt[year])
        scale = 100.0 if target.metric == "parity_score" else 1.0  # a parity score moves in hundredths
        if abs(effect) * scale >= MATERIAL_BREAK_EFFECT:
            out.append({"iso3": r.iso3, "year": year, "kind": r.kind, "effect": effect, "series": alt})
    return out


def _negligible(ctx: _Context, target, iso3: str, year: int, members) -> bool:
    """A quick bound before recomputing the group: the member's step times its share of the group's population that
    year (the most it can move a weighted mean) below ``MATERIAL_BREAK_EFFECT``. Sums and members without a
    population are never skipped."""
    from indicators.counterfactual import step_at
    from indicators.registry import load_registry

    if load_registry()[target.indicator].aggregation != "mean":
        return False
    step = step_at(ctx.economy_series(target.indicator, target.sex, iso3), year)
    pop = ctx.economy_population(target.sex, year)
    total = float(pop.reindex(sorted(members)).sum())
    if step is None or iso3 not in pop.index or total <= 0:
        return False
    return abs(step) * float(pop[iso3]) / total < MATERIAL_BREAK_EFFECT


def _withheld(ctx: _Context, target, entity: str, frames) -> tuple[str, dict] | None:
    """What the aggregate would read in the deadline year where the coverage or members rule withheld it."""
    year = target.target_year
    if year is None or target.metric != "value":
        return None
    frame = frames[target.sex]
    if year not in frame.index or frame.loc[year, "value"] == frame.loc[year, "value"]:
        return None
    from indicators.aggregates import Rule

    loose = Rule(min_coverage=0.0, min_members_reporting=0.0, min_reporting=0)
    raw = ctx.frames(target, entity, rule=loose)[target.sex]
    if year not in raw.index or raw.loc[year, "value"] != raw.loc[year, "value"]:
        return None
    r = raw.loc[year]
    if int(r["n_reporting"]) == 0:
        return None
    return (
        "withheld",
        {
            "year": int(year),
            "value": float(r["value"]),
            "n": int(r["n_reporting"]),
            "members": int(r["n_members"]),
            "coverage": round(100 * float(r["coverage"]), 2),
        },
    )


def _band_reason(target, frames, row: dict) -> tuple[str, dict] | None:
    """``fragile_band`` when the threshold lies inside the judged year's missing-data band."""
    if target.metric != "value" or row["verdict"] in ("insufficient data", "on track", "off track"):
        return None
    frame = frames[target.sex]
    if "band_low" not in frame.columns:
        return None
    year = row["target_year"] if row["value_at_deadline"] is not None else row["latest_year"]
    if year is None or year not in frame.index:
        return None
    low, high = float(frame.loc[year, "band_low"]), float(frame.loc[year, "band_high"])
    if low != low or high != high:
        return None
    if satisfies(low, target.comparator, target.threshold, target.band) != satisfies(
        high, target.comparator, target.threshold, target.band
    ):
        return ("fragile_band", {"year": int(year), "low": low, "high": high, "threshold": target.threshold})
    return None


#: the clauses of a deciding witness's own judgement that say more than its verdict and value
FROM_WITNESS = ("met_late", "already_met", "anticipated", "fit_after_break", "trend_reaches", "trend_never")


def assess_target(
    tidy: pd.DataFrame,
    groups,
    target,
    entity: str,
    is_country: bool = False,
    published=None,
    *,
    breaks: pd.DataFrame | None = None,
    seeds=(),
    context: _Context | None = None,
) -> dict:
    """One target for one group or economy (see the module docstring): our verdict, its break flag, and for a
    group every witness, ``disputed`` and ``fragile``. ``breaks``: the snapshot's breaks table; ``seeds``: pairs of
    (paragraphs, symbol) of the resolutions whose quoted figures witness a verdict."""
    ctx = context or _Context(tidy, groups, published, breaks, seeds)
    extra = {
        "applies": is_country or target.applies_to_group(entity),
        "witness": "",
        "witness_edition": "",
        "witness_value": None,
        "witness_verdict": "",
        "decided_by": "ours",
        "disputed": False,
        "fragile": False,
        "fragile_verdict": "",
        "break": False,
        "witnesses": (),
    }
    if is_country:
        return _assess_country(ctx, target, entity, extra)
    frames = ctx.frames(target, entity)
    series = _judged_series(target, frames)
    material = _member_breaks(ctx, target, entity, frames)
    row = _judge(ctx, target, entity, series, breaks=[m["year"] for m in material])
    row.update(extra, verdict_ours=row["verdict"])
    ours = list(row["reasons"])
    if series.empty:
        coverage = pd.concat([f["coverage"] for f in frames.values()], axis=1).min(axis=1)
        ours = [no_value_reason(target, entity, coverage, frames)]
    withheld = _withheld(ctx, target, entity, frames) if row["verdict"] == "insufficient data" else None
    if withheld is not None:
        ours.append(withheld)
    if entity == target.group and target.group_from_2022:
        ours.append(("group_switch", {"old": target.group, "new": target.group_from_2022}))

    # witnesses, judged by the same rule; where ours cannot judge, they decide
    from indicators.witnesses import compare, judged_value, witnesses_for

    found = witnesses_for(target, entity, ctx.published_of, seeds=ctx.seeds, tidy=ctx.tidy, groups=ctx.groups)
    judged = [(w, _judge(ctx, target, entity, w.series)) for w in found]
    result = compare(row, judged, entity, target.target_year)
    listed = []
    for w, j in judged:
        value, year = judged_value(w, j, target.target_year)
        listed.append({**w.name(entity), "verdict": j["verdict"], "value": value, "year": year})
    row["witnesses"] = tuple(listed)
    if listed:
        first = listed[0]
        row.update(
            witness=first["source"],
            witness_edition=first["edition"],
            witness_value=first["value"],
            witness_verdict=first["verdict"],
        )
    clauses = list(result["clauses"])
    adopt = result["adopt"]
    if adopt is not None:
        for key in ("verdict", "met_year", "met_by_deadline", "value_at_deadline", "latest_year", "latest_value",
                    "distance", "projected_year", "projected_value", "model"):  # fmt: skip
            row[key] = adopt[key]
        # the deciding witness, what its trend says, the others
        clauses = [clauses[0], *[r for r in adopt["reasons"] if r[0] in FROM_WITNESS], *clauses[1:]]
    row.update(decided_by=result["decided_by"], disputed=result["disputed"])
    verdict = row["verdict"]

    # a member's break: the verdict with that member held on its old definition
    flags: list[tuple[str, dict]] = []
    for m in material:
        others = [x["year"] for x in material if x is not m]
        alt = _judge(ctx, target, entity, m["series"], breaks=others)
        if alt["verdict"] != verdict and alt["verdict"] != "insufficient data":
            row["break"] = True
            flags.append(
                ("break", {"economy": m["iso3"], "year": m["year"], "kind": m["kind"], "alternative": alt["verdict"]})
            )

    # fragile: a stricter coverage rule, the missing-data band, a withheld deadline value (our verdicts only)
    if adopt is None:
        from indicators.aggregates import Rule

        # prices: a stricter share of members; rates and counts: a stricter population share, the same members rule
        strict_rule = Rule(min_members_reporting=FRAGILE_MEMBERS) if _is_price(target) else Rule(FRAGILE_RULE)
        strict = _judge(ctx, target, entity, _judged_series(target, ctx.frames(target, entity, rule=strict_rule)))
        if strict["verdict"] != verdict:
            row.update(fragile=True, fragile_verdict=strict["verdict"])
            rule = round(100 * (FRAGILE_MEMBERS if _is_price(target) else FRAGILE_RULE))
            flags.append(("fragile", {"rule": rule, "alternative": strict["verdict"]}))
        band = _band_reason(target, frames, row)
        if band is not None:
            row["fragile"] = True
            flags.append(band)
        if withheld is not None:
            row["fragile"] = True
    reasons = [*ours, *flags, *clauses]
    row["reasons"] = tuple(reasons)
    row["reason"] = reason_text(reasons)
    return row


def _assess_country(ctx: _Context, target, iso3: str, extra: dict) -> dict:
    """One target for one economy: judged on its own values, never fitted across its breaks, flagged ``break`` when
    the verdict would differ with the economy held on its old definition."""
    from indicators.counterfactual import DEFINITION_KINDS, hold_on_old_definition

    series = _combine(target, {s: ctx.economy_series(target.indicator, s, iso3) for s in _sexes(target)})
    own = ctx.economy_breaks(target.indicator, _sexes(target), iso3)
    years = sorted({year for year, _kind in own})
    row = _judge(ctx, target, iso3, series, breaks=years)
    row.update(extra, verdict_ours=row["verdict"])
    reasons = list(row["reasons"])
    done: set[int] = set()
    for year, kind in own:
        if kind not in DEFINITION_KINDS or year in done:
            continue
        done.add(year)
        held = hold_on_old_definition(ctx.tidy, iso3, target.indicator, year, _sexes(target), _bounded(target))
        if held is None:
            continue
        alt_series, _ = _series_and_coverage(held, ctx.groups, target, iso3, True)
        alt = _judge(ctx, target, iso3, alt_series, breaks=[y for y in years if y != year])
        if alt["verdict"] != row["verdict"]:
            row["break"] = True
            reasons.append(("break", {"economy": iso3, "year": year, "kind": kind, "alternative": alt["verdict"]}))
    row["reasons"] = tuple(reasons)
    row["reason"] = reason_text(reasons)
    return row


def progress_table(
    tidy: pd.DataFrame,
    groups,
    targets,
    *,
    group: str | None = None,
    iso3: str | None = None,
    published: pd.DataFrame | None = None,
    breaks: pd.DataFrame | None = None,
    seeds=(),
) -> pd.DataFrame:
    """Every tracked target's verdict: for its own group by default, or benchmarked for ``group`` or ``iso3``;
    ``published`` (the publishers' own group estimates) and ``seeds`` (the resolutions' quoted figures) witness each
    group verdict; ``breaks`` (the snapshot's breaks table) keeps trends off series breaks and flags verdicts that
    depend on one."""
    ctx = _Context(tidy, groups, published, breaks, seeds)
    rows = []
    for target in targets:
        if not target.tracked or not target.indicator:
            continue
        if iso3:
            rows.append(assess_target(tidy, groups, target, iso3, is_country=True, context=ctx))
        else:
            rows.append(assess_target(tidy, groups, target, group or target.group, context=ctx))
    return pd.DataFrame(rows, columns=[*PROGRESS_COLUMNS, *PROGRESS_EXTRA])


def resolution_seeds() -> tuple[tuple[dict, str], ...]:
    """The resolutions whose quoted figures witness verdicts: (paragraphs, symbol) of A/RES/80/173 and 70/125."""
    from indicators.targets import SEEDS_80_173_PATH, load_seeds

    return ((load_seeds(SEEDS_80_173_PATH), "A/RES/80/173"), (load_seeds(), "A/RES/70/125"))
