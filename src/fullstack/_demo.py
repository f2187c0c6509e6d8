"""The built-in demonstration run by ``fullstack demo`` and ``make demo``.

It grows with the library: each section prints a table to the terminal and adds the same table
to a Markdown and an HTML summary in the output folder.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from fullstack._format import text_table as _table

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
    from fullstack._unit_table import unit_table

    rows = [[u.name, ", ".join(u.aliases), u.dimension, u.why] for u in unit_table()]
    return _Section("Custom units", ("unit", "aliases", "dimension", "why"), rows)


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


def _fmt(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _export_section() -> _Section:
    from fullstack.accelerators import accelerators
    from fullstack.export_controls import export_rules

    rules = export_rules()
    verdicts = {True: "controlled", False: "-", None: "undetermined"}
    rows: list[list[str]] = []
    for chip in accelerators().values():
        tpp = chip.tpp
        pd = chip.performance_density
        h = chip.h100e
        row = [
            chip.name,
            chip.designer_jurisdiction,
            _fmt(None if tpp is None else float(tpp.m_as("TPP"))),
            _fmt(None if pd is None else float(pd.m_as("TPP/mm**2"))),
            _fmt(None if h is None else float(h.m_as("H100e"))),
        ]
        for rule in rules.values():
            result = rule.classify(chip)
            text = verdicts[result.controlled]
            if result.paragraphs:
                text = ", ".join(p.removeprefix("3A090.") for p in result.paragraphs)
            row.append(text)
        rows.append(row)
    header = ("chip", "designer", "TPP", "PD", "H100e", *(f"rule {k}" for k in rules))
    section = _Section("Accelerators under the US export rules (3A090)", header, rows)
    section.notes += [
        "Paragraphs met (a.1, a.2, b.1, b.2; a for the 2022 rule); '-' not controlled; "
        "undetermined: the spec lacks a figure the rule needs (see `fullstack classify NAME`).",
        "Chip data: Epoch AI, Data on Machine Learning Hardware (CC BY 4.0), "
        "https://epoch.ai/data/machine-learning-hardware, and the sources each figure names.",
    ]
    return section


def _world_sections() -> list[_Section]:
    from fullstack.world import reference_world

    world = reference_world()
    economies = list(world.economies.values())
    names = sorted({n for e in economies for n in e.figures})
    rows = []
    for name in names:
        row = [name]
        for e in economies:
            est = e.figures.get(name)
            if est is None:
                row.append("-")
                continue
            value = est.value
            text = _plain(value)
            if est.has_range:
                low, high = (_plain(b).rsplit(" ", 1)[0] for b in (est.low, est.high))
                text += f" ({low} to {high})" if hasattr(value, "units") else f" ({low}-{high})"
            if est.source.confidence.value == "low":
                text += " *"
            row.append(text)
        rows.append(row)
    fleet_row = ["installed fleet (H100e)"]
    fleet_row += [f"{e.fleet_h100e.m_as('H100e'):,.0f}" for e in economies]
    rows.append(fleet_row)
    header = ("figure", *(f"{e.name} ({e.code})" for e in economies))
    figures = _Section(f"The reference world at {world.base_year}", header, rows)
    rules = ", ".join(f"{r.key} ({r.citation})" for r in world.rules_in_force)
    figures.notes += [
        f"Export rules in force: {rules}. * low confidence (an assumption or a weak source).",
        "Every figure's source: `fullstack world` or fullstack.reference_world(); all sources: "
        "`fullstack sources`.",
    ]
    table = world.self_sufficiency()
    codes = list(world.economies)
    by_layer: dict[str, dict[str, str]] = {}
    for r in table.rows:
        mark = "" if not r["assumption"] else " (a)"
        by_layer.setdefault(r["layer"], {})[r["economy"]] = f"{r['domestic']:.0%}{mark}"
    rows = [
        [world.stack.layer(layer).name, *(cells.get(c, "-") for c in codes)]
        for layer, cells in by_layer.items()
    ]
    sufficiency = _Section(
        "Self-sufficiency: domestic share of each layer", ("layer", *codes), rows
    )
    sufficiency.notes.append(
        "(a): the share is an explicit assumption, with its reason in the data."
    )
    return [figures, sufficiency]


def _plain(value: object) -> str:
    from fullstack._data import pretty

    return pretty(value)


def _policy_section() -> _Section:
    from fullstack.policy import Context, tag_of
    from fullstack.policy.presets import presets
    from fullstack.world import reference_world

    world = reference_world()
    ctx = Context(world, range(2025, 2036))
    rows = []
    for name, inst in presets().items():
        moved = sorted({e.parameter.key for e in inst.effects(ctx)})
        budget = "" if inst.budget is None else _plain(inst.budget)
        years = f"{inst.start}-{inst.end if inst.end is not None else ''}"
        rows.append([name, tag_of(type(inst)) or "", years, budget, ", ".join(moved) or "-"])
    section = _Section(
        "Policy instruments: presets of real programmes",
        ("programme", "type", "years", "budget", "parameters moved in 2025-2035"),
        rows,
    )
    section.notes.append(
        "Each preset carries its sources (`fullstack instruments`, fullstack.preset(name)); "
        "programmes that ended before 2025 move nothing in the projection years."
    )
    return section


def _charts(out: Path) -> list[Path]:
    """Render the export-control planes as PNG files (skipped without matplotlib)."""
    try:
        import matplotlib as mpl
    except ImportError:  # pragma: no cover - the plot extra is missing
        return []
    mpl.use("Agg")
    import io

    import matplotlib.pyplot as plt

    from fullstack._files import write_bytes_atomic
    from fullstack.plotting import plot_export_controls
    from fullstack.stack import default_stack
    from fullstack.world import reference_world

    def save(ax: Any, name: str) -> Path:
        figure = ax.get_figure(root=True)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=120)
        plt.close(figure)
        return write_bytes_atomic(out / name, buffer.getvalue())

    written = [save(plot_export_controls(k), f"export-controls-{k}.png") for k in ("2023-10",)]
    world = reference_world()
    for code in world.economies:
        written.append(save(default_stack().plot(world, economy=code), f"stack-{code}.png"))
    return written


def _rates_section() -> _Section:
    from fullstack.money import exchange_rates

    table = exchange_rates()
    rows = [[r.date, f"{r.base}/{r.quote}", f"{r.rate:.4f}"] for r in table]
    section = _Section("Exchange rates (annual averages)", ("year", "pair", "rate"), rows)
    section.notes += [s.cite() for s in table.sources()]
    return section


def run_demo(out: Path, *, echo: Callable[[str], Any]) -> int:
    """Run the demonstration: project the built-in scenarios and write the report.

    Prints the scenarios' comparison and what binds (rich tables in a terminal), then writes
    ``report.md``, a self-contained ``report.html`` and PNG charts into ``out``. The report's
    appendix shows the reference data: the world, the chips under the export rules, the presets,
    conversions, units and exchange rates.

    Args:
        out: The folder for the files (created if missing).
        echo: Where terminal output goes (``print``).

    Returns:
        0 on success.
    """
    from fullstack import __version__
    from fullstack._library import scenarios
    from fullstack._report import build_report

    echo(f"fullstack {__version__}: the built-in scenarios, projected to 2035")
    report = build_report(list(scenarios().values()))
    report.echo(echo)
    sections = [
        *_world_sections(),
        _export_section(),
        _policy_section(),
        _conversions_section(),
        _units_section(),
        _rates_section(),
    ]
    out.mkdir(parents=True, exist_ok=True)
    charts = _charts(out)
    images_md = [f"![{c.stem}]({c.name})" for c in charts]
    images_html = "".join(
        f"<p><img src='data:image/png;base64,{_b64(c)}' alt='{c.stem}' width='800'></p>"
        for c in charts
    )
    appendix_md = ["# Appendix: the reference data", *(s.markdown() for s in sections), *images_md]
    appendix_html = (
        "<h1>Appendix: the reference data</h1>" + "".join(s.html() for s in sections) + images_html
    )
    files = [*charts, *report.write(out, extra_md=appendix_md, extra_html=appendix_html)]
    echo("\nWrote " + ", ".join(str(f) for f in files))
    return 0


def _b64(path: Path) -> str:
    import base64

    return base64.b64encode(path.read_bytes()).decode()
