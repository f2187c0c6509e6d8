"""`ExportRule`: a rule of the 3A090 family as code, and the classification it offers.

The rule's fields (paragraphs, Note 2, licence exception and review, sources) and its methods:
`ExportRule.classify` (an accelerator), `classify_values` (figures alone), `classify_hbm` (an
HBM stack) and `classify_arrays` (arrays of figures), which check their arguments and hand the
work to `fullstack._export_classification`. `fullstack.export_controls` re-exports it.

Example:
    >>> rule = export_rule("2023-10")
    >>> rule.classify_values(tpp=4000, die_area=1000).paragraphs
    ('3A090.b.1', '3A090.b.2')
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import attrs

from fullstack._export_classification import (
    ArrayClassification,
    Classification,
    accelerator_memory_bandwidth,
    accelerator_values,
    datacenter_flag,
    evaluate,
    evaluate_arrays,
    plain_figure,
    with_review,
)
from fullstack._export_terms import LicenseReview, Metric, Paragraph
from fullstack.accelerators import Accelerator
from fullstack.errors import UnknownNameError, ValidationError
from fullstack.provenance import Source

if TYPE_CHECKING:
    from numpy.typing import ArrayLike

__all__ = ["ExportRule"]


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
        values = accelerator_values(accelerator, at)
        result = evaluate(
            self,
            accelerator.name,
            values,
            list(self.ic_paragraphs),
            datacenter=accelerator.datacenter,
        )
        return with_review(self, result, accelerator_memory_bandwidth(accelerator, at))

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
            Metric.TPP: plain_figure(tpp, "TPP", "tpp"),
            Metric.IO_BANDWIDTH: plain_figure(io_bandwidth, "GB/s", "io_bandwidth"),
        }
        if die_area is not None and performance_density is not None:
            raise ValidationError(
                "classify_values", "die_area or performance_density, not both", "both"
            )
        area = plain_figure(die_area, "mm**2", "die_area", positive=True)
        density = plain_figure(performance_density, "TPP/mm**2", "performance_density")
        if density is None and area is not None and values[Metric.TPP] is not None:
            density = values[Metric.TPP] / area  # type: ignore[operator]
        values[Metric.PERFORMANCE_DENSITY] = density
        flag = datacenter_flag(datacenter)
        result = evaluate(self, name, values, list(self.ic_paragraphs), datacenter=flag)
        return with_review(
            self, result, plain_figure(memory_bandwidth, "GB/s", "memory_bandwidth")
        )

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
        bw = plain_figure(bandwidth, "GB/s", "bandwidth")
        ar = plain_figure(area, "mm**2", "area", positive=True)
        density = None if bw is None or ar is None else bw / ar
        values: dict[Metric, float | None] = {Metric.MEMORY_BANDWIDTH_DENSITY: density}
        paragraphs = [p for p in self.paragraphs if p.applies_to == "hbm"]
        if not paragraphs:
            reason = f"The {self.key} rule has no paragraph on high-bandwidth memory."
            return Classification(self.key, name, False, (), (), values=values, reasons=(reason,))
        return evaluate(self, name, values, paragraphs, datacenter=True)

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
        return evaluate_arrays(
            self,
            tpp=tpp,
            performance_density=performance_density,
            io_bandwidth=io_bandwidth,
            datacenter=datacenter,
        )

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
