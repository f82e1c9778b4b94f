"""How many decimals each downloaded number keeps: the publisher's precision, never float noise.

The rule, per column (docs/downloads.md and every file's metadata state it):

- ``value``, and ``band_low``/``band_high`` (the missing-data band of a group's value): by the indicator's unit.
  Percentages (``percent``) and per-100 rates (``per100``): 2 decimals, as ITU publishes its DataHub series; prices
  (``percent_gni``, ``usd``, ``ppp``): 2 decimals, as in ITU's ICT Price Baskets; counts (``count``: subscriptions,
  people): whole numbers.
- ``female``, ``male``, ``gap_points``: 2 decimals (percentages of people).
- ``parity_score``: 3 decimals (ITU states parity as women ÷ men to two decimals; a third keeps the 0.98–1.02 band
  readable without inventing precision).
- ``coverage`` and ``filled_share``: **percent** of the group's population (of its members, for prices), 1 decimal,
  as on screen.
- ``year``, ``rank``, ``n_reporting``, ``n_members``, ``n_filled``: integers (empty where there is none).

Rounding happens before writing, so ``5.899999999999999`` is written ``5.9`` and ``15.52051485400794`` ``15.52``.
"""

from __future__ import annotations

import pandas as pd

#: decimals of ``value`` per registry unit
UNIT_DIGITS = {"percent": 2, "per100": 2, "percent_gni": 2, "usd": 2, "ppp": 2, "count": 0}
#: the columns rounded as ``value``: the value and its missing-data band
VALUE_COLUMNS = ("value", "band_low", "band_high")
#: decimals of the other numeric columns
COLUMN_DIGITS = {"female": 2, "male": 2, "gap_points": 2, "parity_score": 3}
#: shares (0–1) written as percentages with one decimal
PERCENT_COLUMNS = ("coverage", "filled_share")
PERCENT_DIGITS = 1
INTEGER_COLUMNS = ("year", "rank", "n_reporting", "n_members", "n_filled")


def digits_for(column: str, unit: str | None) -> int | None:
    """The decimals ``column`` keeps (0 for integers), or None for a column that is not a number we round."""
    if column in VALUE_COLUMNS:
        return UNIT_DIGITS.get(unit or "", 2)
    if column in COLUMN_DIGITS:
        return COLUMN_DIGITS[column]
    if column in PERCENT_COLUMNS:
        return PERCENT_DIGITS
    if column in INTEGER_COLUMNS:
        return 0
    return None


def _round(series: pd.Series, digits: int) -> pd.Series:
    numbers = pd.to_numeric(series, errors="coerce").astype("float64")
    if digits == 0:
        return numbers.round(0).astype("Int64")
    return numbers.round(digits)


def round_rows(rows: pd.DataFrame, unit: str | None) -> pd.DataFrame:
    """``rows`` with every numeric column rounded by the rule above (shares turned into percentages)."""
    out = rows.copy()
    for col in out.columns:
        digits = digits_for(str(col), unit)
        if digits is None or not (pd.api.types.is_numeric_dtype(out[col]) or out[col].isna().all()):
            continue
        if col in PERCENT_COLUMNS:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("float64") * 100
        out[col] = _round(out[col], digits)
    return out


def precision_notes(t, columns, unit: str | None) -> list[str]:
    """One sentence per rounded column of ``columns``, in the catalogue's words (for a ZIP's README, JSON, XLSX)."""
    notes = []
    for col in columns:
        digits = digits_for(str(col), unit)
        if digits is None:
            continue
        if col in PERCENT_COLUMNS:
            notes.append(t(f"export.col_{col}", digits=digits))
        elif digits == 0:
            notes.append(t("export.col_integer", column=col))
        else:
            notes.append(t("export.col_digits", column=col, digits=digits))
    return notes
