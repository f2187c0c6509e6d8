"""The built-in demonstration run by ``fullstack demo`` and ``make demo``.

It grows with the library: each section prints a table to the terminal and adds the same table
to a Markdown and an HTML summary in the output folder.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path


class _Section:
    """One titled table of the demo."""

    def __init__(self, title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
        self.title = title
        self.header = list(header)
        self.rows = [list(r) for r in rows]
        self.notes: list[str] = []

    def text(self) -> str:
        from fullstack.cli import _table

        body = _table(self.rows, self.header)
        notes = "".join(f"\n  {n}" for n in self.notes)
        return f"\n== {self.title} ==\n{body}{notes}"

    def markdown(self) -> str:
        head = "| " + " | ".join(self.header) + " |"
        rule = "|" + "---|" * len(self.header)
        rows = ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in self.rows]
        notes = "".join(f"\n{n}\n" for n in self.notes)
        return "\n".join([f"## {self.title}", "", head, rule, *rows, notes])

    def html(self) -> str:
        head = "".join(f"<th>{html.escape(h)}</th>" for h in self.header)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in self.rows
        )
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in self.notes)
        return f"<h2>{html.escape(self.title)}</h2><table><tr>{head}</tr>{rows}</table>{notes}"


def _units_section() -> _Section:
    from fullstack.cli import UNIT_TABLE

    return _Section("Custom units", ("unit", "meaning", "dimension"), UNIT_TABLE)


def _conversions_section() -> _Section:
    from fullstack.money import convert_currency
    from fullstack.precision import Throughput
    from fullstack.units import Q_, format_quantity

    rows: list[list[str]] = []

    def add(what: str, value: Any, note: str) -> None:
        rows.append([what, format_quantity(value), note])

    add(
        "300 EFLOP/s in H100e",
        Q_("300 EFLOP/s").to("H100e"),
        "MIIT's 2025 target, if it were BF16",
    )
    add("H100 SXM (989.4 TFLOP/s BF16) TPP", Throughput("989.4 TFLOP/s", "BF16").tpp, "BF16 only")
    add("H100 SXM (1979 TOPS INT8) TPP", Throughput("1979 TOPS", "INT8").tpp, "the rule's max")
    add("Big Fund III, 344 GCNY, in USD", convert_currency("344 GCNY", "USD", year=2023), "2023")
    add("0.35 CNY/kWh in USD/kWh", convert_currency("0.35 CNY/kWh", "USD", year=2023), "2023")
    add("140 TWh/year as average power", Q_("140 TWh/year").to("GW"), "China DC use, 2024")
    section = _Section("Worked conversions", ("what", "result", "note"), rows)
    section.notes.append(
        "Exchange rates: Federal Reserve G.5A annual averages. H100e: Epoch AI, Data on Machine "
        "Learning Hardware (CC BY 4.0)."
    )
    return section


def _rates_section() -> _Section:
    from fullstack.money import exchange_rates

    table = exchange_rates()
    rows = [[r.date, f"{r.base}/{r.quote}", f"{r.rate:.4f}"] for r in table]
    section = _Section("Exchange rates (annual averages)", ("year", "pair", "rate"), rows)
    section.notes += [s.cite() for s in table.sources()]
    return section


def run_demo(out: Path, *, echo: Callable[[str], Any]) -> int:
    """Run the demonstration: print each section and write ``summary.md`` and ``summary.html``.

    Args:
        out: The folder for the files (created if missing).
        echo: Where terminal output goes (``print``).

    Returns:
        0 on success.
    """
    from fullstack import __version__

    sections = [_units_section(), _conversions_section(), _rates_section()]
    echo(f"fullstack {__version__}: demonstration")
    for section in sections:
        echo(section.text())

    out.mkdir(parents=True, exist_ok=True)
    title = "fullstack demonstration"
    md = "\n\n".join([f"# {title}", *(s.markdown() for s in sections)])
    page = "".join(s.html() for s in sections)
    doc = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>"
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem}</style>"
        f"</head><body><h1>{title}</h1>{page}</body></html>"
    )
    from fullstack._files import write_text_atomic

    write_text_atomic(out / "summary.md", md + "\n")
    write_text_atomic(out / "summary.html", doc)
    echo(f"\nWrote {out / 'summary.md'} and {out / 'summary.html'}")
    return 0
