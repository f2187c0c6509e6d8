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

import html
import math
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np

from fullstack.engine import _project
from fullstack.engine._inputs import Switch, build_inputs
from fullstack.errors import ValidationError
from fullstack.results import _pint_unit, _show
from fullstack.scenario import Scenario
from fullstack.units import Q_

if TYPE_CHECKING:
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
            lines.append(f"  {name:60} {_signed(q)}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(n)}</td><td>{html.escape(_signed(q))}</td></tr>"
            for n, q in sorted(self.shares.items(), key=lambda kv: -abs(kv[1].magnitude))
        )
        head = html.escape(str(self).splitlines()[0])
        return f"<p>{head}</p><table><tr><th>policy</th><th>share</th></tr>{rows}</table>"

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


def attribute(a: Scenario, b: Scenario, metric: str, year: int) -> Attribution:
    """Split the difference in ``metric`` and ``year`` between two scenarios among policies.

    The players are the instruments and the assumptions that differ: added in ``b``, removed
    from ``a``, or changed. Exact Shapley values over all subsets, run as one batch on the
    sample axis (at most `MAX_EXACT` players). Both scenarios must share their world and
    horizon.

    Raises:
        ValidationError: For scenarios with different worlds or horizons, or more than
            `MAX_EXACT` players.
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
    union, roles = _players(a, b)
    assumed_a = {o.parameter: o for o in a.assumptions}
    assumed_b = {o.parameter: o for o in b.assumptions}
    differing = sorted(p for p in {*assumed_a, *assumed_b} if assumed_a.get(p) != assumed_b.get(p))
    kinds = {
        p: "+" if p not in assumed_a else "-" if p not in assumed_b else "~" for p in differing
    }
    assumption_labels = {p: f"{kinds[p]} assumption {p}" for p in differing}
    labels = sorted({label for label, _ in roles.values()} | set(assumption_labels.values()))
    n = len(labels)
    if n > MAX_EXACT:
        raise ValidationError(
            "attribute", f"at most {MAX_EXACT} differing instruments", f"{n} ({labels[:3]}...)"
        )
    subsets = np.arange(2**n)
    bits = ((subsets[:, None] >> np.arange(n)[None, :]) & 1).astype(bool)  # (2ⁿ, n)
    active = {
        name: bits[:, labels.index(label)] == bool(on) for name, (label, on) in roles.items()
    }
    switches = {
        p: Switch(assumed_a.get(p), assumed_b.get(p), bits[:, labels.index(label)])
        for p, label in assumption_labels.items()
    }
    common = tuple(o for o in a.assumptions if o.parameter not in switches)
    joint = attrs.evolve(
        a, name=f"{a.name} / {b.name}", instruments=tuple(union), assumptions=common
    )
    inputs = build_inputs(joint, 2**n, active=active, switches=switches)
    projection = _project(joint, inputs)
    t = projection._year_index(year)
    unit = projection.unit(projection._check(metric))
    if unit == "label":
        raise ValidationError("attribute", "a numeric metric", f"{metric} (labels)")
    value = projection.series[metric][:, t]  # v(S) for every subset S
    shares: dict[str, Any] = {}
    sizes = bits.sum(axis=1)
    for i, label in enumerate(labels):
        without = ~bits[:, i]
        k = sizes[without]
        weights = np.array([math.factorial(s) * math.factorial(n - s - 1) for s in k]) / (
            math.factorial(n)
        )
        gain = value[subsets[without] | (1 << i)] - value[subsets[without]]
        shares[label] = Q_(float(np.sum(weights * gain)), _pint_unit(unit))
    before = Q_(float(value[0]), _pint_unit(unit))
    after = Q_(float(value[-1]), _pint_unit(unit))
    return Attribution(
        metric=metric,
        year=year,
        before=before,
        after=after,
        difference=after - before,
        shares=shares,
        scenarios=(a.name, b.name),
    )
