"""The WSGI entry point for gunicorn (``make serve``: ``gunicorn -c app/gunicorn_conf.py app.wsgi:server``): the
app built once, at import, on the settings of the environment (app/settings.py)."""

from __future__ import annotations

from app.main import create_app
from app.settings import Settings

settings = Settings.from_env()
app = create_app(settings)
server = app.server
