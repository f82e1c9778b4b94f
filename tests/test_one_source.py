"""One source and one vintage per series: ``combine_series`` precedence on hand-built frames (registry.yml order:
for internet_users total ITU DataHub i99H, then the World Bank's IT.NET.USER.ZS; by sex the World Bank's FE/MA
series, then the UN SDG database), and the same property on the committed snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import DATA_DIR
from indicators.schema import TIDY_COLUMNS
from indicators.snapshot import current_dir, has_snapshot
from indicators.tidy import SUPERSEDED_COLUMNS, Combined, combine_series
from tests.builders import tidy_rows

ITU = {"source": "itu_datahub", "source_code": "i99H", "vintage": "2026-04-24"}
WB = {"source": "worldbank", "source_code": "IT.NET.USER.ZS", "vintage": "2024-11-29"}


def internet(iso3: str, years, value=lambda y: float(y - 2000), sex: str = "total", **provenance) -> pd.DataFrame:
    return tidy_rows([(iso3, y, "internet_users", sex, value(y)) for y in years], **provenance)


def series_of(tidy: pd.DataFrame, iso3: str, sex: str = "total") -> pd.DataFrame:
    return tidy[(tidy["iso3"] == iso3) & (tidy["sex"] == sex)].sort_values("year")


# ---- precedence between sources ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def itu_over_wb() -> Combined:
    """AAA: ITU 2010–2020 and WB 2005–2022 (WB alone has 2005–2009 and 2021–2022). BBB: WB only."""
    return combine_series(
        [
            internet("AAA", range(2005, 2023), value=lambda y: 1.0, **WB),
            internet("BBB", range(2015, 2020), value=lambda y: 7.0, **WB),
            internet("AAA", range(2010, 2021), value=lambda y: 2.0, **ITU),
        ]
    )


def test_itu_beats_the_world_bank_for_every_year_of_an_economy(itu_over_wb):
    aaa = series_of(itu_over_wb.tidy, "AAA")
    assert list(aaa["year"]) == list(range(2010, 2021))  # WB's own 2005–2009 and 2021–2022 are not spliced in
    assert set(aaa["source"]) == {"itu_datahub"} and set(aaa["source_code"]) == {"i99H"}
    assert set(aaa["value"]) == {2.0}


def test_world_bank_is_used_where_itu_has_no_series(itu_over_wb):
    bbb = series_of(itu_over_wb.tidy, "BBB")
    assert list(bbb["year"]) == list(range(2015, 2020))
    assert set(bbb["source"]) == {"worldbank"} and set(bbb["value"]) == {7.0}


def test_superseded_lists_the_dropped_series_with_its_years(itu_over_wb):
    sup = itu_over_wb.superseded
    assert list(sup.columns) == list(SUPERSEDED_COLUMNS)
    assert len(sup) == 1  # BBB lost nothing
    row = sup.iloc[0]
    assert (row["indicator"], row["sex_class"], row["iso3"]) == ("internet_users", "total", "AAA")
    assert (row["kept_source"], row["kept_codes"], row["kept_vintage"]) == ("itu_datahub", "i99H", "2026-04-24")
    assert (row["dropped_source"], row["dropped_codes"], row["dropped_vintage"]) == (
        "worldbank",
        "IT.NET.USER.ZS",
        "2024-11-29",
    )
    assert row["dropped_rows"] == 18  # every WB year, including the ten ITU has too
    assert row["dropped_years"] == "2005–2022"
    assert "itu_datahub" in row["reason"] and "precedence" in row["reason"]


def test_the_order_of_the_input_frames_does_not_matter():
    wb, itu = internet("AAA", range(2005, 2010), **WB), internet("AAA", range(2008, 2012), **ITU)
    for frames in ([wb, itu], [itu, wb]):
        out = combine_series(frames)
        assert set(out.tidy["source"]) == {"itu_datahub"}
        assert out.superseded["dropped_years"].tolist() == ["2005–2009"]


def test_a_single_dropped_year_is_named_alone():
    out = combine_series([internet("AAA", [2019], **WB), internet("AAA", [2020], **ITU)])
    assert out.superseded.iloc[0]["dropped_years"] == "2019"
    assert out.superseded.iloc[0]["dropped_rows"] == 1
    assert list(out.tidy["year"]) == [2020]


def test_total_and_by_sex_series_choose_their_sources_separately():
    sdg = {"source": "un_sdg", "source_code": "IT_USE_II99", "vintage": "2023-12-17"}
    out = combine_series(
        [
            internet("AAA", [2019, 2020], **ITU),
            internet("AAA", [2019, 2020], sex="female", **sdg),
            internet("AAA", [2019, 2020], sex="male", **sdg),
        ]
    )
    assert set(series_of(out.tidy, "AAA")["source"]) == {"itu_datahub"}
    assert set(series_of(out.tidy, "AAA", "female")["source"]) == {"un_sdg"}
    assert set(series_of(out.tidy, "AAA", "male")["source"]) == {"un_sdg"}
    assert out.superseded.empty


# ---- by sex: women and men from one source ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def by_sex() -> Combined:
    """CCC: WB female+male 2018–2019 and SDG female+male 2015–2020. DDD: SDG only. EEE: WB female only, SDG both."""
    wb_f = {"source": "worldbank", "source_code": "IT.NET.USER.FE.ZS", "vintage": "2024-11-29"}
    wb_m = {"source": "worldbank", "source_code": "IT.NET.USER.MA.ZS", "vintage": "2024-11-29"}
    sdg = {"source": "un_sdg", "source_code": "IT_USE_II99", "vintage": "2023-12-17"}
    frames = []
    for iso3 in ("CCC", "DDD", "EEE"):
        frames += [
            internet(iso3, range(2015, 2021), sex="female", value=lambda y: 10.0, **sdg),
            internet(iso3, range(2015, 2021), sex="male", value=lambda y: 20.0, **sdg),
        ]
    frames += [
        internet("CCC", [2018, 2019], sex="female", value=lambda y: 11.0, **wb_f),
        internet("CCC", [2018, 2019], sex="male", value=lambda y: 21.0, **wb_m),
        internet("EEE", [2018], sex="female", value=lambda y: 12.0, **wb_f),
    ]
    return combine_series(frames)


def test_by_sex_series_come_whole_from_the_preferred_source(by_sex):
    for sex, value in (("female", 11.0), ("male", 21.0)):
        rows = series_of(by_sex.tidy, "CCC", sex)
        assert list(rows["year"]) == [2018, 2019], sex  # SDG's 2015–2017 and 2020 are not spliced in
        assert set(rows["source"]) == {"worldbank"} and set(rows["value"]) == {value}


def test_economy_without_the_preferred_by_sex_series_takes_both_sexes_from_the_next(by_sex):
    for sex in ("female", "male"):
        rows = series_of(by_sex.tidy, "DDD", sex)
        assert set(rows["source"]) == {"un_sdg"} and list(rows["year"]) == list(range(2015, 2021))


def test_women_and_men_are_never_taken_from_two_sources(by_sex):
    # EEE: the World Bank has women only, the SDG database both: the series is the World Bank's, men's SDG values
    # are not paired with it
    assert set(series_of(by_sex.tidy, "EEE", "female")["source"]) == {"worldbank"}
    assert series_of(by_sex.tidy, "EEE", "male").empty
    by_class = by_sex.tidy.assign(cls=by_sex.tidy["sex"].where(by_sex.tidy["sex"] == "total", "by_sex"))
    assert (by_class.groupby(["indicator", "iso3", "cls"])["source"].nunique() == 1).all()


def test_by_sex_superseded_rows_name_the_sex_class_and_count_both_sexes(by_sex):
    sup = by_sex.superseded.set_index("iso3")
    assert sorted(sup.index) == ["CCC", "EEE"]
    assert set(sup["sex_class"]) == {"by_sex"}
    assert sup.loc["CCC", "dropped_rows"] == 12  # six years × two sexes
    assert sup.loc["CCC", "kept_codes"] == "IT.NET.USER.FE.ZS, IT.NET.USER.MA.ZS"
    assert sup.loc["EEE", "kept_codes"] == "IT.NET.USER.FE.ZS"
    assert sup.loc["EEE", "dropped_years"] == "2015–2020"


# ---- vintages of one source and code -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vintages() -> Combined:
    """AAA in both ITU downloads (the older one also has 2009); FFF only in the older."""
    old = {**ITU, "vintage": "2025-08-01"}
    return combine_series(
        [
            internet("AAA", range(2009, 2023), value=lambda y: 1.0, **old),
            internet("FFF", [2020, 2021], value=lambda y: 3.0, **old),
            internet("AAA", range(2010, 2025), value=lambda y: 2.0, **ITU),
        ]
    )


def test_newest_vintage_of_a_series_is_kept_whole(vintages):
    aaa = series_of(vintages.tidy, "AAA")
    assert list(aaa["year"]) == list(range(2010, 2025))  # 2009, only in the older download, is not spliced in
    assert set(aaa["vintage"]) == {"2026-04-24"} and set(aaa["value"]) == {2.0}


def test_older_vintage_rows_go_to_previous_vintages(vintages):
    prev = vintages.previous_vintages
    assert list(prev.columns) == list(TIDY_COLUMNS)
    assert set(prev["iso3"]) == {"AAA"}
    assert list(prev["year"]) == list(range(2009, 2023))
    assert set(prev["vintage"]) == {"2025-08-01"} and set(prev["value"]) == {1.0}


def test_a_vintage_is_not_a_source_so_it_is_not_superseded(vintages):
    assert vintages.superseded.empty


def test_series_only_in_the_older_vintage_keeps_it(vintages):
    fff = series_of(vintages.tidy, "FFF")
    assert list(fff["year"]) == [2020, 2021] and set(fff["vintage"]) == {"2025-08-01"}


def test_one_value_per_key_after_combining(vintages, itu_over_wb, by_sex):
    for combined in (vintages, itu_over_wb, by_sex):
        assert not combined.tidy.duplicated(["iso3", "year", "indicator", "sex"]).any()


def test_combine_of_nothing_is_empty_with_the_right_columns():
    out = combine_series([])
    assert out.tidy.empty and list(out.tidy.columns) == list(TIDY_COLUMNS)
    assert list(out.superseded.columns) == list(SUPERSEDED_COLUMNS)


# ---- the committed snapshot ----------------------------------------------------------------------------------------

needs_snapshot = pytest.mark.skipif(not has_snapshot(DATA_DIR), reason=f"no committed snapshot in {DATA_DIR}")


@pytest.fixture(scope="module")
def snap():
    from indicators.snapshot import read_snapshot

    return read_snapshot(DATA_DIR)


@pytest.mark.snapshot
@needs_snapshot
def test_snapshot_every_series_has_one_source_code_and_vintage(snap):
    """A series is one indicator, sex and economy — and for a price, one basket definition (a new basket is a new
    series, drawn with a break)."""
    n = snap.tidy.groupby(["indicator", "sex", "iso3", "basket"])[["source", "source_code", "vintage"]].nunique()
    mixed = n[(n > 1).any(axis=1)]
    assert mixed.empty, mixed.head(10)
    by_sex = snap.tidy[snap.tidy["sex"] != "total"]
    sources = by_sex.groupby(["indicator", "iso3"])["source"].nunique()
    assert (sources == 1).all(), sources[sources > 1].head(10)


@pytest.mark.snapshot
@needs_snapshot
def test_snapshot_ner_internet_use_is_itus_i99h_only(snap):
    t = snap.tidy
    ner = t[(t["iso3"] == "NER") & (t["indicator"] == "internet_users") & (t["sex"] == "total")]
    assert len(ner) >= 10
    assert set(zip(ner["source"], ner["source_code"], strict=True)) == {("itu_datahub", "i99H")}


@pytest.mark.snapshot
@needs_snapshot
def test_snapshot_tza_fixed_broadband_is_itus_and_the_world_banks_is_listed_as_superseded(snap):
    t = snap.tidy
    tza = t[(t["iso3"] == "TZA") & (t["indicator"] == "fixed_broadband_per100")]
    assert len(tza) >= 5
    assert set(tza["source"]) == {"itu_datahub"}
    sup = pd.read_csv(current_dir(DATA_DIR) / "superseded.csv", keep_default_na=False)
    assert list(sup.columns) == list(SUPERSEDED_COLUMNS)
    row = sup[(sup["iso3"] == "TZA") & (sup["indicator"] == "fixed_broadband_per100")]
    assert len(row) == 1
    row = row.iloc[0]
    assert (row["dropped_source"], row["dropped_codes"]) == ("worldbank", "IT.NET.BBND.P2")
    assert (row["kept_source"], row["kept_codes"], row["sex_class"]) == ("itu_datahub", "i992b", "total")
    assert int(row["dropped_rows"]) > 0
    # the years named are a YYYY or YYYY–YYYY range, and no World Bank row for them survived in the tidy frame
    first, _, last = row["dropped_years"].partition("–")
    assert first.isdigit() and (not last or last.isdigit())
    assert not ((t["iso3"] == "TZA") & (t["source_code"] == "IT.NET.BBND.P2")).any()
