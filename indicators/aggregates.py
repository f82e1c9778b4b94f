"""Population-weighted group aggregates with explicit gap filling and a coverage rule.

Method (the About page and ``METHOD`` say the same):

* **Means for rates** (percent and per-100 indicators): ``Σ wᵢ·vᵢ / Σ wᵢ`` over members with a value, where the
  weight ``wᵢ`` is the member's population of the same sex in that year (female rates by female population, male by
  male, total by total). Households with Internet are weighted by population, a proxy for households (we hold no
  household counts). Per-100 rates weighted by population equal the group's subscriptions per 100 inhabitants.
* **Sums for counts** (subscriptions, population): ``Σ vᵢ`` over members with a value (observed or filled).
* **Gaps** (for aggregation only; never written back to the tidy frame): a member without a value in a year gets a
  linear interpolation between its observations on either side when those are at most ``max_gap`` years apart
  (4 by default), else — after its latest observation only — that observation carried forward for at most
  ``max_carry`` years (2 by default); a recorded break (below) ends a series for both. A member whose gap is wider,
  or whose latest value is older, has no value that year: it neither reports nor counts as filled. Nothing is
  extrapolated backwards. Filled values are counted in ``n_filled``, the share of the group's population they hold
  is ``filled_share``, and the row's ``method`` says so.
* **Coverage**: ``coverage`` is the share of the group's population (same sex) held by members that *report*
  (observed, not filled). Below ``min_coverage`` (0.70 by default; exactly 0.70 passes) the aggregate is absent,
  not guessed. The same rule as the ITU and World Bank regional aggregates use in spirit: most of the group must
  be observed.
* **Members**: a mean or sum also needs at least half of the group's members reporting (``min_members_reporting``,
  0.50; exactly half passes) **and** at least ``min_reporting`` (3) members reporting, observed, not filled: a
  populous member alone never speaks for its group (South Asia's 2025 value would be India's). The row keeps
  ``n_reporting`` and ``n_members`` either way, and :func:`failed_rules` names which part of the rule a year fails.
* **Missing-data band** (``band_low``, ``band_high``): how wide "we don't know" is. For a mean, the aggregate
  recomputed as if every member *without a value* (neither observed nor filled) had the lowest, then the highest,
  value among the members with a value that year, weighted by its population as above. For a sum (counts), which
  counts a member without a value as none, the band runs from the sum itself up to the sum with each member without
  a value at its population times the highest per-person rate (value ÷ population) among the members with a value.
  For a median, the median with the members not reporting all at the lowest, then the highest, reported value.
  With every member valued the band is the value itself; a year without a value has no band. Members without a
  population figure cannot be weighted: they are left out of a mean and of every band.
* **Breaks** (``breaks``: rows ``iso3, indicator, sex, year`` where ``year`` is the first year of a new definition,
  ``sex`` ``*`` for every sex): a break splits a member's series in two and each part is filled on its own: never
  an interpolation between observations on either side of a break, never a value carried across one.
  :func:`break_effects` estimates how far a member's break moves its group's aggregate.
* **Medians for prices** (ITU's price baskets, as ITU reports them): the median of the members' values in that year,
  **not** weighted by population, over the members that report (no gap filling: a price is of its year). Coverage
  is then the share of *members* reporting, and ``min_members_reporting`` (0.50) and ``min_reporting`` (3) apply.
  A year's values are of one basket definition (``indicators.tidy``), so a median never mixes two baskets.
* **Population**: World Bank ``SP.POP.TOTL`` (total) and ``SP.POP.TOTL.FE.IN``/``SP.POP.TOTL.MA.IN``. Where female
  population is missing it is derived as total × the member's last observed female share (else 50%); male as total −
  female. Years after a member's last population figure carry that figure forward; rows that rely on a carried
  population have ``population_carried`` True. No year is dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.breaks import select as select_breaks
from indicators.counterfactual import step_at
from indicators.registry import load_registry

AGG_COLUMNS = (
    "group",
    "year",
    "indicator",
    "sex",
    "value",
    "band_low",
    "band_high",
    "n_members",
    "n_reporting",
    "n_filled",
    "coverage",
    "filled_share",
    "method",
    "population_carried",
)

#: the columns a breaks frame must have (``year``: the first year of the new definition; ``sex`` ``*``: every sex)
BREAK_COLUMNS = ("iso3", "indicator", "sex", "year")
#: a member's break moves its group's aggregate materially from this many percentage points on (``break_effects``)
MATERIAL_BREAK_EFFECT = 0.5


@dataclass(frozen=True)
class Rule:
    """The coverage rule, the members rule and the gap-filling limits."""

    min_coverage: float = 0.70
    max_carry: int = 2
    max_gap: int = 4
    #: the share of the group's members that must report (observed, not filled), for every kind of aggregate. For
    #: a median (prices) it is the only coverage rule: ITU prices only its member states' operators, and the 248
    #: economies of our world include ~50 territories it never prices
    min_members_reporting: float = 0.50
    #: the fewest members that must report, whatever the shares: one or two members never make a group's value
    min_reporting: int = 3


DEFAULT_RULE = Rule()


def describe_method(kind: str, rule: Rule = DEFAULT_RULE, filled: bool = False) -> str:
    members = f"≥{rule.min_members_reporting:.0%} of members and at least {rule.min_reporting} members reporting"
    if kind == "median":
        return f"median of members reporting (not population-weighted); coverage rule {members}"
    base = "population-weighted mean" if kind == "mean" else "sum over members"
    text = f"{base}; coverage rule ≥{rule.min_coverage:.0%} of population reporting and {members}"
    if filled:
        text += (
            f"; gaps filled by linear interpolation between observations ≤{rule.max_gap} years apart or the latest "
            f"value carried ≤{rule.max_carry} years (estimates), never across a series break"
        )
    return text


def failed_rules(row: Mapping, rule: Rule = DEFAULT_RULE, kind: str = "mean") -> list[str]:
    """Which parts of the rule an aggregate row (``coverage``, ``n_reporting``, ``n_members``) fails, as codes:
    ``coverage`` (population share, means and sums only), ``members_share`` (fewer than half the members),
    ``min_reporting`` (fewer than ``rule.min_reporting`` members). Empty when the row passes."""
    out = []
    n_rep, n_mem = int(row["n_reporting"]), int(row["n_members"])
    if kind != "median" and float(row["coverage"]) < rule.min_coverage - 1e-12:
        out.append("coverage")
    if n_mem == 0 or n_rep / n_mem < rule.min_members_reporting - 1e-12:
        out.append("members_share")
    if n_rep < rule.min_reporting:
        out.append("min_reporting")
    return out


def _members_ok(n_reporting: int, n_members: int, rule: Rule) -> bool:
    return (
        n_members > 0
        and n_reporting >= rule.min_reporting
        and n_reporting / n_members >= rule.min_members_reporting - 1e-12
    )


def population_weights(tidy: pd.DataFrame, sex: str, years: Iterable[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(weights, carried): iso3 × year populations of ``sex`` and a same-shaped mask of carried-forward figures.

    Female and male populations missing upstream are derived (see the module docstring).
    """
    years = sorted(set(years))
    pop = tidy[tidy["indicator"] == "population"]
    wide = {
        s: pop[pop["sex"] == s].pivot(index="iso3", columns="year", values="value") for s in ("total", "female", "male")
    }
    all_years = sorted(set(years) | set(wide["total"].columns))
    total = wide["total"].reindex(columns=all_years)
    if sex == "total":
        base = total
    else:
        female = wide["female"].reindex(index=total.index, columns=all_years)
        male = wide["male"].reindex(index=total.index, columns=all_years)
        share = (female / total).where(female.notna())
        share = share.ffill(axis=1).bfill(axis=1).fillna(0.5)
        female = female.fillna(total * share)
        male_derived = total - female
        male = male.fillna(male_derived)
        base = female if sex == "female" else male
    carried = base.isna() & base.ffill(axis=1).notna()
    base = base.ffill(axis=1)
    return base.reindex(columns=years), carried.reindex(columns=years, fill_value=False)


