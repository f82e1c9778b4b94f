"""Verdict reasons in the reader's language, from codes.

``indicators.progress`` gives each verdict its reasons as ``(code, params)`` clauses (``REASON_CODES``): no prose is
parsed back. This module words each clause from the catalogue (``reason.<code>``), with numbers formatted for the
locale, group and indicator names, publishers and verdicts in the reader's language. tests/test_i18n.py fails when a
code lacks a template in a catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.i18n import basket_name, format_month, format_number

#: parameters naming a group, a verdict
_GROUP_PARAMS = ("entity", "old", "new")
_VERDICT_PARAMS = ("verdict", "ours", "theirs", "alternative")


def render_reasons(
    reasons: Iterable[tuple[str, dict]] | None,
    t: Callable[..., str],
    group_name: Callable[[str], str],
    indicator_name: Callable[[str], str],
    economy_name: Callable[[str], str] | None = None,
) -> str:
    """A row's ``reasons`` in ``t``'s language, clauses joined by the catalogue's separator (``economy_name`` words
    an ISO3 code, e.g. the economy whose series break a verdict depends on; the code itself without it)."""
    return t("reason.separator").join(
        render_clause(code, params, t, group_name, indicator_name, economy_name) for code, params in reasons or ()
    )


def witness_name(value: dict, t, group_name: Callable[[str], str]) -> str:
    """A witness parameter (``{"source", "edition"[, "group"][, "method"]}``) in ``t``'s language."""
    lang = t.lang
    edition = value["edition"] if value["source"] == "un_resolution" else format_month(value["edition"], lang)
    words = t(f"published.{value['source']}", edition=edition)
    if value.get("group"):
        words += t("published.their_list", group=group_name(value["group"]))
    if value.get("method"):
        words += t(f"published.method_{value['method']}")
    return words


def render_clause(code: str, params: dict, t, group_name, indicator_name, economy_name=None) -> str:
    lang = t.lang
    values = {}
    for key, value in params.items():
        if key in _GROUP_PARAMS:
            values[key] = group_name(value)
        elif key in _VERDICT_PARAMS:
            values[key] = t(f"verdict.{value}")
        elif key == "indicator":
            values[key] = indicator_name(value)
        elif key == "basket":
            values[key] = basket_name(value, lang)
        elif key == "economy":
            values[key] = economy_name(value) if economy_name else value
        elif key == "kind":
            values[key] = t(f"reason.kind_{value}")
        elif key == "witness":
            values[key] = witness_name(value, t, group_name)
        elif value is None:
            values[key] = "–"
        elif key == "coverage":  # 69.96% against a 70% rule: never rounded up to the rule
            values[key] = format_number(value, lang, 2)
        elif isinstance(value, float):
            values[key] = format_number(value, lang, 2 if abs(value) < 2 else 1)
        else:
            values[key] = value
    if code == "no_coverage":
        values["whose"] = t(f"reason.whose_{params['population']}", entity=values["entity"])
    if code == "no_member":
        sexes = params["sexes"]
        values["sexes"] = t("reason.sexes_parity") if sexes == "parity" else t(f"sex.{sexes}")
    return t(f"reason.{code}", **values)


def verdict_flags(row: dict, t) -> list[tuple[str, str]]:
    """(flag, words) of the flags a progress row carries, in one order everywhere: disputed, fragile, depends on a
    series break."""
    return [(flag, t(f"overview.{flag}")) for flag in ("disputed", "fragile", "break") if row.get(flag)]
