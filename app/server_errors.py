"""gunicorn's own error pages (400 bad request line, 414 URI too long, 431 headers too large, …) with the app's
security headers.

gunicorn answers a request it cannot parse before the app sees it, through ``gunicorn.util.write_error``, which
has no setting for headers. ``install()`` (called from app/gunicorn_conf.py, in the master before the workers fork)
wraps that function so those pages carry the same nosniff / framing / referrer headers as the app's responses, a
CSP that allows nothing (the page has no script or style), and ``Cache-Control: no-store``.
"""

from __future__ import annotations

import html
import textwrap

#: Headers of every app response that do not depend on the page (app/security.py adds the CSP with its hashes).
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
ERROR_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


def error_page_headers() -> dict[str, str]:
    return {
        "Content-Security-Policy": ERROR_PAGE_CSP,
        **COMMON_HEADERS,
        "X-Frame-Options": "DENY",
        "Cache-Control": "no-store",
    }


def error_response(status: int, reason: str, mesg: str) -> bytes:
    """The bytes of one error response (the connection is closed after it, as gunicorn does)."""
    body = textwrap.dedent(
        f"""\
        <!DOCTYPE html>
        <html lang="en"><head><title>{html.escape(reason)}</title></head>
        <body><h1>{html.escape(reason)}</h1><p>{html.escape(mesg)}</p></body></html>
        """
    ).encode("utf-8")
    head = [f"HTTP/1.1 {int(status)} {reason}", "Connection: close", "Content-Type: text/html; charset=utf-8"]
    head += [f"{name}: {value}" for name, value in error_page_headers().items()]
    head.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def install() -> None:
    """Make gunicorn write its error pages through :func:`error_response`."""
    from gunicorn import util

    def write_error(sock, status_int, reason, mesg):
        util.write_nonblock(sock, error_response(status_int, reason, mesg))

    write_error.__wrapped__ = util.write_error  # type: ignore[attr-defined]
    util.write_error = write_error
