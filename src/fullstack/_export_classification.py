"""Classification under an export rule: the results, and how they are reached.

`Classification` (one item under one rule: controlled or not or undetermined, the paragraphs
met, every comparison with its margin, the licence exceptions and review) and
`ArrayClassification` (the same for arrays of figures), with the scalar and vectorized
evaluation behind `ExportRule.classify`, `classify_values`, `classify_hbm` and
`classify_arrays`, and the reading of a spec's figures in the rule's units.
`fullstack.export_controls` re-exports the public names.

Example:
    >>> rule = export_rule("2023-10")
    >>> evaluate_arrays(rule, tpp=[1000, 5000], performance_density=[1, 1],
    ...                 io_bandwidth=None, datacenter=True).controlled
    array([False,  True])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
from numpy.typing import NDArray

from fullstack._export_terms import (
    _DECIMALS,
    Comparison,
    Metric,
    Paragraph,
    _num,
    _tri_and,
    _tri_or,
)
from fullstack.errors import ValidationError
from fullstack.units import Q_, Quantity, check_quantity

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

    from fullstack._export_rule import ExportRule
    from fullstack.accelerators import Accelerator

__all__ = [
    "ArrayClassification",
    "Classification",
    "accelerator_memory_bandwidth",
    "accelerator_values",
    "datacenter_flag",
    "evaluate",
    "evaluate_arrays",
    "plain_figure",
    "with_review",
]

_MISSING_TEXT: Final = {
    Metric.TPP: "TPP (no dense throughput figure)",
    Metric.PERFORMANCE_DENSITY: "performance density (no applicable die area)",
    Metric.IO_BANDWIDTH: "chip-to-chip I/O bandwidth",
    Metric.MEMORY_BANDWIDTH_DENSITY: "memory bandwidth density",
    Metric.MEMORY_BANDWIDTH: "total DRAM bandwidth (memory bandwidth)",
}


@attrs.frozen
class Classification:
    """The result of classifying one item under one rule.

    Attributes:
        rule: The rule's key, e.g. ``"2023-10"``.
        item: The accelerator's (or HBM stack's) name.
        controlled: True, False, or None when undetermined (see `missing`).
        paragraphs: The paragraphs met, e.g. ``("3A090.a.1",)``.
        comparisons: Every condition of every paragraph, with values and margins.
        values: The figures compared, by metric (None where missing).
        missing: The figures the rule needed and the spec lacks.
        exemption: Why the rule does not apply although a paragraph is met (Note 2), if so.
        license_exceptions: The license exceptions the item is eligible for, e.g. ``("NAC",)``.
        license_review: For a rule with a `LicenseReview` policy, the review an export licence
            application for a controlled item gets (e.g. ``"case-by-case"``); None when the
            rule has no such policy, the item is not controlled, or a figure is missing.
        reasons: The decision in words, one sentence each.

    Example:
        >>> c = export_rule("2023-10").classify(accelerators()["RTX 4090"])
        >>> c.controlled, c.paragraphs, c.license_exceptions
        (True, ('3A090.a.1', '3A090.a.2'), ('NAC/ACA',))
    """

    rule: str
    item: str
    controlled: bool | None
    paragraphs: tuple[str, ...]
    comparisons: tuple[Comparison, ...]
    values: Mapping[Metric, float | None] = attrs.field(hash=False)
    missing: tuple[str, ...] = ()
    exemption: str | None = None
    license_exceptions: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    license_review: str | None = None

    @property
    def undetermined(self) -> bool:
        """Whether the spec lacks a figure the rule needs to decide.

        Example:
            >>> chip = Accelerator(name="Mystery", throughput={"INT8": "700 TOPS"})
            >>> export_rule("2023-10").classify(chip).undetermined
            False
        """
        return self.controlled is None

    @property
    def tpp(self) -> float | None:
        """The TPP compared, if known.

        Example:
            >>> export_rule("2023-10").classify(accelerators()["H100 SXM"]).tpp
            15832.0
        """
        return self.values.get(Metric.TPP)

    @property
    def performance_density(self) -> float | None:
        """The performance density compared, if known.

        Example:
            >>> h20 = export_rule("2023-10").classify(accelerators()["H20"])
            >>> round(h20.performance_density, 3)
            2.909
        """
        return self.values.get(Metric.PERFORMANCE_DENSITY)

    def nearest_line(self) -> Comparison | None:
        """The line the item is closest to crossing, for "how far below?".

        For each paragraph, the failed comparison furthest (relatively) from its threshold is
        what keeps the item out of it; the result is that comparison for the paragraph where it
        is smallest. None when the item is controlled or nothing was compared.

        Example:
            >>> str(export_rule("2023-10").classify(accelerators()["H20"]).nearest_line())
            '3A090.b.1: TPP >= 2,400? no (2,368, margin -32)'
        """
        if self.controlled:
            return None

        def gap(c: Comparison) -> float:
            margin = c.margin or 0.0
            return abs(margin) / max(abs(c.condition.threshold), 1e-12)

        # For each paragraph, the failed comparison furthest from its line is what stands between
        # the item and that paragraph; the nearest line is that of the closest paragraph.
        binding: list[Comparison] = []
        for pid in dict.fromkeys(c.paragraph for c in self.comparisons):
            failed = [
                c
                for c in self.comparisons
                if c.paragraph == pid and c.holds is False and c.value is not None
            ]
            if failed:
                binding.append(max(failed, key=gap))
        return min(binding, key=gap) if binding else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (what ``fullstack classify --json`` prints).

        Example:
            >>> d = export_rule("2023-10").classify(accelerators()["H20"]).to_dict()
            >>> d["controlled"], d["paragraphs"], d["tpp"]
            (False, [], 2368.0)
        """
        return {
            "item": self.item,
            "rule": self.rule,
            "controlled": self.controlled,
            "paragraphs": list(self.paragraphs),
            "tpp": self.tpp,
            "performance_density": self.performance_density,
            "values": {m.value: v for m, v in self.values.items()},
            "missing": list(self.missing),
            "exemption": self.exemption,
            "license_exceptions": list(self.license_exceptions),
            "license_review": self.license_review,
            "comparisons": [
                {
                    "paragraph": c.paragraph,
                    "metric": c.condition.metric.value,
                    "op": c.condition.op,
                    "threshold": c.condition.threshold,
                    "value": c.value,
                    "holds": c.holds,
                    "margin": c.margin,
                }
                for c in self.comparisons
            ],
            "reasons": list(self.reasons),
        }

    def __str__(self) -> str:
        verdict = {True: "controlled", False: "not controlled", None: "undetermined"}
        head = f"{self.item} under the {self.rule} rule: {verdict[self.controlled]}"
        if self.paragraphs:
            head += f" ({', '.join(self.paragraphs)})"
        return "\n".join([head, *(f"  {r}" for r in self.reasons)])

    def _repr_html_(self) -> str:
        import html

        rows = "".join(f"<li>{html.escape(r)}</li>" for r in self.reasons)
        return f"<p><b>{html.escape(str(self).splitlines()[0])}</b></p><ul>{rows}</ul>"


