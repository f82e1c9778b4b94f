"""The country download carries the targets its chart draws (issue 15 §3): on a small hand-made snapshot, the
target traces of the figure and the ``kind == "target"`` rows of the CSV (and of the XLSX and JSON) are the same."""

from __future__ import annotations

import io
import json

import openpyxl
import pandas as pd
import pytest

from app import views
from app.data import AppData
from app.export import charts
from app.export.formats import export_bytes
from app.i18n import translator
from app.state import CountryView
from indicators.snapshot import Snapshot
from tests.builders import snapshot_of, tidy_rows

IND = "internet_users"
#: iso3 → {year: share of people online}
VALUES = {
    "AAA": {2018: 10.123456, 2019: 12.5, 2020: 15.899999999999999},
    "BBB": {2018: 30.0, 2019: 35.0, 2020: 40.0},
    "CCC": {2018: 70.0, 2019: 75.0, 2020: 80.0},
}
POPULATION = {"AAA": 10.0, "BBB": 30.0, "CCC": 60.0}


def small_snapshot() -> Snapshot:
    rows = [(c, y, IND, "total", v) for c, by in VALUES.items() for y, v in by.items()]
    pop = [(c, y, "population", "total", p) for c, p in POPULATION.items() for y in range(2018, 2021)]
    tidy = pd.concat([tidy_rows(rows, source="itu_datahub"), tidy_rows(pop)], ignore_index=True)
    names = dict(zip(VALUES, ["Aland", "Boland", "Coland"], strict=True))
    return snapshot_of(tidy, names=names, ldc=("AAA", "BBB"), sources=("itu_datahub", "worldbank"), indicators=[IND])


@pytest.fixture(scope="module")
def data() -> AppData:
    return AppData(small_snapshot())


def _target_traces(figure) -> set[tuple[str, int, float]]:
    """(label, year of the diamond, level) of every target drawn."""
    traces = [tr for tr in figure["data"] if (tr.get("meta") or {}).get("kind") == "target"]
    return {(tr["name"], int(tr["x"][-1]), float(tr["y"][-1])) for tr in traces}


def _target_rows(rows: pd.DataFrame) -> set[tuple[str, int, float]]:
    got = rows[rows["kind"] == "target"]
    return {(s, int(y), float(v)) for s, y, v in zip(got["series"], got["year"], got["value"], strict=True)}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_csv_carries_exactly_the_targets_the_country_chart_draws(data, lang):
    query = {"iso3": "AAA", "indicator": IND, "from": "2018", "lang": lang}
    model = views.country_trend(data, CountryView(indicator=IND, start=2018, lang=lang), "AAA", translator(lang))
    drawn = _target_traces(model.figure)
    assert {tg.group for tg in model.extra["targets"]} == {"WLD", "LDC"} and drawn  # the world's and the LDCs'
    exp = charts.build("country", query, data=data)
    csv = pd.read_csv(io.BytesIO(export_bytes(exp, "csv")))
    assert _target_rows(csv) == drawn == _target_traces(exp.figure.to_dict())
    targets = csv[csv["kind"] == "target"]
    assert set(targets["target"]) == {tg.id for tg in model.extra["targets"]}
    assert set(targets["comparator"]) == {">="} and set(targets["unit"]) == {"percent"}
    assert targets[["coverage", "n_reporting"]].isna().all().all()  # the lines' own columns stay empty
    lines = csv[csv["kind"] != "target"]
    assert lines["target"].isna().all() and set(lines["kind"]) == {"world", "group", "focus"}
    assert 15.9 in set(lines["value"]) and 10.12 in set(lines["value"])  # still rounded
    assert translator(lang)("export.method_targets") in exp.meta.method


def test_xlsx_and_json_carry_the_same_target_rows(data):
    exp = charts.build("country", {"iso3": "AAA", "indicator": IND, "from": "2018"}, data=data)
    want = _target_rows(exp.rows)
    sheet = openpyxl.load_workbook(io.BytesIO(export_bytes(exp, "xlsx"))).worksheets[0]
    values = list(sheet.values)
    frame = pd.DataFrame(values[1:], columns=values[0])
    assert _target_rows(frame) == want
    body = json.loads(export_bytes(exp, "json"))
    assert _target_rows(pd.DataFrame(body["rows"], columns=body["columns"])) == want


@pytest.mark.parametrize("indicator", ["mobile_broadband_per100", "coverage_3g"])
def test_no_target_rows_where_the_chart_draws_none(data, indicator):
    """No target on the indicator, or one (SDG 9.c for the LDCs) on a chart with no data to draw it on: the columns
    are there (one header for every country CSV), the rows are not."""
    exp = charts.build("country", {"iso3": "AAA", "indicator": indicator, "from": "2018"}, data=data)
    assert "target" in exp.rows.columns and not (exp.rows["kind"] == "target").any()
    assert not _target_traces(exp.figure.to_dict()) and exp.model.extra["targets"] == ()
