"""What a publisher's newer release revised in its earlier one: points and group aggregates.

The snapshot keeps the rows of earlier vintages of a series apart (``data/previous_vintages.parquet``). For one
indicator this module compares the values both vintages hold for the same economy and year, and recomputes our
group aggregates with the earlier vintage in place of the newer one, so a reader sees how far a release moved
both the country figures and the groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.aggregates import DEFAULT_RULE, Rule, aggregate, aggregate_years

#: a point "moved" when the two vintages differ by more than this (percentage points, or the indicator's unit)
MOVED = 1.0
#: the groups whose aggregates a revision report recomputes
REVISION_GROUPS = ("WLD", "LDC", "LLDC", "SIDS", "LIC", "LMC", "UMC", "HIC")

POINT_COLUMNS = ("iso3", "year", "sex", "source_code", "previous_vintage", "previous", "vintage", "value", "change")
GROUP_COLUMNS = ("group", "year", "sex", "previous", "value", "change")


@dataclass(frozen=True)
class Revision:
    """One indicator's revision between an earlier and a newer vintage of the same upstream series."""

    indicator: str
    source: str
    source_code: str
    previous_vintage: str
    vintage: str
    points: pd.DataFrame  # POINT_COLUMNS, every economy-year both vintages hold, largest |change| first
    groups: pd.DataFrame  # GROUP_COLUMNS, every group-year both computations give a value for
    threshold: float = MOVED

    @property
    def n_common(self) -> int:
        return len(self.points)

    @property
    def n_moved(self) -> int:
        return int((self.points["change"].abs() > self.threshold).sum())

    def largest(self, n: int = 10) -> pd.DataFrame:
        return self.points.head(n)

    def groups_moved(self) -> pd.DataFrame:
        """Group-years our aggregate moved by more than the threshold, largest first."""
        g = self.groups
        return g[g["change"].abs() > self.threshold].reset_index(drop=True)


def revisions(
    tidy: pd.DataFrame,
    previous: pd.DataFrame | None,
    indicator: str,
    groups=None,
    *,
    group_ids: tuple[str, ...] = REVISION_GROUPS,
    rule: Rule = DEFAULT_RULE,
) -> list[Revision]:
    """One ``Revision`` per (source, code, earlier vintage) of ``indicator`` in ``previous``; ``groups`` (an
    ``indicators.groups.Groups``) adds the recomputed aggregates. Empty when no earlier vintage is kept."""
    if previous is None or previous.empty:
        return []
    prev = previous[previous["indicator"] == indicator]
    out = []
    for (source, code, pv), old in prev.groupby(["source", "source_code", "vintage"], sort=True):
        same = tidy[(tidy["indicator"] == indicator) & (tidy["source"] == source) & (tidy["source_code"] == code)]
        if same.empty:
            continue
        vintage = str(same["vintage"].max())
        # the rows of the newer release; an economy only the earlier release had keeps its rows in both computations
        new = same[same["vintage"] == vintage]
        points = _points(old, new)
        group_rows = _groups(tidy, old, new, indicator, groups, group_ids, rule) if groups is not None else None
        out.append(
            Revision(
                indicator=indicator,
                source=str(source),
                source_code=str(code),
                previous_vintage=str(pv),
                vintage=vintage,
                points=points,
                groups=group_rows if group_rows is not None else pd.DataFrame(columns=list(GROUP_COLUMNS)),
            )
        )
    return out


def _points(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    key = ["iso3", "year", "sex", "source_code"]
    both = old[[*key, "vintage", "value"]].merge(new[[*key, "vintage", "value"]], on=key, suffixes=("_old", ""))
    both = both.rename(columns={"vintage_old": "previous_vintage", "value_old": "previous"})
    both["change"] = both["value"] - both["previous"]
    both = both.reindex(both["change"].abs().sort_values(ascending=False, kind="stable").index)
    return both[list(POINT_COLUMNS)].reset_index(drop=True)


def _groups(tidy, old, new, indicator, groups, group_ids, rule) -> pd.DataFrame:
    """Our aggregates with the newer vintage (as in the snapshot) and with the earlier one in its place: the newer
    release's rows out, the earlier release's in (an economy-year only the newer one has is absent from the earlier
    computation, as it was from that release)."""
    earlier = pd.concat([tidy.drop(index=new.index), old], ignore_index=True)
    years = aggregate_years(tidy)
    rows = []
    for sex in sorted(set(new["sex"])):
        for group in group_ids:
            if group not in groups.ids():
                continue
            members = {y: groups.members(group, y) for y in years}
            now = aggregate(tidy, indicator, members, group=group, sex=sex, rule=rule)
            then = aggregate(earlier, indicator, members, group=group, sex=sex, rule=rule)
            both = then[["year", "value"]].merge(now[["year", "value"]], on="year", suffixes=("_old", ""))
            for r in both.itertuples(index=False):
                rows.append((group, int(r.year), sex, float(r.value_old), float(r.value), float(r.value - r.value_old)))
    frame = pd.DataFrame(rows, columns=list(GROUP_COLUMNS))
    return frame.reindex(frame["change"].abs().sort_values(ascending=False, kind="stable").index).reset_index(drop=True)
