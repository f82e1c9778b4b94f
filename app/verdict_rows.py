"""Progress rows worded for a table: the target, its deadline, the latest value, the verdict with its flags and the
reasons, in the reader's language (the country page's targets table; the same words as the Overview's tiles)."""

from __future__ import annotations

import pandas as pd

from app.i18n import format_number
from app.reasons import render_reasons, verdict_flags

COLUMNS = ("target", "year", "latest", "verdict", "reason")


def verdict_rows(data, progress: pd.DataFrame, t) -> tuple[pd.DataFrame, dict[str, str]]:
    """(rows, column labels) of ``progress`` (``AppData.progress``) in ``t``'s language."""
    lang = t.lang
    by_id = {tg.id: tg for tg in data.targets}
    groups = set(data.groups.ids())
    rows = []
    for rec in progress.to_dict("records"):
        tg = by_id[rec["target_id"]]
        digits = 2 if tg.metric == "parity_score" else 1
        verdict = t(f"verdict.{rec['verdict']}")
        flags = [words for _flag, words in verdict_flags(rec, t)]
        if flags:
            verdict = t("app.name_code", name=verdict, code=t("app.list_sep").join(flags))
        latest = "–"
        if rec["latest_value"] is not None and rec["latest_value"] == rec["latest_value"]:
            value = format_number(rec["latest_value"], lang, digits)
            latest = t("overview.latest", year=int(rec["latest_year"]), value=value)
        reason = render_reasons(
            rec["reasons"],
            t,
            lambda g: data.groups.label(g, lang) if g in groups else data.country_name(g, lang),
            lambda i: data.registry[i].title_in(lang) if i in data.registry else i,
            lambda c: data.country_name(c, lang),
        )
        rows.append([tg.title_in(lang), tg.target_year, latest, verdict, reason])
    labels = {
        "target": t("export.col_target"),
        "year": t("export.col_deadline"),
        "latest": t("export.col_latest"),
        "verdict": t("export.col_verdict"),
        "reason": t("export.col_reason"),
    }
    return pd.DataFrame(rows, columns=list(COLUMNS)), labels
