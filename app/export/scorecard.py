"""The resolution scorecard as a download: ``/download/scorecard.<csv|xlsx|zip|json>?group=LDC&lang=en``.

The rows are :func:`indicators.scorecard.scorecard`'s (every figure for its own group, or every figure re-scored
for ``group``), each number beside the words the Overview and the briefing pack print for it
(:func:`app.scorecard_text.download_rows`), so a figure is labelled the same way on the page, on paper and in a
spreadsheet. The metadata (sources with every vintage the rows use, licences, method, rounding) is written as for
every other download (``app/export/tables.py``, ``app/export/xlsx.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlencode

import pandas as pd

from app import scorecard_text
from app.context import get_data
from app.data import AppData
from app.export.charts import QueryError
from app.export.formats import DATA_FORMATS, data_bytes
from app.export.names import file_name
from app.export.tables import Meta, sources_without_files
from app.i18n import languages, translator
from indicators.scorecard import scorecard

FORMATS = ("csv", "xlsx", "zip", "json")
PARAMS = ("group", "lang")


@dataclass(frozen=True)
class ScorecardExport:
    rows: pd.DataFrame
    meta: Meta
    lang: str
    group: str  # "" for each figure's own group

    def file_name(self, ext: str) -> str:
        return file_name(["scorecard-70-125", self.group, "" if self.lang == "en" else self.lang], ext)


def parse_request(query: dict, data: AppData) -> tuple[str, str]:
    """(group or "", lang) from the query, or :class:`QueryError` naming each bad parameter."""
    lang = query.get("lang") or "en"
    t = translator(lang if lang in languages() else "en")
    problems = [t("export.unknown_param", param=str(k)[:60]) for k in query if k not in PARAMS]
    if lang not in languages():
        problems.append(t("notice.invalid_value", param="lang", value=lang[:60]))
    group = (query.get("group") or "").upper()
    if group and group not in data.group_ids:
        problems.append(t("export.unknown_group", value=group[:12], groups=", ".join(data.group_ids)))
    if problems:
        raise QueryError(problems)
    return group, lang


@cache
def _scorecard(data: AppData, group: str) -> pd.DataFrame:
    return scorecard(data.tidy, data.groups, data.seeds, group=group or None, published=data.published)


def sources(data: AppData, indicators, groups=()) -> list[dict]:
    """Each source behind the rows once, with every vintage the rows use (two indicators of one publisher may come
    from downloads of different days), then ITU's Key ICT estimates and the population weights."""
    used: dict[str, dict] = {}
    for ind in indicators:
        for src in data.provenance_for(ind):
            entry = used.setdefault(src["key"], {**src, "vintages": set()})
            entry["vintages"].add(src["vintage"])
    out = [{**s, "vintage": ", ".join(sorted(s.pop("vintages")))} for s in used.values()]
    registry = data.snapshot.provenance.get("sources", {})
    if "itu_key_ict" in registry:
        vintage = data.published_version("itu_key_ict", tuple(indicators), tuple(groups))[1]
        out.append({**registry["itu_key_ict"], "key": "itu_key_ict", "vintage": vintage})
    if data.population_provenance:
        weights = data.population_weights("total")
        pop = {**data.population_provenance, "key": "worldbank_population"}
        pop["vintage"] = weights.vintages[0] if weights.vintages else None
        pop["title"] = f"{pop.get('title', '')}: population weights (total)"
        out.append(pop)
    return sources_without_files(out)


def build(query: dict, *, data: AppData | None = None, base_url: str = "", today: dt.date | None = None):
    """The scorecard download for ``query`` (``group``, ``lang``)."""
    data = data or get_data()
    group, lang = parse_request(query, data)
    t = translator(lang)
    sc = _scorecard(data, group)
    rows = scorecard_text.download_rows(data, sc, t)
    indicators = sorted(set(sc["indicator"]))
    subtitle = t("export.brief_scorecard", group=data.groups.label(group, lang)) if group else t("overview.heading")
    q = urlencode([("group", group), ("lang", lang)])
    meta = Meta(
        title=t("overview.scorecard"),
        subtitle=subtitle,
        url=f"{base_url}/download/scorecard.csv?{q}",
        sources=sources(data, indicators, [group] if group else sorted(set(sc["group"]))),
        method=" ".join([t("overview.scorecard_caption"), t("source.aggregates")]),
        generated=(today or dt.date.today()).isoformat(),
        project=t("app.name"),
        precision=[t("export.scorecard_precision")],
    )
    return ScorecardExport(rows, meta, lang, group)


def export_bytes(exp: ScorecardExport, fmt: str) -> bytes:
    if fmt in DATA_FORMATS:
        identity = {"chart": "scorecard", "view": {"group": exp.group, "lang": exp.lang}}
        return data_bytes(exp.rows, exp.meta, translator(exp.lang), fmt, exp.file_name("csv"), identity)
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
