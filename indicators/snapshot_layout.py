"""Where the snapshot lives in ``data/``: versioned directories, one of them current, switched in one atomic step.

::

    data/CURRENT                      one line: the name of the current snapshot directory
    data/snapshots/<name>/            one whole snapshot (tidy.parquet, …, README.md) and its manifest.json

A write fills ``data/snapshots/.staging-…`` whole (every file fsync'd, read back and validated, its manifest last),
renames it to ``data/snapshots/<UTC time>-<tidy digest>``, and only then makes it current by replacing
``data/CURRENT`` with ``os.replace`` (atomic on POSIX and Windows) and fsyncing ``data/``. A crash at any instant
leaves ``CURRENT`` naming either the old directory or the new one, each complete; readers resolve ``CURRENT`` once
(:func:`current_dir`) and read only that directory. After the switch the previous snapshot is removed, and the next
write removes whatever a killed write left (staging folders, a directory never made current, the temporary pointer),
so ``data/`` holds one snapshot: the repository does not grow a copy per refresh.

Why a pointer file and not a ``data/current`` symlink: both switch atomically, but a pointer is a plain one-line
file — git stores and diffs it the same everywhere (a symlink is checked out as a text file on Windows, or where
``core.symlinks`` is false, and is dereferenced by some copy and archive tools), it needs no temporary symlink to
swap, and ``cat data/CURRENT`` says which snapshot is live.

Each snapshot's ``manifest.json`` lists every file with its size, sha256 and row count, and the sha256 of the tidy
frame (``tidy.parquet``) the group aggregates were computed from. :func:`verify` checks a directory against it; the
reader does on every load and ``python -m indicators check`` reports it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

POINTER = "CURRENT"
SNAPSHOTS = "snapshots"
MANIFEST = "manifest.json"
STAGING_PREFIX = ".staging-"
MANIFEST_FORMAT = 1
#: a snapshot directory's name: what ``CURRENT`` may hold (no path separators, no leading dot)
_NAME = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")


class SnapshotError(RuntimeError):
    """The snapshot could not be built, written or read; the message says which file and why."""


class LayoutError(SnapshotError):
    """No current snapshot, or one that does not match its manifest; the message names the directory."""


def current_dir(data_dir: Path) -> Path:
    """The current snapshot's directory, ``data_dir/snapshots/<the name in data_dir/CURRENT>``."""
    data_dir = Path(data_dir)
    pointer = data_dir / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise LayoutError(
            f"snapshot in {data_dir} is incomplete: missing {POINTER} (the pointer to the current snapshot); "
            "run `make snapshot`"
        ) from None
    except (OSError, UnicodeDecodeError) as err:
        raise LayoutError(f"snapshot in {data_dir}: {POINTER} cannot be read ({err})") from err
    if not _NAME.match(name):
        raise LayoutError(f"snapshot in {data_dir}: {POINTER} holds {name[:80]!r}, not a snapshot directory name")
    folder = data_dir / SNAPSHOTS / name
    if not folder.is_dir():
        raise LayoutError(f"snapshot in {data_dir}: {POINTER} names {SNAPSHOTS}/{name}, which does not exist")
    return folder


def has_snapshot(data_dir: Path) -> bool:
    """True when ``data_dir`` has a current snapshot directory (no verification)."""
    try:
        current_dir(data_dir)
    except LayoutError:
        return False
    return True


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def new_staging(data_dir: Path) -> Path:
    """An empty staging directory beside the snapshots (same file system, so the rename is atomic)."""
    root = Path(data_dir) / SNAPSHOTS
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))


