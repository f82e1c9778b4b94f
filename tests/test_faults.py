"""Fault injection on the ingest path: ``refresh_snapshot`` against a 127.0.0.1 publisher that misbehaves in one
way at a time (tests/support/faulty_publisher.py).

For every fault the refresh either succeeds after retrying (5xx then success, 429 with Retry-After, one read
timeout) or raises ``SnapshotError`` whose message names the URL at fault; either way a failed refresh leaves every
file of the last good snapshot byte-identical. Retries are 2 with no backoff and a 0.5 s read timeout, so the
whole file runs in seconds.
"""

from __future__ import annotations

import pytest

from indicators.refresh import refresh_snapshot
from indicators.snapshot import SnapshotError, read_snapshot, write_snapshot
from indicators.sources import RETRY_AFTER_MAX
from indicators.sources.itu import datahub_session, datahub_url
from indicators.sources.worldbank import make_session
from tests.support.fake_publisher import FakePublisher
from tests.support.faulty_publisher import Fault, itu_faults, wb_faults
from tests.support.ports import free_port
from tests.support.snapshot_files import current_files
from tests.test_refresh import (
    WB_LASTUPDATED,
    datahub_csv,
    datahub_path,
    datahub_zip,
    file_bytes,
    old_snapshot,
    serve_publishers,
    wb_indicator_body,
    zip_of,
)

WB_CODE = "IT.NET.USER.ZS"  # the old snapshot holds rows of it
ITU_CODE, ITU_SERIES = "i992b", 19303  # likewise
WB_PATH = f"/v2/country/all/indicator/{WB_CODE}"
ITU_PATH = datahub_path(ITU_SERIES)

FAULTS = wb_faults(lambda: wb_indicator_body(WB_CODE)) + itu_faults(
    lambda: datahub_zip(ITU_CODE, ITU_SERIES).body,
    lambda: datahub_csv(ITU_CODE, ITU_SERIES).decode("utf-8-sig"),
    zip_of,
)


@pytest.fixture(scope="module")
def server():
    with FakePublisher() as srv:
        yield srv


def reset(srv: FakePublisher) -> FakePublisher:
    with srv._lock:
        srv.routes.clear()
        srv.requests.clear()
    return srv


def refresh(folder, wb_base: str, itu_base: str) -> str:
    # the scripted publishers answer one year per economy where the old snapshot holds two: that shrink is allowed
    # here (tests/test_refresh_guard.py refuses it), so each fault is the only thing under test
    return refresh_snapshot(
        folder,
        wb_base=wb_base,
        itu_base=itu_base,
        retries=2,
        backoff=0,
        timeout=(1, 0.5),
        progress=False,
        allow_shrink=True,
    )


def fault_url(srv: FakePublisher, fault: Fault) -> str:
    if fault.publisher == "worldbank":
        return f"{srv.url}/v2/country/all/indicator/{WB_CODE}?"
    return datahub_url(ITU_SERIES, srv.url + "/v2")


def test_the_catalogue_covers_the_issue():
    names = {f.name for f in FAULTS}
    for required in (
        "wb_500",
        "wb_503_then_ok",
        "wb_429_retry_after",
        "wb_read_timeout",
        "wb_truncated_json",
        "wb_message_error_200",
        "wb_pages_change",
        "wb_empty_page",
        "wb_html_200",
        "itu_zip_without_csv",
        "itu_csv_cp1252",
    ):
        assert required in names
    assert len(names) == len(FAULTS) >= 20


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault(fault, server, tmp_path):
    folder = tmp_path / "data"
    write_snapshot(old_snapshot(), folder)
    before, before_files = file_bytes(folder), current_files(folder)
    serve_publishers(reset(server))
    fault.arrivals.clear()
    fault.install(server, WB_PATH if fault.publisher == "worldbank" else ITU_PATH)
    url = fault_url(server, fault)
    if fault.retried:
        summary = refresh(folder, server.url + "/v2", server.url + "/v2")
        assert summary.startswith("refreshed ")
        path = WB_PATH if fault.publisher == "worldbank" else ITU_PATH
        assert [p for p, _q in server.requests].count(path) == 2  # one failure, one retry that worked
        snap = read_snapshot(folder)
        if fault.publisher == "worldbank":
            assert set(snap.tidy.loc[snap.tidy["source"] == "worldbank", "vintage"]) == {WB_LASTUPDATED}
        assert current_files(folder)["tidy.parquet"] != before_files["tidy.parquet"]
        return
    with pytest.raises(SnapshotError) as exc:
        refresh(folder, server.url + "/v2", server.url + "/v2")
    message = str(exc.value)
    assert url in message
    assert fault.message in message
    assert "the snapshot was left as it was" in message
    assert "Traceback" not in message
    assert file_bytes(folder) == before


def test_retry_after_is_honoured(server, tmp_path):
    fault = next(f for f in FAULTS if f.name == "wb_429_retry_after")
    folder = tmp_path / "data"
    write_snapshot(old_snapshot(), folder)
    serve_publishers(reset(server))
    fault.arrivals.clear()
    fault.install(server, WB_PATH)
    refresh(folder, server.url + "/v2", server.url + "/v2")
    assert len(fault.arrivals) == 2
    assert fault.arrivals[1] - fault.arrivals[0] >= 0.95  # Retry-After: 1, while backoff is 0


def test_an_unreachable_publisher_is_named(server, tmp_path):
    port = free_port()  # nobody listens on it: this worker's own slice (tests/support/ports.py)
    folder = tmp_path / "data"
    write_snapshot(old_snapshot(), folder)
    before = file_bytes(folder)
    serve_publishers(reset(server))
    with pytest.raises(SnapshotError, match=rf"http://127\.0\.0\.1:{port}/v2/country\?.*request failed"):
        refresh(folder, f"http://127.0.0.1:{port}/v2", server.url + "/v2")
    assert file_bytes(folder) == before


def test_a_huge_retry_after_is_capped():
    for session in (make_session(), datahub_session()):
        retry = session.get_adapter("https://example.org").max_retries
        assert retry.respect_retry_after_header
        if hasattr(retry, "retry_after_max"):
            assert retry.retry_after_max == RETRY_AFTER_MAX
