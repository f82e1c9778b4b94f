"""The resolution scorecard in words: one formatter for every place that shows its rows.

The Overview's table (``app/pages/overview.py``), page 1 of the briefing pack (``app/export/briefing.py``) and the
scorecard's CSV/XLSX/JSON downloads (``app/export/scorecard.py``) all call :func:`worded`, so a figure is named and
written the same way everywhere, in every catalogue language:

* the figure's name: the indicator (with the sex), or what the seed derives from it — ": count", ": share without",
  ": people without" (catalogue ``overview.derive_*``), never the bare indicator for a complement;
* counts in the language's own large-number unit (``3.20 bn``, ``32.0亿``), shares and rates with one decimal;
* the resolution's figure with the comparison it states: ``> 43.0`` (a lower bound, "over 43%"), ``≈ 3.20 bn`` (a
  rounded, estimated or projected value); a figure stated as a value has no sign;
* coverage as a percentage of the group's population reporting, whether a lower bound holds as yes/no.

The numbers come unchanged from :func:`indicators.scorecard.scorecard`; only their wording lives here.
"""

from __future__ import annotations

import pandas as pd

from app.i18n import format_number

#: the worded columns, in the order every renderer shows them, with their catalogue headers
COLUMNS = {
    "paragraph_text": "overview.col_paragraph",
    "figure": "overview.col_indicator",
    "group_label": "overview.col_group",
    "year_text": "overview.col_year",
    "stated_text": "overview.col_stated",
    "itu_estimate_text": "overview.col_itu",
    "ours_text": "overview.col_ours",
    "coverage_text": "overview.col_coverage",
    "holds_text": "overview.col_holds",
    "latest_year_text": "overview.col_latest_year",
    "latest_value_text": "overview.col_latest",
}
#: the ``derive`` values whose figures are counts of people or subscriptions
COUNTED = ("count", "complement_count")
#: the comparisons written before a stated figure (``=``: a stated value, no sign)
SIGNS = (">", "≈")
MISSING = "–"


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def figure_label(data, row, t) -> str:
    """The figure's name: the indicator (with the sex), or what the seed derives from it (count, share without,
    people without)."""
    name = data.registry[row.indicator].title_in(t.lang)
    if row.sex != "total":
        name = t("app.name_code", name=name, code=t("sex." + row.sex))
    if row.derive:
        name = t(f"overview.derive_{row.derive}", indicator=name)
    return name


def number_text(value, counted: bool, t, comparison: str = "") -> str:
    """A scorecard figure in words: counts in the language's large-number unit (bn, 亿), others with one decimal;
    ``comparison`` ``>`` or ``≈`` is written before it ('> 43.0', '≈ 3.20 bn')."""
    if _missing(value):
        return MISSING
    scale = float(t("overview.count_scale"))  # the language's own large-number unit: 1e9 (bn), 1e8 (亿)
    digits = 2 if scale >= 1e9 else 1
    text = (
        t("overview.count", value=format_number(value / scale, t.lang, digits))
        if counted
        else format_number(value, t.lang, 1)
    )
    return f"{comparison} {text}" if comparison in SIGNS else text


def coverage_text(share, t) -> str:
    """The share (0–1) of the group's population reporting, as a percentage with one decimal."""
    return MISSING if _missing(share) else t("overview.coverage_pct", value=format_number(100 * share, t.lang, 1))


def holds_text(holds, t) -> str:
    return "" if _missing(holds) else t("overview.holds_yes" if holds else "overview.holds_no")


def _year(value) -> str:
    return MISSING if _missing(value) else str(int(value))


def worded(data, sc: pd.DataFrame, t) -> pd.DataFrame:
    """``sc`` (rows of :func:`indicators.scorecard.scorecard`) with the worded columns of ``COLUMNS`` added."""
    out = sc.copy()
    counted = out["derive"].isin(COUNTED).tolist()
    out["paragraph_text"] = [str(int(p)) for p in out["paragraph"]]
    out["figure"] = [figure_label(data, r, t) for r in out.itertuples()]
    out["group_label"] = [data.groups.label(g, t.lang) for g in out["group"]]
    out["year_text"] = [_year(y) for y in out["year"]]
    stated = zip(out["stated"], counted, out["comparison"], strict=True)
    out["stated_text"] = [number_text(v, c, t, comparison=cmp) for v, c, cmp in stated]
    for col in ("itu_estimate", "ours_same_year", "latest_value"):
        name = "ours_text" if col == "ours_same_year" else f"{col}_text"
        out[name] = [number_text(v, c, t) for v, c in zip(out[col], counted, strict=True)]
    out["coverage_text"] = [coverage_text(c, t) for c in out["ours_coverage"]]
    out["holds_text"] = [holds_text(h, t) for h in out["holds"]]
    out["latest_year_text"] = [_year(y) for y in out["latest_year"]]
    return out


def headers(t, columns=tuple(COLUMNS)) -> dict[str, str]:
    """{worded column: its header in the translator's language} for ``columns``."""
    return {c: t(COLUMNS[c]) for c in columns}


#: the scorecard download's columns: the worded ones beside the numbers they word, then how each was computed
DOWNLOAD_COLUMNS = (
    "paragraph",
    "figure",
    "indicator",
    "derive",
    "group",
    "group_label",
    "sex",
    "year",
    "unit",
    "comparison",
    "stated",
    "stated_text",
    "itu_estimate",
    "itu_estimate_text",
    "ours_same_year",
    "ours_text",
    "ours_coverage",
    "coverage_text",
    "holds",
    "holds_text",
    "latest_year",
    "latest_value",
    "latest_value_text",
    "latest_coverage",
    "method",
)


def download_rows(data, sc: pd.DataFrame, t) -> pd.DataFrame:
    """The scorecard as a download: each number beside its words (the same words as the page), coverage in percent
    (one decimal), numbers rounded (counts whole, others to 2 decimals), years and paragraphs integers."""
    out = worded(data, sc, t)[list(DOWNLOAD_COLUMNS)].copy()
    counted = out["derive"].isin(COUNTED)
    for col in ("stated", "itu_estimate", "ours_same_year", "latest_value"):
        numbers = pd.to_numeric(out[col], errors="coerce").astype("float64")
        pairs = zip(numbers, counted, strict=True)
        cells = [None if v != v else int(round(v)) if c else round(float(v), 2) for v, c in pairs]
        out[col] = pd.Series(cells, index=out.index, dtype=object)  # a count whole: "2190034429", never "….0"
    for col in ("ours_coverage", "latest_coverage"):
        out[col] = (pd.to_numeric(out[col], errors="coerce").astype("float64") * 100).round(1)
    for col in ("paragraph", "year", "latest_year"):
        out[col] = pd.to_numeric(out[col], errors="coerce").round(0).astype("Int64")
    out["holds"] = out["holds"].map(lambda h: None if _missing(h) else bool(h)).astype("boolean")
    return out.rename(columns={"ours_same_year": "ours", "ours_coverage": "coverage_pct",
                               "latest_coverage": "latest_coverage_pct"})  # fmt: skip
