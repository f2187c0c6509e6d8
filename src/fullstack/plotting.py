"""Charts (needs the ``plot`` extra: matplotlib).

`plot_export_controls` draws the plane analysts draw by hand: TPP across, performance density
up, each rule's controlled regions shaded and the catalog's chips placed on it.

matplotlib is imported only when a function here is called, so ``import fullstack`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from fullstack.errors import MissingExtraError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from matplotlib.axes import Axes

    from fullstack.accelerators import Accelerator
    from fullstack.export_controls import ExportRule
    from fullstack.stack import Stack
    from fullstack.world import World

__all__ = [
    "bar_chart",
    "fan_chart",
    "line_chart",
    "plot_export_controls",
    "plot_stack",
    "waterfall_chart",
]

_PARAGRAPH_COLOURS = {
    "3A090.a.1": "#d62728",
    "3A090.a.2": "#ff7f0e",
    "3A090.b.1": "#9467bd",
    "3A090.b.2": "#1f77b4",
    "3A090.a": "#d62728",
}
_JURISDICTION_MARKERS = {"US": "o", "CN": "s"}


_OFFSETS = [(4, 3), (4, -10), (4, 12), (4, -19), (4, 21), (-4, 3), (4, -28), (4, 30), (4, -37)]


def _label_without_overlap(
    ax: Axes, text: str, x: float, y: float, placed: list[tuple[float, float, float, float]]
) -> None:
    """Write ``text`` beside (x, y) at the first offset whose box overlaps no earlier label.

    Boxes are estimated in display pixels (7 pt text, about 0.6 em per character), so the
    placement is deterministic and needs no renderer; a label moved off its point gets a thin
    leader line.
    """
    scale = ax.figure.dpi / 72.0  # pixels per point
    px, py = ax.transData.transform((x, y))
    width, height = 0.6 * 7 * len(text) * scale, 8.0 * scale
    dx, dy = _OFFSETS[0]
    for dx, dy in _OFFSETS:
        left = px + dx * scale if dx >= 0 else px + dx * scale - width
        box = (left, py + dy * scale, left + width, py + dy * scale + height)
        if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in placed):
            break
    placed.append(box)
    far = abs(dy) > 12
    ax.annotate(
        text,
        (x, y),
        xytext=(dx, dy),
        textcoords="offset points",
        fontsize=7,
        ha="left" if dx >= 0 else "right",
        arrowprops={"arrowstyle": "-", "lw": 0.4, "color": "#777777"} if far else None,
        annotation_clip=False,
    )


def _band_rows(ax: Axes, xs: list[float], gap_px: float = 16.0) -> list[int]:
    """Rows for points in the band above the plane, so that close neighbours alternate."""
    last: list[float] = []
    rows = []
    for x in xs:
        px = float(ax.transData.transform((x, 0.0))[0])
        for row, prev in enumerate(last):
            if px - prev > gap_px:
                last[row] = px
                rows.append(row)
                break
        else:
            last.append(px)
            rows.append(len(last) - 1)
    return rows


def _pyplot() -> Any:
    try:
        import matplotlib as mpl

        if mpl.get_backend().lower() not in {"agg", "module://matplotlib_inline.backend_inline"}:
            import os

            if not os.environ.get("DISPLAY") and not os.environ.get("MPLBACKEND"):
                mpl.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtraError("plot", "Plots") from exc
    return plt


def plot_export_controls(
    rule: ExportRule | str | None = None,
    *,
    chips: Iterable[Accelerator] | None = None,
    ax: Axes | None = None,
    tpp_range: tuple[float, float] = (500.0, 60000.0),
    density_range: tuple[float, float] = (0.0, 25.0),
    labels: bool = True,
    resolution: int = 400,
) -> Axes:
    """Shade a rule's controlled regions on the TPP × performance-density plane, place chips.

    Regions come from `ExportRule.classify_arrays` on a grid, so the picture is the code's
    decision, not a hand-drawn copy. Data-center parts are shaded; the Note 2 line (TPP 4800)
    is drawn for parts not designed or marketed for data centers. For the 2022 rule, which
    tests I/O rather than density, the shading assumes chip-to-chip I/O of at least 600 GB/s.

    Args:
        rule: A rule or its key (``"2023-10"``); the newest when None.
        chips: The accelerators to place (default: the built-in catalog). A chip without a
            published die area (so no density), or a density above the axis, is placed in a
            band above the plane at its TPP; chips without a TPP are listed in the note under
            the chart.
        ax: Axes to draw on (a new figure when None).
        tpp_range: The TPP axis limits (log scale).
        density_range: The density axis limits.
        labels: Write each chip's name beside its marker.
        resolution: Grid points per axis for the shading.

    Returns:
        The axes.

    Example:
        >>> ax = plot_export_controls("2023-10")
        >>> ax.get_xlabel()
        'TPP (total processing performance)'
    """
    from fullstack.accelerators import accelerators
    from fullstack.export_controls import ExportRule, export_rule

    plt = _pyplot()
    the_rule = rule if isinstance(rule, ExportRule) else export_rule(rule)
    if resolution < 10:
        raise ValidationError("plot_export_controls.resolution", "at least 10", resolution)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 6), layout="constrained")
    assert ax is not None

    lo, hi = tpp_range
    xs = np.geomspace(lo, hi, resolution)
    ys = np.linspace(density_range[0], density_range[1], resolution)
    tpp, density = np.meshgrid(xs, ys)
    io = np.full_like(tpp, 600.0)
    result = the_rule.classify_arrays(tpp=tpp, performance_density=density, io_bandwidth=io)
    from matplotlib.patches import Patch

    handles: list[Any] = []
    for pid, met in result.paragraphs.items():
        colour = _PARAGRAPH_COLOURS.get(pid, "#7f7f7f")
        ax.contourf(
            tpp,
            density,
            met.astype(float),
            levels=[0.5, 1.5],
            colors=[colour],
            alpha=0.18,
        )
        handles.append(Patch(color=colour, alpha=0.35, label=pid))
    if the_rule.datacenter_note:
        ax.axvline(the_rule.datacenter_note_tpp, color="k", lw=0.8, ls="--")
        ax.text(
            the_rule.datacenter_note_tpp * 1.03,
            density_range[1] * 0.97,
            "Note 2: non-data-center parts\ncontrolled only from here",
            va="top",
            fontsize=7,
        )

    catalog = list(accelerators().values()) if chips is None else list(chips)
    points: dict[tuple[float, float], list[Accelerator]] = {}
    unplaced: list[str] = []
    top = density_range[1]
    for chip in catalog:
        t = chip.tpp
        d = chip.performance_density
        if t is None:
            unplaced.append(chip.name)
            continue
        x = float(t.m_as("TPP"))
        if not lo <= x <= hi:
            unplaced.append(chip.name)
            continue
        # no die area (so no density), or off the scale: placed in a band above the plane
        y = (
            top + 1.0
            if d is None or float(d.m_as("TPP/mm**2")) > top
            else float(d.m_as("TPP/mm**2"))
        )
        points.setdefault((round(x, 3), round(y, 3)), []).append(chip)
    banded = any(y > top for _, y in points)
    ax.set_xscale("log")  # the scale and limits first: labels are placed in display space
    ax.set_xlim(lo, hi)
    ax.set_ylim(density_range[0], density_range[1] + (12.0 if banded else 0.0))
    band = sorted(k for k in points if k[1] > top)
    rows = dict(zip(band, _band_rows(ax, [x for x, _ in band], gap_px=9.0), strict=True))
    positions = {k: (k[0], k[1] + 1.6 * rows[k]) if k in rows else k for k in points}
    placed: list[tuple[float, float, float, float]] = []
    for x, y in positions.values():  # the markers are obstacles for the labels
        px, py = ax.transData.transform((x, y))
        placed.append((px - 5, py - 5, px + 5, py + 5))
    for key, group in sorted(points.items()):
        x, y = positions[key]
        for chip in group:
            verdict = the_rule.classify(chip).controlled
            marker = _JURISDICTION_MARKERS.get(chip.designer_jurisdiction, "^")
            face = {True: "black", False: "white", None: "grey"}[verdict]
            ax.scatter(
                [x], [y], marker=marker, s=36, facecolors=face, edgecolors="black", zorder=3
            )
        if not labels:
            continue
        name = " / ".join(c.name for c in group)
        if key in rows:  # in the band: short labels beside the marker, rows alternate
            ax.annotate(name, (x, y), xytext=(2, 4), textcoords="offset points", fontsize=6,
                        rotation=50, rotation_mode="anchor")  # fmt: skip
        else:
            _label_without_overlap(ax, name, x, y, placed)
    if banded:
        ax.axhline(top, color="#555555", lw=0.6)
        ax.text(lo * 1.04, top + 0.3, "above the line: density not published or off the scale",
                fontsize=6, ha="left", va="bottom", color="#555555")  # fmt: skip

    handles += [
        plt.Line2D([], [], marker="o", ls="", mfc="black", mec="black", label="controlled"),
        plt.Line2D([], [], marker="o", ls="", mfc="white", mec="black", label="not controlled"),
        plt.Line2D([], [], marker="s", ls="", mfc="white", mec="black", label="CN designer"),
    ]
    ax.legend(handles=handles, loc="upper left", fontsize=7, framealpha=0.9)
    if banded:
        ax.set_yticks([t for t in ax.get_yticks() if t <= density_range[1]])
    ax.set_xlabel("TPP (total processing performance)")
    ax.set_ylabel("performance density (TPP per mm² of applicable die area)")
    title = f"US export rule {the_rule.key} ({the_rule.citation}): 3A090 regions"
    if the_rule.key.startswith("2022"):
        title += ", assuming I/O >= 600 GB/s"
    ax.set_title(title, fontsize=10)
    note = "Chip data: Epoch AI, Data on Machine Learning Hardware (CC BY 4.0), and sources cited."
    if unplaced:
        note += f" Not placed (no TPP, or TPP off the axis): {', '.join(unplaced)}."
    ax.figure.supxlabel(note, fontsize=6, wrap=True)
    return ax


def plot_stack(
    stack: Stack,
    world: World | None = None,
    *,
    economy: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Draw the stack as a layered graph; with a world, colour each layer by domestic share.

    Layers sit at the height of their longest dependency chain (equipment at the bottom,
    applications at the top); arrows point from a layer to what it depends on. With a world,
    each box is coloured from red (all imported) to green (all domestic) for ``economy`` (the
    world's first economy by default), and hatched where the share is an assumption.

    Example:
        >>> ax = plot_stack(default_stack())
        >>> ax.get_title()
        'AI stack'
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 6.5), layout="constrained")
    assert ax is not None
    depth: dict[str, int] = {}
    for layer_id in stack.topological_order():
        deps = stack.dependencies(layer_id)
        depth[layer_id] = 1 + max((depth[d] for d in deps), default=-1)
    # Layers that depend on nothing (energy, data, talent) sit just below what uses them.
    for layer_id in reversed(stack.topological_order()):
        users = stack.dependents(layer_id)
        if not stack.dependencies(layer_id) and users:
            depth[layer_id] = min(depth[u] for u in users) - 1
    rows: dict[int, list[str]] = {}
    for layer_id in stack.ids:
        rows.setdefault(depth[layer_id], []).append(layer_id)
    pos: dict[str, tuple[float, float]] = {}
    for level, ids in rows.items():
        for i, layer_id in enumerate(ids):
            pos[layer_id] = ((i + 1) / (len(ids) + 1), float(level))

    shares: dict[str, tuple[float, bool]] = {}
    code = None
    if world is not None:
        code = economy or next(iter(world.economies))
        econ = world.economies[code]
        for layer_id, supply in econ.supply.items():
            shares[layer_id] = (float(supply.domestic_share.value), supply.is_assumption)
    cmap = plt.get_cmap("RdYlGn")
    for layer_id, (x, y) in pos.items():
        for dep in stack.dependencies(layer_id):
            dx, dy = pos[dep]
            ax.annotate(
                "",
                xy=(dx, dy + 0.18),
                xytext=(x, y - 0.18),
                arrowprops={
                    "arrowstyle": "->",
                    "color": "#888",
                    "lw": 0.8,
                    "connectionstyle": "arc3,rad=0.08",
                },
            )
    for layer_id, (x, y) in pos.items():
        share = shares.get(layer_id)
        face = "#eeeeee" if share is None else cmap(share[0])
        import textwrap

        label = textwrap.fill(stack.layer(layer_id).name, 22)
        if share is not None:
            label += f"\n{share[0]:.0%} domestic" + (" (assumed)" if share[1] else "")
        ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            fontsize=7,
            bbox={"boxstyle": "round", "fc": face, "ec": "black", "lw": 0.6},
        )
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(min(rows) - 0.6, max(rows) + 0.6)
    ax.axis("off")
    title = "AI stack" if code is None else f"AI stack, {code}: domestic share of each layer"
    ax.set_title(title, fontsize=10)
    return ax


SOURCE_LINE = "fullstack projection; reference data with sources in the report's bibliography"
"""The default source line under projection charts."""


def _finish(ax: Axes, title: str, ylabel: str, source: str | None) -> None:
    ax.set_title(title, loc="left", fontsize=11)
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if source:  # below the axes; constrained layout makes room for it
        ax.figure.supxlabel(f"Source: {source}", fontsize=7, color="#555555", x=0.01, ha="left")


def line_chart(
    series: Mapping[str, tuple[Iterable[int], Iterable[float]]],
    *,
    title: str,
    ylabel: str,
    ax: Axes | None = None,
    source: str | None = SOURCE_LINE,
    log: bool = False,
) -> Axes:
    """Lines over years, one per label, with a legend, a unit on the axis and a source line.

    Example:
        >>> ax = line_chart({"A": ([2025, 2026], [1.0, 2.0])}, title="t", ylabel="GW")
        >>> ax.get_ylabel()
        'GW'
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
    for label, (years, values) in series.items():
        ax.plot(list(years), list(values), marker="o", markersize=3, label=label)
    if log:
        ax.set_yscale("log")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, fontsize=8)
    _finish(ax, title, ylabel, source)
    return ax


