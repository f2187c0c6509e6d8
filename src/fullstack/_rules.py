"""The built-in US export rules (ECCN 3A090) as data: paragraphs, thresholds and sources.

Private: use `fullstack.export_rule` and `fullstack.export_rules`. Thresholds and wording are
those quoted by the sources each rule cites; see the notes on each rule.
"""

from __future__ import annotations

from typing import Final

from fullstack.export_controls import Condition, ExportRule, Metric, Paragraph
from fullstack.provenance import Source

__all__ = ["rule_2022", "rule_2023", "rule_2024"]

_BIS: Final = "US Department of Commerce, Bureau of Industry and Security"
_QUOTED: Final = (
    "Paragraph wording and thresholds as quoted by secondary sources that give the Federal "
    "Register citation (CSET explainer; Federal Register summaries); the Federal Register text "
    "itself was not at hand when the rule was encoded. URL: the Federal Register's link for the "
    "FR document number."
)
_CSET: Final = Source(
    title="A Bigger Yard, A Higher Fence: Understanding BIS's Expanded Controls on Advanced "
    "Computing Exports",
    publisher="Center for Security and Emerging Technology (CSET)",
    authors=("Hanna Dohmen", "Jacob Feldgoise"),
    date="2023-12-04",
    url="https://cset.georgetown.edu/article/bis-2023-update-explainer/",
    note="Explainer of the 2023 rule; its footnotes 6 and 7 give the 3A090.a/.b thresholds, "
    "footnote 2 the maximum over bit lengths, footnote 3 the applicable die area clarification.",
    confidence="high",
)

_TPP_4800 = Condition(Metric.TPP, ">=", 4800.0)


def rule_2022() -> ExportRule:
    return ExportRule(
        key="2022-10",
        title="Implementation of Additional Export Controls: Certain Advanced Computing and "
        "Semiconductor Manufacturing Items; Supercomputer and Semiconductor End Use; Entity List "
        "Modification",
        citation="87 FR 62186",
        issued="2022-10-07",
        effective="2022-10-21",
        paragraphs=(
            Paragraph(
                "3A090.a",
                (Condition(Metric.IO_BANDWIDTH, ">=", 600.0), _TPP_4800),
                "Integrated circuits that have or are programmable to have an aggregate "
                "bidirectional transfer rate over all inputs and outputs of 600 Gbyte/s or more "
                "to or from integrated circuits other than volatile memories, and any of the "
                "following: a.1. One or more digital processor units executing machine "
                "instructions having a bit length per operation multiplied by processing "
                "performance measured in TOPS, aggregated over all processor units, of 4800 or "
                "more; ...",
            ),
        ),
        source=Source(
            title="Implementation of Additional Export Controls: Certain Advanced Computing and "
            "Semiconductor Manufacturing Items; Supercomputer and Semiconductor End Use; Entity "
            "List Modification",
            publisher=_BIS,
            date="2022-10-13",
            url="https://www.federalregister.gov/d/2022-21658",
            note="87 FR 62186, FR Doc 2022-21658; issued 7 Oct 2022, effective in stages from 7 "
            "to 21 Oct 2022. " + _QUOTED,
            confidence="medium",
        ),
        secondary=(_CSET,),
        note="bit length x TOPS is computed as TPP (dense, highest over precisions). The I/O "
        "test and the compute test are joined by AND: that is how the A800 and H800, with "
        "chip-to-chip I/O cut to 400 GB/s, stayed outside this rule. Sub-paragraphs a.2-a.4 "
        "(primitive computational units, analog units, combinations) are not modelled.",
    )


