"""The app's read-only data: the snapshot loaded once per process, and cached selections of it.

Nothing here touches the network; everything derives from the current snapshot in ``data/`` (resolved and verified
against its manifest by ``indicators.snapshot.read_snapshot``). Aggregates are computed on first use and cached per
(indicator, group, sex), so a callback only selects.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

import pandas as pd

from indicators import DATA_DIR, published
from indicators.aggregates import AGG_COLUMNS, FIRST_YEAR, aggregate
from indicators.gender import parity
from indicators.groups import Groups
from indicators.registry import Indicator, load_registry
from indicators.snapshot import Snapshot, read_snapshot
from indicators.targets import Target, load_seeds, load_targets

#: the groups offered in the app, in display order
GROUP_ORDER = (
    "WLD",
    "LDC",
    "LLDC",
    "SIDS",
    "SIDS_OHRLLS",
    "DEVELOPING",
    "DEVELOPED",
    "LIC",
    "LMC",
    "UMC",
    "HIC",
    "LMY",
    "EAS",
    "ECS",
    "LCN",
    "MEA",
    "NAC",
    "SAS",
    "SSF",
)


@dataclass(eq=False)  # hashed by identity: one per process, used as a cache key
class AppData:
    """Everything the pages read, built from one snapshot."""

    snapshot: Snapshot

    @cached_property
    def tidy(self) -> pd.DataFrame:
        return self.snapshot.tidy

    @cached_property
    def groups(self) -> Groups:
        return Groups(self.snapshot.membership)

    @cached_property
    def registry(self) -> dict[str, Indicator]:
        return load_registry()

    @cached_property
    def targets(self) -> list[Target]:
        return [t for t in load_targets() if t.tracked and t.indicator]

    @cached_property
    def all_targets(self) -> list[Target]:
        return list(load_targets())

    @cached_property
    def seeds(self):
        return load_seeds()

    @cached_property
    def countries(self) -> pd.DataFrame:
        return self.snapshot.countries.set_index("iso3")

    @cached_property
    def last_year(self) -> int:
        return int(self.tidy["year"].max())

    @cached_property
    def years(self) -> list[int]:
        return list(range(FIRST_YEAR, self.last_year + 1))

    @cached_property
    def group_ids(self) -> list[str]:
        known = set(self.groups.ids())
        return [g for g in GROUP_ORDER if g in known]

    @cached_property
    def country_codes(self) -> list[str]:
        """Economies with at least one observation, sorted by name."""
        codes = set(self.tidy["iso3"])
        names = self.countries["name"].reindex(sorted(codes)).fillna(pd.Series(sorted(codes), index=sorted(codes)))
        return list(names.sort_values().index)

    def country_name(self, iso3: str, lang: str = "en") -> str:
        """The economy's name in ``lang``: the snapshot's ``name_<lang>`` column (UN names, e.g. ``name_zh``),
        else the English name, else the ISO3 code."""
        return _country_names(self, lang).get(iso3, iso3)

    def members(self, group: str, year: int) -> frozenset[str]:
        return self.groups.members(group, year)

    def group_aggregate(self, indicator: str, group: str, sex: str = "total") -> pd.DataFrame:
        """All years of a group's aggregate, including years below the coverage rule (value NaN): the snapshot's
        precomputed rows (``group_aggregates.parquet``), else computed here once and cached."""
        found = self._precomputed.get((indicator, group, sex))
        return found if found is not None else _group_aggregate(self, indicator, group, sex)

    @cached_property
    def _precomputed(self) -> dict[tuple[str, str, str], pd.DataFrame]:
        frame = self.snapshot.group_aggregates
        if frame is None or frame.empty:
            return {}
        return {
            (str(ind), str(grp), str(sex)): part.reset_index(drop=True)[list(AGG_COLUMNS)]
            for (ind, grp, sex), part in frame.groupby(["indicator", "group", "sex"], sort=False)
        }

    def country_series(
        self, indicator: str, iso3: str, sex: str = "total"
    ) -> tuple[tuple[int, ...], tuple[float, ...]]:
        """(years, values) of one economy's observations, years ascending (empty tuples when it has none)."""
        return _country_index(self, indicator, sex).get(iso3, ((), ()))

    def year_slice(self, indicator: str, sex: str, year: int) -> tuple[tuple[str, ...], tuple[float, ...]]:
        """(iso3 codes, values) of every economy with an observation in ``year``."""
        return _year_index(self, indicator, sex).get(int(year), ((), ()))

    @cached_property
    def baskets(self) -> pd.DataFrame:
        """(indicator, basket, first_year, last_year) of every price basket the tidy frame holds."""
        from indicators.tidy import basket_starts

        return basket_starts(self.tidy)

    def basket_periods(self, indicator: str) -> tuple[tuple[str, int, int], ...]:
        """((basket, first_year, last_year), …) of one price indicator, oldest first; () for other indicators."""
        rows = self.baskets[self.baskets["indicator"] == indicator]
        return tuple((str(r.basket), int(r.first_year), int(r.last_year)) for r in rows.itertuples())

    @cached_property
    def affordable_share(self) -> float:
        """The threshold a price is read against on maps and rankings: the Broadband Commission's (targets.yml)."""
        from indicators.affordability import REFERENCE_TARGET

        return next(t.threshold for t in self.all_targets if t.id == REFERENCE_TARGET)

    def group_parity(self, indicator: str, group: str) -> pd.DataFrame:
        rows = pd.concat([self.group_aggregate(indicator, group, s) for s in ("female", "male")], ignore_index=True)
        return parity(rows.dropna(subset=["value"]), entity_col="group", indicator=indicator)

    def provenance_for(
        self, indicator: str, sex: str | None = None, years: tuple[int, int] | None = None, codes=None
    ) -> list[dict]:
        """The sources behind the rows shown: publisher, title, licence and the latest vintage used (memoised: every
        chart asks, and the answer depends only on the arguments and the read-only snapshot)."""
        key = (indicator, sex or None, tuple(years) if years else None, None if codes is None else tuple(sorted(codes)))
        return [dict(src) for src in _provenance_for(self, *key)]

    def _provenance_rows(
        self, indicator: str, sex: str | None, years: tuple[int, int] | None, codes: tuple[str, ...] | None
    ) -> list[dict]:
        sources = self.snapshot.provenance.get("sources", {})
        out = []
        for key, by_year in _vintages_by_year(self, indicator, sex, codes).items():
            used = [v for y, v in by_year.items() if not years or years[0] <= y <= years[1]]
            if used and key in sources:
                out.append({"key": key, **sources[key], "vintage": max(used)})
        return out

    @cached_property
    def population_provenance(self) -> dict:
        return self.snapshot.provenance.get("sources", {}).get("worldbank", {})

    @cached_property
    def breaks(self) -> pd.DataFrame:
        """The series breaks the snapshot records (``indicators.breaks.BREAK_COLUMNS``: one row per economy,
        indicator, sex and first year of a new series); the empty table for a snapshot without ``breaks.csv``."""
        from indicators.breaks import empty_breaks

        return self.snapshot.breaks if self.snapshot.breaks is not None else empty_breaks()

    @cached_property
    def published(self) -> pd.DataFrame:
        """The publishers' own group estimates (``indicators.published``)."""
        return self.snapshot.publisher_aggregates

    def published_rows(self, indicator: str, group: str, sex: str = "total") -> pd.DataFrame:
        """Every publisher's estimate of ``indicator`` for ``group`` (memoised, read-only)."""
        return _published_rows(self, indicator, group, sex)

    def published_version(self, source: str, indicators=(), groups=()) -> tuple[str, str]:
        """(edition, vintage) of publisher ``source``'s latest estimates of ``indicators`` (all when empty) for
        ``groups`` (all when empty; ITU's UN-OHRLLS SIDS stands in for SIDS), or ("", "") (memoised: every chart that
        draws a publisher's estimates asks)."""
        return _published_version(self, source, tuple(indicators), tuple(groups))

    def progress(self, group: str | None = None, iso3: str | None = None) -> pd.DataFrame:
        """Every tracked target's verdict (``indicators.progress.progress_table``) for the targets' own groups, or
        benchmarked for ``group`` or ``iso3``: with every witness (the publishers' estimates, the figures the
        resolutions quote) and the breaks table. The one home of verdicts for the Overview, the briefing pack and the
        country page (memoised)."""
        return _progress(self, group, iso3)

    def verdict(self, target_id: str, group: str) -> dict | None:
        """One target's progress row for ``group`` (the same rule, witnesses and breaks as ``progress``; memoised),
        None for an unknown or untracked target."""
        return _verdict(self, target_id, group)

    def population_weights(self, sex: str) -> PopulationWeights:
        """The vintage and years of the population series that weight aggregates of ``sex`` (memoised)."""
        return _population_weights(self, sex)


