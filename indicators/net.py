"""Limits on everything a refresh takes from the network, shared by the World Bank client and the ITU DataHub fetch.

A publisher that stalls, trickles, pages forever or sends a decompression bomb must cost a bounded time and memory,
and end in the usual one-line ``SourceError`` naming the URL and the limit broken (``LimitExceeded``):

* **overall deadline** of the refresh (``deadline``): no request, retry or back-off sleep starts after it;
* **per-request deadline** (``request_deadline``): one URL from the first byte sent to the last byte of the body,
  retries included — checked each time bytes arrive, and the socket never waits longer than what is left, so a
  body trickled one byte at a time cannot outlive it;
* **gap between bytes** (``read_timeout``) and **connect timeout** (``connect_timeout``), per attempt;
* **pages** (``max_pages``) a paged answer may announce;
* **body size after decompression** (``max_bytes``): the body is streamed and counted as decoded (gzip, deflate),
  so a 2 MB gzip bomb stops at the cap instead of filling memory; ZIP members are capped the same way;
* **redirects** (``max_redirects``), and only to the same scheme, host and port.

Defaults, and why: a healthy refresh makes about 20 requests (the country list, 8 World Bank series, the ITU DataHub
series), each one page of at most a few MB (a World Bank series for all economies since 2000 is ~7,000 records,
~2 MB as JSON at ``per_page=20000``; a DataHub ZIP is under 1 MB), and takes well under a minute. So 15 minutes
overall bounds the worst case (it was about 3 hours if every request stalled) and still leaves a slow link 40× the
time; 3 minutes per request and 60 s between bytes keep the publishers' slow first byte on large queries; 50 pages
allow a ``per_page`` down to 400; 64 MiB is 30× the largest answer expected. Every limit can be set from the
environment (``REFRESH_DEADLINE``, ``REFRESH_REQUEST_DEADLINE``, ``REFRESH_MAX_PAGES``, ``REFRESH_MAX_BYTES``) or
the ``refresh`` command's flags (``--deadline``, ``--request-deadline``, ``--max-pages``, ``--max-bytes``).

Retries stay urllib3's ``Retry`` (429/5xx, connection errors, read timeouts, Retry-After); ``DeadlineRetry`` only
refuses a retry whose wait would end past the request's deadline.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry
from urllib3.util.timeout import Timeout

from indicators.sources import SourceError, retry_after_cap

#: the statuses retried (rate limit and server errors)
RETRY_STATUSES = (429, 500, 502, 503, 504)
#: bytes asked of the socket per read (decoded output is capped to the same)
CHUNK = 64 * 1024
#: environment variable of each limit
ENV = {
    "deadline": "REFRESH_DEADLINE",
    "request_deadline": "REFRESH_REQUEST_DEADLINE",
    "max_pages": "REFRESH_MAX_PAGES",
    "max_bytes": "REFRESH_MAX_BYTES",
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)


class LimitExceeded(SourceError):
    """A publisher's answer broke one of the refresh's limits; the message names the URL and the limit."""


@dataclass(frozen=True)
class Limits:
    """How much time, how many pages and how many bytes a refresh may take (see the module docstring)."""

    deadline: float = 900.0
    request_deadline: float = 180.0
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    max_pages: int = 50
    max_bytes: int = 64 * 2**20
    max_redirects: int = 5

    def __post_init__(self) -> None:
        for f in fields(self):
            if not getattr(self, f.name) > 0:
                raise ValueError(f"limit {f.name} must be positive, not {getattr(self, f.name)!r}")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides) -> Limits:
        """The defaults, then the ``REFRESH_*`` variables, then ``overrides`` that are not None."""
        environ = os.environ if environ is None else environ
        values: dict = {}
        for name, var in ENV.items():
            text = environ.get(var, "").strip()
            if text:
                try:
                    values[name] = parse_size(text) if name == "max_bytes" else _number(name, text)
                except ValueError as exc:
                    raise ValueError(f"{var}={text!r}: {exc}") from exc
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)


def _number(name: str, text: str) -> float | int:
    return int(text) if name == "max_pages" else float(text)


def parse_size(text: str) -> int:
    """``64M``, ``64MiB``, ``500k``, ``1048576`` → bytes (K/M/G are powers of 1024)."""
    match = _SIZE.match(str(text))
    if not match:
        raise ValueError(f"not a size in bytes: {text!r} (e.g. 64M, 500k, 1048576)")
    unit = (match.group(2) or "b")[0].lower()
    return int(float(match.group(1)) * {"b": 1, "k": 2**10, "m": 2**20, "g": 2**30}[unit])


class Budget:
    """The time a refresh has left: its overall deadline, and the deadline of the request under way."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self.ends = time.monotonic() + self.limits.deadline
        self.request_ends = self.ends

    def start_request(self, url: str) -> None:
        """Open a request's deadline; LimitExceeded if the overall one has passed."""
        now = time.monotonic()
        if now >= self.ends:
            raise LimitExceeded(
                f"{url}: not requested, the refresh's overall deadline of {self.limits.deadline:g} s has passed "
                "(--deadline)"
            )
        self.request_ends = min(now + self.limits.request_deadline, self.ends)

    def left(self) -> float:
        """Seconds left for the request under way (never negative)."""
        return max(0.0, self.request_ends - time.monotonic())

    def passed(self) -> str | None:
        """The deadline that has passed, in words, or None."""
        if time.monotonic() < self.request_ends:
            return None
        if self.request_ends >= self.ends:
            return f"the refresh's overall deadline of {self.limits.deadline:g} s (--deadline)"
        return f"the per-request deadline of {self.limits.request_deadline:g} s (--request-deadline)"


