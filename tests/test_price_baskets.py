"""ITU price baskets: the workbook and DataHub readers, basket breaks, medians, the share-of-people measure, and ITU's
own medians reproduced from its own rows with its fixed-panel rule."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from indicators.affordability import economy_verdict, itu_panel_median, under_threshold
from indicators.aggregates import DEFAULT_RULE, aggregate
from indicators.sources import SourceError
from indicators.sources.itu import read_datahub_csv
from indicators.sources.itu_prices import basket_for, read_price_baskets_xlsx
from indicators.tidy import combine_series, to_tidy
from tests.builders import tidy_rows

FIXTURES = Path(__file__).parent / "fixtures" / "itu"
WORKBOOK = FIXTURES / "price_baskets_small.xlsx"
DATAHUB = FIXTURES / "datahub_prices_small.csv"
RAW = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "raw"
REAL_WORKBOOK = RAW / "itu_price_baskets" / "ITU_ICTPriceBaskets_2008-2023.xlsx"


@pytest.fixture(scope="module")
def book():
    return read_price_baskets_xlsx(WORKBOOK, vintage="2024-03-25")


def _value(frame, iso3, code, year):
    hit = frame[(frame["iso3"] == iso3) & (frame["source_code"] == code) & (frame["year"] == year)]
    return None if hit.empty else float(hit["value"].iloc[0])


def test_workbook_reader_drops_na_strings_and_zero_prices_and_maps_wbg(book):
    p = book.prices
    assert _value(p, "NER", "i154_FBB_ts_GNI", 2017) is None  # "NA"
    assert _value(p, "NER", "i154_FBB_ts_GNI", 2018) is None  # 0 is a missing price, never a free service
    assert _value(p, "NER", "i154_FBB_ts_GNI", 2019) == 25.0
    assert _value(p, "PSE", "i154_FBB_ts_GNI", 2019) == 1.5 and "WBG" not in set(p["iso3"])
    assert _value(p, "TCD", "i154_FBB_ts$", 2016) == 400.0  # USD code ends in $
    assert set(p["obs_status"]) == {"normal"} and set(p["vintage"]) == {"2024-03-25"}


def test_every_workbook_row_gets_its_basket_from_basket_history(book):
    p = book.prices
    fixed = p[p["source_code"] == "i154_FBB_ts_GNI"]
    assert set(fixed.loc[fixed["year"] <= 2017, "basket"]) == {"Fixed broadband basket (1GB)"}
    assert set(fixed.loc[fixed["year"] >= 2018, "basket"]) == {"Fixed broadband basket (5GB)"}
    mobile = p[p["source_code"] == "i271mb_ts_GNI"]
    assert set(mobile.loc[mobile["year"] == 2018, "basket"]) == {"Data-only mobile broadband 1.5GB"}
    hist = book.baskets
    assert len(hist) == 4 and pd.isna(hist.loc[1, "last_year"]) and hist.loc[0, "last_year"] == 2017
    assert basket_for(hist, "i154_FBB_ts_PPP", 2030) == "Fixed broadband basket (5GB)"


def test_itu_groups_and_medians_sheets_are_read(book):
    g = book.itu_groups.set_index("iso3")
    assert g.loc["HTI", "SIDS"] == "SIDS" and g.loc["DEU", "LDC"] is None
    m = book.medians
    ldc = m[(m["sheet"] == "medians_2016-2019") & (m["group"] == "LDC")].set_index("year")["value"]
    assert ldc.to_dict() == {2016: 25.0, 2017: 21.5, 2018: 18.0, 2019: 12.0}
    one = m[m["sheet"] == "medians_2019"].set_index("group")
    assert int(one.loc["LDC", "n_group"]) == 3 and int(one.loc["World", "n_world"]) == 5
    assert set(m["panel_first"]) == {2016, 2019}


def test_fixed_panel_medians_reproduce_itu_and_differ_from_all_reporting(book):
    """The fixture's docstring computes these by hand."""
    prices = book.prices[book.prices["source_code"] == "i154_FBB_ts_GNI"].pivot(
        index="iso3", columns="year", values="value"
    )
    ldc = {"NER", "TCD", "HTI"}
    assert itu_panel_median(prices, ldc, 2016, 2019, 2019) == 12.0  # ITU's medians_2016-2019 sheet
    assert itu_panel_median(prices, ldc, 2019, 2019, 2019) == 20.0  # ITU's medians_2019 sheet: all reporting
    world = set(prices.index)
    assert itu_panel_median(prices, world, 2016, 2019, 2016) == 10.0