def breaks_for(breaks: pd.DataFrame | None, indicator: str | None = None, sex: str | None = None) -> pd.DataFrame:
    """The rows of ``breaks`` (``BREAK_COLUMNS``) for ``indicator`` and ``sex`` (``*`` rows match every sex): see
    ``indicators.breaks.select``."""
    return select_breaks(breaks, indicator, sex)


def _segments(index: pd.Index, columns: pd.Index, breaks: pd.DataFrame) -> np.ndarray:
    """rows × years: how many of the row's breaks start at or before each year (its part of the series)."""
    seg = np.zeros((len(index), len(columns)), dtype="float64")
    if len(breaks) == 0:
        return seg
    pos = {code: i for i, code in enumerate(index)}
    years = np.asarray(columns, dtype="float64")
    for iso3, year in breaks[["iso3", "year"]].drop_duplicates().itertuples(index=False, name=None):
        if iso3 in pos:
            seg[pos[iso3]] += years >= float(year)
    return seg


def fill_gaps(
    values: pd.DataFrame,
    max_carry: int,
    max_gap: int = DEFAULT_RULE.max_gap,
    breaks: pd.DataFrame | None = None,
    *,
    indicator: str | None = None,
    sex: str | None = None,
) -> pd.DataFrame:
    """Interpolate between two observations at most ``max_gap`` years apart; after each row's latest observation,
    carry it forward at most ``max_carry`` years. Other gaps stay empty. With ``breaks`` (rows ``iso3, year``,
    selected by ``indicator`` and ``sex`` when given: see ``breaks_for``) each row's series is cut before each of
    its break years and every part is filled on its own: no interpolation between observations on either side of a
    break, no value carried across one (the last value before a break may still be carried up to the break)."""
    if values.empty:
        return values
    cols = values.columns
    full = values.reindex(columns=range(int(cols.min()), int(cols.max()) + 1)).astype("float64")
    year = pd.DataFrame(
        np.broadcast_to(np.asarray(full.columns, dtype="float64"), full.shape), index=full.index, columns=full.columns
    )
    seen = year.where(full.notna())
    prev_obs, next_obs = seen.ffill(axis=1), seen.bfill(axis=1)
    own = breaks_for(breaks, indicator, sex)
    if len(own):
        seg = pd.DataFrame(_segments(full.index, full.columns, own), index=full.index, columns=full.columns)
        seg_seen = seg.where(full.notna())
        prev_obs = prev_obs.where(seg_seen.ffill(axis=1) == seg)
        next_obs = next_obs.where(seg_seen.bfill(axis=1) == seg)
    inside = full.interpolate(axis=1, method="linear", limit_area="inside")
    inside = inside.where(full.notna() | ((next_obs - prev_obs) <= max_gap))
    after_last = next_obs.isna() & prev_obs.notna() & ((year - prev_obs) <= max_carry)
    carried = full.ffill(axis=1).where(after_last)
    return inside.fillna(carried).reindex(columns=cols)