def write_manifest(folder: Path, rows: Mapping[str, int | None], aggregates_of: str) -> dict:
    """Write ``folder/manifest.json`` for every file in ``folder`` (``rows``: row counts by file name) and the name
    of the tidy file the group aggregates were computed from (``aggregates_of``); fsync everything."""
    files = {}
    for path in sorted(p for p in folder.iterdir() if p.name != MANIFEST):
        if not path.is_file():
            raise LayoutError(f"{path}: not a file; a snapshot holds files only")
        _fsync_file(path)
        files[path.name] = {"bytes": path.stat().st_size, "sha256": sha256_file(path), "rows": rows.get(path.name)}
    manifest = {
        "format": MANIFEST_FORMAT,
        "files": files,
        "group_aggregates_computed_from": {"file": aggregates_of, "sha256": files[aggregates_of]["sha256"]},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    _fsync_file(folder / MANIFEST)
    _fsync_dir(folder)
    return manifest


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LayoutError(f"snapshot in {folder} has no {MANIFEST}") from None
    except (OSError, ValueError) as err:
        raise LayoutError(f"snapshot in {folder}: {MANIFEST} cannot be read ({err})") from err
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise LayoutError(f"snapshot in {folder}: {MANIFEST} is not a format-{MANIFEST_FORMAT} manifest")
    return manifest


def verify(folder: Path) -> dict:
    """Check ``folder`` against its manifest: the same files, each of its size and sha256, and the group aggregates
    bound to this tidy file. Returns the manifest; LayoutError names the file and the rule broken."""
    manifest = read_manifest(folder)
    files = manifest.get("files") or {}
    present = sorted(p.name for p in folder.iterdir() if p.name != MANIFEST)
    missing = sorted(set(files) - set(present))
    if missing:
        raise LayoutError(f"snapshot in {folder} is incomplete: missing {missing} (listed in its {MANIFEST})")
    extra = sorted(set(present) - set(files))
    if extra:
        raise LayoutError(f"snapshot in {folder} holds {extra}, which its {MANIFEST} does not list")
    for name, rec in files.items():
        path = folder / name
        if path.stat().st_size != rec.get("bytes") or sha256_file(path) != rec.get("sha256"):
            raise LayoutError(f"snapshot in {folder}: {name} does not match its {MANIFEST} (size or sha256)")
    bound = manifest.get("group_aggregates_computed_from") or {}
    tidy = files.get(bound.get("file"), {})
    if bound and bound.get("sha256") != tidy.get("sha256"):
        raise LayoutError(
            f"snapshot in {folder}: the group aggregates were computed from another {bound.get('file')} "
            f"(sha256 {str(bound.get('sha256'))[:12]}…, this one is {str(tidy.get('sha256'))[:12]}…)"
        )
    return manifest


def check_rows(folder: Path, manifest: dict, name: str, rows: int) -> None:
    """LayoutError unless ``name`` read back with the row count its manifest states."""
    want = (manifest.get("files", {}).get(name) or {}).get("rows")
    if want is not None and want != rows:
        raise LayoutError(f"snapshot in {folder}: {name} has {rows:,} rows, its {MANIFEST} says {want:,}")


def publish(staging: Path, data_dir: Path, tag: str) -> Path:
    """Make the complete, verified ``staging`` directory the current snapshot in one atomic step; returns its
    final directory. The previous snapshot is removed once the switch is on disk."""
    data_dir = Path(data_dir)
    root = data_dir / SNAPSHOTS
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"{stamp}-{tag}"
    n = 1
    while (root / name).exists():
        n += 1
        name = f"{stamp}-{tag}-{n}"
    final = root / name
    os.rename(staging, final)
    _fsync_dir(root)
    fd, tmp = tempfile.mkstemp(prefix=f".{POINTER}-", dir=data_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, data_dir / POINTER)  # the switch
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        shutil.rmtree(final, ignore_errors=True)
        raise
    _fsync_dir(data_dir)
    remove_leftovers(data_dir)
    return final


#: the files of the flat layout used before versioned directories (removed from data/ once a snapshot is current)
LEGACY_FILES = (
    "tidy.parquet",
    "publisher_aggregates.parquet",
    "group_aggregates.parquet",
    "superseded.csv",
    "previous_vintages.parquet",
    "membership.csv",
    "countries.csv",
    "provenance.json",
    "README.md",
    "refresh_report.json",
)


def remove_leftovers(data_dir: Path) -> list[Path]:
    """Remove what is not the current snapshot: staging folders, snapshot directories ``CURRENT`` does not name
    (a previous snapshot, or one a killed write never switched to), temporary pointers, and the flat layout's files
    once a snapshot is current. Returns what was removed."""
    data_dir = Path(data_dir)
    try:
        keep = current_dir(data_dir).name
    except LayoutError:
        keep = None
    removed: list[Path] = []
    root = data_dir / SNAPSHOTS
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        if path.name != keep and (path.is_dir() or path.name.startswith(".")):
            _remove(path)
            removed.append(path)
    for path in sorted(data_dir.glob(f".{POINTER}-*")) + sorted(data_dir.glob(f"{STAGING_PREFIX}*")):
        _remove(path)
        removed.append(path)
    if keep is not None and (data_dir / "tidy.parquet").is_file() and (data_dir / "provenance.json").is_file():
        for name in LEGACY_FILES:
            if (data_dir / name).is_file():
                (data_dir / name).unlink()
                removed.append(data_dir / name)
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    """Make a rename in ``path`` durable (a no-op where directories cannot be opened, e.g. Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
