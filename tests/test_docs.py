"""The docs keep up with the code: every environment variable the code reads, every CLI command and option, and
every URL parameter of a page is documented, each in its own place, and every link between the README and docs/
resolves (files and #anchors).

Where each belongs:

- an environment variable → the table under "## Environment variables" in docs/deploy.md;
- a subcommand of ``python -m indicators`` or ``python -m app.export`` → a heading ``### `python -m … <command>` ``
  in docs/cli.md, with each of its options in that section (the global options anywhere in the page);
- a URL parameter (a field of a view dataclass in app/state.py, named by its ``param`` metadata) → a row of the
  table under "## URL parameters" in docs/pages.md.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
DOCS = PROJECT / "docs"
README = PROJECT / "README.md"
#: docs another piece of work creates (issue 24 §4): a link to one may dangle until it lands, never once it exists
PENDING = {DOCS / "performance.md"}
#: upper-case strings in modules that read the environment which are not variables: HTTP methods, a header value,
#: Flask config keys
NOT_VARIABLES = {"GET", "HEAD", "POST", "SAMEORIGIN", "MAX_CONTENT_LENGTH", "DIVIDE_PLOTLYJS_BUNDLE"}
_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


# ---- reading the docs ------------------------------------------------------------------------------------------


def prose_lines(text: str) -> list[str]:
    """The lines of a Markdown text outside fenced code blocks."""
    lines, fenced = [], False
    for line in text.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def section(path: Path, heading: str) -> str:
    """The text under the heading whose title is ``heading`` (any level), up to the next heading of that level or
    higher; fails naming the page when the heading is absent."""
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"^(#+)\s+(.*?)\s*$", line)
        if m and m.group(2) == heading:
            level, body = len(m.group(1)), []
            for rest in lines[i + 1 :]:
                n = re.match(r"^(#+)\s", rest)
                if n and len(n.group(1)) <= level:
                    break
                body.append(rest)
            return "\n".join(body)
    pytest.fail(f"{path.relative_to(PROJECT)} has no heading {heading!r}")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())  # a link in a heading: its text
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for line in prose_lines(path.read_text(encoding="utf-8")):
        m = re.match(r"^#+\s+(.*?)\s*#*\s*$", line)
        if m:
            base = slug(m.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            out.add(base if n == 0 else f"{base}-{n}")
    return out


def markdown_pages() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


# ---- what the code defines -------------------------------------------------------------------------------------


def environment_variables() -> dict[str, set[str]]:
    """Every environment variable the code in app/ and indicators/ reads → the files that read it: the upper-case
    string constants of each module that touches ``os.environ`` or ``getenv`` (read directly, as a default
    argument, or from a table of names like ``indicators.net.ENV``)."""
    found: dict[str, set[str]] = {}
    for folder in ("app", "indicators"):
        for path in (PROJECT / folder).rglob("*.py"):
            if "node_modules" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            if "environ" not in source and "getenv" not in source:
                continue
            for node in ast.walk(ast.parse(source)):
                value = node.value if isinstance(node, ast.Constant) else None
                if isinstance(value, str) and len(value) > 2 and _NAME.fullmatch(value) and value not in NOT_VARIABLES:
                    found.setdefault(value, set()).add(str(path.relative_to(PROJECT)))
    return found


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert actions, f"{parser.prog} has no subcommands"
    return dict(actions[0].choices)


def long_options(parser: argparse.ArgumentParser) -> list[str]:
    return [
        max(action.option_strings, key=len)
        for action in parser._actions
        if action.option_strings and not isinstance(action, argparse._HelpAction)
    ]


def cli_parsers() -> dict[str, argparse.ArgumentParser]:
    from app.export.cli import build_parser as export_parser
    from indicators.cli import build_parser as indicators_parser

    return {"python -m indicators": indicators_parser(), "python -m app.export": export_parser()}


def url_parameters() -> dict[str, list[str]]:
    """Each URL parameter of the pages → the view dataclasses of app/state.py that read it."""
    import app.state as state

    found: dict[str, list[str]] = {}
    for name, obj in vars(state).items():
        if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == state.__name__:
            for f in dataclasses.fields(obj):
                if "param" in f.metadata:
                    found.setdefault(f.metadata["param"], []).append(name)
    return found


# ---- the tests -------------------------------------------------------------------------------------------------


def test_every_environment_variable_is_in_deploy_md():
    variables = environment_variables()
    # the scan itself must keep seeing the variables it is known to read, or it would pass by seeing none
    assert {"PUBLIC_BASE_URL", "HOST", "REFRESH_DEADLINE", "EMBED_FRAME_ANCESTORS"} <= set(variables)
    table = section(DOCS / "deploy.md", "Environment variables")
    documented = set(re.findall(r"^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|", table, flags=re.M))
    missing = {name: sorted(files) for name, files in variables.items() if name not in documented}
    assert not missing, (
        "environment variables read by the code but not in the table under '## Environment variables' in "
        f"docs/deploy.md (add a row: name, default, where it is read, what it does): {missing}"
    )


def test_every_cli_command_and_option_is_in_cli_md():
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    problems = []
    for prog, parser in cli_parsers().items():
        for option in long_options(parser):
            if option not in page:
                problems.append(f"{prog} {option} (a global option): not mentioned in docs/cli.md")
        for command, sub in subcommands(parser).items():
            heading = f"`{prog} {command}`"
            if not re.search(rf"^#+\s+{re.escape(heading)}\s*$", page, flags=re.M):
                problems.append(f"{prog} {command}: no heading '### {heading}' in docs/cli.md")
                continue
            text = section(DOCS / "cli.md", heading)
            problems += [
                f"{prog} {command} {option}: not mentioned under its heading in docs/cli.md"
                for option in long_options(sub)
                if not re.search(rf"{re.escape(option)}(?![\w-])", text)
            ]
    assert not problems, "\n".join(problems)


def test_every_url_parameter_is_in_pages_md():
    parameters = url_parameters()
    assert {"indicator", "group", "lang"} <= set(parameters)
    table = section(DOCS / "pages.md", "URL parameters")
    documented = set(re.findall(r"^\|\s*`([a-z_]+)`\s*\|", table, flags=re.M))
    missing = {param: views for param, views in parameters.items() if param not in documented}
    assert not missing, (
        "URL parameters of app/state.py's views without a row in the table under '## URL parameters' in "
        f"docs/pages.md (parameter, pages, values, default): {missing}"
    )


def test_links_between_the_readme_and_docs_resolve():
    problems = []
    for page in markdown_pages():
        for line in prose_lines(page.read_text(encoding="utf-8")):
            for target in _LINK.findall(line):
                if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
                    continue
                file_part, _, anchor = target.partition("#")
                path = (page.parent / file_part).resolve() if file_part else page
                where = f"{page.relative_to(PROJECT)}: ({target})"
                if not path.exists():
                    if path not in PENDING:
                        problems.append(f"{where} names a file that does not exist")
                    continue
                if anchor and path.suffix == ".md" and anchor not in anchors(path):
                    problems.append(f"{where}: {path.relative_to(PROJECT)} has no heading with anchor #{anchor}")
    assert not problems, "\n".join(problems)


def test_the_readme_is_a_door_to_every_doc():
    readme = README.read_text(encoding="utf-8")
    unlinked = [p.name for p in sorted(DOCS.glob("*.md")) if f"(docs/{p.name})" not in readme]
    assert not unlinked, f"docs/ pages the README does not link: {unlinked}"
    lines = len(readme.splitlines())
    assert lines <= 150, f"README.md has {lines} lines: keep it a door (≤ 150), move the rest into docs/"
