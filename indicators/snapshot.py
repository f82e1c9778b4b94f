"""Build, write (whole, switched in one atomic step) and read the embedded snapshot in ``data/``.

The snapshot is one directory, ``data/snapshots/<name>/``, made current by ``data/CURRENT``
(``indicators.snapshot_layout``: why a pointer file, what a crash leaves, what is cleaned up). It holds the tidy
frame plus what the app and the analysis need beside it, and the provenance of every input:

=============================  ===================================================================================
``tidy.parquet``               the validated tidy frame (economies only)
``publisher_aggregates.parquet`` the publishers' own group estimates (ITU Key ICT, UN SDG database, World Bank
                                 aggregate rows), beside ours, never mixed (``indicators.published``)
``group_aggregates.parquet``   our aggregates of every group, indicator and sex, all years (computed at write time)
``superseded.csv``              series a source lost to a preferred one (one source per series), with the reason
``previous_vintages.parquet``    rows of earlier vintages of a series the tidy frame holds (what a release revised)
``breaks.csv``                 series breaks: where a publisher says a value is not comparable with the one before
                                 it, and what a release withdrew (``indicators.breaks``; optional when reading)
``membership.csv``             dated group membership (group, iso3, since, until, defined_by, source)
``countries.csv``              economies: ISO3, M49, name, M49 region, World Bank region and income group, flags
``provenance.json``            per source: publisher, URL, licence, vintage, retrieval date, sha256 of each input
``README.md``                  the same provenance and licences, for people
``manifest.json``              every file above with its size, sha256 and rows; the tidy file the group aggregates
                                 were computed from
``refresh_report.json``        (after ``make refresh``) the per-series report of the refresh that wrote it
=============================  ===================================================================================

Writing: every file goes to a staging directory, is read back, validated and listed in the manifest; the directory is
then renamed into ``data/snapshots/`` and ``data/CURRENT`` replaced with ``os.replace``. Any failure or crash before
that switch leaves the current snapshot byte-identical, and the reader only ever sees a whole one: it resolves
``CURRENT`` (``current_dir``) and verifies the directory against its manifest before using it.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from indicators import DATA_DIR, PACKAGE_DIR
from indicators import snapshot_layout as layout
from indicators.aggregates import AGG_COLUMNS, all_group_aggregates
from indicators.schema import validate_tidy
from indicators.snapshot_layout import SnapshotError
from indicators.tidy import SUPERSEDED_COLUMNS, Corrections, combine_series, split_aggregates, to_tidy

log = logging.getLogger(__name__)

INPUTS_PATH = PACKAGE_DIR / "inputs.yml"
FILES = ("tidy.parquet", "publisher_aggregates.parquet", "membership.csv", "countries.csv", "provenance.json")
#: our own group aggregates, precomputed (written by every write_snapshot; optional when reading an older snapshot)
GROUP_AGGREGATES = "group_aggregates.parquet"
SUPERSEDED = "superseded.csv"
PREVIOUS_VINTAGES = "previous_vintages.parquet"
#: series breaks (indicators.breaks; optional when reading an older snapshot)
BREAKS = "breaks.csv"


@dataclass
class Snapshot:
    tidy: pd.DataFrame
    publisher_aggregates: pd.DataFrame
    membership: pd.DataFrame
    countries: pd.DataFrame
    provenance: dict = field(default_factory=dict)
    #: every group aggregate (indicators.aggregates.all_group_aggregates); write_snapshot computes it when None
    group_aggregates: pd.DataFrame | None = None
    #: series dropped for a preferred source (indicators.tidy.SUPERSEDED_COLUMNS)
    superseded: pd.DataFrame | None = None
    #: rows of earlier vintages of the tidy frame's series (tidy columns)
    previous_vintages: pd.DataFrame | None = None
    #: series breaks (indicators.breaks.BREAK_COLUMNS); written empty when None
    breaks: pd.DataFrame | None = None


def load_inputs(path: Path = INPUTS_PATH) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def sha256_of(path: Path) -> str:
    return layout.sha256_file(path)


def _file_record(raw_dir: Path, spec: dict, rows: int | None, vintage: str | None) -> dict:
    path = raw_dir / spec["path"]
    rec = {
        "path": spec["path"],
        "sha256": sha256_of(path),
        "bytes": path.stat().st_size,
        "vintage": vintage or spec.get("vintage"),
        "retrieved": spec.get("retrieved"),
        "rows": rows,
    }
    if spec.get("note"):
        rec["note"] = spec["note"]
    return rec


def build_snapshot(raw_dir: Path, inputs: dict | None = None, corrections: Corrections | None = None) -> Snapshot:
    """Read every input listed in ``inputs.yml`` from ``raw_dir`` and build the snapshot in memory; ``corrections``
    (default: ``corrections.yml``'s) are applied to every frame, and one that matches no observation of a source
    read raises UnmatchedCorrection."""
    from indicators import published
    from indicators.breaks import build_breaks
    from indicators.groups import build_membership
    from indicators.sources import itu, itu_key_ict, itu_prices, m49, sdg, worldbank
    from indicators.tidy import _code_map

    inputs = inputs or load_inputs()
    corrections = Corrections.load() if corrections is None else corrections
    raw_dir = Path(raw_dir)
    specs = inputs["files"]
    missing = [s["path"] for s in specs if not (raw_dir / s["path"]).is_file()]
    if missing:
        raise SnapshotError(f"publisher files missing under {raw_dir}: {missing}")

    by_kind: dict[str, list[dict]] = {}
    for spec in specs:
        by_kind.setdefault(spec["kind"], []).append(spec)
    records: dict[str, list[dict]] = {}

    def record(spec: dict, rows: int | None, vintage: str | None = None) -> None:
        records.setdefault(spec["source"], []).append(_file_record(raw_dir, spec, rows, vintage))

    # (source, upstream code, vintage) -> the file under raw_dir: what a withdrawn break names as its origin
    files_of: dict[tuple[str, str, str], str] = {}

    def remember(raw: pd.DataFrame, source: str, spec: dict) -> None:
        for code, vintage in set(zip(raw["source_code"], raw["vintage"], strict=True)):
            files_of.setdefault((source, str(code), str(vintage)), spec["path"])

    # Reference tables first: they decide what is an economy.
    m49_spec = by_kind["m49"][0]
    m49_current = m49.read_m49(raw_dir / m49_spec["path"])
    record(m49_spec, len(m49_current))
    legacy_spec = by_kind["m49_legacy"][0]
    m49_legacy = m49.read_m49(raw_dir / legacy_spec["path"])
    record(legacy_spec, len(m49_legacy))
    meta_spec = by_kind["wb_meta"][0]
    wb_meta = worldbank.read_country_metadata(raw_dir / meta_spec["path"])
    record(meta_spec, len(wb_meta))
    wb_aggregates = set(wb_meta.loc[wb_meta["is_aggregate"], "iso3"])

    tidy_parts: list[pd.DataFrame] = []
    note_parts: list[pd.DataFrame] = []
    wb_aggregate_parts: list[pd.DataFrame] = []
    published_parts: list[pd.DataFrame] = []

    def add_worldbank(raw: pd.DataFrame, spec: dict, origin: str) -> None:
        economies, aggregates = split_aggregates(raw, wb_aggregates)
        tidy_parts.append(to_tidy(economies, "worldbank", origin=origin, corrections=corrections))
        remember(raw, "worldbank", spec)
        wb_aggregate_parts.append(aggregates)
        record(spec, len(raw), _single_vintage(raw))

    for spec in by_kind.get("wb_bulk", []):
        path = raw_dir / spec["path"]
        add_worldbank(worldbank.read_bulk_csv(path, vintage=spec.get("vintage")), spec, str(path))
    for spec in by_kind.get("wb_long", []):
        path = raw_dir / spec["path"]
        add_worldbank(worldbank.read_long_csv(path, code=spec["code"], vintage=spec["vintage"]), spec, str(path))
    for spec in by_kind.get("itu_csv", []):
        path = raw_dir / spec["path"]
        raw = itu.read_datahub_csv(path, vintage=spec["vintage"])
        tidy_parts.append(to_tidy(raw, "itu_datahub", origin=str(path), corrections=corrections))
        remember(raw, "itu_datahub", spec)
        notes = itu.read_datahub_notes(path, vintage=spec["vintage"])
        note_parts.append(notes.assign(origin=spec["path"]))
        record(spec, len(raw))
    for spec in by_kind.get("itu_gender", []):
        path = raw_dir / spec["path"]
        raw = itu.read_gender_xls(path, vintage=spec["vintage"])
        tidy_parts.append(to_tidy(raw, "itu_gender", origin=str(path), corrections=corrections))
        record(spec, len(raw))
    m49_to_iso3 = {int(r.m49): r.iso3 for r in m49_current.itertuples() if isinstance(r.iso3, str) and r.iso3}
    for spec in by_kind.get("sdg", []):
        path = raw_dir / spec["path"]
        raw = sdg.read_sdg_csv(path, m49_to_iso3, vintage=spec.get("vintage"))
        tidy_parts.append(to_tidy(raw, "un_sdg", origin=str(path), corrections=corrections))
        remember(raw, "un_sdg", spec)
        record(spec, len(raw), _single_vintage(raw))
    for spec in by_kind.get("sdg_ddf", []):
        path = raw_dir / spec["path"]
        raw, group_rows = sdg.read_sdg_ddf(path, m49_to_iso3, vintage=spec["vintage"])
        tidy_parts.append(to_tidy(raw, "un_sdg", origin=str(path), corrections=corrections))
        remember(raw, "un_sdg", spec)
        published_parts.append(published.from_sdg(group_rows, _code_map("un_sdg")))
        record(spec, len(raw) + len(group_rows))
    for spec in by_kind.get("key_ict", []):
        path = raw_dir / spec["path"]
        rows = itu_key_ict.read_key_ict_xlsx(path, edition=spec["edition"])
        published_parts.append(published.from_key_ict(rows, vintage=spec["vintage"]))
        record(spec, len(rows))

    for spec in by_kind.get("price_baskets", []):
        path = raw_dir / spec["path"]
        book = itu_prices.read_price_baskets_xlsx(path, vintage=spec["vintage"])
        tidy_parts.append(to_tidy(book.prices, "itu_price_baskets", origin=str(path), corrections=corrections))
        medians = published.from_price_medians(
            book.medians,
            _code_map("itu_price_baskets"),
            edition=spec["edition"],
            vintage=spec["vintage"],
            baskets=book.baskets,
        )
        published_parts.append(medians)
        record(spec, len(book.prices) + len(book.medians))

    corrections.check()
    combined = combine_series(tidy_parts)
    tidy = combined.tidy
    publisher_aggregates = published.combine_published([*published_parts, _publisher_aggregates(wb_aggregate_parts)])
    membership = build_membership(m49_current, m49_legacy, wb_meta, wb_vintage=meta_spec.get("vintage"))
    countries = build_countries(m49_current, m49_legacy, wb_meta, tidy)
    provenance = build_provenance(inputs, records, tidy, publisher_aggregates)
    notes = pd.concat(note_parts, ignore_index=True) if note_parts else None
    breaks = build_breaks(notes, _code_map("itu_datahub"), tidy, combined.previous_vintages, files_of)
    return Snapshot(
        tidy,
        publisher_aggregates,
        membership,
        countries,
        provenance,
        superseded=combined.superseded,
        previous_vintages=combined.previous_vintages,
        breaks=breaks,
    )


def _single_vintage(raw: pd.DataFrame) -> str | None:
    vintages = sorted(set(raw["vintage"].dropna()))
    return vintages[-1] if vintages else None


def _publisher_aggregates(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """World Bank aggregate rows (raw frames of aggregate codes) as published group estimates."""
    from indicators import published
    from indicators.tidy import _code_map

    parts = [p for p in parts if len(p)]
    if not parts:
        return published.empty_published()
    return published.from_worldbank(pd.concat(parts, ignore_index=True), _code_map("worldbank"))


def build_countries(
    m49_current: pd.DataFrame, m49_legacy: pd.DataFrame, wb_meta: pd.DataFrame, tidy: pd.DataFrame
) -> pd.DataFrame:
    """One row per economy that appears in M49, in the World Bank list, or in the tidy frame.

    ``name`` is English; ``name_zh``, ``name_fr``, ``name_es``, ``name_ar`` and ``name_ru`` are the UN names in the
    other official languages (empty where the taxonomy has none).
    """
    cur = m49_current.dropna(subset=["iso3"]).set_index("iso3")
    legacy = m49_legacy.dropna(subset=["iso3"]).set_index("iso3")
    wb = wb_meta.loc[~wb_meta["is_aggregate"]].set_index("iso3")
    codes = sorted(set(cur.index) | set(wb.index) | set(tidy["iso3"]))
    out = pd.DataFrame(index=pd.Index(codes, name="iso3"))
    out["m49"] = cur["m49"].reindex(codes).astype("Int64")
    names = cur["name"].reindex(codes)
    if "name" in wb.columns:
        names = names.fillna(wb["name"].reindex(codes))
    out["name"] = names
    out["m49_region"] = cur["region"].reindex(codes)
    out["m49_subregion"] = cur["subregion"].reindex(codes)
    for flag in ("ldc", "lldc", "sids"):
        out[flag] = cur[flag].reindex(codes).fillna(False).astype(bool)
    out["development_m49_legacy"] = legacy["development"].reindex(codes)
    out["wb_region"] = wb["region"].reindex(codes)
    out["wb_income_group"] = wb["income_group"].reindex(codes)
    out["in_m49"] = out.index.isin(cur.index)
    # Names in the other UN languages, from hdx-python-country's bundled taxonomy (offline; see indicators/names.py),
    # so the app reads them from the snapshot and never imports hdx at run time.
    from indicators.names import un_names

    out = out.join(un_names(codes))
    return out.reset_index()


def build_provenance(
    inputs: dict, records: dict[str, list[dict]], tidy: pd.DataFrame, published: pd.DataFrame | None = None
) -> dict:
    """Per source: publisher facts from inputs.yml, every input file with sha256, and the rows it contributes."""
    sources = {}
    for key, files in records.items():
        facts = dict(inputs["publishers"][key])
        vintages = sorted({f["vintage"] for f in files if f.get("vintage")})
        sources[key] = {
            **facts,
            "vintage": vintages[-1] if vintages else None,
            "vintages": vintages,
            "files": files,
            "tidy_rows": int((tidy["source"] == key).sum()),
            "indicators": sorted(set(tidy.loc[tidy["source"] == key, "indicator"])),
        }
        if published is not None and key in set(published["source"]):
            mine = published[published["source"] == key]
            sources[key]["published_rows"] = len(mine)
            sources[key]["published_indicators"] = sorted(set(mine["indicator"]))
    return {
        "built": dt.date.today().isoformat(),
        "builder": "python -m indicators snapshot",
        "tidy_rows": len(tidy),
        "sources": sources,
    }


def render_readme(provenance: dict) -> str:
    """data/README.md: the provenance and licences in words."""
    lines = [
        "# The embedded snapshot",
        "",
        f"Built {provenance['built']} by `{provenance['builder']}` from the publishers' files; "
        f"{provenance['tidy_rows']:,} observations. Do not edit by hand: rebuild with `make snapshot` "
        "(offline, from the publisher files) or `make refresh` (online).",
        "",
        "Each observation keeps its publisher, upstream series code and vintage. Licences differ by source: "
        "**ITU data are CC BY-NC-SA 3.0 IGO (non-commercial, share-alike)**; World Bank data are CC BY 4.0.",
        "",
        "`group_aggregates.parquet` holds our own population-weighted aggregates of these rows for every group, "
        "indicator and sex (method and coverage rule: the app's About page), computed when the snapshot is written; "
        "each aggregate carries the licence of its indicator's source.",
        "",
        "`publisher_aggregates.parquet` holds the publishers' own group estimates (ITU Key ICT indicators, the UN SDG "
        "database's group rows, the World Bank's aggregate rows), each with its publisher, edition and own group name; "
        "they are shown beside ours and never mixed into them. Each series of `tidy.parquet` comes from one source "
        "(the registry's precedence): `superseded.csv` lists, economy by economy, the sources dropped and why; "
        "`previous_vintages.parquet` keeps the rows of earlier vintages of the same series (what a release revised).",
        "",
        "`breaks.csv` lists the series breaks: one row per economy, indicator, sex and year from which a value is not "
        "comparable with the one before it (`kind`: definition, method, source, or withdrawn where a newer release "
        "removed values an older one held), with the publisher's own words (`note`, e.g. ITU's dataNote) and where "
        "they come from (`origin`: the file and the row, or the two files compared). Never interpolate or fit a "
        "trend across a break. The rules that read them are in `indicators/breaks.py`.",
        "",
        "| source | publisher | licence | vintage | indicators | rows |",
        "|---|---|---|---|---|---|",
    ]
    for key, s in provenance["sources"].items():
        lines.append(
            f"| {key} | [{s['publisher']}]({s['url']}) | [{s['licence']}]({s['licence_url']}) | "
            f"{s.get('vintage') or 'not stated'} | {', '.join(s['indicators']) or '(reference table)'} | "
            f"{s['tidy_rows']:,} |"
        )
    lines += ["", "## Input files", "", "| source | file | vintage | retrieved | sha256 |", "|---|---|---|---|---|"]
    for key, s in provenance["sources"].items():
        for f in s["files"]:
            where = f.get("path") or f.get("url")
            digest = f"`{f['sha256'][:16]}…`" if f.get("sha256") else "(live API response)"
            lines.append(f"| {key} | `{where}` | {f.get('vintage') or '—'} | {f.get('retrieved') or '—'} | {digest} |")
    notes = [(key, s["licence_note"]) for key, s in provenance["sources"].items() if s.get("licence_note")]
    if notes:
        lines += ["", "Notes on licences and copies:", ""]
        lines += [f"- {key}: {note}" for key, note in notes]
    lines += ["", "Citations:", ""]
    lines += [f"- {s['citation']}" for s in provenance["sources"].values()]
    return "\n".join(lines) + "\n"


def write_snapshot(snap: Snapshot, data_dir: Path = DATA_DIR, *, extra: Mapping[str, str] | None = None) -> Path:
    """Write the whole snapshot into a new directory and make it current in one atomic step (see
    ``indicators.snapshot_layout``); returns the new directory.

    Every file (and each of ``extra``: name → text, e.g. the refresh report) is written to a staging directory, read
    back and validated, and listed in its manifest with its size, sha256 and rows; only then is ``data/CURRENT``
    switched to it. Any failure before the switch, or a crash at any instant, leaves the current snapshot as it was;
    leftovers of an earlier killed write are removed first."""
    from indicators import published
    from indicators.breaks import empty_breaks, read_breaks, write_breaks
    from indicators.groups import read_membership, write_membership

    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    layout.remove_leftovers(data_dir)
    staging = layout.new_staging(data_dir)
    try:
        snap.tidy.to_parquet(staging / "tidy.parquet", index=False, compression="zstd")
        published.typed(snap.publisher_aggregates).to_parquet(
            staging / "publisher_aggregates.parquet", index=False, compression="zstd"
        )
        group_aggregates = snap.group_aggregates
        if group_aggregates is None:  # always written with the rest, so it never outlives the tidy frame it came from
            group_aggregates = compute_group_aggregates(snap)
        group_aggregates.to_parquet(staging / GROUP_AGGREGATES, index=False, compression="zstd")
        superseded = snap.superseded if snap.superseded is not None else pd.DataFrame(columns=list(SUPERSEDED_COLUMNS))
        superseded.to_csv(staging / SUPERSEDED, index=False, lineterminator="\n")
        previous = snap.previous_vintages if snap.previous_vintages is not None else snap.tidy.iloc[0:0]
        previous.to_parquet(staging / PREVIOUS_VINTAGES, index=False, compression="zstd")
        write_breaks(snap.breaks if snap.breaks is not None else empty_breaks(), staging / BREAKS)
        write_membership(snap.membership, staging / "membership.csv")
        snap.countries.to_csv(staging / "countries.csv", index=False, lineterminator="\n")
        (staging / "provenance.json").write_text(
            json.dumps(snap.provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        (staging / "README.md").write_text(render_readme(snap.provenance), encoding="utf-8")
        for name, text in (extra or {}).items():
            if name in (*FILES, GROUP_AGGREGATES, SUPERSEDED, PREVIOUS_VINTAGES, BREAKS, "README.md", layout.MANIFEST):
                raise SnapshotError(f"{name}: an extra file may not replace a snapshot file")
            (staging / name).write_text(text, encoding="utf-8")
        # Read back what was written before anything replaces the last good snapshot.
        tidy = pd.read_parquet(staging / "tidy.parquet")
        validate_tidy(tidy, origin=str(staging / "tidy.parquet"))
        rows = {
            "tidy.parquet": len(tidy),
            "publisher_aggregates.parquet": len(pd.read_parquet(staging / "publisher_aggregates.parquet")),
            "membership.csv": len(read_membership(staging / "membership.csv")),
            "countries.csv": len(_read_countries(staging / "countries.csv")),
            SUPERSEDED: len(_read_superseded(staging / SUPERSEDED)),
            PREVIOUS_VINTAGES: len(pd.read_parquet(staging / PREVIOUS_VINTAGES)),
            BREAKS: len(read_breaks(staging)),
        }
        json.loads((staging / "provenance.json").read_text(encoding="utf-8"))
        stored = pd.read_parquet(staging / GROUP_AGGREGATES)
        if list(stored.columns) != list(AGG_COLUMNS):
            raise SnapshotError(f"{GROUP_AGGREGATES}: unexpected columns")
        rows[GROUP_AGGREGATES] = len(stored)
        manifest = layout.write_manifest(staging, rows, aggregates_of="tidy.parquet")
        layout.verify(staging)
        return layout.publish(staging, data_dir, tag=manifest["files"]["tidy.parquet"]["sha256"][:10])
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already once published


def current_dir(data_dir: Path = DATA_DIR) -> Path:
    """The directory of the current snapshot in ``data_dir`` (``data_dir/snapshots/<CURRENT>``): the one place every
    reader — the app, the CLI, the benchmarks, the tests — finds the snapshot's files."""
    return layout.current_dir(Path(data_dir))


def has_snapshot(data_dir: Path = DATA_DIR) -> bool:
    """True when ``data_dir`` has a current snapshot (not verified)."""
    return layout.has_snapshot(Path(data_dir))


def _read_countries(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, na_values=[""], dtype={"m49": "Int64"})


def _read_superseded(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, keep_default_na=False, na_values=[""])


def read_snapshot(data_dir: Path = DATA_DIR) -> Snapshot:
    """Read the current snapshot of ``data_dir``, verified against its manifest (files, sizes, sha256, row counts,
    the group aggregates bound to this tidy frame); SnapshotError names a missing, altered or unreadable file."""
    from indicators.breaks import read_breaks
    from indicators.groups import read_membership

    folder = current_dir(data_dir)
    manifest = layout.verify(folder)
    missing = [n for n in FILES if not (folder / n).is_file()]
    if missing:
        raise SnapshotError(f"snapshot in {folder} is incomplete: missing {missing}; run `make snapshot`")
    try:
        tidy = pd.read_parquet(folder / "tidy.parquet")
        aggregates = pd.read_parquet(folder / "publisher_aggregates.parquet")
        membership = read_membership(folder / "membership.csv")
        countries = _read_countries(folder / "countries.csv")
        provenance = json.loads((folder / "provenance.json").read_text(encoding="utf-8"))
        # optional (a snapshot whose manifest does not list them): the app then computes aggregates itself
        group_aggregates = pd.read_parquet(folder / GROUP_AGGREGATES) if (folder / GROUP_AGGREGATES).is_file() else None
        superseded = _read_superseded(folder / SUPERSEDED) if (folder / SUPERSEDED).is_file() else None
        previous = pd.read_parquet(folder / PREVIOUS_VINTAGES) if (folder / PREVIOUS_VINTAGES).is_file() else None
        breaks = read_breaks(folder)  # the empty table for a snapshot written before breaks.csv existed
    except (OSError, ValueError) as err:
        raise SnapshotError(f"snapshot in {folder} could not be read: {err}") from err
    for name, frame in (
        ("tidy.parquet", tidy),
        ("publisher_aggregates.parquet", aggregates),
        ("membership.csv", membership),
        ("countries.csv", countries),
        (GROUP_AGGREGATES, group_aggregates),
        (SUPERSEDED, superseded),
        (PREVIOUS_VINTAGES, previous),
        (BREAKS, breaks),
    ):
        if frame is not None:
            layout.check_rows(folder, manifest, name, len(frame))
    from indicators import published

    aggregates = published.typed(aggregates)  # also fills the columns a first-release snapshot lacks
    return Snapshot(tidy, aggregates, membership, countries, provenance, group_aggregates, superseded, previous, breaks)


def compute_group_aggregates(snap: Snapshot) -> pd.DataFrame:
    """Every group aggregate of the snapshot's tidy frame under its dated membership, never filled across the
    snapshot's series breaks (its ``breaks`` table, when it has one)."""
    from indicators.groups import Groups

    return all_group_aggregates(snap.tidy, Groups(snap.membership), breaks=getattr(snap, "breaks", None))
