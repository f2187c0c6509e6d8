"""The README's promises: its two commands are Makefile targets, and its examples run."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
MAKEFILE = ROOT / "Makefile"


def _first_code_block(text: str) -> list[str]:
    match = re.search(r"```sh\n(.*?)```", text, re.S)
    assert match, "README must open with a sh code block holding the two commands"
    return [line.split("#")[0].strip() for line in match.group(1).splitlines() if line.strip()]


def _make_targets(text: str) -> set[str]:
    return set(re.findall(r"^([A-Za-z][\w-]*):", text, re.M))


def test_readme_opens_with_make_demo_and_make_test() -> None:
    commands = _first_code_block(README.read_text())
    assert commands == ["make demo", "make test"]


def test_readme_commands_are_makefile_targets() -> None:
    targets = _make_targets(MAKEFILE.read_text())
    for command in _first_code_block(README.read_text()):
        assert command.split()[1] in targets


def test_make_test_runs_every_check() -> None:
    text = MAKEFILE.read_text()
    recipe = re.search(r"^test:(.*)$", text, re.M)
    assert recipe is not None
    for step in ("lint", "typecheck", "pytest", "examples", "docs"):
        assert step in recipe.group(1).split()
    for tool in ("ruff check", "ruff format --check", "mypy", "pytest", "mkdocs build --strict"):
        assert tool in text


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_examples_run() -> None:
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testfile(str(README), module_relative=False, optionflags=flags)
    assert result.attempted > 5
    assert result.failed == 0
