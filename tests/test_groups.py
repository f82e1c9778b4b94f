"""Country groups: groups.yml, dated membership (majority-of-days rule), queries, CSV round trip."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from indicators.groups import (
    MEMBERSHIP_COLUMNS,
    Groups,
    GroupsError,
    build_membership,
    load_groups_config,
    member_in_year,
    read_membership,
    write_membership,
)
from indicators.sources.m49 import read_m49

WB_REGIONS = {
    "DZA": ("Middle East & North Africa", "Lower middle income"),
    "NAM": ("Sub-Saharan Africa", "Upper middle income"),
    "ETH": ("Sub-Saharan Africa", "Low income"),
    "STP": ("Sub-Saharan Africa", "Lower middle income"),
    "BTN": ("South Asia", "Lower middle income"),
    "BHR": ("Middle East, North Africa, Afghanistan & Pakistan", "High income"),
    "VUT": ("East Asia & Pacific", "Lower middle income"),
    "TUV": ("East Asia & Pacific", "Upper middle income"),
    "FRA": ("Europe & Central Asia", "High income"),
    "XKX": ("Europe & Central Asia", "Upper middle income"),
    "VEN": ("Latin America & Caribbean", None),
    "CHI": ("Europe & Central Asia", "High income"),
}


def wb_frame(vintage: str | None = "2025-07-01") -> pd.DataFrame:
    rows = [
        {"iso3": k, "name": k, "region": r, "income_group": i, "is_aggregate": False}
        for k, (r, i) in WB_REGIONS.items()
    ]
    rows += [
        {"iso3": "WLD", "name": "World", "region": None, "income_group": None, "is_aggregate": True},
        {"iso3": "SSF", "name": "Sub-Saharan Africa", "region": None, "income_group": None, "is_aggregate": True},
    ]
    frame = pd.DataFrame(rows)
    if vintage:
        frame.attrs["vintage"] = vintage
    return frame


@pytest.fixture
def m49(fixtures):
    return read_m49(fixtures / "unsd" / "m49_current.csv")


@pytest.fixture
def m49_legacy(fixtures):
    return read_m49(fixtures / "unsd" / "m49_legacy.csv")


@pytest.fixture
def groups(m49, m49_legacy):
    return Groups(build_membership(m49, m49_legacy, wb_frame()))


# ------------------------------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("since", "until", "year", "expected"),
    [
        (None, None, 1990, True),
        (None, "2011-01-01", 2010, True),  # graduation on 1 January: the previous year is the last
        (None, "2011-01-01", 2011, False),
        (None, "2020-12-04", 2020, True),  # December graduation: still a member that year
        (None, "2020-12-04", 2021, False),
        (None, "2017-06-04", 2017, False),  # before mid-year: out for the year
        (None, "2012-07-15", 2012, True),  # after mid-year: in for the year
        ("2012-12-18", None, 2012, False),  # added in December: counted from the next year
        ("2012-12-18", None, 2013, True),
        ("2012-03-01", None, 2012, True),  # added in March: more than half of the year
        (None, "2023-07-02", 2023, False),  # 182 of 365 days
        (None, "2023-07-03", 2023, True),  # 183 of 365 days
        (None, "2024-07-02", 2024, False),  # exactly 183 of 366 days is not MORE than half
        (None, "2024-07-03", 2024, True),
        ("2001-04", None, 2001, True),  # reduced precision: since -> last day of April
        ("2003", None, 2003, False),  # reduced precision: since -> 31 December 2003
        ("2003", None, 2004, True),
        (None, "2005", 2004, True),  # reduced until -> 1 January 2005
        (None, "2005", 2005, False),
    ],
)
def test_member_in_year(since, until, year, expected):
    assert member_in_year(since, until, year) is expected


# ------------------------------------------------------------------------------------------ config


def test_groups_yml_is_complete():
    cfg = load_groups_config()
    ids = set(cfg["groups"])
    expected = {"WLD", "LDC", "LLDC", "SIDS", "SIDS_OHRLLS", "DEVELOPED", "DEVELOPING"}
    expected |= {"LIC", "LMC", "UMC", "HIC", "LMY", "EAS", "ECS", "LCN", "MEA", "NAC", "SAS", "SSF"}
    assert expected <= ids
    for g in cfg["groups"].values():
        assert g["title"]["en"] and g["title"]["zh"] and g["defined_by"] and g["source"]


def test_sids_ohrlls_list():
    members = load_groups_config()["groups"]["SIDS_OHRLLS"]["members"]
    assert len(members) == 58 == len(set(members))
    assert "BHR" in members and "BES" not in members
    assert all(len(c) == 3 and c.isupper() for c in members)


def test_ldc_events_are_the_documented_ones():
    events = {(e["iso3"], e["change"]): str(e["date"]) for e in load_groups_config()["groups"]["LDC"]["events"]}
    assert events[("VUT", "leave")] == "2020-12-04"
    assert events[("BTN", "leave")] == "2023-12-13"
    assert events[("STP", "leave")] == "2024-12-13"
    assert events[("MDV", "leave")] == "2011-01-01"
    assert events[("WSM", "leave")] == "2014-01-01"
    assert events[("GNQ", "leave")] == "2017-06-04"
    assert events[("SSD", "join")] == "2012-12-18"


# ------------------------------------------------------------------------------------------ building


def test_membership_frame_shape(m49, m49_legacy):
    frame = build_membership(m49, m49_legacy, wb_frame())
    assert tuple(frame.columns) == MEMBERSHIP_COLUMNS
    assert not frame.duplicated(["group", "iso3", "since", "until"]).any()
    assert (frame["defined_by"] != "").all() and (frame["source"] != "").all()


def test_wld(groups):
    wld = groups.members("WLD", 2020)
    assert {"DZA", "NAM", "FRA", "XKX", "VEN"} <= wld  # M49 economies plus WB non-aggregates
    assert not {"WLD", "SSF", "CHI", "ATA"} & wld  # aggregates, dropped codes, Antarctica


def test_m49_flag_groups(groups):
    assert groups.members("LLDC", 2020) == {"ETH", "BTN"}
    assert groups.members("SIDS", 2020) == {"STP", "VUT", "TUV"}
    assert groups.members("SIDS", 1995) == groups.members("SIDS", 2025)  # undated


def test_ldc_dated_membership(groups):
    # current flags: ETH, TUV; dated graduations from groups.yml: VUT, BTN, STP (and others not in the fixture)
    assert {"ETH", "TUV", "VUT", "BTN", "STP"} <= groups.members("LDC", 2020)
    assert "VUT" not in groups.members("LDC", 2021)
    assert "BTN" in groups.members("LDC", 2023) and "BTN" not in groups.members("LDC", 2024)
    assert "STP" in groups.members("LDC", 2024) and "STP" not in groups.members("LDC", 2025)
    assert groups.members("LDC", None) >= {"ETH", "TUV"}


def test_developed_developing_from_legacy(groups):
    assert groups.members("DEVELOPED", 2010) == {"FRA"}  # Sark has no ISO3
    assert {"DZA", "ETH", "BTN", "VUT", "CYP"} == groups.members("DEVELOPING", 2010)
    assert "UN M49 classification as last published" in groups.definition("DEVELOPED")["defined_by"]


def test_world_bank_groups(groups):
    assert groups.members("LIC", 2020) == {"ETH"}
    assert groups.members("HIC", 2020) == {"BHR", "FRA"}  # CHI is a dropped code
    assert groups.members("LMY", 2020) == {"DZA", "NAM", "ETH", "STP", "BTN", "VUT", "TUV", "XKX"}
    assert "VEN" not in groups.members("LMY", 2020)  # no income group in the metadata
    assert groups.members("MEA", 2020) == {"DZA", "BHR"}  # both the old and the new region name
    assert groups.members("SSF", 2020) == {"NAM", "ETH", "STP"}
    assert groups.members("NAC", 2020) == frozenset()
    assert "vintage 2025-07-01" in groups.definition("LIC")["source"]


def test_unknown_wb_names_are_errors(m49, m49_legacy):
    wb = wb_frame()
    wb.loc[0, "region"] = "Atlantis"
    with pytest.raises(GroupsError, match="Atlantis"):
        build_membership(m49, m49_legacy, wb)
    wb = wb_frame()
    wb.loc[0, "income_group"] = "Very high income"
    with pytest.raises(GroupsError, match="Very high income"):
        build_membership(m49, m49_legacy, wb)


def test_custom_config_events(m49, m49_legacy):
    cfg = copy.deepcopy(load_groups_config())
    cfg["groups"]["LDC"]["events"] = [
        {"iso3": "DZA", "change": "leave", "date": "2011-01-01", "source": "test"},  # 1 Jan graduation
        {"iso3": "NAM", "change": "leave", "date": "2017-06-04", "source": "test"},  # mid-year graduation
        {"iso3": "FRA", "change": "leave", "date": "2020-12-04", "source": "test"},  # December graduation
        {"iso3": "ETH", "change": "join", "date": "2012-12-18", "source": "test"},  # added in December
        {"iso3": "TUV", "change": "join", "date": "2005-05-10", "source": "test"},  # added mid-year (< half)
    ]
    g = Groups(build_membership(m49, m49_legacy, wb_frame(), cfg), cfg)
    assert "DZA" in g.members("LDC", 2010) and "DZA" not in g.members("LDC", 2011)
    assert "NAM" in g.members("LDC", 2016) and "NAM" not in g.members("LDC", 2017)
    assert "FRA" in g.members("LDC", 2020) and "FRA" not in g.members("LDC", 2021)
    assert "ETH" not in g.members("LDC", 2012) and "ETH" in g.members("LDC", 2013)
    assert "TUV" in g.members("LDC", 2005) and "TUV" not in g.members("LDC", 2004)
    assert g.members("LDC", 2010) == {"DZA", "NAM", "FRA", "TUV"}
    assert g.members("LDC", 2025) == {"ETH", "TUV"}


def test_inconsistent_events_are_errors(m49, m49_legacy):
    cfg = copy.deepcopy(load_groups_config())
    cfg["groups"]["LDC"]["events"] = [
        {"iso3": "DZA", "change": "leave", "date": "2011-01-01"},
        {"iso3": "DZA", "change": "leave", "date": "2012-01-01"},
    ]
    with pytest.raises(GroupsError, match="DZA: 'leave' on 2012-01-01 while not a member"):
        build_membership(m49, m49_legacy, wb_frame(), cfg)


# ------------------------------------------------------------------------------------------ queries


def test_unknown_group(groups):
    with pytest.raises(KeyError, match=r"unknown group 'LLDCS'; valid ids: WLD, LDC, LLDC"):
        groups.members("LLDCS", 2020)


def test_groups_of(groups):
    assert groups.groups_of("btn", 2023) == ["WLD", "LDC", "LLDC", "DEVELOPING", "LMC", "LMY", "SAS"]
    assert "LDC" not in groups.groups_of("BTN", 2024)


def test_ids_labels_definition(groups):
    assert groups.ids()[:3] == ["WLD", "LDC", "LLDC"]
    assert groups.label("LDC") == "Least developed countries (LDCs)"
    assert groups.label("LDC", "zh") == "最不发达国家"
    assert groups.label("LDC", "fr") == groups.label("LDC")
    d = groups.definition("SIDS_OHRLLS")
    assert set(d) == {"defined_by", "source"} and "ohrlls" in d["source"].lower()


def test_custom_group(groups):
    assert groups.members_of_custom(["eth", "NAM "]) == {"ETH", "NAM"}
    with pytest.raises(KeyError, match="ZZZ"):
        groups.members_of_custom(["ETH", "ZZZ"])


def test_csv_round_trip(tmp_path, m49, m49_legacy):
    frame = build_membership(m49, m49_legacy, wb_frame())
    path = tmp_path / "membership.csv"
    write_membership(frame, path)
    back = read_membership(path)
    key = ["group", "iso3", "since", "until"]
    a = frame.sort_values(key, na_position="first").reset_index(drop=True)
    b = back.sort_values(key, na_position="first").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)
    assert Groups(back).members("LDC", 2021) == Groups(frame).members("LDC", 2021)
    text = path.read_text(encoding="utf-8")
    assert "\r\n" not in text and "LDC,VUT,,2020-12-04," in text


# ------------------------------------------------------------------------------------------ real files


@pytest.fixture(scope="module")
def real_groups(request):
    raw_dir = request.getfixturevalue("raw_dir")
    m49 = read_m49(raw_dir / "unsd_m49" / "UNSD — Methodology.csv")
    legacy = read_m49(raw_dir / "unsd_m49_legacy" / "UNSD — Methodology.csv")
    meta = pd.read_csv(raw_dir / "wb_wdi" / "Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv")
    wb = pd.DataFrame(
        {
            "iso3": meta["Country Code"],
            "name": meta["TableName"],
            "region": meta["Region"].where(meta["Region"].notna(), None),
            "income_group": meta["IncomeGroup"].where(meta["IncomeGroup"].notna(), None),
            "is_aggregate": meta["Region"].isna(),
        }
    )
    return Groups(build_membership(m49, legacy, wb)), m49, legacy


@pytest.mark.raw
def test_real_ldc_counts(real_groups):
    g, m49, legacy = real_groups
    counts = {y: len(g.members("LDC", y)) for y in (2015, 2021, 2024, 2025)}
    assert counts == {2015: 48, 2021: 46, 2024: 45, 2025: 44}
    assert "VUT" in g.members("LDC", 2020) and "VUT" not in g.members("LDC", 2021)
    assert "BTN" in g.members("LDC", 2023) and "BTN" not in g.members("LDC", 2024)
    assert "STP" in g.members("LDC", 2024) and "STP" not in g.members("LDC", 2025)
    assert g.members("LDC", 2025) == set(m49.loc[m49["ldc"], "iso3"])
    # the legacy file's 47 are the list in force from mid-2017 to December 2020
    assert g.members("LDC", 2018) == set(legacy.loc[legacy["ldc"], "iso3"])


@pytest.mark.raw
def test_real_other_counts(real_groups):
    g, _, _ = real_groups
    assert len(g.members("LLDC", 2020)) == 32
    assert len(g.members("SIDS", 2020)) == 53
    assert len(g.members("DEVELOPED", 2020)) == 65  # 66 rows, Sark has no ISO3
    assert len(g.members("DEVELOPING", 2020)) == 182
    ohrlls, m49_sids = g.members("SIDS_OHRLLS", 2020), g.members("SIDS", 2020)
    assert ohrlls - m49_sids == {"BHR", "BMU", "CYM", "GLP", "MTQ", "TCA"}
    assert m49_sids - ohrlls == {"BES"}
    assert "XKX" in g.members("WLD", 2020) and "ATA" not in g.members("WLD", 2020)
    assert g.members("LMY", 2020) == g.members("LIC", 2020) | g.members("LMC", 2020) | g.members("UMC", 2020)
