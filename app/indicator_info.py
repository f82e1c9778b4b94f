"""What /indicator/<id> says about one indicator, computed from the snapshot: its sources with the vintages actually
used, coverage by year, the breaks (price baskets) and corrections, the licences and a suggested citation.

Pure functions of :class:`app.data.AppData` (the page in app/pages/indicator.py only lays them out), so the tests
read the same rows the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from app.components import source_field
from app.data import AppData
from app.i18n import basket_name, format_date, lookup
from indicators.registry import Indicator
from indicators.tidy import load_corrections


@dataclass(frozen=True)
class SourceInfo:
    """One upstream series of an indicator, as the snapshot holds it."""

    key: str
    code: str
    publisher: str
    title: str
    licence: str
    licence_url: str
    url: str
    sexes: tuple[str, ...]
    vintages: tuple[str, ...]  # ISO dates of the rows in the snapshot, oldest first; () when it has none
    economies: int
    first_year: int | None
    last_year: int | None


def sources(data: AppData, ind: Indicator, lang: str) -> list[SourceInfo]:
    """Every source of ``ind`` in registry order (precedence), with what the snapshot holds of it."""
    prov = data.snapshot.provenance.get("sources", {})
    rows = data.tidy[data.tidy["indicator"] == ind.id]
    out = []
    for ref in ind.sources:
        mine = rows[(rows["source"] == ref.source) & (rows["source_code"] == ref.code)]
        src = prov.get(ref.source, {})
        out.append(
            SourceInfo(
                key=ref.source,
                code=ref.code,
                publisher=source_field(ref.source, "publisher", src.get("publisher", ref.source), lang),
                title=source_field(ref.source, "title", src.get("title", ""), lang),
                licence=source_field(ref.source, "licence", src.get("licence", ref.licence), lang),
                licence_url=src.get("licence_url", ""),
                url=src.get("url", ""),
                sexes=ref.sexes,
                vintages=tuple(sorted({str(v) for v in mine["vintage"]})),
                economies=int(mine["iso3"].nunique()),
                first_year=int(mine["year"].min()) if len(mine) else None,
                last_year=int(mine["year"].max()) if len(mine) else None,
            )
        )
    return out


def coverage_by_year(data: AppData, ind: Indicator) -> pd.DataFrame:
    """One row per year: the number of economies with a value, per sex the indicator has (columns ``total``…)."""
    rows = data.tidy[data.tidy["indicator"] == ind.id]
    table = rows.groupby(["year", "sex"])["iso3"].nunique().unstack("sex", fill_value=0)
    table = table.reindex(columns=[s for s in ind.sexes if s in table.columns]).fillna(0).astype("int64")
    return table.reset_index().rename_axis(columns=None)


def breaks(data: AppData, ind: Indicator, lang: str) -> list[tuple[str, int, int]]:
    """(basket definition in ``lang``, first year, last year) of a price indicator; [] for the others."""
    return [(basket_name(b, lang), first, last) for b, first, last in data.basket_periods(ind.id)]


def corrections(data: AppData, ind: Indicator, t) -> list[str]:
    """The corrections of ``corrections.yml`` that touch this indicator's series, as sentences in ``t``'s language."""
    codes = {(ref.source, ref.code) for ref in ind.sources}
    prov = data.snapshot.provenance.get("sources", {})
    out = []
    for c in load_corrections():
        if (c["source"], c["source_code"]) not in codes:
            continue
        out.append(
            t(
                "about.correction_item",
                publisher=source_field(
                    c["source"], "publisher", prov.get(c["source"], {}).get("publisher", ""), t.lang
                ),
                code=c["source_code"],
                country=data.country_name(c["iso3"], t.lang),
                iso3=c["iso3"],
                year=c["year"],
                reason=lookup(
                    t.lang, f"data.correction.{c['source_code']}_{c['iso3']}_{c['year']}", " ".join(c["reason"].split())
                ),
            )
        )
    return out


def citation(src: SourceInfo, ind: Indicator, t, *, accessed: str, permalink: str) -> str:
    """'Publisher, Title: Indicator (series CODE), vintage …, URL, accessed …; via Digital divide dashboard, …'."""
    return t(
        "indicator.citation",
        publisher=src.publisher,
        title=src.title,
        indicator=ind.title_in(t.lang),
        code=src.code,
        vintage=format_date(src.vintages[-1], t.lang) if src.vintages else "–",
        url=src.url,
        accessed=format_date(accessed, t.lang),
        project=t("app.name"),
        permalink=permalink,
    )
