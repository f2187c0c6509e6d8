"""fullstack.export_controls: the 3A090 rules of Oct 2022, Oct 2023 and Dec 2024 as code.

Every expectation here comes from the rule's published words and thresholds (as collected in
``shared/data/export_controls.md``: 87 FR 62186, 88 FR 73458, 89 FR 96790, the CSET explainer)
and from published chip figures, never from the code under test.

Thresholds, 17 Oct 2023 rule (kept by the 2 Dec 2024 rule):

    3A090.a.1  TPP >= 4800
    3A090.a.2  TPP >= 1600 and PD >= 5.92
    3A090.b.1  2400 <= TPP < 4800 and 1.6 <= PD < 5.92
    3A090.b.2  TPP >= 1600 and 3.2 <= PD < 5.92
    Note 2     not designed or marketed for data centers and TPP < 4800: outside 3A090
    2024: 3A090.c  HBM memory bandwidth density > 2 GB/s/mm^2
    2022: 3A090.a  I/O >= 600 GB/s and bit length x TOPS >= 4800

Values are compared after rounding to 6 decimals, so boundaries are probed 1e-3 away.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from fullstack import (
    Q_,
    Accelerator,
    ArrayClassification,
    Classification,
    DimensionError,
    ExportRule,
    FullstackError,
    Source,
    UnknownNameError,
    ValidationError,
    accelerator,
    accelerators,
    export_rule,
    export_rules,
)
from fullstack.export_controls import Condition, Metric, Paragraph

EPS = 1e-3
A1, A2, B1, B2 = "3A090.a.1", "3A090.a.2", "3A090.b.1", "3A090.b.2"
A_2022 = "3A090.a"
RULES_2023_ON = ("2023-10", "2024-12")


def paragraphs(rule: str, tpp: float, pd: float | None, *, datacenter: bool | None = True):
    return export_rule(rule).classify_values(
        tpp=tpp, performance_density=pd, datacenter=datacenter
    )


# --- the encoded thresholds are the published ones -----------------------------------------------

PUBLISHED = {
    "2022-10": {A_2022: {("io_bandwidth", ">=", 600.0), ("tpp", ">=", 4800.0)}},
    "2023-10": {
        A1: {("tpp", ">=", 4800.0)},
        A2: {("tpp", ">=", 1600.0), ("performance_density", ">=", 5.92)},
        B1: {
            ("tpp", ">=", 2400.0),
            ("tpp", "<", 4800.0),
            ("performance_density", ">=", 1.6),
            ("performance_density", "<", 5.92),
        },
        B2: {
            ("tpp", ">=", 1600.0),
            ("performance_density", ">=", 3.2),
            ("performance_density", "<", 5.92),
        },
    },
}
PUBLISHED["2024-12"] = {
    **PUBLISHED["2023-10"],
    "3A090.c": {("memory_bandwidth_density", ">", 2.0)},
}


@pytest.mark.parametrize("key", sorted(PUBLISHED))
def test_paragraphs_encode_the_published_thresholds(key: str) -> None:
    rule = export_rule(key)
    encoded = {
        p.id: {(c.metric.value, c.op, c.threshold) for c in p.conditions} for p in rule.paragraphs
    }
    assert encoded == PUBLISHED[key]


def test_hbm_paragraph_applies_to_hbm_only() -> None:
    rule = export_rule("2024-12")
    assert rule.paragraph("3A090.c").applies_to == "hbm"
    assert [p.id for p in rule.ic_paragraphs] == [A1, A2, B1, B2]


def test_unknown_paragraph() -> None:
    with pytest.raises(UnknownNameError, match=r"3A090\.a\.1"):
        export_rule("2023-10").paragraph("3A090.z")


def test_note_2_applies_from_2023_only() -> None:
    assert export_rule("2022-10").datacenter_note is False
    for key in RULES_2023_ON:
        rule = export_rule(key)
        assert rule.datacenter_note is True
        assert rule.datacenter_note_tpp == 4800.0


def test_condition_op_is_checked() -> None:
    with pytest.raises(ValidationError):
        Condition(Metric.TPP, "=>", 4800.0)  # type: ignore[arg-type]


def test_condition_holds_follows_its_op() -> None:
    assert Condition(Metric.TPP, ">=", 4800).holds(4800.0)
    assert not Condition(Metric.TPP, ">", 4800).holds(4800.0)
    assert Condition(Metric.TPP, "<", 4800).holds(4799.999)
    assert not Condition(Metric.TPP, "<", 4800).holds(4800.0)
    assert Condition(Metric.TPP, "<=", 4800).holds(4800.0)
    assert list(Condition(Metric.TPP, ">=", 4800).holds_array(np.array([4799.999, 4800.0]))) == [
        False,
        True,
    ]


def test_paragraph_metrics() -> None:
    para = Paragraph("x", (Condition(Metric.TPP, ">=", 1.0), Condition(Metric.TPP, "<", 2.0)))
    assert para.metrics == (Metric.TPP,)


# --- boundaries, both sides, every paragraph -----------------------------------------------------

BOUNDARIES_2023 = [
    # a.1: TPP >= 4800 (PD 1.0 keeps every other paragraph out)
    (4800 - EPS, 1.0, ()),
    (4800, 1.0, (A1,)),
    (4800 + EPS, 1.0, (A1,)),
    # a.2: TPP >= 1600 (PD 10)
    (1600 - EPS, 10.0, ()),
    (1600, 10.0, (A2,)),
    (1600 + EPS, 10.0, (A2,)),
    # a.2: PD >= 5.92 (TPP 2000 keeps b.1 out; below 5.92 is b.2)
    (2000, 5.92 - EPS, (B2,)),
    (2000, 5.92, (A2,)),
    (2000, 5.92 + EPS, (A2,)),
    # b.1: TPP >= 2400 (PD 2.0 keeps b.2 out)
    (2400 - EPS, 2.0, ()),
    (2400, 2.0, (B1,)),
    (2400 + EPS, 2.0, (B1,)),
    # b.1: TPP < 4800
    (4800 - EPS, 2.0, (B1,)),
    (4800, 2.0, (A1,)),
    (4800 + EPS, 2.0, (A1,)),
    # b.1: PD >= 1.6 (TPP 3000)
    (3000, 1.6 - EPS, ()),
    (3000, 1.6, (B1,)),
    (3000, 1.6 + EPS, (B1,)),
    # b.1 and b.2: PD < 5.92 (TPP 3000)
    (3000, 5.92 - EPS, (B1, B2)),
    (3000, 5.92, (A2,)),
    (3000, 5.92 + EPS, (A2,)),
    # b.2: TPP >= 1600 (PD 4.0)
    (1600 - EPS, 4.0, ()),
    (1600, 4.0, (B2,)),
    (1600 + EPS, 4.0, (B2,)),
    # b.2: PD >= 3.2 (TPP 2000)
    (2000, 3.2 - EPS, ()),
    (2000, 3.2, (B2,)),
    (2000, 3.2 + EPS, (B2,)),
    # b.2 has no TPP ceiling: it overlaps a.1 above 4800
    (6000, 5.92 - EPS, (A1, B2)),
    (6000, 5.92, (A1, A2)),
    (6000, 5.92 + EPS, (A1, A2)),
    (6000, 3.2 - EPS, (A1,)),
    (6000, 3.2, (A1, B2)),
]


@pytest.mark.parametrize("key", RULES_2023_ON)
@pytest.mark.parametrize(("tpp", "pd", "expected"), BOUNDARIES_2023)
def test_2023_boundaries(key: str, tpp: float, pd: float, expected: tuple[str, ...]) -> None:
    result = paragraphs(key, tpp, pd)
    assert set(result.paragraphs) == set(expected)
    assert result.controlled is bool(expected)
    assert not result.undetermined


@pytest.mark.parametrize(("tpp", "pd", "expected"), BOUNDARIES_2023)
def test_2023_boundaries_vectorized(tpp: float, pd: float, expected: tuple[str, ...]) -> None:
    result = export_rule("2023-10").classify_arrays(tpp=[tpp], performance_density=[pd])
    met = {pid for pid, arr in result.paragraphs.items() if arr[0]}
    assert met == set(expected)
    assert bool(result.controlled[0]) is bool(expected)
    assert bool(result.determined[0])


@pytest.mark.parametrize(
    ("tpp", "area", "expected"),
    [
        # Through die area: PD = TPP / area.
        (5920 - 1.0, 1000, (A1, B2)),  # PD 5.919
        (5920, 1000, (A1, A2)),  # PD 5.92 exactly
        (3200, 1000, (B1, B2)),  # PD 3.2 exactly
        (3199, 1000, (B1,)),  # PD 3.199
        (1600, 1000, ()),  # PD 1.6, TPP 1600: b.1 needs TPP 2400, b.2 PD 3.2
        (2400, 1500, (B1,)),  # PD 1.6 exactly, TPP 2400 exactly
    ],
)
def test_2023_boundaries_through_die_area(
    tpp: float, area: float, expected: tuple[str, ...]
) -> None:
    result = export_rule("2023-10").classify_values(tpp=tpp, die_area=area)
    assert set(result.paragraphs) == set(expected)
    assert result.performance_density == pytest.approx(tpp / area)


BOUNDARIES_2022 = [
    # I/O >= 600 GB/s AND TPP >= 4800
    (600 - EPS, 5000, False),
    (600, 5000, True),
    (600 + EPS, 5000, True),
    (700, 4800 - EPS, False),
    (700, 4800, True),
    (700, 4800 + EPS, True),
    (600 - EPS, 4800 - EPS, False),
    (400, 15832, False),
]


@pytest.mark.parametrize(("io", "tpp", "expected"), BOUNDARIES_2022)
def test_2022_boundaries(io: float, tpp: float, expected: bool) -> None:
    rule = export_rule("2022-10")
    result = rule.classify_values(tpp=tpp, io_bandwidth=io)
    assert result.controlled is expected
    assert result.paragraphs == ((A_2022,) if expected else ())
    arrays = rule.classify_arrays(tpp=[tpp], io_bandwidth=[io])
    assert bool(arrays.controlled[0]) is expected


def test_2022_rule_ignores_density_and_datacenter() -> None:
    rule = export_rule("2022-10")
    for pd in (0.5, 30.0):
        for dc in (True, False):
            result = rule.classify_values(
                tpp=5000, io_bandwidth=700, performance_density=pd, datacenter=dc
            )
            assert result.controlled is True
            assert result.license_exceptions == ()


@pytest.mark.parametrize(
    ("density", "expected"),
    [(2 - EPS, False), (2.0, False), (2 + EPS, True), (819 / 110, True)],
)
def test_2024_hbm_is_strictly_greater_than_2(density: float, expected: bool) -> None:
    # "greater than 2 gigabytes per second per square millimeter"
    result = export_rule("2024-12").classify_hbm(bandwidth=density * 100, area=100)
    assert result.controlled is expected
    assert result.paragraphs == (("3A090.c",) if expected else ())


def test_hbm_with_units() -> None:
    # An HBM3 stack: 819 GB/s over about 110 mm^2 is 7.4 GB/s/mm^2 (BIS: all HBM in production
    # exceeds the threshold).
    result = export_rule("2024-12").classify_hbm(bandwidth="0.819 TB/s", area="1.1 cm^2")
    assert result.controlled is True
    assert result.values[Metric.MEMORY_BANDWIDTH_DENSITY] == pytest.approx(819 / 110)


@pytest.mark.parametrize("key", ["2022-10", "2023-10"])
def test_hbm_is_not_a_3a090_item_before_december_2024(key: str) -> None:
    result = export_rule(key).classify_hbm(bandwidth=819, area=110)
    assert result.controlled is False
    assert result.paragraphs == ()


def test_hbm_without_bandwidth_is_undetermined() -> None:
    result = export_rule("2024-12").classify_hbm(bandwidth=None, area=110)
    assert result.controlled is None


@pytest.mark.parametrize("key", RULES_2023_ON)
@pytest.mark.parametrize(
    ("tpp", "pd", "expected"),
    [
        # Note 2: non-data-center parts below TPP 4800 are outside 3A090, whatever the density.
        (4800 - EPS, 10.0, False),
        (4800 - EPS, 4.0, False),
        (4800, 10.0, True),
        (4800 + EPS, 1.0, True),
        (3000, 4.0, False),
    ],
)
def test_note_2_boundary(key: str, tpp: float, pd: float, expected: bool) -> None:
    result = paragraphs(key, tpp, pd, datacenter=False)
    assert result.controlled is expected
    if expected:
        assert A1 in result.paragraphs
        assert result.exemption is None
    else:
        assert result.paragraphs == ()
        assert result.exemption is not None
        assert "Note 2" in result.exemption


def test_values_are_compared_after_rounding() -> None:
    # The documented tolerance: within 5e-7 of the line counts as on it.
    assert paragraphs("2023-10", 4800 - 1e-7, 1.0).controlled is True
    assert paragraphs("2023-10", 4800 - 1e-5, 1.0).controlled is False


# --- BIS's own example ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", RULES_2023_ON)
@pytest.mark.parametrize(
    "throughput", [{"INT8": "600 TOPS"}, {"FP16": "300 TFLOP/s"}, {"BF16": "300 TFLOP/s"}]
)
def test_bis_example_meets_a1(key: str, throughput: dict[str, str]) -> None:
    chip = Accelerator(name="BIS example", throughput=throughput, datacenter=True)
    result = export_rule(key).classify(chip)
    assert result.controlled is True
    assert A1 in result.paragraphs
    assert result.tpp == pytest.approx(4800.0)


def test_just_below_the_bis_example_is_not_a1() -> None:
    chip = Accelerator(name="x", throughput={"INT8": "599.999 TOPS"}, datacenter=True)
    assert A1 not in export_rule("2023-10").classify(chip).paragraphs


# --- undetermined: the missing figure is named, never guessed ------------------------------------


@pytest.mark.parametrize("key", RULES_2023_ON)
@pytest.mark.parametrize("rate", ["400 TOPS", "212.5 TOPS", "599 TOPS"])  # TPP 3200, 1700, 4792
def test_no_die_area_between_1600_and_4800_is_undetermined(key: str, rate: str) -> None:
    chip = Accelerator(name="no area", throughput={"INT8": rate}, datacenter=True)
    result = export_rule(key).classify(chip)
    assert result.controlled is None
    assert result.undetermined
    assert result.paragraphs == ()
    assert any("die area" in m or "density" in m for m in result.missing)
    assert any("Undetermined" in r for r in result.reasons)


def test_no_die_area_below_1600_is_not_controlled() -> None:
    # Every 2023 paragraph needs TPP >= 1600, so density does not matter.
    result = export_rule("2023-10").classify_values(tpp=1600 - EPS)
    assert result.controlled is False
    assert result.missing == ()


def test_no_die_area_at_or_above_4800_is_controlled_under_a1() -> None:
    chip = Accelerator(name="no area", throughput={"INT8": "700 TOPS"}, datacenter=True)
    result = export_rule("2023-10").classify(chip)
    assert result.controlled is True
    assert result.paragraphs == (A1,)
    assert result.performance_density is None


def test_catalog_chip_without_die_area_is_undetermined() -> None:
    # Cambricon MLU290-M5: INT8 512 TOPS -> TPP 4096, die area not published.
    result = export_rule("2023-10").classify(accelerator("MLU290-M5"))
    assert result.tpp == pytest.approx(512 * 8)
    assert result.controlled is None
    assert result.missing


@pytest.mark.parametrize("key", ["2022-10", "2023-10", "2024-12"])
def test_no_throughput_is_undetermined(key: str) -> None:
    chip = Accelerator(name="no rates", die_area="600 mm^2", io_bandwidth="900 GB/s")
    result = export_rule(key).classify(chip)
    assert result.controlled is None
    assert any("TPP" in m for m in result.missing)


def test_no_throughput_non_datacenter_is_still_undetermined() -> None:
    chip = Accelerator(name="no rates", die_area="600 mm^2", datacenter=False)
    assert export_rule("2023-10").classify(chip).controlled is None


@pytest.mark.parametrize("key", RULES_2023_ON)
def test_unknown_datacenter_below_4800_with_a_paragraph_met_is_undetermined(key: str) -> None:
    result = paragraphs(key, 3000, 4.0, datacenter=None)  # meets b.1 and b.2
    assert result.controlled is None
    assert result.paragraphs == ()
    assert any("data center" in m for m in result.missing)


def test_unknown_datacenter_at_or_above_4800_is_controlled() -> None:
    result = paragraphs("2023-10", 5000, 1.0, datacenter=None)
    assert result.controlled is True
    assert result.paragraphs == (A1,)
    assert result.license_exceptions == ()


def test_unknown_datacenter_with_no_paragraph_met_is_not_controlled() -> None:
    assert paragraphs("2023-10", 1000, 1.0, datacenter=None).controlled is False


def test_2022_missing_io_above_4800_is_undetermined() -> None:
    result = export_rule("2022-10").classify_values(tpp=5000)
    assert result.controlled is None
    assert any("I/O" in m for m in result.missing)


def test_2022_missing_io_below_4800_is_not_controlled() -> None:
    result = export_rule("2022-10").classify_values(tpp=4800 - EPS)
    assert result.controlled is False
    assert result.missing == ()


# --- known outcomes from public reporting --------------------------------------------------------


@pytest.mark.parametrize("name", ["A800", "H800"])
def test_a800_h800_outside_2022_rule_inside_2023_rule(name: str) -> None:
    # Reuters (Nov 2022, via TAdviser) and heise: the A800's and H800's chip-to-chip rate was cut
    # to 400 GB/s, under the 2022 rule's 600 GB/s; NVIDIA's 8-K of 17 Oct 2023 names both as
    # covered by the Oct 2023 rule.
    chip = accelerator(name)
    assert float(chip.io_bandwidth.value.m_as("GB/s")) < 600
    assert export_rule("2022-10").classify(chip).controlled is False
    assert export_rule("2023-10").classify(chip).controlled is True
    assert export_rule("2024-12").classify(chip).controlled is True


def test_h800_outside_2022_rule_at_either_reported_io_rate() -> None:
    # heise: 400 GB/s; Reuters as read by TechPowerUp: about 300 GB/s.
    rule = export_rule("2022-10")
    for at in ("low", "high"):
        assert rule.classify(accelerator("H800"), at=at).controlled is False


@pytest.mark.parametrize("name", ["A100", "H100 SXM"])
def test_a100_h100_controlled_under_2022_rule(name: str) -> None:
    # NVIDIA's 8-K of Aug 2022 (is-informed letter) named the A100 and H100; the Oct 2022 rule
    # codified it: I/O 600 / 900 GB/s and TPP 4992 / 15832.
    result = export_rule("2022-10").classify(accelerator(name))
    assert result.controlled is True
    assert result.paragraphs == (A_2022,)


@pytest.mark.parametrize("key", RULES_2023_ON)
def test_h20_not_controlled_under_2023_rule(key: str) -> None:
    # H20: INT8 296 TOPS -> TPP 2368 (< 2400 for b.1); PD 2368 / 814 = 2.91 (< 3.2 for b.2);
    # TweakTown reports PD "2.9". It was designed to sit under the Oct 2023 thresholds.
    result = export_rule(key).classify(accelerator("H20"))
    assert result.controlled is False
    assert result.paragraphs == ()
    assert result.tpp == pytest.approx(296 * 8)
    assert result.performance_density == pytest.approx(2.9, abs=0.05)
    assert result.performance_density < 3.2


def test_h20_nearest_line_is_b1_tpp() -> None:
    # Relative gaps: a.1 2432/4800, a.2 (PD) 3.01/5.92, b.1 (TPP) 32/2400, b.2 (PD) 0.29/3.2.
    line = export_rule("2023-10").classify(accelerator("H20")).nearest_line()
    assert line is not None
    assert line.paragraph == B1
    assert line.condition.metric is Metric.TPP
    assert line.margin == pytest.approx(2368 - 2400)


def test_nearest_line_is_none_when_controlled() -> None:
    assert export_rule("2023-10").classify(accelerator("H100")).nearest_line() is None


@pytest.mark.parametrize("key", RULES_2023_ON)
def test_rtx_4090_controlled_under_a1_with_nac(key: str) -> None:
    # Consumer card, not designed or marketed for data centers, but TPP 660.6 x 8 = 5284.8
    # (Hardware Times: 5,286) is over 4800: named in NVIDIA's 8-K of 17 Oct 2023; NAC applies
    # to non-data-center .a items.
    result = export_rule(key).classify(accelerator("RTX 4090"))
    assert result.controlled is True
    assert A1 in result.paragraphs
    assert result.tpp == pytest.approx(5285, abs=2)
    assert any("NAC" in e for e in result.license_exceptions)


@pytest.mark.parametrize("key", RULES_2023_ON)
def test_rtx_4090_d_not_controlled(key: str) -> None:
    # China-market card with 114 of the 4090's 128 SMs, TPP under 4800 (Hardware Times), and not
    # designed or marketed for data centers: outside 3A090 by Note 2.
    chip = accelerator("RTX 4090 D")
    assert chip.datacenter is False
    result = export_rule(key).classify(chip)
    assert result.tpp < 4800
    assert result.controlled is False
    assert result.exemption is not None


@pytest.mark.parametrize("key", RULES_2023_ON)
@pytest.mark.parametrize("name", ["A100", "A800", "H100 SXM", "H800", "L40", "L40S", "RTX 4090"])
def test_chips_named_in_nvidia_8k_of_oct_2023_are_controlled(key: str, name: str) -> None:
    # NVIDIA 8-K, 17 Oct 2023: the rule covers ICs "including but not limited to the A100, A800,
    # H100, H800, L40, L40S, and RTX 4090".
    assert export_rule(key).classify(accelerator(name)).controlled is True


def test_l40_is_caught_by_the_b_paragraphs_and_eligible_for_nac() -> None:
    # L40: dense rates x bits give TPP about 2896 (181 x 16, 362 x 8), AD102 608 mm^2, PD 4.76:
    # inside b.1 (2400 <= TPP < 4800, 1.6 <= PD < 5.92) and b.2 (PD >= 3.2); data-center part.
    result = export_rule("2023-10").classify(accelerator("L40"))
    assert result.tpp == pytest.approx(2896, rel=0.01)
    assert set(result.paragraphs) == {B1, B2}
    assert any("NAC" in e for e in result.license_exceptions)


def test_910b_low_bin_is_still_controlled_under_a2() -> None:
    # Lowest bin 280 TFLOP/s FP16: TPP 4480 < 4800, but PD 4480 / 665.61 = 6.73 >= 5.92.
    result = export_rule("2023-10").classify(accelerator("Ascend 910B"), at="low")
    assert result.tpp == pytest.approx(280 * 16)
    assert result.paragraphs == (A2,)


def test_br100_under_2022_depends_on_which_io_figure_counts() -> None:
    # Epoch: 412 GB/s intranode; TechPowerUp: eight BLink lanes total 2.3 TB/s.
    rule = export_rule("2022-10")
    assert rule.classify(accelerator("BR100")).controlled is False
    assert rule.classify(accelerator("BR100"), at="high").controlled is True


# --- license exceptions --------------------------------------------------------------------------


@pytest.mark.parametrize("key", RULES_2023_ON)
@pytest.mark.parametrize(
    ("tpp", "pd", "datacenter", "eligible"),
    [
        (3000, 4.0, True, True),  # .b only, data center: yes
        (1700, 3.5, True, True),  # b.2 only
        (5000, 1.0, True, False),  # .a, data center: no
        (2000, 8.0, True, False),  # a.2, data center: no
        (6000, 4.0, True, False),  # a.1 and b.2: in .a, so no
        (5000, 1.0, False, True),  # .a, not data center, TPP >= 4800: yes
        (5000, 8.0, False, True),  # a.1 and a.2, not data center: yes
        (5000, 1.0, None, False),  # unknown: not shown eligible
        (1000, 1.0, True, False),  # not controlled: nothing to except
    ],
)
def test_license_exceptions(
    key: str, tpp: float, pd: float, datacenter: bool | None, eligible: bool
) -> None:
    result = paragraphs(key, tpp, pd, datacenter=datacenter)
    if eligible:
        assert result.controlled is True
        assert result.license_exceptions
        assert all("NAC" in e for e in result.license_exceptions)
        assert any("license exception" in r for r in result.reasons)
    else:
        assert result.license_exceptions == ()


def test_no_license_exceptions_under_2022_rule() -> None:
    rule = export_rule("2022-10")
    assert rule.license_exception is None
    for dc in (True, False, None):
        result = rule.classify_values(tpp=5000, io_bandwidth=700, datacenter=dc)
        assert result.controlled is True
        assert result.license_exceptions == ()


def test_h100_has_no_license_exception() -> None:
    assert export_rule("2023-10").classify(accelerator("H100")).license_exceptions == ()


# --- export_rule() lookup and the rules' sources ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2023-10", "2023-10"),
        ("2023-10-17", "2023-10"),
        ("2023", "2023-10"),
        ("oct 2023", "2023-10"),
        ("Oct 2023", "2023-10"),
        ("October 2023", "2023-10"),
        ("  2023-10  ", "2023-10"),
        ("2022-10", "2022-10"),
        ("2022-10-07", "2022-10"),
        ("2022", "2022-10"),
        ("oct 2022", "2022-10"),
        ("2024-12", "2024-12"),
        ("2024-12-02", "2024-12"),
        ("dec 2024", "2024-12"),
        ("2024", "2024-12"),
        ("2026-01", "2026-01"),
        ("2026-01-15", "2026-01"),
        ("jan 2026", "2026-01"),
        ("2026", "2026-01"),
    ],
)
def test_export_rule_lookup(text: str, key: str) -> None:
    assert export_rule(text).key == key


def test_export_rule_default_is_the_newest() -> None:
    assert export_rule().key == "2026-01"
    assert export_rule(None) is export_rule("2026-01")


@pytest.mark.parametrize("text", ["2025", "2023-11", "nov 2023", "latest", "", "2023-1"])
def test_unknown_export_rule_lists_the_known_keys(text: str) -> None:
    with pytest.raises(UnknownNameError) as info:
        export_rule(text)
    message = str(info.value)
    for key in ("2022-10", "2023-10", "2024-12"):
        assert key in message
    assert isinstance(info.value, LookupError)


def test_export_rules_oldest_first() -> None:
    rules = export_rules()
    assert list(rules) == ["2022-10", "2023-10", "2024-12", "2026-01"]
    assert all(isinstance(r, ExportRule) for r in rules.values())


@pytest.mark.parametrize(
    ("key", "citation", "fr_doc", "issued"),
    [
        ("2022-10", "87 FR 62186", "2022-21658", "2022-10-07"),
        ("2023-10", "88 FR 73458", "2023-23055", "2023-10-17"),
        ("2024-12", "89 FR 96790", "2024-28270", "2024-12-02"),
        ("2026-01", "91 FR 1684", "2026-00789", "2026-01-13"),
    ],
)
def test_each_rule_cites_the_federal_register(
    key: str, citation: str, fr_doc: str, issued: str
) -> None:
    rule = export_rule(key)
    assert rule.citation == citation
    assert rule.issued == issued
    assert isinstance(rule.source, Source)
    assert rule.source.url is not None
    assert rule.source.url.startswith("https://www.federalregister.gov/")
    assert fr_doc in rule.source.url
    assert citation in rule.source.note
    assert "Bureau of Industry and Security" in (rule.source.publisher or "")
    assert rule.source.title == rule.title
    assert citation in str(rule)


def test_2023_rule_effective_date() -> None:
    # Published 25 Oct 2023, effective 17 Nov 2023.
    assert export_rule("2023-10").effective == "2023-11-17"


# --- the Classification object -------------------------------------------------------------------


def test_comparisons_carry_values_and_margins() -> None:
    result = export_rule("2023-10").classify(accelerator("H20"))
    assert isinstance(result, Classification)
    first = result.comparisons[0]
    assert first.paragraph == A1
    assert first.value == pytest.approx(2368.0)
    assert first.holds is False
    assert first.margin == pytest.approx(2368.0 - 4800.0)
    for c in result.comparisons:
        assert c.margin == pytest.approx(c.value - c.condition.threshold)
    # every condition of every paragraph is reported
    assert len(result.comparisons) == 1 + 2 + 4 + 3


def test_margin_is_none_when_the_value_is_missing() -> None:
    result = export_rule("2023-10").classify_values(tpp=3000)
    missing = [c for c in result.comparisons if c.condition.metric is Metric.PERFORMANCE_DENSITY]
    assert missing
    assert all(c.value is None and c.holds is None and c.margin is None for c in missing)
    assert "unknown" in str(missing[0])


def test_classification_values() -> None:
    result = export_rule("2023-10").classify(accelerator("H100 SXM"))
    assert result.tpp == pytest.approx(15832.0)
    assert result.performance_density == pytest.approx(15832 / 814)
    assert result.item == "H100 SXM"
    assert result.rule == "2023-10"


def test_to_dict_is_json_ready() -> None:
    result = export_rule("2023-10").classify(accelerator("RTX 4090"))
    data = json.loads(json.dumps(result.to_dict()))
    assert data["controlled"] is True
    assert A1 in data["paragraphs"]
    assert data["rule"] == "2023-10"
    assert data["tpp"] == pytest.approx(5284.8)
    assert {"controlled", "paragraphs", "tpp", "performance_density", "rule", "reasons"} <= set(
        data
    )
    undetermined = export_rule("2023-10").classify_values(tpp=3000).to_dict()
    assert json.loads(json.dumps(undetermined))["controlled"] is None


def test_str_and_html() -> None:
    text = str(export_rule("2023-10").classify(accelerator("H20")))
    assert text.startswith("H20 under the 2023-10 rule: not controlled")
    text = str(export_rule("2023-10").classify_values(tpp=3000))
    assert "undetermined" in text
    html = export_rule("2023-10").classify(accelerator("H100"))._repr_html_()
    assert "controlled" in html
    assert "88 FR 73458" in export_rule("2023-10")._repr_html_()


# --- classify_values input handling --------------------------------------------------------------


def test_classify_values_reads_units() -> None:
    rule = export_rule("2023-10")
    plain = rule.classify_values(tpp=4000, die_area=1000)
    assert set(plain.paragraphs) == {B1, B2}  # PD 4.0
    for tpp, area in [
        ("4000 TPP", "1000 mm^2"),
        (4000, "10 cm^2"),
        (Q_(4000, "TPP"), Q_(1000, "mm**2")),
        ("4000 bit*TOPS", "0.001 m^2"),
    ]:
        result = rule.classify_values(tpp=tpp, die_area=area)
        assert result.paragraphs == plain.paragraphs
        assert result.performance_density == pytest.approx(4.0)


def test_classify_values_reads_io_units() -> None:
    rule = export_rule("2022-10")
    assert rule.classify_values(tpp=5000, io_bandwidth="0.6 TB/s").controlled is True
    assert rule.classify_values(tpp=5000, io_bandwidth="599 GB/s").controlled is False


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"tpp": "5 W"}, DimensionError),
        ({"tpp": 4000, "die_area": "5 W"}, DimensionError),
        ({"tpp": 4000, "die_area": 0}, ValidationError),
        ({"tpp": 4000, "die_area": -600}, ValidationError),
        ({"tpp": -1}, ValidationError),
        ({"tpp": True}, FullstackError),
    ],
)
def test_classify_values_refuses_bad_input(kwargs: dict[str, object], error: type) -> None:
    with pytest.raises(error):
        export_rule("2023-10").classify_values(**kwargs)


def test_classify_refuses_non_accelerators() -> None:
    with pytest.raises(ValidationError):
        export_rule("2023-10").classify("H100")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        export_rule("2023-10").classify(accelerator("H100"), at="middle")  # type: ignore[arg-type]


def test_numpy_false_datacenter_is_not_a_datacenter() -> None:
    rule = export_rule("2023-10")
    expected = rule.classify_values(tpp=3000, performance_density=4.0, datacenter=False)
    got = rule.classify_values(tpp=3000, performance_density=4.0, datacenter=np.False_)
    assert expected.controlled is False
    assert got.controlled is False


# --- vectorized classification -------------------------------------------------------------------


def test_classify_arrays_grid() -> None:
    # TPP 0 / 4000 / 8000 across, PD 0 / 4 / 8 down (worked by hand from the thresholds):
    # PD 0: only a.1 (TPP 8000); PD 4: b.1 at 4000, a.1 at 8000; PD 8: a.2 at 4000, a.1 at 8000.
    tpp, pd = np.meshgrid([0.0, 4000.0, 8000.0], [0.0, 4.0, 8.0])
    result = export_rule("2023-10").classify_arrays(tpp=tpp, performance_density=pd)
    assert isinstance(result, ArrayClassification)
    expected = np.array([[False, False, True], [False, True, True], [False, True, True]])
    np.testing.assert_array_equal(result.controlled, expected)
    assert result.determined.all()
    assert result.controlled.shape == (3, 3)


def test_classify_arrays_nan_is_undetermined() -> None:
    rule = export_rule("2023-10")
    result = rule.classify_arrays(
        tpp=[3000.0, 5000.0, np.nan, 1000.0], performance_density=[np.nan, np.nan, 4.0, np.nan]
    )
    np.testing.assert_array_equal(result.determined, [False, True, False, True])
    np.testing.assert_array_equal(result.controlled, [False, True, False, False])


def test_classify_arrays_datacenter_broadcasts() -> None:
    rule = export_rule("2023-10")
    result = rule.classify_arrays(
        tpp=[3000.0, 3000.0, 5000.0, 5000.0],
        performance_density=4.0,
        datacenter=[True, False, True, False],
    )
    np.testing.assert_array_equal(result.controlled, [True, False, True, True])
    assert result.determined.all()


def test_classify_arrays_2022_needs_io() -> None:
    rule = export_rule("2022-10")
    result = rule.classify_arrays(
        tpp=[5000.0, 5000.0, 4000.0], io_bandwidth=[700.0, 500.0, np.nan]
    )
    np.testing.assert_array_equal(result.controlled, [True, False, False])
    np.testing.assert_array_equal(result.determined, [True, True, True])
    result = rule.classify_arrays(tpp=[5000.0])
    assert not result.determined[0]


# --- the January 2026 licence review policy (91 FR 1684) -----------------------------------------


def test_2026_rule_keeps_the_2024_controls() -> None:
    # A licence review policy, not a new threshold: what is controlled is unchanged.
    old, new = export_rule("2024-12"), export_rule("2026-01")
    assert [p.id for p in new.paragraphs] == [p.id for p in old.paragraphs]
    assert [p.conditions for p in new.paragraphs] == [p.conditions for p in old.paragraphs]
    assert old.license_review is None
    for chip in accelerators().values():
        assert new.classify(chip).controlled == old.classify(chip).controlled, chip.name
        assert new.classify(chip).paragraphs == old.classify(chip).paragraphs, chip.name


def test_2026_rule_review_thresholds_as_published() -> None:
    review = export_rule("2026-01").license_review
    assert review is not None
    assert review.policy == "case-by-case"
    assert review.otherwise == "presumption of denial"
    assert review.destinations == "China and Macau"
    assert [(c.metric, c.op, c.threshold) for c in review.conditions] == [
        (Metric.TPP, "<", 21000.0),
        (Metric.MEMORY_BANDWIDTH, "<", 6500.0),
    ]
    assert "third-party testing" in review.provisos


@pytest.mark.parametrize(
    ("name", "review"),
    [
        ("H200", "case-by-case"),  # named by the rule: TPP 15,832, 4.8 TB/s
        ("MI325X", "case-by-case"),  # named by the rule: TPP 20,918, 6 TB/s
        ("H100 SXM", "case-by-case"),  # a lesser chip
        ("B200", "presumption of denial"),  # TPP 36,000 and 7.7 TB/s
        ("MI350X", "presumption of denial"),
        ("H20", None),  # not controlled: no licence, so no review
    ],
)
def test_2026_rule_reports_the_review_for_controlled_chips(name: str, review: str | None) -> None:
    result = export_rule("2026-01").classify(accelerators()[name])
    assert result.license_review == review
    assert result.to_dict()["license_review"] == review
    if review is not None:
        assert any(review in r for r in result.reasons)


def test_2026_rule_review_lines_are_strict() -> None:
    rule = export_rule("2026-01")
    at = rule.classify_values(tpp=20999, die_area=800, memory_bandwidth="6499 GB/s")
    assert at.license_review == "case-by-case"
    assert rule.classify_values(tpp=21000, die_area=800, memory_bandwidth=6000).license_review == (
        "presumption of denial"
    )
    assert rule.classify_values(tpp=15000, die_area=800, memory_bandwidth=6500).license_review == (
        "presumption of denial"
    )


def test_2026_rule_review_undetermined_without_memory_bandwidth() -> None:
    result = export_rule("2026-01").classify_values(tpp=15000, die_area=800)
    assert result.controlled is True
    assert result.license_review is None
    assert any("total DRAM bandwidth" in r for r in result.reasons)
    # A figure that decides on its own is enough.
    over = export_rule("2026-01").classify_values(tpp=30000, die_area=800)
    assert over.license_review == "presumption of denial"


def test_earlier_rules_report_no_review() -> None:
    for key in ("2022-10", "2023-10", "2024-12"):
        assert export_rule(key).classify(accelerators()["H200"]).license_review is None
