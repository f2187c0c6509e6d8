"""fullstack.accelerators: the Accelerator spec, its derived figures and its construction checks.

Expected values are computed here from the rule's definition (TPP = 2 x MacTOPS x bit length =
dense rate x bit length, highest over precisions) and from the published figures, never read back
from the code under test.
"""

from __future__ import annotations

import math

import attrs
import pytest

import fullstack as fs
from fullstack import (
    Accelerator,
    DimensionError,
    Estimate,
    FullstackError,
    MissingUnitError,
    Precision,
    Source,
    Throughput,
    ValidationError,
    accelerator,
)

# The H100 SXM's dense BF16 rate (Epoch AI; NVIDIA's datasheet) defines one H100-equivalent.
H100_BF16_TFLOPS = 989.4


def tpp_of(chip: Accelerator) -> float:
    return float(chip.tpp.m_as("TPP"))


# --- BIS's own example (88 FR 73458, Technical Note to 3A090) ----------------------------------


@pytest.mark.parametrize(
    ("precision", "rate"),
    [
        # "600 tera integer operations (or 2 x 300 'MacTOPS') at 8 bits"
        ("INT8", "600 TOPS"),
        # "300 tera FLOPS (or 2 x 150 'MacTOPS') at 16 bits"
        ("FP16", "300 TFLOP/s"),
        ("BF16", "300 TFLOP/s"),
        ("FP8", "600 TFLOP/s"),
        # the same rates in other prefixes
        ("INT8", "0.6 POPS"),
        ("FP16", "3e14 FLOP/s"),
    ],
)
def test_bis_example_is_tpp_4800(precision: str, rate: str) -> None:
    chip = Accelerator(name="BIS example", throughput={precision: rate})
    assert tpp_of(chip) == pytest.approx(4800.0, rel=1e-12)
    assert float(Throughput(rate, precision).tpp.m_as("TPP")) == pytest.approx(4800.0, rel=1e-12)
    assert chip.tpp_precision is Precision.parse(precision)


def test_bis_example_in_mactops() -> None:
    # TPP = 2 x MacTOPS x bit length: 2 x 300 x 8 and 2 x 150 x 16.
    assert 2 * 300 * 8 == 2 * 150 * 16 == 4800
    int8 = Accelerator(name="a", throughput={"INT8": f"{2 * 300} TOPS"})
    fp16 = Accelerator(name="b", throughput={"FP16": f"{2 * 150} TFLOP/s"})
    assert tpp_of(int8) == pytest.approx(4800.0)
    assert tpp_of(fp16) == pytest.approx(4800.0)


# --- TPP: highest over precisions ------------------------------------------------------------


def test_h100_sxm_tpp_is_15832() -> None:
    # Independent: the H100 SXM's dense INT8/FP8 rate is 1979 TOPS (NVIDIA: 3958 with sparsity),
    # and 1979 x 8 = 15,832. Its dense BF16 rate 989.4 gives only 989.4 x 16 = 15,830.4.
    h100 = accelerator("H100 SXM")
    assert tpp_of(h100) == pytest.approx(1979 * 8, abs=1e-6)
    assert tpp_of(h100) == pytest.approx(15832.0, abs=1e-6)
    assert h100.tpp_precision in (Precision.INT8, Precision.FP8)


def test_h100_sxm_performance_density() -> None:
    # GH100 die: 814 mm^2 (Epoch AI); 15,832 / 814 = 19.45.
    h100 = accelerator("H100 SXM")
    pd = float(h100.performance_density.m_as("TPP/mm**2"))
    assert pd == pytest.approx(15832 / 814, rel=1e-9)


def test_tpp_is_the_highest_over_precisions() -> None:
    # BF16 1000 x 16 = 16,000 beats INT8 1500 x 8 = 12,000 and FP64 100 x 64 = 6,400.
    chip = Accelerator(
        name="mix",
        throughput={"INT8": "1500 TOPS", "BF16": "1000 TFLOP/s", "FP64": "100 TFLOP/s"},
    )
    assert tpp_of(chip) == pytest.approx(16000.0)
    assert chip.tpp_precision is Precision.BF16
    # FP64 wins when it is the largest rate x bit length: 300 x 64 = 19,200.
    chip = Accelerator(name="hpc", throughput={"FP64": "300 TFLOP/s", "BF16": "1000 TFLOP/s"})
    assert tpp_of(chip) == pytest.approx(19200.0)
    assert chip.tpp_precision is Precision.FP64


