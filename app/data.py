"""The app's read-only data: the snapshot loaded once per process, and cached selections of it.

Nothing here touches the network; everything derives from ``data/`` (see indicators/snapshot.py). Aggregates are
computed on first use and cached per (indicator, group, sex), so a callback only selects.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path

import pandas as pd

from indicators import DATA_DIR
from indicators.aggregates import aggregate
from indicators.gender import parity
from indicators.groups import Groups
from indicators.registry import Indicator, load_registry
from indicators.snapshot import Snapshot, read_snapshot
from indicators.targets import Target, load_seeds, load_targets

FIRST_YEAR = 2000
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
        if iso3 not in self.countries.index:
            return iso3
        columns = ([f"name_{lang}"] if lang != "en" else []) + ["name"]
        for column in columns:
            if column in self.countries.columns:
                value = self.countries.at[iso3, column]
                if isinstance(value, str) and value:
                    return value
        return iso3

    def members(self, group: str, year: int) -> frozenset[str]:
        return self.groups.members(group, year)

    def group_aggregate(self, indicator: str, group: str, sex: str = "total") -> pd.DataFrame:
        """All years of a group's aggregate, including years below the coverage rule (value NaN)."""
        return _group_aggregate(self, indicator, group, sex)

    def country_rows(self, indicator: str, codes, sex: str = "total") -> pd.DataFrame:
        t = self.tidy
        return t[(t["indicator"] == indicator) & (t["sex"] == sex) & (t["iso3"].isin(list(codes)))]

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
        t = self.tidy
        rows = t[t["indicator"] == indicator]
        if sex:
            rows = rows[rows["sex"] == sex]
        if years:
            rows = rows[(rows["year"] >= years[0]) & (rows["year"] <= years[1])]
        if codes is not None:
            rows = rows[rows["iso3"].isin(list(codes))]
        vintages = rows.groupby("source")["vintage"].max()
        sources = self.snapshot.provenance.get("sources", {})
        return [{"key": key, **sources[key], "vintage": vintage} for key, vintage in vintages.items() if key in sources]

    @cached_property
    def population_provenance(self) -> dict:
        return self.snapshot.provenance.get("sources", {}).get("worldbank", {})


@cache
def _group_aggregate(data: AppData, indicator: str, group: str, sex: str) -> pd.DataFrame:
    members = {y: data.members(group, y) for y in data.years}
    return aggregate(data.tidy, indicator, members, group=group, sex=sex, keep_below_rule=True)


@lru_cache(maxsize=2048)
def _provenance_for(data: AppData, indicator: str, sex, years, codes) -> tuple[dict, ...]:
    return tuple(data._provenance_rows(indicator, sex, years, codes))


_LOADED: dict[Path, AppData] = {}


def load_app_data(data_dir: Path = DATA_DIR) -> AppData:
    """The AppData for ``data_dir``, loaded once per process."""
    data_dir = Path(data_dir).resolve()
    if data_dir not in _LOADED:
        _LOADED[data_dir] = AppData(read_snapshot(data_dir))
    return _LOADED[data_dir]
