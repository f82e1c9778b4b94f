"""A catalogue of publisher faults for the FakePublisher (tests/support/fake_publisher.py).

Each ``Fault`` breaks one URL of an otherwise healthy World Bank API v2 + ITU DataHub (see
``tests.test_refresh.serve_publishers``) in one way, and says what a refresh must do about it: succeed after
retrying, or fail with a ``SnapshotError`` whose message names the URL (and the snapshot stays byte-identical).

Replies are sequences (the last one repeats) or callables of the query, so a fault can depend on the page asked
for or record when each request arrived.
"""

from __future__ import annotations

import gzip
import io
import json
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.support.fake_publisher import FakePublisher, Reply, json_body

HTML_ERROR = b"<!DOCTYPE html><html><head><title>Service unavailable</title></head><body>Try later</body></html>"


@dataclass
class Fault:
    """One way a publisher misbehaves: ``install(srv, url)`` breaks ``path``; ``retried`` faults must end in a
    successful refresh, the others in an error containing the URL and ``message``."""

    name: str
    publisher: str  # "worldbank" | "itu_datahub"
    install: Callable[[FakePublisher, str], None]
    message: str = ""
    retried: bool = False
    arrivals: list[float] = field(default_factory=list)  # monotonic times of the requests to the broken path


def recording(fault: Fault, replies: list) -> Callable[[dict], Reply]:
    """A callable reply that notes each arrival in ``fault.arrivals`` and answers ``replies`` in turn."""
    queue = list(replies)

    def answer(query: dict) -> Reply:
        fault.arrivals.append(time.monotonic())
        reply = queue[0] if len(queue) == 1 else queue.pop(0)
        return reply(query) if callable(reply) else reply

    return answer


def wb_page(body: bytes, page: int, pages: int, keep_records: bool = True) -> Reply:
    """A World Bank answer with its meta rewritten to page ``page`` of ``pages`` (records kept or emptied)."""
    meta, records = json.loads(body)
    return json_body([{**meta, "page": page, "pages": pages}, records if keep_records else []])