@pytest.mark.parametrize("missing", ["BasketHistory", "economies_2008-2023"])
def test_workbook_without_a_needed_sheet_is_a_clear_error(tmp_path, missing):
    import openpyxl

    wb = openpyxl.load_workbook(WORKBOOK)
    del wb[missing]
    path = tmp_path / "cut.xlsx"
    wb.save(path)
    with pytest.raises(SourceError, match=f"no sheet '{missing}'"):
        read_price_baskets_xlsx(path, vintage="2024-03-25")


def test_workbook_that_is_not_excel_is_a_clear_error(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("IsoCode,Economy\n")
    with pytest.raises(SourceError, match="not an Excel workbook"):
        read_price_baskets_xlsx(path, vintage="2024-03-25")


def test_datahub_price_reader_keys_on_series_code_and_reads_zero_as_missing():
    raw = read_datahub_csv(DATAHUB, vintage="2025-12-28")
    assert set(raw["source_code"]) == {"i154_FBB5$", "i154_FBB5_GNI", "i154_FBB5_PPP"}  # seriesUnits is wrong
    ner = raw[raw["iso3"] == "NER"]
    assert 2022 not in set(ner["year"])  # "0" in US$, PPP$ and % GNI alike: missing
    assert _value(raw, "DEU", "i154_FBB5$", 2018) == 12.0 and _value(raw, "DEU", "i154_FBB5_GNI", 2018) == 1.2


def test_datahub_rows_carry_the_registry_basket_and_one_source_per_basket(book):
    datahub = to_tidy(read_datahub_csv(DATAHUB, vintage="2025-12-28"), "itu_datahub", origin="dh")
    workbook = to_tidy(book.prices, "itu_price_baskets", origin="wb")
    combined = combine_series([datahub, workbook])
    fixed = combined.tidy[combined.tidy["indicator"] == "fixed_broadband_price_gni"]
    deu = fixed[fixed["iso3"] == "DEU"].set_index("year")
    # the 1 GB years only the workbook has; the 5 GB series is DataHub's whole (it comes first), to 2024
    assert deu.loc[2016, "source"] == "itu_price_baskets" and deu.loc[2016, "basket"] == "Fixed broadband basket (1GB)"
    assert set(deu.loc[2018:, "source"]) == {"itu_datahub"} and 2024 in deu.index
    tcd = fixed[fixed["iso3"] == "TCD"]
    assert set(tcd["source"]) == {"itu_price_baskets"}  # DataHub has no TCD: the workbook's 5 GB series stays
    lost = combined.superseded
    assert ((lost["iso3"] == "DEU") & (lost["dropped_source"] == "itu_price_baskets")).any()


def test_a_newer_basket_replaces_the_older_one_from_its_first_year():
    rows = tidy_rows(
        [
            ("AAA", 2022, "mobile_broadband_price_gni", "total", 3.0),
            ("AAA", 2023, "mobile_broadband_price_gni", "total", 2.5),
            ("BBB", 2023, "mobile_broadband_price_gni", "total", 2.0),
        ],
        source="itu_price_baskets",
        source_code="i271mb_ts_GNI",
        basket="Data-only mobile broadband 2GB",
    )
    newer = tidy_rows(
        [
            ("AAA", 2023, "mobile_broadband_price_gni", "total", 4.0),
            ("AAA", 2024, "mobile_broadband_price_gni", "total", 3.5),
        ],
        source="itu_datahub",
        source_code="i271mb_5GB_GNI",
        basket="Data-only mobile broadband 5GB",
    )
    out = combine_series([rows, newer])
    kept = out.tidy.set_index(["iso3", "year"])
    assert kept.loc[("AAA", 2022), "basket"] == "Data-only mobile broadband 2GB"
    assert kept.loc[("AAA", 2023), "basket"] == "Data-only mobile broadband 5GB"
    # BBB has no 5 GB value, but its 2 GB value of 2023 goes too: a year's median never mixes two baskets
    assert ("BBB", 2023) not in kept.index
    reasons = set(out.superseded["reason"])
    assert "basket 'Data-only mobile broadband 2GB' replaced by 'Data-only mobile broadband 5GB' from 2023" in reasons


def test_a_price_row_without_a_basket_is_rejected():
    from indicators.schema import ValidationError, validate_tidy

    rows = tidy_rows([("AAA", 2022, "fixed_broadband_price_gni", "total", 3.0)], basket="")
    with pytest.raises(ValidationError, match="names its basket"):
        validate_tidy(rows)


def _prices_and_population():
    prices = tidy_rows(
        [
            ("AAA", 2020, "fixed_broadband_price_gni", "total", 1.0),
            ("BBB", 2020, "fixed_broadband_price_gni", "total", 3.0),
            ("CCC", 2020, "fixed_broadband_price_gni", "total", 8.0),
            ("DDD", 2020, "fixed_broadband_price_gni", "total", 1.5),
        ],
        source="itu_price_baskets",
        source_code="i154_FBB_ts_GNI",
        basket="Fixed broadband basket (5GB)",
    )
    pop = tidy_rows(
        [
            ("AAA", 2020, "population", "total", 10.0),
            ("BBB", 2020, "population", "total", 20.0),
            ("CCC", 2020, "population", "total", 60.0),
            ("DDD", 2019, "population", "total", 5.0),  # carried forward to 2020
            ("EEE", 2020, "population", "total", 5.0),  # a member without a price
        ]
    )
    return pd.concat([prices, pop], ignore_index=True)


def test_share_of_members_and_of_people_under_the_threshold_by_hand():
    tidy = _prices_and_population()
    members = {2020: {"AAA", "BBB", "CCC", "DDD", "EEE"}}
    out = under_threshold(tidy, "fixed_broadband_price_gni", members, group="G", threshold=2.0).iloc[0]
    assert (out.n_members, out.n_reporting, out.n_under) == (5, 4, 2)
    assert out.members_under == pytest.approx(2 / 4)
    # people: AAA 10 + DDD 5 of 100 (EEE's 5 count in the group's people, not as under)
    assert out.people_under == pytest.approx(15 / 100)
    assert out.people_reporting == pytest.approx(95 / 100)
    five = under_threshold(tidy, "fixed_broadband_price_gni", members, group="G", threshold=5.0).iloc[0]
    assert five.n_under == 3 and five.people_under == pytest.approx(35 / 100)


def test_price_aggregate_is_the_unweighted_median_with_member_coverage():
    tidy = _prices_and_population()
    members = {2020: {"AAA", "BBB", "CCC", "DDD", "EEE"}}
    out = aggregate(tidy, "fixed_broadband_price_gni", members, group="G").iloc[0]
    assert out.value == pytest.approx(2.25)  # median(1, 1.5, 3, 8), whatever the populations
    assert (out.n_reporting, out.n_members, out.coverage) == (4, 5, 0.8)
    assert "median" in out.method and "not population-weighted" in out.method
    few = {2020: {"AAA", "EEE", "FFF"}}
    assert aggregate(tidy, "fixed_broadband_price_gni", few, group="G").empty  # 1 of 3 < 50% of members
    assert DEFAULT_RULE.min_members_reporting == 0.5


def test_economy_verdict_states_year_basket_and_side_of_the_threshold():
    tidy = _prices_and_population()
    v = economy_verdict(tidy, "BBB", "fixed_broadband_price_gni", 2.0)
    assert (v.status, v.year, v.value, v.basket) == ("over", 2020, 3.0, "Fixed broadband basket (5GB)")
    assert economy_verdict(tidy, "AAA", "fixed_broadband_price_gni", 2.0).status == "under"
    assert economy_verdict(tidy, "EEE", "fixed_broadband_price_gni", 2.0).status == "no_data"


# ---- the real workbook -------------------------------------------------------------------------------------------

needs_raw = pytest.mark.skipif(not REAL_WORKBOOK.is_file(), reason=f"ITU price baskets workbook not at {REAL_WORKBOOK}")

INCOME = ("Low income", "Lower middle income", "Upper middle income", "High income")


def _itu_members(groups: pd.DataFrame, grouping: str, group: str) -> set[str]:
    if grouping == "World":
        return set(groups["iso3"])
    if grouping in ("LDC", "LLDC", "SIDS"):
        return set(groups.loc[groups[grouping] == grouping, "iso3"])
    if grouping == "Income levels":
        wanted = INCOME[:3] if group == "Low or middle income" else (group,)
        return set(groups.loc[groups["Income_2023"].isin(wanted), "iso3"])
    names = {"Europe": "Europe countries", "CIS": "CIS countries"}
    return set(groups.loc[groups["ITURegion"] == names.get(group, group), "iso3"])


@needs_raw
def test_itu_medians_are_reproduced_from_its_own_rows_with_its_panel_rule():
    """Every % of GNI median of ITU's three panel sheets, from the workbook's rows: the panel is the group's economies
    with a value in every year the sheet reports the world for. Agreement to ±0.005 (the rows are rounded to 2
    decimals, ITU's medians are not)."""
    book = read_price_baskets_xlsx(REAL_WORKBOOK, vintage="2024-03-25")
    prices = book.prices
    checked = 0
    for sheet, rows in book.medians[book.medians["code"].str.endswith("_GNI")].groupby("sheet"):
        if rows["panel_first"].iloc[0] == rows["panel_last"].iloc[0]:
            continue  # medians_2023: see the next test
        for code, by_code in rows.groupby("code"):
            wide = prices[prices["source_code"] == code].pivot(index="iso3", columns="year", values="value")
            world_years = sorted(by_code.loc[by_code["group"] == "World", "year"])
            for r in by_code.itertuples():
                if not world_years[0] <= r.year <= world_years[-1]:
                    continue  # a group's year before the world's first: outside the sheet's panel span
                members = _itu_members(book.itu_groups, r.grouping, r.group)
                ours = itu_panel_median(wide, members, world_years[0], world_years[-1], r.year)
                assert ours == pytest.approx(r.value, abs=0.0051), (sheet, code, r.group, r.year)
                checked += 1
    assert checked == 825 + 450 + 150
    fixed = prices[prices["source_code"] == "i154_FBB_ts_GNI"].pivot(index="iso3", columns="year", values="value")
    ldc = _itu_members(book.itu_groups, "LDC", "LDC")
    assert round(itu_panel_median(fixed, ldc, 2008, 2023, 2023), 2) == 15.06
    # ITU's 16.3156 (shown 16.32) from rows rounded to 2 decimals: 16.315
    assert itu_panel_median(fixed, ldc, 2018, 2023, 2023) == pytest.approx(16.3156, abs=0.0051)
    assert round(itu_panel_median(fixed, ldc, 2023, 2023, 2023), 2) == 16.84  # all reporting


@needs_raw
def test_itu_one_year_medians_mostly_match_and_the_rest_are_explained_by_its_count():
    """``medians_2023`` (every economy reporting) matches for most groups; where it does not, ITU's own ``n (group)``
    counts an economy the economies sheet has no 2023 value for (a later revision): stated on the About page."""
    book = read_price_baskets_xlsx(REAL_WORKBOOK, vintage="2024-03-25")
    rows = book.medians[(book.medians["sheet"] == "medians_2023") & (book.medians["code"] == "i154_FBB_ts_GNI")]
    wide = book.prices[book.prices["source_code"] == "i154_FBB_ts_GNI"].pivot(
        index="iso3", columns="year", values="value"
    )
    for r in rows.itertuples():
        members = _itu_members(book.itu_groups, r.grouping, r.group)
        reporting = wide.reindex(index=sorted(members))[2023].dropna()
        if len(reporting) == r.n_group:
            assert reporting.median() == pytest.approx(r.value, abs=0.0051), r.group
        else:
            assert r.group in {"World", "Upper middle income", "Low or middle income"}