@attrs.frozen
class ArrayClassification:
    """Vectorized results: one entry per input element.

    Attributes:
        controlled: Whether each element is controlled (False where undetermined).
        determined: False where an input the rule needed was NaN.
        paragraphs: For each paragraph id, whether each element meets it.

    Example:
        >>> rule = export_rule("2023-10")
        >>> r = rule.classify_arrays(tpp=[1000, 5000], performance_density=[1, 1])
        >>> r.controlled
        array([False,  True])
    """

    controlled: NDArray[np.bool_] = attrs.field(eq=False)
    determined: NDArray[np.bool_] = attrs.field(eq=False)
    paragraphs: Mapping[str, NDArray[np.bool_]] = attrs.field(eq=False, hash=False)


# --- scalar classification ------------------------------------------------------------------


def evaluate(
    rule: ExportRule,
    name: str,
    values: dict[Metric, float | None],
    paragraphs: list[Paragraph],
    *,
    datacenter: bool | None,
) -> Classification:
    """Classify the figures ``values`` of the item ``name`` under ``paragraphs`` of ``rule``."""
    comparisons: list[Comparison] = []
    met: dict[str, bool | None] = {}
    for p in paragraphs:
        results: list[bool | None] = []
        for cond in p.conditions:
            v = values.get(cond.metric)
            holds = None if v is None else cond.holds(v)
            comparisons.append(Comparison(p.id, cond, v, holds))
            results.append(holds)
        met[p.id] = _tri_and(results)
    hit = tuple(pid for pid, ok in met.items() if ok)
    controlled = _tri_or(list(met.values()))
    reasons: list[str] = []
    missing: list[str] = []
    for metric in dict.fromkeys(c.condition.metric for c in comparisons):
        if values.get(metric) is None:
            missing.append(_MISSING_TEXT[metric])
    for c in comparisons:
        reasons.append(str(c))

    exemption = None
    tpp = values.get(Metric.TPP)
    is_ic = any(p.applies_to == "ic" for p in paragraphs)
    if rule.datacenter_note and is_ic and controlled is not False:
        below = None if tpp is None else round(tpp, _DECIMALS) < rule.datacenter_note_tpp
        if datacenter is False and below:
            exemption = (
                f"Note 2: not designed or marketed for data centers and TPP below "
                f"{_num(rule.datacenter_note_tpp)}, so outside 3A090"
            )
            controlled = False
        elif datacenter is None and below is not False:
            missing.append("whether it is designed or marketed for data centers (Note 2)")
            controlled = None
        elif datacenter is None and tpp is None:
            controlled = None
    if exemption:
        reasons.append(exemption + ".")
    if controlled is None:
        reasons.append("Undetermined: missing " + "; ".join(missing) + ".")

    exceptions = _license_exceptions(rule, hit, controlled, datacenter, tpp)
    if exceptions:
        reasons.append(f"Eligible for license exception {', '.join(exceptions)}.")
    return Classification(
        rule=rule.key,
        item=name,
        controlled=controlled,
        paragraphs=hit if controlled else (),
        comparisons=tuple(comparisons),
        values=dict(values),
        missing=tuple(missing) if controlled is None else (),
        exemption=exemption,
        license_exceptions=exceptions,
        reasons=tuple(reasons),
    )


