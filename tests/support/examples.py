"""Hypothesis example counts by profile (the profiles are registered in tests/conftest.py).

A test states its full count, ``@settings(max_examples=examples(6000))``; it runs that many under the ``ci``
profile (``CI=true``, or ``HYPOTHESIS_PROFILE=ci``) and a tenth of it under ``dev``, the default. A test without
its own count runs the profile's ``max_examples``: 100 (Hypothesis' default) under ``ci``, 10 under ``dev``.
"""

from __future__ import annotations

from hypothesis import settings

#: ``max_examples`` of the ``ci`` profile: the counts the tests state are meant at this setting.
FULL = 100


def examples(full: int) -> int:
    """``full`` scaled by the loaded profile (``full`` under ``ci``; at least 1)."""
    return max(1, round(full * settings.default.max_examples / FULL))
