"""Verdict reasons in the reader's language.

``indicators.progress`` writes each verdict's reason as an English sentence built from a small set of templates (the
analysis layer knows nothing of languages). This module reads such a sentence back into its template and values and
renders it from the catalogue (``reason.*``), with numbers formatted for the locale. A sentence that matches no
template is returned unchanged; tests/test_i18n.py checks that every reason of the shipped snapshot is matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from app.i18n import format_number

#: (catalogue key, pattern) for one clause of a reason; group names are the template's placeholders
_CLAUSES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (key, re.compile("^" + pattern + "$"))
    for key, pattern in (
        ("reason.no_value", r"no value for (?P<entity>\S+)"),
        ("reason.no_observed", r"no observed value"),
        ("reason.met_late", r"met in (?P<met>\d{4}), after the (?P<deadline>\d{4}) deadline"),
        (
            "reason.too_few",
            r"only (?P<n>\d+) observed value\(s\) in (?P<start>\d{4})–(?P<end>\d{4}); "
            r"a projection needs (?P<points>\d+) spanning (?P<span>\d+) years",
        ),
        (
            "reason.deadline_reaches",
            r"deadline (?P<deadline>\d{4}) passed unmet; the trend reaches it in (?P<year>\d{4})",
        ),
        (
            "reason.deadline_never",
            r"deadline (?P<deadline>\d{4}) passed unmet; the trend does not reach it by (?P<horizon>\d{4})",
        ),
        ("reason.no_deadline", r"no deadline; verdict on whether the trend reaches it by (?P<horizon>\d{4})"),
        (
            "reason.gives_reaches",
            r"the trend gives (?P<value>[-+\d.e]+) in (?P<year>\d{4}); it reaches the target in (?P<reach>\d{4})",
        ),
        (
            "reason.gives_never",
            r"the trend gives (?P<value>[-+\d.e]+) in (?P<year>\d{4}); "
            r"it does not reach the target by (?P<horizon>\d{4})",
        ),
        (
            "reason.no_coverage",
            r"no year in which reporting members hold ≥(?P<rule>\d+)% of (?P<entity>\S+)'s "
            r"(?P<whose>female/male |female |male |)population \(best: (?P<best>\d+)% in (?P<year>\d{4})\)",
        ),
        ("reason.no_member", r"no member of (?P<entity>\S+) reports (?P<indicator>\S+) \((?P<sexes>[^)]*)\)"),
    )
)
_SWITCH = re.compile(r"(?:^|; )(?P<old>\S+) until 2021, (?P<new>\S+) from 2022$")
_WHOSE = {"": "reason.whose_total", "female ": "reason.whose_female", "male ": "reason.whose_male"}


def localise_reason(reason: str, t: Callable[..., str], group_name: Callable[[str], str], indicator_name) -> str:
    """``reason`` (from indicators.progress) in ``t``'s language.

    ``group_name(code)`` and ``indicator_name(id)`` give the names to use for a group and an indicator.
    """
    if not reason:
        return ""
    switch = _SWITCH.search(reason)
    head = reason[: switch.start()] if switch else reason
    parts = []
    if head:
        parts.append(_clause(head, t, group_name, indicator_name))
    if switch:
        parts.append(t("reason.group_switch", old=group_name(switch["old"]), new=group_name(switch["new"])))
    return t("reason.separator").join(parts)


def is_localisable(reason: str) -> bool:
    """Whether every clause of ``reason`` matches a known template."""
    switch = _SWITCH.search(reason or "")
    head = (reason or "")[: switch.start()] if switch else (reason or "")
    return not head or any(p.match(head) for _, p in _CLAUSES)


def _clause(text: str, t, group_name, indicator_name) -> str:
    lang = t.lang
    for key, pattern in _CLAUSES:
        m = pattern.match(text)
        if not m:
            continue
        values = dict(m.groupdict())
        if "entity" in values:
            values["entity"] = group_name(values["entity"])
        if "value" in values:
            values["value"] = format_number(float(values["value"]), lang, 2)
        if key == "reason.no_coverage":
            whose = values.pop("whose")
            whose_key = "reason.whose_parity" if whose == "female/male " else _WHOSE[whose]
            values["whose"] = t(whose_key, entity=values.pop("entity"))
        if key == "reason.no_member":
            values["indicator"] = indicator_name(values["indicator"])
            sexes = values["sexes"]
            values["sexes"] = t("reason.sexes_parity") if sexes == "female and male" else t(f"sex.{sexes}")
        return t(key, **values)
    return text
