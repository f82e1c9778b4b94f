"""Publisher readers (``read_*``: files) and clients (``fetch_*``: network).

Every reader and client that returns observations returns a *raw frame* with exactly ``RAW_COLUMNS``:

=============  ==========================================================================================
``iso3``       upper-case ISO 3166-1 alpha-3 after the publisher's explicit remaps (``codes.py``); World Bank
               aggregate codes (WLD, LDC, …) are kept verbatim so the caller can tell them apart
``year``       int
``source_code`` the upstream series code, verbatim (``IT.NET.USER.ZS``, ``i992b``, ``IT_MOB_OWN``)
``sex``        ``total`` | ``female`` | ``male``
``value``      float; rows whose upstream value is missing are dropped, never NaN
``obs_status`` ``normal`` | ``estimate`` | ``provisional``
``vintage``    ISO date string: the publisher's last-updated date, or the retrieval date when the file has none
=============  ==========================================================================================

Price readers add one column, ``basket``: the definition of the price basket the row measures (ITU's
``BasketHistory`` wording, e.g. "Fixed broadband basket (5GB)"), because a change of basket is a break in the series.

Errors are ``SourceError`` (a file or URL that cannot be read as its publisher's format); the message names the
file or URL, and the row where one is at fault.
"""

from __future__ import annotations

import pandas as pd
from urllib3.util.retry import Retry

RAW_COLUMNS = ("iso3", "year", "source_code", "sex", "value", "obs_status", "vintage")
OBS_STATUSES = ("normal", "estimate", "provisional")
#: The longest ``Retry-After`` a client honours, in seconds; a publisher asking for more is retried after this.
RETRY_AFTER_MAX = 120


class SourceError(RuntimeError):
    """A publisher file or response could not be read; the message names the file or URL."""


def retry_after_cap(seconds: int = RETRY_AFTER_MAX) -> dict:
    """``Retry(retry_after_max=…)`` where urllib3 has it (≥ 2.4), so a hostile Retry-After cannot stall a refresh."""
    return {"retry_after_max": seconds} if hasattr(Retry, "DEFAULT_RETRY_AFTER_MAX") else {}


def read_csv_rows(path) -> list[tuple[int, list[str]]]:
    """The CSV rows of ``path`` (UTF-8, BOM stripped) with their 1-based line numbers; blank rows left out.
    SourceError names the file (and the line) when it cannot be read or is not CSV."""
    import csv
    import io

    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise SourceError(f"{path}: cannot read file: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 text ({exc})") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise SourceError(f"{path}: line {reader.line_num}: not valid CSV ({exc})") from exc
    return rows


def empty_raw() -> pd.DataFrame:
    """A raw frame with no rows and the right dtypes."""
    return pd.DataFrame(
        {
            "iso3": pd.Series(dtype="string"),
            "year": pd.Series(dtype="int64"),
            "source_code": pd.Series(dtype="string"),
            "sex": pd.Series(dtype="string"),
            "value": pd.Series(dtype="float64"),
            "obs_status": pd.Series(dtype="string"),
            "vintage": pd.Series(dtype="string"),
        }
    )


def finish_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """Order and type the raw columns; drop rows with a missing value."""
    missing = [c for c in RAW_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"raw frame lacks columns {missing}")
    columns = [*RAW_COLUMNS, *(["basket"] if "basket" in frame.columns else [])]
    out = frame.loc[frame["value"].notna(), columns].copy()
    out = out.astype(
        {
            "iso3": "string",
            "year": "int64",
            "source_code": "string",
            "sex": "string",
            "value": "float64",
            "obs_status": "string",
            "vintage": "string",
            **({"basket": "string"} if "basket" in columns else {}),
        }
    )
    return out.reset_index(drop=True)
