"""Small builders for tidy frames in tests."""

from __future__ import annotations

import pandas as pd

from indicators.schema import TIDY_COLUMNS

#: the population rule alone, without the members rule (half the members and at least 3 reporting): for tests of
#: other logic written on groups of one or two members
POPULATION_RULE_ONLY = dict(min_members_reporting=0.0, min_reporting=1)


def without_members_rule(monkeypatch) -> None:
    """Aggregate under ``POPULATION_RULE_ONLY`` wherever the default rule applies (``aggregate``'s default, and
    ``DEFAULT_RULE`` read at call time), for one test module's tiny groups."""
    from indicators import aggregates

    rule = aggregates.Rule(**POPULATION_RULE_ONLY)
    monkeypatch.setattr(aggregates, "DEFAULT_RULE", rule)
    monkeypatch.setitem(aggregates.aggregate.__kwdefaults__, "rule", rule)


def tidy_rows(rows: list[tuple], **defaults) -> pd.DataFrame:
    """Rows of (iso3, year, indicator, sex, value) with defaults for the provenance columns."""
    base = {"source": "worldbank", "source_code": "X", "obs_status": "normal", "vintage": "2024-01-01", "basket": ""}
    base.update(defaults)
    frame = pd.DataFrame(rows, columns=["iso3", "year", "indicator", "sex", "value"])
    for col, val in base.items():
        frame[col] = val
    return frame[list(TIDY_COLUMNS)]


def snapshot_of(
    tidy: pd.DataFrame,
    *,
    names: dict[str, str],
    ldc: tuple[str, ...],
    sources: tuple[str, ...],
    indicators: list[str],
    published: pd.DataFrame | None = None,
):
    """A snapshot of a few economies: ``tidy``, World = every economy in ``names``, LDC = ``ldc``, and the
    provenance of ``sources`` (the publishers' own records, vintage 2025-12-28) for ``indicators``."""
    from indicators.groups import MEMBERSHIP_COLUMNS
    from indicators.snapshot import Snapshot, load_inputs

    membership = pd.DataFrame(
        [("WLD", c, None, None, "all economies", "M49", "") for c in names]
        + [("LDC", c, None, None, "UN", "UN-OHRLLS", "") for c in ldc],
        columns=list(MEMBERSHIP_COLUMNS),
    )
    countries = pd.DataFrame({"iso3": list(names), "name": list(names.values())})
    publishers = load_inputs()["publishers"]
    provenance = {
        "built": "2026-01-01",
        "builder": "tests",
        "tidy_rows": len(tidy),
        "sources": {
            key: {**publishers[key], "vintage": "2025-12-28", "files": [], "tidy_rows": 0, "indicators": indicators}
            for key in sources
        },
    }
    return Snapshot(tidy, pd.DataFrame() if published is None else published, membership, countries, provenance)
