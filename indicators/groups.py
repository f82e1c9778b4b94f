"""Country groups with dated membership.

``groups.yml`` holds the definitions as data (kind, who defines the group, source, dated changes).
``build_membership`` turns them plus the publisher frames into a *membership frame*, one row per
(group, iso3, since, until):

=============  ==================================================================================================
``group``      group id (``WLD``, ``LDC``, ``SIDS``, ``LMY``, ``SSF``, …)
``iso3``       ISO 3166-1 alpha-3 (or the World Bank's ``XKX`` for Kosovo)
``since``      first day as a member, ISO date (``YYYY-MM-DD``, or reduced ``YYYY-MM`` / ``YYYY``); None = open
``until``      first day no longer a member (e.g. a graduation date), same format; None = still a member
``defined_by`` who defines the group and how
``source``     URL or file
``note``       the citation of the dated event behind ``since`` / ``until`` (empty for undated rows)
=============  ==================================================================================================

**Membership rule**: a country is a member in year Y when it was a member for *more than half of the days* of Y
(days in ``[since, until)`` ∩ Y > days(Y) / 2). A graduation on 1 January therefore drops the country for the
whole year; a graduation in December keeps it for that year; a country added in December counts from the next
year. Reduced-precision dates never count a country on a guess: ``since`` resolves to the last day of its period,
``until`` to the first. Undated groups (M49 flags other than LDC, the developed/developing split, World Bank
income groups and regions) are valid for all years: our files carry one classification each, not a history.

:class:`Groups` answers ``members(group, year)`` and ``groups_of(iso3, year)`` from that frame.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from indicators import PACKAGE_DIR
from indicators.codes import DROPPED

log = logging.getLogger(__name__)

GROUPS_PATH = PACKAGE_DIR / "groups.yml"
MEMBERSHIP_COLUMNS = ("group", "iso3", "since", "until", "defined_by", "source", "note")
KINDS = ("all", "m49_flag", "m49_development", "list", "wb_income", "wb_region", "union")


class GroupsError(ValueError):
    """groups.yml or the inputs break a rule (unknown kind, unknown WB name, bad date …)."""


@cache
def load_groups_config(path: Path = GROUPS_PATH) -> dict:
    """The parsed ``groups.yml`` (cached)."""
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    for gid, g in (doc.get("groups") or {}).items():
        if g.get("kind") not in KINDS:
            raise GroupsError(f"{path}: group {gid}: unknown kind {g.get('kind')!r}; expected one of {KINDS}")
        for key in ("title", "defined_by", "source"):
            if not g.get(key):
                raise GroupsError(f"{path}: group {gid}: {key} is missing")
        for lang in ("en", "zh"):
            if not g["title"].get(lang):
                raise GroupsError(f"{path}: group {gid}: title.{lang} is missing")
    return doc


# ---------------------------------------------------------------------------------------------------- dates


def _norm_date(value) -> str | None:
    """A YAML/CSV date (date object, int year, str) as an ISO string of full or reduced precision."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text or text.lower() in ("nan", "none", "<na>"):
        return None
    parts = text.split("-")
    try:
        nums = [int(p) for p in parts]
        if len(nums) == 1 and len(parts[0]) == 4:
            return f"{nums[0]:04d}"
        if len(nums) == 2:
            date(nums[0], nums[1], 1)
            return f"{nums[0]:04d}-{nums[1]:02d}"
        if len(nums) == 3:
            return date(*nums).isoformat()
    except ValueError:
        pass
    raise GroupsError(f"not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY): {value!r}")


def _resolve(text: str, *, last: bool) -> date:
    """A full date; a reduced date resolves to the first or the last day of its period."""
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        y, m = parts
        return date(y, m, calendar.monthrange(y, m)[1]) if last else date(y, m, 1)
    (y,) = parts
    return date(y, 12, 31) if last else date(y, 1, 1)


def member_in_year(since: str | None, until: str | None, year: int) -> bool:
    """True when [since, until) covers more than half of the days of ``year`` (see the module docstring)."""
    start = date(year, 1, 1)
    end = date(year + 1, 1, 1)  # exclusive
    lo = max(start, _resolve(since, last=True)) if since else start
    hi = min(end, _resolve(until, last=False)) if until else end
    days = (hi - lo).days
    return days * 2 > (end - start).days


