"""The A/RES/80/173 (WSIS+20) seed: it loads and validates through the project's loader, names registry
indicators and existing targets, and every numeral it records is printed in the paragraph it is attributed to.

The English PDF lives outside the repository (``../shared/seeds/A_RES_80_173.pdf``, or ``$SHARED_SEEDS``); the
text checks skip with a reason when it, or poppler's ``pdftotext``, is absent.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from indicators import PROJECT_DIR
from indicators.registry import load_registry
from indicators.targets import (
    SEED_QUALIFIERS,
    SEED_UNITS,
    known_groups,
    load_seed_document,
    load_seeds,
    load_targets,
    parse_seeds,
    validate_seeds,
)

SEED_PATH = PROJECT_DIR / "seeds" / "resolution_80_173.yml"
SHARED_SEEDS = Path(os.environ.get("SHARED_SEEDS", PROJECT_DIR.parent / "shared" / "seeds")).resolve()
PDF = SHARED_SEEDS / "A_RES_80_173.pdf"
LAST_PARAGRAPH = 127


@pytest.fixture(scope="module")
def doc() -> dict:
    return load_seed_document(SEED_PATH)


@pytest.fixture(scope="module")
def seeds():
    return load_seeds(SEED_PATH)


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _figures(seeds, num):
    """¶num's figures keyed by (indicator or measure, group, sex, year, unit[, area])."""
    out = {}
    for f in seeds[num].figures:
        key = (f.get("indicator") or f["measure"], f["group"], f.get("sex", "total"), f["year"], f["unit"])
        out[(*key, f["area"]) if "area" in f else key] = f
    return out


# ---- the seed file through the project's loader -----------------------------------------------------------------


def test_seed_loads_and_validates(doc, seeds, registry):
    assert parse_seeds(doc, origin=str(SEED_PATH)) == seeds
    validate_seeds(seeds, registry, known_groups())
    assert set(seeds) == {16, 20, 21, 22, 27, 37, 116, 127}


def test_document_metadata(doc):
    meta = doc["document"]
    assert meta["symbol"] == "A/RES/80/173"
    assert meta["adopted"] == "2025-12-17"
    assert meta["url"] == "https://undocs.org/A/RES/80/173"
    assert "A_RES_80_173.pdf" in meta["text_checked"]
    assert meta["title"]["en"] and meta["title"]["zh"]
    assert meta["short_title"]["en"] and meta["short_title"]["zh"] and meta["paragraph_marking"]


def test_every_indicator_id_is_in_the_registry(seeds, registry):
    for num, para in seeds.items():
        for i, fig in enumerate(para.figures):
            where = f"¶{num} figure #{i + 1}"
            ind, rel = fig.get("indicator"), fig.get("related_indicator")
            assert ind is not None or (fig.get("measure") and rel), f"{where}: null indicator needs measure + related"
            for name in (ind, rel):
                assert name is None or name in registry, f"{where}: {name!r} is not in the registry"
            if ind is not None:
                assert fig.get("sex", "total") in registry[ind].sexes, f"{where}: {ind} not published by that sex"
            assert fig["unit"] in SEED_UNITS and fig["qualifier"] in SEED_QUALIFIERS, where
            assert isinstance(fig["as_written"], str) and fig["as_written"], where


def test_listed_targets_exist(seeds):
    ids = {t.id for t in load_targets()}
    for num, para in seeds.items():
        for tid in (*para.targets, *para.related_targets):
            assert tid in ids, f"¶{num} lists {tid!r}, which targets.yml lacks"


def test_key_figures(seeds):
    f20 = _figures(seeds, 20)
    assert f20[("internet_users", "WLD", "total", 2005, "percent")]["value"] == 15
    assert f20[("internet_users", "WLD", "total", 2005, "percent")]["qualifier"] == "over"
    assert f20[("internet_users", "WLD", "total", 2025, "percent")]["value"] == 74
    assert f20[("coverage_4g", "WLD", "total", 2025, "percent")]["value"] == 93
    assert f20[("coverage_4g", "WLD", "total", 2025, "percent")]["qualifier"] == "over"
    assert f20[("mobile_ownership", "WLD", "total", 2025, "percent")]["value"] == 82

    f21 = _figures(seeds, 21)
    assert f21[("internet_users", "HIC", "total", 2025, "percent")]["value"] == 94
    assert f21[("internet_users", "LIC", "total", 2025, "percent")]["value"] == 23
    urban = f21[("Internet users, urban/rural share", "WLD", "total", 2025, "percent", "urban")]
    rural = f21[("Internet users, urban/rural share", "WLD", "total", 2025, "percent", "rural")]
    assert (urban["value"], urban["qualifier"], rural["value"]) == (85, "near", 58)
    assert urban["indicator"] is None and urban["related_indicator"] == "internet_users"

    f22 = _figures(seeds, 22)
    women, men = (f22[("internet_users", "WLD", sex, 2025, "percent")] for sex in ("female", "male"))
    assert (women["value"], men["value"], men["qualifier"]) == (71, 77, "near")
    phones = {f["sex"]: f for f in seeds[22].figures if f.get("related_indicator") == "mobile_ownership"}
    assert (phones["female"]["value"], phones["male"]["value"]) == (78, 87)

    f16 = _figures(seeds, 16)
    offline = f16[("individuals not using the Internet, % of population", "WLD", "total", 2025, "percent")]
    assert (offline["value"], offline["as_written"]) == (33.3, "A third")


