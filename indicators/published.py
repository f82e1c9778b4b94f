"""Publishers' own group estimates, kept beside ours (``data/publisher_aggregates.parquet``), never mixed with them.

Three publishers compute figures for groups of economies, each its own way:

* **ITU** (Key ICT indicators, November 2024 edition): estimates for the world, income groups, LDCs, LLDCs, SIDS and
  its regions. ITU *imputes* the economies that do not report, and its LDC, LLDC and SIDS lists are UN-OHRLLS's
  (for SIDS that list differs from M49's, so ITU's SIDS rows belong to our ``SIDS_OHRLLS`` group).
* **UN SDG Global Database** (17.8.1 and 5.b.1 by sex): the custodian's (ITU's) regional estimates as the SDG
  database publishes them (World, LDC, LLDC, SIDS, SDG regions).
* **World Bank** (WDI aggregate rows: WLD, LDC, income groups, regions): population-weighted, with the World Bank's
  own gap-filling.
* **ITU ICT Price Baskets** (workbook 2008–2023): **medians** of member economies' prices, each over a fixed panel
  (``panel``: the economies with a price in every year of the sheet's span, e.g. 133 for fixed broadband 2008–2023;
  ``2023`` alone is every economy reporting in 2023). Groups by ITU's 2023 lists; its SIDS are UN-OHRLLS's. Each
  median's ``basket`` is the one the workbook's BasketHistory names for its code and year.

Every row keeps its publisher (``source``), edition, the publisher's own group name and the upstream code. Nothing
here is adjusted to match our aggregates, nor ours to match these.
"""

from __future__ import annotations

import pandas as pd

PUBLISHED_COLUMNS = (
    "source",
    "edition",
    "group",
    "publisher_group",
    "year",
    "indicator",
    "sex",
    "area",
    "value",
    "source_code",
    "vintage",
    "panel",
    "basket",
)

#: the publishers of group estimates, in the order charts list them
PUBLISHERS = ("itu_key_ict", "itu_price_baskets", "un_sdg", "worldbank")
#: ITU's price-basket group names → our group ids (ITU's regions have no counterpart here: kept, group "")
ITU_PRICE_GROUPS = {
    "World": "WLD",
    "LDC": "LDC",
    "LLDC": "LLDC",
    "SIDS": "SIDS_OHRLLS",
    "Low income": "LIC",
    "Lower middle income": "LMC",
    "Upper middle income": "UMC",
    "High income": "HIC",
    "Low or middle income": "LMY",
}


