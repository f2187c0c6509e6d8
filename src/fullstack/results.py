"""Results: a scenario's `Projection`, its explanations, and `compare` for several.

A `Projection` holds every metric per economy and year, each with a unit and a description
(`fullstack.engine.METRICS`). ``projection["cn.compute.installed"]`` is a quantity array over
the years; `Projection.value` one year's value; `Projection.to_frame` a tidy pandas frame;
`Projection.explain` the parameters, figures, instruments and sources behind a value.

Example:
    >>> import fullstack
    >>> base = fullstack.Scenario(name="Baseline", end=2030).run()
    >>> base.value("cn.compute.installed", 2025).units
    <Unit('H100e')>
    >>> table = compare(base, base, metrics=["cn.compute.installed"], years=[2030])
    >>> table.rows[0]["ratio"]
    1.0
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from fullstack._data import close_matches
from fullstack._metrics import metric_spec
from fullstack.errors import MissingExtraError, UnknownNameError, ValidationError
from fullstack.scenario import Scenario
from fullstack.units import Q_, format_value

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes


__all__ = ["Comparison", "Ensemble", "Explanation", "Projection", "compare"]

HEADLINE: tuple[str, ...] = (
    "cn.compute.installed",
    "us.compute.installed",
    "world.compute.us_cn_ratio",
    "cn.compute.domestic_share",
    "cn.chips.output",
    "cn.output.binding",
    "cn.deployment.binding",
    "cn.energy.use",
)
"""The metrics a projection's summary shows first."""


def _label_text(labels: Sequence[str], code: float) -> str:
    return "base year" if code < 0 else labels[int(code)]


def _show(value: Any, unit: str | None = None) -> str:
    """A value as people read it (`fullstack.units.format_value`), "no limit" for infinity."""
    if isinstance(value, str):
        return value
    if unit is not None and unit not in ("label", "fraction", "dimensionless"):
        value = Q_(value, unit)
    magnitude = float(value.magnitude) if hasattr(value, "units") else float(value)
    if math.isinf(magnitude):
        return "no limit" if magnitude > 0 else "-inf"
    if hasattr(value, "units") and str(value.units) == "dimensionless":
        value = magnitude
    text: str = format_value(value, digits=3)
    return text


