"""The projection report: scenarios side by side, in the terminal, in Markdown, HTML and PNG.

`build_report` runs scenarios and returns a `Report`: a headline comparison, the binding
constraints per year, charts fit for a briefing (legend, units, a source line), how sure each
scenario's answer is (percentiles over an ensemble; a fan chart), what explains each scenario's
difference from the first (Shapley shares), the assumptions each scenario adds, and the
bibliography of every figure behind them. `Report.write` saves
``report.md``, a self-contained ``report.html`` (charts embedded) and the PNGs; `Report.echo`
prints the comparison with rich (plain text when not in a terminal).
"""

from __future__ import annotations

import base64
import html
import io
from typing import TYPE_CHECKING, Any, Final

import attrs

from fullstack.results import Ensemble, Projection, compare

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from fullstack.scenario import Scenario

__all__ = ["Report", "build_report"]

HEADLINE: Final = (
    "cn.compute.installed",
    "us.compute.installed",
    "world.compute.us_cn_ratio",
    "cn.compute.domestic_share",
    "cn.chips.output",
    "cn.chips.imports_legal",
    "cn.chips.imports_smuggled",
    "cn.energy.use",
    "us.energy.use",
)
CHARTS: Final = (
    ("cn-installed", "cn.compute.installed", "China: installed AI compute", "million H100e", 1e-6),
    ("us-installed", "us.compute.installed", "US: installed AI compute", "million H100e", 1e-6),
    ("us-cn-ratio", "world.compute.us_cn_ratio", "US/China installed-compute ratio", "ratio", 1),
    (
        "cn-domestic-share",
        "cn.compute.domestic_share",
        "China: domestic share of installed compute",
        "share",
        1,
    ),
    (
        "cn-output",
        "cn.chips.output",
        "China: domestic accelerator output",
        "thousand chips/year",
        1e-3,
    ),
    (
        "cn-energy",
        "cn.energy.use",
        "China: electricity of the AI fleet (full load)",
        "TWh/year",
        1,
    ),
)
"""The report's charts: file stem, metric, title, axis label and scale."""
SOURCE_LINE: Final = (
    "fullstack projection from its reference world (sources in the report's bibliography; "
    "Epoch AI data CC BY 4.0)"
)


@attrs.frozen
class Chart:
    """A rendered chart: file name, title and PNG bytes."""

    name: str
    title: str
    png: bytes


