"""Export timings: the first (cold: Chromium starts) and warm PNG/SVG/PDF exports, CSV, and the briefing pack.

    .venv/bin/python bench/export_timing.py [--runs 5]

Prints a Markdown table (median and fastest of ``--runs`` warm runs) headed by the versions. Wall-clock times on
the machine that runs it; the cold time includes starting kaleido's browser, the warm ones reuse it.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from importlib.metadata import version  # noqa: E402

import plotly  # noqa: E402

from app.context import get_data  # noqa: E402
from app.export import briefing, charts, render  # noqa: E402
from app.export.formats import export_bytes  # noqa: E402

QUERY = {"indicator": "internet_users", "group": "LDC,SIDS", "from": "2005", "to": "2024"}


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    load, _ = timed(get_data)
    rows.append(("load snapshot", f"{load * 1000:.0f} ms", "", ""))
    build_s, exp = timed(lambda: charts.build("explore", QUERY))
    rows.append(("build chart (figure + rows, first)", f"{build_s * 1000:.0f} ms", "", ""))
    cold, png = timed(lambda: export_bytes(exp, "png"))
    rows.append(("first PNG (starts Chromium)", f"{cold:.2f} s", "", f"{len(png) / 1024:.0f} KiB"))
    for fmt in ("png", "svg", "pdf", "csv"):
        times, size = [], 0
        for _ in range(args.runs):
            s, body = timed(lambda f=fmt: export_bytes(exp, f))
            times.append(s)
            size = len(body)
        rows.append(
            (
                f"warm {fmt.upper()}",
                f"{statistics.median(times):.3f} s",
                f"{min(times):.3f} s",
                f"{size / 1024:.0f} KiB",
            )
        )
    map_exp = charts.build("map", {**QUERY, "tab": "map"})
    times = [timed(lambda: export_bytes(map_exp, "png"))[0] for _ in range(max(1, args.runs // 2))]
    rows.append(("warm map PNG", f"{statistics.median(times):.3f} s", f"{min(times):.3f} s", ""))
    spec = briefing.spec_for(["LDC"], "en")
    first, pdf = timed(lambda: briefing.build_pdf(spec))
    rows.append(
        ("briefing pack LDC, first (computes scorecard + progress)", f"{first:.2f} s", "", f"{len(pdf) / 1024:.0f} KiB")
    )
    again, _ = timed(lambda: briefing.build_pdf(spec))
    rows.append(("briefing pack LDC, again", f"{again:.2f} s", "", ""))
    render.stop()
    print(
        f"Python {platform.python_version()}, plotly {plotly.__version__}, kaleido {version('kaleido')}, "
        f"{platform.machine()}; warm runs: {args.runs}\n"
    )
    print("| step | median | fastest | size |")
    print("|---|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
