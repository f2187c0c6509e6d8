"""The parts of an export rule: the metrics it compares, its conditions and paragraphs.

`Metric` (a figure a rule compares, with the unit the rule states it in), `Condition` (one
comparison with a threshold), `Paragraph` (conditions joined by AND), `LicenseReview` (a licence
review policy tied to technical parameters) and `Comparison` (one condition checked against a
value, with its margin), with the rounding and three-valued logic the classification uses.
`fullstack.export_controls` re-exports the public names.

Example:
    >>> str(Condition(Metric.TPP, ">=", 4800))
    'TPP >= 4,800'
"""

from __future__ import annotations

import enum
import operator
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
import numpy as np

from fullstack.errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from numpy.typing import NDArray

__all__ = [
    "Comparison",
    "Condition",
    "LicenseReview",
    "Metric",
    "Op",
    "Paragraph",
]

_DECIMALS: Final = 6
"""Values are compared after rounding to this many decimals in the rule's units, so that the
floating-point error of a unit conversion (4799.999999999999 for 300 TFLOP/s at 16 bits) does not
move a chip across a line."""


class Metric(enum.Enum):
    """A figure a rule compares with a threshold, with the unit the rule states it in.

    Example:
        >>> Metric.TPP.unit
        'TPP'
    """

    TPP = "tpp"
    PERFORMANCE_DENSITY = "performance_density"
    IO_BANDWIDTH = "io_bandwidth"
    MEMORY_BANDWIDTH_DENSITY = "memory_bandwidth_density"
    MEMORY_BANDWIDTH = "memory_bandwidth"

    @property
    def unit(self) -> str:
        """The unit the rule states the threshold in.

        Example:
            >>> Metric.PERFORMANCE_DENSITY.unit
            'TPP/mm**2'
        """
        return _METRIC_UNITS[self]

    @property
    def label(self) -> str:
        """A human name for messages.

        Example:
            >>> Metric.IO_BANDWIDTH.label
            'I/O bandwidth'
        """
        return _METRIC_LABELS[self]


_METRIC_UNITS: Final = {
    Metric.TPP: "TPP",
    Metric.PERFORMANCE_DENSITY: "TPP/mm**2",
    Metric.IO_BANDWIDTH: "GB/s",
    Metric.MEMORY_BANDWIDTH_DENSITY: "GB/s/mm**2",
    Metric.MEMORY_BANDWIDTH: "GB/s",
}
_METRIC_LABELS: Final = {
    Metric.TPP: "TPP",
    Metric.PERFORMANCE_DENSITY: "performance density",
    Metric.IO_BANDWIDTH: "I/O bandwidth",
    Metric.MEMORY_BANDWIDTH_DENSITY: "memory bandwidth density",
    Metric.MEMORY_BANDWIDTH: "total DRAM bandwidth",
}
_SHORT_UNITS: Final = {
    Metric.TPP: "",
    Metric.PERFORMANCE_DENSITY: " TPP/mm²",
    Metric.IO_BANDWIDTH: " GB/s",
    Metric.MEMORY_BANDWIDTH_DENSITY: " GB/s/mm²",
    Metric.MEMORY_BANDWIDTH: " GB/s",
}

Op = Literal[">=", ">", "<", "<="]
_OPS: Final[dict[str, Callable[[Any, Any], Any]]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<": operator.lt,
    "<=": operator.le,
}


