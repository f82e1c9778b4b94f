"""UI strings from one catalogue file per language (``app/locales/<lang>.yml``), and locale-aware formatting.

Adding a language means adding one catalogue file with every key of ``en.yml`` and the same ``{placeholders}``
(tests/test_i18n.py enforces it). The file name is the language code, which is also the CLDR locale used for
numbers and dates (via Babel), so nothing else has to change. Indicator, group and target names come from their own
registries (``title: {en, zh}``), and country names from the snapshot's ``name_<lang>`` columns, not from here.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import parse_qs

import yaml
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date as _babel_format_date
from babel.numbers import format_compact_decimal, format_decimal

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DEFAULT_LANG = "en"
MISSING = "–"


def catalogue(lang: str) -> dict[str, str]:
    """Every key of ``<lang>.yml`` in :data:`LOCALES_DIR`, flattened (``nav.overview``)."""
    return _catalogue_in(LOCALES_DIR, lang)


@cache
def _catalogue_in(directory: Path, lang: str) -> dict[str, str]:
    return _read_catalogue(directory / f"{lang}.yml")


@cache
def _read_catalogue(path: Path) -> dict[str, str]:
    with open(path, encoding="utf-8") as fh:
        return _flatten(yaml.safe_load(fh) or {})


def _flatten(doc: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in doc.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, full + "."))
        else:
            out[full] = "" if value is None else str(value)
    return out


def languages() -> tuple[str, ...]:
    """The language codes with a catalogue in :data:`LOCALES_DIR`, English first."""
    return _list_languages(LOCALES_DIR)


@cache
def _list_languages(directory: Path) -> tuple[str, ...]:
    codes = sorted(p.stem for p in directory.glob("*.yml"))
    return tuple(sorted(codes, key=lambda c: c != DEFAULT_LANG))


def normalise(lang: str | None) -> str:
    """``lang`` if it has a catalogue, else English."""
    return lang if lang in languages() else DEFAULT_LANG


def lang_of(search: str | None) -> str:
    """The language a query string (``?lang=zh&…``) asks for, normalised."""
    values = parse_qs((search or "").lstrip("?")).get("lang", [DEFAULT_LANG])
    return normalise(values[0] if values else DEFAULT_LANG)


def lang_query(lang: str) -> str:
    """The query string that keeps ``lang`` on a link: ``""`` for English, ``"?lang=zh"`` otherwise."""
    lang = normalise(lang)
    return "" if lang == DEFAULT_LANG else f"?lang={lang}"


def lookup(lang: str, key: str, default: str) -> str:
    """The catalogue's text for ``key`` in ``lang``, else ``default``.

    For text whose English lives in the data files (group definitions, source titles, corrections): the English
    catalogue does not repeat it, and other catalogues translate it under ``data.*``.
    """
    return catalogue(normalise(lang)).get(key) or default


def basket_name(basket: str, lang: str) -> str:
    """An ITU price basket's definition in ``lang`` (``data.basket.<slug>``), else ITU's English wording."""
    slug = "".join(ch if ch.isalnum() else "_" for ch in basket.lower()).strip("_")
    return lookup(lang, f"data.basket.{slug}", basket)


def translator(lang: str) -> Callable[..., str]:
    """``t(key, **values)`` in ``lang``; falls back to English, then to the key itself."""
    lang = normalise(lang)
    primary, fallback = catalogue(lang), catalogue(DEFAULT_LANG)

    def t(key: str, **values) -> str:
        text = primary[key] if key in primary else fallback.get(key, key)
        return text.format(**values) if values else text

    t.lang = lang  # type: ignore[attr-defined]
    return t


# ---------------------------------------------------------------------------------------------------------------
# Locales: the catalogue's code is the CLDR locale
# ---------------------------------------------------------------------------------------------------------------


@cache
def _locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DEFAULT_LANG)


def language_name(lang: str) -> str:
    """The language's name in itself, for the language switch: ``English``, ``中文``."""
    name = _locale(lang).display_name or lang
    return name[:1].upper() + name[1:]


def html_lang(lang: str) -> str:
    """A BCP 47 tag for ``<html lang>``: the language plus its script when CLDR gives one (``zh`` → ``zh-Hans``)."""
    likely = get_global("likely_subtags").get(lang, lang)
    loc = _locale(likely)
    return "-".join(p for p in (loc.language, loc.script) if p) if loc.language == lang else lang


# ---------------------------------------------------------------------------------------------------------------
# Numbers and dates
# ---------------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)  # Babel parses the pattern on every call; summaries repeat the same values
def format_number(value: float | None, lang: str, digits: int = 1) -> str:
    """A number for people in ``lang``'s conventions: thousands grouped, ``digits`` fixed decimals; '–' if missing.

    Millions and above are shortened with the locale's own units (``12.3M``, ``1.23B``; in Chinese ``1234.6万``,
    ``1.23亿``).
    """
    if value is None:
        return MISSING
    try:
        value = float(value)
    except (TypeError, ValueError):
        return MISSING
    if math.isnan(value):
        return MISSING
    loc = _locale(lang)
    if abs(value) >= 1e6:
        return _compact(value, loc, 2 if abs(value) >= 1e9 else 1)
    digits = max(int(digits), 0)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=loc)


#: a shortened number keeps at least this many significant digits, whatever the locale's unit (CLDR's 亿 is 10⁸:
#: 101.9 million is 1.019亿, which one decimal would make "1亿", 2% off; it is written 1.02亿)
COMPACT_SIGNIFICANT = 3


def _compact(value: float, loc: Locale, fraction_digits: int) -> str:
    """``value`` in the locale's compact form with ``fraction_digits`` decimals, or more when the number before the
    unit has fewer than ``COMPACT_SIGNIFICANT`` digits."""
    mantissa = format_compact_decimal(value, locale=loc, fraction_digits=6)
    whole = re.match(r"\D*(\d[\d\s,.\u00a0\u202f]*)", mantissa)
    int_digits = 1
    if whole:
        decimal = loc.number_symbols.get("latn", loc.number_symbols).get("decimal", ".")
        int_digits = sum(ch.isdigit() for ch in whole.group(1).split(decimal)[0])
    digits = max(fraction_digits, COMPACT_SIGNIFICANT - int_digits)
    return format_compact_decimal(value, locale=loc, fraction_digits=digits)


@lru_cache(maxsize=4096)
def format_date(value: dt.date | dt.datetime | str | None, lang: str, length: str = "long") -> str:
    """A date in ``lang``'s conventions (``7 March 2025`` style per CLDR; ``2025年3月7日``); ISO strings accepted.

    ``length`` is a CLDR length: short, medium, long or full. An unparseable string is returned unchanged.
    """
    if value is None or value == "":
        return MISSING
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    return _babel_format_date(value, format=length, locale=_locale(lang))


def format_month(value: str | None, lang: str) -> str:
    """A year and month in ``lang``'s conventions (``Nov 2024``; ``2024年11月``) from ``YYYY-MM`` or an ISO date."""
    from babel.dates import format_skeleton

    if not value:
        return MISSING
    try:
        day = dt.date.fromisoformat(value[:7] + "-01")
    except ValueError:
        return value
    return format_skeleton("yMMM", day, locale=_locale(lang))
