"""Edge behaviour of the export rules found in review: nearest line, ambiguous input, CLI."""

from __future__ import annotations

import json

import pytest

import fullstack
from fullstack.cli import main

RULE = fullstack.export_rule("2023-10")


def test_nearest_line_is_the_binding_condition_of_the_closest_paragraph() -> None:
    # TPP 2300, PD 1.0: b.1 needs TPP +4% but also PD +60% (1.6); a.1 needs TPP +109%.
    # b.1's binding gap (PD 1.6, 37.5% of the threshold) is the smallest, so that is the line.
    result = RULE.classify_values(tpp=2300, performance_density=1.0)
    line = result.nearest_line()
    assert line is not None
    assert line.paragraph == "3A090.b.1"
    assert str(line.condition) == "performance density >= 1.6 TPP/mm²"


def test_nearest_line_of_the_h20_is_the_2400_tpp_line() -> None:
    line = RULE.classify(fullstack.accelerator("H20")).nearest_line()
    assert line is not None
    assert (line.paragraph, line.margin) == ("3A090.b.1", -32.0)


def test_controlled_items_have_no_nearest_line() -> None:
    assert RULE.classify(fullstack.accelerator("H100 SXM")).nearest_line() is None


def test_die_area_and_density_together_are_refused() -> None:
    with pytest.raises(fullstack.ValidationError, match="not both"):
        RULE.classify_values(tpp=4000, die_area=1000, performance_density=10)


@pytest.mark.parametrize("bad", ["no", 0, 1, "False"])
def test_datacenter_must_be_a_boolean(bad: object) -> None:
    with pytest.raises(fullstack.ValidationError, match="datacenter"):
        RULE.classify_values(tpp=3000, performance_density=4, datacenter=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["2023-10-99", "2023-10-", "2023-1", "2023-10-1x"])
def test_malformed_rule_keys_are_refused(text: str) -> None:
    with pytest.raises(fullstack.UnknownNameError):
        fullstack.export_rule(text)


def test_cli_datacenter_flag_overrides_a_catalog_chip(capsys: pytest.CaptureFixture[str]) -> None:
    # The L40 is a data-center part in .b (NAC-eligible); marketed otherwise with TPP < 4800 it
    # falls under Note 2.
    assert main(["classify", "L40", "--rule", "2023-10", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["controlled"] is True
    assert main(["classify", "L40", "--rule", "2023-10", "--no-datacenter", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["controlled"] is False
    assert data["exemption"].startswith("Note 2")


def test_cli_usage_errors_return_2_instead_of_exiting(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classify", "H20", "--at", "middle"]) == 2
    assert "invalid choice" in capsys.readouterr().err