def _check_op(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in _OPS:
        raise ValidationError("Condition.op", f"one of {sorted(_OPS)}", repr(value))


def _num(x: float) -> str:
    return f"{x:,.6g}"


@attrs.frozen
class Condition:
    """One comparison in a paragraph: ``metric op threshold`` in the rule's units.

    Example:
        >>> Condition(Metric.TPP, ">=", 4800).holds(4800.0)
        True
    """

    metric: Metric
    op: Op = attrs.field(validator=_check_op)
    threshold: float

    def holds(self, value: float) -> bool:
        """Whether ``value`` (in the metric's unit) satisfies the condition.

        Example:
            >>> Condition(Metric.MEMORY_BANDWIDTH_DENSITY, ">", 2.0).holds(2.0)
            False
        """
        # The same rounding as `holds_array`, so that scalar and vector results always agree.
        return bool(_OPS[self.op](float(np.round(value, _DECIMALS)), self.threshold))

    def holds_array(self, values: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Elementwise `holds` (NaN never holds).

        Example:
            >>> Condition(Metric.TPP, "<", 4800).holds_array(np.array([4000.0, 4800.0]))
            array([ True, False])
        """
        result: NDArray[np.bool_] = _OPS[self.op](np.round(values, _DECIMALS), self.threshold)
        return result

    def __str__(self) -> str:
        return f"{self.metric.label} {self.op} {_num(self.threshold)}{_SHORT_UNITS[self.metric]}"


@attrs.frozen
class Paragraph:
    """A paragraph of the rule: met when all its conditions hold.

    Attributes:
        id: The paragraph, e.g. ``"3A090.a.1"``.
        conditions: The conditions, joined by AND.
        wording: The rule's words, as quoted.
        applies_to: ``"ic"`` for integrated circuits (accelerators), ``"hbm"`` for HBM stacks.

    Example:
        >>> p = export_rule("2023-10").paragraph("3A090.a.2")
        >>> [str(c) for c in p.conditions]
        ['TPP >= 1,600', 'performance density >= 5.92 TPP/mm²']
    """

    id: str
    conditions: tuple[Condition, ...]
    wording: str = ""
    applies_to: Literal["ic", "hbm"] = "ic"

    @property
    def metrics(self) -> tuple[Metric, ...]:
        """The metrics this paragraph needs, in order, without repeats.

        Example:
            >>> export_rule("2022-10").paragraph("3A090.a").metrics
            (<Metric.IO_BANDWIDTH: 'io_bandwidth'>, <Metric.TPP: 'tpp'>)
        """
        return tuple(dict.fromkeys(c.metric for c in self.conditions))


@attrs.frozen
class LicenseReview:
    """A licence review policy a rule ties to technical parameters (not a control threshold).

    Items the rule controls and that meet every condition are reviewed under `policy`; other
    controlled items keep `otherwise`. Items the rule does not control need no licence, so no
    review applies to them.

    Attributes:
        policy: The review policy for items meeting the conditions, e.g. ``"case-by-case"``.
        conditions: The technical conditions, joined by AND.
        destinations: Where the policy applies, e.g. ``"China and Macau"``.
        otherwise: The policy for controlled items that miss a condition.
        wording: The rule's words, as quoted.
        provisos: What else the policy requires that the code cannot check.

    Example:
        >>> review = export_rule("2026-01").license_review
        >>> review.policy, [str(c) for c in review.conditions]
        ('case-by-case', ['TPP < 21,000', 'total DRAM bandwidth < 6,500 GB/s'])
    """

    policy: str
    conditions: tuple[Condition, ...]
    destinations: str
    otherwise: str
    wording: str = ""
    provisos: str = ""

    def decide(self, values: Mapping[Metric, float | None]) -> tuple[str | None, list[str]]:
        """The policy that applies given the compared values, with one reason per condition.

        Returns None for the policy when a figure is missing and the others do not decide.

        Example:
            >>> review = export_rule("2026-01").license_review
            >>> review.decide({Metric.TPP: 15832.0, Metric.MEMORY_BANDWIDTH: 4800.0})[0]
            'case-by-case'
        """
        results: list[bool | None] = []
        reasons: list[str] = []
        for cond in self.conditions:
            v = values.get(cond.metric)
            holds = None if v is None else cond.holds(v)
            results.append(holds)
            reasons.append(str(Comparison("licence review", cond, v, holds)))
        met = _tri_and(results)
        if met is None:
            return None, reasons
        return (self.policy if met else self.otherwise), reasons


@attrs.frozen
class Comparison:
    """One condition checked against a value, with the margin.

    Attributes:
        paragraph: The paragraph the condition belongs to.
        condition: The condition.
        value: The value compared (in the metric's unit), None when the figure is missing.
        holds: Whether the condition holds (None when the value is missing).
        margin: ``value - threshold`` in the metric's unit (positive: above the line).

    Example:
        >>> c = export_rule("2023-10").classify(accelerators()["H20"]).comparisons[0]
        >>> c.paragraph, str(c.condition), c.value, c.holds, c.margin
        ('3A090.a.1', 'TPP >= 4,800', 2368.0, False, -2432.0)
    """

    paragraph: str
    condition: Condition
    value: float | None
    holds: bool | None

    @property
    def margin(self) -> float | None:
        """``value - threshold`` (None when the value is missing).

        Example:
            >>> export_rule("2023-10").classify(accelerators()["H100 SXM"]).comparisons[0].margin
            11032.0
        """
        return None if self.value is None else self.value - self.condition.threshold

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.paragraph}: {self.condition}: {self.condition.metric.label} unknown"
        verdict = "yes" if self.holds else "no"
        unit = _SHORT_UNITS[self.condition.metric]
        return (
            f"{self.paragraph}: {self.condition}? {verdict} "
            f"({_num(self.value)}{unit}, margin {self.margin:+,.6g})"
        )


def _tri_and(values: list[bool | None]) -> bool | None:
    if any(v is False for v in values):
        return False
    if all(v is True for v in values):
        return True
    return None


def _tri_or(values: list[bool | None]) -> bool | None:
    if any(v is True for v in values):
        return True
    if all(v is False for v in values):
        return False
    return None
