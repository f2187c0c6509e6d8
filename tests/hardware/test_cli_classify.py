"""The command line's export-control commands: classify, catalog accelerators, rules."""

from __future__ import annotations

import json

import pytest

from fullstack.accelerators import accelerators
from fullstack.cli import main

A1, A2, B1, B2 = "3A090.a.1", "3A090.a.2", "3A090.b.1", "3A090.b.2"
JSON_FIELDS = {"controlled", "paragraphs", "tpp", "performance_density", "rule", "reasons"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    status, out, err = run(capsys, *argv, "--json")
    assert (status, err) == (0, "")
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


# --- a catalog chip -----------------------------------------------------------------------------


def test_classify_h20_json(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "classify", "H20")
    assert set(data) >= JSON_FIELDS
    # H20: TPP 296 x 8 = 2368, PD 2368 / 814 = 2.91 (TweakTown: 2.9): under every threshold.
    assert data["controlled"] is False
    assert data["paragraphs"] == []
    assert data["tpp"] == pytest.approx(2368.0)
    assert data["performance_density"] == pytest.approx(2368 / 814)
    assert data["rule"] == "2026-01"  # the newest by default
    assert data["license_review"] is None  # not controlled, so no licence is needed
    assert isinstance(data["reasons"], list)
    assert data["reasons"]
    assert all(isinstance(r, str) for r in data["reasons"])


def test_classify_h20_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "classify", "h20")
    assert (status, err) == (0, "")
    assert "H20" in out
    assert "not controlled" in out
    assert "Nearest line" in out
    assert "federalregister.gov" in out


def test_classify_name_is_forgiving(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "classify", "rtx-4090")
    assert data["item"] == "GeForce RTX 4090"
    assert data["controlled"] is True
    assert A1 in data["paragraphs"]


@pytest.mark.parametrize(
    ("rule", "name", "controlled", "paragraphs"),
    [
        # A800/H800: I/O cut to 400 GB/s, under the 2022 rule's 600 GB/s (Reuters, heise).
        ("2022-10", "H800", False, []),
        ("2022-10", "A800", False, []),
        ("2022-10", "H100", True, ["3A090.a"]),
        ("2023-10", "H800", True, [A1, A2]),
        ("oct 2023", "A800", True, [A1, A2]),
        ("2023", "L40", True, [B1, B2]),
        ("2024-12", "H20", False, []),
    ],
)
def test_classify_with_rule(
    capsys: pytest.CaptureFixture[str],
    rule: str,
    name: str,
    controlled: bool,
    paragraphs: list[str],
) -> None:
    data = run_json(capsys, "classify", name, "--rule", rule)
    assert data["controlled"] is controlled
    assert sorted(data["paragraphs"]) == paragraphs


def test_classify_at_low_and_high(capsys: pytest.CaptureFixture[str]) -> None:
    # Ascend 910B FP16 bins: 280 (low) to 400 (high) TFLOP/s -> TPP 4480 to 6400.
    low = run_json(capsys, "classify", "910B", "--rule", "2023-10", "--at", "low")
    high = run_json(capsys, "classify", "910B", "--rule", "2023-10", "--at", "high")
    assert low["tpp"] == pytest.approx(4480.0)
    assert high["tpp"] == pytest.approx(6400.0)
    assert low["paragraphs"] == [A2]
    assert A1 in high["paragraphs"]


# --- a hypothetical chip -------------------------------------------------------------------------


def test_hypothetical_chip(capsys: pytest.CaptureFixture[str]) -> None:
    # TPP 4000 over 600 mm^2: PD 6.67 >= 5.92 -> a.2.
    data = run_json(capsys, "classify", "--tpp", "4000", "--die-area", "600", "--rule", "2023-10")
    assert set(data) >= JSON_FIELDS
    assert data["controlled"] is True
    assert data["paragraphs"] == [A2]
    assert data["tpp"] == pytest.approx(4000.0)
    assert data["performance_density"] == pytest.approx(4000 / 600)


def test_hypothetical_chip_in_the_b_region(capsys: pytest.CaptureFixture[str]) -> None:
    # TPP 4000 over 1000 mm^2: PD 4.0 -> b.1 and b.2, and NAC/ACA for a data-center part.
    data = run_json(capsys, "classify", "--tpp", "4000", "--die-area", "1000")
    assert data["controlled"] is True
    assert sorted(data["paragraphs"]) == [B1, B2]
    assert any("NAC" in e for e in data["license_exceptions"])


@pytest.mark.parametrize(
    "args",
    [
        ("--tpp", "4000", "--die-area", "6 cm^2"),
        ("--tpp", "4000 TPP", "--die-area", "600 mm^2"),
        ("--tpp", "4000", "--die-area", "600mm**2"),
        ("--tpp", "4000", "--performance-density", "6.666666666666667"),
    ],
)
def test_hypothetical_chip_with_units(capsys: pytest.CaptureFixture[str], args: tuple) -> None:
    plain = run_json(capsys, "classify", "--tpp", "4000", "--die-area", "600")
    other = run_json(capsys, "classify", *args)
    assert other["controlled"] == plain["controlled"]
    assert other["paragraphs"] == plain["paragraphs"]
    assert other["performance_density"] == pytest.approx(plain["performance_density"])


