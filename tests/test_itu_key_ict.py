"""ITU's published group estimates: the Key ICT indicator aggregates workbook (``indicators.sources.itu_key_ict``)."""

from __future__ import annotations

import shutil

import openpyxl
import pytest

from indicators.registry import load_registry
from indicators.sources import SourceError
from indicators.sources.itu_key_ict import (
    KEY_ICT_COLUMNS,
    KEY_ICT_NOTE,
    KEY_ICT_SHEETS,
    group_id,
    read_key_ict_xlsx,
    split_title,
)

KEY_ICT_FILE = "itu_key_ict/ITU_regional_global_Key_ICT_indicator_aggregates_Nov_2024.xlsx"
DEV = "By dvpmnt status and spec. reg."
BDT = "By BDT region"


@pytest.fixture
def small(fixtures):
    return fixtures / "itu" / "key_ict_small.xlsx"


@pytest.fixture(scope="module")
def small_frame():
    from tests.conftest import FIXTURES

    return read_key_ict_xlsx(FIXTURES / "itu" / "key_ict_small.xlsx")


def _edit(src, tmp_path, change, name="edited.xlsx"):
    """A copy of ``src`` with ``change(book)`` applied, saved under tmp_path."""
    book = openpyxl.load_workbook(src)
    change(book)
    out = tmp_path / name
    book.save(out)
    return out


