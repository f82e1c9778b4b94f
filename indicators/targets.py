"""Targets the dashboard charts against (``targets.yml``) and the resolution seed they cite.

``load_targets`` parses ``indicators/targets.yml`` into :class:`Target` records; ``validate_targets`` checks them
against the indicator registry, the known country groups and the paragraphs of the seed file
``seeds/resolution_70_125.yml`` (loaded by ``load_seeds``), raising :class:`TargetError` that names the target
and the rule it breaks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import yaml

from indicators import PACKAGE_DIR, PROJECT_DIR
from indicators.groups import load_groups_config
from indicators.registry import SEXES, load_registry

TARGETS_PATH = PACKAGE_DIR / "targets.yml"
SEEDS_PATH = PROJECT_DIR / "seeds" / "resolution_70_125.yml"
#: the WSIS+20 outcome document (A/RES/80/173, December 2025), same layout; its targets cite it in `source`
SEEDS_80_173_PATH = PROJECT_DIR / "seeds" / "resolution_80_173.yml"


def known_groups() -> tuple[str, ...]:
    """The group ids defined in ``indicators/groups.yml`` (no snapshot needed), in file order."""
    return tuple(load_groups_config()["groups"])


# Kept for callers that want a constant; ``validate_*`` call ``known_groups()`` when no ids are passed.
KNOWN_GROUPS: tuple[str, ...] = known_groups()
FRAMEWORKS = (
    "UNGA 70/125",
    "ITU Connect 2020",
    "Broadband Commission 2025",
    "SDG",
    "Universal meaningful connectivity 2030",
    "UNGA 80/173",
)
METRICS = ("value", "parity_score")
COMPARATORS = (">=", "<=", "within")
PARITY_BAND = (0.98, 1.02)
GROUP_SWITCH_YEAR = 2022
SEED_UNITS = ("percent", "per100", "count", "people", "multiple", "usd")
SEED_QUALIFIERS = ("stated", "over", "about", "near", "estimate", "projected")
#: how a seed figure without a registry indicator is scored from its related one (indicators/scorecard.py)
SEED_DERIVATIONS = ("count", "complement", "complement_count")
_SLUG = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


class TargetError(ValueError):
    """A target (or the seed file) breaks one of its rules."""


@dataclass(frozen=True)
class Target:
    id: str
    title: dict[str, str]
    framework: str
    indicator: str | None
    group: str
    sex: str
    metric: str
    comparator: str
    threshold: float
    unit: str
    target_year: int | None
    source: dict[str, str]
    paragraph: int | None = None
    band: tuple[float, float] | None = None
    measure: str | None = None
    tracked: bool = True
    untracked_reason: str | None = None
    group_from_2022: str | None = None
    baseline_year: int | None = None
    target_year_implied: bool = False
    nominal: float | None = None
    scoring_bands: dict[str, tuple[float, float]] = field(default_factory=dict)
    notes: str = ""

    def title_in(self, lang: str = "en") -> str:
        return self.title.get(lang) or self.title["en"]

    def group_for_year(self, year: int) -> str:
        """The group a data year is compared for: ``group_from_2022`` from 2022 on, when the target has one."""
        if self.group_from_2022 and year >= GROUP_SWITCH_YEAR:
            return self.group_from_2022
        return self.group

    def applies_to_group(self, group: str) -> bool:
        return group in (self.group, self.group_from_2022)

    def is_met(self, value: float | None) -> bool | None:
        """Whether a value (a parity score for parity targets) meets the target; None when value is missing."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        if self.comparator == ">=":
            return value >= self.threshold
        if self.comparator == "<=":
            return value <= self.threshold
        lo, hi = self.band  # type: ignore[misc]  # validated: `within` always has a band
        return lo <= value <= hi


@dataclass(frozen=True)
class SeedParagraph:
    """One paragraph of A/RES/70/125 as recorded in the seed file (our paraphrase, figures, linked targets)."""

    number: int
    topic: dict[str, str]
    summary: dict[str, str]
    figures: tuple[dict[str, Any], ...]
    targets: tuple[str, ...]
    related_targets: tuple[str, ...] = ()
    milestones: tuple[dict[str, Any], ...] = ()


def parity_score(female: float | None, male: float | None) -> float | None:
    """Gender parity score (ITU): female % / male %; None when either is missing or male is 0."""
    if female is None or male is None or not male:
        return None
    if any(isinstance(v, float) and math.isnan(v) for v in (female, male)):
        return None
    return female / male


