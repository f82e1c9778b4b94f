"""The public base URL that permalinks inside downloads start with: ``PUBLIC_BASE_URL`` (e.g.
``https://divide.example.org`` or ``https://example.org/divide``), else none, and the links are relative
(``/data.csv?…``). Read once into ``Settings.public_base_url`` (app/settings.py), checked here, so a malformed
value stops the start, not the first download.

Never the request's Host header: a forged ``Host: evil.example`` would otherwise be written into CSV/JSON/PDF files
that are served ``Cache-Control: public`` (a cache between the app and its users could hand them to everyone).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_UNSAFE = re.compile(r"[\s\"'<>\\`{}|^]|[\x00-\x1f\x7f]")


def parse_base_url(value: str) -> str:
    """``value`` without its trailing slash, or ValueError unless it is an http(s) URL of a host and a path."""
    value = value.strip()
    if not value:
        return ""
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username
        or parts.password
        or parts.query
        or parts.fragment
        or _UNSAFE.search(value)
    ):
        raise ValueError(f"PUBLIC_BASE_URL={value[:80]!r}: use http(s)://host[:port][/path], no query or fragment")
    return value.rstrip("/")
