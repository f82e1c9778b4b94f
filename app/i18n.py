"""UI strings from one catalogue file per language (``app/locales/<lang>.yml``).

Adding a language means adding one catalogue file with every key of ``en.yml`` (a test enforces it). Indicator,
group and target names come from their own registries (``title: {en, zh}``), not from here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LANG = "en"


@cache
def catalogue(lang: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{lang}.yml"
    with open(path, encoding="utf-8") as fh:
        return _flatten(yaml.safe_load(fh) or {})


def _flatten(doc: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in doc.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, full + "."))
        else:
            out[full] = str(value)
    return out


def languages() -> list[str]:
    return sorted(p.stem for p in LOCALES_DIR.glob("*.yml"))


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)`` in ``lang``; falls back to English, then to the key itself."""
    lang = lang if lang in languages() else DEFAULT_LANG
    primary, fallback = catalogue(lang), catalogue(DEFAULT_LANG)

    def t(key: str, **values) -> str:
        text = primary[key] if key in primary else fallback.get(key, key)
        return text.format(**values) if values else text

    t.lang = lang  # type: ignore[attr-defined]
    return t


def format_number(value: float | None, lang: str, digits: int = 1) -> str:
    """A number for people: thousands grouped, fixed decimals; '–' for missing. Same digits in en and zh."""
    if value is None or value != value:
        return "–"
    if abs(value) >= 1e9:
        return f"{value / 1e9:,.2f} bn" if lang == "en" else f"{value / 1e8:,.2f} 亿"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.1f} m" if lang == "en" else f"{value / 1e4:,.0f} 万"
    return f"{value:,.{digits}f}"
