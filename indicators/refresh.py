"""``make refresh``: pull the live series from the publishers and replace their rows in the snapshot.

World Bank API v2 (the eight WDI series in ``worldbank.API_CODES``, plus the country list that tells economies from
aggregates) and ITU DataHub (every registry series with a ``series_id``, downloaded by id) are fetched; sources with
no live endpoint here (the ITU gender table, the UN SDG extract, UNSD M49) keep their rows from the current snapshot,
and so do group memberships (rebuilt by ``make snapshot`` from new M49 files).

Any failure — a publisher down, an answer past the limits (``indicators.net``), a malformed answer, a frame that fails
validation — raises before anything is written, so the existing snapshot stays byte-identical; ``write_snapshot``
then switches the new snapshot in whole, in one step, with the refresh's report inside it.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from indicators.net import Budget, Limits
from indicators.registry import load_registry
from indicators.schema import KEY
from indicators.snapshot import Snapshot, SnapshotError, read_snapshot, write_snapshot
from indicators.sources import SourceError
from indicators.tidy import combine_series, split_aggregates, to_tidy

LIVE_SOURCES = ("worldbank", "itu_datahub")


def datahub_series_ids() -> dict[str, int]:
    return {
        ref.code: int(ref.series_id)
        for ind in load_registry().values()
        for ref in ind.sources
        if ref.source == "itu_datahub" and ref.series_id
    }


def refresh_snapshot(
    data_dir: Path,
    *,
    start: int = 2000,
    end: int | None = None,
    wb_base: str | None = None,
    itu_base: str | None = None,
    retries: int = 4,
    backoff: float = 1.0,
    timeout: tuple[float, float] | None = None,
    progress: bool = True,
    allow_shrink: bool = False,
    limits: Limits | None = None,
) -> str:
    """Fetch, validate, merge and write; returns a one-paragraph summary. Raises SnapshotError on any failure.

    Each fetched series must be the same kind of data as the snapshot's, at least as complete
    (``indicators.refresh_guard``; ``allow_shrink`` accepts a series with fewer economies or rows). The per-series
    report is written into the new snapshot (``refresh_report.json``).

    Every request is within ``limits`` (``indicators.net``: the refresh's overall deadline, a per-request deadline
    counting the whole body, pages, body size after decompression, same-host redirects; default
    ``Limits.from_env()``); ``timeout`` is (connect, read) per attempt, default the limits'."""
    from indicators.refresh_guard import RefreshRefused
    from indicators.sources import itu, worldbank

    budget = Budget(limits or Limits.from_env())

    end = end or dt.date.today().year
    wb_base = wb_base or os.environ.get("WB_API_BASE", worldbank.BASE_URL)
    itu_base = itu_base or os.environ.get("ITU_API_BASE", itu.DATAHUB_BASE_URL)
    current = read_snapshot(data_dir)
    today = dt.date.today().isoformat()
    try:
        client = worldbank.WorldBankClient(
            base_url=wb_base, retries=retries, backoff=backoff, timeout=timeout, budget=budget
        )
        countries = client.fetch_countries()
        aggregates = set(countries.loc[countries["is_aggregate"], "iso3"])
        wb_parts, agg_parts, requests_log, reports = [], [], [], []
        bar = tqdm(worldbank.API_CODES, desc="World Bank", unit="indicator", disable=not progress)
        for code in bar:
            bar.set_postfix_str(code)
            raw = client.fetch_indicator(code, start=start, end=end)
            url = client.url_for(f"country/all/indicator/{code}", {"date": f"{start}:{end}"})
            _check_not_emptied(raw, current.tidy, "worldbank", code, url)
            economies, aggs = split_aggregates(raw, aggregates)
            held = current.tidy[current.tidy["year"].between(start, end)]  # the years asked for
            reports.append(_guard(raw, economies, held, "worldbank", code, url, allow_shrink))
            wb_parts.append(to_tidy(economies, "worldbank", origin=url))
            agg_parts.append(aggs.assign(source="worldbank"))
            requests_log.append(("worldbank", url, len(raw), _latest(raw)))
        session = itu.datahub_session(total=retries, backoff_factor=backoff, budget=budget)
        itu_parts = []
        bar = tqdm(datahub_series_ids().items(), desc="ITU DataHub", unit="series", disable=not progress)
        for code, series_id in bar:
            bar.set_postfix_str(code)
            raw = itu.fetch_datahub_series(
                series_id, base_url=itu_base, session=session, timeout=timeout, budget=budget
            )
            url = itu.datahub_url(series_id, itu_base)
            _check_not_emptied(raw, current.tidy, "itu_datahub", code, url)
            reports.append(_guard(raw, raw, current.tidy, "itu_datahub", code, url, allow_shrink))
            itu_parts.append(to_tidy(raw, "itu_datahub", origin=url))
            requests_log.append(("itu_datahub", url, len(raw), today))
    except (SourceError, RefreshRefused) as err:
        raise SnapshotError(f"refresh failed, the snapshot was left as it was: {err}") from err
    except ValueError as err:  # validation of a fetched frame
        raise SnapshotError(f"refresh failed, the snapshot was left as it was: {err}") from err

    kept = current.tidy[~current.tidy["source"].isin(LIVE_SOURCES)]
    combined = combine_series([*wb_parts, *itu_parts, kept])
    tidy = combined.tidy
    from indicators import published
    from indicators.breaks import carried_breaks
    from indicators.snapshot import _publisher_aggregates

    # publishers with no live endpoint here (ITU Key ICT, the SDG database) keep their group estimates
    kept_published = current.publisher_aggregates[current.publisher_aggregates["source"] != "worldbank"]
    # the previous vintages of the series refreshed now are what the snapshot held until now
    previous = [current.previous_vintages] if current.previous_vintages is not None else []
    replaced = current.tidy[current.tidy["source"].isin(LIVE_SOURCES)]
    previous_vintages = _previous_vintages([*previous, combined.previous_vintages, replaced], tidy)
    snap = Snapshot(
        tidy=tidy,
        publisher_aggregates=published.combine_published([_publisher_aggregates(agg_parts), kept_published]),
        superseded=combined.superseded,
        previous_vintages=previous_vintages,
        breaks=carried_breaks(current.breaks, tidy, previous_vintages),
        membership=current.membership,
        countries=current.countries,
        provenance=_refreshed_provenance(current.provenance, requests_log, tidy, today),
    )
    try:
        write_snapshot(snap, data_dir, extra={REPORT: _report_json(reports, today)})
    except (ValueError, OSError) as err:
        raise SnapshotError(f"refresh failed while writing, the snapshot was left as it was: {err}") from err
    counts = tidy.groupby("source").size().to_dict()
    changed = sum(r.changed for r in reports)
    added, removed = sum(r.added for r in reports), sum(r.removed for r in reports)
    return (
        f"refreshed {len(requests_log)} series into {data_dir}: {len(tidy):,} observations {counts}; "
        f"{added:,} points added, {removed:,} removed, {changed:,} changed (report: {REPORT})"
    )


