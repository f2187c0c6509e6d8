"""US export controls on advanced computing chips (ECCN 3A090), as executable rules.

Four rules are built in, keyed by the month they were issued; their paragraphs, thresholds,
wording and sources are data, in ``datasets/export_rules.toml`` (read by `export_rules` through
the converter that reads scenario files; `read_rules` checks a file of that format):

- ``"2022-10"``: the 7 October 2022 rule (87 FR 62186). 3A090.a: aggregate bidirectional I/O of
  600 GB/s or more **and** bit length × TOPS of 4800 or more.
- ``"2023-10"``: the 17 October 2023 update (88 FR 73458). TPP and performance density (PD):
  3A090.a.1 TPP ≥ 4800; a.2 TPP ≥ 1600 and PD ≥ 5.92; b.1 2400 ≤ TPP < 4800 and 1.6 ≤ PD < 5.92;
  b.2 TPP ≥ 1600 and 3.2 ≤ PD < 5.92. Note 2: parts not designed or marketed for data centers
  with TPP below 4800 are outside 3A090. License exception NAC (later split into NAC and ACA).
- ``"2024-12"``: the 2 December 2024 rule (89 FR 96790), which keeps the 2023 paragraphs and adds
  3A090.c: HBM with memory bandwidth density greater than 2 GB/s/mm².
- ``"2026-01"``: the 15 January 2026 rule (91 FR 1684), "Revision to License Review Policy for
  Advanced Computing Commodities". It leaves the 3A090 thresholds as they were in December 2024
  and changes how licence applications are reviewed: exports from the United States to China and
  Macau of controlled chips with TPP below 21,000 and total DRAM bandwidth below 6,500 GB/s (the
  H200, the MI325X and lesser chips) move from a presumption of denial to case-by-case review,
  under certifications the code does not check. Its `Classification.license_review` says which.

``rule.classify(accelerator)`` returns a `Classification`: controlled or not (or undetermined,
naming the missing figure), the paragraphs met, every comparison with its margin, and license
exception eligibility. `ExportRule.classify_arrays` does the same for arrays of TPP and density
values at once.

The code decides what the rule's technical parameters decide. It reports a rule's licence review
policy where the rule ties it to technical parameters (the January 2026 rule), but it cannot
decide licence applications, end-use and end-user rules, the foreign direct product rules, or
the outcome of case-by-case reviews.

Example:
    >>> from fullstack import accelerators, export_rule
    >>> result = export_rule("2023-10").classify(accelerators()["H20"])
    >>> result.controlled, result.paragraphs
    (False, ())
    >>> export_rule("2023-10").classify(accelerators()["H100 SXM"]).paragraphs
    ('3A090.a.1', '3A090.a.2')
"""

from __future__ import annotations

