"""Every Python example in the docs runs, and prints what the page says it prints.

A page's ```python blocks run in order in one namespace (like a notebook). When a block is
followed by a ```text title="Output" block, the printed output must match it (whitespace at line
ends ignored, ``...`` matches anything within a line). Blocks marked ```python title="Not run"
are skipped.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted(p for p in DOCS.glob("*.md") if p.name != "changelog.md")
BLOCK = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```", re.S | re.M)


def _blocks(text: str) -> list[tuple[str, str | None]]:
    found = list(BLOCK.finditer(text))
    out: list[tuple[str, str | None]] = []
    for i, m in enumerate(found):
        lang, attrs, body = m.group(1), m.group(2), m.group(3)
        if lang != "python" or "Not run" in attrs:
            continue
        expected = None
        if i + 1 < len(found):
            nxt = found[i + 1]
            between = text[m.end() : nxt.start()]
            if nxt.group(1) == "text" and "Output" in nxt.group(2) and not between.strip():
                expected = nxt.group(3)
        out.append((body, expected))
    return out


def _matches(expected: str, got: str) -> bool:
    exp = [line.rstrip() for line in expected.strip("\n").splitlines()]
    out = [line.rstrip() for line in got.strip("\n").splitlines()]
    if len(exp) != len(out):
        return False
    for e, o in zip(exp, out, strict=True):
        pattern = ".*".join(re.escape(part) for part in e.split("..."))
        if not re.fullmatch(pattern, o):
            return False
    return True


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples_run_and_print_what_the_page_says(
    page: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for n, (code, expected) in enumerate(_blocks(page.read_text(encoding="utf-8"))):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            exec(compile(code, f"{page.name}[block {n}]", "exec"), namespace)
        if expected is not None:
            got = buffer.getvalue()
            assert _matches(expected, got), (
                f"{page.name} block {n}: printed\n{got}\nbut the page says\n{expected}"
            )


def test_the_docs_have_examples() -> None:
    total = sum(len(_blocks(p.read_text(encoding="utf-8"))) for p in PAGES)
    assert total >= 10