@attrs.frozen
class Report:
    """Projections of several scenarios, ready to print and write.

    Attributes:
        projections: One per scenario, the first the reference for differences.
        years: The years of the headline table.
        charts: The charts, rendered.
        ranges: How sure: per scenario, metric and year, the 5th, 50th and 95th percentiles
            over `samples` draws of the uncertain figures (text cells).
        shares: What explains each scenario's difference from the first: the largest Shapley
            shares of China's installed compute in the last year (text cells).
        samples: The ensemble size behind `ranges` (0: none).
    """

    projections: tuple[Projection, ...]
    years: tuple[int, ...]
    charts: tuple[Chart, ...]
    ranges: tuple[tuple[str, ...], ...] = ()
    shares: tuple[tuple[str, ...], ...] = ()
    samples: int = 0

    def comparison_rows(self) -> tuple[list[str], list[list[str]]]:
        """The headline comparison as text cells."""
        table = compare(*self.projections, metrics=HEADLINE, years=self.years)
        return table._cells()

    def yearly_rows(self) -> tuple[list[str], list[list[str]]]:
        """Installed compute per economy and scenario, every year (million H100e)."""
        from fullstack.units import format_value

        years = list(self.projections[0].years)
        header = ["economy", "scenario", *(str(y) for y in years)]
        rows = []
        for code in ("cn", "us"):
            for p in self.projections:
                values = p[f"{code}.compute.installed"].m_as("H100e")
                cells = [format_value(float(x) / 1e6, digits=3) for x in values]
                rows.append([code.upper(), p.scenario.name, *cells])
        return header, rows

    def binding_rows(self) -> tuple[list[str], list[list[str]]]:
        """Which constraint binds domestic output and deployment, per scenario and year."""
        years = list(self.projections[0].years)
        header = ["scenario", "stage", *(str(y) for y in years)]
        rows = []
        for p in self.projections:
            for stage, name in (("CN output", "cn.output.binding"),
                                ("CN deployment", "cn.deployment.binding"),
                                ("US output", "us.output.binding"),
                                ("US deployment", "us.deployment.binding")):  # fmt: skip
                rows.append([p.scenario.name, stage, *(str(x) for x in p[name])])
        return header, rows

    def assumption_rows(self) -> tuple[list[str], list[list[str]]]:
        """What each scenario adds: its instruments and its assumptions."""
        header = ["scenario", "kind", "what", "basis"]
        rows = []
        for p in self.projections:
            s = p.scenario
            for inst in s.instruments:
                years = f"{inst.start}-{inst.end or ''}"
                what = f"{inst.name} ({inst.tag}, {years})"
                rows.append([s.name, "instrument", what, inst.source.cite()])
            for o in s.assumptions:
                rows.append([s.name, "assumption", o.describe(), o.provenance.cite()])
        return header, rows

    def range_rows(self) -> tuple[list[str], list[list[str]]]:
        """How sure: the 5th, 50th and 95th percentiles over the ensemble's draws."""
        header = ["scenario", "metric", "year", "5th", "median", "95th"]
        return header, [list(r) for r in self.ranges]

    def share_rows(self) -> tuple[list[str], list[list[str]]]:
        """What explains each difference from the first scenario (largest Shapley shares)."""
        header = ["scenario", "policy or assumption", "share of the difference"]
        return header, [list(r) for r in self.shares]

    def _uncertainty_titles(self) -> tuple[str, str]:
        last = self.projections[0].years[-1]
        first = self.projections[0].scenario.name
        return (
            f"How sure: 5th-95th percentiles over {self.samples} draws of the uncertain figures",
            f"What explains each difference from {first}: China's installed compute in {last} "
            "(largest Shapley shares)",
        )

    def bibliography(self) -> list[str]:
        """Every source behind the reference world and the scenarios' instruments, once."""
        from fullstack.provenance import Source

        seen: dict[str, None] = {}
        world = self.projections[0].scenario.base_world()
        for prov in world.sources():
            if isinstance(prov, Source):
                seen.setdefault(prov.cite(), None)
        for p in self.projections:
            for inst in p.scenario.instruments:
                if isinstance(inst.source, Source):
                    seen.setdefault(inst.source.cite(), None)
        return sorted(seen)

    def echo(self, echo: Callable[[str], Any]) -> None:
        """Print the comparison and the binding constraints (rich tables in a terminal)."""
        import sys

        header, rows = self.comparison_rows()
        bheader, brows = self.binding_rows()
        if sys.stdout.isatty():
            from rich.console import Console
            from rich.table import Table

            console = Console()
            sections = [("Scenarios compared", (header, rows)), ("What binds", (bheader, brows))]
            if self.ranges:
                sections.append(("How sure (5th-95th percentiles)", self.range_rows()))
            if self.shares:
                sections.append(("What explains the differences", self.share_rows()))
            for title, (h, body) in sections:
                table = Table(title=title, show_lines=False)
                for col in h:
                    table.add_column(col, overflow="fold")
                for r in body:
                    table.add_row(*r)
                console.print(table)
            return
        from fullstack._format import text_table

        echo("\n== Scenarios compared ==\n" + text_table(rows, header))
        echo("\n== What binds ==\n" + text_table(brows, bheader))
        if self.ranges:
            rheader, rrows = self.range_rows()
            echo("\n== How sure (5th-95th percentiles) ==\n" + text_table(rrows, rheader))
        if self.shares:
            sheader, srows = self.share_rows()
            echo("\n== What explains the differences ==\n" + text_table(srows, sheader))

    def markdown(self, extra: Sequence[str] = ()) -> str:
        """The report in Markdown (charts as links to the PNG files beside it)."""
        names = ", ".join(f"*{p.scenario.name}*" for p in self.projections)
        parts = [
            "# fullstack: China's and the US's AI compute to "
            f"{self.projections[0].years[-1]}, by scenario",
            f"Scenarios: {names}. Differences and ratios are against the first.",
            _md_table(*self.comparison_rows(), title="Scenarios compared"),
        ]
        for chart in self.charts:
            parts.append(f"![{chart.title}]({chart.name})")
        parts += [
            _md_table(*self.yearly_rows(), title="Installed compute, million H100e"),
            _md_table(*self.binding_rows(), title="Which constraint binds"),
            *self._uncertainty_md(),
            _md_table(*self.assumption_rows(), title="What each scenario adds"),
            _WHAT_IT_LEAVES_OUT,
            "## Bibliography\n\n" + "\n".join(f"- {c}" for c in self.bibliography()),
            *extra,
        ]
        return "\n\n".join(parts) + "\n"

    def _uncertainty_md(self) -> list[str]:
        ranges_title, shares_title = self._uncertainty_titles()
        parts = []
        if self.ranges:
            parts.append(_md_table(*self.range_rows(), title=ranges_title))
        if self.shares:
            parts.append(_md_table(*self.share_rows(), title=shares_title))
        return parts

    def html(self, extra: str = "") -> str:
        """The report as one self-contained HTML page (charts embedded as PNG data)."""
        names = ", ".join(html.escape(p.scenario.name) for p in self.projections)
        charts = "".join(
            f"<figure><img alt='{html.escape(c.title)}' src='data:image/png;base64,"
            f"{base64.b64encode(c.png).decode()}'></figure>"
            for c in self.charts
        )
        bib = "".join(f"<li>{html.escape(c)}</li>" for c in self.bibliography())
        ranges_title, shares_title = self._uncertainty_titles()
        body = (
            f"<h1>fullstack: China's and the US's AI compute to "
            f"{self.projections[0].years[-1]}, by scenario</h1>"
            f"<p>Scenarios: {names}. Differences and ratios are against the first.</p>"
            + _html_table(*self.comparison_rows(), title="Scenarios compared")
            + f"<div class='charts'>{charts}</div>"
            + _html_table(*self.yearly_rows(), title="Installed compute, million H100e")
            + _html_table(*self.binding_rows(), title="Which constraint binds")
            + (_html_table(*self.range_rows(), title=ranges_title) if self.ranges else "")
            + (_html_table(*self.share_rows(), title=shares_title) if self.shares else "")
            + _html_table(*self.assumption_rows(), title="What each scenario adds")
            + "<h2>What the model leaves out</h2><p>"
            + html.escape(_WHAT_IT_LEAVES_OUT.split("\n", 2)[2])
            + "</p>"
            + f"<h2>Bibliography</h2><ul>{bib}</ul>"
            + extra
        )
        return (
            "<!doctype html><html><head><meta charset='utf-8'>"
            "<title>fullstack report</title><style>"
            "body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;"
            "padding:0 1rem;color:#222}table{border-collapse:collapse;margin:1rem 0;"
            "font-size:.85rem}td,th{border:1px solid #ccc;padding:.2rem .45rem;text-align:left}"
            "th{background:#f3f3f3}figure{display:inline-block;margin:.5rem}"
            "img{max-width:34rem}</style></head><body>" + body + "</body></html>"
        )

    def write(
        self, out: Path, *, extra_md: Sequence[str] = (), extra_html: str = ""
    ) -> list[Path]:
        """Write ``report.md``, ``report.html`` and the PNGs into ``out`` (created if needed).

        Each file is written atomically: a failure leaves no half-written file.
        """
        from fullstack._files import write_bytes_atomic, write_text_atomic

        out.mkdir(parents=True, exist_ok=True)
        written = [write_bytes_atomic(out / c.name, c.png) for c in self.charts]
        written.append(write_text_atomic(out / "report.md", self.markdown(extra_md)))
        written.append(write_text_atomic(out / "report.html", self.html(extra_html)))
        return written


