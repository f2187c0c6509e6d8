"""Attribution: how much of the difference between two scenarios each policy causes.

`attribute(a, b, metric, year)` splits ``b``'s value minus ``a``'s among the instruments that
differ between them, by exact Shapley values: every subset of those instruments is one sample
of a single batched run (2ⁿ samples on the kernel's sample axis), and each instrument's share is
its marginal effect averaged over the orders in which the policies could be added. The shares
sum to the whole difference.

Example:
    >>> import fullstack
    >>> a = fullstack.scenarios()["baseline"]
    >>> b = fullstack.scenarios()["self_reliance"]
    >>> result = attribute(a, b, "cn.compute.installed", 2030)
    >>> abs(sum(s.m_as("H100e") for s in result.shares.values())
    ...     - result.difference.m_as("H100e")) < 1e-3
    True
"""

from __future__ import annotations

import functools
import html
import math
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np

from fullstack._validators import check_count
from fullstack.engine import _draw, _project
from fullstack.engine._inputs import Switch, build_inputs
from fullstack.errors import ValidationError
from fullstack.results import _pint_unit, _show
from fullstack.scenario import Scenario
from fullstack.units import Q_

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd
    from matplotlib.axes import Axes

    from fullstack.policy import Instrument

__all__ = ["Attribution", "attribute"]

MAX_EXACT: Final = 12
"""The most players exact Shapley values are computed for (2¹² = 4,096 samples in one run)."""


@attrs.frozen
class Attribution:
    """The difference in one metric and year between two scenarios, split among policies.

    Attributes:
        metric: The metric.
        year: The year.
        before: Its value in the first scenario.
        after: Its value in the second.
        difference: ``after - before``.
        shares: Each differing instrument's or assumption's Shapley share, by its label
            (``"+ Name"`` added in the second scenario, ``"- Name"`` removed, ``"~ Name"``
            changed; ``"+ assumption cn.hbm.supply"``); they sum to the difference.
        scenarios: The two scenarios' names.
        errors: With random orders, each share's standard error (empty when exact).
        ranges: With ``samples`` draws of the uncertain figures, each share's 5th and 95th
            percentiles (empty otherwise).
        samples: The number of draws behind `ranges`.

    Example:
        >>> import fullstack
        >>> r = attribute(fullstack.scenarios()["baseline"], fullstack.scenarios()["relaxed"],
        ...               "cn.compute.installed", 2030)
        >>> r.scenarios
        ('2025 policies continue', 'Relaxed controls')
    """

    metric: str
    year: int
    before: Any
    after: Any
    difference: Any
    shares: dict[str, Any]
    scenarios: tuple[str, str]
    errors: dict[str, Any] = attrs.field(factory=dict)
    ranges: dict[str, tuple[Any, Any]] = attrs.field(factory=dict)
    samples: int = 0

    def to_frame(self) -> pd.DataFrame:
        """The shares as a frame: player, share, unit, fraction of the difference.

        Example:
            >>> import fullstack
            >>> a = fullstack.scenarios()["baseline"]
            >>> b = fullstack.scenarios()["tighter"]
            >>> list(attribute(a, b, "cn.compute.installed", 2030).to_frame().columns)
            ['player', 'share', 'unit', 'fraction']
        """
        import pandas as pd

        unit = str(self.difference.units)
        total = float(self.difference.magnitude)
        rows = [
            (name, float(q.magnitude), unit, float(q.magnitude) / total if total else math.nan)
            for name, q in self.shares.items()
        ]
        return pd.DataFrame(rows, columns=["player", "share", "unit", "fraction"])

    def __str__(self) -> str:
        a, b = self.scenarios
        lines = [
            f"{self.metric} in {self.year}: {_show(self.before)} ({a}) -> {_show(self.after)} "
            f"({b}), difference {_show(self.difference)}"
        ]
        for name, q in sorted(self.shares.items(), key=lambda kv: -abs(kv[1].magnitude)):
            lines.append(f"  {name:60} {_signed(q)}{self._spread(name)}")
        return "\n".join(lines)

    def _spread(self, name: str) -> str:
        if name in self.ranges:
            low, high = self.ranges[name]
            return f"  (5-95%: {_show(low)} to {_show(high)}, {self.samples} draws)"
        if name in self.errors:
            return f"  (± {_show(self.errors[name])} s.e.)"
        return ""

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(n)}</td><td>{html.escape(_signed(q))}</td>"
            f"<td>{html.escape(self._spread(n).strip(' ()'))}</td></tr>"
            for n, q in sorted(self.shares.items(), key=lambda kv: -abs(kv[1].magnitude))
        )
        head = html.escape(str(self).splitlines()[0])
        return (
            f"<p>{head}</p><table><tr><th>policy</th><th>share</th><th>spread</th></tr>"
            f"{rows}</table>"
        )

    def plot(self, ax: Axes | None = None) -> Axes:
        """A waterfall: the first scenario's value, each share, the second's value.

        Example:
            >>> import fullstack
            >>> a = fullstack.scenarios()["baseline"]
            >>> b = fullstack.scenarios()["tighter"]
            >>> ax = attribute(a, b, "cn.compute.installed", 2030).plot()
        """
        from fullstack.plotting import waterfall_chart

        unit = str(self.difference.units)
        steps = [(name, float(q.magnitude)) for name, q in self.shares.items()]
        return waterfall_chart(
            float(self.before.magnitude),
            steps,
            labels=self.scenarios,
            title=f"{self.metric} in {self.year}: what each policy changes",
            ylabel=unit,
            ax=ax,
        )


