"""The composition root: app/settings.py reads every environment variable the app reads, once, typed, documented,
with its default; ``create_app(settings)`` keeps them and the snapshot on the Flask app; no app is built at
import; Dash registers the pages under the package (``app.pages.<name>``)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.settings import EXTENSION, Settings, SettingsError, current
from indicators import DATA_DIR

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP_DIR = PROJECT_DIR / "app"


def test_the_defaults():
    s = Settings.from_env({})
    assert (s.data_dir, s.host, s.port, s.debug) == (DATA_DIR, "127.0.0.1", 8050, False)
    assert (s.public_base_url, s.frame_ancestors, s.embed_frame_ancestors) == ("", "'self'", "*")
    assert (s.warmup, s.callback_cache, s.plotlyjs, s.browser_path) == (
        True,
        True,
        "partial",
        Path("/usr/bin/chromium"),
    )
    assert (s.workers, s.worker_class, s.threads, s.worker_connections) == (2, "gevent", 4, 1000)
    assert (s.accesslog, s.loglevel) == (None, "info") and s.control_socket.startswith("/tmp/divide-gunicorn-")
    assert Settings.from_env({"PORT": "", "DEBUG": "  "}) == s  # empty is unset


def test_values_are_typed():
    s = Settings.from_env(
        {"DIVIDE_DATA_DIR": "/srv/data", "PORT": "9000", "DEBUG": "1", "WARMUP": "off", "CALLBACK_CACHE": "no",
         "PLOTLYJS": "FULL", "PUBLIC_BASE_URL": "https://divide.example.org/app/", "WEB_CONCURRENCY": "4"}
    )  # fmt: skip
    assert (s.data_dir, s.port, s.debug, s.warmup, s.callback_cache) == (Path("/srv/data"), 9000, True, False, False)
    assert (s.plotlyjs, s.public_base_url, s.workers) == ("full", "https://divide.example.org/app", 4)


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("PORT", "eighty", "whole number from 1 to 65535"),
        ("PORT", "70000", "whole number"),
        ("DEBUG", "maybe", "1, true, yes, on, 0, false, no, off"),
        ("WARMUP", "2", "one of"),
        ("PLOTLYJS", "half", "partial, full"),
        ("PUBLIC_BASE_URL", "evil.example", "http(s)://host"),
        ("FRAME_ANCESTORS", "'self'; script-src *", "CSP sources only"),
        ("WEB_CONCURRENCY", "0", "whole number from 1"),
        ("GUNICORN_WORKER_CLASS", "sync", "gevent, gthread"),
        ("GUNICORN_LOGLEVEL", "loud", "info"),
    ],
)
def test_a_bad_value_stops_with_a_message_naming_the_variable(variable, value, says):
    with pytest.raises(SettingsError) as err:
        Settings.from_env({variable: value})
    assert str(err.value).startswith(f"{variable}=") and says in str(err.value)


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().port = 1  # type: ignore[misc]


def test_every_variable_is_documented_with_its_field():
    doc = Settings.__doc__ or ""
    for variable, name in Settings.variables().items():
        assert f"``{variable}``" in doc and f"``{name}``" in doc, variable


def test_nothing_else_in_the_app_reads_the_environment():
    readers = [
        f"{path.relative_to(PROJECT_DIR)}:{n}"
        for path in APP_DIR.rglob("*.py")
        if path.name != "settings.py" and "node_modules" not in path.parts
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"os\.environ|getenv\(", line)
    ]
    assert readers == []


def test_the_app_keeps_its_settings_and_snapshot():
    from app import context, main
    from app.wsgi import app, settings

    assert not hasattr(main, "app") and not hasattr(main, "server")  # nothing built at import
    state = app.server.extensions[EXTENSION]
    assert state.settings is settings and state.data.registry
    with app.server.app_context():
        assert current() is settings and context.get_data() is state.data
        assert context.url_context() is state.url_context


def test_pages_register_under_the_package_so_importing_one_keeps_its_route():
    """``from app.pages import explore`` before the first request used to register /explore twice (a 500)."""
    script = """
import os, dash
from app.main import create_app
from app.settings import Settings
app = create_app(Settings())
from app.pages import explore
assert "DIVIDE_DATA_DIR" not in os.environ
assert explore.layout is dash.page_registry["app.pages.explore"]["layout"]
assert sorted(p["path"] for p in dash.page_registry.values()).count("/explore") == 1
print(app.server.test_client().get("/explore").status_code)
"""
    env = {k: v for k, v in __import__("os").environ.items() if k != "DIVIDE_DATA_DIR"}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "200"
