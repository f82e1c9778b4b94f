"""Wall time of the test suite: ``make test`` / ``make test-fast`` run ``--runs`` times, median and range.

    .venv/bin/python bench/test_suite.py                          # make test-fast, 3 runs, TEST_WORKERS=auto
    .venv/bin/python bench/test_suite.py --target test --runs 1
    .venv/bin/python bench/test_suite.py --target test-fast --workers 1 2 3   # which worker count is fastest
    CI=true .venv/bin/python bench/test_suite.py --target test --runs 1       # the full Hypothesis counts

Each run is ``make <target> TEST_WORKERS=<n>``; its output goes to ``build/test-suite-<target>-<n>-<i>.log``.
A failed run is reported (its exit code) and its time kept. The load average before each run is printed: the
times are only comparable on a machine that nothing else is using. Results go to docs/performance.md by hand.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def run_once(target: str, workers: str, log: Path) -> tuple[float, int]:
    t0 = time.monotonic()
    with open(log, "wb") as out:
        proc = subprocess.run(
            ["make", "--no-print-directory", target, f"TEST_WORKERS={workers}", f"VENV={Path(sys.prefix)}"],
            cwd=PROJECT_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
        )
    return time.monotonic() - t0, proc.returncode


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", choices=["test", "test-fast"], default="test-fast")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", nargs="+", default=["auto"], help="TEST_WORKERS values to compare")
    args = ap.parse_args(argv)
    logs = PROJECT_DIR / "build"
    logs.mkdir(exist_ok=True)
    profile = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev")
    print(f"make {args.target}, {os.cpu_count()} cores, Hypothesis profile {profile}\n")
    print("| workers | runs | median | min | max | exit codes | load avg before |")
    print("|---|---:|---:|---:|---:|---|---|")
    worst = 0
    for workers in args.workers:
        times, codes, loads = [], [], []
        for i in range(args.runs):
            loads.append(f"{os.getloadavg()[0]:.1f}")
            seconds, code = run_once(args.target, workers, logs / f"test-suite-{args.target}-{workers}-{i}.log")
            times.append(seconds)
            codes.append(str(code))
            worst = max(worst, code)
        print(
            f"| {workers} | {len(times)} | {statistics.median(times):.0f} s | {min(times):.0f} s | {max(times):.0f} s "
            f"| {', '.join(codes)} | {', '.join(loads)} |",
            flush=True,
        )
    return 1 if worst else 0


if __name__ == "__main__":
    sys.exit(main())