def _license_exceptions(
    rule: ExportRule,
    hit: tuple[str, ...],
    controlled: bool | None,
    datacenter: bool | None,
    tpp: float | None,
) -> tuple[str, ...]:
    if not controlled or rule.license_exception is None:
        return ()
    in_a = any(p.startswith("3A090.a") for p in hit)
    in_b = any(p.startswith("3A090.b") for p in hit)
    # ECCN 3A090's license exception line: yes for .a if not designed or marketed for data
    # centers (and TPP >= 4800); yes for .b if designed or marketed for data centers.
    if in_a and datacenter is False:
        return (rule.license_exception,)
    if in_b and not in_a and datacenter is True:
        return (rule.license_exception,)
    return ()


def with_review(
    rule: ExportRule, result: Classification, memory_bandwidth: float | None
) -> Classification:
    """Add the licence review policy (if the rule has one) to a controlled item's result."""
    review = rule.license_review
    if review is None or not result.controlled:
        return result
    values = {
        Metric.TPP: result.tpp,
        Metric.MEMORY_BANDWIDTH: memory_bandwidth,
    }
    policy, reasons = review.decide(values)
    if policy is None:
        missing = [
            _MISSING_TEXT[c.metric] for c in review.conditions if values.get(c.metric) is None
        ]
        verdict = "Licence review undetermined: missing " + "; ".join(missing) + "."
    else:
        verdict = f"Licence review for exports to {review.destinations}: {policy}."
        if policy == review.policy and review.provisos:
            verdict += f" {review.provisos}"
    return attrs.evolve(
        result, license_review=policy, reasons=(*result.reasons, *reasons, verdict)
    )


# --- vectorized classification --------------------------------------------------------------


