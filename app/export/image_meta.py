"""What an exported image says about itself, so a chart pasted into a briefing can be traced back.

- PNG: a ``pHYs`` chunk giving the resolution at which the image prints at ``PRINT_WIDTH_CM`` (Word and LibreOffice
  insert it at that width instead of 58 cm), and the standard text keywords ``Title``, ``Source`` (the sources with
  their vintages), ``Copyright`` (the licence line) and ``Description`` (the permalink): ``tEXt`` when the text is
  Latin-1, ``iTXt`` (UTF-8, with the language tag) otherwise.
- SVG: ``<title>``, ``<desc>`` (the chart's summary sentence) and ``<metadata>`` (Dublin Core: title, source,
  rights, identifier = the permalink, language, date), and ``role="img"`` with ``xml:lang`` on the root.

A relative permalink (no ``PUBLIC_BASE_URL``) is written as such, after the catalogue's label saying so.
"""

from __future__ import annotations

import re
import struct
import zlib
from html import escape

#: the print width an exported PNG is meant for: an A4 page's text column (21 cm less 2.5 cm margins)
PRINT_WIDTH_CM = 16.0
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def permalink_text(url: str, t) -> str:
    """The permalink as written into a file: absolute as is, relative after a label saying it is relative."""
    if url.startswith(("http://", "https://")):
        return url
    return f"{t('export.url_relative')}: {url}"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _text_chunk(key: str, value: str, lang: str) -> bytes:
    try:
        return _chunk(b"tEXt", key.encode("latin-1") + b"\0" + value.encode("latin-1"))
    except UnicodeEncodeError:  # iTXt: keyword, no compression, language tag, translated keyword, UTF-8 text
        return _chunk(b"iTXt", key.encode("latin-1") + b"\0\0\0" + lang.encode("ascii") + b"\0\0" + value.encode())


def png_with_metadata(png: bytes, *, fields: dict[str, str], lang: str, print_width_cm: float = PRINT_WIDTH_CM):
    """``png`` with a ``pHYs`` chunk (pixels per metre for ``print_width_cm``) and text chunks after ``IHDR``; any
    ``pHYs`` or text chunk it had is replaced."""
    if not png.startswith(PNG_MAGIC):
        raise ValueError("not a PNG")
    width = struct.unpack(">I", png[16:20])[0]
    per_metre = round(width / (print_width_cm / 100))
    pos, chunks = len(PNG_MAGIC), []
    while pos < len(png):
        size = struct.unpack(">I", png[pos : pos + 4])[0]
        kind = png[pos + 4 : pos + 8]
        chunks.append((kind, png[pos : pos + 12 + size]))
        pos += 12 + size
    ours = _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
    ours += b"".join(_text_chunk(k, v, lang) for k, v in fields.items() if v)
    out = [PNG_MAGIC]
    for kind, raw in chunks:
        if kind in (b"pHYs", b"tEXt", b"iTXt", b"zTXt"):
            continue
        out.append(raw)
        if kind == b"IHDR":
            out.append(ours)
    return b"".join(out)


def svg_with_metadata(svg: bytes, *, title: str, desc: str, fields: dict[str, str], lang: str) -> bytes:
    """``svg`` with ``<title>``, ``<desc>`` and ``<metadata>`` as the root's first children (Dublin Core terms
    ``fields``: title, source, rights, identifier, language, date)."""
    text = svg.decode("utf-8")
    root = re.search(r"<svg\b[^>]*>", text)
    if not root:
        raise ValueError("not an SVG")
    tag = root.group(0)
    attrs = f' xml:lang="{escape(lang)}" role="img" aria-labelledby="chart-title chart-desc"'
    new_tag = tag[:-1].rstrip("/") + attrs + ">" if "xml:lang" not in tag else tag
    dc = "".join(f"<dc:{k}>{escape(v, quote=False)}</dc:{k}>" for k, v in fields.items() if v)
    head = (
        f'<title id="chart-title">{escape(title, quote=False)}</title>'
        f'<desc id="chart-desc">{escape(desc, quote=False)}</desc>'
        '<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><rdf:Description>'
        f"{dc}</rdf:Description></rdf:RDF></metadata>"
    )
    return (text[: root.start()] + new_tag + head + text[root.end() :]).encode("utf-8")
