"""Explicit code remaps between publishers' economy codes and ISO 3166-1 alpha-3, and what is dropped.

Each remap and drop is deliberate and listed here, so a reader never guesses. Readers log every dropped code.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

#: ITU DataHub ``entityIso`` codes that are not ISO 3166-1 alpha-3.
ITU_TO_ISO3 = {
    "AAA": "GGY",  # Guernsey
    "GBJ": "JEY",  # Jersey
    "KSO": "XKX",  # Kosovo: no ISO code; XKX is the code the World Bank and the EU use
}

#: ITU ICT Price Baskets workbook ``IsoCode`` values that are not ISO 3166-1 alpha-3.
ITU_PRICES_TO_ISO3 = {
    "WBG": "PSE",  # "West Bank and Gaza" (the World Bank's code): the State of Palestine, M49 275
}

#: Codes dropped from every source, with the reason.
DROPPED = {
    "ANT": "Netherlands Antilles, dissolved in 2010; no successor can be assigned its series",
    "ASC": "Ascension, part of Saint Helena, Ascension and Tristan da Cunha (SHN); not a separate M49 area",
    "YUG": "Serbia and Montenegro (ITU code YUG, to 2005): dissolved in 2006; SRB and MNE report their own series",
    "CHI": "Channel Islands (World Bank): no single M49 area; M49 has Guernsey (GGY) and Jersey (JEY)",
}


def normalise_iso3(codes, remap: dict[str, str] | None = None, origin: str = ""):
    """Upper-case, apply ``remap``, and return (codes, dropped_mask). Logs what is dropped and why."""
    import pandas as pd

    s = pd.Series(codes, dtype="string").str.strip().str.upper()
    if remap:
        s = s.replace(remap)
    dropped = s.isin(list(DROPPED)) | s.isna() | (s == "")
    for code in sorted(set(s[dropped].dropna())):
        log.info("%s: dropped economy code %s (%s)", origin or "source", code, DROPPED.get(code, "empty code"))
    return s, dropped
