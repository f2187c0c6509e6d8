"""fullstack.precision: precisions with their bit lengths, throughput that knows its precision."""

from __future__ import annotations

import operator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fullstack import (
    Q_,
    DimensionError,
    Precision,
    PrecisionError,
    Throughput,
    ValidationError,
)
from fullstack.testing import precisions, throughputs

# Bits per operand of each format. TF32 is 1 sign + 8 exponent + 10 mantissa bits; fullstack
# counts those 19 bits, as Epoch AI's TPP figures do (see Precision's docstring).
BITS = {
    "FP64": 64,
    "FP32": 32,
    "TF32": 19,
    "FP16": 16,
    "BF16": 16,
    "FP8": 8,
    "FP6": 6,
    "FP4": 4,
    "INT16": 16,
    "INT8": 8,
    "INT4": 4,
}


def test_bit_lengths() -> None:
    assert {p.name: p.bit_length for p in Precision} == BITS


def test_integer_formats() -> None:
    assert {p.name for p in Precision if p.is_integer} == {"INT16", "INT8", "INT4"}


@pytest.mark.parametrize("text", ["bf16", " BF16 ", "bf-16", "Bf_16", "b f 1 6"])
def test_parse_forgives_case_spaces_and_dashes(text: str) -> None:
    assert Precision.parse(text) is Precision.BF16


@pytest.mark.parametrize("value", ["FP7", "", 16, None])
def test_parse_refuses_unknown_precisions(value: object) -> None:
    with pytest.raises(ValidationError, match="expected one of FP64"):
        Precision.parse(value)


# --- Throughput ---------------------------------------------------------------------------------

COMBINE = {
    "addition": operator.add,
    "subtraction": operator.sub,
    "comparison": operator.lt,
    "comparison <=": operator.le,
    "comparison >": operator.gt,
    "comparison >=": operator.ge,
    "division": operator.truediv,
}


@given(
    st.lists(precisions(), min_size=2, max_size=2, unique=True).flatmap(
        lambda p: st.tuples(throughputs(p[0]), throughputs(p[1]))
    )
)
def test_throughputs_of_different_precisions_do_not_mix(pair: tuple[Throughput, ...]) -> None:
    a, b = pair
    for name, op in COMBINE.items():
        with pytest.raises(PrecisionError) as info:
            op(a, b)
        assert (info.value.left, info.value.right) == (a.precision.name, b.precision.name), name
        assert f"as_precision(Precision.{a.precision.name}" in str(info.value)
    assert a != b


@given(precisions().flatmap(lambda p: st.tuples(throughputs(p), throughputs(p))))
def test_throughputs_of_one_precision_combine(pair: tuple[Throughput, ...]) -> None:
    a, b = pair
    total = a + b
    assert total.precision is a.precision
    assert total.value.to("FLOP/s").magnitude == pytest.approx(
        a.value.to("FLOP/s").magnitude + b.value.to("FLOP/s").magnitude
    )
    assert isinstance(a <= b, bool)
    assert (a * 2).precision is a.precision


@given(throughputs())
def test_throughputs_read_back_from_their_text(t: Throughput) -> None:
    back = Throughput.parse(str(t))
    assert back == t
    assert back.value.units == t.value.units


def test_throughput_refuses_other_dimensions_and_operands() -> None:
    for value in ("5 MW", "5 FLOP", "5 Hz"):
        with pytest.raises(DimensionError):
            Throughput(value, "BF16")
    t = Throughput("1 PFLOP/s", "BF16")
    with pytest.raises(ValidationError) as info:
        t + Q_("1 PFLOP/s")
    assert "1.0 PFLOP/s" in str(info.value)
    with pytest.raises(ValidationError):
        t * Q_("2 s")
    with pytest.raises(ValidationError):
        Throughput.parse("989 TFLOP/s")


def test_arrays_of_throughput() -> None:
    fleet = Throughput(Q_(np.array([1.0, 2.5]), "EFLOP/s"), "FP8")
    assert list((fleet * 2).value.magnitude) == [2.0, 5.0]


def test_as_precision_states_the_ratio() -> None:
    fp8 = Throughput("1979 TFLOP/s", "FP8")
    bf16 = fp8.as_precision("BF16", ratio=0.5)
    assert bf16.precision is Precision.BF16
    assert bf16.value.to("TFLOP/s").magnitude == pytest.approx(989.5)
    for bad in (0, -1, True, "2"):
        with pytest.raises(ValidationError):
            fp8.as_precision("BF16", ratio=bad)  # type: ignore[arg-type]


# --- TPP and H100-equivalents --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("throughput", "precision", "tpp"),
    [
        ("600 TOPS", "INT8", 4800),  # BIS's example: 600 tera integer operations at 8 bits
        ("300 TFLOP/s", "FP16", 4800),  # BIS's example: 300 TFLOPS at 16 bits
        ("1979 TOPS", "INT8", 15832),  # H100 SXM, dense
        ("989.4 TFLOP/s", "BF16", 15830.4),
        ("190 TFLOP/s", "TF32", 3610),  # Epoch AI's TPP for AWS Trainium1 and Inferentia2
        ("67 TFLOP/s", "FP64", 4288),
    ],
)
def test_tpp_is_throughput_times_bit_length(throughput: str, precision: str, tpp: float) -> None:
    result = Throughput(throughput, precision).tpp
    assert result.units == Q_(1, "TPP").units
    assert result.magnitude == pytest.approx(tpp)


def test_h100e_needs_bf16() -> None:
    assert Throughput("989.4 TFLOP/s", "BF16").h100e.magnitude == pytest.approx(1)
    assert Throughput("300 EFLOP/s", "BF16").h100e.magnitude == pytest.approx(300e18 / 989.4e12)
    for precision in set(Precision) - {Precision.BF16}:
        with pytest.raises(PrecisionError) as info:
            _ = Throughput("1 PFLOP/s", precision).h100e
        assert info.value.required is True
        assert "as_precision(Precision.BF16, ratio" in str(info.value)
        assert precision.name in str(info.value)