def _signed(q: Any) -> str:
    text = _show(q)
    return text if text.startswith("-") else "+" + text


def _players(a: Scenario, b: Scenario) -> tuple[list[Instrument], dict[str, tuple[str, int]]]:
    """The union of both scenarios' instruments, and the roles of the differing ones.

    A role is the player's label and whether the instrument acts when its player is off (0:
    in ``a``'s state) or on (1: in ``b``'s state).
    """
    in_a = {i.name: i for i in a.instruments}
    in_b = {i.name: i for i in b.instruments}
    union: list[Instrument] = []
    roles: dict[str, tuple[str, int]] = {}
    for name, inst in in_a.items():
        other = in_b.get(name)
        if other == inst:
            union.append(inst)
        elif other is None:
            union.append(inst)
            roles[name] = (f"- {name}", 0)
        else:
            before = attrs.evolve(inst, name=f"{name} (before)")
            after = attrs.evolve(other, name=f"{name} (after)")
            union += [before, after]
            roles[before.name] = (f"~ {name}", 0)
            roles[after.name] = (f"~ {name}", 1)
    for name, inst in in_b.items():
        if name not in in_a:
            union.append(inst)
            roles[name] = (f"+ {name}", 1)
    return union, roles


def attribute(
    a: Scenario,
    b: Scenario,
    metric: str,
    year: int,
    *,
    samples: int = 0,
    seed: int = 0,
    permutations: int | None = None,
) -> Attribution:
    """Split the difference in ``metric`` and ``year`` between two scenarios among policies.

    The players are the instruments and the assumptions that differ: added in ``b``, removed
    from ``a``, or changed. Up to `MAX_EXACT` players the shares are exact Shapley values over
    all subsets, run as one batch on the sample axis; beyond, or when ``permutations`` is
    given, they are estimated from that many random orders of the players (every prefix of
    every order in one batch), with their standard errors. With ``samples``, the same is done
    for that many draws of the world's uncertain figures (as `Scenario.ensemble` draws them),
    and each share gets its 5th-95th percentile range. Both scenarios must share their world
    and horizon.

    Args:
        a: The first scenario.
        b: The second.
        metric: A numeric metric.
        year: A year of both projections.
        samples: Draws of the uncertain figures for ranges (0: none).
        seed: The seed of the draws and of the random orders.
        permutations: Estimate from this many random orders instead of all subsets.

    Raises:
        ValidationError: For scenarios with different worlds or horizons, a label metric, or
            bad counts.
        UnknownNameError: For an unknown metric.

    Example:
        >>> import fullstack
        >>> a = fullstack.scenarios()["baseline"]
        >>> r = attribute(a, fullstack.scenarios()["tighter"], "cn.compute.installed", 2030)
        >>> sorted(r.shares)[0]
        '+ US: China-market chips stopped'
    """
    for i, s in enumerate((a, b)):
        if not isinstance(s, Scenario):
            raise ValidationError(f"attribute[{i}]", "a fullstack.Scenario", repr(s))
    for field in ("world", "start", "end"):
        if getattr(a, field) != getattr(b, field):
            raise ValidationError(
                f"attribute: {field}", "two scenarios with the same world and horizon", field
            )
    check_count(samples, "attribute.samples")
    if permutations is not None:
        check_count(permutations, "attribute.permutations", 1)
    check_count(seed, "attribute.seed")
    game = _Game.of(a, b, metric, year)
    n = len(game.labels)
    rng = np.random.default_rng(seed)
    solve: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray | None]]
    if permutations is None and n <= MAX_EXACT:
        coalitions = ((np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)
        solve = _exact
    else:
        orders = np.array([rng.permutation(n) for _ in range(permutations or 2000)])
        coalitions = _prefixes(orders, n)
        solve = functools.partial(_sampled, orders=orders)
    values = game.values(coalitions)
    central, errors = solve(values, coalitions)
    ranges: dict[str, tuple[Any, Any]] = {}
    if samples:
        names, uniforms = _draw(a, samples, seed)
        per_draw = np.empty((samples, n))
        step = max(1, 20_000 // len(coalitions))
        for first in range(0, samples, step):
            block = uniforms[first : first + step]
            tiled = np.repeat(block, len(coalitions), axis=0)
            rows = np.tile(coalitions, (len(block), 1))
            draws = {name: tiled[:, i] for i, name in enumerate(names)}
            v = game.values(rows, draws).reshape(len(block), len(coalitions))
            for d in range(len(block)):
                per_draw[first + d] = solve(v[d], coalitions)[0]
        low, high = np.quantile(per_draw, [0.05, 0.95], axis=0)
        ranges = {
            label: (game.quantity(low[i]), game.quantity(high[i]))
            for i, label in enumerate(game.labels)
        }
    full = values[coalitions.all(axis=1)][0]  # every player on: the second scenario
    before, after = game.quantity(values[~coalitions.any(axis=1)][0]), game.quantity(full)
    return Attribution(
        metric=metric,
        year=year,
        before=before,
        after=after,
        difference=after - before,
        shares={label: game.quantity(central[i]) for i, label in enumerate(game.labels)},
        scenarios=(a.name, b.name),
        errors=(
            {}
            if errors is None
            else {label: game.quantity(errors[i]) for i, label in enumerate(game.labels)}
        ),
        ranges=ranges,
        samples=samples,
    )


@attrs.frozen
class _Game:
    """The cooperative game: which instruments and assumptions each player switches."""

    joint: Scenario
    labels: list[str]
    roles: dict[str, tuple[str, int]]
    assumed: dict[str, tuple[Any, Any, str]]
    metric: str
    year: int
    unit: str

    @classmethod
    def of(cls, a: Scenario, b: Scenario, metric: str, year: int) -> _Game:
        union, roles = _players(a, b)
        assumed_a = {o.parameter: o for o in a.assumptions}
        assumed_b = {o.parameter: o for o in b.assumptions}
        differing = sorted(
            p for p in {*assumed_a, *assumed_b} if assumed_a.get(p) != assumed_b.get(p)
        )
        kinds = {
            p: "+" if p not in assumed_a else "-" if p not in assumed_b else "~" for p in differing
        }
        assumed = {
            p: (assumed_a.get(p), assumed_b.get(p), f"{kinds[p]} assumption {p}")
            for p in differing
        }
        labels = sorted({label for label, _ in roles.values()} | {x[2] for x in assumed.values()})
        common = tuple(o for o in a.assumptions if o.parameter not in assumed)
        joint = attrs.evolve(
            a, name=f"{a.name} / {b.name}", instruments=tuple(union), assumptions=common
        )
        probe = _project(joint, build_inputs(joint))
        unit = probe.unit(probe._check(metric))
        probe._year_index(year)
        if unit == "label":
            raise ValidationError("attribute", "a numeric metric", f"{metric} (labels)")
        return cls(joint, labels, roles, assumed, metric, year, unit)

    def values(
        self, coalitions: np.ndarray, draws: dict[str, np.ndarray] | None = None
    ) -> np.ndarray:
        """The metric for each row of ``coalitions`` (players on), in one batch."""
        index = {label: i for i, label in enumerate(self.labels)}
        active = {
            name: coalitions[:, index[label]] == bool(on)
            for name, (label, on) in self.roles.items()
        }
        switches = {
            p: Switch(off, on, coalitions[:, index[label]])
            for p, (off, on, label) in self.assumed.items()
        }
        inputs = build_inputs(self.joint, len(coalitions), draws, active=active, switches=switches)
        projection = _project(self.joint, inputs)
        t = projection._year_index(self.year)
        return np.asarray(projection.series[self.metric][:, t], dtype=np.float64)

    def quantity(self, x: float) -> Any:
        return Q_(float(x), _pint_unit(self.unit))


def _exact(values: np.ndarray, coalitions: np.ndarray) -> tuple[np.ndarray, None]:
    """Exact Shapley values from the values of all ``2ⁿ`` coalitions (row = bitmask)."""
    n = coalitions.shape[1]
    subsets = np.arange(len(values))
    sizes = coalitions.sum(axis=1)
    weight_of = np.array(
        [math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n) for k in range(n)]
    )
    shares = np.empty(n)
    for i in range(n):
        without = ~coalitions[:, i]
        gain = values[subsets[without] | (1 << i)] - values[subsets[without]]
        shares[i] = np.sum(weight_of[sizes[without]] * gain)
    return shares, None


def _prefixes(orders: np.ndarray, n: int) -> np.ndarray:
    """For each order, the coalitions of its first 0, 1, ..., n players: ``(m (n + 1), n)``."""
    m = len(orders)
    rows = np.zeros((m, n + 1, n), dtype=bool)
    for k in range(1, n + 1):
        rows[np.arange(m), k, orders[:, k - 1]] = True
        rows[:, k] |= rows[:, k - 1]
    return rows.reshape(m * (n + 1), n)


def _sampled(
    values: np.ndarray, coalitions: np.ndarray, *, orders: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Shapley values estimated from random orders, with their standard errors."""
    m, n = orders.shape
    v = values.reshape(m, n + 1)
    marginal = np.empty((m, n))
    marginal[np.arange(m)[:, None], orders] = np.diff(v, axis=1)
    return marginal.mean(axis=0), marginal.std(axis=0, ddof=1) / np.sqrt(m)
