"""Shared pieces of the benchmarks: start a server, build Dash callback payloads, read RSS, print tables.

Pure standard library (plus ``requests``, already a dependency), so ``make bench`` needs nothing CI lacks.
"""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import requests

PROJECT_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = PROJECT_DIR / "bench" / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
EXPLORE_VALUES = {
    "explore-indicator": "internet_users",
    "explore-sex": "total",
    "explore-groups": ["LDC", "SIDS"],
    "explore-countries": [],
    "explore-from": "2000",
    "explore-to": "2024",
    "explore-tabs": "chart",
    "explore-members": False,
    "explore-year": "",
    "explore-lang": "en",
    # the tab whose whole tree the browser holds: a control changed on the tab shown is answered with a Patch
    "explore-rendered": "chart",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A server subprocess (gunicorn or a script) on 127.0.0.1; ``stop()`` ends it and its workers."""

    url: str
    process: subprocess.Popen
    started_s: float

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def pids(self) -> list[int]:
        """The master and its children (gunicorn workers)."""
        return [self.process.pid, *children(self.process.pid)]


def wait_for_workers(server: Server, n: int, timeout: float = 60.0) -> list[int]:
    """The gunicorn worker pids once ``n`` of them run: the first 200 can come before the last worker forks."""
    deadline = time.monotonic() + timeout
    while True:
        workers = server.pids()[1:]
        if len(workers) >= n or time.monotonic() > deadline:
            return workers
        time.sleep(0.2)


def start(cmd: Sequence[str], port: int, env: dict | None = None, path: str = "/", timeout: float = 120) -> Server:
    """Run ``cmd`` and wait until ``GET path`` answers 200; the wait is the start-up time."""
    log = open(Path(tempfile.gettempdir()) / f"divide-bench-server-{port}.log", "w")  # noqa: SIM115  (lives as long as the server)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), cwd=PROJECT_DIR, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}"
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{cmd} exited with {proc.returncode}; see {log.name}")
        try:
            if requests.get(url + path, timeout=5).status_code == 200:
                break
        except requests.RequestException:
            pass
        if time.perf_counter() - t0 > timeout:
            proc.kill()
            raise RuntimeError(f"{cmd} not answering after {timeout} s")
        time.sleep(0.05)
    return Server(url, proc, time.perf_counter() - t0)


def gunicorn(port: int, app: str = "app.wsgi:server", env: dict | None = None, workers: int = 2) -> Server:
    """The app as ``make serve`` runs it (app/gunicorn_conf.py), on ``port``."""
    env = {"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers), **(env or {})}
    env.setdefault("GUNICORN_CONTROL_SOCKET", f"/tmp/divide-bench-{port}.ctl")
    return start([GUNICORN, "--config", "app/gunicorn_conf.py", app], port, env)


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _proc_kb(pid: int, name: str, field: str) -> float:
    """A ``field: <n> kB`` line of ``/proc/<pid>/<name>``, in MB (NaN when the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def rss_mb(pid: int) -> float:
    """Resident set size of one process, in MB (VmRSS)."""
    return _proc_kb(pid, "status", "VmRSS")


def pss_mb(pid: int) -> float:
    """Proportional set size (shared pages split between the processes sharing them), in MB."""
    return _proc_kb(pid, "smaps_rollup", "Pss")


def dependencies(url: str) -> list[dict]:
    return requests.get(url + "/_dash-dependencies", timeout=30).json()


def callback_body(dep: dict, values: dict) -> dict:
    """A ``/_dash-update-component`` body for ``dep`` with input/state values by component id (missing: None)."""
    output = dep["output"]
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    outputs = [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts]
    first = dep["inputs"][0]
    return {
        "output": output,
        "outputs": outputs if output.startswith("..") else outputs[0],
        "inputs": [{**i, "value": values.get(i["id"])} for i in dep["inputs"]],
        "state": [{**s, "value": values.get(s["id"])} for s in dep["state"]],
        "changedPropIds": [f"{first['id']}.{first['property']}"],
    }


def find_dep(deps: list[dict], fragment: str) -> dict:
    return next(d for d in deps if fragment in d["output"] and not d.get("clientside_function"))


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; numbers right-aligned."""

    def cell(v: object) -> str:
        return f"{v:,.1f}" if isinstance(v, float) else str(v)

    align = ["---:" if rows and isinstance(rows[0][i], int | float) else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    """One line describing the machine and the software measured."""
    import dash
    import plotly

    cpus = os.cpu_count()
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    model = ""
    with contextlib.suppress(OSError, StopIteration):
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    load = os.getloadavg()[0]
    return (
        f"{cpus} CPUs ({model or platform.machine()}){mem}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, dash {dash.__version__}, plotly {plotly.__version__}; "
        f"load average {load:.1f} at start"
    )


def write_result(name: str, text: str) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.md"
    path.write_text(text + "\n", encoding="utf-8")
    return path
