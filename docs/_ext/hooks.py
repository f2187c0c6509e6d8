"""mkdocs hooks: parts of the docs generated from the package's data.

Nothing is written twice: placeholders in pages (``<!-- fullstack:NAME -->``) are replaced by
generated Markdown, and images are rendered at build time by the same code users call.
"""

from __future__ import annotations

import io
import os
from typing import Any

os.environ.setdefault("MPLBACKEND", "Agg")


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return str(value).replace("|", "\\|")


def _accelerator_table() -> str:
    import fullstack

    rule = fullstack.export_rule()
    cols = [
        ("name", "chip"),
        ("vendor", "vendor"),
        ("year", "year"),
        ("datacenter", "data center"),
        ("tpp", "TPP"),
        ("performance_density", "PD"),
        ("h100e", "H100e"),
        ("memory_gb", "memory (GB)"),
        ("memory_bandwidth_gbps", "mem. BW (GB/s)"),
        ("tdp_w", "TDP (W)"),
    ]
    head = "| " + " | ".join(label for _, label in cols) + f" | {rule.key} rule |"
    sep = "|" + " --- |" * (len(cols) + 1)
    lines = [head, sep]
    catalog = fullstack.accelerators()
    for row in catalog.rows():
        verdict = rule.classify(catalog[row["name"]])
        status = {True: "controlled", False: "not controlled", None: "undetermined"}
        text = status[verdict.controlled]
        if verdict.paragraphs:
            text += " (" + ", ".join(verdict.paragraphs) + ")"
        cells = [_fmt(row[key]) for key, _ in cols]
        lines.append("| " + " | ".join([*cells, text]) + " |")
    sources = sorted({s.cite() for s in catalog.sources() if isinstance(s, fullstack.Source)})
    lines += ["", f"Sources of the catalog's figures ({len(sources)}):", ""]
    lines += [f"- {s}" for s in sources]
    return "\n".join(lines)


