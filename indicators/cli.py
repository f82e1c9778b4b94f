"""Command line: ``python -m indicators snapshot | refresh | check | members | tidy | aggregate | published |
affordability | revisions | breaks | progress | scorecard`` (see ``--help`` of each).

Every failure a user can cause (a missing file, a bad argument, a publisher that is down) ends with a message on
stderr that names the file, URL or value at fault, and exit status 2 (usage) or 1 (data or network), never a
traceback.
"""

from __future__ import annotations

import argparse
import logging
import re
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
    from indicators.net import Limits, parse_size
    from indicators.refresh import refresh_snapshot

    try:
        limits = Limits.from_env(
            deadline=args.deadline,
            request_deadline=args.request_deadline,
            max_pages=args.max_pages,
            max_bytes=parse_size(args.max_bytes) if args.max_bytes is not None else None,
        )
    except ValueError as err:
        raise UsageError(str(err)) from err
    summary = refresh_snapshot(
        Path(args.data),
        start=args.start,
        end=args.end,
        progress=not args.quiet,
        allow_shrink=args.allow_shrink,
        limits=limits,
    )
    print(summary)
    return 0


def coverage_table(tidy: pd.DataFrame, sex: str = "total", since: int = 2000) -> pd.DataFrame:
    """Economies reporting each indicator (columns) in each year (rows)."""
    rows = tidy[(tidy["sex"] == sex) & (tidy["year"] >= since)]
    table = rows.groupby(["year", "indicator"])["iso3"].nunique().unstack("indicator").fillna(0).astype(int)
    return table.reset_index()


def cmd_check(args: argparse.Namespace) -> int:
    from indicators.schema import validate_tidy
    from indicators.snapshot import current_dir, read_snapshot
    from indicators.snapshot_layout import MANIFEST, read_manifest

    snap = read_snapshot(Path(args.data))  # verified against its manifest on the way in
    folder = current_dir(Path(args.data))
    validate_tidy(snap.tidy, origin=str(folder / "tidy.parquet"))
    print(
        f"snapshot OK: {len(snap.tidy):,} observations, {snap.tidy['iso3'].nunique()} economies, "
        f"{snap.tidy['indicator'].nunique()} indicators; built {snap.provenance.get('built')}",
        file=sys.stderr,
    )
    files = read_manifest(folder)["files"]
    print(
        f"current snapshot {folder}: {len(files)} files match its {MANIFEST} (sizes, sha256, row counts; the group "
        "aggregates were computed from this tidy.parquet)",
        file=sys.stderr,
    )
    if args.recompute_aggregates:
        _check_aggregates(snap, folder)
    _print_frame(coverage_table(snap.tidy, sex=args.sex, since=args.since), args.format)
    if args.sex == "total":  # the series by sex, in brief (the whole table with --sex female|male)
        by_sex = coverage_table(snap.tidy, sex="female", since=args.since)
        print("\neconomies with values for women, by year (--sex female for the table):", file=sys.stderr)
        print(by_sex.to_string(index=False), file=sys.stderr)
    _print_superseded(snap.superseded)
    _print_published(snap.publisher_aggregates)
    if snap.previous_vintages is not None and len(snap.previous_vintages):
        prev = snap.previous_vintages.groupby(["indicator", "source", "source_code", "vintage"]).size()
        print("\nearlier vintages kept (data/previous_vintages.parquet; `revisions --indicator …`):", file=sys.stderr)
        print(prev.rename("rows").reset_index().to_string(index=False), file=sys.stderr)
    return 0


def _check_aggregates(snap, folder: Path) -> None:
    """SnapshotError unless the stored group aggregates equal a fresh computation on this tidy frame."""
    from indicators.aggregates import AGG_COLUMNS
    from indicators.snapshot import GROUP_AGGREGATES, SnapshotError, compute_group_aggregates

    if snap.group_aggregates is None:
        raise SnapshotError(f"snapshot in {folder} has no {GROUP_AGGREGATES} to check")
    key = ["group", "indicator", "sex", "year"]
    stored = snap.group_aggregates.sort_values(key).reset_index(drop=True)[list(AGG_COLUMNS)]
    fresh = compute_group_aggregates(snap).sort_values(key).reset_index(drop=True)[list(AGG_COLUMNS)]
    try:
        pd.testing.assert_frame_equal(stored, fresh, check_dtype=False)
    except AssertionError as err:
        first = str(err).strip().splitlines()[0]
        raise SnapshotError(
            f"snapshot in {folder}: {GROUP_AGGREGATES} is not the aggregates of this tidy.parquet ({first}); "
            "run `make snapshot`"
        ) from None
    print(f"{GROUP_AGGREGATES}: {len(stored):,} rows equal a fresh computation on this tidy frame", file=sys.stderr)


