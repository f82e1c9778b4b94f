"""A refresh is accepted only if each series is the same kind of data as the snapshot's, at least as complete:
answers that are HTTP 200 but wrong (another indicator, aggregates only, a file cut short, one file for every series,
a value of 1e999) are refused, naming the series, the URL and the rule, and leave ``data/`` byte-identical."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from indicators.refresh import REPORT, datahub_series_ids
from indicators.refresh_guard import RefreshRefused, check_series
from indicators.snapshot import SnapshotError, current_dir, write_snapshot
from tests.builders import tidy_rows
from tests.support.fake_publisher import FakePublisher, Reply
from tests.test_refresh import (
    _reset,
    datahub_path,
    datahub_zip,
    file_bytes,
    old_snapshot,
    refresh,
    serve_publishers,
    wb_record,
)


@pytest.fixture(scope="module")
def _publisher_server():
    with FakePublisher() as srv:
        yield srv


@pytest.fixture
def publisher(_publisher_server):
    return _reset(_publisher_server)


def raw(rows, code="IT.NET.USER.ZS") -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["iso3", "year", "value"])
    return frame.assign(source_code=code, sex="total", obs_status="normal", vintage="2026-01-01")


HELD = tidy_rows([("NPL", 2015, "internet_users", "total", 17.6), ("ABW", 2015, "internet_users", "total", 90.0)])


def check(answer: pd.DataFrame, economies: pd.DataFrame | None = None, **kw):
    args = {"source": "worldbank", "code": "IT.NET.USER.ZS", "url": "http://x/y", "unit": "percent"}
    return check_series(answer, answer if economies is None else economies, HELD, **{**args, **kw})


def test_a_complete_answer_passes_with_its_report():
    report = check(raw([("NPL", 2015, 21.3), ("ABW", 2015, 90.0), ("ABW", 2016, 91.0)]))
    assert (report.rows, report.economies, report.first_year, report.last_year) == (3, 2, 2015, 2016)
    assert (report.added, report.removed, report.changed) == (1, 0, 1)
    assert report.largest == [{"iso3": "NPL", "year": 2015, "sex": "total", "old": 17.6, "new": 21.3}]


def test_another_indicator_is_refused():
    with pytest.raises(RefreshRefused, match=r"names IT\.CEL\.SETS\.P2, not the IT\.NET\.USER\.ZS asked for"):
        check(raw([("NPL", 2015, 97.0), ("ABW", 2015, 130.0)], code="IT.CEL.SETS.P2"))


def test_aggregates_only_are_refused():
    with pytest.raises(RefreshRefused, match="aggregates only"):
        check(raw([("WLD", 2015, 40.0)]), economies=raw([]).iloc[0:0])


def test_a_shrinking_series_is_refused_unless_allowed():
    answer = raw([("NPL", 2015, 21.3)])
    with pytest.raises(RefreshRefused, match=r"economies would shrink from 2 to 1 .*--allow-shrink"):
        check(answer)
    assert check(answer, allow_shrink=True).removed == 1


@pytest.mark.parametrize(("value", "rule"), [(float("inf"), "not finite"), (float("nan"), "not finite"),
                                             (130.0, r"outside \[0, 100\] for percent")])  # fmt: skip
def test_implausible_values_are_refused(value, rule):
    with pytest.raises(RefreshRefused, match=rule):
        check(raw([("NPL", 2015, value), ("ABW", 2015, 90.0)]))


def test_population_bounds():
    pop = raw([("NPL", 2015, 1e11), ("ABW", 2015, 1e5)], code="SP.POP.TOTL")
    with pytest.raises(RefreshRefused, match="outside"):
        check_series(pop, pop, HELD.iloc[0:0], source="worldbank", code="SP.POP.TOTL", url="u", unit="count")


@pytest.mark.parametrize(("value", "ok"), [(3152.6, True), (0.05, True), (0.0, False), (2e4, False), (-1.0, False)])
def test_price_bounds_admit_the_dearest_basket_on_record_but_not_zero(value, ok):
    prices = raw([("NER", 2018, value), ("DEU", 2018, 1.2)], code="i154_FBB5_GNI")
    args = {"source": "itu_datahub", "code": "i154_FBB5_GNI", "url": "u", "unit": "percent_gni"}
    if ok:
        assert check_series(prices, prices, HELD.iloc[0:0], **args).rows == 2
    else:
        with pytest.raises(RefreshRefused, match="outside"):
            check_series(prices, prices, HELD.iloc[0:0], **args)


# ---- end to end: the refresh refuses and leaves data/ byte-identical ---------------------------------------------


WB_USER = "/v2/country/all/indicator/IT.NET.USER.ZS"


def wb_body(records) -> Reply:
    meta = {"page": 1, "pages": 1, "per_page": 20000, "total": len(records), "lastupdated": "2025-07-01"}
    return Reply(body=json.dumps([meta, records]).encode(), headers={"Content-Type": "application/json"})


def refuse(tmp_path, publisher, breaks, match: str) -> None:
    folder = tmp_path / "data"
    write_snapshot(old_snapshot(), folder)
    before = file_bytes(folder)
    serve_publishers(publisher)
    url = breaks(publisher)
    with pytest.raises(SnapshotError, match=match) as err:
        refresh(folder, publisher, allow_shrink=True)
    assert url in str(err.value) and "the snapshot was left as it was" in str(err.value)
    assert file_bytes(folder) == before


def test_refresh_refuses_aggregates_only(tmp_path, publisher):
    def breaks(srv):
        srv.add(WB_USER, wb_body([wb_record("IT.NET.USER.ZS", "WLD", "1W", 2015, 40.0)]))
        return srv.url + WB_USER

    refuse(tmp_path, publisher, breaks, "aggregates only")


def test_refresh_refuses_the_wrong_indicator(tmp_path, publisher):
    def breaks(srv):
        srv.add(WB_USER, wb_body([wb_record("IT.CEL.SETS.P2", "NPL", "NP", 2015, 97.0)]))
        return srv.url + WB_USER

    refuse(tmp_path, publisher, breaks, r"names IT\.CEL\.SETS\.P2")


def test_refresh_refuses_one_itu_file_for_every_series(tmp_path, publisher):
    ids = datahub_series_ids()
    first_code, first_id = next(iter(ids.items()))

    def breaks(srv):
        for series_id in ids.values():
            srv.add(datahub_path(series_id), datahub_zip(first_code, first_id))
        other = next(i for c, i in ids.items() if c != first_code)
        return f"{srv.url}/v2/data/download/byid/{other}"

    refuse(tmp_path, publisher, breaks, f"names {first_code}")


def test_refresh_refuses_an_infinite_population(tmp_path, publisher):
    path = "/v2/country/all/indicator/SP.POP.TOTL"

    def breaks(srv):
        body = (
            '[{"page":1,"pages":1,"per_page":20000,"total":1,"lastupdated":"2025-07-01"},['
            + json.dumps(wb_record("SP.POP.TOTL", "NPL", "NP", 2015, 1.0)).replace('"value": 1.0', '"value": 1e999')
            + "]]"
        )
        srv.add(path, Reply(body=body.encode(), headers={"Content-Type": "application/json"}))
        return srv.url + path

    refuse(tmp_path, publisher, breaks, "not finite")


def test_refresh_refuses_to_shrink_without_allow_shrink(tmp_path, publisher):
    folder = tmp_path / "data"
    write_snapshot(old_snapshot(), folder)
    before = file_bytes(folder)
    serve_publishers(publisher)
    with pytest.raises(SnapshotError, match=r"IT\.NET\.USER\.ZS .*rows would shrink from 2 to 1"):
        refresh(folder, publisher, allow_shrink=False)
    assert file_bytes(folder) == before


def test_a_refresh_writes_its_report(tmp_path, publisher):
    folder = tmp_path / "data"
    write_snapshot(old_snapshot(), folder)
    serve_publishers(publisher)
    summary = refresh(folder, publisher)
    doc = json.loads((current_dir(folder) / REPORT).read_text(encoding="utf-8"))
    user = next(r for r in doc["series"] if r["code"] == "IT.NET.USER.ZS")
    assert (user["rows"], user["held_rows"], user["removed"], user["changed"]) == (1, 2, 1, 1)
    assert user["largest"] == [{"iso3": "NPL", "year": 2015, "sex": "total", "old": 17.58, "new": 21.3}]
    assert "points added" in summary and REPORT in summary


def test_years_before_the_request_do_not_count_as_a_shrink(tmp_path, publisher):
    """The snapshot holds Nepal's Internet use for 1990 and 2015 (and population from 1960); a refresh asks for 2000
    on and gets 2015: the earlier years are not a shrink, so it is accepted without --allow-shrink."""
    snap = old_snapshot()
    tidy = snap.tidy
    tidy.loc[(tidy["iso3"] == "NPL") & (tidy["year"] == 2010), "year"] = 1990
    early = tidy_rows(
        [("NPL", y, "population", "total", 1e7 + y) for y in range(1960, 2000)],
        source="worldbank",
        source_code="SP.POP.TOTL",
        vintage="2024-02-21",
    )
    snap.tidy = pd.concat([tidy, early], ignore_index=True)
    folder = tmp_path / "data"
    write_snapshot(snap, folder)
    serve_publishers(publisher)
    summary = refresh(folder, publisher, allow_shrink=False)
    assert summary.startswith("refreshed ")
    doc = json.loads((current_dir(folder) / REPORT).read_text(encoding="utf-8"))
    user = next(r for r in doc["series"] if r["code"] == "IT.NET.USER.ZS")
    assert (user["held_rows"], user["removed"]) == (1, 0)