def _paragraphs_2023() -> tuple[Paragraph, ...]:
    pd = Metric.PERFORMANCE_DENSITY
    return (
        Paragraph("3A090.a.1", (_TPP_4800,), "TPP of 4800 or more"),
        Paragraph(
            "3A090.a.2",
            (Condition(Metric.TPP, ">=", 1600.0), Condition(pd, ">=", 5.92)),
            "TPP of 1600 or more and a performance density of 5.92 or more",
        ),
        Paragraph(
            "3A090.b.1",
            (
                Condition(Metric.TPP, ">=", 2400.0),
                Condition(Metric.TPP, "<", 4800.0),
                Condition(pd, ">=", 1.6),
                Condition(pd, "<", 5.92),
            ),
            "TPP of 2400 or more but less than 4800 and a performance density of 1.6 or more "
            "but less than 5.92",
        ),
        Paragraph(
            "3A090.b.2",
            (
                Condition(Metric.TPP, ">=", 1600.0),
                Condition(pd, ">=", 3.2),
                Condition(pd, "<", 5.92),
            ),
            "TPP of 1600 or more and a performance density of 3.2 or more but less than 5.92",
        ),
    )


_NOTE_2023: Final = (
    "Note 2 to 3A090: items not designed or marketed for use in data centers and with TPP below "
    "4800 are outside 3A090. License exception NAC: yes for 3A090.a if not designed or marketed "
    "for data centers; yes for 3A090.b if designed or marketed for data centers. Since the "
    "corrections rule of 4 April 2024 (89 FR 23876) the exception is split into NAC "
    "(notification; Macau and D:5) and ACA (no notification; D:1 and D:4), reported here as "
    "'NAC/ACA'. Performance density uses the applicable die area: logic dies on non-planar "
    "process nodes, caches included, HBM excluded."
)


def rule_2023() -> ExportRule:
    return ExportRule(
        key="2023-10",
        title="Implementation of Additional Export Controls: Certain Advanced Computing Items; "
        "Supercomputer and Semiconductor End Use; Updates and Corrections",
        citation="88 FR 73458",
        issued="2023-10-17",
        effective="2023-11-17",
        paragraphs=_paragraphs_2023(),
        datacenter_note=True,
        license_exception="NAC/ACA",
        source=Source(
            title="Implementation of Additional Export Controls: Certain Advanced Computing "
            "Items; Supercomputer and Semiconductor End Use; Updates and Corrections",
            publisher=_BIS,
            date="2023-10-25",
            url="https://www.federalregister.gov/d/2023-23055",
            note="88 FR 73458, FR Doc 2023-23055, RIN 0694-AI94; issued 17 Oct 2023, effective "
            "17 Nov 2023. " + _QUOTED,
            confidence="medium",
        ),
        secondary=(_CSET,),
        note=_NOTE_2023,
    )


def rule_2024() -> ExportRule:
    hbm = Paragraph(
        "3A090.c",
        (Condition(Metric.MEMORY_BANDWIDTH_DENSITY, ">", 2.0),),
        "High bandwidth memory (HBM) having a 'memory bandwidth density' greater than 2 "
        "gigabytes per second per square millimeter",
        applies_to="hbm",
    )
    return ExportRule(
        key="2024-12",
        title="Foreign-Produced Direct Product Rule Additions, and Refinements to Controls for "
        "Advanced Computing and Semiconductor Manufacturing Items",
        citation="89 FR 96790",
        issued="2024-12-02",
        effective="2024-12-02",
        paragraphs=(*_paragraphs_2023(), hbm),
        datacenter_note=True,
        license_exception="NAC/ACA",
        source=Source(
            title="Foreign-Produced Direct Product Rule Additions, and Refinements to Controls "
            "for Advanced Computing and Semiconductor Manufacturing Items",
            publisher=_BIS,
            date="2024-12-05",
            url="https://www.federalregister.gov/d/2024-28270",
            note="89 FR 96790, FR Doc 2024-28270, RIN 0694-AJ74; effective 2 Dec 2024, HBM "
            "compliance deferred to 31 Dec 2024. " + _QUOTED,
            confidence="medium",
        ),
        secondary=(_CSET,),
        note=_NOTE_2023
        + " 3A090.c: memory bandwidth density is the stack's (or package's) bandwidth divided "
        "by its area; it excludes HBM co-packaged with a logic IC whose primary function is "
        "logic, so packaged accelerators are classified under .a/.b only. BIS: 'All HBM stacks "
        "currently in production exceed this threshold.' License Exception HBM (740.25) for "
        "density below 3.3 GB/s/mm2 is not modelled.",
    )
