"""A catalogue of publisher faults for the FakePublisher (tests/support/fake_publisher.py).

Each ``Fault`` breaks one URL of an otherwise healthy World Bank API v2 + ITU DataHub (see
``tests.test_refresh.serve_publishers``) in one way, and says what a refresh must do about it: succeed after
retrying, or fail with a ``SnapshotError`` whose message names the URL (and the snapshot stays byte-identical).

Replies are sequences (the last one repeats) or callables of the query, so a fault can depend on the page asked
for or record when each request arrived.
"""

from __future__ import annotations

import json
import time
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