@attrs.frozen(eq=False)
class Projection:
    """The result of running one scenario: metrics per economy and year, with units.

    Attributes:
        scenario: The scenario that was run.
        years: The years reported (``scenario.start`` to ``scenario.end``).
        series: Metric name to array ``(samples, years)`` of magnitudes in `units`.
        units: Metric name to unit (``"label"`` for binding constraints).
        labels: For label metrics, the label of each code.
        inputs: The resolved inputs per economy (`fullstack.engine`'s, for `explain`).
        offset: Years from the world's base year to ``years[0]``.

    Example:
        >>> import fullstack
        >>> p = fullstack.run(fullstack.Scenario(name="s", end=2027))
        >>> "cn.compute.installed" in p.metrics
        True
    """

    scenario: Scenario
    years: tuple[int, ...]
    series: Mapping[str, np.ndarray]
    units: Mapping[str, str]
    labels: Mapping[str, tuple[str, ...]]
    inputs: Mapping[str, Any]
    offset: int = 0

    @property
    def metrics(self) -> list[str]:
        """Every metric name, sorted.

        Example:
            >>> import fullstack
            >>> "world.compute.us_cn_ratio" in fullstack.Scenario(name="s", end=2026).run().metrics
            True
        """
        return sorted(self.series)

    @property
    def samples(self) -> int:
        """The number of samples (1 for a deterministic run).

        Example:
            >>> import fullstack
            >>> fullstack.Scenario(name="s", end=2026).run().samples
            1
        """
        return int(next(iter(self.series.values())).shape[0])

    def _check(self, name: str) -> str:
        if name not in self.series:
            close = close_matches(name, self.series, n=3)
            raise UnknownNameError("metric", name, close, known=len(self.series))
        return name

    def _year_index(self, year: int) -> int:
        if year not in self.years:
            raise ValidationError(
                "year", f"a year of the projection ({self.years[0]}-{self.years[-1]})", year
            )
        return self.years.index(year)

    def unit(self, name: str) -> str:
        """A metric's unit.

        Example:
            >>> import fullstack
            >>> fullstack.Scenario(name="s", end=2026).run().unit("cn.energy.use")
            'TWh/year'
        """
        return self.units[self._check(name)]

    def describe(self, name: str) -> str:
        """What a metric measures.

        Example:
            >>> import fullstack
            >>> fullstack.Scenario(name="s", end=2026).run().describe("cn.chips.output")[:7]
            'Working'
        """
        self._check(name)
        return metric_spec(name).description

    def __getitem__(self, name: str) -> Any:
        """A metric over the years: a quantity array, or a tuple of labels.

        For an ensemble of several samples the central (first) sample is returned.
        """
        arr = self.series[self._check(name)][0]
        if self.units[name] == "label":
            return tuple(_label_text(self.labels[name], x) for x in arr)
        return Q_(arr.copy(), _pint_unit(self.units[name]))

    def value(self, name: str, year: int) -> Any:
        """A metric in one year: a quantity, or a label for a binding constraint.

        Raises:
            UnknownNameError: For an unknown metric (with the closest names).
            ValidationError: For a year outside the projection.

        Example:
            >>> import fullstack
            >>> p = fullstack.Scenario(name="s", end=2027).run()
            >>> p.value("cn.chips.output", 2030)
            Traceback (most recent call last):
            ...
            fullstack.ValidationError: year: expected a year of the projection (2025-2027), ...
        """
        t = self._year_index(year)
        x = self.series[self._check(name)][0, t]
        if self.units[name] == "label":
            return _label_text(self.labels[name], x)
        return Q_(float(x), _pint_unit(self.units[name]))

    def to_frame(self, metrics: Iterable[str] | None = None) -> pd.DataFrame:
        """A tidy frame: scenario, economy, metric, year, value, unit (labels as text).

        Example:
            >>> import fullstack
            >>> df = fullstack.Scenario(name="s", end=2026).run().to_frame()
            >>> list(df.columns)
            ['scenario', 'economy', 'metric', 'year', 'value', 'unit']
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise MissingExtraError("frames", "Projection.to_frame") from exc
        names = self.metrics if metrics is None else [self._check(m) for m in metrics]
        rows = []
        for name in names:
            economy = name.split(".", 1)[0].upper()
            arr = self.series[name][0]
            label = self.units[name] == "label"
            for t, year in enumerate(self.years):
                value: Any = _label_text(self.labels[name], arr[t]) if label else float(arr[t])
                rows.append((self.scenario.name, economy, name, year, value, self.units[name]))
        return pd.DataFrame(
            rows, columns=["scenario", "economy", "metric", "year", "value", "unit"]
        )

    def to_xarray(self) -> Any:
        """The numeric metrics as an xarray Dataset (dimensions sample and year).

        Each variable carries its unit in ``attrs["units"]``; the dataset's attributes name the
        scenario. Needs the ``xarray`` extra.

        Example:
            >>> import fullstack
            >>> ds = fullstack.Scenario(name="s", end=2026).run().to_xarray()
            >>> ds["cn.compute.installed"].dims, ds["cn.compute.installed"].attrs["units"]
            (('sample', 'year'), 'H100e')
        """
        try:
            import xarray as xr
        except ImportError as exc:
            raise MissingExtraError("xarray", "Projection.to_xarray") from exc
        data = {
            name: (("sample", "year"), arr, {"units": self.units[name]})
            for name, arr in self.series.items()
            if self.units[name] != "label"
        }
        coords = {"sample": np.arange(self.samples), "year": list(self.years)}
        return xr.Dataset(data, coords=coords, attrs={"scenario": self.scenario.name})

    def plot(self, metric: str, ax: Axes | None = None, unit: str | None = None) -> Axes:
        """Plot one metric over the years (matplotlib), with its unit and a source line.

        Example:
            >>> import fullstack
            >>> ax = fullstack.Scenario(name="s", end=2027).run().plot("cn.compute.installed")
        """
        from fullstack.plotting import line_chart

        q = self[metric]
        if isinstance(q, tuple):
            raise ValidationError("plot", "a numeric metric", f"{metric} (labels)")
        if unit is not None:
            q = q.to(unit)
        return line_chart(
            {self.scenario.name: (self.years, np.asarray(q.magnitude))},
            title=metric,
            ylabel=_unit_label(str(q.units) if unit is None else unit, self.units[metric]),
            ax=ax,
        )

    def explain(self, metric: str, year: int) -> Explanation:
        """Trace a value to the parameters, figures, assumptions, instruments and sources.

        Example:
            >>> import fullstack
            >>> p = fullstack.Scenario(name="s", end=2027).run()
            >>> e = p.explain("cn.chips.output", 2027)
            >>> "cn.foundry.capacity" in e.parameters
            True
        """
        value = self.value(metric, year)
        spec = metric_spec(metric)
        code = metric.split(".", 1)[0].upper()
        codes = ["US", "CN"] if code == "WORLD" else [code]
        lines: list[tuple[str, str, str]] = []
        parameters: list[str] = []
        t = year - self.years[0] + self.offset
        for c in codes:
            econ = self.inputs.get(c)
            if econ is None:
                continue
            world = self.scenario.base_world().economies[c]
            for key in spec.parameters:
                for name, trace in econ.traces.items():
                    if name.split(".", 1)[1].split("[", 1)[0] != key:
                        continue
                    parameters.append(name)
                    value_text = (
                        _show(Q_(trace.values[t], trace.unit))
                        if trace.unit not in ("fraction",)
                        else f"{trace.values[t]:.3g}"
                    )
                    if trace.override is not None and trace.override.at(year) is not None:
                        basis = "scenario assumption: " + trace.override.describe()
                    elif trace.figure is not None and trace.figure in world.figures:
                        cite = world.figure_at(trace.figure, year).source.cite()
                        basis = f"figure {c}.{trace.figure}: {cite}"
                    elif trace.figure is not None:
                        basis = trace.figure
                    else:
                        basis = "default (not modelled for this economy)"
                    effects = trace.effects.get(year, ())
                    if (
                        basis.startswith("default")
                        and not effects
                        and trace.values[t]
                        in (
                            float("inf"),
                            0.0,
                        )
                    ):
                        continue  # an unlimited cap or a zero default that nothing moved
                    if effects:
                        owners = sorted({owner for owner, _ in effects})
                        basis += "; moved by " + ", ".join(owners)
                    lines.append((name, value_text, basis))
        binding = None
        if code != "WORLD":
            p = code.lower()
            stage = (
                "output"
                if metric.startswith(f"{p}.chips.output") or ".output." in metric
                else "deployment"
            )
            binding_name = f"{p}.{stage}.binding"
            if binding_name in self.series:
                binding = f"{stage}: {self.value(binding_name, year)}"
        return Explanation(
            metric, year, _show(value), spec.description, tuple(lines), tuple(parameters), binding
        )

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{y}</th>" for y in self.years)
        body = []
        for name in HEADLINE:
            if name not in self.series:
                continue
            cells = "".join(
                f"<td>{html.escape(_show(self.value(name, y)))}</td>" for y in self.years
            )
            body.append(f"<tr><td>{html.escape(name)}</td>{cells}</tr>")
        return (
            f"<h4>Projection: {html.escape(self.scenario.name)} "
            f"({self.years[0]}-{self.years[-1]}, {len(self.series)} metrics)</h4>"
            f"<table><tr><th>metric</th>{head}</tr>{''.join(body)}</table>"
        )

    def __repr__(self) -> str:
        return (
            f"<Projection {self.scenario.name!r} {self.years[0]}-{self.years[-1]}: "
            f"{len(self.series)} metrics, {self.samples} sample(s)>"
        )


_HUGE = 1e300


def _quantile(values: np.ndarray, levels: Sequence[float], axis: int | None = None) -> np.ndarray:
    """`np.quantile` that lets infinite values through (a ceiling that does not bind is inf).

    numpy interpolates inf - inf to nan; here infinities stand in as +/-1e300, and anything
    beyond 1e299 comes back as the infinity it came from.
    """
    finite = np.clip(values, -_HUGE, _HUGE)
    out = np.quantile(finite, list(levels), axis=axis)
    return np.where(out > _HUGE / 10, np.inf, np.where(out < -_HUGE / 10, -np.inf, out))


def _checked_q(q: Sequence[float], where: str) -> list[float]:
    """Quantile levels as floats, each a number in [0, 1]."""
    try:
        levels = [float(x) for x in q]
    except (TypeError, ValueError):
        raise ValidationError(where, "a sequence of numbers in [0, 1]", repr(q)) from None
    bad = [x for x in levels if not 0.0 <= x <= 1.0]
    if bad or not levels:
        raise ValidationError(where, "a sequence of numbers in [0, 1]", repr(q))
    return levels


@attrs.frozen(eq=False)
class Ensemble:
    """Many projections of one scenario, with the world's uncertain figures drawn each time.

    Made by `fullstack.engine.ensemble` (``scenario.ensemble(n, seed=...)``). The samples sit
    on the leading axis of `projection`'s series; quantiles summarise them per year.

    Attributes:
        projection: The projection with every sample (``projection.samples == n``).
        uncertain: The figures drawn (``"CN.hbm_stockpile"``...).
        seed: The seed the draws came from.

    Example:
        >>> import fullstack
        >>> e = fullstack.Scenario(name="s", end=2027).ensemble(100, seed=3)
        >>> e.samples, len(e.uncertain) > 10
        (100, True)
    """

    projection: Projection
    uncertain: tuple[str, ...]
    seed: int

    @property
    def samples(self) -> int:
        """The number of samples.

        Example:
            >>> import fullstack
            >>> fullstack.Scenario(name="s", end=2026).ensemble(20).samples
            20
        """
        return self.projection.samples

    @property
    def years(self) -> tuple[int, ...]:
        """The years projected.

        Example:
            >>> import fullstack
            >>> fullstack.Scenario(name="s", end=2026).ensemble(5).years
            (2025, 2026)
        """
        return self.projection.years

    def values(self, metric: str, year: int) -> Any:
        """Every sample's value of a metric in one year, as a quantity array.

        Example:
            >>> import fullstack
            >>> fullstack.Scenario(name="s", end=2026).ensemble(5).values(
            ...     "cn.compute.installed", 2026).shape
            (5,)
        """
        p = self.projection
        t = p._year_index(year)
        unit = p.unit(metric)
        if unit == "label":
            raise ValidationError("Ensemble.values", "a numeric metric", f"{metric} (labels)")
        return Q_(p.series[metric][:, t].copy(), _pint_unit(unit))

    def quantiles(
        self, metric: str, year: int, q: Sequence[float] = (0.05, 0.5, 0.95)
    ) -> tuple[Any, ...]:
        """Quantiles of a metric in one year (default: the 5th, 50th and 95th percentiles).

        Example:
            >>> import fullstack
            >>> e = fullstack.Scenario(name="s", end=2027).ensemble(50, seed=0)
            >>> [x.units for x in e.quantiles("cn.chips.output", 2027)][0]
            <Unit('chip / year')>
        """
        values = self.values(metric, year)
        qs = _quantile(values.magnitude, _checked_q(q, "Ensemble.quantiles.q"))
        return tuple(Q_(float(x), values.units) for x in qs)

    def binding_shares(self, metric: str, year: int) -> dict[str, float]:
        """For a binding-constraint metric, the share of samples in which each label binds.

        Example:
            >>> import fullstack
            >>> e = fullstack.Scenario(name="s", end=2027).ensemble(50, seed=0)
            >>> round(sum(e.binding_shares("cn.output.binding", 2027).values()), 6)
            1.0
        """
        p = self.projection
        if p.unit(metric) != "label":
            raise ValidationError("Ensemble.binding_shares", "a binding metric", metric)
        codes = p.series[metric][:, p._year_index(year)]
        labels = [_label_text(p.labels[metric], c) for c in codes]
        return {label: labels.count(label) / len(labels) for label in sorted(set(labels))}

    def to_frame(
        self, metrics: Iterable[str] | None = None, q: Sequence[float] = (0.05, 0.5, 0.95)
    ) -> pd.DataFrame:
        """A tidy frame of quantiles: scenario, economy, metric, year, quantile, value, unit.

        Example:
            >>> import fullstack
            >>> df = fullstack.Scenario(name="s", end=2026).ensemble(20).to_frame(
            ...     ["cn.compute.installed"])
            >>> sorted(df["quantile"].unique().tolist())
            [0.05, 0.5, 0.95]
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover
            raise MissingExtraError("frames", "Ensemble.to_frame") from exc
        p = self.projection
        names = [m for m in (metrics or p.metrics) if p.unit(p._check(m)) != "label"]
        checked = _checked_q(q, "Ensemble.to_frame.q")
        rows = []
        for name in names:
            qs = _quantile(p.series[name], checked, axis=0)  # (Q, Y)
            for i, quantile in enumerate(q):
                for t, year in enumerate(p.years):
                    rows.append(
                        (p.scenario.name, name.split(".", 1)[0].upper(), name, year,
                         float(quantile), float(qs[i, t]), p.units[name])
                    )  # fmt: skip
        columns = ["scenario", "economy", "metric", "year", "quantile", "value", "unit"]
        return pd.DataFrame(rows, columns=columns)

    def to_xarray(self) -> Any:
        """Every sample as an xarray Dataset (dimensions sample and year), for your own analysis.

        The same layout as `Projection.to_xarray`; the attributes also give the seed and the
        figures drawn. Needs the ``xarray`` extra.

        Example:
            >>> import fullstack
            >>> ds = fullstack.Scenario(name="s", end=2027).ensemble(50, seed=1).to_xarray()
            >>> ds.sizes["sample"], ds.attrs["seed"]
            (50, 1)
            >>> q = ds["cn.compute.installed"].quantile([0.05, 0.95], dim="sample")
        """
        try:
            ds = self.projection.to_xarray()
        except MissingExtraError as exc:
            raise MissingExtraError("xarray", "Ensemble.to_xarray") from exc
        ds.attrs.update(seed=self.seed, uncertain=list(self.uncertain))
        return ds

    def plot(self, metric: str, ax: Axes | None = None) -> Axes:
        """A fan chart: the median, the 25-75% and 5-95% bands over the years.

        Example:
            >>> import fullstack
            >>> e = fullstack.Scenario(name="s", end=2027).ensemble(30)
            >>> ax = e.plot("cn.compute.installed")
        """
        from fullstack.plotting import fan_chart

        p = self.projection
        unit = p.unit(p._check(metric))
        if unit == "label":
            raise ValidationError("Ensemble.plot", "a numeric metric", f"{metric} (labels)")
        bands = _quantile(p.series[metric], [0.05, 0.25, 0.5, 0.75, 0.95], axis=0)
        title = f"{metric} ({self.samples} samples)"
        return fan_chart(p.years, bands, title=title, ylabel=unit, ax=ax)

    def _repr_html_(self) -> str:
        p = self.projection
        head = "".join(f"<th>{y}</th>" for y in p.years)
        body = []
        for name in HEADLINE:
            if name not in p.series or p.units[name] == "label":
                continue
            cells = "".join(
                "<td>"
                + " – ".join(html.escape(_show(x)) for x in self.quantiles(name, y)[::2])
                + "</td>"
                for y in p.years
            )
            body.append(f"<tr><td>{html.escape(name)}</td>{cells}</tr>")
        return (
            f"<h4>Ensemble: {html.escape(p.scenario.name)}, {self.samples} samples "
            f"(seed {self.seed}), 5th–95th percentiles</h4>"
            f"<table><tr><th>metric</th>{head}</tr>{''.join(body)}</table>"
        )

    def __repr__(self) -> str:
        return (
            f"<Ensemble {self.projection.scenario.name!r}: {self.samples} samples, "
            f"{len(self.uncertain)} uncertain figures, seed {self.seed}>"
        )