def _md_table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_fmt(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _show(value: Any) -> str:
    from fullstack import format_quantity

    return format_quantity(value) if hasattr(value, "units") else f"{value:g}"


def _estimate_cells(est: Any) -> list[Any]:
    rng = f"{_show(est.low)} – {_show(est.high)}" if est.has_range else ""
    basis = est.source.cite()
    if est.note:
        basis += f" *{est.note}*"
    return [_show(est.value), rng, est.source.confidence.value, basis]


def _stack_table() -> str:
    import fullstack

    stack = fullstack.default_stack()
    rows = [
        [
            f"`{layer.id}`",
            layer.name,
            ", ".join(stack.dependencies(layer.id)) or "–",
            layer.description,
            layer.source.cite(),
        ]
        for layer in stack.layers
    ]
    table = _md_table(["id", "layer", "depends on", "what it is", "source"], rows)
    return f"{table}\n\nWhy the dependencies are drawn this way: {stack.edges_source.cite()}"


def _actors_table() -> str:
    import fullstack

    rows = [
        [a.name, a.kind.label, a.jurisdiction, ", ".join(a.layers), a.description, a.source.cite()]
        for a in fullstack.actors().values()
    ]
    return _md_table(["actor", "kind", "jurisdiction", "layers", "what", "source"], rows)


def _figure_spec_table() -> str:
    import fullstack

    rows = [
        [f"`{name}`", spec.unit.replace("{currency}", "CNY or USD"), spec.description]
        for name, spec in fullstack.ECONOMY_FIGURES.items()
    ]
    return _md_table(["figure", "unit", "meaning"], rows)


def _economy_tables() -> str:
    import fullstack

    world = fullstack.reference_world()
    parts = []
    for code, economy in world.economies.items():
        parts.append(f"### {economy.name} ({code})\n")
        rows = [
            [f"`{name}`", *_estimate_cells(est)] for name, est in sorted(economy.figures.items())
        ]
        parts.append(_md_table(["figure", "value", "range", "confidence", "source"], rows))
        parts.append(f"\n**Installed fleet by channel** ({economy.code}):\n")
        rows = [
            [
                r["channel"],
                r["chips"],
                r["h100e"],
                f"{_fmt(r['h100e_low'])} – {_fmt(r['h100e_high'])}",
                f"{r['share']:.0%}",
            ]
            for r in economy.fleet_by_channel()
        ]
        parts.append(_md_table(["channel", "chips", "H100e", "H100e range", "share"], rows))
        parts.append(
            "\nRanges add the entries' lows and highs (a missing bound counts as the central "
            "value); Epoch AI's percentiles do not add, so they are wider than a joint interval."
        )
        parts.append(f"\n**Installed fleet** ({economy.fleet_h100e.m_as('H100e'):,.0f} H100e):\n")
        rows = [
            [
                e.accelerator.name,
                e.vintage,
                e.channel,
                *_estimate_cells(e.count),
                None if e.h100e is None else float(e.h100e.m_as("H100e")),
            ]
            for e in economy.fleet
        ]
        parts.append(
            _md_table(
                ["chip", "vintage", "channel", "count", "range", "confidence", "source", "H100e"],
                rows,
            )
        )
        parts.append(_statistics_tables(economy))
        parts.append("")
    return "\n".join(parts)


def _statistics_tables(economy: Any) -> str:
    """Statistics measured at two or more dates as time series, then the one-off ones."""
    by_name: dict[str, list[Any]] = {}
    for stat in economy.statistics:
        by_name.setdefault(stat.name, []).append(stat)
    series = {name: stats for name, stats in by_name.items() if len(stats) > 1}
    parts = []
    if series:
        parts.append(
            "\n**Time series to hold a projection against** (a projection of this economy "
            "should pass near these points; official figures change definition, read the notes):\n"
        )
        for name, stats in series.items():
            rows = [[s.date, *_estimate_cells(s.value)] for s in sorted(stats, key=_date_key)]
            parts.append(f"\n*{name}*\n")
            parts.append(_md_table(["date", "value", "range", "confidence", "source"], rows))
    single = [s for s in economy.statistics if s.name not in series]
    if single:
        parts.append("\n**Other official and published statistics:**\n")
        rows = [[s.name, s.date, *_estimate_cells(s.value)] for s in single]
        parts.append(
            _md_table(["statistic", "date", "value", "range", "confidence", "source"], rows)
        )
    return "\n".join(parts)


def _date_key(stat: Any) -> str:
    return stat.date


def _self_sufficiency_table() -> str:
    import fullstack

    table = fullstack.reference_world().self_sufficiency()
    rows = [
        [
            r["economy"],
            r["layer"],
            f"{r['domestic']:.0%}",
            r["suppliers"],
            ("**assumption**: " if r["assumption"] else "") + r["basis"],
        ]
        for r in table.rows
    ]
    return _md_table(["economy", "layer", "domestic", "key suppliers", "basis"], rows)


def _bibliography() -> str:
    import fullstack

    bib = fullstack.bibliography()
    return "## Bibliography\n\n" + bib.to_markdown().replace("## ", "### ", 2)


def _parameter_table() -> str:
    from fullstack.policy import PARAMETERS

    rows = []
    for key, spec in PARAMETERS.items():
        index = {"chip": "[chip]", "layer": "[layer]", None: ""}[spec.index]
        base = f"figure `{spec.figure}`" if spec.figure else f"default {spec.default}"
        unit = spec.unit.replace("{currency}", "currency")
        rows.append([f"`<economy>.{key}{index}`", unit, spec.layer, base, spec.description])
    return _md_table(["parameter", "unit", "layer", "base value", "meaning"], rows)


def _instrument_reference() -> str:
    import inspect

    from fullstack.policy import instrument_types

    parts = []
    for tag, cls in sorted(instrument_types().items()):
        if not cls.__module__.startswith("fullstack."):
            continue
        doc = inspect.getdoc(cls) or ""
        summary, _, rest = doc.partition("\n")
        body = rest.split("Example:")[0].strip("\n")
        text, _, attributes = body.partition("Attributes:")
        fields: list[str] = []
        for line in attributes.splitlines():
            if line.startswith("    ") and not line.startswith("     "):  # a new field
                field, _, what = line.strip().partition(":")
                fields.append(f"- `{field}`:{what}")
            elif line.strip() and fields:  # a continuation line
                fields[-1] += " " + line.strip()
        lines = [text.strip()]
        if fields:
            lines += ["", "**Fields:**", "", *fields]
        parts.append(f"### `{tag}`: {cls.__name__}\n\n{summary}\n\n" + "\n".join(lines))
    return "\n\n".join(parts)


def _preset_table() -> str:
    from fullstack.policy import tag_of
    from fullstack.policy.presets import presets

    rows = []
    for name, inst in presets().items():
        years = f"{inst.start}–{inst.end or ''}"
        budget = "" if inst.budget is None else _show(inst.budget)
        links = ", ".join(f"{b.actor} ({b.strength.value})" for b in inst.beneficiaries)
        rows.append(
            [
                name,
                f"`{tag_of(type(inst))}`",
                inst.economy,
                years,
                budget,
                links,
                inst.source.cite(),
            ]
        )
    return _md_table(
        ["preset", "type", "economy", "years", "budget", "beneficiaries", "source"], rows
    )


# --- the projection model (docs/model.md) ------------------------------------------------------


def _unit_table() -> str:
    from fullstack._unit_table import unit_table

    rows = [
        [
            f"`{u.name}`",
            ", ".join(f"`{a}`" for a in u.aliases),
            f"`{u.dimension}`",
            u.definition if u.definition == "base unit" else f"`{u.definition}`",
            u.why,
        ]
        for u in unit_table()
    ]
    return _md_table(["name", "aliases", "dimension", "definition", "why"], rows)


def _metric_table() -> str:
    from fullstack.engine import METRICS

    rows = []
    for key, spec in METRICS.items():
        index = {"channel": "[channel]", "chip": "[chip]", "layer": "[layer]", None: ""}[
            spec.index
        ]
        unit = spec.unit.replace("{currency}", "currency")
        rows.append([f"`<economy>.{key}{index}`", unit, spec.description])
    rows.append(
        [
            "`world.compute.us_cn_ratio`",
            "dimensionless",
            "US installed compute divided by China's (H100e over H100e).",
        ]
    )
    return _md_table(["metric", "unit", "meaning"], rows)


def _engine_figures() -> str:
    import fullstack
    from fullstack.policy import PARAMETERS

    world = fullstack.reference_world()
    rows = []
    for key, spec in PARAMETERS.items():
        if spec.figure is None:
            continue
        for code, economy in world.economies.items():
            names = [f for f in economy.figures if f.split("[", 1)[0] == spec.figure]
            for name in names:
                est = economy.figure(name)
                basis = est.source.cite()
                rows.append(
                    [f"`{code.lower()}.{key}`", name, _show_estimate(est), _short(basis, 220)]
                )
    return _md_table(["parameter", "figure", "value (low-high)", "basis"], rows)


def _show_estimate(est: Any) -> str:
    from fullstack.units import format_quantity

    def one(x: Any) -> str:
        return format_quantity(x) if hasattr(x, "units") else f"{x:g}"

    text = one(est.value)
    if est.low is not None or est.high is not None:
        low = one(est.low) if est.low is not None else "–"
        high = one(est.high) if est.high is not None else "–"
        text += f" ({low} to {high})"
    return text


def _short(text: str, n: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def _scenario_table() -> str:
    import fullstack

    rows = []
    for name, scenario in fullstack.scenarios().items():
        rows.append(
            [
                name,
                scenario.description,
                str(len(scenario.instruments)),
                str(len(scenario.assumptions)),
            ]
        )
    return _md_table(["scenario", "what it is", "instruments", "assumptions"], rows)


def _validation_table() -> str:
    import fullstack
    from fullstack._data import read_toml
    from fullstack.units import format_value as compact

    baseline = fullstack.scenarios()["baseline"].run()
    data = read_toml("validation.toml")
    rows = []
    for est in data["estimate"]:
        value = baseline.value(est["metric"], est["year"]).m_as(est["unit"])
        value *= est.get("scale", 1.0)
        low, central, high = (est.get(k) for k in ("low", "central", "high"))
        published = compact(central) if central is not None else "–"
        if low is not None or high is not None:
            published += f" ({compact(low) if low else '–'} to {compact(high) if high else '–'})"
        lo = low if low is not None else central
        hi = high if high is not None else central
        inside = "yes" if lo is not None and hi is not None and lo <= value <= hi else "no"
        source = est["source"]
        cite = f"{source['publisher']} ({source['date']})"
        rows.append([est["name"], published, compact(value), inside, cite, est["note"]])
    return _md_table(
        ["published estimate", "published", "baseline", "in range", "source", "why they differ"],
        rows,
    )


_PLACEHOLDERS = {
    "<!-- fullstack:parameter-table -->": _parameter_table,
    "<!-- fullstack:instrument-reference -->": _instrument_reference,
    "<!-- fullstack:preset-table -->": _preset_table,
    "<!-- fullstack:accelerator-table -->": _accelerator_table,
    "<!-- fullstack:stack-table -->": _stack_table,
    "<!-- fullstack:actors-table -->": _actors_table,
    "<!-- fullstack:figure-spec-table -->": _figure_spec_table,
    "<!-- fullstack:economy-tables -->": _economy_tables,
    "<!-- fullstack:self-sufficiency-table -->": _self_sufficiency_table,
    "<!-- fullstack:bibliography -->": _bibliography,
    "<!-- fullstack:metric-table -->": _metric_table,
    "<!-- fullstack:unit-table -->": _unit_table,
    "<!-- fullstack:engine-figures -->": _engine_figures,
    "<!-- fullstack:scenario-table -->": _scenario_table,
    "<!-- fullstack:validation-table -->": _validation_table,
}


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace each placeholder with its generated Markdown."""
    for marker, make in _PLACEHOLDERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, make())
    return markdown


def _png(rule: str) -> bytes:
    from fullstack.plotting import plot_export_controls

    ax = plot_export_controls(rule)
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png", dpi=110)
    import matplotlib.pyplot as plt

    plt.close(ax.figure)
    return buffer.getvalue()


def on_files(files: Any, config: Any) -> Any:
    """Add the generated images to the site."""
    from mkdocs.structure.files import File

    for rule in ("2022-10", "2023-10"):
        name = f"images/export-controls-{rule}.png"
        files.append(File.generated(config, name, content=_png(rule)))
    files.append(File.generated(config, "images/stack-CN.png", content=_stack_png("CN")))
    return files


def _stack_png(code: str) -> bytes:
    import matplotlib.pyplot as plt

    import fullstack

    ax = fullstack.default_stack().plot(fullstack.reference_world(), economy=code)
    figure = ax.get_figure(root=True)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return buffer.getvalue()