import enum
import functools
import operator
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from fullstack._codec import _At, _Codec, _collect, _Invalid, _suggestion, read_text
from fullstack.accelerators import Accelerator
from fullstack.errors import UnknownNameError, ValidationError
from fullstack.provenance import Source
from fullstack.units import Q_, Quantity, check_quantity

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = [
    "ArrayClassification",
    "Classification",
    "Comparison",
    "Condition",
    "ExportRule",
    "LicenseReview",
    "Metric",
    "Paragraph",
    "export_rule",
    "export_rules",
    "read_rules",
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


@attrs.frozen(kw_only=True)
class ExportRule:
    """A rule of the 3A090 family as code: its paragraphs, exemption and license exceptions.

    Attributes:
        key: The month the rule was issued, ``"YYYY-MM"``.
        title: The Federal Register title.
        citation: The Federal Register citation, e.g. ``"88 FR 73458"``.
        issued: The date BIS issued it.
        effective: The date it took effect.
        paragraphs: The control paragraphs.
        datacenter_note: Whether Note 2 applies: items not designed or marketed for data
            centers with TPP below `datacenter_note_tpp` are outside 3A090.
        datacenter_note_tpp: Note 2's TPP line.
        license_exception: The name of the license exception for eligible items (None before
            the 2023 rule).
        license_review: A licence review policy the rule ties to technical parameters (the
            January 2026 rule), reported by `classify` for controlled items.
        source: The Federal Register document.
        secondary: Secondary sources the wording was checked against.
        note: Caveats.

    Example:
        >>> export_rule("2023-10").citation
        '88 FR 73458'
    """

    key: str
    title: str
    citation: str
    issued: str
    effective: str
    paragraphs: tuple[Paragraph, ...]
    datacenter_note: bool = False
    datacenter_note_tpp: float = 4800.0
    license_exception: str | None = None
    license_review: LicenseReview | None = None
    source: Source
    secondary: tuple[Source, ...] = ()
    note: str = ""

    def paragraph(self, id: str) -> Paragraph:
        """The paragraph with this id.

        Raises:
            UnknownNameError: With the rule's paragraph ids.

        Example:
            >>> export_rule("2024-12").paragraph("3A090.c").applies_to
            'hbm'
        """
        for p in self.paragraphs:
            if p.id == id:
                return p
        ids = [p.id for p in self.paragraphs]
        raise UnknownNameError(f"paragraph of the {self.key} rule", id, ids, known=len(ids))

    @property
    def ic_paragraphs(self) -> tuple[Paragraph, ...]:
        """The paragraphs that apply to integrated circuits (accelerators).

        Example:
            >>> [p.id for p in export_rule("2022-10").ic_paragraphs]
            ['3A090.a']
        """
        return tuple(p for p in self.paragraphs if p.applies_to == "ic")

    @property
    def metrics(self) -> tuple[Metric, ...]:
        """Every metric the rule's IC paragraphs compare.

        Example:
            >>> export_rule("2023-10").metrics
            (<Metric.TPP: 'tpp'>, <Metric.PERFORMANCE_DENSITY: 'performance_density'>)
        """
        return tuple(dict.fromkeys(m for p in self.ic_paragraphs for m in p.metrics))

    # --- scalar classification -------------------------------------------------------------

    def classify(
        self, accelerator: Accelerator, *, at: Literal["value", "low", "high"] = "value"
    ) -> Classification:
        """Classify one accelerator under this rule.

        Args:
            accelerator: The spec (a catalog entry or your own).
            at: Use the central figures (``"value"``), or the low or high ends of their
                estimates, to see whether the result holds across what sources report.

        Returns:
            The classification, undetermined (``controlled is None``) when the spec lacks a
            figure the rule needs.

        Example:
            >>> chip = Accelerator(name="Hypothetical", throughput={"FP16": "250 TFLOP/s"},
            ...                    die_area="1000 mm^2", datacenter=True)
            >>> c = export_rule("2023-10").classify(chip)
            >>> c.controlled, c.paragraphs, c.tpp, c.performance_density
            (True, ('3A090.b.1', '3A090.b.2'), 4000.0, 4.0)
        """
        if not isinstance(accelerator, Accelerator):
            raise ValidationError("ExportRule.classify", "an Accelerator", repr(accelerator))
        if at not in ("value", "low", "high"):
            raise ValidationError("ExportRule.classify.at", "'value', 'low' or 'high'", at)
        values = _accelerator_values(accelerator, at)
        result = self._decide(accelerator.name, values, accelerator.datacenter)
        return self._review(result, _memory_bandwidth(accelerator, at))

    def classify_values(
        self,
        *,
        tpp: Any = None,
        die_area: Any = None,
        performance_density: Any = None,
        io_bandwidth: Any = None,
        memory_bandwidth: Any = None,
        datacenter: bool | None = True,
        name: str = "hypothetical chip",
    ) -> Classification:
        """Classify a chip given only the figures the rule compares.

        Plain numbers are read in the rule's own units (TPP, mm², TPP/mm², GB/s); strings and
        quantities with units are converted. Give ``die_area`` or ``performance_density``.
        ``memory_bandwidth`` (total DRAM bandwidth) matters only to a rule's licence review
        policy (the January 2026 rule).

        Example:
            >>> export_rule("2023-10").classify_values(tpp=4000, die_area=1000).paragraphs
            ('3A090.b.1', '3A090.b.2')
            >>> rule = export_rule("2023-10")
            >>> rule.classify_values(tpp="4000 TPP", die_area="6 cm^2").paragraphs
            ('3A090.a.2',)
        """
        values: dict[Metric, float | None] = {
            Metric.TPP: _plain(tpp, "TPP", "tpp"),
            Metric.IO_BANDWIDTH: _plain(io_bandwidth, "GB/s", "io_bandwidth"),
        }
        if die_area is not None and performance_density is not None:
            raise ValidationError(
                "classify_values", "die_area or performance_density, not both", "both"
            )
        area = _plain(die_area, "mm**2", "die_area", positive=True)
        density = _plain(performance_density, "TPP/mm**2", "performance_density")
        if density is None and area is not None and values[Metric.TPP] is not None:
            density = values[Metric.TPP] / area  # type: ignore[operator]
        values[Metric.PERFORMANCE_DENSITY] = density
        result = self._decide(name, values, _datacenter_flag(datacenter))
        return self._review(result, _plain(memory_bandwidth, "GB/s", "memory_bandwidth"))

    def classify_hbm(
        self, *, bandwidth: Any, area: Any, name: str = "HBM stack"
    ) -> Classification:
        """Classify an HBM stack (or package) by memory bandwidth density (3A090.c, 2024 rule).

        Args:
            bandwidth: The stack's bandwidth (``"819 GB/s"``; plain numbers in GB/s).
            area: The stack's footprint (``"110 mm^2"``; plain numbers in mm²).
            name: A label for the result.

        Example:
            >>> export_rule("2024-12").classify_hbm(bandwidth=819, area=110).paragraphs
            ('3A090.c',)
            >>> export_rule("2023-10").classify_hbm(bandwidth=819, area=110).controlled
            False
        """
        bw = _plain(bandwidth, "GB/s", "bandwidth")
        ar = _plain(area, "mm**2", "area", positive=True)
        density = None if bw is None or ar is None else bw / ar
        values: dict[Metric, float | None] = {Metric.MEMORY_BANDWIDTH_DENSITY: density}
        paragraphs = [p for p in self.paragraphs if p.applies_to == "hbm"]
        if not paragraphs:
            reason = f"The {self.key} rule has no paragraph on high-bandwidth memory."
            return Classification(self.key, name, False, (), (), values=values, reasons=(reason,))
        return self._evaluate(name, values, paragraphs, datacenter=True)

    def _review(self, result: Classification, memory_bandwidth: float | None) -> Classification:
        """Add the licence review policy (if the rule has one) to a controlled item's result."""
        review = self.license_review
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

    def _decide(
        self, name: str, values: dict[Metric, float | None], datacenter: bool | None
    ) -> Classification:
        return self._evaluate(name, values, list(self.ic_paragraphs), datacenter=datacenter)

    def _evaluate(
        self,
        name: str,
        values: dict[Metric, float | None],
        paragraphs: list[Paragraph],
        *,
        datacenter: bool | None,
    ) -> Classification:
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
        if self.datacenter_note and is_ic and controlled is not False:
            below = None if tpp is None else round(tpp, _DECIMALS) < self.datacenter_note_tpp
            if datacenter is False and below:
                exemption = (
                    f"Note 2: not designed or marketed for data centers and TPP below "
                    f"{_num(self.datacenter_note_tpp)}, so outside 3A090"
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

        exceptions = self._exceptions(hit, controlled, datacenter, tpp)
        if exceptions:
            reasons.append(f"Eligible for license exception {', '.join(exceptions)}.")
        return Classification(
            rule=self.key,
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

    def _exceptions(
        self,
        hit: tuple[str, ...],
        controlled: bool | None,
        datacenter: bool | None,
        tpp: float | None,
    ) -> tuple[str, ...]:
        if not controlled or self.license_exception is None:
            return ()
        in_a = any(p.startswith("3A090.a") for p in hit)
        in_b = any(p.startswith("3A090.b") for p in hit)
        # ECCN 3A090's license exception line: yes for .a if not designed or marketed for data
        # centers (and TPP >= 4800); yes for .b if designed or marketed for data centers.
        if in_a and datacenter is False:
            return (self.license_exception,)
        if in_b and not in_a and datacenter is True:
            return (self.license_exception,)
        return ()

    # --- vectorized classification --------------------------------------------------------

    def classify_arrays(
        self,
        *,
        tpp: ArrayLike,
        performance_density: ArrayLike | None = None,
        io_bandwidth: ArrayLike | None = None,
        datacenter: bool | ArrayLike = True,
    ) -> ArrayClassification:
        """Classify many chips at once from arrays of figures in the rule's units.

        Inputs broadcast against each other; NaN marks a missing figure (the element is then
        undetermined where the rule needs it). Agrees element by element with `classify`.

        Example:
            >>> import numpy as np
            >>> tpp, pd = np.meshgrid(np.linspace(0, 8000, 3), np.linspace(0, 8, 3))
            >>> export_rule("2023-10").classify_arrays(tpp=tpp, performance_density=pd).controlled
            array([[False, False,  True],
                   [False,  True,  True],
                   [False,  True,  True]])
        """
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
        for p in self.ic_paragraphs:
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
        if self.datacenter_note:
            below = np.round(np.where(np.isnan(t), np.inf, t), _DECIMALS) < (
                self.datacenter_note_tpp
            )
            exempt = ~dc & below
            controlled &= ~exempt
            determined |= exempt
        controlled &= determined
        return ArrayClassification(controlled, determined, met)

    def __str__(self) -> str:
        return f"{self.key} rule ({self.citation})"

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{html.escape(p.id)}</td>"
            f"<td>{html.escape(' and '.join(str(c) for c in p.conditions))}</td></tr>"
            for p in self.paragraphs
        )
        head = f"<p><b>{html.escape(self.title)}</b> ({html.escape(self.citation)})</p>"
        return f"{head}<table><tr><th>paragraph</th><th>test</th></tr>{rows}</table>"


_MISSING_TEXT: Final = {
    Metric.TPP: "TPP (no dense throughput figure)",
    Metric.PERFORMANCE_DENSITY: "performance density (no applicable die area)",
    Metric.IO_BANDWIDTH: "chip-to-chip I/O bandwidth",
    Metric.MEMORY_BANDWIDTH_DENSITY: "memory bandwidth density",
    Metric.MEMORY_BANDWIDTH: "total DRAM bandwidth (memory bandwidth)",
}


def _datacenter_array(value: Any) -> NDArray[np.bool_]:
    array = np.asarray(value)
    if array.dtype != np.bool_:
        raise ValidationError(
            "classify_arrays.datacenter", "booleans (True: designed for data centers)", repr(value)
        )
    return array


def _datacenter_flag(value: Any) -> bool | None:
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


def _plain(value: Any, unit: str, where: str, *, positive: bool = False) -> float | None:
    """A figure in the rule's unit as a float; numbers as they are, quantities converted."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = Q_(float(value), unit)
    q = check_quantity(value, unit, where=where, positive=positive)
    return float(q.magnitude)


def _memory_bandwidth(acc: Accelerator, at: str) -> float | None:
    """The spec's memory bandwidth in GB/s at the central value or one end of its range."""
    est = acc.memory_bandwidth
    if est is None:
        return None
    bound = {"value": est.value, "low": est.low, "high": est.high}[at]
    return float((bound if bound is not None else est.value).m_as("GB/s"))


def _accelerator_values(acc: Accelerator, at: str) -> dict[Metric, float | None]:
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


# --- the built-in rules --------------------------------------------------------------------


RULES_FILE: Final = "export_rules.toml"
"""The file of ``fullstack.datasets`` that holds the built-in rules (paragraphs, thresholds,
sources), read by `export_rules`."""


@attrs.frozen(kw_only=True)
class _RulesFile:
    """The schema of ``export_rules.toml``: sources by key, then the rules, oldest first."""

    sources: Mapping[str, Source] = attrs.field(factory=dict)
    rules: tuple[ExportRule, ...] = ()


def read_rules(text: str, path: str = "<string>") -> dict[str, ExportRule]:
    """Check a rules file (the format of ``datasets/export_rules.toml``); the rules by key.

    Read through the converter that reads scenario files, so every problem is reported at
    once with its place. Sources are written once under ``[sources]`` and named by key in a
    rule's ``source`` and ``secondary``.

    Raises:
        FileFormatError: With every problem in the file and where it is.

    Example:
        >>> read_rules('''
        ... schema_version = 1
        ... [sources.federal_register]
        ... title = "A rule"
        ... publisher = "BIS"
        ... [[rules]]
        ... key = "2030-01"
        ... title = "A rule"
        ... citation = "95 FR 1"
        ... issued = "2030-01-02"
        ... effective = "2030-01-02"
        ... source = "federal_register"
        ... secondary = ["federal_registr"]
        ... [[rules.paragraphs]]
        ... id = "3A090.a"
        ... conditions = [{ metric = "tpp", op = "=>", threshold = 4800 }]
        ... ''')
        Traceback (most recent call last):
        ...
        fullstack.FileFormatError: <string>: 2 problems
          rules[0].secondary[0]: unknown source "federal_registr"; did you mean "federal_register"?
          rules[0].paragraphs[0].conditions[0].op: expected one of ">=", ">", "<", "<=", got "=>"
    """
    parsed: _RulesFile = read_text(text, "toml", path, _structure_rules)
    return {rule.key: rule for rule in parsed.rules}


def _structure_rules(data: dict[str, Any]) -> _RulesFile:
    """The rules file's table as objects; raises `_Invalid` with every problem."""
    problems: list[tuple[_At, str]] = []
    body = {k: v for k, v in data.items() if k != "schema_version"}
    sources = body.get("sources")
    rules = body.get("rules")
    if isinstance(sources, dict) and isinstance(rules, list):

        def table(key: Any, at: _At) -> Any:
            if isinstance(key, str) and key in sources:
                return sources[key]
            if isinstance(key, str):
                problems.append((at, f'unknown source "{key}"{_suggestion(key, sources)}'))
            return key

        for i, rule in enumerate(rules):
            if not isinstance(rule, dict):
                continue
            if "source" in rule:
                rule["source"] = table(rule["source"], ("rules", i, "source"))
            if isinstance(rule.get("secondary"), list):
                rule["secondary"] = [
                    table(k, ("rules", i, "secondary", j)) for j, k in enumerate(rule["secondary"])
                ]
    try:
        parsed: _RulesFile = _Codec().structure(body, _RulesFile)
    except Exception as exc:
        taken = {at for at, _ in problems}
        problems += [(at, m) for at, m in _collect(exc) if at not in taken]
    if not problems:
        keys = [rule.key for rule in parsed.rules]
        problems += [
            (("rules", i, "key"), f'"{k}" is the key of an earlier rule')
            for i, k in enumerate(keys)
            if k in keys[:i]
        ]
    if problems:
        raise _Invalid(problems)
    return parsed


@functools.cache
def export_rules() -> dict[str, ExportRule]:
    """The built-in rules by key, oldest first (read from ``datasets/export_rules.toml``).

    Example:
        >>> list(export_rules())
        ['2022-10', '2023-10', '2024-12', '2026-01']
    """
    from importlib import resources

    text = resources.files("fullstack.datasets").joinpath(RULES_FILE).read_text("utf-8")
    return read_rules(text, f"fullstack/datasets/{RULES_FILE}")


def export_rule(key: str | None = None) -> ExportRule:
    """A built-in rule by the month it was issued (``"2023-10"``); the newest when None.

    Accepts ``"2023-10"``, ``"2023-10-17"``, ``"2023"`` and ``"oct 2023"``.

    Raises:
        UnknownNameError: With the known keys.

    Example:
        >>> export_rule().key
        '2026-01'
        >>> export_rule("Oct 2022").citation
        '87 FR 62186'
    """
    rules = export_rules()
    if key is None:
        return list(rules.values())[-1]
    text = str(key).strip().casefold()
    months = {m: i + 1 for i, m in enumerate(_MONTHS)}
    match = re.fullmatch(r"([a-z]{3})[a-z]*\.?\s+(\d{4})", text)
    if match and match.group(1) in months:
        text = f"{match.group(2)}-{months[match.group(1)]:02d}"
    for k in rules:
        if text == k or re.fullmatch(re.escape(k) + r"-(0[1-9]|[12]\d|3[01])", text):
            return rules[k]
    by_year = [k for k in rules if k[:4] == text]
    if len(by_year) == 1:
        return rules[by_year[0]]
    raise UnknownNameError("export rule", str(key), list(rules), known=len(rules))


_MONTHS: Final = (
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
)