def test_tpp_ties_report_the_shortest_format() -> None:
    chip = Accelerator(name="tie", throughput={"BF16": "300 TFLOP/s", "INT8": "600 TOPS"})
    assert tpp_of(chip) == pytest.approx(4800.0)
    assert chip.tpp_precision is Precision.INT8


def test_tpp_is_four_bit_aware() -> None:
    # INT4 at 4 bits: 2000 TOPS x 4 = 8,000; INT8 900 x 8 = 7,200.
    chip = Accelerator(name="i4", throughput={"INT4": "2000 TOPS", "INT8": "900 TOPS"})
    assert tpp_of(chip) == pytest.approx(8000.0)


def test_tpp_range_uses_the_estimate_ends() -> None:
    # Ascend 910B FP16: 376 TFLOP/s, low 280, high 400 (Epoch's bins): x 16.
    low, high = accelerator("Ascend 910B").tpp_range
    assert float(low.m_as("TPP")) == pytest.approx(280 * 16)
    assert float(high.m_as("TPP")) == pytest.approx(400 * 16)


def test_tpp_range_without_ranges_is_the_value_twice() -> None:
    low, high = accelerator("H100 SXM").tpp_range
    assert float(low.m_as("TPP")) == pytest.approx(15832.0)
    assert float(high.m_as("TPP")) == pytest.approx(15832.0)


def test_missing_figures_stay_missing() -> None:
    chip = Accelerator(name="empty")
    assert chip.tpp is None
    assert chip.tpp_precision is None
    assert chip.tpp_range is None
    assert chip.performance_density is None
    assert chip.h100e is None
    assert chip.flops_per_watt is None
    assert chip.bandwidth_per_flop is None
    assert chip.figures() == {}
    no_area = Accelerator(name="no area", throughput={"INT8": "700 TOPS"})
    assert tpp_of(no_area) == pytest.approx(5600.0)
    assert no_area.performance_density is None


def test_performance_density_converts_area_units() -> None:
    # 4000 TPP over 6 cm^2 = 600 mm^2 is 6.667 TPP/mm^2.
    chip = Accelerator(name="c", throughput={"INT8": "500 TOPS"}, die_area="6 cm^2")
    pd = float(chip.performance_density.m_as("TPP/mm**2"))
    assert pd == pytest.approx(4000 / 600, rel=1e-9)


# --- H100-equivalents and other derived figures ------------------------------------------------


def test_h100e_of_h100_sxm_is_one() -> None:
    assert float(accelerator("H100 SXM").h100e.m_as("H100e")) == pytest.approx(1.0, abs=1e-9)


def test_h100e_of_ascend_910b_uses_fp16() -> None:
    # Only FP16 is published for the 910B: 376 TFLOP/s (Epoch, 910B2 bin).
    b910 = accelerator("Ascend 910B")
    assert b910.rate("BF16") is None
    expected = 376 / H100_BF16_TFLOPS
    assert float(b910.h100e.m_as("H100e")) == pytest.approx(expected, rel=1e-9)


def test_h100e_prefers_bf16_over_fp16() -> None:
    chip = Accelerator(name="x", throughput={"BF16": "989.4 TFLOP/s", "FP16": "1978.8 TFLOP/s"})
    assert float(chip.h100e.m_as("H100e")) == pytest.approx(1.0)


def test_h100e_falls_back_on_the_eight_bit_rate() -> None:
    # Without a 16-bit rate, the 8-bit rate over the H100 SXM's 1,979 (Epoch AI's H100e basis).
    chip = Accelerator(name="int only", throughput={"INT8": "1979 TOPS"})
    assert float(chip.h100e.m_as("H100e")) == pytest.approx(1.0)
    fp8 = Accelerator(name="fp8", throughput={"FP8": "1000 TFLOP/s", "INT8": "500 TOPS"})
    assert float(fp8.h100e.m_as("H100e")) == pytest.approx(1000 / 1979)
    # A 16-bit rate, where published, still decides.
    both = Accelerator(name="b", throughput={"BF16": "989.4 TFLOP/s", "FP8": "9000 TFLOP/s"})
    assert float(both.h100e.m_as("H100e")) == pytest.approx(1.0)


