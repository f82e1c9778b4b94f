"""The bytes of a snapshot folder, for "byte-identical" and "what changed" assertions (versioned layout:
``data/CURRENT`` and ``data/snapshots/<name>/``; ``indicators.snapshot_layout``)."""

from __future__ import annotations

from pathlib import Path

from indicators.snapshot import current_dir


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path: the whole of ``data/``, pointer and leftovers included."""
    folder = Path(folder)
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def current_files(folder: Path) -> dict[str, bytes]:
    """The files of the current snapshot of ``folder``, by name."""
    return {p.name: p.read_bytes() for p in sorted(current_dir(folder).iterdir())}