_WHAT_IT_LEAVES_OUT = """## What the model leaves out

A transparent stock-and-flow model, not a forecast: every number follows from the figures and
assumptions listed here and in docs/model.md. Demand is simple (output follows the orders
money and power allow; imports are a fixed demand), prices are fixed, imported chips do not
substitute for one another, compute rented abroad is not counted, the rest of the world is not
an economy, and a run uses the central value of every figure. The report's ranges draw every
figure that has a low and a high, independently; the fleets stay at their central counts."""


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, title: str) -> str:
    head = "| " + " | ".join(header) + " |"
    rule = "|" + "---|" * len(header)
    body = ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return "\n".join([f"## {title}", "", head, rule, *body])


def _html_table(header: Sequence[str], rows: Sequence[Sequence[str]], *, title: str) -> str:
    from fullstack._format import html_table

    return f"<h2>{html.escape(title)}</h2>" + html_table(header, rows)


def _render_charts(projections: Sequence[Projection]) -> tuple[Chart, ...]:
    try:
        import matplotlib as mpl
    except ImportError:  # pragma: no cover - the plot extra is missing
        return ()
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    from fullstack.plotting import line_chart

    charts = []
    for name, metric, title, ylabel, scale in CHARTS:
        series = {
            p.scenario.name: (p.years, [float(x) * scale for x in p.series[metric][0]])
            for p in projections
        }
        ax = line_chart(series, title=title, ylabel=ylabel, source=SOURCE_LINE)
        figure = ax.get_figure(root=True)
        assert figure is not None
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=110)
        plt.close(figure)
        charts.append(Chart(f"{name}.png", title, buffer.getvalue()))
    return tuple(charts)