def _member_mask(all_members: list[str], members_by_year: Mapping[int, Iterable[str]], years: list[int]) -> np.ndarray:
    mask = pd.DataFrame(False, index=all_members, columns=years)
    for year in years:
        mask.loc[sorted(set(members_by_year[year])), year] = True
    return mask.to_numpy()


def _matrices(
    tidy: pd.DataFrame,
    indicator: str,
    members_by_year: Mapping[int, Iterable[str]],
    sex: str,
    rule: Rule,
    breaks: pd.DataFrame | None,
) -> dict:
    """members × years arrays of one indicator for a group: every year is computed at once (a per-year .loc loop is
    ~50× slower). ``v`` filled values, ``o`` observed, ``w`` weights, ``c`` carried weights, ``m`` membership."""
    years = sorted(members_by_year)
    all_members = sorted({c for y in years for c in members_by_year[y]})
    rows = tidy[(tidy["indicator"] == indicator) & (tidy["sex"] == sex)]
    observed = rows.pivot(index="iso3", columns="year", values="value")
    span = sorted(set(years) | set(observed.columns))
    observed = observed.reindex(index=all_members, columns=span)
    filled = fill_gaps(observed, rule.max_carry, rule.max_gap, breaks, indicator=indicator, sex=sex)
    weights, carried = population_weights(tidy, sex, span)
    m = _member_mask(all_members, members_by_year, years)
    return {
        "years": years,
        "members": all_members,
        "m": m,
        "w": weights.reindex(index=all_members, columns=years).to_numpy(dtype="float64"),
        "v": filled.reindex(columns=years).to_numpy(dtype="float64"),
        "o": observed.reindex(columns=years).notna().to_numpy() & m,
        "c": carried.reindex(index=all_members, columns=years, fill_value=False).fillna(False).to_numpy(dtype=bool),
    }


