"""The /country search (issue 15 §3): what each economy is found by, folded the same way on the server
(``components.search_text``) and in the page's script (app/assets/country-search.js)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from app.components import search_key, search_matches, search_text

SCRIPT = Path(__file__).resolve().parent.parent / "app" / "assets" / "country-search.js"
SAMPLES = ["Côte d’Ivoire", "CURAÇAO", "Réunion", "  São  Tomé-and-Príncipe ", "Lao People's Democratic Republic",
           "科特迪瓦", "中国香港特别行政区", "ＫＥＮ", "Türkiye", "Ångström_x", ""]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Côte d’Ivoire", "cote d ivoire"),
        ("CURAÇAO", "curacao"),
        ("  São  Tomé-and-Príncipe ", "sao tome and principe"),
        ("科特迪瓦", "科特迪瓦"),
        ("ＫＥＮ", "ken"),  # full-width letters, as a Chinese keyboard may type them
        ("", ""),
    ],
)
def test_search_text_drops_accents_case_and_punctuation(text, folded):
    assert search_text(text) == folded


def test_an_economy_is_found_by_its_english_and_chinese_names_and_its_code():
    from app.context import get_data

    key = search_key(get_data(), "CIV")
    for typed in ("côte", "COTE D'IVOIRE", "ivoire", "科特迪瓦", "迪瓦", "civ", "CIV", ""):
        assert search_matches(typed, key), typed
    for typed in ("kenya", "肯尼亚", "cote divoire", "civx"):
        assert not search_matches(typed, key), typed


def test_a_match_never_spans_two_names():
    from app.context import get_data

    key = search_key(get_data(), "KEN")  # kenya|肯尼亚|ken
    assert not search_matches("kenya 肯", key) and not search_matches("亚 ken", key)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_page_script_folds_as_the_server_does():
    program = (
        "global.window = {};"
        f"eval(require('fs').readFileSync({json.dumps(str(SCRIPT))}, 'utf8'));"
        f"console.log(JSON.stringify({json.dumps(SAMPLES)}.map(window.dash_clientside.countries.fold)));"
    )
    out = subprocess.run(["node", "-e", program], capture_output=True, text=True, check=True, timeout=30)
    assert json.loads(out.stdout) == [search_text(s) for s in SAMPLES]