# ---------------------------------------------------------------------------------------------------- build


def _row(group: str, iso3: str, g: dict, since=None, until=None, note: str = "", source: str | None = None):
    return {
        "group": group,
        "iso3": iso3,
        "since": since,
        "until": until,
        "defined_by": g["defined_by"],
        "source": source or g["source"],
        "note": note,
    }


def _intervals(iso3: str, flagged: bool, events: list[dict]) -> list[tuple[str | None, str | None, str]]:
    """Intervals [since, until) for one country from its dated join/leave events and its current flag."""
    events = sorted(events, key=lambda e: _resolve(e["date"], last=False))
    if not events:
        return [(None, None, "")] if flagged else []
    member = events[0]["change"] == "leave"  # before a first graduation the country was a member
    since: str | None = None
    notes: list[str] = []
    out: list[tuple[str | None, str | None, str]] = []
    for e in events:
        if e["change"] == "join":
            if member:
                raise GroupsError(f"{iso3}: 'join' on {e['date']} while already a member")
            member, since, notes = True, e["date"], [f"joined {e['date']}: {e.get('source', '')}"]
        elif e["change"] == "leave":
            if not member:
                raise GroupsError(f"{iso3}: 'leave' on {e['date']} while not a member")
            notes.append(f"left {e['date']}: {e.get('source', '')}")
            out.append((since, e["date"], "; ".join(notes)))
            member, since, notes = False, None, []
        else:
            raise GroupsError(f"{iso3}: unknown change {e['change']!r} (expected join or leave)")
    if member:
        out.append((since, None, "; ".join(notes)))
    if member != flagged:
        log.warning(
            "%s: dated events leave it %s a member but the M49 file %s it; the events win",
            iso3,
            "still" if member else "no longer",
            "flags" if flagged else "does not flag",
        )
    return out


def _wb_vintage(wb_meta: pd.DataFrame, wb_vintage: str | None) -> str:
    if wb_vintage:
        return wb_vintage
    if wb_meta.attrs.get("vintage"):
        return str(wb_meta.attrs["vintage"])
    if "vintage" in wb_meta.columns and wb_meta["vintage"].notna().any():
        return str(wb_meta["vintage"].dropna().max())
    return "unknown"


def _wb_economies(wb_meta: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("iso3", "region", "income_group", "is_aggregate") if c not in wb_meta.columns]
    if missing:
        raise GroupsError(f"wb_meta lacks columns {missing}")
    econ = wb_meta.loc[~wb_meta["is_aggregate"].fillna(False).astype(bool)].copy()
    econ["iso3"] = econ["iso3"].astype(str).str.strip().str.upper()
    dropped = econ["iso3"].isin(list(DROPPED))
    for code in sorted(econ.loc[dropped, "iso3"]):
        log.info("groups: World Bank economy %s left out of every group (%s)", code, DROPPED[code])
    return econ.loc[~dropped]


