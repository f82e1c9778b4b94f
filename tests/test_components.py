"""Shared page components: the plain HTML data table."""

from __future__ import annotations

import pandas as pd

from app.components import data_table


def _cells(div) -> list[list[str]]:
    table = div.children
    body = table.children[2]
    return [[td.children for td in tr.children] for tr in body.children]


def test_data_table_shows_years_as_years_and_values_with_decimals():
    frame = pd.DataFrame({"year": [2015.0], "ours": [39.0], "latest_year": [2023.0], "latest_value": [67.4]})
    cols = {"year": "Year", "ours": "Ours", "latest_year": "Latest year", "latest_value": "Latest"}
    assert _cells(data_table(frame, cols, "en", "caption")) == [["2015", "39.0", "2023", "67.4"]]


def test_data_table_missing_values_are_a_dash_and_text_passes_through():
    frame = pd.DataFrame({"label": ["LDC"], "value": [float("nan")]})
    assert _cells(data_table(frame, {"label": "Group", "value": "Value"}, "en", "c")) == [["LDC", "–"]]


def test_data_table_prints_counts_as_whole_numbers():
    """Counts of members are integers (the Explore table printed "37.0" members), whatever the frame's dtype."""
    frame = pd.DataFrame({"n_reporting": [37.0], "n_members": [1048.0], "n_filled": [0.0], "coverage": [81.26]})
    cols = {"n_reporting": "Reporting", "n_members": "Members", "n_filled": "Filled", "coverage": "Coverage"}
    assert _cells(data_table(frame, cols, "en", "c")) == [["37", "1,048", "0", "81.3"]]
    assert _cells(data_table(frame.assign(n_members=[float("nan")]), cols, "zh", "c"))[0][1] == "–"
