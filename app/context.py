"""The process-wide data and URL-validation context the pages share (loaded once, read-only)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from app.data import AppData, load_app_data
from app.state import Context
from indicators import DATA_DIR


def data_dir() -> Path:
    return Path(os.environ.get("DIVIDE_DATA_DIR", DATA_DIR))


def get_data() -> AppData:
    return load_app_data(data_dir())


@cache
def url_context() -> Context:
    data = get_data()
    return Context(
        indicators=tuple(data.registry),
        sexes_of={k: ind.sexes for k, ind in data.registry.items()},
        groups=tuple(data.group_ids),
        countries=tuple(data.country_codes),
        first_year=data.years[0],
        last_year=data.last_year,
    )
