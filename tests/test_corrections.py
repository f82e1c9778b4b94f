"""The pipeline's corrections (indicators/corrections.yml, indicators.tidy.Corrections): each drops the observation
it names, and a build stops when one names an observation no file of its source holds (as owid/etl does)."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators.tidy import Corrections, UnmatchedCorrection, load_corrections

DROP = {"source": "un_sdg", "source_code": "IT_MOB_OWN", "iso3": "CRI", "year": 2016, "action": "drop", "reason": "x"}


def raw(*rows: tuple[str, int, str, float]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"source_code": "IT_MOB_OWN", "iso3": iso3, "year": year, "sex": sex, "value": value}
            for iso3, year, sex, value in rows
        ]
    )


def test_a_matched_correction_drops_its_observations_and_passes_the_check():
    ledger = Corrections((DROP,))
    kept = ledger.apply(raw(("CRI", 2016, "total", 111.1), ("CRI", 2017, "total", 90.0)), "un_sdg", "f.csv")
    assert list(zip(kept["iso3"], kept["year"], strict=True)) == [("CRI", 2017)]
    ledger.check()


def test_a_correction_matched_in_any_frame_of_its_source_passes():
    ledger = Corrections((DROP,))
    ledger.apply(raw(("ETH", 2016, "total", 38.5)), "un_sdg", "release-a.csv")
    ledger.apply(raw(("CRI", 2016, "female", 109.5)), "un_sdg", "release-b.csv")
    ledger.check()


def test_an_unmatched_correction_raises_naming_it():
    ledger = Corrections((DROP, {**DROP, "iso3": "ZAF", "year": 2015, "sex": "male"}))
    ledger.apply(raw(("CRI", 2016, "total", 111.1)), "un_sdg", "f.csv")
    with pytest.raises(UnmatchedCorrection, match=r"1 correction\(s\): un_sdg IT_MOB_OWN ZAF 2015 male\. .*review"):
        ledger.check()


def test_a_correction_whose_source_was_not_read_is_not_checked():
    ledger = Corrections((DROP,))
    ledger.apply(raw(("NPL", 2016, "total", 50.0)).assign(source_code="IT.NET.USER.ZS"), "worldbank", "wb.csv")
    ledger.check()


def test_the_shipped_corrections_each_name_a_source_an_observation_and_a_reason():
    for c in load_corrections():
        assert {"source", "source_code", "iso3", "year", "action", "reason"} <= set(c)
