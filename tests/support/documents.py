"""The PDFs as users download them, built once per test session, and read with the tools users have: poppler's
``pdftotext``/``pdffonts``/``pdfinfo`` (poppler-utils) and pypdf for the outline, metadata and tag tree."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

CHROMIUM = Path("/usr/bin/chromium")
BASE_URL = "https://divide.example.org"
#: code points that must never reach a PDF's text layer: Kangxi radicals and CJK radicals supplement look-alikes,
#: CJK compatibility ideographs, Latin ligatures, private use
FORBIDDEN = re.compile(r"[\u2e80-\u2eff\u2f00-\u2fdf\uf900-\ufaff\ufb00-\ufb06\ue000-\uf8ff]")
#: closing punctuation that must not start a line, opening punctuation that must not end one (Chinese)
CLOSING, OPENING = "）》」』】〕〉，。、：；！？", "（《「『【〔〈"


def need_poppler() -> None:
    if shutil.which("pdftotext") is None or shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils (pdftotext, pdffonts) is needed to read the PDFs")
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is needed to draw the charts")


@cache
def pack(lang: str, paper: str = "a4", base_url: str = "", groups: str = "LDC") -> bytes:
    from app.export import briefing

    return briefing.build_pdf(briefing.spec_for(groups.split(","), lang, paper), base_url=base_url)


@cache
def chart_pdf(chart: str, query: tuple, base_url: str = "") -> bytes:
    from app.export import charts
    from app.export.formats import export_bytes

    return export_bytes(charts.build(chart, dict(query), base_url=base_url), "pdf")


def text(pdf: bytes, *, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    """``pdftotext`` of ``pdf`` as it extracts it (no normalisation: the code points are what is checked)."""
    cmd = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
    cmd += ["-f", str(first)] if first else []
    cmd += ["-l", str(last)] if last else []
    return subprocess.run([*cmd, "-", "-"], input=pdf, capture_output=True, check=True, timeout=120).stdout.decode()


def fonts(pdf: bytes) -> list[str]:
    out = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout.decode()
    return out.splitlines()[2:]


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def outline_titles(pdf: bytes) -> list[tuple[int, str]]:
    """(depth, title) of every outline entry, in order."""
    out: list[tuple[int, str]] = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                out.append((depth, item.title))

    walk(reader(pdf).outline, 0)
    return out


def page_sizes(pdf: bytes) -> set[tuple[float, float]]:
    return {(round(float(p.mediabox.width), 1), round(float(p.mediabox.height), 1)) for p in reader(pdf).pages}


def struct_roles(pdf: bytes) -> set[str]:
    """The structure types used in the tag tree."""
    root = reader(pdf).trailer["/Root"]
    roles: set[str] = set()

    def walk(node, depth=0):
        if depth > 60:
            return
        node = node.get_object()
        if isinstance(node, list):
            for kid in node:
                walk(kid, depth + 1)
            return
        if not hasattr(node, "get"):
            return
        if "/S" in node:
            roles.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is not None:
            walk(kids, depth + 1)

    walk(root["/StructTreeRoot"])
    return roles