@dataclass(frozen=True)
class PopulationWeights:
    """What weights an aggregate of one sex: the vintages of the population rows (one per series, the most common
    first), their last year, and for women and men the total's last year where later years are derived from it."""

    sex: str
    vintages: tuple[str, ...]
    last_year: int | None
    total_vintage: str | None = None
    total_last_year: int | None = None

    @property
    def derived_years(self) -> tuple[int, int] | None:
        """(first, last) year whose by-sex weights are the total × the latest share of that sex, or None."""
        if self.sex == "total" or self.last_year is None or not self.total_last_year:
            return None
        return (self.last_year + 1, self.total_last_year) if self.total_last_year > self.last_year else None


@cache
def _population_weights(data: AppData, sex: str) -> PopulationWeights:
    t = data.tidy
    rows = t[(t["indicator"] == "population") & (t["sex"] == sex)]
    vintages = tuple(str(v) for v in rows["vintage"].value_counts().index)
    last = int(rows["year"].max()) if len(rows) else None
    if sex == "total":
        return PopulationWeights(sex, vintages, last)
    total = _population_weights(data, "total")
    return PopulationWeights(sex, vintages, last, total.vintages[0] if total.vintages else None, total.last_year)


@lru_cache(maxsize=64)
def _progress(data: AppData, group: str | None, iso3: str | None) -> pd.DataFrame:
    from indicators.progress import progress_table, resolution_seeds

    return progress_table(
        data.tidy,
        data.groups,
        data.targets,
        group=group,
        iso3=iso3,
        published=data.published,
        breaks=data.breaks,
        seeds=resolution_seeds(),
    )