class DeadlineRetry(Retry):
    """urllib3's Retry that gives up instead of waiting past the request's deadline (``budget``)."""

    def __init__(self, *args, budget: Budget | None = None, **kw) -> None:
        super().__init__(*args, **kw)
        self.budget = budget

    def new(self, **kw) -> DeadlineRetry:
        retry = super().new(**kw)
        retry.budget = self.budget
        return retry

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        if self.budget is not None:
            wait = retry.get_backoff_time()
            if response is not None and self.respect_retry_after_header:
                wait = max(wait, retry.get_retry_after(response) or 0)
            if wait >= self.budget.left():
                reason = error or ResponseError(f"no retry: the wait of {wait:g} s would pass the deadline")
                raise MaxRetryError(_pool, url, reason) from reason
        return retry


class DeadlineTimeout(Timeout):
    """urllib3's Timeout whose ``total`` is what the request has left, taken afresh for every attempt (urllib3 clones
    the timeout per attempt), so a retry started late cannot outlive the request's deadline."""

    def __init__(self, connect: float, read: float, budget: Budget) -> None:
        super().__init__(connect=connect, read=read, total=max(0.001, budget.left()))
        self.budget = budget

    def clone(self) -> DeadlineTimeout:
        return DeadlineTimeout(self._connect, self._read, self.budget)