def test_commitment_paragraphs_have_no_figures(seeds):
    for num in (27, 37, 116, 127):
        assert seeds[num].figures == (), f"¶{num} states no figure"
        assert seeds[num].targets == ()
    assert [m["deadline"] for m in seeds[37].milestones] == ["2030"]
    assert [m["deadline"] for m in seeds[127].milestones] == ["2035"]


# ---- against the English PDF ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_text() -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot check the seed against the PDF")
    if not PDF.is_file():
        pytest.skip(f"resolution PDF not found at {PDF} (set SHARED_SEEDS=dir holding A_RES_80_173.pdf)")
    out = subprocess.run([exe, "-layout", str(PDF), "-"], capture_output=True, text=True, check=True)
    return out.stdout


@pytest.fixture(scope="module")
def paragraphs(pdf_text) -> dict[int, str]:
    """Operative ¶1-127, each found after the previous one (an indented line: number, full stop, spaces), its
    body running to the next paragraph's start, whitespace collapsed (so "23 per\\n cent" reads "23 per cent")."""
    starts: list[tuple[int, int]] = []
    pos = 0
    for num in range(1, LAST_PARAGRAPH + 1):
        m = re.compile(rf"^[ \t]+{num}\.[ \t]+(?=\S)", re.M).search(pdf_text, pos)
        assert m, f"¶{num} not found in the PDF text after ¶{num - 1}"
        starts.append((num, m.end()))
        pos = m.end()
    ends = [m.start() for m in re.finditer(r"^[ \t]+\d+\.[ \t]+(?=\S)", pdf_text, re.M)]
    out = {}
    for num, start in starts:
        end = next((e for e in ends if e > start), len(pdf_text))
        out[num] = " ".join(pdf_text[start:end].split())
    return out


def _occurs(needle: str, body: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(needle)}(?!\w)", body) is not None


def test_pdf_is_the_resolution(pdf_text):
    flat = " ".join(pdf_text.split())
    assert "A/RES/80/173" in flat
    assert "Resolution adopted by the General Assembly on 17 December 2025" in flat
    assert "Outcome document of the high-level meeting" in flat


def test_pdf_has_127_numbered_paragraphs(paragraphs, pdf_text):
    assert len(paragraphs) == LAST_PARAGRAPH
    assert not re.search(rf"^[ \t]+{LAST_PARAGRAPH + 1}\.[ \t]", pdf_text, re.M)


def test_as_written_numerals_are_in_their_paragraph(seeds, paragraphs):
    for num, para in seeds.items():
        body = paragraphs[num]
        for item in (*para.figures, *para.milestones):
            assert _occurs(item["as_written"], body), f"¶{num}: {item['as_written']!r} not in the paragraph"


def test_wording_the_seed_relies_on(paragraphs, pdf_text):
    assert "A third of the world" in paragraphs[16]  # no "about": see the ¶16 note
    assert "4G networks" in paragraphs[20] and "own a mobile phone" in paragraphs[20]
    assert "just over 15 per cent in 2005" in paragraphs[20] and "74 per cent in 2025" in paragraphs[20]
    assert "below 20 per cent in some countries" in paragraphs[21]
    assert "almost 85 per cent" in paragraphs[21] and "rural areas is 58 per cent" in paragraphs[21]
    assert "use a mobile phone" in paragraphs[22]  # ¶22 says "use", ¶20 "own": see the ¶22 note
    assert "almost 77 per cent of men" in paragraphs[22]
    assert "entry-level broadband" in paragraphs[27]
    assert "every school to the Internet by 2030" in paragraphs[37]
    assert "targets, indicators and metrics" in paragraphs[116]
    assert "in 2035" in paragraphs[127]
    flat = " ".join(pdf_text.split())
    assert "2020" not in flat and "parity" not in flat.lower()  # the ¶22 note says so
