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

# The code lives in private modules, from the bottom up: the rule's terms, classification, the
# rule, the rules file; users import it from here (see docs/architecture.md). The imports keep
# the order of the API reference (mkdocstrings' members_order is "source").
# isort: off
from fullstack._export_rules_file import RULES_FILE as RULES_FILE
from fullstack._export_terms import Metric, Condition, Paragraph, LicenseReview, Comparison
from fullstack._export_terms import Op as Op
from fullstack._export_classification import Classification, ArrayClassification
from fullstack._export_rule import ExportRule
from fullstack._export_rules_file import read_rules, export_rules, export_rule

# isort: on

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