def make_session(
    retries: int = 4, backoff: float = 1.0, backoff_max: float = 60.0, budget: Budget | None = None
) -> requests.Session:
    """A session that retries GETs on 429/5xx, connection errors and read timeouts (honouring Retry-After, capped),
    never past ``budget``'s deadlines."""
    retry = DeadlineRetry(
        total=retries,
        backoff_factor=backoff,
        backoff_max=backoff_max,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,  # hand back the last response; get() turns it into a SourceError
        redirect=False,  # get() follows redirects itself, to the same host only
        budget=budget,
        **retry_after_cap(),
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


@dataclass(frozen=True)
class Body:
    """A whole answer: its final URL, status code, reason, headers and decoded body."""

    url: str
    status_code: int
    reason: str
    headers: Mapping[str, str]
    content: bytes


def get(
    session: requests.Session,
    url: str,
    *,
    limits: Limits | None = None,
    budget: Budget | None = None,
    timeout: float | tuple[float, float] | None = None,
) -> Body:
    """GET ``url`` within ``limits``: redirects to the same host only, the body streamed and capped after
    decompression, the request's deadline checked as bytes arrive. SourceError (LimitExceeded for a limit) naming
    ``url``; a non-2xx status is returned, not raised, for the caller to word."""
    limits = limits or (budget.limits if budget else Limits())
    budget = budget or Budget(limits)
    budget.start_request(url)
    _bind(session, budget)
    connect, read = _pair(timeout or limits.timeout)
    target = url
    for _hop in range(limits.max_redirects + 1):
        try:
            resp = session.get(
                target, timeout=DeadlineTimeout(connect, read, budget), stream=True, allow_redirects=False
            )
        except requests.exceptions.ChunkedEncodingError as exc:
            raise SourceError(f"{url}: response truncated ({exc})") from exc
        except requests.RequestException as exc:
            passed = budget.passed()
            if passed:
                raise LimitExceeded(f"{url}: no answer within {passed} ({exc.__class__.__name__})") from exc
            raise SourceError(f"{url}: request failed after retries ({exc.__class__.__name__}: {exc})") from exc
        with resp:
            if not resp.is_redirect:
                return Body(target, resp.status_code, resp.reason or "", resp.headers, _read(resp, url, limits, budget))
            location = urljoin(target, resp.headers.get("Location", ""))
        if not same_origin(target, location):
            raise LimitExceeded(
                f"{url}: redirected to another host ({location}); only same-host redirects are followed"
            )
        target = location
    raise LimitExceeded(f"{url}: more than {limits.max_redirects} redirects")


def same_origin(a: str, b: str) -> bool:
    """The same host and port, and no step down from https to http."""
    pa, pb = urlsplit(a), urlsplit(b)
    ports = {"http": 80, "https": 443}
    if pb.scheme not in ports or (pa.scheme == "https" and pb.scheme != "https"):
        return False
    return (pa.hostname or "").lower() == (pb.hostname or "").lower() and (pa.port or ports.get(pa.scheme)) == (
        pb.port or ports[pb.scheme]
    )


def _pair(timeout: float | tuple[float, float]) -> tuple[float, float]:
    return (timeout, timeout) if isinstance(timeout, int | float) else (float(timeout[0]), float(timeout[1]))


def _bind(session: requests.Session, budget: Budget) -> None:
    """Point the session's DeadlineRetry adapters at ``budget`` (a session made elsewhere keeps its own retries)."""
    for adapter in session.adapters.values():
        retry = getattr(adapter, "max_retries", None)
        if isinstance(retry, DeadlineRetry):
            retry.budget = budget


def _read(resp: requests.Response, url: str, limits: Limits, budget: Budget) -> bytes:
    """The decoded body, at most ``limits.max_bytes``, before the request's deadline."""
    raw = resp.raw
    read = getattr(raw, "read1", None) or raw.read
    chunks, size = [], 0
    try:
        while True:
            _shrink_wait(raw, budget.left(), limits.read_timeout)
            chunk = read(CHUNK, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > limits.max_bytes:
                raise LimitExceeded(
                    f"{url}: the body exceeds {limits.max_bytes:,} bytes after decompression (--max-bytes)"
                )
            passed = budget.passed()
            if passed:
                raise LimitExceeded(f"{url}: the body was not received whole within {passed} ({size:,} bytes so far)")
            chunks.append(chunk)
    except LimitExceeded:
        raise
    except Exception as exc:  # urllib3 / http.client errors while reading the body
        passed = budget.passed()
        if passed:
            raise LimitExceeded(f"{url}: the body was not received whole within {passed} ({size:,} bytes)") from exc
        name = exc.__class__.__name__
        if "Timeout" in name or "timed out" in str(exc):
            raise SourceError(f"{url}: Read timed out after {size:,} bytes of the body ({name})") from exc
        raise SourceError(f"{url}: response truncated or undecodable after {size:,} bytes ({name}: {exc})") from exc
    return b"".join(chunks)


def _shrink_wait(raw, left: float, read_timeout: float) -> None:
    """Let the socket wait no longer than the request has left (best effort: urllib3's connection socket)."""
    sock = getattr(getattr(raw, "connection", None), "sock", None) or getattr(
        getattr(getattr(getattr(raw, "_fp", None), "fp", None), "raw", None), "_sock", None
    )
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.settimeout(max(0.01, min(read_timeout, left)))


#: what a damaged ZIP member raises while it is read (bad CRC, bad deflate stream, cut short, unknown method)
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError, OSError)


def read_zip_member(archive: zipfile.ZipFile, name: str, url: str, max_bytes: int) -> bytes:
    """One member of a downloaded ZIP, at most ``max_bytes`` once inflated; SourceError naming the URL when the
    member is damaged (LimitExceeded when it is too large)."""
    try:
        with archive.open(name) as fh:
            data = fh.read(max_bytes + 1)
    except ZIP_ERRORS as exc:
        why = f"{exc.__class__.__name__}: {exc}"
        raise SourceError(f"{url}: corrupt ZIP: member {name} cannot be read ({why})") from exc
    if len(data) > max_bytes:
        raise LimitExceeded(f"{url}: ZIP member {name} exceeds {max_bytes:,} bytes once inflated (--max-bytes)")
    return data