@lru_cache(maxsize=256)
def _verdict(data: AppData, target_id: str, group: str) -> dict | None:
    from indicators.progress import progress_table, resolution_seeds

    found = [t for t in data.targets if t.id == target_id]
    if not found:
        return None
    table = progress_table(
        data.tidy,
        data.groups,
        found,
        group=group,
        published=data.published,
        breaks=data.breaks,
        seeds=resolution_seeds(),
    )
    return table.to_dict("records")[0]


@lru_cache(maxsize=2048)
def _published_version(data: AppData, source: str, indicators: tuple, groups: tuple) -> tuple[str, str]:
    pub = data.published
    rows = pub[pub["source"] == source]
    if indicators:
        rows = rows[rows["indicator"].isin(list(indicators))]
    if groups:
        near = {g for (src, ours), g in published.NEAREST_GROUP.items() if src == source and ours in groups}
        rows = rows[rows["group"].isin([*groups, *near])]
    if rows.empty:
        return "", ""
    return str(rows["edition"].max()), str(rows["vintage"].max())


@cache
def _published_rows(data: AppData, indicator: str, group: str, sex: str) -> pd.DataFrame:
    return published.for_group(data.published, indicator, group, sex)


@cache
def _group_aggregate(data: AppData, indicator: str, group: str, sex: str) -> pd.DataFrame:
    members = {y: data.members(group, y) for y in data.years}
    return aggregate(data.tidy, indicator, members, group=group, sex=sex, keep_below_rule=True, breaks=data.breaks)


@lru_cache(maxsize=256)
def _vintages_by_year(data: AppData, indicator: str, sex, codes) -> dict[str, dict[int, object]]:
    """{source: {year: latest vintage}} of an indicator's rows (one sex, some economies), sources in key order."""
    t = data.tidy
    rows = t[t["indicator"] == indicator]
    if sex:
        rows = rows[rows["sex"] == sex]
    if codes is not None:
        rows = rows[rows["iso3"].isin(list(codes))]
    out: dict[str, dict[int, object]] = {}
    for (key, year), vintage in rows.groupby(["source", "year"])["vintage"].max().items():
        out.setdefault(str(key), {})[int(year)] = vintage
    return out


@cache
def _country_names(data: AppData, lang: str) -> dict[str, str]:
    """{iso3: name in ``lang``} (``name_<lang>``, else ``name``; economies without either are left out)."""
    frame = data.countries
    names: dict[str, str] = {}
    for column in ["name"] + ([f"name_{lang}"] if lang != "en" else []):
        if column not in frame.columns:
            continue
        for iso3, value in frame[column].items():
            if isinstance(value, str) and value:
                names[str(iso3)] = value  # later columns (the language's own) win
    return names


@cache
def _country_index(data: AppData, indicator: str, sex: str) -> dict[str, tuple[tuple[int, ...], tuple[float, ...]]]:
    t = data.tidy
    rows = t[(t["indicator"] == indicator) & (t["sex"] == sex)].sort_values(["iso3", "year"])
    out = {}
    for iso3, grp in rows.groupby("iso3", sort=False):
        out[str(iso3)] = (tuple(int(y) for y in grp["year"]), tuple(float(v) for v in grp["value"]))
    return out


@cache
def _year_index(data: AppData, indicator: str, sex: str) -> dict[int, tuple[tuple[str, ...], tuple[float, ...]]]:
    t = data.tidy
    rows = t[(t["indicator"] == indicator) & (t["sex"] == sex)]
    out = {}
    for year, grp in rows.groupby("year", sort=True):
        out[int(year)] = (tuple(str(c) for c in grp["iso3"]), tuple(float(v) for v in grp["value"]))
    return out


@lru_cache(maxsize=2048)
def _provenance_for(data: AppData, indicator: str, sex, years, codes) -> tuple[dict, ...]:
    return tuple(data._provenance_rows(indicator, sex, years, codes))


_LOADED: dict[Path, AppData] = {}


def load_app_data(data_dir: Path = DATA_DIR) -> AppData:
    """The AppData for ``data_dir``, loaded once per process (every callback asks: the path as given is looked up
    before it is resolved on disk)."""
    hit = _LOADED.get(data_dir)
    if hit is not None:
        return hit
    resolved = Path(data_dir).resolve()
    if resolved not in _LOADED:
        _LOADED[resolved] = AppData(read_snapshot(resolved))
    _LOADED[data_dir] = _LOADED[resolved]
    return _LOADED[resolved]
