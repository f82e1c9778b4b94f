"""Small builders for tidy frames in tests."""

from __future__ import annotations

import pandas as pd

from indicators.schema import TIDY_COLUMNS


def tidy_rows(rows: list[tuple], **defaults) -> pd.DataFrame:
    """Rows of (iso3, year, indicator, sex, value) with defaults for the provenance columns."""
    base = {"source": "worldbank", "source_code": "X", "obs_status": "normal", "vintage": "2024-01-01", "basket": ""}
    base.update(defaults)
    frame = pd.DataFrame(rows, columns=["iso3", "year", "indicator", "sex", "value"])
    for col, val in base.items():
        frame[col] = val
    return frame[list(TIDY_COLUMNS)]