def build_membership(
    m49: pd.DataFrame,
    m49_legacy: pd.DataFrame,
    wb_meta: pd.DataFrame,
    config: dict | None = None,
    *,
    wb_vintage: str | None = None,
) -> pd.DataFrame:
    """The membership frame (columns ``MEMBERSHIP_COLUMNS``) for every group in ``groups.yml``.

    ``m49``: ``read_m49`` of the current overview (LDC/LLDC/SIDS flags); ``m49_legacy``: ``read_m49`` of the
    legacy overview (developed/developing); ``wb_meta``: columns iso3, name, region, income_group, is_aggregate
    (its vintage from ``wb_vintage``, ``wb_meta.attrs["vintage"]`` or a ``vintage`` column, else "unknown").
    """
    cfg = config if config is not None else load_groups_config()
    groups: dict = cfg["groups"]
    region_names: dict = cfg.get("wb_region_names") or {}
    income_names: dict = cfg.get("wb_income_names") or {}
    wld_exclude: dict = cfg.get("wld_exclude") or {}
    rows: list[dict] = []
    m49_iso = m49.loc[m49["iso3"].notna()]
    econ = _wb_economies(wb_meta)
    vintage = _wb_vintage(wb_meta, wb_vintage)

    unknown_regions = sorted(set(econ["region"].dropna()) - set(region_names))
    if unknown_regions:
        raise GroupsError(f"World Bank region names not mapped in groups.yml wb_region_names: {unknown_regions}")
    unknown_income = sorted(set(econ["income_group"].dropna()) - set(income_names))
    if unknown_income:
        raise GroupsError(f"World Bank income groups not mapped in groups.yml wb_income_names: {unknown_income}")

    members_of: dict[str, set[str]] = {}
    for gid, g in groups.items():
        kind = g["kind"]
        if kind == "all":
            codes = set(m49_iso["iso3"]) | set(econ["iso3"])
            codes -= set(wld_exclude)
            rows += [_row(gid, c, g) for c in sorted(codes)]
        elif kind == "m49_flag":
            flag = g["flag"]
            flagged = set(m49_iso.loc[m49_iso[flag].astype(bool), "iso3"])
            events: dict[str, list[dict]] = {}
            for e in g.get("events") or []:
                e = {**e, "date": _norm_date(e["date"]), "iso3": str(e["iso3"]).upper()}
                events.setdefault(e["iso3"], []).append(e)
            for c in sorted(flagged | set(events)):
                for since, until, note in _intervals(c, c in flagged, events.get(c, [])):
                    rows.append(_row(gid, c, g, since, until, note))
        elif kind == "m49_development":
            leg = m49_legacy.loc[m49_legacy["iso3"].notna()]
            codes = set(leg.loc[leg["development"] == g["value"], "iso3"])
            rows += [_row(gid, c, g) for c in sorted(codes)]
        elif kind == "list":
            codes = [str(c).upper() for c in g["members"]]
            dup = sorted({c for c in codes if codes.count(c) > 1})
            if dup:
                raise GroupsError(f"group {gid}: duplicate members {dup}")
            rows += [_row(gid, c, g) for c in sorted(codes)]
        elif kind in ("wb_income", "wb_region"):
            col = "income_group" if kind == "wb_income" else "region"
            codes = set(econ.loc[econ[col].isin(g["values"]), "iso3"])
            src = f"{g['source']} (vintage {vintage})"
            rows += [_row(gid, c, g, source=src) for c in sorted(codes)]
        elif kind == "union":
            continue  # after the loop: its parts must exist first
        members_of[gid] = {r["iso3"] for r in rows if r["group"] == gid}

    for gid, g in groups.items():
        if g["kind"] != "union":
            continue
        bad = [p for p in g["of"] if p not in groups or groups[p]["kind"] == "union"]
        if bad:
            raise GroupsError(f"group {gid}: union of unknown or nested-union groups {bad}")
        part_rows = [r for r in rows if r["group"] in g["of"]]
        if any(r["since"] or r["until"] for r in part_rows):
            raise GroupsError(f"group {gid}: unions of dated groups are not supported")
        src = g["source"]
        if any(groups[p]["kind"] in ("wb_income", "wb_region") for p in g["of"]):
            src = f"{src} (vintage {vintage})"
        rows += [_row(gid, c, g, source=src) for c in sorted({r["iso3"] for r in part_rows})]

    frame = pd.DataFrame(rows, columns=list(MEMBERSHIP_COLUMNS))
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in MEMBERSHIP_COLUMNS:
        if c not in out.columns:
            out[c] = None if c in ("since", "until") else ""
    for c in ("since", "until"):
        out[c] = pd.Series([_norm_date(v) for v in out[c]], index=out.index, dtype=object)
    for c in ("group", "iso3", "defined_by", "source", "note"):
        out[c] = pd.Series(["" if v is None or pd.isna(v) else str(v) for v in out[c]], index=out.index, dtype=object)
    return out[list(MEMBERSHIP_COLUMNS)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------- I/O


def write_membership(frame: pd.DataFrame, path: str | Path) -> None:
    """Write the membership frame as a small, sorted, diffable CSV (open dates are empty cells)."""
    out = _typed(frame).sort_values(["group", "iso3", "since"], na_position="first", kind="stable")
    out.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def read_membership(path: str | Path) -> pd.DataFrame:
    """Read a membership CSV written by ``write_membership``."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in ("group", "iso3", "since", "until") if c not in frame.columns]
    if missing:
        raise GroupsError(f"{path}: membership CSV lacks columns {missing}")
    frame = frame.replace({"since": {"": None}, "until": {"": None}})
    return _typed(frame)


# ---------------------------------------------------------------------------------------------------- query


@dataclass(frozen=True)
class _Interval:
    iso3: str
    since: str | None
    until: str | None


class Groups:
    """Queries over a membership frame. Labels come from ``groups.yml`` (or ``config``)."""

    def __init__(self, membership: pd.DataFrame, config: dict | None = None):
        frame = _typed(membership)
        self._config = config if config is not None else load_groups_config()
        cfg_groups = self._config.get("groups") or {}
        # every group of the config is valid (it may have no members in this frame), plus any extra in the frame
        order = list(cfg_groups)
        order += sorted(set(frame["group"]) - set(order))
        self._ids = tuple(order)
        self._intervals: dict[str, tuple[_Interval, ...]] = {g: () for g in order}
        self._members_memo: dict[tuple[str, int | None], frozenset[str]] = {}
        self._definition: dict[str, dict[str, str]] = {
            g: {"defined_by": c.get("defined_by", ""), "source": c.get("source", "")} for g, c in cfg_groups.items()
        }
        for gid, part in frame.groupby("group", sort=False):
            self._intervals[gid] = tuple(_Interval(r.iso3, r.since, r.until) for r in part.itertuples(index=False))
            first = part.iloc[0]
            cfg = cfg_groups.get(gid, {})
            self._definition[gid] = {
                "defined_by": first["defined_by"] or cfg.get("defined_by", ""),
                "source": first["source"] or cfg.get("source", ""),
            }
        self._world = frozenset(self.members("WLD")) if "WLD" in self._intervals else None

    def ids(self) -> list[str]:
        """Group ids, in groups.yml order."""
        return list(self._ids)

    def _check(self, group: str) -> None:
        if group not in self._intervals:
            raise KeyError(f"unknown group {group!r}; valid ids: {', '.join(self._ids)}")

    def members(self, group: str, year: int | None = None) -> frozenset[str]:
        """ISO3 codes in ``group`` in ``year`` (majority-of-days rule); ``year=None``: current (open intervals)."""
        key = (group, None if year is None else int(year))
        hit = self._members_memo.get(key)
        if hit is not None:
            return hit
        self._check(group)
        if year is None:
            found = frozenset(iv.iso3 for iv in self._intervals[group] if iv.until is None)
        else:
            found = frozenset(iv.iso3 for iv in self._intervals[group] if member_in_year(iv.since, iv.until, int(year)))
        self._members_memo[key] = found  # the intervals never change after __init__
        return found

    def groups_of(self, iso3: str, year: int | None = None) -> list[str]:
        """Ids of the groups ``iso3`` belongs to in ``year``, in groups.yml order."""
        code = str(iso3).upper()
        return [g for g in self._ids if code in self.members(g, year)]

    def label(self, group: str, lang: str = "en") -> str:
        """The group's title in ``lang`` ("en" or "zh"; falls back to English, then the id)."""
        self._check(group)
        title = ((self._config.get("groups") or {}).get(group) or {}).get("title") or {}
        return title.get(lang) or title.get("en") or group

    def definition(self, group: str) -> dict[str, str]:
        """``{"defined_by": …, "source": …}``."""
        self._check(group)
        return dict(self._definition[group])

    def members_of_custom(self, codes) -> frozenset[str]:
        """A user-defined group: the given ISO3 codes, upper-cased and checked against WLD when it is known.

        Raises KeyError naming the codes that are not economies. Custom groups are undated.
        """
        got = frozenset(str(c).strip().upper() for c in codes if str(c).strip())
        if not got:
            raise KeyError("a custom group needs at least one ISO3 code")
        if self._world is not None:
            unknown = sorted(got - self._world)
            if unknown:
                raise KeyError(f"unknown economy codes in custom group: {unknown}")
        return got