def evaluate_arrays(
    rule: ExportRule,
    *,
    tpp: ArrayLike,
    performance_density: ArrayLike | None,
    io_bandwidth: ArrayLike | None,
    datacenter: bool | ArrayLike,
) -> ArrayClassification:
    """`ExportRule.classify_arrays`: NaN marks a missing figure; inputs broadcast."""
    nan = np.nan
    arrays = np.broadcast_arrays(
        np.asarray(tpp, dtype=float),
        np.asarray(nan if performance_density is None else performance_density, dtype=float),
        np.asarray(nan if io_bandwidth is None else io_bandwidth, dtype=float),
        _datacenter_array(datacenter),
    )
    t, d, io, dc = arrays
    inputs = {
        Metric.TPP: t,
        Metric.PERFORMANCE_DENSITY: d,
        Metric.IO_BANDWIDTH: io,
    }
    met: dict[str, NDArray[np.bool_]] = {}
    unknown: dict[str, NDArray[np.bool_]] = {}
    for p in rule.ic_paragraphs:
        all_true = np.ones(t.shape, dtype=bool)
        any_false = np.zeros(t.shape, dtype=bool)
        for cond in p.conditions:
            v = inputs[cond.metric]
            known = ~np.isnan(v)
            holds = cond.holds_array(np.where(known, v, 0.0)) & known
            all_true &= holds
            any_false |= known & ~holds
        met[p.id] = all_true
        unknown[p.id] = ~all_true & ~any_false
    any_met = np.zeros(t.shape, dtype=bool)
    any_unknown = np.zeros(t.shape, dtype=bool)
    for pid in met:
        any_met |= met[pid]
        any_unknown |= unknown[pid]
    controlled = any_met.copy()
    determined = any_met | ~any_unknown
    if rule.datacenter_note:
        below = np.round(np.where(np.isnan(t), np.inf, t), _DECIMALS) < rule.datacenter_note_tpp
        exempt = ~dc & below
        controlled &= ~exempt
        determined |= exempt
    controlled &= determined
    return ArrayClassification(controlled, determined, met)


# --- figures in the rule's units ------------------------------------------------------------


def _datacenter_array(value: Any) -> NDArray[np.bool_]:
    array = np.asarray(value)
    if array.dtype != np.bool_:
        raise ValidationError(
            "classify_arrays.datacenter", "booleans (True: designed for data centers)", repr(value)
        )
    return array


def datacenter_flag(value: Any) -> bool | None:
    """None, or a real boolean (numpy's included); anything else is refused."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    raise ValidationError(
        "datacenter",
        "True (designed or marketed for data centers), False, or None (unknown)",
        repr(value),
    )


def plain_figure(value: Any, unit: str, where: str, *, positive: bool = False) -> float | None:
    """A figure in the rule's unit as a float; numbers as they are, quantities converted."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = Q_(float(value), unit)
    q = check_quantity(value, unit, where=where, positive=positive)
    return float(q.magnitude)


def accelerator_memory_bandwidth(acc: Accelerator, at: str) -> float | None:
    """The spec's memory bandwidth in GB/s at the central value or one end of its range."""
    est = acc.memory_bandwidth
    if est is None:
        return None
    bound = {"value": est.value, "low": est.low, "high": est.high}[at]
    return float((bound if bound is not None else est.value).m_as("GB/s"))


def accelerator_values(acc: Accelerator, at: str) -> dict[Metric, float | None]:
    """The figures the IC paragraphs compare, at the central value or one end of the ranges."""
    tpp_q: Quantity | None
    if at == "value":
        tpp_q = acc.tpp
    else:
        bounds = acc.tpp_range
        tpp_q = None if bounds is None else bounds[0 if at == "low" else 1]
    tpp = None if tpp_q is None else float(tpp_q.m_as("TPP"))
    area_est = acc.die_area
    area = None
    if area_est is not None:
        # A larger die means a lower density: the low end of density uses the high area.
        bound = {"value": area_est.value, "low": area_est.high, "high": area_est.low}[at]
        area = float((bound if bound is not None else area_est.value).m_as("mm**2"))
    io = None if acc.io_bandwidth is None else acc.io_bandwidth
    io_v = None
    if io is not None:
        bound = {"value": io.value, "low": io.low, "high": io.high}[at]
        io_v = float((bound if bound is not None else io.value).m_as("GB/s"))
    return {
        Metric.TPP: tpp,
        Metric.PERFORMANCE_DENSITY: None if tpp is None or area is None else tpp / area,
        Metric.IO_BANDWIDTH: io_v,
    }
