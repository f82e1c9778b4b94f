"""The refresh's limits (``indicators/net.py``) against the loopback fault server: a stalled server, a trickled body,
endless pages, a gzip or ZIP bomb, deep JSON, a damaged ZIP member and a redirect to another host each end
``python -m indicators refresh`` with exit status 1 and one line naming the URL and the limit, and leave ``data/``
byte-identical; the same command against the same server, healthy, succeeds. Limits are tiny (1 s per request,
1 MiB bodies), so each case takes about a second.
"""

from __future__ import annotations

import gzip
import time
import tracemalloc

import pytest
import requests

from indicators import cli, net
from indicators.net import Budget, LimitExceeded, Limits, parse_size
from indicators.snapshot import read_snapshot, write_snapshot
from indicators.sources.itu import datahub_url
from tests.support.fake_publisher import FakePublisher, Reply
from tests.support.faulty_publisher import TINY_LIMITS, Fault, gzip_bomb, limit_faults
from tests.test_refresh import (
    datahub_csv,
    datahub_path,
    file_bytes,
    old_snapshot,
    serve_publishers,
    wb_indicator,
    wb_indicator_body,
)

WB_CODE = "IT.NET.USER.ZS"
ITU_CODE, ITU_SERIES = "i992b", 19303
WB_PATH = f"/v2/country/all/indicator/{WB_CODE}"
ITU_PATH = datahub_path(ITU_SERIES)

FAULTS = limit_faults(lambda: wb_indicator_body(WB_CODE), lambda: datahub_csv(ITU_CODE, ITU_SERIES), f"{ITU_CODE}.csv")


@pytest.fixture(scope="module")
def _server():
    with FakePublisher() as srv:
        yield srv


@pytest.fixture
def server(_server, monkeypatch):
    with _server._lock:
        _server.routes.clear()
        _server.requests.clear()
    serve_publishers(_server)
    monkeypatch.setenv("WB_API_BASE", _server.url + "/v2")
    monkeypatch.setenv("ITU_API_BASE", _server.url + "/v2")
    return _server


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    write_snapshot(old_snapshot(), folder)
    return folder


def refresh_cli(data_dir, capsys, *flags: str) -> tuple[int, str, str]:
    code = cli.main(["--data", str(data_dir), "refresh", "--quiet", "--allow-shrink", *flags])
    out, err = capsys.readouterr()
    return code, out, err


def fault_url(srv: FakePublisher, fault: Fault) -> str:
    if fault.publisher == "worldbank":
        return f"{srv.url}{WB_PATH}?"
    return datahub_url(ITU_SERIES, srv.url + "/v2")


def test_the_catalogue_covers_the_issue():
    names = {f.name for f in FAULTS}
    assert {"wb_trickled_body", "wb_endless_pages", "wb_gzip_bomb", "wb_deep_json", "wb_redirect_elsewhere"} <= names
    assert {"itu_damaged_zip_member", "itu_zip_bomb", "itu_redirect_elsewhere", "wb_stalled"} <= names


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_a_broken_limit_exits_1_naming_the_url_and_keeps_data(fault, server, data_dir, capsys):
    before = file_bytes(data_dir)
    fault.install(server, WB_PATH if fault.publisher == "worldbank" else ITU_PATH)
    started = time.monotonic()
    code, out, err = refresh_cli(data_dir, capsys, *TINY_LIMITS)
    assert code == 1
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: refresh failed, the snapshot was left as it was: ")
    assert fault_url(server, fault) in lines[0]
    assert fault.message in lines[0]
    assert file_bytes(data_dir) == before
    assert time.monotonic() - started < 10


def test_the_control_run_under_the_same_limits_succeeds(server, data_dir, capsys):
    code, out, err = refresh_cli(data_dir, capsys, *TINY_LIMITS)
    assert code == 0, err
    assert out.startswith("refreshed ")
    assert read_snapshot(data_dir).provenance["builder"] == "python -m indicators refresh"


def test_a_redirect_to_the_same_host_is_followed(server, data_dir, capsys):
    server.add(WB_PATH, Reply(status=301, headers={"Location": "/v2/moved"}))
    server.add("/v2/moved", wb_indicator(WB_CODE))
    code, _out, err = refresh_cli(data_dir, capsys, *TINY_LIMITS)
    assert code == 0, err
    assert [p for p, _q in server.requests].count("/v2/moved") == 1


def test_the_overall_deadline_stops_the_refresh(server, data_dir, capsys):
    for code in ("IT.NET.USER.ZS", "IT.NET.USER.FE.ZS", "IT.NET.USER.MA.ZS", "IT.NET.BBND.P2", "IT.CEL.SETS.P2"):
        server.add(f"/v2/country/all/indicator/{code}", Reply(body=wb_indicator_body(code), delay=0.4))
    before = file_bytes(data_dir)
    started = time.monotonic()
    code, _out, err = refresh_cli(data_dir, capsys, "--deadline", "1", "--request-deadline", "5")
    assert code == 1
    assert "the refresh's overall deadline of 1 s" in err and server.url in err
    assert time.monotonic() - started < 3
    assert file_bytes(data_dir) == before


