"""The command line's basic commands: units, convert, rates, and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fullstack import Q_, parse_quantity
from fullstack.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_units_lists_every_custom_unit(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "units")
    assert (status, err) == (0, "")
    for name in ("FLOP", "OP", "TPP", "H100e", "wafer", "die", "chip", "hbm_stack", "token"):
        assert name in out
    for code in ("USD", "CNY", "EUR"):
        assert code in out


def test_units_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "units", "--json")
    rows = json.loads(out)
    assert status == 0
    assert {"unit", "aliases", "dimension", "definition", "meaning"} <= set(rows[0])
    assert any(r["unit"] == "H100e" and "989.4" in r["definition"] for r in rows)


def test_the_unit_table_is_units_txt_itself() -> None:
    """Every unit units.txt defines (but the two it only renames) is documented in the table."""
    from importlib import resources

    from fullstack._unit_table import unit_table

    text = resources.files("fullstack").joinpath("units.txt").read_text("utf-8")
    defined = {
        line.split("=")[0].strip()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    }
    documented = {u.name for u in unit_table()}
    assert defined - documented == {"barn", "year"}  # pint's, re-symbolled, not new units
    assert "byte" in documented  # pint's own, documented with #@


def test_convert_a_quantity(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "convert", "300 EFLOP/s", "H100e")
    assert (status, err) == (0, "")
    result = parse_quantity(out.strip())
    assert result.units == Q_(1, "H100e").units
    assert result.magnitude == pytest.approx(300e18 / 989.4e12)


def test_convert_money_at_a_year(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "convert", "344 GCNY", "USD", "--year", "2023", "--json")
    data = json.loads(out)
    assert status == 0
    assert data["unit"] == "GUSD"
    assert data["magnitude"] == pytest.approx(344 / 7.0809)
    assert parse_quantity(data["value"]).magnitude == pytest.approx(data["magnitude"])


def test_rates_as_json_with_their_sources(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "rates", "--json")
    rows = json.loads(out)
    assert status == 0
    assert {(r["base"], r["quote"], r["year"]) for r in rows} >= {("USD", "CNY", 2023)}
    for row in rows:
        assert row["rate"] > 0
        assert "federalreserve.gov" in row["source"]


def test_rates_as_text_end_with_the_sources(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "rates")
    assert status == 0
    assert "Sources:" in out
    assert "Federal Reserve" in out.split("Sources:")[1]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["convert", "5 GWatt", "MW"], "unknown unit 'GWatt'"),
        (["convert", "5 GW /", "MW"], "cannot parse unit"),
        (["convert", "(5 GW", "MW"], "cannot parse unit"),
        (["convert", "5 GW", "EFLOP/s"], "expected a compute throughput"),
        (["convert", "344 GCNY", "USD"], "--year"),
        (["convert", "344 GCNY", "GUSD"], "Currencies do not convert implicitly"),
        (["convert", "1 USD", "CNY", "--year", "2030"], "no USD/CNY rate for 2030"),
    ],
)
def test_bad_input_exits_2_with_one_line_on_stderr(
    capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.startswith("fullstack: error: ")
    assert err.endswith("\n")
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert words in err


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys)
    assert status == 0
    assert "usage: fullstack" in out


def test_validate_a_missing_file_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.toml"
    status, out, err = run(capsys, "validate", str(missing))
    assert (status, out) == (2, "")
    assert err.startswith(f"fullstack: error: {missing}: 1 problem")
    assert "no such file or directory" in err
    assert "Traceback" not in err


def test_validate_json_prints_json_for_a_valid_and_an_invalid_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    good = tmp_path / "good.toml"
    good.write_text('schema_version = 1\nname = "Good"\n')
    status, out, err = run(capsys, "validate", str(good), "--json")
    assert (status, err) == (0, "")
    assert json.loads(out) == {
        "file": str(good),
        "valid": True,
        "kind": "Scenario",
        "name": "Good",
        "problems": [],
    }
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\nname = "Bad"\nstart = 2030\nend = 2026\ncolour = 1\n')
    status, out, err = run(capsys, "validate", str(bad), "--json")
    assert (status, err) == (2, "")
    data = json.loads(out)
    assert data["valid"] is False
    assert [p["location"] for p in data["problems"]] == ["end", "colour"]
    status, out, _ = run(capsys, "validate", str(tmp_path / "missing.toml"), "--json")
    assert status == 2
    assert json.loads(out)["problems"][0]["message"].startswith("cannot read the file")