RANGE_METRICS: Final = ("cn.compute.installed", "world.compute.us_cn_ratio")
"""The metrics whose ranges the report shows (in 2030 and the last year)."""


def build_report(
    scenarios: Sequence[Scenario],
    years: Sequence[int] | None = None,
    *,
    samples: int = 500,
    seed: int = 0,
) -> Report:
    """Run the scenarios and assemble the report.

    With ``samples`` above 0, each scenario is also run as an ensemble of that many draws of
    the uncertain figures (its percentiles, and a fan chart of the first scenario), and each
    scenario's difference from the first is attributed to the policies and assumptions that
    differ (`fullstack.attribute`).

    Example:
        >>> import fullstack
        >>> r = build_report([fullstack.Scenario(name="s", end=2027)], years=[2027], samples=50)
        >>> r.comparison_rows()[0][:3]
        ['metric', 'year', 's']
        >>> r.range_rows()[1][0][:3]
        ['s', 'cn.compute.installed', '2027']
    """
    from fullstack._validators import check_count
    from fullstack.engine import run

    check_count(samples, "build_report.samples")
    check_count(seed, "build_report.seed")
    projections = tuple(run(s) for s in scenarios)
    shared = projections[0].years
    chosen = tuple(years) if years is not None else tuple(y for y in shared if y in (
        shared[0], 2027, 2030, shared[-1]))  # fmt: skip
    charts = _render_charts(projections)
    if samples <= 0:
        return Report(projections, chosen, charts)
    ranges, fan = _ranges(scenarios, samples, seed)
    return Report(
        projections,
        chosen,
        charts + fan,
        ranges=ranges,
        shares=_shares(scenarios),
        samples=samples,
    )


def _ranges(
    scenarios: Sequence[Scenario], samples: int, seed: int
) -> tuple[tuple[tuple[str, ...], ...], tuple[Chart, ...]]:
    from fullstack.results import _show

    rows: list[tuple[str, ...]] = []
    fan: tuple[Chart, ...] = ()
    for i, scenario in enumerate(scenarios):
        ensemble = scenario.ensemble(samples, seed=seed, progress=False)
        years = ensemble.years
        for metric in RANGE_METRICS:
            for year in sorted({min(2030, years[-1]), years[-1]}):
                low, mid, high = ensemble.quantiles(metric, year)
                rows.append(
                    (scenario.name, metric, str(year), _show(low), _show(mid), _show(high))
                )
        if i == 0:
            fan = _fan_chart(ensemble)
    return tuple(rows), fan


def _fan_chart(ensemble: Ensemble) -> tuple[Chart, ...]:
    try:
        import matplotlib as mpl
    except ImportError:  # pragma: no cover - the plot extra is missing
        return ()
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    from fullstack.plotting import fan_chart
    from fullstack.results import _quantile

    p = ensemble.projection
    bands = _quantile(p.series["cn.compute.installed"], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
    title = (
        f"China: installed AI compute, {p.scenario.name} "
        f"({ensemble.samples} draws of the uncertain figures)"
    )
    ax = fan_chart(p.years, bands * 1e-6, title=title, ylabel="million H100e", source=SOURCE_LINE)
    figure = ax.get_figure(root=True)
    assert figure is not None
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    plt.close(figure)
    return (Chart("cn-installed-range.png", title, buffer.getvalue()),)


def _shares(scenarios: Sequence[Scenario], top: int = 3) -> tuple[tuple[str, ...], ...]:
    """The largest non-zero shares of each scenario's difference from the first."""
    from fullstack._attribution import attribute
    from fullstack.results import _show

    rows: list[tuple[str, ...]] = []
    reference = scenarios[0]
    for other in scenarios[1:]:
        if (other.world, other.start, other.end) != (
            reference.world,
            reference.start,
            reference.end,
        ):
            continue  # attribution needs the same world and horizon
        result = attribute(reference, other, "cn.compute.installed", reference.end)
        ranked = sorted(result.shares.items(), key=lambda kv: -abs(kv[1].magnitude))
        largest = max((abs(q.magnitude) for _, q in ranked), default=0.0)
        moving = [(k, q) for k, q in ranked if abs(q.magnitude) > 1e-9 * largest]
        if not moving:
            rows.append((other.name, "(nothing: no difference in this metric)", _show(0.0)))
        for label, share in moving[:top]:
            rows.append((other.name, label, _show(share)))
    return tuple(rows)
