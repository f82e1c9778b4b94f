"""Country names in the UN languages, from a maintained source, at snapshot-build time only.

The source is the Countries & Territories Taxonomy that ships inside ``hdx-python-country`` (OCHA's list, with
the UNTERM / M49 short names in the six official UN languages). It is read from the package's bundled file with
``use_live=False``: no network call, ever. The app does not import this module; it reads the ``name_<lang>``
columns that :func:`indicators.snapshot.build_countries` writes into ``data/countries.csv``.

For each economy the M49 name in that language is preferred (the snapshot's English names are the M49 ones),
then the UNTERM short name. Economies the taxonomy lacks (Kosovo XKX; Taiwan has no names there) get no name:
the app falls back to English, then to the ISO3 code.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

import pandas as pd

#: language code -> the language's name in the taxonomy's column headers
UN_LANGUAGES: dict[str, str] = {
    "zh": "Chinese",
    "fr": "French",
    "es": "Spanish",
    "ar": "Arabic",
    "ru": "Russian",
}


class NamesUnavailable(RuntimeError):
    """hdx-python-country is not installed: the snapshot cannot carry translated names."""


@cache
def _taxonomy() -> dict[str, dict]:
    """ISO3 -> the taxonomy row, from the file bundled with hdx-python-country (offline)."""
    try:
        from hdx.location.country import Country
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise NamesUnavailable(
            "country names in the UN languages need hdx-python-country at snapshot-build time: "
            "pip install 'hdx-python-country>=4.2.5,<5'"
        ) from exc
    # use_live=False: read the static CSV inside the package; the default (True) tries to download it first.
    Country.set_use_live_default(False)
    data = Country.countriesdata(use_live=False)
    return dict(data["countries"])


def un_name(iso3: str, lang: str) -> str | None:
    """The name of ``iso3`` in UN language ``lang`` (zh, fr, es, ar, ru), or None when the taxonomy has none."""
    column = UN_LANGUAGES[lang]
    row = _taxonomy().get(str(iso3).upper())
    if not row:
        return None
    for key in (f"M49 {column}", f"{column} Short"):
        value = row.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def un_names(iso3s: Iterable[str], langs: Iterable[str] = tuple(UN_LANGUAGES)) -> pd.DataFrame:
    """A frame indexed by ISO3 with one ``name_<lang>`` column per language (missing names are NA)."""
    codes = list(iso3s)
    out = pd.DataFrame(index=pd.Index(codes, name="iso3"))
    for lang in langs:
        out[f"name_{lang}"] = pd.Series([un_name(c, lang) for c in codes], index=out.index, dtype="string")
    return out
