"""The tidy frame's schema and its validation (pandera), with errors that name the file, the row and the rule."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from indicators.registry import SEXES, load_registry
from indicators.sources import OBS_STATUSES

TIDY_COLUMNS = (
    "iso3",
    "year",
    "indicator",
    "sex",
    "value",
    "source",
    "source_code",
    "obs_status",
    "vintage",
    "basket",
)
#: columns a frame may lack: validate_tidy fills them (``basket`` is "" except for price baskets)
OPTIONAL_COLUMNS = {"basket": ""}
KEY = ("iso3", "year", "indicator", "sex")
MIN_YEAR = 1960
MAX_ERRORS_SHOWN = 10


class ValidationError(ValueError):
    """The tidy frame breaks a rule; the message names the file, the rows and the rules."""

    def __init__(self, message: str, failures: pd.DataFrame | None = None):
        super().__init__(message)
        self.failures = failures


def _percent_in_range(df: pd.DataFrame) -> pd.Series:
    reg = load_registry()
    percent = [i for i, ind in reg.items() if ind.unit == "percent"]
    return ~df["indicator"].isin(percent) | df["value"].between(0, 100)


def _basket_for_prices(df: pd.DataFrame) -> pd.Series:
    reg = load_registry()
    prices = [i for i, ind in reg.items() if ind.is_price]
    is_price = df["indicator"].isin(prices)
    return is_price == (df["basket"] != "")


def _non_negative(df: pd.DataFrame) -> pd.Series:
    return df["value"] >= 0


def _sex_allowed(df: pd.DataFrame) -> pd.Series:
    reg = load_registry()
    allowed = pd.Series([ind.sexes for ind in reg.values()], index=list(reg))
    ok = df["indicator"].map(allowed)
    return pd.Series([isinstance(a, tuple) and s in a for a, s in zip(ok, df["sex"], strict=True)], index=df.index)


def tidy_schema() -> pa.DataFrameSchema:
    max_year = dt.date.today().year + 1
    return pa.DataFrameSchema(
        {
            "iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$", name="iso3 is 3 upper-case letters")),
            "year": pa.Column(int, pa.Check.in_range(MIN_YEAR, max_year, name=f"year within {MIN_YEAR}–{max_year}")),
            "indicator": pa.Column(str, pa.Check.isin(list(load_registry()), name="indicator is in the registry")),
            "sex": pa.Column(str, pa.Check.isin(list(SEXES), name="sex is total, female or male")),
            "value": pa.Column(float, nullable=False),
            "source": pa.Column(str),
            "source_code": pa.Column(str),
            "obs_status": pa.Column(str, pa.Check.isin(list(OBS_STATUSES), name="known obs_status")),
            "vintage": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$", name="vintage is an ISO date")),
            "basket": pa.Column(str),
        },
        checks=[
            pa.Check(_percent_in_range, name="percentages lie within [0, 100]"),
            pa.Check(_non_negative, name="values are not negative"),
            pa.Check(_sex_allowed, name="the indicator has this sex breakdown"),
            pa.Check(_basket_for_prices, name="a price row names its basket; other rows have none"),
        ],
        unique=list(KEY),
        strict=True,
        coerce=True,
        ordered=False,
    )


RULE_NAMES = {"multiple_fields_uniqueness": "the key (iso3, year, indicator, sex) is unique"}


def _describe(frame: pd.DataFrame, failures: pd.DataFrame, origin: str) -> str:
    """One line per (row, rule), naming the row by its key, then a count of the rest."""
    fails = failures.copy()
    fails["rule"] = fails["check"].astype(str).map(lambda c: RULE_NAMES.get(c, c))
    dataframe_level = fails["schema_context"].eq("DataFrameSchema") if "schema_context" in fails else False
    fails["where"] = fails["column"].where(~dataframe_level, None)
    fails = fails.drop_duplicates(subset=["index", "rule"])
    lines = []
    for _, f in fails.head(MAX_ERRORS_SHOWN).iterrows():
        idx, rule, column = f.get("index"), f["rule"], f.get("where")
        on = f" on column {column}" if isinstance(column, str) else ""
        if pd.notna(idx) and idx in frame.index:
            row = frame.loc[idx]
            key = ", ".join(str(row.get(k)) for k in KEY if k in frame.columns)
            lines.append(f"  row {idx} ({key}; value {row.get('value')}): breaks rule '{rule}'{on}")
        else:
            lines.append(f"  rule '{rule}'{on}: {f.get('failure_case')}")
    more = len(fails) - min(len(fails), MAX_ERRORS_SHOWN)
    if more > 0:
        lines.append(f"  … and {more} more")
    return f"{origin}: {len(fails)} problem(s) in the tidy frame:\n" + "\n".join(lines)


def validate_tidy(frame: pd.DataFrame, origin: str = "tidy frame") -> pd.DataFrame:
    """Validate and type the tidy frame; raise ValidationError naming ``origin``, the rows and the rules."""
    absent = {c: v for c, v in OPTIONAL_COLUMNS.items() if c not in frame.columns}
    if absent:
        frame = frame.assign(**absent)
    if "basket" in frame.columns:
        frame = frame.assign(basket=frame["basket"].fillna("").astype(str))
    missing = [c for c in TIDY_COLUMNS if c not in frame.columns]
    if missing:
        raise ValidationError(f"{origin}: missing columns {missing}")
    if frame["value"].isna().any():
        idx = frame.index[frame["value"].isna()]
        fails = pd.DataFrame(
            {
                "index": idx,
                "check": "no NaN values",
                "column": "value",
                "failure_case": None,
                "schema_context": "Column",
            }
        )
        raise ValidationError(_describe(frame, fails, origin), fails)
    try:
        out = tidy_schema().validate(frame, lazy=True)
    except SchemaErrors as err:
        fails = err.failure_cases
        raise ValidationError(_describe(frame, fails, origin), fails) from None
    return out[list(TIDY_COLUMNS)].astype({"year": "int64", "value": "float64"})