def _pint_unit(unit: str) -> str:
    return "dimensionless" if unit == "fraction" else unit


def _unit_label(unit: str, raw: str) -> str:
    return unit.replace("/a", "/year") if raw != "fraction" else "share"


@attrs.frozen
class Explanation:
    """Where a projected value comes from.

    Attributes:
        metric: The metric.
        year: The year.
        value: The value, formatted.
        description: What the metric measures.
        lines: ``(parameter, value, basis)``: each input's value that year and its basis
            (figure and source, scenario assumption, or default; the instruments that moved it).
        parameters: The parameter names listed.
        binding: The binding constraint of the stage, if the metric has one.

    Example:
        >>> import fullstack
        >>> e = fullstack.Scenario(name="s", end=2027).run().explain("cn.chips.output", 2027)
        >>> e.binding
        'output: power'
    """

    metric: str
    year: int
    value: str
    description: str
    lines: tuple[tuple[str, str, str], ...]
    parameters: tuple[str, ...]
    binding: str | None = None

    def __str__(self) -> str:
        out = [f"{self.metric} in {self.year} = {self.value}", f"  {self.description}"]
        if self.binding:
            out.append(f"  binding constraint: {self.binding}")
        for name, value, basis in self.lines:
            out.append(f"  {name} = {value}  [{basis}]")
        return "\n".join(out)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(n)}</td><td>{html.escape(v)}</td><td>{html.escape(b)}</td></tr>"
            for n, v, b in self.lines
        )
        binding = f"<p>Binding constraint: {html.escape(self.binding)}</p>" if self.binding else ""
        return (
            f"<p><b>{html.escape(self.metric)}</b> in {self.year} = {html.escape(self.value)}"
            f"<br>{html.escape(self.description)}</p>{binding}"
            f"<table><tr><th>parameter</th><th>value</th><th>basis</th></tr>{rows}</table>"
        )