def bar_chart(
    values: Mapping[str, Sequence[float]],
    categories: Sequence[int] | Sequence[str],
    *,
    title: str,
    ylabel: str,
    ax: Axes | None = None,
    source: str | None = SOURCE_LINE,
) -> Axes:
    """Grouped bars: one group per category (a year), one bar per label (a scenario).

    Example:
        >>> ax = bar_chart({"A": [1.0, 2.0], "B": [2.0, 3.0]}, [2026, 2030], title="t",
        ...                ylabel="H100e")
        >>> len(ax.patches)
        4
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
    n = max(len(values), 1)
    width = 0.8 / n
    x = np.arange(len(categories))
    for i, (label, vals) in enumerate(values.items()):
        ax.bar(x + (i - (n - 1) / 2) * width, vals, width, label=label)
    ax.set_xticks(x, [str(c) for c in categories])
    ax.legend(frameon=False, fontsize=8)
    _finish(ax, title, ylabel, source)
    return ax


def fan_chart(
    years: Sequence[int],
    bands: Any,
    *,
    title: str,
    ylabel: str,
    ax: Axes | None = None,
    source: str | None = SOURCE_LINE,
) -> Axes:
    """A fan chart: ``bands`` holds the 5th, 25th, 50th, 75th and 95th percentiles by year.

    Example:
        >>> import numpy as np
        >>> ax = fan_chart([2025, 2026], np.array([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]]),
        ...                title="t", ylabel="GW")
        >>> ax.get_legend_handles_labels()[1]
        ['5–95%', '25–75%', 'median']
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
    x = list(years)
    ax.fill_between(x, bands[0], bands[4], alpha=0.18, color="#1f77b4", label="5–95%")
    ax.fill_between(x, bands[1], bands[3], alpha=0.35, color="#1f77b4", label="25–75%")
    ax.plot(x, bands[2], color="#1f77b4", marker="o", markersize=3, label="median")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, fontsize=8)
    _finish(ax, title, ylabel, source)
    return ax


