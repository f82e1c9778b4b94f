"""The app's settings: every environment variable it reads, read once, typed, with its default.

``Settings.from_env()`` is called by the entry points (app/wsgi.py for gunicorn, ``python -m app.main``,
app/gunicorn_conf.py, the render helper process); ``create_app(settings)`` keeps them on the Flask app, where the
modules find them (:func:`current`). Nothing else in ``app/`` reads the environment.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path

from app.public_url import parse_base_url
from indicators import DATA_DIR

#: the extension key the app's state is kept under on the Flask app (``server.extensions[EXTENSION]``)
EXTENSION = "divide"
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


class SettingsError(ValueError):
    """An environment variable holds a value the app cannot use; the message names it and what it takes."""


def _bool(name: str, value: str) -> bool:
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise SettingsError(f"{name}={value[:80]!r}: use one of {', '.join(_TRUE + _FALSE)}")


def _int(low: int, high: int) -> Callable[[str, str], int]:
    def parse(name: str, value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            raise SettingsError(f"{name}={value[:80]!r}: use a whole number from {low} to {high}")
        return number

    return parse


def _choice(*allowed: str) -> Callable[[str, str], str]:
    def parse(name: str, value: str) -> str:
        if value.lower() not in allowed:
            raise SettingsError(f"{name}={value[:80]!r}: use one of {', '.join(allowed)}")
        return value.lower()

    return parse


def _sources(name: str, value: str) -> str:
    """Space-separated CSP sources of one directive: never a ``;``, ``,`` or line break (they would add directives)."""
    if re.search(r"[;,\r\n]", value):
        raise SettingsError(f"{name}={value[:80]!r}: space-separated CSP sources only (no ';', ',' or line break)")
    return " ".join(value.split())


def _base_url(name: str, value: str) -> str:
    try:
        return parse_base_url(value)
    except ValueError as exc:
        raise SettingsError(str(exc)) from exc


def _text(_name: str, value: str) -> str:
    return value


def _path(_name: str, value: str) -> Path:
    return Path(value)


def _setting(env: str, default, parse: Callable[[str, str], object]):
    return field(default=default, metadata={"env": env, "parse": parse})


@dataclass(frozen=True)
class Settings:
    """What the app is told by its environment. An unset or empty variable takes the default.

    Data and serving:

    - ``DIVIDE_DATA_DIR`` (``data_dir``, default: the project's ``data/``): the snapshot folder served.
    - ``HOST``, ``PORT`` (``host``, ``port``; ``127.0.0.1``, ``8050``): where ``make run`` and ``make serve`` listen.
    - ``DEBUG`` (``debug``, off): Dash's debug mode for ``python -m app.main``; never on under gunicorn.
    - ``PUBLIC_BASE_URL`` (``public_base_url``, none): ``http(s)://host[/path]`` that permalinks inside downloads
      start with; without it they are relative. Never taken from the request's Host header (app/public_url.py).
    - ``FRAME_ANCESTORS`` (``frame_ancestors``, ``'self'``): the CSP sources allowed to frame the pages.
    - ``EMBED_FRAME_ANCESTORS`` (``embed_frame_ancestors``, ``*``): the same for ``/embed/<chart>``.

    Performance switches (benchmarks measure both sides):

    - ``WARMUP`` (``warmup``, on): warm the caches in gunicorn's master before the workers fork (app/warmup.py).
    - ``CALLBACK_CACHE`` (``callback_cache``, on): answer repeated callback requests from memory.
    - ``PLOTLYJS`` (``plotlyjs``, ``partial``): ``full`` serves Dash's whole plotly.js instead of the app's
      partial bundle (app/plotly_bundle.py).
    - ``BROWSER_PATH`` (``browser_path``, ``/usr/bin/chromium``): the Chromium that renders PNG/SVG/PDF exports.

    gunicorn (app/gunicorn_conf.py):

    - ``WEB_CONCURRENCY`` (``workers``, 2): worker processes.
    - ``GUNICORN_WORKER_CLASS`` (``worker_class``, ``gevent``): ``gevent`` or ``gthread`` (kept for comparison).
    - ``GUNICORN_THREADS`` (``threads``, 4): threads per gthread worker.
    - ``GUNICORN_WORKER_CONNECTIONS`` (``worker_connections``, 1000): connections per gevent worker.
    - ``GUNICORN_CONTROL_SOCKET`` (``control_socket``, ``/tmp/divide-gunicorn-<uid>.ctl``): gunicorn's control
      socket.
    - ``GUNICORN_ACCESSLOG`` (``accesslog``, none): where the access log goes (``-`` for stdout).
    - ``GUNICORN_LOGLEVEL`` (``loglevel``, ``info``): gunicorn's log level.

    Booleans take ``1/true/yes/on`` or ``0/false/no/off``; any other value, like a bad number or URL, stops the
    start with a :class:`SettingsError` naming the variable.
    """

    data_dir: Path = _setting("DIVIDE_DATA_DIR", DATA_DIR, _path)
    host: str = _setting("HOST", "127.0.0.1", _text)
    port: int = _setting("PORT", 8050, _int(1, 65535))
    debug: bool = _setting("DEBUG", False, _bool)
    public_base_url: str = _setting("PUBLIC_BASE_URL", "", _base_url)
    frame_ancestors: str = _setting("FRAME_ANCESTORS", "'self'", _sources)
    embed_frame_ancestors: str = _setting("EMBED_FRAME_ANCESTORS", "*", _sources)
    warmup: bool = _setting("WARMUP", True, _bool)
    callback_cache: bool = _setting("CALLBACK_CACHE", True, _bool)
    plotlyjs: str = _setting("PLOTLYJS", "partial", _choice("partial", "full"))
    browser_path: Path = _setting("BROWSER_PATH", Path("/usr/bin/chromium"), _path)
    workers: int = _setting("WEB_CONCURRENCY", 2, _int(1, 64))
    worker_class: str = _setting("GUNICORN_WORKER_CLASS", "gevent", _choice("gevent", "gthread"))
    threads: int = _setting("GUNICORN_THREADS", 4, _int(1, 256))
    worker_connections: int = _setting("GUNICORN_WORKER_CONNECTIONS", 1000, _int(1, 100_000))
    control_socket: str = _setting("GUNICORN_CONTROL_SOCKET", f"/tmp/divide-gunicorn-{os.getuid()}.ctl", _text)
    accesslog: str | None = _setting("GUNICORN_ACCESSLOG", None, _text)
    loglevel: str = _setting("GUNICORN_LOGLEVEL", "info", _choice("debug", "info", "warning", "error", "critical"))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings ``environ`` (default: ``os.environ``) gives; SettingsError names the first bad variable."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f.metadata["env"], "").strip()
            if raw:
                values[f.name] = f.metadata["parse"](f.metadata["env"], raw)
        return cls(**values)

    @classmethod
    def variables(cls) -> dict[str, str]:
        """Each environment variable read, with the field it fills."""
        return {f.metadata["env"]: f.name for f in fields(cls)}


@cache
def process_settings() -> Settings:
    """The settings of this process's environment, read once: for code that runs outside any app (the export CLI,
    the render helper process, scripts)."""
    return Settings.from_env()


def current() -> Settings:
    """The settings of the app handling this request or app context (``create_app`` keeps them on the Flask app);
    outside any app, :func:`process_settings`."""
    from flask import current_app, has_app_context  # here: gunicorn_conf imports this module before gevent patches

    if has_app_context():
        state = current_app.extensions.get(EXTENSION)
        if state is not None:
            return state.settings
    return process_settings()
