import pandas as pd
import pytest

from indicators.registry import RegistryError, load_registry, parse_registry
from indicators.schema import ValidationError, validate_tidy
from indicators.tidy import combine, combine_series, to_tidy
from tests.builders import tidy_rows

REQUIRED_IDS = {
    "internet_users",
    "households_internet",
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
    *(
        f"{basket}_price_{unit}"
        for basket in ("fixed_broadband", "mobile_broadband", "mobile_cellular")
        for unit in ("gni", "usd", "ppp")
    ),
    "population",
}


def test_registry_has_exactly_the_agreed_ids_with_titles_units_and_licences():
    reg = load_registry()
    assert set(reg) == REQUIRED_IDS
    for ind in reg.values():
        assert ind.title["en"] and ind.title["zh"]
        assert ind.unit in {"percent", "per100", "count", "percent_gni", "usd", "ppp"}
        if ind.is_price:  # ITU's own method for prices: medians, and lower is more affordable
            assert ind.aggregation == "median" and ind.higher_is_better is False
        assert all(ref.licence for ref in ind.sources)
    assert reg["internet_users"].sexes == ("total", "female", "male")
    assert reg["mobile_ownership"].sources[0].code == "IT_MOB_OWN"
    assert [r.code for r in reg["population"].sources] == ["SP.POP.TOTL", "SP.POP.TOTL.FE.IN", "SP.POP.TOTL.MA.IN"]


def test_registry_rejects_an_entry_without_a_chinese_title():
    doc = {"indicators": [{"id": "x", "title": {"en": "X"}, "unit": "percent", "sources": []}]}
    with pytest.raises(RegistryError, match="title.zh"):
        parse_registry(doc)


def test_registry_rejects_unknown_source():
    doc = {
        "indicators": [
            {
                "id": "x",
                "title": {"en": "X", "zh": "X"},
                "unit": "percent",
                "sources": [{"source": "nowhere", "code": "A", "licence": "L"}],
            }
        ]
    }
    with pytest.raises(RegistryError, match="unknown source"):
        parse_registry(doc)


def test_valid_frame_passes_and_is_typed():
    frame = validate_tidy(tidy_rows([("NPL", 2015, "internet_users", "total", 17.6)]))
    assert frame["year"].dtype == "int64"
    assert frame.loc[0, "value"] == pytest.approx(17.6)


@pytest.mark.parametrize(
    ("row", "rule"),
    [
        (("NPL", 2015, "internet_users", "total", 101.0), "percentages lie within"),
        (("NPL", 2015, "not_an_indicator", "total", 1.0), "indicator"),
        (("NPL", 1900, "internet_users", "total", 1.0), "year"),
        (("npl", 2015, "internet_users", "total", 1.0), "iso3"),
        (("NPL", 2015, "households_internet", "female", 1.0), "sex breakdown"),
        (("NPL", 2015, "population", "total", -5.0), "not negative"),
    ],
)
def test_each_rule_names_file_row_and_rule(row, rule):
    with pytest.raises(ValidationError) as err:
        validate_tidy(tidy_rows([("AFG", 2015, "internet_users", "total", 5.0), row]), origin="bad.csv")
    msg = str(err.value)
    assert msg.startswith("bad.csv:")
    assert "row 1 (" in msg
    assert rule in msg


def test_per100_rates_may_exceed_100():
    validate_tidy(tidy_rows([("ARE", 2020, "mobile_cellular_per100", "total", 195.0)]))


def test_duplicate_key_and_nan_are_rejected():
    dup = tidy_rows([("NPL", 2015, "internet_users", "total", 1.0), ("NPL", 2015, "internet_users", "total", 2.0)])
    with pytest.raises(ValidationError, match="unique"):
        validate_tidy(dup)
    nan = tidy_rows([("NPL", 2015, "internet_users", "total", float("nan"))])
    with pytest.raises(ValidationError, match="NaN"):
        validate_tidy(nan)


def _raw(rows):
    return pd.DataFrame(rows, columns=["iso3", "year", "source_code", "sex", "value", "obs_status", "vintage"])


def test_to_tidy_maps_codes_and_drops_unused_series_and_non_economies():
    raw = _raw(
        [
            ("NPL", 2015, "IT.NET.USER.ZS", "total", 17.6, "normal", "2024-02-21"),
            ("WLD", 2015, "IT.NET.USER.ZS", "total", 40.0, "normal", "2024-02-21"),
            ("NPL", 2015, "NOT.IN.REGISTRY", "total", 1.0, "normal", "2024-02-21"),
        ]
    )
    out = to_tidy(raw, "worldbank", origin="f.csv", economies={"NPL"})
    assert out[["iso3", "indicator", "source"]].values.tolist() == [["NPL", "internet_users", "worldbank"]]


def test_combine_takes_a_whole_series_from_the_preferred_source():
    """TZA-style splice: ITU has 2017, the World Bank 2016–2017; the series is ITU's alone, never WB's 2016."""
    itu = tidy_rows(
        [("USA", 2017, "fixed_broadband_per100", "total", 32.57)], source="itu_datahub", source_code="i992b"
    )
    wb = tidy_rows(
        [
            ("USA", 2017, "fixed_broadband_per100", "total", 33.85),
            ("USA", 2016, "fixed_broadband_per100", "total", 32.0),
            ("GBR", 2016, "fixed_broadband_per100", "total", 38.0),
        ],
        source="worldbank",
        source_code="IT.NET.BBND.P2",
    )
    combined = combine_series([wb, itu])
    out = combined.tidy
    usa = out[out["iso3"] == "USA"]
    assert usa[["year", "source", "value"]].values.tolist() == [[2017, "itu_datahub", 32.57]]
    # an economy the preferred source lacks keeps the next source's series
    assert out[out["iso3"] == "GBR"]["source"].tolist() == ["worldbank"]
    dropped = combined.superseded
    assert dropped[["iso3", "dropped_source", "kept_source", "dropped_rows", "dropped_years"]].values.tolist() == [
        ["USA", "worldbank", "itu_datahub", 2, "2016–2017"]
    ]
    assert "precedence" in dropped["reason"].iloc[0]


def test_combine_keeps_women_and_men_from_one_source():
    sdg = tidy_rows(
        [("NER", 2019, "internet_users", "female", 10.0), ("NER", 2019, "internet_users", "male", 20.0)],
        source="un_sdg",
        source_code="IT_USE_II99",
    )
    table = tidy_rows(
        [("NER", 2018, "internet_users", "female", 3.0), ("NER", 2018, "internet_users", "male", 7.0)],
        source="itu_gender",
        source_code="Individuals using the Internet by gender (ITU table 10)",
    )
    out = combine([table, sdg])
    assert set(out["source"]) == {"un_sdg"} and sorted(out["year"]) == [2019, 2019]


def test_combine_keeps_the_newest_vintage_and_sets_the_older_apart():
    old = tidy_rows(
        [("AGO", 2022, "internet_users", "total", 42.07), ("AGO", 2021, "internet_users", "total", 33.0)],
        source="itu_datahub",
        source_code="i99H",
        vintage="2025-08-01",
    )
    new = tidy_rows(
        [("AGO", 2022, "internet_users", "total", 35.84)],
        source="itu_datahub",
        source_code="i99H",
        vintage="2026-04-24",
    )
    combined = combine_series([old, new])
    assert combined.tidy[["year", "value", "vintage"]].values.tolist() == [[2022, 35.84, "2026-04-24"]]
    assert sorted(combined.previous_vintages["value"]) == [33.0, 42.07]
    assert combined.superseded.empty
