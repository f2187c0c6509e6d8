"""Bad input to files that used to slip through (issue 9, item 6): each gets a clear error."""

from __future__ import annotations

import textwrap
from pathlib import Path

import attrs
import pytest

import fullstack
from fullstack import FileFormatError, Scenario, ValidationError, load, loads, save
from fullstack.policy import ComputeVoucher, GuidanceFund, Subsidy

FOUR_PROBLEMS = """
schema_version = 1
name = "Four problems"
start = 2030
end = 2026

[[instruments]]
type = "subsidy"
name = "Rebate"
target = "energy"
rate = 1.5
start = 2028
end = 2026

[[instruments]]
type = "compute_voucher"
name = "Vouchers"
budget_per_year = "1 GUSD/year"
subsidy_rate = 0.3
start = 2026
"""


def problems_of(text: str) -> dict[str, str]:
    with pytest.raises(FileFormatError) as caught:
        loads(textwrap.dedent(text))
    return {p.location: p.message for p in caught.value.problems}


def test_every_problem_is_reported_in_one_pass_cross_field_ones_included() -> None:
    found = problems_of(FOUR_PROBLEMS)
    assert list(found) == [
        "end",
        "instruments[0].rate",
        "instruments[0].end",
        "instruments[1].budget_per_year",
    ]
    assert found["end"] == "expected a year not before start (2030), got 2026"
    assert found["instruments[0].end"] == "expected a year not before start (2028), got 2026"


def test_a_cross_field_problem_alone_is_reported_at_its_field() -> None:
    found = problems_of("""
        schema_version = 1
        type = "subsidy"
        name = "Rebate"
        target = "energy"
        rate = 0.2
        start = 2028
        end = 2026
    """)
    assert found == {"end": "expected a year not before start (2028), got 2026"}


def test_a_cross_field_check_is_skipped_when_its_other_field_is_bad() -> None:
    # start is bad, so "end before start" cannot be judged: only start is reported.
    found = problems_of("""
        schema_version = 1
        type = "subsidy"
        name = "Rebate"
        target = "energy"
        rate = 0.2
        start = "2028"
        end = 2026
    """)
    assert list(found) == ["start"]


def test_money_in_another_currency_than_the_economys_is_refused_when_loading() -> None:
    text = """
        schema_version = 1
        type = "compute_voucher"
        name = "Vouchers"
        economy = "CN"
        budget_per_year = "1 GUSD/year"
        subsidy_rate = 0.3
    """
    found = problems_of(text)
    assert list(found) == ["budget_per_year"]
    assert found["budget_per_year"].startswith(
        "expected money in CNY, the currency of CN, got 1 GUSD/year"
    )
    # The same instrument in the economy's currency loads, and a US one takes dollars.
    assert loads(textwrap.dedent(text.replace("GUSD", "GCNY"))).budget_per_year.m == 1
    us = loads(textwrap.dedent(text.replace('"CN"', '"US"')))
    assert fullstack.currency_of(us.budget_per_year) == "USD"


def test_the_base_budget_is_checked_too(tmp_path: Path) -> None:
    fund = GuidanceFund(
        name="Fund", economy="CN", budget="10 GCNY", start=2025, end=2026, to_capacity=0.5
    )
    text = fullstack.dumps(fund).replace("GCNY", "GUSD")
    with pytest.raises(FileFormatError, match=r"budget: expected money in CNY"):
        loads(text)


def test_validate_reports_the_wrong_currency(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from fullstack.cli import main

    target = tmp_path / "vouchers.toml"
    voucher = ComputeVoucher(name="V", budget_per_year="1 GCNY/year", subsidy_rate=0.3)
    target.write_text(fullstack.dumps(voucher).replace("GCNY", "GUSD"))
    assert main(["validate", str(target)]) == 2
    assert "budget_per_year: expected money in CNY" in capsys.readouterr().err


def test_loading_a_missing_file_names_it(tmp_path: Path) -> None:
    target = tmp_path / "missing.toml"
    with pytest.raises(FileFormatError) as caught:
        load(target)
    assert caught.value.path == str(target)
    assert str(caught.value).endswith("cannot read the file: no such file or directory")
    assert isinstance(caught.value.__cause__, FileNotFoundError)


def test_loading_a_folder_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    with pytest.raises(FileFormatError, match="cannot read the file"):
        load(folder)


def test_saving_into_a_missing_folder_names_the_path_not_a_temporary_file(
    tmp_path: Path,
) -> None:
    target = tmp_path / "no" / "such" / "dir" / "x.toml"
    with pytest.raises(ValidationError) as caught:
        save(Scenario(name="s"), target)
    message = str(caught.value)
    assert message.startswith("fullstack.save: expected a file in an existing folder")
    assert message.endswith(f"got {target}")
    assert ".tmp" not in message
    assert not (tmp_path / "no").exists()


def test_a_write_that_fails_names_the_path(tmp_path: Path) -> None:
    target = tmp_path / "taken.toml"
    target.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(ValidationError, match="a file fullstack can write") as caught:
        save(Scenario(name="s"), target)
    assert str(target) in str(caught.value)
    assert isinstance(caught.value.__cause__, OSError)
    assert [p.name for p in tmp_path.iterdir()] == ["taken.toml"]  # no temporary file left


@pytest.mark.parametrize(
    ("name", "fmt"), [("s.toml", "json"), ("s.json", "toml"), ("s.yaml", "json")]
)
def test_a_format_that_contradicts_the_suffix_is_refused(
    tmp_path: Path, name: str, fmt: str
) -> None:
    target = tmp_path / name
    with pytest.raises(ValidationError, match="expected the format of a"):
        save(Scenario(name="s"), target, format=fmt)
    assert not target.exists()
    target.write_text("schema_version = 1\nname = 's'\n")
    with pytest.raises(ValidationError, match="expected the format of a"):
        load(target, format=fmt)


def test_a_format_that_agrees_with_the_suffix_or_names_another_suffix_is_fine(
    tmp_path: Path,
) -> None:
    scenario = Scenario(name="s") + Subsidy(name="r", target="energy", rate=0.2)
    assert load(save(scenario, tmp_path / "s.toml", format="TOML")) == scenario
    assert load(save(scenario, tmp_path / "s.yml", format="yaml"), format="yml") == scenario
    assert load(save(scenario, tmp_path / "s.cfg", format="json"), format="json") == scenario


def test_expect_types_the_result_and_refuses_another_kind_of_document(tmp_path: Path) -> None:
    rebate = Subsidy(name="Rebate", target="energy", rate=0.2)
    target = save(rebate, tmp_path / "rebate.toml")
    assert load(target, expect=Subsidy) == rebate
    assert load(target, expect=fullstack.Instrument) == rebate
    with pytest.raises(FileFormatError) as caught:
        load(target, expect=Scenario)
    assert caught.value.path == str(target)
    assert str(caught.value).endswith('expected a Scenario, got a Subsidy (type = "subsidy")')
    with pytest.raises(FileFormatError, match="expected a GuidanceFund, got a Subsidy"):
        loads(fullstack.dumps(rebate), expect=GuidanceFund)
    with pytest.raises(FileFormatError, match="expected a Scenario, got a list of 2 instruments"):
        loads(fullstack.dumps([rebate, attrs.evolve(rebate, name="Other")]), expect=Scenario)
