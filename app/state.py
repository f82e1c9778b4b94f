"""Each page's view as a frozen dataclass, parsed from and written to the URL query.

``parse(View, query, ctx)`` never raises: an unknown parameter is ignored, an invalid value falls back to the
default, a parameter given twice keeps its first value, and each such case yields a notice naming the parameter.
``to_query(view)`` writes every field, so ``parse(type(view), to_query(view), ctx) == (view, [])``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode

from app.i18n import languages

SEXES = ("total", "female", "male")
TABS = ("chart", "map", "ranking", "table")
#: the dumbbells' window: each member's latest pair within the last 5 or 10 years of by-sex data, or any year
RECENT = ("5", "10", "all")
MAX_GROUPS = 8
MAX_COUNTRIES = 12
MAX_PARAM_LENGTH = 400


@dataclass(frozen=True)
class Context:
    """What a valid value is: the ids the snapshot knows."""

    indicators: tuple[str, ...]
    sexes_of: Mapping[str, tuple[str, ...]]
    groups: tuple[str, ...]
    countries: tuple[str, ...]
    first_year: int
    last_year: int


@dataclass(frozen=True)
class Notice:
    param: str
    value: str
    problem: str  # a catalogue key: "unknown_param", "invalid_value", …

    def text(self, t) -> str:
        return t(f"notice.{self.problem}", param=self.param, value=self.value[:60])


def _p(name: str, kind: str, **extra) -> Any:
    return {"param": name, "kind": kind, **extra}


@dataclass(frozen=True)
class ExploreView:
    indicator: str = field(default="internet_users", metadata=_p("indicator", "indicator"))
    sex: str = field(default="total", metadata=_p("sex", "sex"))
    groups: tuple[str, ...] = field(default=("WLD", "LDC", "LLDC", "SIDS"), metadata=_p("group", "groups"))
    countries: tuple[str, ...] = field(default=(), metadata=_p("countries", "countries"))
    start: int = field(default=2005, metadata=_p("from", "year"))
    end: int | None = field(default=None, metadata=_p("to", "year"))  # None: the last year with data
    tab: str = field(default="chart", metadata=_p("tab", "choice", choices=TABS))
    members: bool = field(default=False, metadata=_p("members", "bool"))
    year: int | None = field(default=None, metadata=_p("year", "year"))  # map/ranking year; None: latest
    lang: str = field(default="en", metadata=_p("lang", "lang"))


@dataclass(frozen=True)
class GenderView:
    groups: tuple[str, ...] = field(default=("WLD", "LDC", "LLDC", "SIDS"), metadata=_p("group", "groups"))
    members_of: str = field(default="LDC", metadata=_p("members_of", "group"))
    #: the dumbbells show each member's latest pair within the last 5 (default) or 10 years of by-sex data, or any
    recent: str = field(default="5", metadata=_p("recent", "choice", choices=RECENT))
    start: int = field(default=2005, metadata=_p("from", "year"))
    end: int | None = field(default=None, metadata=_p("to", "year"))
    lang: str = field(default="en", metadata=_p("lang", "lang"))


@dataclass(frozen=True)
class OverviewView:
    group: str = field(default="LDC", metadata=_p("group", "group"))
    lang: str = field(default="en", metadata=_p("lang", "lang"))


@dataclass(frozen=True)
class CountryView:
    indicator: str = field(default="internet_users", metadata=_p("indicator", "indicator"))
    #: the comparison groups; empty: the world and the economy's own groups
    groups: tuple[str, ...] = field(default=(), metadata=_p("group", "groups"))
    start: int = field(default=2005, metadata=_p("from", "year"))
    end: int | None = field(default=None, metadata=_p("to", "year"))
    lang: str = field(default="en", metadata=_p("lang", "lang"))


@dataclass(frozen=True)
class AboutView:
    lang: str = field(default="en", metadata=_p("lang", "lang"))


def _split(raw: str) -> list[str]:
    return [p.strip() for p in raw.split(",") if p.strip()]


def _parse_value(meta: dict, raw: str, ctx: Context, notices: list[Notice], default):
    kind, name = meta["kind"], meta["param"]

    def bad(problem: str = "invalid_value"):
        notices.append(Notice(name, raw, problem))
        return default

    if kind == "indicator":
        return raw if raw in ctx.indicators else bad()
    if kind == "sex":
        return raw if raw in SEXES else bad()
    if kind == "choice":
        return raw if raw in meta["choices"] else bad()
    if kind == "lang":
        return raw if raw in languages() else bad()
    if kind == "group":
        return raw.upper() if raw.upper() in ctx.groups else bad()
    if kind == "bool":
        if raw.lower() in ("1", "true", "yes", "on"):
            return True
        if raw.lower() in ("0", "false", "no", "off", ""):
            return False
        return bad()
    if kind == "year":
        if raw.strip().lower() in ("", "latest"):
            return None if default is None else bad()
        try:
            year = int(raw)
        except ValueError:
            return bad()
        return year if ctx.first_year <= year <= ctx.last_year else bad("out_of_range")
    if kind in ("groups", "countries"):
        valid = ctx.groups if kind == "groups" else ctx.countries
        limit = MAX_GROUPS if kind == "groups" else MAX_COUNTRIES
        items, seen = [], set()
        for item in _split(raw):
            code = item.upper()
            if code not in valid:
                notices.append(Notice(name, item, "unknown_code"))
            elif code not in seen:
                seen.add(code)
                items.append(code)
        if len(items) > limit:
            notices.append(Notice(name, raw, "too_many"))
            items = items[:limit]
        if not items and kind == "groups":
            return default
        return tuple(items)
    raise ValueError(f"unknown field kind {kind}")


def duplicated(pairs) -> list[str]:
    """The names given more than once among ``(name, value)`` pairs, in order of first appearance."""
    seen: dict[str, int] = {}
    for name, _value in pairs:
        seen[name] = seen.get(name, 0) + 1
    return [name for name, count in seen.items() if count > 1]


def parse(view_cls, query: Mapping[str, Any] | str | None, ctx: Context):
    """(view, notices) from a query mapping or string; never raises. A parameter given twice in a query string
    keeps its first value, with a ``duplicated`` notice (the HTTP routes answer such a request 400 instead)."""
    notices: list[Notice] = []
    if isinstance(query, str):
        pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
        notices += [Notice(name, "", "duplicated") for name in duplicated(pairs)]
        first: dict[str, str] = {}
        for name, value in pairs:
            first.setdefault(name, value)
        query = first
    else:  # Dash Pages hands a repeated parameter to the layout as a list of its values
        query = dict(query or {})
        for name, value in list(query.items()):
            if isinstance(value, list | tuple):
                notices.append(Notice(str(name), "", "duplicated"))
                query[name] = value[0] if value else ""
    query = {str(k): ("" if v is None else str(v)) for k, v in query.items()}
    fields = {f.metadata["param"]: f for f in dataclasses.fields(view_cls)}
    values = {}
    for key, raw in query.items():
        if key not in fields:
            notices.append(Notice(key, raw, "unknown_param"))
            continue
        f = fields[key]
        if len(raw) > MAX_PARAM_LENGTH:
            notices.append(Notice(key, raw, "too_long"))
            continue
        values[f.name] = _parse_value(f.metadata, raw, ctx, notices, f.default)
    view = view_cls(**values)
    return _reconcile(view, ctx, notices), notices


def _reconcile(view, ctx: Context, notices: list[Notice]):
    """Cross-field rules: sex offered by the indicator, from ≤ to."""
    changes = {}
    if hasattr(view, "sex") and hasattr(view, "indicator"):
        offered = ctx.sexes_of.get(view.indicator, ("total",))
        if view.sex not in offered:
            notices.append(Notice("sex", view.sex, "sex_not_offered"))
            changes["sex"] = "total"
    if hasattr(view, "start") and view.end is not None and view.start > view.end:
        notices.append(Notice("from", str(view.start), "from_after_to"))
        changes["start"], changes["end"] = view.end, view.start
    return dataclasses.replace(view, **changes) if changes else view


@lru_cache(maxsize=4096)  # views are frozen: each callback writes the same view's query more than once
def to_query(view) -> str:
    """Every field as a query string (lists comma-joined, None as empty, booleans 0/1)."""
    pairs = []
    for f in dataclasses.fields(view):
        value = getattr(view, f.name)
        if isinstance(value, tuple):
            value = ",".join(value)
        elif isinstance(value, bool):
            value = "1" if value else "0"
        elif value is None:
            value = ""
        pairs.append((f.metadata["param"], str(value)))
    return urlencode(pairs, safe=",")