def _find(ws, text: str) -> int:
    """The row whose column A is ``text`` (for editing the fixture; the reader itself never uses offsets)."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == text:
            return row[0].row
    raise AssertionError(f"{text!r} not in column A of {ws.title!r}")


def _one(frame, **where) -> float:
    sel = frame
    for column, value in where.items():
        sel = sel[sel[column] == value]
    assert len(sel) == 1, f"{where}: {len(sel)} rows"
    return float(sel["value"].iloc[0])


# ---------------------------------------------------------------------------------------------------------------
# Fixture workbook
# ---------------------------------------------------------------------------------------------------------------


def test_columns_and_types(small_frame):
    assert tuple(small_frame.columns) == KEY_ICT_COLUMNS
    assert small_frame["year"].dtype == "int64"
    assert small_frame["value"].dtype == "float64"
    assert small_frame["value"].notna().all()
    assert set(small_frame["edition"]) == {"2024-11"}
    assert set(small_frame["sheet"]) == set(KEY_ICT_SHEETS)
    assert set(small_frame["sex"]) == {"total", "female", "male"}
    assert set(small_frame["area"]) == {"total", "urban", "rural"}
    assert set(small_frame["age"]) == {"total", "15-24", "rest_of_population"}


def test_values_land_in_group_year_sex_unit(small_frame):
    f = small_frame
    dev = f[f["sheet"] == DEV]
    assert _one(dev, group="WLD", year=2024, indicator="internet_users") == 67.6
    assert _one(dev, group="LDC", year=2022, indicator="internet_users") == 30.6
    assert _one(dev, group="LLDC", year=2024, indicator="internet_users") == 39.4
    assert _one(dev, group="HIC", year=2023, indicator="internet_users") == 92.3
    assert _one(dev, group="LMC", year=2024, indicator="internet_users") == 54.0
    assert _one(dev, group="UMC", year=2024, indicator="internet_users") == 80.7
    assert _one(dev, group="SIDS_OHRLLS", year=2023, indicator="fixed_broadband_per100") == 5.2
    assert _one(dev, group="WLD", year=2023, indicator="mobile_cellular_per100", unit="per100") == 108.0
    gender = f[f["sheet"] == "By gender"]
    assert _one(gender, group="WLD", year=2020, sex="female", indicator="internet_users") == 55.9
    assert _one(gender, group="WLD", year=2020, sex="male", indicator="internet_users") == 61.8
    assert _one(gender, group="LDC", year=2024, sex="male", indicator="internet_users") == 41.1
    assert _one(gender, group="WLD", year=2024, sex="female", indicator="mobile_ownership") == 77.0
    # region sub-block (a year header without a title) keeps the block's series
    assert _one(gender, group="ITU_AFRICA", year=2024, sex="female", indicator="internet_users") == 31.6
    urban = f[f["sheet"] == "By urban-rural area"]
    assert _one(urban, group="LDC", year=2024, area="rural", indicator="internet_users") == 24.0
    assert _one(urban, group="WLD", year=2024, area="urban", indicator="coverage_3g") == 99.5
    age = f[f["sheet"] == "Internet use by age"]
    assert _one(age, group="WLD", year=2023, age="15-24") == 77.1
    assert _one(age, group="WLD", year=2024, age="rest_of_population") == 65.6


def test_both_halves_read_and_millions_scaled(small_frame):
    dev = small_frame[small_frame["sheet"] == DEV]
    broadband = dev[dev["series"] == "Fixed-broadband subscriptions"]
    assert _one(broadband, group="WLD", year=2024, unit="count") == 1_500_250_000.0
    assert _one(broadband, group="WLD", year=2024, unit="per100") == 18.5
    assert set(broadband.loc[broadband["unit"] == "count", "indicator"]) == {"fixed_broadband_subs"}
    internet = dev[dev["series"] == "Individuals using the Internet"]
    assert _one(internet, group="LDC", year=2024, unit="count") == 416_200_000.0
    # the millions half of internet use and of mobile-cellular has no registry id but is kept
    assert set(internet.loc[internet["unit"] == "count", "indicator"]) == {""}
    cellular = dev[dev["series"] == "Mobile-cellular telephone subscriptions"]
    assert _one(cellular, group="WLD", year=2022, unit="count", indicator="") == 8_500_000_000.0
    # the ownership block inherits Millions | Percentage from the block above it
    ownership = dev[dev["series"] == "Individuals owning a mobile phone"]
    assert _one(ownership, group="WLD", year=2024, unit="count") == 6_000_000_000.0
    assert _one(ownership, group="WLD", year=2023, unit="percent", indicator="mobile_ownership") == 78.6
    traffic = dev[dev["series"] == "Fixed broadband traffic"]
    assert set(traffic["unit"]) == {"exabytes", "gb_per_subscription"}
    assert set(traffic["indicator"]) == {""}
    assert _one(traffic, year=2024, unit="exabytes") == 5965.8


def test_units_embedded_in_titles(small_frame):
    bdt = small_frame[small_frame["sheet"] == BDT]
    assert set(bdt["series"]) == {
        "Active mobile-broadband subscriptions",
        "Population covered by at least an LTE/WiMAX mobile network",
        "Individuals using the Internet",
    }
    assert _one(bdt, group="ITU_AFRICA", year=2024, indicator="mobile_broadband_subs") == 500_000_000.0
    assert _one(bdt, group="ITU_ASIA_PACIFIC", year=2023, indicator="mobile_broadband_per100") == 75.0
    assert _one(bdt, group="ITU_ARAB_STATES", year=2022, indicator="mobile_broadband_per100") == 60.0
    # only the right-hand band was restated ("Percentage"): left stays Millions, right is percent
    assert _one(bdt, group="ITU_CIS", year=2024, indicator="coverage_4g", unit="percent") == 92.0
    assert _one(bdt, group="ITU_AMERICAS", year=2022, indicator="", unit="count") == 950_000_000.0
    assert _one(bdt, group="ITU_EUROPE", year=2024, indicator="internet_users") == 91.2
    urban = small_frame[small_frame["sheet"] == "By urban-rural area"]
    assert "Population covered by at least a 3G mobile network" in set(urban["series"])
    assert set(urban.loc[urban["indicator"] == "coverage_3g", "unit"]) == {"percent"}


def test_na_and_blanks_dropped(small_frame):
    dev = small_frame[small_frame["sheet"] == DEV]
    lic = dev[(dev["group"] == "LIC") & (dev["series"] == "Fixed-broadband subscriptions")]
    assert sorted(zip(lic["year"], lic["unit"], strict=True)) == [(2024, "count"), (2024, "per100")]
    sids = dev[(dev["group"] == "SIDS_OHRLLS") & (dev["series"] == "Fixed-broadband subscriptions")]
    assert set(sids["unit"]) == {"per100"}  # all three Millions cells are N/A (one with spaces)
    gender = small_frame[small_frame["sheet"] == "By gender"]
    lic_gender = gender[gender["group"] == "LIC"]
    assert sorted(zip(lic_gender["sex"], lic_gender["year"], strict=True)) == [
        ("female", 2024),
        ("male", 2024),
        ("total", 2019),
        ("total", 2024),
    ]
    europe = small_frame[(small_frame["sheet"] == BDT) & (small_frame["group"] == "ITU_EUROPE")]
    assert 2022 not in set(europe.loc[europe["series"] == "Active mobile-broadband subscriptions", "year"])


def test_publisher_labels_kept(small_frame):
    labels = dict(zip(small_frame["group"], small_frame["publisher_group"], strict=False))
    assert labels["LDC"] == "Least Developed Countries (LDCs)"
    assert labels["SIDS_OHRLLS"] == "Small Island Developing States (SIDS)"
    assert labels["ITU_ASIA_PACIFIC"] == "Asia-Pacific"
    assert labels["LMC"] == "Lower-middle-income"


def test_indicator_ids_are_registry_ids_with_their_unit(small_frame):
    registry = load_registry()
    used = small_frame.loc[small_frame["indicator"] != "", ["indicator", "unit"]].drop_duplicates()
    for indicator, unit in used.itertuples(index=False):
        assert indicator in registry, indicator
        assert registry[indicator].unit == unit, (indicator, unit)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("World", "WLD"),
        ("LDCs", "LDC"),
        ("Least developed countries", "LDC"),
        ("LLDCs", "LLDC"),
        ("Land-locked Developing Countries (LLDCs)", "LLDC"),
        ("Landlocked developing countries", "LLDC"),
        ("SIDS", "SIDS_OHRLLS"),
        ("Low income", "LIC"),
        ("Low-income", "LIC"),
        ("lower middle income", "LMC"),
        ("Lower-middle-income", "LMC"),
        ("Upper middle-income", "UMC"),
        ("High income", "HIC"),
        ("HIGH-INCOME", "HIC"),
        ("Developed", "DEVELOPED"),
        ("Developing countries", "DEVELOPING"),
        ("Arab States", "ITU_ARAB_STATES"),
        ("Asia & Pacific", None),
        ("Asia-Pacific", "ITU_ASIA_PACIFIC"),
        ("CIS", "ITU_CIS"),
        ("Least Developed Countries (SIDS)", None),  # name and abbreviation disagree
        ("Eastern Caribbean", None),
    ],
)
def test_group_labels(label, expected):
    assert group_id(label) == expected


def test_split_title_cuts_only_units():
    assert split_title("Fixed-telephone subscriptions/Millions") == ("Fixed-telephone subscriptions", ("count", 1e6))
    assert split_title("Individuals owning a mobile phone***(Millions)")[0] == "Individuals owning a mobile phone"
    assert split_title("International bandwidth usage(Tbits/s**)") == ("International bandwidth usage", ("tbit_s", 1.0))
    title = "Percentage of individuals using the Internet, by urban/rural area"
    assert split_title(title) == (title, None)


def test_block_title_moved_down_still_found(small, small_frame, tmp_path):
    def move(book):
        ws = book[DEV]
        ws.insert_rows(_find(ws, "Individuals using the Internet"), 3)  # blank rows above the title
        ws.insert_rows(_find(ws, "Individuals owning a mobile phone***") + 1, 2)  # between title and years
        bdt = book[BDT]
        bdt.insert_rows(_find(bdt, "Individuals using the Internet(Millions)") - 1, 4)  # above the band row

    moved = read_key_ict_xlsx(_edit(small, tmp_path, move))
    assert moved.equals(small_frame)


def test_unknown_group_label_names_it(small, tmp_path):
    def rename(book):
        ws = book[BDT]
        ws.cell(_find(ws, "CIS"), 1, "Eastern Caribbean")

    with pytest.raises(SourceError, match=r"'By BDT region'.*row \d+.*'Eastern Caribbean'") as err:
        read_key_ict_xlsx(_edit(small, tmp_path, rename))
    assert "edited.xlsx" in str(err.value)


def test_unknown_group_label_with_only_na_names_it(small, tmp_path):
    def add(book):
        ws = book[DEV]
        ws.cell(_find(ws, "Low-income"), 1, "Fragile states")

    with pytest.raises(SourceError, match="Fragile states"):
        read_key_ict_xlsx(_edit(small, tmp_path, add))


def test_not_an_xlsx(tmp_path, fixtures):
    text = tmp_path / "fake.xlsx"
    text.write_text("Economy,2024\nWorld,67.6\n")
    with pytest.raises(SourceError, match=r"fake\.xlsx.*xlsx"):
        read_key_ict_xlsx(text)
    with pytest.raises(SourceError, match=r"gender_small\.xls"):
        read_key_ict_xlsx(fixtures / "itu" / "gender_small.xls")
    with pytest.raises(SourceError, match="not found"):
        read_key_ict_xlsx(tmp_path / "absent.xlsx")


def test_missing_sheet(small, tmp_path):
    def drop(book):
        del book["By gender"]

    with pytest.raises(SourceError, match=r"edited\.xlsx.*missing sheet.*By gender"):
        read_key_ict_xlsx(_edit(small, tmp_path, drop))


def test_block_without_year_header(small, tmp_path):
    def blank_years(book):
        ws = book[BDT]
        r = _find(ws, "Population covered by at least an LTE/WiMAX mobile network/Millions")
        for cell in ws[r][1:]:
            cell.value = None  # the years shared the title row; now the block has none

    with pytest.raises(SourceError, match=r"'By BDT region'.*LTE/WiMAX.*no year header"):
        read_key_ict_xlsx(_edit(small, tmp_path, blank_years))


def test_year_header_as_text_is_not_a_header(small, tmp_path):
    def text_years(book):
        ws = book["Internet use by age"]
        r = _find(ws, "World") - 1
        for cell in ws[r][1:]:
            if isinstance(cell.value, int):
                cell.value = str(cell.value)

    with pytest.raises(SourceError, match=r"'Internet use by age'.*no year header"):
        read_key_ict_xlsx(_edit(small, tmp_path, text_years))


def test_non_numeric_value(small, tmp_path):
    def spoil(book):
        ws = book["By gender"]
        ws.cell(_find(ws, "Europe"), 3, "84.9e")

    with pytest.raises(SourceError, match=r"'By gender'.*row \d+ \('Europe'\), cell C\d+.*'84\.9e'"):
        read_key_ict_xlsx(_edit(small, tmp_path, spoil))


def test_unknown_band_label(small, tmp_path):
    def band(book):
        ws = book["By urban-rural area"]
        r = _find(ws, "Population covered by at least a 3G mobile network (%)") + 1
        ws.cell(r, 5, "Peri-urban")  # over the Urban half

    with pytest.raises(SourceError, match="Peri-urban"):
        read_key_ict_xlsx(_edit(small, tmp_path, band))


def test_edition_must_match_version_line(small, tmp_path):
    with pytest.raises(SourceError, match=r"Version November 2024.*2025-11"):
        read_key_ict_xlsx(small, edition="2025-11")
    copy = tmp_path / "copy.xlsx"
    shutil.copy(small, copy)
    assert set(read_key_ict_xlsx(copy, edition="nov24")["edition"]) == {"nov24"}


def test_note_says_what_the_figures_are():
    for phrase in ("Version November 2024", "Facts and Figures 2024", "imputes", "one decimal", "re-saved in Excel"):
        assert phrase in KEY_ICT_NOTE
    assert "2025-11" in KEY_ICT_NOTE


# ---------------------------------------------------------------------------------------------------------------
# The real workbook
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(request):
    raw_dir = request.getfixturevalue("raw_dir")
    path = raw_dir / KEY_ICT_FILE
    if not path.is_file():
        pytest.skip(f"ITU Key ICT workbook not found at {path}")
    return read_key_ict_xlsx(path)


def _internet(frame, group, year, sex="total"):
    sel = frame[(frame["indicator"] == "internet_users") & (frame["sheet"] == "By gender") & (frame["area"] == "total")]
    return _one(sel, group=group, year=year, sex=sex)


@pytest.mark.raw
def test_real_internet_use_by_sex(real):
    assert (_internet(real, "WLD", 2024), _internet(real, "WLD", 2024, "female")) == (67.6, 65.3)
    assert _internet(real, "WLD", 2024, "male") == 69.5
    assert [_internet(real, "LDC", 2024, s) for s in ("total", "female", "male")] == [35.0, 28.7, 41.1]
    assert [_internet(real, "WLD", 2020, s) for s in ("female", "male")] == [55.9, 61.8]
    assert [_internet(real, "LLDC", 2019, s) for s in ("female", "male")] == [24.8, 30.3]
    assert [_internet(real, "SIDS_OHRLLS", 2020, s) for s in ("female", "male")] == [59.6, 61.8]
    dev = real[(real["sheet"] == DEV) & (real["indicator"] == "internet_users")]
    assert _one(dev, group="WLD", year=2024) == 67.6
    assert _one(dev, group="LDC", year=2024) == 35.0


@pytest.mark.raw
def test_real_urban_rural_and_ownership(real):
    urban = real[(real["indicator"] == "internet_users") & (real["area"] != "total")]
    assert set(urban["year"]) == {2021, 2022, 2023, 2024}
    for area in ("urban", "rural"):
        years = urban[(urban["group"] == "WLD") & (urban["area"] == area)]["year"]
        assert sorted(years) == [2021, 2022, 2023, 2024]
    owning = real[(real["indicator"] == "mobile_ownership") & (real["sex"] != "total")]
    assert set(owning["year"]) == {2021, 2022, 2023, 2024}
    assert set(owning["sex"]) == {"female", "male"}
    assert owning.groupby("sex")["group"].nunique().to_dict() == {"female": 14, "male": 14}


@pytest.mark.raw
def test_real_groups_and_blocks(real):
    assert real["group"].nunique() == 14
    assert set(real["group"]) == {
        "WLD",
        "LIC",
        "LMC",
        "UMC",
        "HIC",
        "LDC",
        "LLDC",
        "SIDS_OHRLLS",
        "ITU_AFRICA",
        "ITU_AMERICAS",
        "ITU_ARAB_STATES",
        "ITU_ASIA_PACIFIC",
        "ITU_CIS",
        "ITU_EUROPE",
    }
    assert set(real["sheet"]) == set(KEY_ICT_SHEETS)
    assert set(real["unit"]) == {
        "count",
        "per100",
        "percent",
        "exabytes",
        "gb_per_subscription",
        "tbit_s",
        "kbit_s_per_internet_user",
    }
    registry = load_registry()
    used = real.loc[real["indicator"] != "", ["indicator", "unit"]].drop_duplicates()
    assert {i for i, _ in used.itertuples(index=False)} == {
        "internet_users",
        "fixed_broadband_per100",
        "fixed_broadband_subs",
        "mobile_broadband_per100",
        "mobile_broadband_subs",
        "mobile_cellular_per100",
        "coverage_2g",
        "coverage_3g",
        "coverage_4g",
        "coverage_5g",
        "mobile_ownership",
    }
    for indicator, unit in used.itertuples(index=False):
        assert registry[indicator].unit == unit
    assert not real.duplicated(["sheet", "series", "group", "year", "unit", "sex", "area", "age"]).any()
    # the millions half: World internet users 2024 = 5,508.8 million
    dev = real[(real["sheet"] == DEV) & (real["series"] == "Individuals using the Internet")]
    assert _one(dev, group="WLD", year=2024, unit="count") == 5_508_800_000.0
