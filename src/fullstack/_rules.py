"""The built-in US export rules (ECCN 3A090) as data: paragraphs, thresholds and sources.

Private: use `fullstack.export_rule` and `fullstack.export_rules`. Thresholds and wording are
those quoted by the sources each rule cites; see the notes on each rule.
"""

from __future__ import annotations

from typing import Final

from fullstack.export_controls import Condition, ExportRule, LicenseReview, Metric, Paragraph
from fullstack.provenance import Source

__all__ = ["rule_2022", "rule_2023", "rule_2024", "rule_2026"]

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


def _hbm_paragraph() -> Paragraph:
    return Paragraph(
        "3A090.c",
        (Condition(Metric.MEMORY_BANDWIDTH_DENSITY, ">", 2.0),),
        "High bandwidth memory (HBM) having a 'memory bandwidth density' greater than 2 "
        "gigabytes per second per square millimeter",
        applies_to="hbm",
    )


_H200_REVIEW: Final = LicenseReview(
    policy="case-by-case",
    conditions=(
        Condition(Metric.TPP, "<", 21000.0),
        Condition(Metric.MEMORY_BANDWIDTH, "<", 6500.0),
    ),
    destinations="China and Macau",
    otherwise="presumption of denial",
    wording="Exports to China or Macau of advanced computing commodities with a 'total "
    "processing performance' (TPP) less than 21,000 and a 'total DRAM bandwidth' less than 6,500 "
    "GB/s, such as the NVIDIA H200 or AMD MI325X, are reviewed case by case (previously a "
    "presumption of denial), subject to conditions (as quoted by law-firm summaries).",
    provisos="Only for exports from the United States (reexports and in-country transfers keep "
    "the presumption of denial), for items commercially available in the United States when the "
    "rule was published, and only if the exporter certifies sufficient US supply, no diversion "
    "of foundry capacity from US end users, aggregate shipments to China and Macau of at most "
    "50% of those to US end users, the recipient's security procedures (know-your-customer, "
    "remote access), and independent third-party testing in the United States. None of these is "
    "checked here.",
)


def rule_2026() -> ExportRule:
    return ExportRule(
        key="2026-01",
        title="Revision to License Review Policy for Advanced Computing Commodities",
        citation="91 FR 1684",
        issued="2026-01-13",
        effective="2026-01-15",
        paragraphs=(*_paragraphs_2023(), _hbm_paragraph()),
        datacenter_note=True,
        license_exception="NAC/ACA",
        license_review=_H200_REVIEW,
        source=Source(
            title="Revision to License Review Policy for Advanced Computing Commodities",
            publisher=_BIS,
            date="2026-01-15",
            url="https://www.federalregister.gov/d/2026-00789",
            note="91 FR 1684, FR Doc 2026-00789 (pages 1684-1689), RIN 0694-AK43, Docket No. "
            "260112-0028; final rule amending 15 CFR parts 742, 744 and 748, effective 15 "
            "January 2026. Its "
            "summary (read in the govinfo copy, https://www.govinfo.gov/content/pkg/FR-2026-01-"
            "15/html/2026-00789.htm) says BIS revises the licence review policy for exports of "
            "certain semiconductors to China and Macau from a presumption of denial to "
            "case-by-case review, covering 'the Nvidia H200 and its equivalents, as well as "
            "less advanced chips', provided they are commercially available in the United "
            "States and the exporter certifies supply, foundry capacity, the recipient's "
            "security procedures and independent third-party testing in the United States. "
            "The TPP (< 21,000) and total DRAM bandwidth (< 6,500 GB/s) lines are those quoted "
            "by the law-firm summaries in `secondary` (the regulatory text itself was not "
            "read). The issue date of 13 January is theirs.",
            confidence="medium",
        ),
        secondary=(
            Source(
                title="US Commerce Department Revises License Review Policy for Exports of "
                "Certain Advanced Computing Commodities to China and Macau",
                publisher="Covington & Burling",
                date="2026-01",
                url="https://www.cov.com/en/news-and-insights/insights/2026/01/us-commerce-"
                "department-revises-license-review-policy-for-exports-of-certain-advanced-"
                "computing-commodities-to-china-and-macau",
                note="Title from the URL. Law-firm summary of 91 FR 1684, with the TPP and "
                "DRAM bandwidth lines.",
                confidence="medium",
            ),
            Source(
                title="BIS Revises Export Review Policy for Advanced AI Chips Destined for "
                "China and Macau",
                publisher="Morgan Lewis",
                date="2026-01-16",
                url="https://www.morganlewis.com/pubs/2026/01/bis-revises-export-review-policy-"
                "for-advanced-ai-chips-destined-for-china-and-macau",
                note="Title from the URL. Law-firm summary: issued 13 January, effective 15 "
                "January 2026; exports from the United States only; shipments to China and "
                "Macau at most 50% of those to US end users; third-party testing in the US.",
                confidence="medium",
            ),
            Source(
                title="BIS revises license review policy for advanced computing commodities "
                "(AI semiconductors) to China and Macau when exported from the United States",
                publisher="Baker McKenzie (Sanctions & Export Controls Update)",
                date="2026-01",
                url="https://sanctionsnews.bakermckenzie.com/bis-revises-license-review-policy-"
                "for-advanced-computing-commodities-ai-semiconductors-to-china-and-macau-when-"
                "exported-from-the-united-states",
                note="Title from the URL. Effective 15 January 2026; 'AI commodities' eligible "
                "for case-by-case review include the Nvidia H200, AMD MI325X and their "
                "functional or lesser equivalents; reexports and in-country transfers keep the "
                "presumption of denial; a presidential proclamation of the same day puts a 25% "
                "duty on such chips passing through the United States.",
                confidence="medium",
            ),
        ),
        note=_NOTE_2023
        + " The January 2026 rule changes no control threshold: the 3A090 paragraphs are the "
        "December 2024 ones, so what is controlled is unchanged. It changes the licence review "
        "policy for exports to China and Macau of controlled chips below TPP 21,000 and total "
        "DRAM bandwidth 6,500 GB/s, from a presumption of denial to case-by-case review, under "
        "certifications (see `license_review`). fullstack reports that review policy for "
        "controlled chips, using the catalog's memory bandwidth as the total DRAM bandwidth; it "
        "does not model whether licences are granted (NVIDIA reported no China data-center "
        "Hopper revenue in the quarter to April 2026).",
    )