def wb_faults(healthy: Callable[[], bytes]) -> list[Fault]:
    """Faults on one World Bank indicator path; ``healthy()`` is its good JSON body."""

    def ok() -> Reply:
        return Reply(body=healthy(), headers={"Content-Type": "application/json"})

    body = healthy()
    faults = [
        Fault("wb_500", "worldbank", lambda s, p: s.add(p, Reply(status=500, body=b"oops")), "HTTP 500"),
        Fault("wb_503_then_ok", "worldbank", lambda s, p: s.add(p, Reply(status=503), ok()), retried=True),
        Fault("wb_read_timeout_then_ok", "worldbank", lambda s, p: s.add(p, Reply(delay=1.0), ok()), retried=True),
        Fault("wb_read_timeout", "worldbank", lambda s, p: s.add(p, Reply(delay=1.0, body=body)), "Read timed out"),
        Fault(
            "wb_truncated_json",
            "worldbank",
            lambda s, p: s.add(p, Reply(body=body[: len(body) // 2])),
            "not JSON or truncated JSON",
        ),
        Fault(
            "wb_truncated_transfer",
            "worldbank",
            lambda s, p: s.add(p, Reply(body=body, truncate=True)),
            "truncated",
        ),
        Fault(
            "wb_message_error_200",
            "worldbank",
            lambda s, p: s.add(
                p,
                json_body(
                    [{"message": [{"id": "175", "key": "Invalid format", "value": "The indicator was deleted"}]}]
                ),
            ),
            "API error: id=175",
        ),
        Fault(
            "wb_pages_change",
            "worldbank",
            lambda s, p: s.add(p, lambda q: wb_page(body, int(q["page"][0]), 2 if q["page"] == ["1"] else 3)),
            "page count changed from 2 to 3",
        ),
        Fault(
            "wb_empty_page",
            "worldbank",
            lambda s, p: s.add(p, lambda q: wb_page(body, int(q["page"][0]), 2, keep_records=q["page"] != ["1"])),
            "page 1 of 2 is empty",
        ),
        Fault(
            "wb_empty_series",
            "worldbank",
            lambda s, p: s.add(p, json_body([{"page": 1, "pages": 0, "per_page": 20000, "total": 0}, None])),
            "no observations of IT.NET.USER.ZS",
        ),
        Fault(
            "wb_html_200",
            "worldbank",
            lambda s, p: s.add(p, Reply(body=HTML_ERROR, headers={"Content-Type": "text/html"})),
            "got an HTML page (HTTP 200)",
        ),
        Fault("wb_empty_body_200", "worldbank", lambda s, p: s.add(p, Reply(body=b"")), "empty response body"),
    ]
    retry_after = Fault("wb_429_retry_after", "worldbank", lambda s, p: None, retried=True)
    retry_after.install = lambda s, p: s.add(
        p, recording(retry_after, [Reply(status=429, headers={"Retry-After": "1"}), ok()])
    )
    return [*faults, retry_after]


def itu_faults(healthy: Callable[[], bytes], csv_text: Callable[[], str], zip_of: Callable[[dict], bytes]) -> list:
    """Faults on one ITU DataHub download; ``healthy()`` is its good ZIP, ``csv_text()`` the CSV inside it."""

    def ok() -> Reply:
        return Reply(body=healthy(), headers={"Content-Type": "application/zip"})

    text = csv_text()
    cp1252 = text.replace("Nepal", "Népal").encode("cp1252")
    return [
        Fault("itu_500", "itu_datahub", lambda s, p: s.add(p, Reply(status=500)), "HTTP 500"),
        Fault("itu_503_then_ok", "itu_datahub", lambda s, p: s.add(p, Reply(status=503), ok()), retried=True),
        Fault("itu_read_timeout", "itu_datahub", lambda s, p: s.add(p, Reply(delay=1.0)), "Read timed out"),
        Fault(
            "itu_html_200",
            "itu_datahub",
            lambda s, p: s.add(p, Reply(body=HTML_ERROR, headers={"Content-Type": "text/html; charset=utf-8"})),
            "got an HTML page (HTTP 200)",
        ),
        Fault(
            "itu_zip_without_csv",
            "itu_datahub",
            lambda s, p: s.add(p, Reply(body=zip_of({"README.txt": b"see the portal"}))),
            "expected one CSV in the ZIP, found 0",
        ),
        Fault("itu_corrupt_zip", "itu_datahub", lambda s, p: s.add(p, Reply(body=healthy()[:200])), "corrupt ZIP"),
        Fault(
            "itu_csv_cp1252",
            "itu_datahub",
            lambda s, p: s.add(p, Reply(body=zip_of({"series.csv": cp1252}))),
            "data row 2 (line 3): not UTF-8",
        ),
        Fault(
            "itu_csv_utf16",
            "itu_datahub",
            lambda s, p: s.add(p, Reply(body=text.encode("utf-16"))),
            "not UTF-8",
        ),
        Fault(
            "itu_header_only_csv",
            "itu_datahub",
            lambda s, p: s.add(p, Reply(body=zip_of({"series.csv": text.splitlines(keepends=True)[0].encode()}))),
            "no observations of",
        ),
        Fault("itu_empty_body_200", "itu_datahub", lambda s, p: s.add(p, Reply(body=b"")), "empty response body"),
    ]


# --------------------------------------------------------------------------------------------------------------
# Faults the refresh's limits (indicators/net.py) must stop: run with tiny limits (TINY_LIMITS), so each ends in
# about a second
# --------------------------------------------------------------------------------------------------------------

#: the ``refresh`` flags the limit faults run under (and the control run too)
TINY_LIMITS = ["--deadline", "20", "--request-deadline", "1", "--max-pages", "3", "--max-bytes", "1M"]


def gzip_bomb(size: int = 32 * 2**20) -> bytes:
    """``size`` bytes of zeros, gzipped (about 1/1000 of that on the wire)."""
    return gzip.compress(b"0" * size, compresslevel=9)


def damaged_zip(name: str, data: bytes) -> bytes:
    """A ZIP whose directory is intact but whose deflated member is damaged (a bad stream, or a bad CRC)."""
    body = bytearray(zip_of_deflated(name, data))
    start = 30 + len(name.encode())  # the local header, then the deflated data
    for i in range(start + 2, start + 12):
        body[i] ^= 0xFF
    zipfile.ZipFile(io.BytesIO(bytes(body))).namelist()  # the directory still reads
    return bytes(body)


def zip_of_deflated(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
    return out.getvalue()


def limit_faults(wb_body: Callable[[], bytes], csv_bytes: Callable[[], bytes], csv_name: str) -> list[Fault]:
    """Faults on one World Bank path (``wb_body()`` its good JSON) and one ITU DataHub download (``csv_bytes()``
    the CSV in its ZIP, named ``csv_name``), each against a limit or a malformed body."""
    json_headers = {"Content-Type": "application/json"}

    def endless(query: dict) -> Reply:
        meta, records = json.loads(wb_body())
        return json_body([{**meta, "page": int(query["page"][0]), "pages": 1_000_000}, records])

    def elsewhere(srv: FakePublisher, path: str) -> None:
        port = srv.url.rsplit(":", 1)[1]
        srv.add(path, Reply(status=302, headers={"Location": f"http://localhost:{port}{path}?moved=1"}))

    deep = b"[" * 100_000 + b"]" * 100_000
    return [
        Fault(
            "wb_stalled",
            "worldbank",
            lambda s, p: s.add(p, Reply(delay=4.0, body=wb_body(), headers=json_headers)),
            "no answer within the per-request deadline of 1 s",
        ),
        Fault(
            "wb_trickled_body",
            "worldbank",
            lambda s, p: s.add(p, Reply(body=wb_body(), headers=json_headers, trickle=0.1)),
            "the body was not received whole within the per-request deadline of 1 s",
        ),
        Fault("wb_endless_pages", "worldbank", lambda s, p: s.add(p, endless), "announces 1,000,000 pages"),
        Fault(
            "wb_gzip_bomb",
            "worldbank",
            lambda s, p: s.add(p, Reply(body=gzip_bomb(), headers={**json_headers, "Content-Encoding": "gzip"})),
            "exceeds 1,048,576 bytes after decompression",
        ),
        Fault(
            "wb_deep_json",
            "worldbank",
            lambda s, p: s.add(p, Reply(body=deep, headers=json_headers)),
            "JSON nested too deeply",
        ),
        Fault("wb_redirect_elsewhere", "worldbank", elsewhere, "redirected to another host (http://localhost:"),
        Fault(
            "itu_trickled_body",
            "itu_datahub",
            lambda s, p: s.add(p, Reply(body=zip_of_deflated(csv_name, csv_bytes()), trickle=0.05)),
            "the body was not received whole within the per-request deadline of 1 s",
        ),
        Fault(
            "itu_gzip_bomb",
            "itu_datahub",
            lambda s, p: s.add(p, Reply(body=gzip_bomb(), headers={"Content-Encoding": "gzip"})),
            "exceeds 1,048,576 bytes after decompression",
        ),
        Fault(
            "itu_zip_bomb",
            "itu_datahub",
            lambda s, p: s.add(p, Reply(body=zip_of_deflated(csv_name, csv_bytes() + b" " * (8 * 2**20)))),
            "exceeds 1,048,576 bytes once inflated",
        ),
        Fault(
            "itu_damaged_zip_member",
            "itu_datahub",
            lambda s, p: s.add(p, Reply(body=damaged_zip(csv_name, csv_bytes() * 20))),
            "corrupt ZIP",
        ),
        Fault("itu_redirect_elsewhere", "itu_datahub", elsewhere, "redirected to another host (http://localhost:"),
    ]