def test_h100e_is_none_without_a_sixteen_or_eight_bit_rate() -> None:
    chip = Accelerator(name="fp32 only", throughput={"FP32": "100 TFLOP/s"})
    assert chip.h100e is None


def test_flops_per_watt_and_bandwidth_per_flop() -> None:
    h100 = accelerator("H100 SXM")
    # 989.4 TFLOP/s BF16 over 700 W.
    assert float(h100.flops_per_watt.m_as("TFLOP/s/W")) == pytest.approx(989.4 / 700)
    h20 = accelerator("H20")
    # 4 TB/s over 148 TFLOP/s = 0.027 bytes per FLOP.
    assert float(h20.bandwidth_per_flop.m_as("B/FLOP")) == pytest.approx(4e12 / 148e12)


def test_rate_returns_a_throughput_at_that_precision() -> None:
    rate = accelerator("H100 SXM").rate("bf16")
    assert isinstance(rate, Throughput)
    assert rate.precision is Precision.BF16
    assert float(rate.value.m_as("TFLOP/s")) == pytest.approx(989.4)
    assert accelerator("H100 SXM").rate("FP4") is None


# --- construction ------------------------------------------------------------------------------


def test_plain_figures_are_marked_as_given_assumptions() -> None:
    chip = Accelerator(name="mine", throughput={"FP8": "1200 TFLOP/s"}, die_area="800 mm^2")
    figures = chip.figures()
    assert set(figures) == {"throughput.FP8", "die_area"}
    for est in figures.values():
        assert isinstance(est, Estimate)
        assert isinstance(est.source, fs.Assumption)
    assert tpp_of(chip) == pytest.approx(9600.0)
    assert float(chip.performance_density.m_as("TPP/mm**2")) == pytest.approx(12.0)


def test_estimates_keep_their_source() -> None:
    src = Source(title="My datasheet", publisher="Me", url="https://example.org/ds")
    est = Estimate(value="500 TOPS", source=src)
    chip = Accelerator(name="sourced", throughput={"INT8": est})
    assert chip.figures()["throughput.INT8"].source == src
    assert chip.sources() == [src]


def test_throughput_objects_are_accepted() -> None:
    chip = Accelerator(name="t", throughput=Throughput("600 TOPS", "INT8"))
    assert tpp_of(chip) == pytest.approx(4800.0)
    chip = Accelerator(name="t", throughput={"FP16": Throughput("300 TFLOP/s", "FP16")})
    assert tpp_of(chip) == pytest.approx(4800.0)


def test_throughput_object_under_another_precision_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"Accelerator\.throughput\[BF16\]"):
        Accelerator(name="t", throughput={"BF16": Throughput("300 TFLOP/s", "FP8")})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("die_area", "5 W"),
        ("memory", "80 W"),
        ("memory_bandwidth", "3 GB"),
        ("io_bandwidth", "900 mm^2"),
        ("tdp", "700 GB/s"),
    ],
)
def test_wrong_dimension_names_the_field(field: str, value: str) -> None:
    with pytest.raises(DimensionError, match=rf"Accelerator\.{field}"):
        Accelerator(name="x", **{field: value})


def test_wrong_dimension_in_throughput_names_the_precision() -> None:
    with pytest.raises(DimensionError, match=r"Accelerator\.throughput\[BF16\]"):
        Accelerator(name="x", throughput={"BF16": "5 W"})


@pytest.mark.parametrize("field", ["die_area", "memory", "memory_bandwidth", "tdp"])
def test_bare_float_names_the_field(field: str) -> None:
    with pytest.raises(MissingUnitError, match=rf"Accelerator\.{field}"):
        Accelerator(name="x", **{field: 600.0})


@pytest.mark.parametrize("field", ["die_area", "tdp"])
def test_bare_int_is_a_missing_unit(field: str) -> None:
    with pytest.raises(MissingUnitError, match=rf"Accelerator\.{field}"):
        Accelerator(name="x", **{field: 600})


def test_bare_int_is_refused_with_the_field_named() -> None:
    # Whatever the error class, a bare int must not be accepted, and the field is named.
    with pytest.raises(FullstackError, match=r"Accelerator\.die_area"):
        Accelerator(name="x", die_area=600)
    with pytest.raises(FullstackError, match=r"Accelerator\.throughput\[INT8\]"):
        Accelerator(name="x", throughput={"INT8": 600})