@pytest.mark.parametrize("rule", ["2023-10", "2024-12"])
def test_no_datacenter(capsys: pytest.CaptureFixture[str], rule: str) -> None:
    # Note 2: not designed or marketed for data centers and TPP < 4800 -> outside 3A090.
    data = run_json(
        capsys,
        "classify",
        "--tpp",
        "4000",
        "--die-area",
        "1000",
        "--no-datacenter",
        "--rule",
        rule,
    )
    assert data["controlled"] is False
    assert data["paragraphs"] == []
    assert data["exemption"]
    # At TPP >= 4800 it is controlled under a.1, with NAC for non-data-center items.
    data = run_json(capsys, "classify", "--tpp", "5000", "--no-datacenter", "--rule", rule)
    assert data["controlled"] is True
    assert data["paragraphs"] == [A1]
    assert any("NAC" in e for e in data["license_exceptions"])


def test_datacenter_flag(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "classify", "--tpp", "4000", "--die-area", "1000", "--datacenter")
    assert data["controlled"] is True


def test_hypothetical_without_die_area_is_undetermined(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, "classify", "--tpp", "3000", "--rule", "2023-10")
    assert data["controlled"] is None
    assert data["paragraphs"] == []
    assert data["missing"]
    status, out, _ = run(capsys, "classify", "--tpp", "3000", "--rule", "2023-10")
    assert status == 0
    assert "undetermined" in out


@pytest.mark.parametrize(
    ("io", "controlled"), [("600", True), ("599.999", False), ("0.6 TB/s", True), (None, None)]
)
def test_io_bandwidth_under_2022(
    capsys: pytest.CaptureFixture[str], io: str | None, controlled: bool | None
) -> None:
    args = ["classify", "--tpp", "5000", "--rule", "2022-10"]
    if io is not None:
        args += ["--io-bandwidth", io]
    data = run_json(capsys, *args)
    assert data["controlled"] is controlled


# --- errors: one line on stderr, exit status 2, no traceback -------------------------------------


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("classify", "Quantum 9000"), "unknown accelerator"),
        (("classify", "H100 SMX"), "H100 SXM"),  # with a suggestion
        (("classify",), "neither"),
        (("classify", "H20", "--tpp", "5000"), "not both"),
        (("classify", "H20", "--die-area", "600"), "not both"),
        (("classify", "H20", "--rule", "1999"), "2023-10"),
        (("classify", "--tpp", "4000", "--die-area", "5 W"), "die_area"),
        (("classify", "--tpp", "4000", "--die-area", "0"), "die_area"),
        (("classify", "--tpp", "nan", "--die-area", "600"), "tpp"),
        (("classify", "--tpp", "-5"), "tpp"),
        (("classify", "--tpp", "4000 parsecs"), "a length"),
        (("classify", "--tpp", "4000 zorks"), "zorks"),
    ],
)
def test_errors_exit_2_with_a_message(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], fragment: str
) -> None:
    status, out, err = run(capsys, *args)
    assert status == 2
    assert out == ""
    assert err.startswith("fullstack: error:")
    assert fragment in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_errors_with_json_are_still_errors(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "classify", "nope-chip", "--json")
    assert status == 2
    assert out == ""
    assert "nope-chip" in err


# --- catalog and rules ---------------------------------------------------------------------------


def test_catalog_accelerators_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "catalog", "accelerators", "--json")
    assert (status, err) == (0, "")
    rows = json.loads(out)
    assert isinstance(rows, list)
    assert len(rows) >= 25
    names = {r["name"] for r in rows}
    assert {"H20", "H100 SXM", "Ascend 910B"} <= names
    h100 = next(r for r in rows if r["name"] == "H100 SXM")
    assert h100["tpp"] == pytest.approx(15832.0)
    assert h100["vendor"] == "NVIDIA"


def test_catalog_accelerators_text_credits_epoch(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "catalog", "accelerators")
    assert (status, err) == (0, "")
    assert "H20" in out
    assert "Epoch AI" in out
    assert "CC BY 4.0" in out


def test_catalog_says_how_many_figures_a_second_source_confirms(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = run(capsys, "catalog", "accelerators", "--json")
    rows = json.loads(out)
    counts = accelerators().provenance_counts()
    assert sum(r["figures_confirmed"] for r in rows) == counts["confirmed"]
    assert sum(r["figures_single_source"] for r in rows) == counts["single-source"]
    assert sum(r["figures_assumed"] for r in rows) == counts["assumption"]
    status, out, _ = run(capsys, "catalog", "accelerators")
    assert status == 0
    assert "2nd source" in out
    chip = accelerators()["MLU590"]  # no figure of it has a second source
    line = next(x for x in out.splitlines() if x.startswith("MLU590 "))
    assert line.split()[-1] == f"0/{len(chip.figures())}"


def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "rules", "--json")
    assert (status, err) == (0, "")
    rules = json.loads(out)
    assert [r["key"] for r in rules] == ["2022-10", "2023-10", "2024-12", "2026-01"]
    assert [r["citation"] for r in rules] == [
        "87 FR 62186",
        "88 FR 73458",
        "89 FR 96790",
        "91 FR 1684",
    ]
    by_key = {r["key"]: r for r in rules}
    assert set(by_key["2023-10"]["paragraphs"]) == {A1, A2, B1, B2}
    assert set(by_key["2024-12"]["paragraphs"]) == {A1, A2, B1, B2, "3A090.c"}
    assert ["tpp", ">=", 4800.0] in by_key["2023-10"]["paragraphs"][A1]
    assert ["memory_bandwidth_density", ">", 2.0] in by_key["2024-12"]["paragraphs"]["3A090.c"]
    assert ["io_bandwidth", ">=", 600.0] in by_key["2022-10"]["paragraphs"]["3A090.a"]


def test_rules_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "rules")
    assert (status, err) == (0, "")
    for text in ("3A090.a.1", "3A090.c", "88 FR 73458"):
        assert text in out
