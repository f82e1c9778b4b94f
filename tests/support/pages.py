"""The page modules as Dash Pages imported them (``pages.<name>``). Importing ``app.pages.<name>`` instead would run
the module a second time and register its path again, with no layout: the router would then serve an empty page."""

from __future__ import annotations

import sys
from types import ModuleType


def page_module(path: str) -> ModuleType:
    """The module registered for ``path`` (``/explore``), after ``app.main`` has created the app."""
    import dash

    import app.main  # noqa: F401  (pages register themselves on the app)

    name = next(page["module"] for page in dash.page_registry.values() if page["path"] == path)
    return sys.modules[name]