@attrs.frozen
class Comparison:
    """Chosen metrics at chosen years for several projections, side by side.

    Attributes:
        scenarios: The scenario names, in order (the first is the reference).
        rows: One dict per metric and year: ``metric``, ``year``, ``unit``, one entry per
            scenario name, and for each later scenario ``diff`` and ``ratio`` against the
            first (the keys ``diff`` and ``ratio`` when there are two scenarios; otherwise
            ``diff[name]`` and ``ratio[name]``).

    Example:
        >>> import fullstack
        >>> p = fullstack.Scenario(name="s", end=2026).run()
        >>> table = compare(p, p, metrics=["cn.energy.use"], years=[2026])
        >>> table.scenarios, table.rows[0]["diff"]
        (('s (1)', 's (2)'), 0.0)
    """

    scenarios: tuple[str, ...]
    rows: tuple[Mapping[str, Any], ...]

    def to_frame(self) -> pd.DataFrame:
        """The table as a pandas DataFrame.

        Example:
            >>> import fullstack
            >>> p = fullstack.Scenario(name="s", end=2026).run()
            >>> compare(p, p).to_frame().shape[0] > 0
            True
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover
            raise MissingExtraError("frames", "Comparison.to_frame") from exc
        return pd.DataFrame(list(self.rows))

    def _cells(self) -> tuple[list[str], list[list[str]]]:
        header = ["metric", "year", *self.scenarios]
        extra = [k for k in self.rows[0] if k.startswith(("diff", "ratio"))] if self.rows else []
        header += extra
        body = []
        for r in self.rows:
            cells = [r["metric"], str(r["year"])]
            for s in self.scenarios:
                cells.append(_show(r[s], r["unit"]))
            for k in extra:
                v = r[k]
                if v is None or isinstance(v, str):
                    cells.append(v or "")
                elif k.startswith("ratio"):
                    cells.append(f"×{v:.3g}")
                else:
                    cells.append(("+" if v >= 0 else "") + _show(v, r["unit"]))
            body.append(cells)
        return header, body

    def __repr__(self) -> str:
        metrics = len({r["metric"] for r in self.rows})
        names = ", ".join(repr(n) for n in self.scenarios)
        return f"<Comparison of {names}: {metrics} metrics, {len(self.rows)} rows>"

    def __str__(self) -> str:
        header, body = self._cells()
        widths = [max(len(x) for x in col) for col in zip(header, *body, strict=False)]
        lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=False))]
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) for row in body]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        header, body = self._cells()
        head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in body
        )
        return f"<table><tr>{head}</tr>{rows}</table>"

    def plot(self, metric: str | None = None, ax: Axes | None = None) -> Axes:
        """Bars of one metric (the first by default) per scenario and year.

        Example:
            >>> import fullstack
            >>> p = fullstack.Scenario(name="s", end=2026).run()
            >>> ax = compare(p, p, metrics=["cn.compute.installed"]).plot()
        """
        from fullstack.plotting import bar_chart

        metric = metric or self.rows[0]["metric"]
        rows = [r for r in self.rows if r["metric"] == metric]
        if not rows or rows[0]["unit"] == "label":
            raise ValidationError("Comparison.plot", "a numeric metric of the table", metric)
        years = [r["year"] for r in rows]
        values = {s: [float(r[s]) for r in rows] for s in self.scenarios}
        return bar_chart(values, years, title=metric, ylabel=rows[0]["unit"], ax=ax)


DEFAULT_COMPARE: tuple[str, ...] = HEADLINE
"""The metrics `compare` shows when none are named."""


def compare(
    *projections: Projection,
    metrics: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
) -> Comparison:
    """Put projections side by side: chosen metrics at chosen years, with differences.

    Differences and ratios are taken against the first projection.

    Args:
        projections: Two or more projections (one works too).
        metrics: Metric names (default: the headline metrics).
        years: Years (default: the first, the middle and the last year they share).

    Raises:
        ValidationError: With no projection, or years they do not share.
        UnknownNameError: For an unknown metric.

    Example:
        >>> import fullstack
        >>> a = fullstack.Scenario(name="A", end=2030).run()
        >>> b = fullstack.Scenario(name="B", end=2030).assume(
        ...     "cn.chips.smuggling_share", 0.58, reason="twice as much smuggling").run()
        >>> row = compare(a, b, metrics=["cn.chips.imports_smuggled"], years=[2030]).rows[0]
        >>> round(row["ratio"], 2)
        2.0
    """
    if not projections:
        raise ValidationError("compare", "at least one Projection", "none")
    for i, p in enumerate(projections):
        if not isinstance(p, Projection):
            raise ValidationError(f"compare[{i}]", "a Projection (run a Scenario first)", repr(p))
    names = [p.scenario.name for p in projections]
    if len(set(names)) != len(names):
        names = [f"{n} ({i + 1})" for i, n in enumerate(names)]
    shared = sorted(set.intersection(*(set(p.years) for p in projections)))
    if not shared:
        raise ValidationError("compare", "projections that share years", "no common year")
    if years is None:
        chosen = sorted({shared[0], shared[len(shared) // 2], shared[-1]})
    else:
        chosen = list(years)
        for y in chosen:
            if y not in shared:
                raise ValidationError(
                    "compare.years", f"years all projections share ({shared[0]}-{shared[-1]})", y
                )
    wanted = (
        list(metrics)
        if metrics is not None
        else [m for m in DEFAULT_COMPARE if all(m in p.series for p in projections)]
    )
    rows = []
    for m in wanted:
        for p in projections:
            p._check(m)
        unit = projections[0].units[m]
        for y in chosen:
            row: dict[str, Any] = {"metric": m, "year": y, "unit": unit}
            vals = []
            for n, p in zip(names, projections, strict=True):
                v = p.value(m, y)
                v = v if isinstance(v, str) else float(v.m_as(_pint_unit(unit)))
                row[n] = v
                vals.append(v)
            ref = vals[0]
            for n, v in zip(names[1:], vals[1:], strict=True):
                suffix = "" if len(projections) == 2 else f"[{n}]"
                if isinstance(v, str) or isinstance(ref, str):
                    row[f"diff{suffix}"] = None if v == ref else f"{ref} -> {v}"
                    row[f"ratio{suffix}"] = None
                else:
                    row[f"diff{suffix}"] = v - ref
                    row[f"ratio{suffix}"] = v / ref if ref else None
            rows.append(row)
    return Comparison(tuple(names), tuple(rows))