def test_a_retry_after_past_the_deadline_is_not_waited_for(server, data_dir, capsys):
    server.add(WB_PATH, Reply(status=503, headers={"Retry-After": "60"}))
    started = time.monotonic()
    code, _out, err = refresh_cli(data_dir, capsys, *TINY_LIMITS)
    assert code == 1
    assert f"{server.url}{WB_PATH}?" in err and "HTTP 503" in err
    assert time.monotonic() - started < 3
    assert [p for p, _q in server.requests].count(WB_PATH) == 1


@pytest.mark.parametrize(
    ("flag", "value"), [("--max-bytes", "lots"), ("--deadline", "0"), ("--max-pages", "-1")]
)  # fmt: skip
def test_a_bad_limit_is_a_usage_error(flag, value, data_dir, capsys, server):
    code, _out, err = refresh_cli(data_dir, capsys, flag, value)
    assert code == cli.EXIT_USAGE
    assert err.startswith("error: ") and "Traceback" not in err
    assert server.requests == []


# ---- the limits themselves ------------------------------------------------------------------------------------


def test_limits_come_from_the_environment_then_the_flags():
    env = {"REFRESH_DEADLINE": "60", "REFRESH_MAX_BYTES": "2M", "REFRESH_MAX_PAGES": "7"}
    limits = Limits.from_env(env, max_pages=9)
    assert (limits.deadline, limits.max_bytes, limits.max_pages) == (60.0, 2 * 2**20, 9)
    assert limits.request_deadline == Limits().request_deadline
    with pytest.raises(ValueError, match="REFRESH_DEADLINE"):
        Limits.from_env({"REFRESH_DEADLINE": "soon"})


def test_sizes():
    assert [parse_size(t) for t in ("1048576", "500k", "64M", "64MiB", "1G")] == [
        2**20,
        500 * 2**10,
        2**26,
        2**26,
        2**30,
    ]
    with pytest.raises(ValueError):
        parse_size("a lot")


def test_the_defaults_bound_a_stalled_refresh():
    limits = Limits()
    assert limits.deadline <= 15 * 60 and limits.request_deadline <= limits.deadline
    assert limits.max_bytes == 64 * 2**20 and limits.max_pages == 50 and limits.max_redirects == 5


def test_a_gzip_bomb_is_stopped_without_filling_memory(_server):
    _server.add("/bomb", Reply(body=gzip_bomb(64 * 2**20), headers={"Content-Encoding": "gzip"}))
    session = net.make_session(retries=0, backoff=0)
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded, match=r"/bomb: the body exceeds 4,194,304 bytes after decompression"):
            net.get(session, _server.url + "/bomb", budget=Budget(Limits(max_bytes=4 * 2**20)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 2**20  # the 4 MiB kept, chunks of 64 KiB: not the 64 MiB the bomb holds


def test_a_gzipped_answer_within_the_limit_is_read_whole(_server):
    body = b"x" * 300_000
    _server.add("/small", Reply(body=gzip.compress(body), headers={"Content-Encoding": "gzip"}))
    got = net.get(net.make_session(retries=0), _server.url + "/small", budget=Budget(Limits(max_bytes=300_000)))
    assert (got.status_code, got.content) == (200, body)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("http://127.0.0.1:8080/a", "http://127.0.0.1:8080/b", True),
        ("https://api.worldbank.org/v2/x", "https://API.worldbank.org:443/v2/y", True),
        ("http://127.0.0.1:8080/a", "http://localhost:8080/a", False),
        ("http://127.0.0.1:8080/a", "http://127.0.0.1:8081/a", False),
        ("https://api.worldbank.org/v2/x", "http://api.worldbank.org/v2/x", False),
        ("https://api.worldbank.org/v2/x", "ftp://api.worldbank.org/v2/x", False),
    ],
)
def test_same_origin(a, b, same):
    assert net.same_origin(a, b) is same


def test_a_session_from_elsewhere_still_gets_the_body_cap(_server):
    _server.add("/big", Reply(body=b"y" * 100_000))
    with pytest.raises(LimitExceeded, match="exceeds 50,000 bytes"):
        net.get(requests.Session(), _server.url + "/big", limits=Limits(max_bytes=50_000))


def test_a_retry_started_late_ends_at_the_request_deadline(_server):
    """Each attempt may wait 1 s for an answer that takes 5 s; the request has 1.5 s: the retry after the first
    timeout gets what is left (0.5 s), not another whole second."""
    _server.add("/slow", Reply(delay=5.0, body=b"late"))
    session = net.make_session(retries=3, backoff=0)
    limits = Limits(request_deadline=1.5, read_timeout=1.0)
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match=r"/slow: no answer within the per-request deadline of 1.5 s"):
        net.get(session, _server.url + "/slow", budget=Budget(limits))
    assert 1.4 < time.monotonic() - started < 1.9


def test_the_socket_never_waits_past_the_request_deadline(_server):
    """A byte every 0.8 s, a request of 1 s and 60 s allowed between bytes: the wait for the second byte is cut at
    the deadline, not when it arrives."""
    _server.add("/drip", Reply(body=b"abcdef", trickle=0.8))
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match=r"/drip: the body was not received whole within the per-request deadline"):
        net.get(net.make_session(retries=0), _server.url + "/drip", budget=Budget(Limits(request_deadline=1.0)))
    assert time.monotonic() - started < 1.3
