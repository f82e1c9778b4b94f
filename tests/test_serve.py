"""``make serve`` itself, on a free loopback port: slow clients, gunicorn's own error pages, unknown static files.

Runs the Makefile's own ``serve`` recipe (app/gunicorn_conf.py: gevent workers). The slow-client test opens 64
sockets that send one byte every half second (32 in the headers, 32 in a declared 200 kB body) and checks that
page GETs, a callback and a data download still answer 200 quickly; under the old gthread config (2 workers × 4
threads) every one of these requests timed out. About 30 s for the module.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.ports import free_port
from tests.support.slow_clients import SlowClients, timed_get

PROJECT_DIR = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.server,
    pytest.mark.slow,  # gunicorn started and stopped, 64 slow clients for 6 s: half a minute
    pytest.mark.xdist_group("serve"),  # one worker runs the module: one `make serve`, not one per worker
    pytest.mark.skipif(importlib.util.find_spec("gevent") is None, reason="gevent not installed (make setup)"),
]
#: A normal request must answer within this while the slow clients trickle (it takes ~5 ms on a quiet machine).
QUICK_S = 2.0
#: The readiness probe: a static file, not a page.
READY_PATH = "/assets/favicon.ico"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``make serve`` on a free port; yields (base url, log path) and stops the whole process group."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "gunicorn.log"
    env = {
        **os.environ,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "GUNICORN_CONTROL_SOCKET": str(log.with_suffix(".ctl")),
    }
    venv = Path(sys.executable).parent.parent
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "serve", f"VENV={venv}"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while timed_get(url + READY_PATH, timeout=2)[0] != 200:  # ready: a cheap static file answers
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"make serve did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        timed_get(url + "/", timeout=60)  # `/` once, as the tests have always found it (they time page views)
        yield url, port, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _callback(url: str) -> tuple[int, float]:
    import json
    import urllib.request

    deps = json.loads(urllib.request.urlopen(url + "/_dash-dependencies", timeout=10).read())
    dep = next(d for d in deps if "_pages_content" in d["output"] and not d.get("clientside_function"))
    outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in dep["output"][2:-2].split("...")]
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [{**i, "value": v} for i, v in zip(dep["inputs"], ["/explore", "?group=LDC"], strict=False)],
        "state": [],
        "changedPropIds": [],
    }
    req = urllib.request.Request(
        url + "/_dash-update-component", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    t0 = time.perf_counter()
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()
        return resp.status, time.perf_counter() - t0


def test_make_serve_uses_the_gevent_worker(served):
    _url, _port, log = served
    assert "Using worker: gevent" in log.read_text()


def test_normal_requests_answer_quickly_while_64_slow_clients_trickle(served):
    url, port, log = served
    with SlowClients("127.0.0.1", port, n=64, interval=0.5) as slow:
        time.sleep(6)  # longer than gthread's 5 s wait before a thread commits to a trickling socket
        assert slow.opened >= 64  # a socket the server drops is opened again at once, so 64 keep trickling
        answers = [timed_get(url + path) for path in ["/", "/explore", "/country/NPL", "/about"] * 3]
        answers.append(timed_get(url + "/data.csv?indicator=internet_users&group=LDC"))
        answers.append(_callback(url))
    assert [status for status, _s in answers] == [200] * len(answers), answers
    slowest = max(seconds for _status, seconds in answers)
    assert slowest < QUICK_S, f"slowest normal request {slowest:.2f} s while 64 clients trickled"
    assert "WORKER TIMEOUT" not in log.read_text()


def _raw(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` as is; (status, headers with lower-case names, body) of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict((k.strip().lower(), v.strip()) for k, _, v in (line.partition(":") for line in lines[1:]))
    return int(lines[0].split()[1]), headers, body


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(80)) + b"\r\n", 431),
        (b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n", 431),
        (b"NOT A REQUEST\r\n\r\n", 400),
    ],
    ids=["uri-too-long", "too-many-headers", "header-too-large", "bad-request-line"],
)
def test_gunicorns_own_error_pages_carry_the_security_headers(served, request_bytes, status):
    _url, port, _log = served
    code, headers, body = _raw(port, request_bytes)
    assert code == status
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["cache-control"] == "no-store"
    assert b"<script" not in body


def test_unknown_component_files_are_404s_and_log_no_traceback(served):
    url, _port, log = served
    paths = [f"/_dash-component-suites/dash/nope{i}.js" for i in range(30)]
    paths += ["/_dash-component-suites/plotly/package_data/x.js", "/_dash-component-suites/nope/x.js"]
    for path in paths:
        status, _s = timed_get(url + path)
        assert status == 404, path
    time.sleep(0.5)
    assert "Traceback" not in log.read_text()


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian chromium is needed for image exports")
def test_image_exports_render_in_the_helper_while_the_worker_keeps_answering(served):
    import threading

    url, _port, log = served
    result: dict = {}

    def png():
        result["png"] = timed_get(url + "/download/explore.png?indicator=internet_users&group=LDC", timeout=60)

    thread = threading.Thread(target=png)
    thread.start()
    during = [timed_get(url + "/about") for _ in range(10)]  # while Chromium starts and renders
    thread.join(timeout=90)
    assert result["png"][0] == 200
    assert all(status == 200 and seconds < QUICK_S for status, seconds in during), during
    assert "WORKER TIMEOUT" not in log.read_text()
