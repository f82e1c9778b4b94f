"""The indicator registry: load and validate ``registry.yml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from indicators import PACKAGE_DIR

REGISTRY_PATH = PACKAGE_DIR / "registry.yml"
SEXES = ("total", "female", "male")
UNITS = ("percent", "per100", "count", "percent_gni", "usd", "ppp")
#: units of a price basket: % of monthly GNI per capita, US$ per month, PPP$ per month (ITU ICT price baskets)
PRICE_UNITS = ("percent_gni", "usd", "ppp")
SOURCES = ("worldbank", "itu_datahub", "itu_gender", "un_sdg", "itu_price_baskets")
#: how a group's value is made from its members' (indicators.aggregates): population-weighted mean, sum, median
AGGREGATIONS = ("mean", "sum", "median")


class RegistryError(ValueError):
    """The registry file breaks one of its rules."""


@dataclass(frozen=True)
class SourceRef:
    """One upstream series that feeds an indicator."""

    source: str
    code: str
    sexes: tuple[str, ...]
    licence: str
    series_id: int | None = None
    #: the price basket this code measures in every year (DataHub price series); workbook codes get theirs per year
    #: from ITU's BasketHistory sheet
    basket: str | None = None
    #: a value of 0 stands for a missing one (ITU's DataHub price series: a basket is never free)
    zero_is_missing: bool = False


@dataclass(frozen=True)
class Indicator:
    id: str
    title: dict[str, str]
    unit: str
    unit_label: dict[str, str]
    sexes: tuple[str, ...]
    higher_is_better: bool | None
    sources: tuple[SourceRef, ...]
    #: how a group's value is made (``AGGREGATIONS``): sum for counts, median for prices, else population-weighted
    aggregation: str = "mean"
    #: a short definition in each language (``definition: {en, zh}``), shown on /indicator/<id>
    definition: dict[str, str] = field(default_factory=dict)
    #: the axis title where ``unit_label`` is too long for a phone's axis (``axis_label: {en, zh}``)
    axis_label: dict[str, str] = field(default_factory=dict)

    @property
    def is_price(self) -> bool:
        """A price basket (lower is more affordable): group values are medians, not weighted means."""
        return self.unit in PRICE_UNITS

    @property
    def is_bounded_percent(self) -> bool:
        """Percentages of people or households: must lie in [0, 100]."""
        return self.unit == "percent"

    def title_in(self, lang: str = "en") -> str:
        return self.title.get(lang) or self.title["en"]

    def definition_in(self, lang: str = "en") -> str:
        return self.definition.get(lang) or self.definition.get("en", "")

    def axis_label_in(self, lang: str = "en") -> str:
        """The unit as an axis title: ``axis_label`` where given, else ``unit_label``."""
        labels = self.axis_label or self.unit_label
        return labels.get(lang) or labels.get("en", self.unit)


def _parse_source(raw: dict, where: str) -> SourceRef:
    if raw.get("source") not in SOURCES:
        raise RegistryError(f"{where}: unknown source {raw.get('source')!r}; expected one of {SOURCES}")
    sexes = raw.get("sex", "total")
    sexes = tuple(sexes) if isinstance(sexes, list) else (sexes,)
    bad = [s for s in sexes if s not in SEXES]
    if bad:
        raise RegistryError(f"{where}: unknown sex {bad}")
    if not raw.get("licence"):
        raise RegistryError(f"{where}: a source needs a licence")
    return SourceRef(
        source=raw["source"],
        code=str(raw["code"]),
        sexes=sexes,
        licence=raw["licence"],
        series_id=raw.get("series_id"),
        basket=raw.get("basket"),
        zero_is_missing=bool(raw.get("zero_is_missing", False)),
    )


def parse_registry(doc: dict, origin: str = "registry.yml") -> dict[str, Indicator]:
    """Turn the YAML document into ``{id: Indicator}``, raising RegistryError naming the rule broken."""
    out: dict[str, Indicator] = {}
    for i, raw in enumerate(doc.get("indicators") or []):
        where = f"{origin}: indicator #{i + 1} ({raw.get('id')!r})"
        ind_id = raw.get("id")
        if not ind_id or not str(ind_id).replace("_", "").isalnum() or ind_id != str(ind_id).lower():
            raise RegistryError(f"{where}: id must be a snake_case slug")
        if ind_id in out:
            raise RegistryError(f"{where}: duplicate id")
        for lang in ("en", "zh"):
            if not (raw.get("title") or {}).get(lang):
                raise RegistryError(f"{where}: title.{lang} is missing")
        if raw.get("unit") not in UNITS:
            raise RegistryError(f"{where}: unit must be one of {UNITS}")
        sexes = tuple(raw.get("sexes") or ("total",))
        sources = tuple(_parse_source(s, f"{where} source #{j + 1}") for j, s in enumerate(raw.get("sources") or []))
        if not sources:
            raise RegistryError(f"{where}: no sources")
        default = "sum" if raw["unit"] == "count" else "median" if raw["unit"] in PRICE_UNITS else "mean"
        aggregation = raw.get("aggregation", default)
        if aggregation not in AGGREGATIONS:
            raise RegistryError(f"{where}: aggregation must be one of {AGGREGATIONS}")
        definition = raw.get("definition")
        for lang in ("en", "zh"):
            if not isinstance(definition, dict) or not str(definition.get(lang) or "").strip():
                raise RegistryError(f"{where}: definition.{lang} is missing")
        axis_label = raw.get("axis_label")
        if axis_label is not None and not (
            isinstance(axis_label, dict) and all(str(axis_label.get(lang) or "").strip() for lang in ("en", "zh"))
        ):
            raise RegistryError(f"{where}: axis_label needs en and zh")
        out[ind_id] = Indicator(
            id=ind_id,
            title=dict(raw["title"]),
            unit=raw["unit"],
            unit_label=dict(raw.get("unit_label") or {"en": raw["unit"], "zh": raw["unit"]}),
            sexes=sexes,
            higher_is_better=raw.get("higher_is_better"),
            sources=sources,
            aggregation=aggregation,
            definition={str(k): " ".join(str(v).split()) for k, v in definition.items()},
            axis_label=dict(axis_label or {}),
        )
    return out


@cache
def load_registry(path: Path = REGISTRY_PATH) -> dict[str, Indicator]:
    """The registry, keyed by indicator id (cached; the file ships with the package)."""
    with open(path, encoding="utf-8") as fh:
        return parse_registry(yaml.safe_load(fh), origin=str(path))


def indicator_for(source: str, code: str) -> Indicator | None:
    """The indicator fed by an upstream (source, code), or None when the registry does not use it."""
    for ind in load_registry().values():
        for ref in ind.sources:
            if ref.source == source and ref.code == code:
                return ind
    return None


def source_ref(source: str, code: str) -> SourceRef | None:
    for ind in load_registry().values():
        for ref in ind.sources:
            if ref.source == source and ref.code == code:
                return ref
    return None


def codes_for(source: str) -> list[str]:
    """Every upstream code of one source that the registry uses, in registry order."""
    return [ref.code for ind in load_registry().values() for ref in ind.sources if ref.source == source]