def _print_published(pub: pd.DataFrame) -> None:
    """The publishers' own group estimates held: groups and years per publisher, indicator and sex (stderr)."""
    if pub is None or pub.empty:
        return
    rows = pub[pub["area"] == "total"] if "area" in pub else pub
    table = rows.groupby(["source", "edition", "indicator", "sex"]).agg(
        groups=("group", "nunique"), first=("year", "min"), last=("year", "max"), values=("value", "size")
    )
    print(
        "\npublishers' own group estimates (data/publisher_aggregates.parquet; `published --indicator …`):",
        file=sys.stderr,
    )
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(table.reset_index().to_string(index=False), file=sys.stderr)


def _print_superseded(superseded: pd.DataFrame | None) -> None:
    """Which source lost which series to a preferred one, and why (one source per series), on stderr in brief; the
    full list, economy by economy with the years dropped, is data/superseded.csv."""
    if superseded is None or superseded.empty:
        print("one source per series: no source was dropped for any economy", file=sys.stderr)
        return
    brief = superseded.groupby(["indicator", "sex_class", "dropped_source", "dropped_codes", "kept_source"]).agg(
        economies=("iso3", "nunique"), rows=("dropped_rows", "sum")
    )
    print(
        "\none source per series: sources dropped for an economy because a preferred source has that series",
        file=sys.stderr,
    )
    print("(registry.yml precedence; every economy and year range in data/superseded.csv):", file=sys.stderr)
    with pd.option_context("display.max_rows", None, "display.width", 200):
        print(brief.reset_index().to_string(index=False), file=sys.stderr)


def cmd_members(args: argparse.Namespace) -> int:
    from indicators.groups import Groups
    from indicators.snapshot import read_snapshot

    snap = read_snapshot(Path(args.data))
    groups = Groups(snap.membership)
    if args.group not in groups.ids():
        raise UsageError(f"--group {args.group}: unknown group; choose one of {', '.join(groups.ids())}")
    first, last = int(snap.tidy["year"].min()), int(snap.tidy["year"].max())
    if not first <= args.year <= last:
        raise UsageError(f"--year {args.year}: outside the snapshot's years ({first}–{last})")
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
        unknown = sorted(set(codes) - set(tidy["iso3"]))
        if unknown:
            raise UsageError(f"--iso3 {','.join(unknown)}: unknown economy code(s) (not in the snapshot)")
        rows = rows[rows["iso3"].isin(codes)]
    if rows.empty:
        asked = " ".join(f"--{k} {getattr(args, k)}" for k in ("indicator", "sex", "iso3") if getattr(args, k))
        print(f"no rows match {asked}: the snapshot holds no such series", file=sys.stderr)
    _print_frame(rows.sort_values(["iso3", "sex", "year"]), args.format)
    return 0


# ---- analysis: aggregate, progress, scorecard --------------------------------------------------------------

AGGREGATE_OUTPUT = (
    "year",
    "value",
    "n_members",
    "n_reporting",
    "n_filled",
    "coverage",
    "filled_share",
    "population_carried",
    "method",
)
PROGRESS_OUTPUT = (
    "target_id",
    "entity",
    "latest_year",
    "latest_value",
    "distance",
    "target_year",
    "projected_value",
    "projected_year",
    "met_year",
    "met_by_deadline",
    "verdict",
    "reason",
    "value_at_deadline",
    "witness",
    "witness_value",
    "disputed",
    "fragile",
    "verdict_ours",
    "witness_edition",
    "witness_verdict",
    "decided_by",
    "fragile_verdict",
    "break",
    "witnesses",
)
_YEARS = re.compile(r"^(\d{4})(?::(\d{4}))?$")
MIN_YEAR, MAX_YEAR = 1960, 2100


