"""Command line: ``python -m indicators snapshot | refresh | check | members | tidy``.

Every failure a user can cause (a missing file, a bad argument, a publisher that is down) ends with a one-line
message on stderr and exit status 2 (usage) or 1 (data or network), never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from indicators import DATA_DIR, DEFAULT_RAW_DIR

EXIT_DATA = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A bad argument value; the message names it."""


def _print_frame(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
            print(frame.to_string(index=False) if len(frame) else "(no rows)")


def cmd_snapshot(args: argparse.Namespace) -> int:
    from indicators.snapshot import build_snapshot, write_snapshot

    raw = Path(args.raw)
    if not raw.is_dir():
        raise UsageError(f"--raw {raw}: no such folder (the publisher files, e.g. ../shared/data/raw)")
    snap = build_snapshot(raw)
    write_snapshot(snap, Path(args.data))
    print(f"snapshot written to {args.data}: {len(snap.tidy):,} observations, {len(snap.membership):,} memberships")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from indicators.refresh import refresh_snapshot

    summary = refresh_snapshot(Path(args.data), start=args.start, end=args.end, progress=not args.quiet)
    print(summary)
    return 0


def coverage_table(tidy: pd.DataFrame, sex: str = "total", since: int = 2000) -> pd.DataFrame:
    """Economies reporting each indicator (columns) in each year (rows)."""
    rows = tidy[(tidy["sex"] == sex) & (tidy["year"] >= since)]
    table = rows.groupby(["year", "indicator"])["iso3"].nunique().unstack("indicator").fillna(0).astype(int)
    return table.reset_index()


def cmd_check(args: argparse.Namespace) -> int:
    from indicators.schema import validate_tidy
    from indicators.snapshot import read_snapshot

    snap = read_snapshot(Path(args.data))
    validate_tidy(snap.tidy, origin=str(Path(args.data) / "tidy.parquet"))
    print(
        f"snapshot OK: {len(snap.tidy):,} observations, {snap.tidy['iso3'].nunique()} economies, "
        f"{snap.tidy['indicator'].nunique()} indicators; built {snap.provenance.get('built')}",
        file=sys.stderr,
    )
    _print_frame(coverage_table(snap.tidy, sex=args.sex, since=args.since), args.format)
    return 0


def _load_groups(data_dir: Path):
    from indicators.groups import Groups
    from indicators.snapshot import read_snapshot

    return Groups(read_snapshot(data_dir).membership)


def cmd_members(args: argparse.Namespace) -> int:
    groups = _load_groups(Path(args.data))
    if args.group not in groups.ids():
        raise UsageError(f"--group {args.group}: unknown group; choose one of {', '.join(groups.ids())}")
    for code in sorted(groups.members(args.group, args.year)):
        print(code)
    return 0


def cmd_tidy(args: argparse.Namespace) -> int:
    from indicators.registry import load_registry
    from indicators.snapshot import read_snapshot

    reg = load_registry()
    if args.indicator not in reg:
        raise UsageError(f"--indicator {args.indicator}: unknown indicator; choose one of {', '.join(reg)}")
    tidy = read_snapshot(Path(args.data)).tidy
    rows = tidy[tidy["indicator"] == args.indicator]
    if args.sex:
        rows = rows[rows["sex"] == args.sex]
    if args.iso3:
        codes = [c.strip().upper() for c in args.iso3.split(",") if c.strip()]
        rows = rows[rows["iso3"].isin(codes)]
    _print_frame(rows.sort_values(["iso3", "sex", "year"]), args.format)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m indicators", description=__doc__.splitlines()[0])
    p.add_argument("--data", default=str(DATA_DIR), help="snapshot folder (default: the project's data/)")
    p.add_argument("-v", "--verbose", action="store_true", help="log what each reader keeps and drops")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("snapshot", help="build data/ offline from the publisher files")
    s.add_argument("--raw", default=str(DEFAULT_RAW_DIR), help="folder of publisher files (default: %(default)s)")
    s.set_defaults(func=cmd_snapshot)

    s = sub.add_parser("refresh", help="pull live from the publishers; a failure keeps the last good snapshot")
    s.add_argument("--start", type=int, default=2000)
    s.add_argument("--end", type=int, default=None, help="last year (default: this year)")
    s.add_argument("--quiet", action="store_true", help="no progress bars")
    s.set_defaults(func=cmd_refresh)

    s = sub.add_parser("check", help="validate the snapshot and print its coverage table")
    s.add_argument("--sex", choices=["total", "female", "male"], default="total")
    s.add_argument("--since", type=int, default=2000)
    s.add_argument("--format", choices=["table", "csv"], default="table")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("members", help="the ISO3 codes of a group's members in a year, one a line")
    s.add_argument("--group", required=True)
    s.add_argument("--year", type=int, required=True)
    s.set_defaults(func=cmd_members)

    s = sub.add_parser("tidy", help="print tidy rows")
    s.add_argument("--indicator", required=True)
    s.add_argument("--sex", choices=["total", "female", "male"])
    s.add_argument("--iso3", help="one or more ISO3 codes, comma-separated")
    s.add_argument("--format", choices=["table", "csv"], default="csv")
    s.set_defaults(func=cmd_tidy)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    from indicators.schema import ValidationError
    from indicators.snapshot import SnapshotError
    from indicators.sources import SourceError

    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(message)s")
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader went away (`| head`): not an error
        sys.stderr.close()
        return 0
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except (SourceError, SnapshotError, ValidationError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_DATA
