"""How should the tidy frame be stored? Load time and on-disk size per format, and the time of a full build.

Writes the tidy frame as parquet (zstd), parquet (snappy), feather (Arrow IPC, its default lz4), CSV and CSV.gz into
a temporary folder, then reads each back ``--runs`` times and reports the median and the fastest load. The frame
comes from the committed snapshot's ``tidy.parquet`` (``indicators.snapshot.current_dir``); with the publisher files
in ``--raw`` it also times ``build_snapshot`` (every reader, the schema validation and the combine) the same way.

    .venv/bin/python bench/snapshot_format.py [--raw ../shared/data/raw] [--runs 7]   # or: make bench

Prints a Markdown table on stdout. Numbers are wall-clock times on this machine: compare rows, not machines.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pyarrow as pa

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))  # run as a script from anywhere, without installing the package

from indicators import DATA_DIR, DEFAULT_RAW_DIR  # noqa: E402
from indicators.snapshot import current_dir  # noqa: E402

#: name → (file name, writer, reader)
FORMATS: dict[str, tuple[str, Callable[[pd.DataFrame, Path], None], Callable[[Path], pd.DataFrame]]] = {
    "parquet (zstd)": (
        "tidy.zstd.parquet",
        lambda df, p: df.to_parquet(p, index=False, compression="zstd"),
        pd.read_parquet,
    ),
    "parquet (snappy)": (
        "tidy.snappy.parquet",
        lambda df, p: df.to_parquet(p, index=False, compression="snappy"),
        pd.read_parquet,
    ),
    "feather (lz4)": ("tidy.feather", lambda df, p: df.to_feather(p), pd.read_feather),
    "CSV": ("tidy.csv", lambda df, p: df.to_csv(p, index=False, lineterminator="\n"), pd.read_csv),
    "CSV.gz": (
        "tidy.csv.gz",
        lambda df, p: df.to_csv(p, index=False, lineterminator="\n", compression="gzip"),
        pd.read_csv,
    ),
}


def timings(fn: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def human_bytes(n: int) -> str:
    for unit in ("B", "KiB", "MiB"):
        if n < 1024 or unit == "MiB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def bench_formats(tidy: pd.DataFrame, runs: int) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-snapshot-") as tmp:
        for name, (filename, write, read) in FORMATS.items():
            path = Path(tmp) / filename
            write_s = statistics.median(timings(lambda w=write, p=path: w(tidy, p), max(1, runs // 2)))
            back = read(path)
            if len(back) != len(tidy):
                raise SystemExit(f"{name}: read back {len(back)} rows, wrote {len(tidy)}")
            load = timings(lambda r=read, p=path: r(p), runs)
            rows.append(
                {
                    "format": name,
                    "bytes": path.stat().st_size,
                    "load_median": statistics.median(load),
                    "load_min": min(load),
                    "write_median": write_s,
                }
            )
    return rows


def format_table(rows: list[dict], n_rows: int, runs: int) -> str:
    smallest = min(r["bytes"] for r in rows)
    fastest = min(r["load_median"] for r in rows)
    lines = [
        f"Tidy frame: {n_rows:,} rows. Load = `pd.read_*` of the whole file, median of {runs} runs.",
        "",
        "| format | size | × smallest | load median | load min | × fastest | write |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['format']} | {human_bytes(r['bytes'])} | {r['bytes'] / smallest:.1f} | "
            f"{r['load_median'] * 1000:,.1f} ms | {r['load_min'] * 1000:,.1f} ms | "
            f"{r['load_median'] / fastest:.1f} | {r['write_median'] * 1000:,.0f} ms |"
        )
    return "\n".join(lines)


def bench_build(raw: Path, runs: int) -> str:
    from indicators.snapshot import build_snapshot, compute_group_aggregates

    snap = None

    def build() -> None:
        nonlocal snap
        snap = build_snapshot(raw)

    times = timings(build, runs)
    lines = [
        f"| `build_snapshot({raw})` | {len(snap.tidy):,} tidy rows | median {statistics.median(times):.2f} s | "
        f"min {min(times):.2f} s | {runs} runs |"
    ]
    aggregates = None

    def precompute() -> None:
        nonlocal aggregates
        aggregates = compute_group_aggregates(snap)

    once = timings(precompute, 1)  # ~20 s: one run
    lines.append(
        f"| `compute_group_aggregates` (in `write_snapshot`) | {len(aggregates):,} aggregate rows | "
        f"{once[0]:.1f} s | | 1 run |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--raw", default=str(DEFAULT_RAW_DIR), help="publisher files, to time a full build (optional)")
    p.add_argument(
        "--data",
        default=str(DATA_DIR),
        help="snapshot folder whose current snapshot holds tidy.parquet (default: data/)",
    )
    p.add_argument("--runs", type=int, default=7, help="timed loads per format (at least 5; default 7)")
    p.add_argument("--build-runs", type=int, default=3, help="timed builds from --raw (default 3; 0 skips)")
    args = p.parse_args(argv)
    if args.runs < 5:
        p.error("--runs: at least 5, the median of fewer is noise")

    tidy_path = current_dir(Path(args.data)) / "tidy.parquet"
    if not tidy_path.is_file():
        print(f"error: {tidy_path} not found; run `make snapshot` first", file=sys.stderr)
        return 1
    tidy = pd.read_parquet(tidy_path)

    print("# Snapshot storage benchmark")
    print()
    print(
        f"Python {platform.python_version()}, pandas {pd.__version__}, pyarrow {pa.__version__}, "
        f"{platform.machine()} ({platform.system()})."
    )
    print()
    print(format_table(bench_formats(tidy, args.runs), len(tidy), args.runs))
    print()
    raw = Path(args.raw)
    if args.build_runs <= 0:
        print("Full build: skipped (--build-runs 0).")
    elif raw.is_dir():
        print("| build | output | time | fastest | runs |")
        print("|---|---|---:|---:|---:|")
        print(bench_build(raw, args.build_runs))
    else:
        print(f"Full build: skipped, no publisher files at {raw} (pass --raw).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