#: the refresh's per-series report, a file of the snapshot it wrote
REPORT = "refresh_report.json"


def _guard(raw, economies, tidy, source: str, code: str, url: str, allow_shrink: bool):
    """``refresh_guard.check_series`` for one fetched series against the snapshot's rows of it (``tidy``: the
    snapshot's rows of the years the request asked for)."""
    from indicators.refresh_guard import check_series
    from indicators.registry import indicator_for

    held = tidy[(tidy["source"] == source) & (tidy["source_code"] == code)]
    ind = indicator_for(source, code)
    return check_series(
        raw, economies, held, source=source, code=code, url=url, unit=ind.unit if ind else "", allow_shrink=allow_shrink
    )


def _report_json(reports: list, today: str) -> str:
    """The report, written into the new snapshot with the rest of it (so it is switched in with it)."""
    import json

    return json.dumps({"refreshed": today, "series": [r.to_json() for r in reports]}, indent=2) + "\n"


def _previous_vintages(parts: list[pd.DataFrame], tidy: pd.DataFrame) -> pd.DataFrame:
    """Rows of earlier vintages: every part's rows whose vintage differs from the row now in ``tidy`` for that key
    (one row per key and vintage)."""
    parts = [p for p in parts if p is not None and len(p)]
    if not parts:
        return tidy.iloc[0:0]
    rows = pd.concat(parts, ignore_index=True).drop_duplicates([*KEY, "source", "source_code", "vintage"])
    now = tidy[[*KEY, "source", "source_code", "vintage"]].rename(columns={"vintage": "_now"})
    rows = rows.merge(now, on=[*KEY, "source", "source_code"], how="inner")
    rows = rows[rows["vintage"] != rows["_now"]].drop(columns="_now")
    return rows[list(tidy.columns)].sort_values([*KEY, "vintage"]).reset_index(drop=True)


def _check_not_emptied(raw: pd.DataFrame, tidy: pd.DataFrame, source: str, code: str, url: str) -> None:
    """A series that comes back empty while the snapshot holds rows of it is a publisher fault, not a deletion."""
    if len(raw):
        return
    held = int(((tidy["source"] == source) & (tidy["source_code"] == code)).sum())
    if held:
        raise SourceError(f"{url}: no observations of {code}, where the snapshot holds {held}; not replacing them")


def _latest(raw: pd.DataFrame) -> str | None:
    return max(raw["vintage"]) if len(raw) else None


def _refreshed_provenance(old: dict, log: list[tuple], tidy: pd.DataFrame, today: str) -> dict:
    prov = {**old, "built": today, "builder": "python -m indicators refresh", "tidy_rows": len(tidy)}
    sources = dict(old.get("sources", {}))
    for key in LIVE_SOURCES:
        entries = [e for e in log if e[0] == key]
        if not entries:
            continue
        facts = dict(sources.get(key, {}))
        vintages = sorted({v for *_, v in entries if v})
        facts.update(
            vintage=vintages[-1] if vintages else today,
            vintages=vintages,
            files=[{"url": url, "rows": rows, "vintage": v, "retrieved": today} for _, url, rows, v in entries],
            tidy_rows=int((tidy["source"] == key).sum()),
            indicators=sorted(set(tidy.loc[tidy["source"] == key, "indicator"])),
        )
        sources[key] = facts
    prov["sources"] = sources
    return prov
