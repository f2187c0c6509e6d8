"""Sensitivity: which uncertain world figure moves a metric most.

`sensitivity(scenario, metric, year)` is the one-at-a-time analysis behind a tornado chart:
every uncertain world figure (`fullstack.engine.uncertain_figures`) at its low and at its high
end (and every scenario assumption that is a distribution at its 5th and 95th percentiles),
every other input at its central value, all of them samples of one batch on the kernel's
sample axis. `sobol(scenario, metric, year)` gives variance-based indices (first order and
total, with confidence intervals) through SALib, the ``sensitivity`` extra: Saltelli's scheme
over the inputs' draws, the uniform numbers an ensemble maps through each input's
distribution, evaluated in batches on the sample axis.

Example:
    >>> import fullstack
    >>> s = sensitivity(fullstack.scenarios()["baseline"], "cn.compute.installed", 2030)
    >>> next(iter(s.swings))
    'CN.smuggling_share'
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np

from fullstack._validators import check_count
from fullstack.distributions import Distribution
from fullstack.engine import _project, uncertain_figures
from fullstack.engine._inputs import EconomyInputs, build_inputs
from fullstack.errors import MissingExtraError, ValidationError
from fullstack.policy.parameters import parameter
from fullstack.results import _pint_unit, _show
from fullstack.scenario import Scenario
from fullstack.units import Q_

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pandas as pd
    from matplotlib.axes import Axes

    from fullstack.engine._kernel import KernelInput
    from fullstack.results import Projection

__all__ = ["ASSUMPTION_ENDS", "Sensitivity", "Sobol", "sensitivity", "sobol"]


@attrs.frozen
class Sensitivity:
    """A one-at-a-time sensitivity of one metric in one year: the data of a tornado chart.

    Attributes:
        metric: The metric.
        year: The year.
        scenario: The scenario's name.
        central: The metric with every figure at its central value (`fullstack.run`'s value).
        at_low: The metric with one figure at its low end, the others central, by figure.
        at_high: The same with the figure at its high end.
        ranges: Each figure's low and high ends in ``year`` (a figure with a path by year:
            that year's point), as text with units.
        swings: How far each figure moves the metric: the width of the range over its values
            at the figure's low, central and high ends (``|at_high - at_low|`` when the metric
            moves one way); ordered from the largest swing down.

    Example:
        >>> import fullstack
        >>> s = sensitivity(fullstack.scenarios()["baseline"], "cn.chips.output", 2030)
        >>> s.at_low["CN.packaging_yield"] < s.central < s.at_high["CN.packaging_yield"]
        True
    """

    metric: str
    year: int
    scenario: str
    central: Any
    at_low: dict[str, Any]
    at_high: dict[str, Any]
    ranges: dict[str, tuple[str, str]]
    swings: dict[str, Any]

    def to_frame(self) -> pd.DataFrame:
        """One row per figure, largest swing first: its ends and the metric at each.

        Columns: figure, low, high (the figure's ends, as text), at_low, at_high, swing and
        unit (the metric's), and central (the metric with every figure central).

        Example:
            >>> import fullstack
            >>> s = sensitivity(fullstack.Scenario(name="s", end=2026), "cn.energy.use", 2026)
            >>> list(s.to_frame().columns)
            ['figure', 'low', 'high', 'at_low', 'at_high', 'swing', 'central', 'unit']
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - pandas is a dependency of the extras
            raise MissingExtraError("frames", "Sensitivity.to_frame") from exc
        unit = str(self.central.units)
        central = float(self.central.magnitude)
        rows = [
            (name, *self.ranges[name], float(self.at_low[name].magnitude),
             float(self.at_high[name].magnitude), float(swing.magnitude), central, unit)
            for name, swing in self.swings.items()
        ]  # fmt: skip
        columns = ["figure", "low", "high", "at_low", "at_high", "swing", "central", "unit"]
        return pd.DataFrame(rows, columns=columns)

    def __str__(self) -> str:
        lines = [
            f"{self.metric} in {self.year} ({self.scenario}): {_show(self.central)} with every "
            "figure central; each figure at its low and high end:"
        ]
        still = [name for name, swing in self.swings.items() if swing.magnitude == 0]
        for name, swing in self.swings.items():
            if swing.magnitude == 0:
                continue
            low, high = self.ranges[name]
            lines.append(
                f"  {name:34} {_show(self.at_low[name]):>14} .. {_show(self.at_high[name]):<14}"
                f" swing {_show(swing):<14} ({low} .. {high})"
            )
        if still:
            lines.append(f"  {len(still)} figures do not move it ({', '.join(still[:3])}...)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td>"
            f"<td>{html.escape(' .. '.join(self.ranges[name]))}</td>"
            f"<td>{html.escape(_show(self.at_low[name]))}</td>"
            f"<td>{html.escape(_show(self.at_high[name]))}</td>"
            f"<td>{html.escape(_show(swing))}</td></tr>"
            for name, swing in self.swings.items()
        )
        head = html.escape(str(self).splitlines()[0])
        return (
            f"<p>{head}</p><table><tr><th>figure</th><th>low .. high</th><th>at low</th>"
            f"<th>at high</th><th>swing</th></tr>{rows}</table>"
        )

    def plot(self, top: int | None = 15, ax: Axes | None = None) -> Axes:
        """A tornado chart: one bar per figure from its low end's value to its high end's.

        Args:
            top: Show only this many figures, the largest swings (all of them when None).
            ax: Axes to draw on (a new figure when None).

        Example:
            >>> import fullstack
            >>> s = sensitivity(fullstack.Scenario(name="s", end=2027), "cn.chips.output", 2027)
            >>> ax = s.plot(top=5)
            >>> len(ax.get_yticklabels())
            5
        """
        from fullstack.plotting import tornado_chart

        names = list(self.swings)[:top]
        bars = [
            (name, float(self.at_low[name].magnitude), float(self.at_high[name].magnitude))
            for name in names
        ]
        return tornado_chart(
            float(self.central.magnitude),
            bars,
            title=f"{self.metric} in {self.year}: each figure at its low and high end",
            xlabel=str(self.central.units),
            ax=ax,
        )


def _check(scenario: object, where: str) -> Scenario:
    if not isinstance(scenario, Scenario):
        hint = " (a built-in one by name: fullstack.scenarios()[name])"
        raise ValidationError(where, "a fullstack.Scenario" + hint, repr(scenario))
    return scenario


def _metric_column(projection: Projection, metric: str, year: int, where: str) -> Any:
    """Every sample's value of a numeric metric in one year, as a quantity array."""
    t = projection._year_index(year)
    unit = projection.unit(metric)
    if unit == "label":
        raise ValidationError(where, "a numeric metric", f"{metric} (labels)")
    return Q_(projection.series[metric][:, t], _pint_unit(unit))


def _stack(parts: Sequence[Mapping[str, EconomyInputs]]) -> dict[str, EconomyInputs]:
    """Inputs built separately, joined on the sample axis into one batch.

    Only what varies by sample is joined (the parameters, import demand and caps, the fleet's
    counts); the rest (chips, design, the fleet's cells) is the scenario's and the same in
    every part.
    """
    out = {}
    for code, first in parts[0].items():
        kernels = [part[code].kernel for part in parts]

        def samples(k: KernelInput) -> int:
            return int(next(iter(k.params.values())).shape[0])

        kernel = attrs.evolve(
            first.kernel,
            params={
                key: np.concatenate([k.params[key] for k in kernels], axis=0)
                for key in first.kernel.params
            },
            demand=np.concatenate([k.demand for k in kernels], axis=0),
            import_cap=np.concatenate([k.import_cap for k in kernels], axis=0),
            fleet_counts=np.concatenate(
                [
                    np.broadcast_to(k.fleet_counts, (samples(k), k.fleet_counts.shape[1]))
                    for k in kernels
                ],
                axis=0,
            ),
        )
        out[code] = attrs.evolve(first, kernel=kernel)
    return out


ASSUMPTION_ENDS: Final = (0.05, 0.95)
"""The quantiles a tornado moves a distribution assumption to (a world figure: 0 and 1)."""


def _uncertain(scenario: Scenario) -> list[str]:
    """What an ensemble draws, in its order: uncertain figures, then distribution assumptions."""
    assumed = sorted(f"assumption:{o.parameter}" for o in scenario.assumptions if o.is_uncertain)
    return [*uncertain_figures(scenario.base_world()), *assumed]


def _ends(name: str) -> np.ndarray:
    return np.array(ASSUMPTION_ENDS if name.startswith("assumption:") else (0.0, 1.0))


def _range(scenario: Scenario, name: str, year: int) -> tuple[str, str]:
    """An input's two ends in ``year`` as text: a figure's low and high, a distribution's."""
    world = scenario.base_world()
    if not name.startswith("assumption:"):
        code, figure = name.split(".", 1)
        economy = world.economies[code]
        if figure.startswith("fleet["):  # a fleet channel: its H100e total's range
            estimate = economy.fleet_total(figure[len("fleet[") : -1])
        else:
            estimate = economy.figure_at(figure, year)
        low = estimate.value if estimate.low is None else estimate.low
        high = estimate.value if estimate.high is None else estimate.high
        return _show(low), _show(high)
    key = name.split(":", 1)[1]
    (override,) = (o for o in scenario.assumptions if o.parameter == key)
    value = override.at(year)
    if not isinstance(value, Distribution):  # a path's fixed point, or before its first year
        return ("-", "-")
    p = parameter(key)
    unit = p.unit_for(world.economies[p.economy])
    ends = value.ppf(np.array(ASSUMPTION_ENDS), unit)
    return _show(Q_(float(ends[0]), _pint_unit(unit))), _show(Q_(float(ends[1]), _pint_unit(unit)))


def sensitivity(scenario: Scenario, metric: str, year: int) -> Sensitivity:
    """Move each uncertain world figure to its low and its high end, one at a time.

    Every figure with a range (`fullstack.engine.uncertain_figures`) is set to its low end
    (the triangular distribution's quantile 0) and to its high end (quantile 1), every other
    figure staying at its central value; a figure with a path by year takes each year's end.
    A scenario assumption that is a distribution (``"assumption:<parameter>"``) goes to its
    5th and 95th percentiles (`ASSUMPTION_ENDS`: a normal's ends are infinite). The central
    run and the two runs of every input are samples of one batch on the kernel's sample axis.
    A figure the scenario fixes by an assumption has no swing.

    Args:
        scenario: The scenario.
        metric: A numeric metric (``"cn.compute.installed"``).
        year: A year of the scenario's projection.

    Returns:
        A `Sensitivity`, its figures ordered by swing.

    Raises:
        ValidationError: For a label metric (a binding constraint) or a year outside the
            projection.
        UnknownNameError: For an unknown metric.

    Example:
        >>> import fullstack
        >>> s = sensitivity(fullstack.scenarios()["baseline"], "cn.compute.installed", 2030)
        >>> s.swings["US.training_mfu"].magnitude
        0.0
    """
    scenario = _check(scenario, "sensitivity")
    names = _uncertain(scenario)
    parts = [build_inputs(scenario)]
    parts += [build_inputs(scenario, 2, {name: _ends(name)}) for name in names]
    projection = _project(scenario, _stack(parts))
    column = _metric_column(projection, metric, year, "sensitivity")
    values = [Q_(float(x), column.units) for x in column.magnitude]
    central = values[0]
    at_low = {name: values[1 + 2 * i] for i, name in enumerate(names)}
    at_high = {name: values[2 + 2 * i] for i, name in enumerate(names)}
    swing = {
        name: max(at_low[name], at_high[name], central) - min(at_low[name], at_high[name], central)
        for name in names
    }
    order = sorted(names, key=lambda n: (-float(swing[n].magnitude), n))
    ranges = {name: _range(scenario, name, year) for name in names}
    return Sensitivity(
        metric=metric,
        year=year,
        scenario=scenario.name,
        central=central,
        at_low=at_low,
        at_high=at_high,
        ranges=ranges,
        swings={name: swing[name] for name in order},
    )


@attrs.frozen
class Sobol:
    """Variance-based (Sobol) sensitivity indices of one metric in one year.

    Attributes:
        metric: The metric.
        year: The year.
        scenario: The scenario's name.
        first: Each figure's first-order index: the share of the metric's variance its own
            variation explains.
        total: Each figure's total index: its share counting its interactions with the others.
        first_conf: The half-width of each first-order index's confidence interval.
        total_conf: The same for the total index.
        samples: How many runs the estimate took (``n × (inputs + 2)``).

    Example:
        >>> import fullstack
        >>> s = sobol(fullstack.scenarios()["baseline"], "cn.chips.output", 2030, n=64)
        >>> max(s.total, key=s.total.get)
        'CN.hbm_supply'
    """

    metric: str
    year: int
    scenario: str
    first: dict[str, float]
    total: dict[str, float]
    first_conf: dict[str, float]
    total_conf: dict[str, float]
    samples: int

    def _order(self) -> list[str]:
        return sorted(self.total, key=lambda n: (-self.total[n], n))

    def to_frame(self) -> pd.DataFrame:
        """One row per figure, largest total index first: figure, S1, S1_conf, ST, ST_conf.

        Example:
            >>> import fullstack
            >>> s = sobol(fullstack.Scenario(name="s", end=2026), "cn.energy.use", 2026, n=32)
            >>> list(s.to_frame().columns)
            ['figure', 'S1', 'S1_conf', 'ST', 'ST_conf']
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - pandas is a dependency of the extras
            raise MissingExtraError("frames", "Sobol.to_frame") from exc
        rows = [
            (n, self.first[n], self.first_conf[n], self.total[n], self.total_conf[n])
            for n in self._order()
        ]
        return pd.DataFrame(rows, columns=["figure", "S1", "S1_conf", "ST", "ST_conf"])

    def __str__(self) -> str:
        lines = [
            f"{self.metric} in {self.year} ({self.scenario}): Sobol indices from "
            f"{self.samples:,} runs (first order, total, ± 95% interval)"
        ]
        for n in self._order():
            lines.append(
                f"  {n:34} S1 {self.first[n]:6.3f} ± {self.first_conf[n]:.3f}"
                f"   ST {self.total[n]:6.3f} ± {self.total_conf[n]:.3f}"
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(n)}</td><td>{self.first[n]:.3f} ± {self.first_conf[n]:.3f}</td>"
            f"<td>{self.total[n]:.3f} ± {self.total_conf[n]:.3f}</td></tr>"
            for n in self._order()
        )
        head = html.escape(str(self).splitlines()[0])
        return (
            f"<p>{head}</p><table><tr><th>figure</th><th>first order</th><th>total</th></tr>"
            f"{rows}</table>"
        )


def _salib() -> tuple[Any, Any]:
    """SALib's Saltelli sampler and Sobol analysis, or the extra to install."""
    try:
        from SALib.analyze import sobol as analyze
    except ImportError as exc:
        raise MissingExtraError("sensitivity", "Sobol indices (fullstack.sobol)") from exc
    try:
        from SALib.sample import sobol as sampler  # SALib >= 1.4.6
    except ImportError:  # pragma: no cover - older SALib
        from SALib.sample import saltelli as sampler
    return sampler, analyze


def sobol(
    scenario: Scenario,
    metric: str,
    year: int,
    n: int = 1024,
    seed: int = 0,
    *,
    chunk_size: int = 10_000,
) -> Sobol:
    """Variance-based sensitivity indices of a metric over the ensemble's uncertain inputs.

    Saltelli's sampling scheme (SALib) over each input's draw, the uniform number in [0, 1]
    an ensemble maps through a world figure's triangular distribution (or a distribution
    assumption's, ``"assumption:<parameter>"``), so the indices are about the same
    uncertainty as `fullstack.Scenario.ensemble`'s, drawn independently (the scenario's rank
    correlations are not applied: Sobol indices assume independent inputs). The
    ``n × (inputs + 2)`` runs go
    through the engine ``chunk_size`` samples at a time on the sample axis. Needs the
    ``sensitivity`` extra (``pip install 'fullstack[sensitivity]'``, SALib).

    Args:
        scenario: The scenario.
        metric: A numeric metric.
        year: A year of the projection.
        n: The base sample size (a power of two).
        seed: The seed of the scrambled Sobol sequence and of the intervals' bootstrap.
        chunk_size: Samples run at once (bounds the memory used).

    Returns:
        A `Sobol` with first-order and total indices and their 95% confidence intervals.

    Raises:
        MissingExtraError: Without SALib.
        ValidationError: For ``n`` not a power of two, a label metric or a year outside the
            projection.

    Example:
        >>> import fullstack
        >>> s = sobol(fullstack.Scenario(name="s", end=2027), "cn.compute.installed", 2027, n=64)
        >>> abs(s.total["US.training_mfu"]) < 0.01
        True
    """
    scenario = _check(scenario, "sobol")
    count: object = n
    if isinstance(count, bool) or not isinstance(count, int) or count < 2 or count & (count - 1):
        raise ValidationError("sobol.n", "a power of two, at least 2", repr(n))
    check_count(seed, "sobol.seed")
    sampler, analyze = _salib()
    names = _uncertain(scenario)
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    uniforms = sampler.sample(problem, n, calc_second_order=False, seed=seed)
    uniforms = np.clip(uniforms, 0.0, 1.0)
    outputs = []
    for first in range(0, len(uniforms), chunk_size):
        block = uniforms[first : first + chunk_size]
        draws = {name: block[:, i] for i, name in enumerate(names)}
        projection = _project(scenario, build_inputs(scenario, len(block), draws))
        column = _metric_column(projection, metric, year, "sobol")
        outputs.append(np.asarray(column.magnitude, dtype=np.float64))
    y = np.concatenate(outputs)
    if np.ptp(y) == 0:  # no variance to share: every index is zero
        zeros = dict.fromkeys(names, 0.0)
        return Sobol(metric, year, scenario.name, zeros, zeros, zeros, zeros, len(y))
    found = analyze.analyze(problem, y, calc_second_order=False, seed=seed)

    def by_name(key: str) -> dict[str, float]:
        return {name: float(x) for name, x in zip(names, found[key], strict=True)}

    return Sobol(
        metric=metric,
        year=year,
        scenario=scenario.name,
        first=by_name("S1"),
        total=by_name("ST"),
        first_conf=by_name("S1_conf"),
        total_conf=by_name("ST_conf"),
        samples=len(y),
    )