# ---- parsing --------------------------------------------------------------------------------------------------


def _num(raw: Any, where: str, name: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise TargetError(f"{where}: {name} must be a number, got {raw!r}")
    return float(raw)


def _year(raw: Any, where: str, name: str) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1990 <= raw <= 2100:
        raise TargetError(f"{where}: {name} must be a year (int) or null, got {raw!r}")
    return raw


def parse_target(raw: Mapping[str, Any], where: str = "target") -> Target:
    """One YAML mapping → Target, raising TargetError for a missing or malformed field."""
    tid = raw.get("id")
    where = f"{where} {tid!r}"
    for key in ("id", "title", "framework", "group", "metric", "comparator", "threshold", "unit", "source"):
        if raw.get(key) is None:
            raise TargetError(f"{where}: field {key!r} is missing")
    band = raw.get("band")
    if band is not None:
        if not isinstance(band, list | tuple) or len(band) != 2:
            raise TargetError(f"{where}: band must be [lo, hi]")
        band = (_num(band[0], where, "band"), _num(band[1], where, "band"))
    scoring = {
        str(k): (_num(v[0], where, "scoring_bands"), _num(v[1], where, "scoring_bands"))
        for k, v in (raw.get("scoring_bands") or {}).items()
    }
    indicator = raw.get("indicator")
    return Target(
        id=str(tid),
        title=dict(raw["title"]),
        framework=str(raw["framework"]),
        indicator=indicator,
        group=str(raw["group"]),
        sex=str(raw.get("sex", "total")),
        metric=str(raw["metric"]),
        comparator=str(raw["comparator"]),
        threshold=_num(raw["threshold"], where, "threshold"),
        unit=str(raw["unit"]),
        target_year=_year(raw.get("target_year"), where, "target_year"),
        source=dict(raw["source"]),
        paragraph=raw.get("paragraph"),
        band=band,
        measure=raw.get("measure"),
        tracked=bool(raw.get("tracked", indicator is not None)),
        untracked_reason=raw.get("untracked_reason"),
        group_from_2022=raw.get("group_from_2022"),
        baseline_year=_year(raw.get("baseline_year"), where, "baseline_year"),
        target_year_implied=bool(raw.get("target_year_implied", False)),
        nominal=None if raw.get("nominal") is None else _num(raw["nominal"], where, "nominal"),
        scoring_bands=scoring,
        notes=str(raw.get("notes") or "").strip(),
    )


def parse_targets(doc: Mapping[str, Any], origin: str = "targets.yml") -> list[Target]:
    rows = (doc or {}).get("targets") or []
    return [parse_target(raw, f"{origin}: target #{i + 1}") for i, raw in enumerate(rows)]


@cache
def _load_targets_cached(path: Path) -> tuple[Target, ...]:
    with open(path, encoding="utf-8") as fh:
        return tuple(parse_targets(yaml.safe_load(fh), origin=str(path)))


def load_targets(path: Path | str = TARGETS_PATH) -> list[Target]:
    """The targets in file order (parsed, not validated: call ``validate_targets`` or ``load_validated``)."""
    return list(_load_targets_cached(Path(path)))


def parse_seeds(doc: Mapping[str, Any], origin: str = "seeds") -> dict[int, SeedParagraph]:
    out: dict[int, SeedParagraph] = {}
    for i, raw in enumerate((doc or {}).get("paragraphs") or []):
        num = raw.get("number")
        where = f"{origin}: paragraph #{i + 1} (¶{num})"
        if isinstance(num, bool) or not isinstance(num, int) or num < 1:
            raise TargetError(f"{where}: number must be a positive int")
        if num in out:
            raise TargetError(f"{where}: duplicate paragraph number")
        out[num] = SeedParagraph(
            number=num,
            topic=dict(raw.get("topic") or {}),
            summary=dict(raw.get("summary") or {}),
            figures=tuple(raw.get("figures") or ()),
            targets=tuple(raw.get("targets") or ()),
            related_targets=tuple(raw.get("related_targets") or ()),
            milestones=tuple(raw.get("milestones") or ()),
        )
    return out


def load_seed_document(path: Path | str = SEEDS_PATH) -> dict[str, Any]:
    """The whole seed file (document metadata + paragraphs) as plain YAML data."""
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_seeds(path: Path | str = SEEDS_PATH) -> dict[int, SeedParagraph]:
    """The resolution's paragraphs recorded in the seed file, keyed by the resolution's own paragraph number."""
    return parse_seeds(load_seed_document(path), origin=str(path))


# ---- validation -----------------------------------------------------------------------------------------------


def validate_targets(
    targets: Iterable[Target],
    indicator_ids: Collection[str] | Mapping[str, Any],
    group_ids: Collection[str] | None = None,
    seed_paragraphs: Collection[int] | Mapping[int, Any] = (),
) -> None:
    """Raise TargetError naming the first target that breaks a rule and the rule.

    ``indicator_ids`` may be the registry mapping itself (``load_registry()``); then parity targets are also
    checked to name an indicator published for female and male. ``seed_paragraphs`` is any container of
    paragraph numbers (e.g. the dict returned by ``load_seeds``).
    """
    registry = indicator_ids if isinstance(indicator_ids, Mapping) else None
    group_ids = known_groups() if group_ids is None else group_ids
    seen: set[str] = set()
    for t in targets:
        where = f"target {t.id!r}"

        def fail(rule: str, where: str = where) -> NoReturn:
            raise TargetError(f"{where}: {rule}")

        if not _SLUG.match(t.id):
            fail("id must be a snake_case slug")
        if t.id in seen:
            fail("duplicate id")
        seen.add(t.id)
        for lang in ("en", "zh"):
            if not t.title.get(lang):
                fail(f"title.{lang} is missing")
        if t.framework not in FRAMEWORKS:
            fail(f"unknown framework {t.framework!r}; expected one of {FRAMEWORKS}")

        if t.indicator is None:
            if not t.measure:
                fail("a target without a registry indicator needs a `measure` text")
            if t.tracked or not t.untracked_reason:
                fail("a target without a registry indicator must be `tracked: false` with an `untracked_reason`")
        elif t.indicator not in indicator_ids:
            fail(f"unknown indicator {t.indicator!r} (not in the registry)")
        elif not t.tracked and not t.untracked_reason:
            fail("`tracked: false` needs an `untracked_reason`")

        if t.group not in group_ids:
            fail(f"unknown group {t.group!r}")
        if t.group_from_2022 is not None and t.group_from_2022 not in group_ids:
            fail(f"unknown group_from_2022 {t.group_from_2022!r}")
        if t.sex not in SEXES:
            fail(f"unknown sex {t.sex!r}; expected one of {SEXES}")

        if t.metric not in METRICS:
            fail(f"unknown metric {t.metric!r}; expected one of {METRICS}")
        if t.comparator not in COMPARATORS:
            fail(f"comparator {t.comparator!r} not allowed; expected one of {COMPARATORS}")
        if t.comparator == "within":
            if t.band is None:
                fail("comparator `within` needs a band [lo, hi]")
            if not t.band[0] < t.band[1]:
                fail(f"band {list(t.band)} must have lo < hi")
            if not t.band[0] <= t.threshold <= t.band[1]:
                fail(f"threshold {t.threshold} lies outside band {list(t.band)}")
        elif t.band is not None:
            fail(f"a band is only meaningful with comparator `within`, not {t.comparator!r}")
        if t.metric == "parity_score":
            if t.band is None:
                fail("parity target without band (ITU parity band is [0.98, 1.02])")
            if t.comparator != "within":
                fail("a parity target must use comparator `within`")
            if t.sex != "female":
                fail("a parity target names its numerator sex: `sex: female` (score = female / male)")
            if registry is not None and t.indicator in registry:
                sexes = set(getattr(registry[t.indicator], "sexes", ()))
                if not {"female", "male"} <= sexes:
                    fail(f"parity target on {t.indicator!r}, which is not published for female and male")
        elif (
            t.sex != "total"
            and registry is not None
            and t.indicator in registry
            and t.sex not in getattr(registry[t.indicator], "sexes", ())
        ):
            fail(f"indicator {t.indicator!r} is not published for sex {t.sex!r}")
        if t.metric == "value" and t.unit == "percent" and not 0 <= t.threshold <= 100:
            fail(f"percent threshold {t.threshold} outside [0, 100]")

        if t.target_year is not None and t.baseline_year is not None and t.baseline_year > t.target_year:
            fail(f"baseline_year {t.baseline_year} is after target_year {t.target_year}")
        if t.paragraph is not None and t.paragraph not in seed_paragraphs:
            fail(f"paragraph {t.paragraph} is not in the resolution seed file")
        if not t.source.get("name") or not str(t.source.get("url", "")).startswith("http"):
            fail("source needs a name and an http(s) url")


def validate_seed_links(targets: Iterable[Target], seeds: Mapping[int, SeedParagraph]) -> None:
    """Seed ↔ targets consistency: every target id a paragraph lists exists, and a target whose ``paragraph``
    is N is listed under ¶N (and only there)."""
    by_id = {t.id: t for t in targets}
    for num, para in seeds.items():
        for tid in (*para.targets, *para.related_targets):
            if tid not in by_id:
                raise TargetError(f"seed ¶{num}: target id {tid!r} is not in targets.yml")
        for tid in para.targets:
            if by_id[tid].paragraph != num:
                raise TargetError(
                    f"seed ¶{num}: lists target {tid!r} but that target gives paragraph {by_id[tid].paragraph}"
                )
    for t in by_id.values():
        if t.paragraph is not None and t.id not in seeds[t.paragraph].targets:
            raise TargetError(f"target {t.id!r}: paragraph {t.paragraph} does not list it in the seed file")


def validate_seeds(
    seeds: Mapping[int, SeedParagraph],
    indicator_ids: Collection[str],
    group_ids: Collection[str] | None = None,
) -> None:
    """Each seed figure names a registry indicator (or null + measure), a known group and an allowed unit."""
    group_ids = known_groups() if group_ids is None else group_ids
    for num, para in seeds.items():
        for lang in ("en", "zh"):
            if not para.topic.get(lang) or not para.summary.get(lang):
                raise TargetError(f"seed ¶{num}: topic.{lang} and summary.{lang} are required")
        for i, fig in enumerate(para.figures):
            where = f"seed ¶{num} figure #{i + 1}"
            ind = fig.get("indicator")
            if ind is None:
                if not fig.get("measure"):
                    raise TargetError(f"{where}: indicator null needs a `measure`")
            elif ind not in indicator_ids:
                raise TargetError(f"{where}: unknown indicator {ind!r}")
            rel = fig.get("related_indicator")
            if rel is not None and rel not in indicator_ids:
                raise TargetError(f"{where}: unknown related_indicator {rel!r}")
            derive = fig.get("derive")
            if derive is not None and (derive not in SEED_DERIVATIONS or rel is None):
                raise TargetError(f"{where}: derive must be one of {SEED_DERIVATIONS} with a related_indicator")
            if fig.get("group") not in group_ids:
                raise TargetError(f"{where}: unknown group {fig.get('group')!r}")
            if fig.get("sex", "total") not in SEXES:
                raise TargetError(f"{where}: unknown sex {fig.get('sex')!r}")
            if fig.get("unit") not in SEED_UNITS:
                raise TargetError(f"{where}: unit {fig.get('unit')!r} not in {SEED_UNITS}")
            if fig.get("qualifier") not in SEED_QUALIFIERS:
                raise TargetError(f"{where}: qualifier {fig.get('qualifier')!r} not in {SEED_QUALIFIERS}")
            _year(fig.get("year"), where, "year")
            if fig.get("value") is None and not fig.get("value_text"):
                raise TargetError(f"{where}: a figure without a value needs `value_text`")


def load_validated(targets_path: Path | str = TARGETS_PATH, seeds_path: Path | str = SEEDS_PATH) -> list[Target]:
    """Targets after every check (registry, groups, seed paragraphs, seed ↔ target links)."""
    targets = load_targets(targets_path)
    seeds = load_seeds(seeds_path)
    registry = load_registry()
    groups = known_groups()
    validate_targets(targets, registry, groups, seeds)
    validate_seeds(seeds, registry, groups)
    validate_seed_links(targets, seeds)
    return targets


def targets_for(indicator: str, group: str | None = None, targets: Iterable[Target] | None = None) -> list[Target]:
    """Targets on one indicator, optionally for one group (a target matches its ``group`` or ``group_from_2022``,
    so ``targets_for("internet_users", "LMY")`` includes the Broadband Commission's developing-country target)."""
    pool = load_targets() if targets is None else targets
    return [t for t in pool if t.indicator == indicator and (group is None or t.applies_to_group(group))]
