"""The install is pinned (issue 16 §5): constraints.txt holds an exact version of every dependency, pyproject's
floors are at or below them, ``make setup`` installs through it, and CI lints as well as tests."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

PROJECT_DIR = Path(__file__).resolve().parent.parent


def pins() -> dict[str, Version]:
    out = {}
    for line in (PROJECT_DIR / "constraints.txt").read_text().splitlines():
        spec = line.split("#", 1)[0].strip()
        if spec:
            name, _, version = spec.partition("==")
            assert version, f"constraints.txt: {line!r} is not an exact pin"
            out[canonicalize_name(name)] = Version(version)
    return out


def requirements() -> list[Requirement]:
    project = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["dev"]]]


def test_every_dependency_is_pinned_within_its_range():
    pinned = pins()
    for req in requirements():
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} is not in constraints.txt (make lock)"
        assert req.specifier.contains(pinned[name], prereleases=True), f"{req} does not admit {pinned[name]}"


def test_floors_are_the_tested_major_minor():
    pinned = pins()
    for req in requirements():
        floors = [Version(s.version) for s in req.specifier if s.operator == ">="]
        tested = pinned[canonicalize_name(req.name)]
        for floor in floors:
            assert (floor.major, floor.minor) == (tested.major, tested.minor), f"{req}: tested {tested}"


def test_make_setup_installs_through_the_constraints():
    makefile = (PROJECT_DIR / "Makefile").read_text()
    venv = re.search(r"^venv:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert venv and "-c constraints.txt -e '.[dev]'" in venv[1]


def test_ci_lints_then_tests():
    steps = [line for line in (PROJECT_DIR / ".ci" / "run").read_text().splitlines() if line.startswith("make ")]
    assert steps == ["make setup", "make lint", "make test"]
