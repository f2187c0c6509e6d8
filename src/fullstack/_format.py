"""Formatting helpers shared by the CLI, the HTML reprs and the demo: text and HTML tables.

The bottom layer of the package with `fullstack.errors`: it imports only
`fullstack._quantity_text` (for `format_value`), so any module may use it (see
``docs/architecture.md``).

Example:
    >>> print(text_table([["H20", "148"]], ("chip", "TFLOP/s")))
    chip  TFLOP/s
    ----  -------
    H20   148
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from fullstack._quantity_text import format_value

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["html_table", "text_table"]


def text_table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    """A plain-text table with aligned columns and a rule under the header.

    Example:
        >>> print(text_table([["a", 1], ["bb", 22]], ("x", "y")))
        x   y
        --  --
        a   1
        bb  22
    """
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def html_table(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A small HTML table (cells escaped, numbers by `format_value`); None shows as an empty cell.

    Example:
        >>> html_table(("chip", "TDP"), [["H20", 400.0], ["<b>", None]])
        '<table><tr><th>chip</th><th>TDP</th></tr><tr><td>H20</td><td>400</td></tr><tr><td>&lt;b&gt;</td><td></td></tr></table>'
    """

    def cell(v: Any) -> str:
        return "" if v is None else html.escape(format_value(v))  # the one formatting function

    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"