def parse_years(text: str | None, default: tuple[int, int]) -> list[int]:
    """``YYYY`` or ``YYYY:YYYY`` (inclusive) → the years; UsageError naming the value otherwise."""
    if text is None:
        return list(range(default[0], default[1] + 1))
    m = _YEARS.match(text.strip())
    if not m:
        raise UsageError(f"--years {text}: expected YYYY or YYYY:YYYY, e.g. 2005:2024")
    start, end = int(m.group(1)), int(m.group(2) or m.group(1))
    if start > end:
        raise UsageError(f"--years {text}: the first year is after the last")
    if start < MIN_YEAR or end > MAX_YEAR:
        raise UsageError(f"--years {text}: years must lie in {MIN_YEAR}–{MAX_YEAR}")
    return list(range(start, end + 1))


def _check_sex(sex: str, indicator) -> None:
    from indicators.registry import SEXES

    if sex not in SEXES:
        raise UsageError(f"--sex {sex}: unknown sex; choose one of {', '.join(SEXES)}")
    if sex not in indicator.sexes:
        raise UsageError(f"--sex {sex}: {indicator.id} is published for {', '.join(indicator.sexes)} only")


def _resolve_group(text: str, groups, countries: pd.DataFrame) -> tuple[str, object]:
    """(label, members_for_year): a group id, or a comma-separated list of ISO3 codes (a custom, undated group)."""
    if text in groups.ids():
        return text, lambda year: groups.members(text, year)
    codes = [c.strip().upper() for c in text.split(",") if c.strip()]
    known = set(countries["iso3"].astype(str))
    if not codes:
        raise UsageError(f"--group {text!r}: empty; give a group id or ISO3 codes, comma-separated")
    if "," not in text and codes[0] not in known:
        raise UsageError(
            f"--group {text}: unknown group or economy code; groups: {', '.join(groups.ids())} "
            "(or ISO3 codes, comma-separated)"
        )
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise UsageError(f"--group {text}: unknown economy code(s) {', '.join(unknown)} (not in the snapshot)")
    members = frozenset(codes)
    return ",".join(sorted(members)), lambda year: members


def _int_columns(frame: pd.DataFrame, columns) -> pd.DataFrame:
    out = frame.copy()
    for col in columns:
        out[col] = pd.array([None if pd.isna(v) else int(v) for v in out[col]], dtype="Int64")
    return out


def cmd_aggregate(args: argparse.Namespace) -> int:
    from indicators.aggregates import DEFAULT_RULE, aggregate
    from indicators.groups import Groups
    from indicators.registry import load_registry
    from indicators.snapshot import read_snapshot

    reg = load_registry()
    if args.indicator not in reg:
        raise UsageError(f"--indicator {args.indicator}: unknown indicator; choose one of {', '.join(reg)}")
    _check_sex(args.sex, reg[args.indicator])
    snap = read_snapshot(Path(args.data))
    years = parse_years(args.years, (2000, int(snap.tidy["year"].max())))
    label, members_for_year = _resolve_group(args.group, Groups(snap.membership), snap.countries)
    members = {y: members_for_year(y) for y in years}
    agg = aggregate(snap.tidy, args.indicator, members, group=label, sex=args.sex, keep_below_rule=True)
    failing = agg[agg["value"].isna()]
    if len(failing):
        print(
            f"note: {len(failing)} year(s) have no value: reporting members hold less than "
            f"{DEFAULT_RULE.min_coverage:.0%} of the group's {args.sex} population (see coverage)",
            file=sys.stderr,
        )
    _print_frame(agg[list(AGGREGATE_OUTPUT)], args.format)
    return 0


def _groups_or_exit(snap, group: str | None) -> None:
    from indicators.groups import Groups

    if group is None:
        return
    known = set(Groups(snap.membership).ids()) | set(snap.publisher_aggregates["group"])
    if group not in known:
        raise UsageError(f"--group {group}: unknown group; choose one of {', '.join(sorted(known))}")


def cmd_published(args: argparse.Namespace) -> int:
    from indicators import published
    from indicators.registry import load_registry
    from indicators.snapshot import read_snapshot

    reg = load_registry()
    if args.indicator not in reg:
        raise UsageError(f"--indicator {args.indicator}: unknown indicator; choose one of {', '.join(reg)}")
    if args.sex:
        _check_sex(args.sex, reg[args.indicator])
    snap = read_snapshot(Path(args.data))
    _groups_or_exit(snap, args.group)
    rows = published.select(snap.publisher_aggregates, args.indicator, group=args.group, sex=args.sex)
    if rows.empty:
        print(f"note: no publisher estimate of {args.indicator} for these settings", file=sys.stderr)
    columns = ["source", "edition", "group", "year", "sex", "value"]
    if (rows["panel"] != "").any():  # ITU's price medians: each over its fixed panel of economies
        columns.insert(3, "panel")
    out = rows[columns].rename(columns={"source": "publisher"})
    _print_frame(out, args.format)
    return 0