def empty_published() -> pd.DataFrame:
    return typed(pd.DataFrame(columns=list(PUBLISHED_COLUMNS)))


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The published columns, typed; a frame of the first release's layout (no edition, publisher_group, area) gets
    them from its vintage and group."""
    legacy = {"edition": "vintage", "publisher_group": "group"}
    frame = frame.assign(**{c: frame[src] for c, src in legacy.items() if c not in frame and src in frame})
    if "area" not in frame:
        frame = frame.assign(area="total")
    if "panel" not in frame:
        frame = frame.assign(panel="")
    if "basket" not in frame:  # only price medians have a basket (a release before 2026-12 had the column not)
        frame = frame.assign(basket="")
    out = frame[list(PUBLISHED_COLUMNS)].copy()
    for col in PUBLISHED_COLUMNS:
        if col == "year":
            out[col] = out[col].astype("int64")
        elif col == "value":
            out[col] = out[col].astype("float64")
        else:
            out[col] = out[col].fillna("").astype(str)
    return out.reset_index(drop=True)


def from_worldbank(aggregates: pd.DataFrame, code_map: dict[str, str]) -> pd.DataFrame:
    """The World Bank's aggregate rows (a raw frame of aggregate codes) as published rows; the newest vintage of each
    (group, year, indicator, sex) wins."""
    if aggregates.empty:
        return empty_published()
    agg = aggregates.assign(indicator=aggregates["source_code"].map(code_map)).dropna(subset=["indicator"])
    agg = agg.sort_values("vintage", ascending=False).drop_duplicates(["iso3", "year", "indicator", "sex"])
    return typed(
        agg.assign(
            source="worldbank",
            edition=agg["vintage"],
            group=agg["iso3"],
            publisher_group=agg["iso3"],
            area="total",
        )
    )


def from_sdg(groups: pd.DataFrame, code_map: dict[str, str]) -> pd.DataFrame:
    """The SDG database's group rows (``sdg.read_sdg_ddf``'s second frame) as published rows."""
    if groups.empty:
        return empty_published()
    g = groups.assign(indicator=groups["source_code"].map(code_map)).dropna(subset=["indicator"])
    return typed(g.assign(source="un_sdg", edition=g["vintage"], area="total"))


def from_key_ict(rows: pd.DataFrame, vintage: str) -> pd.DataFrame:
    """ITU's Key ICT rows (``itu_key_ict.read_key_ict_xlsx``) with a registry indicator and an age total, in the unit
    of that indicator, as published rows."""
    from indicators.registry import load_registry

    reg = load_registry()
    r = rows[(rows["indicator"] != "") & rows["indicator"].isin(list(reg)) & (rows["age"] == "total")]
    unit_ok = [reg[i].unit == u for i, u in zip(r["indicator"], r["unit"], strict=True)]
    r = r[unit_ok]
    return typed(r.assign(source="itu_key_ict", source_code=r["series"], vintage=vintage))


def panel_label(first: int, last: int) -> str:
    """``2008-2023`` for a fixed panel over a span, ``2023`` for every economy reporting in one year."""
    return f"{first}-{last}" if last != first else str(first)


def from_price_medians(
    medians: pd.DataFrame, code_map: dict[str, str], edition: str, vintage: str, baskets: pd.DataFrame | None = None
) -> pd.DataFrame:
    """ITU's price-basket medians (``itu_prices.read_price_baskets_xlsx(...).medians``) for the registry's codes, as
    published rows with their panel and, from the workbook's BasketHistory (``baskets``), the basket each year's
    median prices (ITU's 2023 data-only mobile-broadband median is of the 2 GB basket, not the DataHub's 5 GB)."""
    from indicators.sources.itu_prices import baskets_of

    if medians.empty:
        return empty_published()
    m = medians.assign(indicator=medians["code"].map(code_map)).dropna(subset=["indicator"])
    basket = baskets_of(baskets, m["code"], m["year"]) if baskets is not None else pd.Series("", index=m.index)
    return typed(
        pd.DataFrame(
            {
                "source": "itu_price_baskets",
                "edition": edition,
                "group": m["group"].map(ITU_PRICE_GROUPS).fillna(""),
                "publisher_group": m["group"],
                "year": m["year"],
                "indicator": m["indicator"],
                "sex": "total",
                "area": "total",
                "value": m["value"],
                "source_code": m["code"],
                "vintage": vintage,
                "panel": [panel_label(a, b) for a, b in zip(m["panel_first"], m["panel_last"], strict=True)],
                "basket": basket.fillna(""),
            }
        )
    )


def combine_published(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_published()
    out = pd.concat(parts, ignore_index=True)
    if "panel" not in out:
        out = out.assign(panel="")
    out = out.assign(panel=out["panel"].fillna(""))
    if "basket" not in out:
        out = out.assign(basket="")
    out = out.assign(basket=out["basket"].fillna(""))
    key = ["source", "edition", "group", "publisher_group", "year", "indicator", "sex", "area", "panel"]
    out = out.drop_duplicates(key, keep="first")
    return typed(out.sort_values(["indicator", "source", "group", "sex", "area", "year"]))


def select(
    frame: pd.DataFrame,
    indicator: str,
    group: str | None = None,
    sex: str | None = None,
    area: str = "total",
    source: str | None = None,
) -> pd.DataFrame:
    """The published rows of ``indicator`` (for one group, sex, area and publisher when given)."""
    if frame is None or frame.empty:
        return empty_published()
    keep = frame["indicator"] == indicator
    if "area" in frame.columns:
        keep &= frame["area"] == area
    if group is not None:
        keep &= frame["group"] == group
    if sex is not None:
        keep &= frame["sex"] == sex
    if source is not None:
        keep &= frame["source"] == source
    return frame.loc[keep].sort_values(["source", "group", "sex", "year"]).reset_index(drop=True)


#: the published group whose figures are shown beside one of ours, where the publisher's composition differs
#: (ITU's SIDS are UN-OHRLLS's list: shown on our M49 SIDS charts too, labelled with that list)
NEAREST_GROUP = {("itu_key_ict", "SIDS"): "SIDS_OHRLLS", ("itu_price_baskets", "SIDS"): "SIDS_OHRLLS"}


def for_group(frame: pd.DataFrame, indicator: str, group: str, sex: str = "total") -> pd.DataFrame:
    """Every publisher's estimate of ``indicator`` for ``group`` (and, per ``NEAREST_GROUP``, the publisher's nearest
    group where its list differs from ours; such rows keep their own ``group``)."""
    rows = select(frame, indicator, sex=sex)
    if rows.empty:
        return rows
    wanted = rows["group"] == group
    for (source, ours), theirs in NEAREST_GROUP.items():
        if ours == group:
            wanted |= (rows["source"] == source) & (rows["group"] == theirs)
    return rows.loc[wanted].reset_index(drop=True)


def parity_rows(frame: pd.DataFrame, indicator: str, group: str) -> pd.DataFrame:
    """(source, edition, group, year, female, male, parity_score) from each publisher's estimates by sex."""
    rows = pd.concat([for_group(frame, indicator, group, s) for s in ("female", "male")], ignore_index=True)
    if rows.empty:
        return pd.DataFrame(columns=["source", "edition", "group", "year", "female", "male", "parity_score"])
    wide = rows.pivot_table(
        index=["source", "edition", "group", "year"], columns="sex", values="value", aggfunc="first"
    ).reindex(columns=["female", "male"])
    wide = wide.dropna().reset_index()
    wide = wide[wide["male"] > 0]
    wide["parity_score"] = wide["female"] / wide["male"]
    wide.columns.name = None
    return wide.sort_values(["source", "year"]).reset_index(drop=True)