def waterfall_chart(
    start: float,
    steps: Sequence[tuple[str, float]],
    *,
    labels: tuple[str, str],
    title: str,
    ylabel: str,
    ax: Axes | None = None,
    source: str | None = SOURCE_LINE,
) -> Axes:
    """A waterfall: a first bar at ``start``, one floating bar per step, a last bar at the end.

    Example:
        >>> ax = waterfall_chart(10.0, [("a", 2.0), ("b", -1.0)], labels=("A", "B"),
        ...                      title="t", ylabel="GW")
        >>> [t.get_text() for t in ax.get_xticklabels()]
        ['A', 'a', 'b', 'B']
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4.2), layout="constrained")
    names = [labels[0], *(name for name, _ in steps), labels[1]]
    level = start
    ax.bar(0, start, color="#7f7f7f")
    for i, (_, delta) in enumerate(steps, start=1):
        ax.bar(i, delta, bottom=level, color="#2ca02c" if delta >= 0 else "#d62728")
        level += delta
    ax.bar(len(steps) + 1, level, color="#7f7f7f")
    ax.set_xticks(range(len(names)), names, rotation=20, ha="right", fontsize=7)
    _finish(ax, title, ylabel, source)
    return ax


def tornado_chart(
    central: float,
    bars: Sequence[tuple[str, float, float]],
    *,
    title: str,
    xlabel: str,
    ax: Axes | None = None,
    source: str | None = SOURCE_LINE,
) -> Axes:
    """A tornado chart: per label, a bar from the central value to the value at each end.

    ``bars`` holds ``(label, value at the low end, value at the high end)``, largest swing
    first; it is drawn at the top.

    Example:
        >>> ax = tornado_chart(10.0, [("a", 6.0, 15.0), ("b", 9.0, 10.5)], title="t",
        ...                    xlabel="GW")
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['a', 'b']
    """
    plt = _pyplot()
    if ax is None:
        height = max(2.5, 0.9 + 0.32 * len(bars))
        _, ax = plt.subplots(figsize=(7.5, height), layout="constrained")
    rows = np.arange(len(bars))
    ends = {"low": [low for _, low, _ in bars], "high": [high for _, _, high in bars]}
    for (end, values), colour in zip(ends.items(), ("#1f77b4", "#ff7f0e"), strict=True):
        widths = [value - central for value in values]
        ax.barh(rows, widths, left=central, color=colour, height=0.6, label=f"at its {end} end")
    ax.axvline(central, color="black", lw=0.8)
    ax.set_yticks(rows, [bar[0] for bar in bars], fontsize=8)
    ax.invert_yaxis()
    ax.legend(frameon=False, fontsize=8)
    _finish(ax, title, "", source)
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", alpha=0.3)
    return ax
