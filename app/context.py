"""The state an app keeps on its Flask app: its settings, the snapshot it serves (loaded once, read-only) and the
URL-validation context the pages share. ``create_app`` installs it; the pages and routes read it through
:func:`get_data` and :func:`url_context`, which answer for the app handling the request."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property

from flask import Flask, current_app, has_app_context

from app.data import AppData, load_app_data
from app.settings import EXTENSION, Settings, process_settings
from app.state import Context


@dataclass
class AppState:
    settings: Settings
    data: AppData

    @cached_property
    def url_context(self) -> Context:
        data = self.data
        return Context(
            indicators=tuple(data.registry),
            sexes_of={k: ind.sexes for k, ind in data.registry.items()},
            groups=tuple(data.group_ids),
            countries=tuple(data.country_codes),
            first_year=data.years[0],
            last_year=data.last_year,
        )


def install(server: Flask, settings: Settings) -> AppState:
    """Load the snapshot ``settings`` name and keep it, with them, on ``server`` (``server.extensions``)."""
    state = AppState(settings, load_app_data(settings.data_dir))
    server.extensions[EXTENSION] = state
    return state


@cache
def _process_state() -> AppState:
    settings = process_settings()
    return AppState(settings, load_app_data(settings.data_dir))


def app_state() -> AppState:
    """The state of the app handling this request or app context; outside any app (scripts, the export CLI, tests
    of the views), the one this process's settings describe."""
    if has_app_context():
        state = current_app.extensions.get(EXTENSION)
        if state is not None:
            return state
    return _process_state()


def get_data() -> AppData:
    return app_state().data


def url_context() -> Context:
    return app_state().url_context
