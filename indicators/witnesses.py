"""The publishers' own estimates that witness a group verdict, and how their verdicts compare with ours.

A witness is a series of a publisher's own group figures for the target's indicator (a parity score for parity
targets), judged by exactly the rule our aggregate is judged by (``indicators.progress.assess``). In order of
preference:

* **ITU** (Key ICT indicators): its estimates for the group, or its nearest list (its SIDS are UN-OHRLLS's). ITU
  publishes no low- and middle-income (LMY) or developing-country figure; for those we **derive** one from its
  low-, lower-middle- and upper-middle-income estimates, each weighted by its members' population that year (World
  Bank population, our dated income groups): ``Σ rate_g · pop_g / Σ pop_g``. The witness says it is derived.
* **The UN SDG database**'s group rows (the custodian's regional estimates).
* **The World Bank**'s aggregate rows (it publishes LMY itself).
* **ITU's figures quoted by the General Assembly** (the seeds of A/RES/80/173 and 70/125): a figure stated for the
  group and the target's deadline year ("74% in 2025", ¶20 of 80/173), used only when stated without a bound ("over",
  "more than"). A parity score needs the women's and men's figures of one paragraph.

The developing-country targets of Connect 2020 and the Broadband Commission are witnessed on LMY, their nearest
published list (and the group they switch to from 2022), and the witness names it.

**Comparing.** ``compare`` returns the clauses and flags: "agrees" only when the verdicts are the same word; a
different decided verdict makes the row disputed; a witness that cannot judge (insufficient data) is listed and
neither agrees nor disputes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: the publishers whose own estimates witness a group verdict, in order of preference
SOURCES = ("itu_key_ict", "un_sdg", "worldbank", "un_resolution")
#: our group → the publishers' nearest list where they publish none of ours
NEAREST = {"DEVELOPING": "LMY"}
#: the income groups an LMY figure is derived from
LMY_PARTS = ("LIC", "LMC", "UMC")
#: seed qualifiers that state a value (not a bound)
STATED = ("stated", "about", "near", "estimate")
UNDECIDED = "insufficient data"


@dataclass(frozen=True)
class Witness:
    source: str
    edition: str
    group: str  # the publisher's group, as our id
    series: pd.Series  # year → value (a parity score for parity targets)
    method: str = ""  # "" for the publisher's own figure; else how we derived it (``WITNESS_METHOD_WORDS``)

    def name(self, entity: str) -> dict:
        """The witness as a reason parameter: ``{"source", "edition"[, "group"][, "method"]}``."""
        out = {"source": self.source, "edition": self.edition}
        if self.group != entity:
            out["group"] = self.group
        if self.method:
            out["method"] = self.method
        return out


def witnesses_for(target, entity: str, published, *, seeds=(), tidy=None, groups=None) -> list[Witness]:
    """Every witness of ``target`` for ``entity``, in order of preference (see the module docstring). ``published``:
    the publishers' estimates, or a function of a source giving that source's (split once by the caller)."""
    out: list[Witness] = []
    wanted = target.group_from_2022 if (entity == target.group and target.group_from_2022) else entity
    wanted = NEAREST.get(wanted, wanted)
    if callable(published):
        of_source = published
    elif published is None or published.empty:
        of_source = None
    else:

        def of_source(source: str) -> pd.DataFrame:
            return published[published["source"] == source]

    if of_source is not None:
        for source in SOURCES[:3]:
            own = of_source(source)
            if own is None:
                continue
            w = _published_witness(source, own, target, wanted)
            if w is None and source == "itu_key_ict" and wanted == "LMY" and tidy is not None and groups is not None:
                w = _derived_lmy(own, target, tidy, groups)
            if w is not None:
                out.append(w)
    for paragraphs, symbol in seeds:
        w = _seed_witness(paragraphs, symbol, target, entity)
        if w is not None:
            out.append(w)
    return out


def _published_witness(source: str, rows: pd.DataFrame, target, group: str) -> Witness | None:
    from indicators import published as pub

    if rows.empty:
        return None
    if target.metric == "parity_score":
        found = pub.parity_rows(rows, target.indicator, group)
        value = "parity_score"
    else:
        found = pub.for_group(rows, target.indicator, group, target.sex)
        value = "value"
    if found.empty:
        return None
    edition = str(found["edition"].max())
    found = found[found["edition"] == edition]
    series = found.set_index("year")[value].astype(float).sort_index()
    return Witness(source, edition, str(found["group"].iloc[0]), series)


def _derived_lmy(rows: pd.DataFrame, target, tidy: pd.DataFrame, groups) -> Witness | None:
    """ITU's LMY figure derived from its LIC, LMC and UMC estimates weighted by their members' population."""
    from indicators import published as pub

    if target.metric != "value" or rows.empty:
        return None
    parts = {g: pub.select(rows, target.indicator, group=g, sex=target.sex) for g in LMY_PARTS}
    if any(p.empty for p in parts.values()):
        return None
    edition = str(min(p["edition"].max() for p in parts.values()))
    rates = {g: p[p["edition"] == edition].set_index("year")["value"].astype(float) for g, p in parts.items()}
    years = sorted(set.intersection(*(set(r.index) for r in rates.values())))
    pop = tidy[(tidy["indicator"] == "population") & (tidy["sex"] == target.sex)]
    pop = pop.pivot_table(index="iso3", columns="year", values="value", aggfunc="first")
    values = {}
    for year in years:
        if year not in pop.columns:
            continue
        weights = {g: float(pop[year].reindex(sorted(groups.members(g, year))).sum()) for g in LMY_PARTS}
        if min(weights.values()) <= 0:
            continue
        values[year] = sum(rates[g][year] * weights[g] for g in LMY_PARTS) / sum(weights.values())
    if not values:
        return None
    return Witness("itu_key_ict", edition, "LMY", pd.Series(values).sort_index(), method="income_groups")


def _seed_witness(paragraphs, symbol: str, target, entity: str) -> Witness | None:
    """A figure the resolution states for the group in the target's deadline year (ITU's, as the text cites it)."""
    if target.target_year is None:
        return None
    for number, para in sorted(paragraphs.items()):
        figs = [
            f
            for f in para.figures
            if f.get("indicator") == target.indicator
            and f.get("group") == entity
            and f.get("year") == target.target_year
            and f.get("qualifier", "stated") in STATED
            and f.get("value") is not None
            and not f.get("area")
        ]
        by_sex = {f.get("sex", "total"): float(f["value"]) for f in figs}
        if target.metric == "parity_score":
            if "female" not in by_sex or not by_sex.get("male"):
                continue
            value = by_sex["female"] / by_sex["male"]
        elif target.sex in by_sex:
            value = by_sex[target.sex]
        else:
            continue
        return Witness("un_resolution", f"{symbol} ¶{number}", entity, pd.Series({target.target_year: value}))
    return None


def judged_value(witness: Witness, judged: dict, target_year: int | None) -> tuple[float | None, int | None]:
    """(value, year) a witness is quoted with: its deadline value, else its latest."""
    series = witness.series
    year = target_year if target_year in series.index else judged["latest_year"]
    if year is None or year not in series.index:
        return None, None
    return float(series[year]), int(year)


def compare(ours: dict, judged: list[tuple[Witness, dict]], entity: str, target_year: int | None) -> dict:
    """Our verdict beside every judged witness: ``{"verdict", "decided_by", "disputed", "clauses", "adopt"}``.

    ``adopt`` is the judged witness row whose verdict replaces ours when ours cannot judge (None otherwise)."""
    clauses: list[tuple[str, dict]] = []
    decided = [(w, j) for w, j in judged if j["verdict"] != UNDECIDED]
    if ours["verdict"] != UNDECIDED:
        disputed = False
        ours_value = ours["value_at_deadline"] if ours["value_at_deadline"] is not None else ours["latest_value"]
        ours_year = target_year if ours["value_at_deadline"] is not None else ours["latest_year"]
        for w, j in judged:
            value, year = judged_value(w, j, target_year)
            name = w.name(entity)
            if j["verdict"] == ours["verdict"]:
                clauses.append(
                    ("witness_agrees", {"witness": name, "verdict": j["verdict"], "value": value, "year": year})
                )
            elif j["verdict"] == UNDECIDED:
                clauses.append(
                    ("witness_says", {"witness": name, "verdict": j["verdict"], "value": value, "year": year})
                )
            else:
                disputed = True
                params = {"ours": ours["verdict"], "ours_value": ours_value, "ours_year": ours_year}
                params |= {"witness": name, "theirs": j["verdict"], "value": value, "year": year}
                clauses.append(("disputed", params))
        return {
            "verdict": ours["verdict"],
            "decided_by": "ours",
            "disputed": disputed,
            "clauses": clauses,
            "adopt": None,
        }
    if not decided:
        for w, j in judged:
            value, year = judged_value(w, j, target_year)
            clauses.append(
                ("witness_says", {"witness": w.name(entity), "verdict": j["verdict"], "value": value, "year": year})
            )
        return {"verdict": UNDECIDED, "decided_by": "ours", "disputed": False, "clauses": clauses, "adopt": None}
    first, first_row = decided[0]
    value, year = judged_value(first, first_row, target_year)
    clauses.append(
        (
            "witness_decides",
            {"witness": first.name(entity), "verdict": first_row["verdict"], "value": value, "year": year},
        )
    )
    disputed = False
    for w, j in judged:
        if w is first:
            continue
        value, year = judged_value(w, j, target_year)
        code = "witness_agrees" if j["verdict"] == first_row["verdict"] else "witness_says"
        disputed |= j["verdict"] not in (first_row["verdict"], UNDECIDED)
        clauses.append((code, {"witness": w.name(entity), "verdict": j["verdict"], "value": value, "year": year}))
    if disputed:
        clauses.append(("witnesses_differ", {}))
    return {
        "verdict": first_row["verdict"],
        "decided_by": first.source,
        "disputed": disputed,
        "clauses": clauses,
        "adopt": first_row,
    }
