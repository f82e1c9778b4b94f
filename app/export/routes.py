"""HTTP routes on the Flask server: data permalinks and downloads, all through app.export's pure functions.

- ``/data.csv?<explore query>``, ``/data.xlsx?…`` and ``/data.json?…``: the rows of the Explore view the query names
  (``tab`` picks chart/table → the series, map → one year's map values, ranking → the ranking).
- ``/download/<chart>.<fmt>?<query>``: chart in ``charts.CHARTS``, fmt in png/svg/pdf/csv/xlsx/zip/json.
- ``/download/briefing.pdf?group=LDC[,SIDS]&lang=en[&paper=letter]``: the multi-page briefing pack (A4 by default).
- ``/download/scorecard.<csv|xlsx|zip|json>?group=&lang=en``: the resolution scorecard, numbers beside their words.

An invalid parameter gets HTTP 400 with a plain-text message naming it (never a traceback); the file name in
Content-Disposition is built from validated values and slugified (app/export/names.py). The permalink written into
each file starts with ``PUBLIC_BASE_URL`` or is relative (app/public_url.py): never the request's Host header, so a
response marked ``public`` is the same whatever Host it was asked with.
"""

from __future__ import annotations

import re

from flask import Flask, Response, request

from app.export import briefing, charts, scorecard
from app.export.formats import FORMATS, MIME, export_bytes
from app.export.render_error import RenderError
from app.i18n import normalise, translator
from app.lru import BytesLRU
from app.settings import current

CACHE_SIZE = 48
#: the formats of the data permalinks ``/data.<fmt>``
DATA_FORMATS = ("csv", "xlsx", "json")
#: the download cache's bound in bytes per process (a briefing pack is ~2 MB, a chart PNG ~0.4 MB, a CSV a few KB)
CACHE_BYTES = 16 * 1024 * 1024
_NAME = re.compile(r"^[a-z][a-z-]{0,30}$")
#: a small per-process LRU of finished downloads (same query, same day → same bytes), bounded by entries and by
#: bytes (a file larger than a quarter of the bound is not kept); values are (body, file name)
_cache = BytesLRU(CACHE_SIZE, CACHE_BYTES, largest_part=4, size=lambda item: len(item[0]))


def _cached(key: tuple, make) -> tuple[bytes, str]:
    """The download under ``key`` from the cache, else ``make()``'s (kept)."""
    return _cache.get_or_make(key, make)


def cache_bytes() -> int:
    """What the download cache holds now, in bytes."""
    return _cache.nbytes


def _bad_request(problems: list[str], lang: str = "en") -> Response:
    t = translator(lang)
    body = t("export.error_title") + "\n" + "\n".join(f"- {p}" for p in problems) + "\n"
    return Response(body, status=400, mimetype="text/plain")


def _file_response(body: bytes, fmt: str, name: str, *, inline: bool = False) -> Response:
    resp = Response(body, mimetype=MIME[fmt].split(";")[0])
    if ";" in MIME[fmt]:
        resp.headers["Content-Type"] = MIME[fmt]
    disposition = "inline" if inline else "attachment"
    resp.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


def _lang() -> str:
    return normalise(request.args.get("lang"))


def _chart_download(chart: str, fmt: str, query: dict, *, inline: bool = False) -> Response:
    if fmt not in FORMATS:
        return _bad_request([translator(_lang())("export.unknown_format", fmt=fmt[:12], formats=", ".join(FORMATS))])
    try:
        exp = charts.build(chart, query, base_url=current().public_base_url)
    except charts.QueryError as exc:
        return _bad_request(exc.problems, _lang())
    key = (chart, fmt, exp.meta.url, exp.meta.generated)
    try:
        body, name = _cached(key, lambda: (export_bytes(exp, fmt), exp.file_name(fmt)))
    except RenderError as exc:
        return Response(f"{exc}\n", status=503, mimetype="text/plain")
    return _file_response(body, fmt, name, inline=inline)


def register_export_routes(server: Flask) -> None:
    """Add the data and download routes to the app's Flask server (called from app.main.create_app)."""

    @server.get("/data.<fmt>")
    def data_permalink(fmt: str):
        if fmt not in DATA_FORMATS:
            return _bad_request([f"/data.{fmt[:12]}: use /data.csv, /data.xlsx or /data.json"])
        query = request.args.to_dict(flat=True)
        return _chart_download(charts.chart_for_tab(query), fmt, query, inline=fmt == "json")

    @server.get("/download/<name>.<fmt>")
    def download(name: str, fmt: str):
        if not _NAME.match(name):
            names = ", ".join([*charts.CHARTS, "briefing"])
            return _bad_request([translator(_lang())("export.unknown_chart", chart=name[:40], charts=names)])
        if name == "briefing":
            return _briefing(fmt)
        if name == "scorecard":
            return _scorecard(fmt)
        return _chart_download(name, fmt, request.args.to_dict(flat=True))

    def _scorecard(fmt: str) -> Response:
        if fmt not in scorecard.FORMATS:
            formats = ", ".join(scorecard.FORMATS)
            return _bad_request([translator(_lang())("export.unknown_format", fmt=fmt[:12], formats=formats)])
        try:
            exp = scorecard.build(request.args.to_dict(flat=True), base_url=current().public_base_url)
        except charts.QueryError as exc:
            return _bad_request(exc.problems, _lang())
        key = ("scorecard", fmt, exp.meta.url, exp.meta.generated)
        body, name = _cached(key, lambda: (scorecard.export_bytes(exp, fmt), exp.file_name(fmt)))
        return _file_response(body, fmt, name, inline=fmt == "json")

    def _briefing(fmt: str) -> Response:
        if fmt != "pdf":
            return _bad_request([translator(_lang())("export.unknown_format", fmt=fmt[:12], formats="pdf")])
        try:
            spec = briefing.parse_request(request.args.to_dict(flat=True))
        except charts.QueryError as exc:
            return _bad_request(exc.problems, _lang())
        base_url = current().public_base_url
        key = ("briefing", spec.groups, spec.lang, spec.paper, briefing.today_iso(), base_url)
        try:
            body, name = _cached(key, lambda: (briefing.build_pdf(spec, base_url=base_url), spec.file_name()))
        except RenderError as exc:
            return Response(f"{exc}\n", status=503, mimetype="text/plain")
        return _file_response(body, "pdf", name)