#: decimals of the affordability table, as every download rounds (app/export/precision.py): a price in % of GNI
#: per capita 2, as ITU publishes it; a share (0–1) 3, i.e. a percentage with 1 decimal
AFFORDABILITY_DIGITS = {"median": 2, "members_under": 3, "people_under": 3, "people_reporting": 3}


def _rounded_affordability(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with float noise gone (``4.3100000000000005`` → ``4.31``)."""
    return frame.round({c: d for c, d in AFFORDABILITY_DIGITS.items() if c in frame.columns})


def cmd_affordability(args: argparse.Namespace) -> int:
    from indicators.affordability import REFERENCE_TARGET, under_threshold
    from indicators.aggregates import aggregate, aggregate_years
    from indicators.groups import Groups
    from indicators.registry import load_registry
    from indicators.snapshot import read_snapshot
    from indicators.targets import load_targets

    reg = load_registry()
    prices = [i for i, ind in reg.items() if ind.unit == "percent_gni"]
    if args.indicator not in prices:
        raise UsageError(f"--indicator {args.indicator}: not a price in % of GNI; choose one of {', '.join(prices)}")
    threshold = args.threshold
    if threshold is None:
        threshold = next(t.threshold for t in load_targets() if t.id == REFERENCE_TARGET)
    if not 0 < threshold < 1000:
        raise UsageError(f"--threshold {threshold}: must be a share of monthly GNI per capita above 0")
    snap = read_snapshot(Path(args.data))
    _groups_or_exit(snap, args.group)
    groups = Groups(snap.membership)
    members = {y: groups.members(args.group, y) for y in aggregate_years(snap.tidy)}
    medians = aggregate(snap.tidy, args.indicator, members, group=args.group, keep_below_rule=True)
    under = under_threshold(snap.tidy, args.indicator, members, group=args.group, threshold=threshold)
    out = medians[["group", "year", "value", "n_reporting", "n_members"]].rename(columns={"value": "median"})
    out = out.merge(under.drop(columns=["group", "indicator", "n_members", "n_reporting"]), on="year", how="inner")
    if out.empty:
        print(f"note: no member of {args.group} reports {args.indicator}", file=sys.stderr)
    _print_frame(_rounded_affordability(out), args.format)
    return 0


def cmd_revisions(args: argparse.Namespace) -> int:
    from indicators.groups import Groups
    from indicators.registry import load_registry
    from indicators.revisions import revisions
    from indicators.snapshot import read_snapshot

    reg = load_registry()
    if args.indicator not in reg:
        raise UsageError(f"--indicator {args.indicator}: unknown indicator; choose one of {', '.join(reg)}")
    snap = read_snapshot(Path(args.data))
    found = revisions(snap.tidy, snap.previous_vintages, args.indicator, Groups(snap.membership))
    if not found:
        print(f"no earlier vintage of {args.indicator} is kept in the snapshot", file=sys.stderr)
        return 0
    for rev in found:
        print(
            f"{rev.indicator}: {rev.source} {rev.source_code}, vintage {rev.vintage} against {rev.previous_vintage}: "
            f"{rev.n_common:,} economy-years in both, {rev.n_moved:,} moved by more than {rev.threshold:g}",
            file=sys.stderr,
        )
        moved = rev.groups_moved()
        print(f"group aggregates that moved by more than {rev.threshold:g}: {len(moved)}", file=sys.stderr)
        if args.format == "csv":  # one table per run, so the output stays one CSV
            _print_frame(rev.points if args.what == "points" else rev.groups, "csv")
            continue
        _print_frame(rev.largest(args.top), "table")
        _print_frame(moved.head(args.top), "table")
    return 0


def cmd_breaks(args: argparse.Namespace) -> int:
    """The recorded series breaks, or (``--propose``) the jumps a person should check: never written anywhere."""
    from indicators.breaks import BREAK_COLUMNS, PROPOSAL_COLUMNS, propose_breaks
    from indicators.registry import load_registry
    from indicators.snapshot import read_snapshot

    reg = load_registry()
    if args.indicator and args.indicator not in reg:
        raise UsageError(f"--indicator {args.indicator}: unknown indicator; choose one of {', '.join(reg)}")
    if not args.propose and args.threshold is not None:
        raise UsageError("--threshold goes with --propose (the size of a jump to list)")
    threshold = 15.0 if args.threshold is None else args.threshold
    if not 0 < threshold <= 100:
        raise UsageError(f"--threshold {threshold:g}: percentage points in one year, above 0 and at most 100")
    codes = [c.strip().upper() for c in (args.iso3 or "").split(",") if c.strip()]
    if args.iso3 is not None and not codes:
        raise UsageError(f"--iso3 {args.iso3!r}: empty; give ISO3 codes, comma-separated")
    snap = read_snapshot(Path(args.data))
    unknown = [c for c in codes if c not in set(snap.countries["iso3"].astype(str))]
    if unknown:
        raise UsageError(f"--iso3 {args.iso3}: unknown economy code(s) {', '.join(unknown)} (not in the snapshot)")
    recorded = snap.breaks
    if args.propose:
        tidy = snap.tidy
        if args.indicator:
            tidy = tidy[tidy["indicator"] == args.indicator]
        if codes:
            tidy = tidy[tidy["iso3"].isin(codes)]
        out = propose_breaks(tidy, threshold_pp=threshold, breaks=recorded)
        print(
            f"{len(out)} candidate(s): a move of more than {threshold:g} points in one year with no recorded break. "
            "Candidates for review against the publisher's notes, not breaks: nothing was added to breaks.csv",
            file=sys.stderr,
        )
        _print_frame(out[list(PROPOSAL_COLUMNS)], args.format)
        return 0
    out = recorded
    if args.indicator:
        out = out[out["indicator"] == args.indicator]
    if codes:
        out = out[out["iso3"].isin(codes)]
    if recorded.empty:
        print("note: this snapshot records no series breaks (written before breaks.csv existed?)", file=sys.stderr)
    _print_frame(out[list(BREAK_COLUMNS)], args.format)
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    from indicators.groups import Groups
    from indicators.progress import progress_table, resolution_seeds, witnesses_text
    from indicators.snapshot import read_snapshot
    from indicators.targets import load_targets

    if args.group and args.iso3:
        raise UsageError("--group and --iso3 exclude each other; give one")
    snap = read_snapshot(Path(args.data))
    groups = Groups(snap.membership)
    iso3 = args.iso3.strip().upper() if args.iso3 else None
    if args.group and args.group not in groups.ids():
        raise UsageError(f"--group {args.group}: unknown group; choose one of {', '.join(groups.ids())}")
    if iso3 and iso3 not in set(snap.countries["iso3"].astype(str)):
        raise UsageError(f"--iso3 {args.iso3}: unknown economy code (not in the snapshot)")
    table = progress_table(
        snap.tidy,
        groups,
        load_targets(),
        group=args.group,
        iso3=iso3,
        published=snap.publisher_aggregates,
        breaks=snap.breaks,
        seeds=resolution_seeds(),
    )
    table = _int_columns(table, ("latest_year", "target_year", "projected_year", "met_year"))
    table["witnesses"] = [witnesses_text(w) for w in table["witnesses"]]
    _print_frame(table[list(PROGRESS_OUTPUT)], args.format)
    return 0


def cmd_scorecard(args: argparse.Namespace) -> int:
    from indicators.groups import Groups
    from indicators.scorecard import scorecard
    from indicators.snapshot import read_snapshot
    from indicators.targets import load_seeds

    snap = read_snapshot(Path(args.data))
    groups = Groups(snap.membership)
    if args.group and args.group not in groups.ids():
        raise UsageError(f"--group {args.group}: unknown group; choose one of {', '.join(groups.ids())}")
    table = scorecard(snap.tidy, groups, load_seeds(), group=args.group, published=snap.publisher_aggregates)
    _print_frame(_int_columns(table, ("latest_year",)), args.format)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m indicators", description=" ".join(__doc__.split("\n\n")[0].split()))
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
    s.add_argument(
        "--allow-shrink", action="store_true", help="accept a series with over 2%% fewer economies or rows than now"
    )
    s.add_argument(
        "--deadline", type=float, help="seconds the whole refresh may take (default 900; env REFRESH_DEADLINE)"
    )
    s.add_argument(
        "--request-deadline",
        type=float,
        help="seconds one request may take, retries and the whole body included (default 180; "
        "env REFRESH_REQUEST_DEADLINE)",
    )
    s.add_argument(
        "--max-pages", type=int, help="pages a paged answer may announce (default 50; env REFRESH_MAX_PAGES)"
    )
    s.add_argument(
        "--max-bytes",
        help="largest body after decompression, e.g. 64M (default 64M; env REFRESH_MAX_BYTES)",
    )
    s.set_defaults(func=cmd_refresh)

    s = sub.add_parser("check", help="validate the snapshot and print its coverage table")
    s.add_argument("--sex", choices=["total", "female", "male"], default="total")
    s.add_argument("--since", type=int, default=2000)
    s.add_argument("--format", choices=["table", "csv"], default="table")
    s.add_argument(
        "--recompute-aggregates",
        action="store_true",
        help="also recompute every group aggregate from the tidy frame and compare (about 20 s on the real data)",
    )
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

    s = sub.add_parser(
        "aggregate",
        help="a group's population-weighted aggregate by year, with coverage (years failing the rule: empty value)",
    )
    s.add_argument("--indicator", required=True)
    s.add_argument("--group", required=True, help="a group id (e.g. LDC) or ISO3 codes, comma-separated")
    s.add_argument("--years", help="YYYY or YYYY:YYYY (default: 2000 to the snapshot's last year)")
    s.add_argument("--sex", default="total", help="total (default), female or male")
    s.add_argument("--format", choices=["table", "csv"], default="table")
    s.set_defaults(func=cmd_aggregate)

    s = sub.add_parser("published", help="the publishers' own group estimates (ITU, UN SDG database, World Bank)")
    s.add_argument("--indicator", required=True)
    s.add_argument("--group", help="a group id (ours, e.g. LDC, or a publisher's, e.g. ITU_AFRICA)")
    s.add_argument("--sex", help="total, female or male (default: all)")
    s.add_argument("--format", choices=["table", "csv"], default="table")
    s.set_defaults(func=cmd_published)

    s = sub.add_parser(
        "affordability",
        help="a group's median price and the shares of its members and people at or under a threshold, by year",
    )
    s.add_argument("--indicator", default="fixed_broadband_price_gni")
    s.add_argument("--group", default="WLD")
    s.add_argument(
        "--threshold", type=float, help="%% of monthly GNI per capita (default: 2, the Broadband Commission's)"
    )
    s.add_argument("--format", choices=["table", "csv"], default="table")
    s.set_defaults(func=cmd_affordability)

    s = sub.add_parser("revisions", help="what a newer release revised in the earlier vintage kept in the snapshot")
    s.add_argument("--indicator", required=True)
    s.add_argument("--top", type=int, default=15, help="rows shown per table (--format table)")
    s.add_argument(
        "--what", choices=["points", "groups"], default="points", help="with --format csv: economy-years or groups"
    )
    s.add_argument("--format", choices=["table", "csv"], default="table")
    s.set_defaults(func=cmd_revisions)

    s = sub.add_parser(
        "breaks", help="series breaks the snapshot records (breaks.csv), or with --propose the jumps to review"
    )
    s.add_argument(
        "--propose",
        action="store_true",
        help="list moves of more than --threshold points in one year where no break is recorded (never recorded)",
    )
    s.add_argument("--threshold", type=float, help="with --propose: percentage points (default 15)")
    s.add_argument("--indicator", help="one indicator (a registry id, e.g. internet_users)")
    s.add_argument("--iso3", help="one or more ISO3 codes, comma-separated")
    s.add_argument("--format", choices=["table", "csv"], default="table")
    s.set_defaults(func=cmd_breaks)

    s = sub.add_parser("progress", help="every tracked target's verdict (its own group, or --group / --iso3)")
    s.add_argument("--group", help="benchmark every target for this group instead of the target's own")
    s.add_argument("--iso3", help="benchmark every target for this economy")
    s.add_argument("--format", choices=["table", "csv"], default="table")
    s.set_defaults(func=cmd_progress)

    s = sub.add_parser("scorecard", help="the 2015 figures the resolution states beside ours")
    s.add_argument("--group", help="re-score every figure for this group (the stated value stays)")
    s.add_argument("--format", choices=["table", "csv"], default="table")
    s.set_defaults(func=cmd_scorecard)
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
    except (SourceError, SnapshotError, ValidationError, OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_DATA
