"""The export rules are data (datasets/export_rules.toml), read through the scenario converter."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from fullstack.errors import FileFormatError
from fullstack.export_controls import RULES_FILE, Metric, export_rule, export_rules, read_rules


def _text() -> str:
    return resources.files("fullstack.datasets").joinpath(RULES_FILE).read_text("utf-8")


def test_the_shipped_file_holds_the_built_in_rules_oldest_first() -> None:
    assert list(read_rules(_text())) == ["2022-10", "2023-10", "2024-12", "2026-01"]
    assert read_rules(_text()) == export_rules()


def test_thresholds_come_from_the_file() -> None:
    """The 2023 rule's a.2 line read from the data file (a changed file changes the rule)."""
    text = _text().replace("threshold = 5.92 }", "threshold = 6.0 }")
    rules = read_rules(text)
    a2 = rules["2023-10"].paragraph("3A090.a.2")
    assert [(c.metric, c.op, c.threshold) for c in a2.conditions] == [
        (Metric.TPP, ">=", 1600.0),
        (Metric.PERFORMANCE_DENSITY, ">=", 6.0),
    ]
    assert export_rule("2023-10").paragraph("3A090.a.2").conditions[1].threshold == 5.92


def test_every_source_is_written_once_and_used() -> None:
    data = tomllib.loads(_text())
    used = set()
    for rule in data["rules"]:
        used |= {rule["source"], *rule.get("secondary", [])}
    assert used == set(data["sources"])


def test_every_problem_in_a_rules_file_is_reported_with_its_place() -> None:
    text = (
        _text()
        .replace('source = "fr_2022_21658"', 'source = "fr_2022"', 1)
        .replace('metric = "io_bandwidth"', 'metric = "io_bandwith"', 1)
        .replace('key = "2024-12"', 'key = "2023-10"', 1)
    )
    with pytest.raises(FileFormatError) as info:
        read_rules(text, "rules.toml")
    found = {p.location: p.message for p in info.value.problems}
    assert 'unknown source "fr_2022"' in found["rules[0].source"]
    assert "io_bandwith" in found["rules[0].paragraphs[0].conditions[0].metric"]
    assert len(found) == 2  # the duplicate key is checked once the rest reads


def test_a_rule_key_used_twice_is_refused() -> None:
    text = _text().replace('key = "2024-12"', 'key = "2023-10"', 1)
    with pytest.raises(FileFormatError, match=r"rules\[2\]\.key.*earlier rule"):
        read_rules(text)
