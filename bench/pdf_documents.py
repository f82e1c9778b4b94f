"""The PDFs' size and time per language: the briefing pack (LDC) and one single-chart PDF, each built ``--runs``
times in one process after a warm-up build (the first build also pays for loading the snapshot, the browser and
the fonts; it is reported apart).

    .venv/bin/python bench/pdf_documents.py [--runs 3] [--langs en,zh] [--group LDC]

Prints a Markdown table (median and fastest of the warm runs, size, pages, fonts, Type 3 fonts by ``pdffonts``).
Wall-clock times on the machine that runs it.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import io  # noqa: E402

from pypdf import PdfReader  # noqa: E402

from app.context import get_data  # noqa: E402
from app.export import briefing, charts  # noqa: E402
from app.export.formats import export_bytes  # noqa: E402


def timed(fn) -> tuple[float, bytes]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def fonts(pdf: bytes) -> tuple[int, int]:
    """(fonts, Type 3 fonts) as ``pdffonts`` lists them; (-1, -1) without poppler-utils."""
    if shutil.which("pdffonts") is None:
        return -1, -1
    rows = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    rows = rows.splitlines()[2:]
    return len(rows), sum(" Type 3 " in r for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--langs", default="en,zh")
    parser.add_argument("--group", default="LDC")
    args = parser.parse_args()
    get_data()
    print(f"Python {platform.python_version()}, {platform.machine()} {platform.system()}\n")
    print("| file | lang | first build | warm median | warm min | size | pages | fonts | Type 3 |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for lang in args.langs.split(","):
        spec = briefing.spec_for(args.group.split(","), lang)
        exp = charts.build("explore", {"indicator": "internet_users", "group": f"WLD,{args.group}", "lang": lang})
        jobs = {
            f"briefing pack {args.group}": lambda s=spec: briefing.build_pdf(s),
            "chart PDF (explore)": lambda e=exp: export_bytes(e, "pdf"),
        }
        for name, job in jobs.items():
            first, body = timed(job)
            times = [timed(job)[0] for _ in range(args.runs)]
            n_fonts, type3 = fonts(body)
            pages = len(PdfReader(io.BytesIO(body)).pages)
            print(
                f"| {name} | {lang} | {first:.2f} s | {statistics.median(times):.2f} s | {min(times):.2f} s "
                f"| {len(body) / 1024:.0f} KiB | {pages} | {n_fonts} | {type3} |"
            )


if __name__ == "__main__":
    main()