def aggregate(
    tidy: pd.DataFrame,
    indicator: str,
    members_by_year: Mapping[int, Iterable[str]],
    *,
    group: str,
    sex: str = "total",
    rule: Rule = DEFAULT_RULE,
    keep_below_rule: bool = False,
    breaks: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The ``group`` aggregate of ``indicator`` for each year in ``members_by_year`` (see the module docstring), with
    its missing-data band; ``breaks`` (``BREAK_COLUMNS``) are never filled across.

    With ``keep_below_rule`` the years that fail the coverage or members rule stay, with ``value`` NaN, so a page
    can say why (``failed_rules``).
    """
    ind = load_registry()[indicator]
    kind = ind.aggregation
    if not members_by_year:
        return pd.DataFrame(columns=list(AGG_COLUMNS))
    if kind == "median":
        return _median_aggregate(
            tidy, indicator, members_by_year, group=group, sex=sex, rule=rule, keep=keep_below_rule
        )
    mx = _matrices(tidy, indicator, members_by_year, sex, rule, breaks)
    years, m, w, v, o, c = mx["years"], mx["m"], mx["w"], mx["v"], mx["o"], mx["c"]
    w_known = np.where(m & ~np.isnan(w), w, 0.0)
    total_w = w_known.sum(axis=0)
    reporting_w = np.where(o, w_known, 0.0).sum(axis=0)
    has = m & ~np.isnan(v)
    weighted = ~np.isnan(w) & (w > 0)
    usable = has & weighted  # members with a value that can be weighted
    lacking = m & np.isnan(v) & weighted  # members without a value, weighted like the others in the band
    lack_w = np.where(lacking, w, 0.0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "mean":
            weight_sum = np.where(usable, w, 0.0).sum(axis=0)
            total = np.where(usable, v * w, 0.0).sum(axis=0)
            values = np.where(usable.any(axis=0), total / weight_sum, np.nan)
            lo = np.where(usable, v, np.inf).min(axis=0)
            hi = np.where(usable, v, -np.inf).max(axis=0)
            band_low = (total + lo * lack_w) / (weight_sum + lack_w)
            band_high = (total + hi * lack_w) / (weight_sum + lack_w)
        else:
            values = np.where(has.any(axis=0), np.where(has, v, 0.0).sum(axis=0), np.nan)
            # the sum counts a member without a value as none: the band runs from there to every such member at
            # the highest per-person rate among the members with a value
            rate = np.where(usable, v / np.where(weighted, w, 1.0), -np.inf)
            band_low = values
            band_high = values + np.where(lack_w > 0, rate.max(axis=0) * lack_w, 0.0)

    out = []
    for j, year in enumerate(years):
        coverage = float(reporting_w[j] / total_w[j]) if total_w[j] > 0 else 0.0
        value = float(values[j])
        filled_j = has[:, j] & ~o[:, j]
        n_filled = int(filled_j.sum())
        n_members, n_reporting = int(m[:, j].sum()), int(o[:, j].sum())
        filled_share = float(np.where(filled_j, w_known[:, j], 0.0).sum() / total_w[j]) if total_w[j] > 0 else 0.0
        ok = coverage >= rule.min_coverage - 1e-12 and _members_ok(n_reporting, n_members, rule) and not np.isnan(value)
        if not ok and not keep_below_rule:
            continue
        banded = ok and usable[:, j].any()
        out.append(
            {
                "group": group,
                "year": year,
                "indicator": indicator,
                "sex": sex,
                "value": value if ok else np.nan,
                "band_low": float(band_low[j]) if banded else np.nan,
                "band_high": float(band_high[j]) if banded else np.nan,
                "n_members": n_members,
                "n_reporting": n_reporting,
                "n_filled": n_filled,
                "coverage": round(coverage, 6),
                "filled_share": round(filled_share, 6),
                "method": describe_method(kind, rule, filled=n_filled > 0),
                "population_carried": bool((c[:, j] & has[:, j]).any()),
            }
        )
    return _frame(out)


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(AGG_COLUMNS))
    return frame.astype(
        {
            "year": "int64",
            "n_members": "int64",
            "n_reporting": "int64",
            "n_filled": "int64",
            "band_low": "float64",
            "band_high": "float64",
        }
    )


def _median_aggregate(
    tidy: pd.DataFrame,
    indicator: str,
    members_by_year: Mapping[int, Iterable[str]],
    *,
    group: str,
    sex: str,
    rule: Rule,
    keep: bool,
) -> pd.DataFrame:
    """The median of the members reporting each year (see the module docstring); coverage by share of members. The
    band: the median with every member not reporting at the lowest, then at the highest, reported value."""
    rows = tidy[(tidy["indicator"] == indicator) & (tidy["sex"] == sex)]
    by_year = {y: g.set_index("iso3")["value"] for y, g in rows.groupby("year")}
    out = []
    for year in sorted(members_by_year):
        members = sorted(set(members_by_year[year]))
        values = by_year.get(year, pd.Series(dtype="float64")).reindex(members).dropna()
        coverage = len(values) / len(members) if members else 0.0
        ok = len(values) > 0 and _members_ok(len(values), len(members), rule)
        if not ok and not keep:
            continue
        missing = len(members) - len(values)
        low = high = np.nan
        if ok:
            low = float(np.median(np.concatenate([values.to_numpy(), np.full(missing, values.min())])))
            high = float(np.median(np.concatenate([values.to_numpy(), np.full(missing, values.max())])))
        out.append(
            {
                "group": group,
                "year": year,
                "indicator": indicator,
                "sex": sex,
                "value": float(values.median()) if ok else np.nan,
                "band_low": low,
                "band_high": high,
                "n_members": len(members),
                "n_reporting": len(values),
                "n_filled": 0,
                "coverage": round(coverage, 6),
                "filled_share": 0.0,
                "method": describe_method("median", rule),
                "population_carried": False,
            }
        )
    return _frame(out)


BREAK_EFFECT_COLUMNS = ("year", "iso3", "value_before", "value_after", "step", "share", "effect")


def break_effects(
    tidy: pd.DataFrame,
    indicator: str,
    members_by_year: Mapping[int, Iterable[str]],
    breaks: pd.DataFrame | None,
    *,
    sex: str = "total",
    rule: Rule = DEFAULT_RULE,
) -> pd.DataFrame:
    """How far each member's break moves its group's population-weighted mean: one row per break of a member in a
    year of ``members_by_year`` (``BREAK_EFFECT_COLUMNS``): ``year`` the break's first year (the aggregate's change
    from ``year - 1`` to ``year`` is the one moved), ``value_before`` and ``value_after`` the member's own values at
    ``year - 1`` (old definition) and ``year`` (new), each observed or filled within its own part of the series,
    ``step`` the part of their difference the member's own recent trend does not explain
    (``indicators.counterfactual.step_at``, the step a verdict's counterfactual removes; the plain difference
    where the member has too few values), ``share`` the member's share of the population of the members with a value in
    ``year`` (the aggregate's weights), ``effect`` = share × step, in the indicator's points. Only means (rates) have
    an effect in points; sums and medians give no rows. Breaks whose member has no value on one side give no row.
    An effect of at least ``MATERIAL_BREAK_EFFECT`` points (either sign) is material."""
    empty = pd.DataFrame(columns=list(BREAK_EFFECT_COLUMNS))
    own = breaks_for(breaks, indicator, sex)
    if not len(own) or not members_by_year or load_registry()[indicator].aggregation != "mean":
        return empty
    years = sorted(members_by_year)
    wanted = {int(y) for y in own["year"]} & set(years)
    if not wanted:
        return empty
    # the year before each break too, so ``value_before`` is read from the same filled matrix
    ask = {y: members_by_year[y] for y in years if y in wanted}
    ask |= {y - 1: members_by_year.get(y - 1, members_by_year[y]) for y in wanted}
    mx = _matrices(tidy, indicator, ask, sex, rule, own)
    pos = {y: j for j, y in enumerate(mx["years"])}
    row_of = {c: i for i, c in enumerate(mx["members"])}
    m, w, v = mx["m"], mx["w"], mx["v"]
    usable = m & ~np.isnan(v) & ~np.isnan(w) & (w > 0)
    series = tidy[(tidy["indicator"] == indicator) & (tidy["sex"] == sex)]

    def rows_of(iso3: str) -> pd.Series:
        mine = series[series["iso3"] == iso3]
        return pd.Series(mine["value"].to_numpy(dtype="float64"), index=mine["year"].to_numpy(dtype=int))

    out = []
    for iso3, year in sorted(set(own[["iso3", "year"]].itertuples(index=False, name=None))):
        year = int(year)
        if year not in wanted or iso3 not in row_of:
            continue
        i, j, k = row_of[iso3], pos[year], pos[year - 1]
        if not m[i, j] or not usable[i, j] or np.isnan(v[i, k]):
            continue
        share = float(w[i, j] / np.where(usable[:, j], w[:, j], 0.0).sum())
        observed = rows_of(iso3)
        step = step_at(observed, year) if len(observed) else None  # the jump less the member's own recent trend
        step = float(v[i, j] - v[i, k]) if step is None else step
        out.append(
            {
                "year": year,
                "iso3": iso3,
                "value_before": float(v[i, k]),
                "value_after": float(v[i, j]),
                "step": step,
                "share": share,
                "effect": share * step,
            }
        )
    return pd.DataFrame(out, columns=list(BREAK_EFFECT_COLUMNS)) if out else empty


#: the first year the app and the snapshot aggregate (the WSIS+10 baselines start later; 2000 gives the trend)
FIRST_YEAR = 2000


def aggregate_years(tidy: pd.DataFrame) -> list[int]:
    """``FIRST_YEAR`` to the latest year in ``tidy``: the years every group aggregate is computed for."""
    return list(range(FIRST_YEAR, int(tidy["year"].max()) + 1)) if len(tidy) else []


def all_group_aggregates(
    tidy: pd.DataFrame, groups, rule: Rule = DEFAULT_RULE, breaks: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every group's aggregate (``groups``: an ``indicators.groups.Groups``) of every registry indicator and sex
    that ``tidy`` holds, for ``aggregate_years``, keeping the years below the rule (value NaN) so a page can say
    why; ``breaks`` (``BREAK_COLUMNS``) are never filled across. The snapshot stores this
    (``group_aggregates.parquet``): the app selects instead of computing. A new rule or method needs
    ``make snapshot``; tests/test_snapshot.py compares the committed rows with today's computation."""
    years = aggregate_years(tidy)
    present = set(tidy[["indicator", "sex"]].drop_duplicates().itertuples(index=False, name=None))
    parts = []
    for indicator, ind in load_registry().items():
        for sex in ind.sexes:
            if (indicator, sex) not in present:
                continue
            own = breaks_for(breaks, indicator, sex)
            for group in groups.ids():
                members = {y: groups.members(group, y) for y in years}
                if not any(members.values()):
                    continue
                parts.append(
                    aggregate(
                        tidy, indicator, members, group=group, sex=sex, rule=rule, keep_below_rule=True, breaks=own
                    )
                )
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=list(AGG_COLUMNS))
    return pd.concat(parts, ignore_index=True)
