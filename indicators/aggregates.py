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
  ``max_carry`` years (2 by default). A member whose gap is wider, or whose latest value is older, has no value
  that year: it neither reports nor counts as filled. Nothing is extrapolated backwards. Filled values are counted
  in ``n_filled``, the share of the group's population they hold is ``filled_share``, and the row's ``method``
  says so.
* **Coverage**: ``coverage`` is the share of the group's population (same sex) held by members that *report*
  (observed, not filled). Below ``min_coverage`` (0.70 by default; exactly 0.70 passes) the aggregate is absent,
  not guessed. The same rule as the ITU and World Bank regional aggregates use in spirit: most of the group must
  be observed.
* **Medians for prices** (ITU's price baskets, as ITU reports them): the median of the members' values in that year,
  **not** weighted by population, over the members that report (no gap filling: a price is of its year). Coverage
  is then the share of *members* reporting, and ``min_members_reporting`` (0.50) applies to it. A year's values are
  of one basket definition (``indicators.tidy``), so a median never mixes two baskets.
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

from indicators.registry import load_registry

AGG_COLUMNS = (
    "group",
    "year",
    "indicator",
    "sex",
    "value",
    "n_members",
    "n_reporting",
    "n_filled",
    "coverage",
    "filled_share",
    "method",
    "population_carried",
)


@dataclass(frozen=True)
class Rule:
    """The coverage rule and gap-filling limits."""

    min_coverage: float = 0.70
    max_carry: int = 2
    max_gap: int = 4
    #: medians (prices): the share of members that must report. Lower than ``min_coverage`` because ITU prices
    #: only its member states' operators: the 248 economies of our world include ~50 territories it never prices
    min_members_reporting: float = 0.50


DEFAULT_RULE = Rule()


def describe_method(kind: str, rule: Rule = DEFAULT_RULE, filled: bool = False) -> str:
    if kind == "median":
        return (
            "median of members reporting (not population-weighted); "
            f"coverage rule ≥{rule.min_members_reporting:.0%} of members reporting"
        )
    base = "population-weighted mean" if kind == "mean" else "sum over members"
    text = f"{base}; coverage rule ≥{rule.min_coverage:.0%} of population reporting"
    if filled:
        text += (
            f"; gaps filled by linear interpolation between observations ≤{rule.max_gap} years apart or the latest "
            f"value carried ≤{rule.max_carry} years (estimates)"
        )
    return text


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


def fill_gaps(values: pd.DataFrame, max_carry: int, max_gap: int = DEFAULT_RULE.max_gap) -> pd.DataFrame:
    """Interpolate between two observations at most ``max_gap`` years apart; after each row's latest observation,
    carry it forward at most ``max_carry`` years. Other gaps stay empty."""
    if values.empty:
        return values
    cols = values.columns
    full = values.reindex(columns=range(int(cols.min()), int(cols.max()) + 1)).astype("float64")
    year = pd.DataFrame(
        np.broadcast_to(np.asarray(full.columns, dtype="float64"), full.shape), index=full.index, columns=full.columns
    )
    seen = year.where(full.notna())
    prev_obs, next_obs = seen.ffill(axis=1), seen.bfill(axis=1)
    inside = full.interpolate(axis=1, method="linear", limit_area="inside")
    inside = inside.where(full.notna() | ((next_obs - prev_obs) <= max_gap))
    after_last = next_obs.isna() & prev_obs.notna() & ((year - prev_obs) <= max_carry)
    carried = full.ffill(axis=1).where(after_last)
    return inside.fillna(carried).reindex(columns=cols)


def aggregate(
    tidy: pd.DataFrame,
    indicator: str,
    members_by_year: Mapping[int, Iterable[str]],
    *,
    group: str,
    sex: str = "total",
    rule: Rule = DEFAULT_RULE,
    keep_below_rule: bool = False,
) -> pd.DataFrame:
    """The ``group`` aggregate of ``indicator`` for each year in ``members_by_year`` (see the module docstring).

    With ``keep_below_rule`` the years that fail the coverage rule stay, with ``value`` NaN, so a page can say why.
    """
    ind = load_registry()[indicator]
    kind = ind.aggregation
    years = sorted(members_by_year)
    if not years:
        return pd.DataFrame(columns=list(AGG_COLUMNS))
    if kind == "median":
        return _median_aggregate(
            tidy, indicator, members_by_year, group=group, sex=sex, rule=rule, keep=keep_below_rule
        )
    all_members = sorted({c for y in years for c in members_by_year[y]})
    rows = tidy[(tidy["indicator"] == indicator) & (tidy["sex"] == sex)]
    observed = rows.pivot(index="iso3", columns="year", values="value")
    span = sorted(set(years) | set(observed.columns))
    observed = observed.reindex(index=all_members, columns=span)
    filled = fill_gaps(observed, rule.max_carry, rule.max_gap)
    weights, carried = population_weights(tidy, sex, span)
    weights = weights.reindex(index=all_members)
    carried = carried.reindex(index=all_members, fill_value=False)

    # members × years matrices, so every year is computed at once (a per-year .loc loop is ~50× slower)
    member_mask = pd.DataFrame(False, index=all_members, columns=years)
    for year in years:
        member_mask.loc[sorted(set(members_by_year[year])), year] = True
    m = member_mask.to_numpy()
    w = weights.reindex(columns=years).to_numpy(dtype="float64")
    v = filled.reindex(columns=years).to_numpy(dtype="float64")
    o = observed.reindex(columns=years).notna().to_numpy() & m
    c = carried.reindex(columns=years, fill_value=False).to_numpy(dtype=bool)
    w_known = np.where(m & ~np.isnan(w), w, 0.0)
    total_w = w_known.sum(axis=0)
    reporting_w = np.where(o, w_known, 0.0).sum(axis=0)
    has = m & ~np.isnan(v)
    if kind == "mean":
        usable = has & ~np.isnan(w) & (w > 0)
        weight_sum = np.where(usable, w, 0.0).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.where(usable, v * w, 0.0).sum(axis=0) / weight_sum
        values = np.where(usable.any(axis=0), values, np.nan)
    else:
        values = np.where(has.any(axis=0), np.where(has, v, 0.0).sum(axis=0), np.nan)

    out = []
    for j, year in enumerate(years):
        coverage = float(reporting_w[j] / total_w[j]) if total_w[j] > 0 else 0.0
        value = float(values[j])
        filled_j = has[:, j] & ~o[:, j]
        n_filled = int(filled_j.sum())
        filled_share = float(np.where(filled_j, w_known[:, j], 0.0).sum() / total_w[j]) if total_w[j] > 0 else 0.0
        ok = coverage >= rule.min_coverage - 1e-12 and not np.isnan(value)
        if not ok and not keep_below_rule:
            continue
        out.append(
            {
                "group": group,
                "year": year,
                "indicator": indicator,
                "sex": sex,
                "value": value if ok else np.nan,
                "n_members": int(m[:, j].sum()),
                "n_reporting": int(o[:, j].sum()),
                "n_filled": n_filled,
                "coverage": round(coverage, 6),
                "filled_share": round(filled_share, 6),
                "method": describe_method(kind, rule, filled=n_filled > 0),
                "population_carried": bool((c[:, j] & has[:, j]).any()),
            }
        )
    frame = pd.DataFrame(out, columns=list(AGG_COLUMNS))
    return frame.astype({"year": "int64", "n_members": "int64", "n_reporting": "int64", "n_filled": "int64"})


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
    """The median of the members reporting each year (see the module docstring); coverage by share of members."""
    rows = tidy[(tidy["indicator"] == indicator) & (tidy["sex"] == sex)]
    by_year = {y: g.set_index("iso3")["value"] for y, g in rows.groupby("year")}
    out = []
    for year in sorted(members_by_year):
        members = sorted(set(members_by_year[year]))
        values = by_year.get(year, pd.Series(dtype="float64")).reindex(members).dropna()
        coverage = len(values) / len(members) if members else 0.0
        ok = len(values) > 0 and coverage >= rule.min_members_reporting - 1e-12
        if not ok and not keep:
            continue
        out.append(
            {
                "group": group,
                "year": year,
                "indicator": indicator,
                "sex": sex,
                "value": float(values.median()) if ok else np.nan,
                "n_members": len(members),
                "n_reporting": len(values),
                "n_filled": 0,
                "coverage": round(coverage, 6),
                "filled_share": 0.0,
                "method": describe_method("median", rule),
                "population_carried": False,
            }
        )
    frame = pd.DataFrame(out, columns=list(AGG_COLUMNS))
    return frame.astype({"year": "int64", "n_members": "int64", "n_reporting": "int64", "n_filled": "int64"})


#: the first year the app and the snapshot aggregate (the WSIS+10 baselines start later; 2000 gives the trend)
FIRST_YEAR = 2000


def aggregate_years(tidy: pd.DataFrame) -> list[int]:
    """``FIRST_YEAR`` to the latest year in ``tidy``: the years every group aggregate is computed for."""
    return list(range(FIRST_YEAR, int(tidy["year"].max()) + 1)) if len(tidy) else []


def all_group_aggregates(tidy: pd.DataFrame, groups, rule: Rule = DEFAULT_RULE) -> pd.DataFrame:
    """Every group's aggregate (``groups``: an ``indicators.groups.Groups``) of every registry indicator and sex
    that ``tidy`` holds, for ``aggregate_years``, keeping the years below the coverage rule (value NaN) so a page can
    say why. The snapshot stores this (``group_aggregates.parquet``): the app selects instead of computing. A new
    rule or method needs ``make snapshot``; tests/test_snapshot.py compares the committed rows with today's
    computation."""
    years = aggregate_years(tidy)
    present = set(tidy[["indicator", "sex"]].drop_duplicates().itertuples(index=False, name=None))
    parts = []
    for indicator, ind in load_registry().items():
        for sex in ind.sexes:
            if (indicator, sex) not in present:
                continue
            for group in groups.ids():
                members = {y: groups.members(group, y) for y in years}
                if not any(members.values()):
                    continue
                parts.append(aggregate(tidy, indicator, members, group=group, sex=sex, rule=rule, keep_below_rule=True))
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=list(AGG_COLUMNS))
    return pd.concat(parts, ignore_index=True)
