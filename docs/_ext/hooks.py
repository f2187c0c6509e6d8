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


_PLACEHOLDERS = {"<!-- fullstack:accelerator-table -->": _accelerator_table}


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
    return files