def test_bare_int_counts_hbm_stacks() -> None:
    chip = Accelerator(name="x", hbm_stacks=5)
    assert float(chip.hbm_stacks.value.m_as("hbm_stack")) == 5.0


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("die_area", math.nan),
        ("die_area", "nan mm^2"),
        ("die_area", fs.Q_(math.nan, "mm**2")),
        ("tdp", "inf W"),
        ("memory", fs.Q_(math.inf, "GB")),
    ],
)
def test_nan_and_infinity_are_refused(field: str, value: object) -> None:
    with pytest.raises(FullstackError, match=rf"Accelerator\.{field}"):
        Accelerator(name="x", **{field: value})


def test_nan_throughput_is_refused() -> None:
    with pytest.raises(FullstackError, match=r"Accelerator\.throughput\[BF16\]"):
        Accelerator(name="x", throughput={"BF16": fs.Q_(math.nan, "TFLOP/s")})


@pytest.mark.parametrize("field", ["die_area", "tdp", "memory"])
def test_negative_and_zero_figures_are_refused(field: str) -> None:
    unit = {"die_area": "mm^2", "tdp": "W", "memory": "GB"}[field]
    for magnitude in (-5, 0):
        with pytest.raises(ValidationError, match=rf"Accelerator\.{field}"):
            Accelerator(name="x", **{field: f"{magnitude} {unit}"})


def test_throughput_must_be_a_mapping() -> None:
    with pytest.raises(ValidationError, match=r"Accelerator\.throughput"):
        Accelerator(name="x", throughput=["600 TOPS"])


def test_unknown_precision_is_refused() -> None:
    with pytest.raises(FullstackError):
        Accelerator(name="x", throughput={"BF17": "1 TFLOP/s"})


@pytest.mark.parametrize("name", ["", "   ", None, 5])
def test_name_must_be_a_non_empty_string(name: object) -> None:
    with pytest.raises(ValidationError, match=r"Accelerator\.name"):
        Accelerator(name=name)


@pytest.mark.parametrize("value", ["yes", 1, 0, "true"])
def test_datacenter_must_be_bool_or_none(value: object) -> None:
    with pytest.raises(ValidationError, match=r"Accelerator\.datacenter"):
        Accelerator(name="x", datacenter=value)


@pytest.mark.parametrize("value", ["2023", 2023.0, True])
def test_year_must_be_an_int(value: object) -> None:
    with pytest.raises(ValidationError, match=r"Accelerator\.year"):
        Accelerator(name="x", year=value)


def test_a_single_alias_string_is_not_split_into_characters() -> None:
    try:
        chip = Accelerator(name="X", aliases="X1")
    except FullstackError:
        return  # refusing a bare string is fine too
    assert chip.aliases == ("X1",)


# --- immutability -------------------------------------------------------------------------------


def test_accelerator_is_frozen() -> None:
    chip = Accelerator(name="x", throughput={"INT8": "100 TOPS"})
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        chip.name = "y"  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        chip.die_area = "5 mm^2"  # type: ignore[misc]


def test_throughput_mapping_cannot_be_changed_in_place() -> None:
    chip = Accelerator(name="x", throughput={"INT8": "100 TOPS"})
    with pytest.raises(TypeError):
        chip.throughput[Precision.INT8] = chip.throughput[Precision.INT8]  # type: ignore[index]


def test_evolve_rechecks_fields() -> None:
    chip = Accelerator(name="x", throughput={"INT8": "100 TOPS"})
    bigger = attrs.evolve(chip, throughput={"INT8": "700 TOPS"})
    assert tpp_of(bigger) == pytest.approx(5600.0)
    assert tpp_of(chip) == pytest.approx(800.0)
    with pytest.raises(DimensionError):
        attrs.evolve(chip, die_area="5 W")


def test_equal_specs_are_equal_and_hashable() -> None:
    a = Accelerator(name="x", throughput={"INT8": "100 TOPS"}, die_area="100 mm^2")
    b = Accelerator(name="x", throughput={"INT8": "100 TOPS"}, die_area="100 mm^2")
    assert a == b
    assert hash(a) == hash(b)


# --- display -------------------------------------------------------------------------------------


def test_html_shows_the_figures_and_sources() -> None:
    html = accelerator("H20")._repr_html_()
    assert "H20" in html
    assert "Epoch AI" in html
    assert "TPP" in html
