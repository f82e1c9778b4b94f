"""Safe, informative download file names: ``internet-users_LDC-SIDS_2005-2024.png``.

Every part is slugified to ``[A-Za-z0-9-]`` (anything else becomes ``-``), parts are joined with ``_``, the stem is
capped, and the extension comes from a fixed list, so nothing from a URL reaches a file system or a header as is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

EXTENSIONS = ("png", "svg", "pdf", "csv", "xlsx", "zip", "json")
MAX_PART = 40
MAX_STEM = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def slug(text: object, *, keep_case: bool = True) -> str:
    """``text`` as ASCII letters, digits and single hyphens (accents folded; other characters dropped)."""
    folded = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    out = _UNSAFE.sub("-", folded).strip("-")[:MAX_PART].strip("-")
    return out if keep_case else out.lower()


def file_name(parts: Iterable[object], ext: str) -> str:
    """Slugified non-empty ``parts`` joined with ``_`` plus a whitelisted extension; ``export`` if nothing is left."""
    if ext not in EXTENSIONS:
        raise ValueError(f"unknown extension {ext!r}")
    slugs = [s for s in (slug(p) for p in parts if p not in (None, "")) if s]
    stem = "_".join(slugs)[:MAX_STEM].strip("_-") or "export"
    return f"{stem}.{ext}"


def codes_part(codes: Iterable[str]) -> str:
    """``LDC-SIDS`` from a list of group or country codes."""
    return "-".join(slug(c) for c in codes if slug(c))


def years_part(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return ""
    if start == end or end is None:
        return str(start)
    return f"{start}-{end}"
