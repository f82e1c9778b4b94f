"""``python -m app.export``: the downloads from the command line, through the same code as the HTTP routes.

    python -m app.export chart --indicator internet_users --group LDC,SIDS --sex total --from 2005 --to 2024 \\
        --format png --out internet.png
    python -m app.export chart --chart gender --group WLD,LDC --format csv --out parity.csv
    python -m app.export briefing --group LDC --out ldc.pdf [--lang en|zh] [--paper a4|letter]

An unknown indicator, group, chart or format ends with exit status 2 and a message naming the value; a missing
browser with status 3; never a traceback. When ``--out`` is a folder the informative default file name is used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.export import briefing, charts
from app.export.formats import FORMATS, export_bytes
from app.export.render_error import RenderError

EXIT_USAGE, EXIT_RENDER, EXIT_WRITE = 2, 3, 4


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own usage errors: exit 2 without a traceback
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m app.export", description="Export charts, data and briefing packs.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    chart = sub.add_parser("chart", help=f"one chart as {', '.join(FORMATS)}")
    chart.add_argument("--chart", default="explore", help=f"which chart: {', '.join(charts.CHARTS)} (default explore)")
    chart.add_argument("--indicator", help="indicator id, e.g. internet_users")
    chart.add_argument("--group", help="group code(s), comma-separated, e.g. LDC,SIDS")
    chart.add_argument("--countries", help="ISO3 codes, comma-separated (explore)")
    chart.add_argument("--sex", help="total, female or male")
    chart.add_argument("--from", dest="start", help="first year")
    chart.add_argument("--to", dest="end", help="last year")
    chart.add_argument("--year", help="map/ranking year")
    chart.add_argument("--members-of", help="gender charts: the group whose members are compared")
    chart.add_argument("--iso3", help="country chart: the economy")
    chart.add_argument("--lang", help="language of the labels: any catalogue in app/locales (en, zh)")
    chart.add_argument("--format", required=True, help=f"one of {', '.join(FORMATS)}")
    chart.add_argument("--out", required=True, type=Path, help="file to write (or an existing folder)")
    brief = sub.add_parser("briefing", help="the multi-page briefing pack (PDF) for one or more groups")
    brief.add_argument("--group", required=True, help="group code(s), e.g. LDC")
    brief.add_argument("--lang", default="en", help="language: any catalogue in app/locales (en, zh)")
    brief.add_argument("--paper", default="a4", help="paper size: a4 (default) or letter")
    brief.add_argument("--out", required=True, type=Path, help="PDF file to write (or an existing folder)")
    return parser


def chart_query(args: argparse.Namespace) -> dict[str, str]:
    """The URL query the command's options stand for (only the options given)."""
    pairs = {
        "indicator": args.indicator,
        "group": args.group,
        "countries": args.countries,
        "sex": args.sex,
        "from": args.start,
        "to": args.end,
        "year": args.year,
        "members_of": args.members_of,
        "iso3": args.iso3,
        "lang": args.lang,
    }
    if args.chart in ("map", "ranking"):
        pairs["tab"] = args.chart
    return {k: v for k, v in pairs.items() if v is not None}


def _write(out: Path, default_name: str, body: bytes) -> Path:
    path = out / default_name if out.is_dir() else out
    path.write_bytes(body)
    return path


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "chart":
            fmt = args.format.lower()
            if fmt not in FORMATS:
                raise charts.QueryError([f"unknown format “{args.format}”: use one of {', '.join(FORMATS)}"])
            exp = charts.build(args.chart, chart_query(args))
            path = _write(args.out, exp.file_name(fmt), export_bytes(exp, fmt))
        else:
            spec = briefing.spec_for(args.group.split(","), args.lang, args.paper.lower())
            path = _write(args.out, spec.file_name(), briefing.build_pdf(spec))
    except charts.QueryError as exc:
        print("error: " + "; ".join(exc.problems), file=sys.stderr)
        return EXIT_USAGE
    except RenderError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_RENDER
    except OSError as exc:
        print(f"error: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_WRITE
    print(path)
    return 0
