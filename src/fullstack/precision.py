"""Numeric precisions and throughput that knows its precision.

A chip's FP8 rate is usually twice its BF16 rate, so "FLOP/s" without a precision is ambiguous.
`Throughput` pairs a compute-throughput quantity with a `Precision`; adding, subtracting or
comparing throughputs of different precisions raises `PrecisionError` unless the conversion is
stated with `Throughput.as_precision`.

Example:
    >>> from fullstack import Throughput, Precision
    >>> h100 = Throughput("989.4 TFLOP/s", Precision.BF16)
    >>> h100.tpp
    <Quantity(15830.4, 'TPP')>
    >>> h100.h100e
    <Quantity(1.0, 'H100e')>
"""

from __future__ import annotations

import enum
import re
from typing import Any, Final

import attrs

from fullstack.errors import PrecisionError, ValidationError, _given
from fullstack.units import Q_, Quantity, check_quantity

__all__ = ["Precision", "Throughput"]


class Precision(enum.Enum):
    """A numeric format an accelerator computes in, with its bit length.

    The bit length is the one the US export rules multiply by to get TPP ("2 × MacTOPS × bit
    length of the operation", ECCN 3A090): the width of the format's operands.

    **TF32 counts as 19 bits.** TensorFloat-32 has 1 sign, 8 exponent and 10 mantissa bits,
    held in a 32-bit register. The rule does not say which of the two is "the bit length of the
    operation", and no BIS guidance on it was found. fullstack follows Epoch AI's *Data on
    Machine Learning Hardware*, whose total-processing-performance column counts TF32 at 19
    bits: it gives AWS Trainium1 and Inferentia2 a TPP of 3,610, their TF32 rate (190 TFLOP/s)
    × 19, which matches no other precision of those chips (at 32 bits it would be 6,080). This
    is read from Epoch's figures, not from a stated rule. On NVIDIA parts, whose TF32 rate is
    half the FP16 rate, TF32 never sets the TPP at 19 bits and only ties FP16 at 32. Where the
    TF32 rate equals the FP16 rate, the choice can move TPP across the 4,800 line; for the
    reading that counts the 32-bit register, scale a TF32 throughput's `tpp` by 32/19.

    Example:
        >>> Precision.parse("bf16").bit_length
        16
        >>> Precision.TF32.bit_length
        19
    """

    FP64 = "FP64"
    FP32 = "FP32"
    TF32 = "TF32"
    FP16 = "FP16"
    BF16 = "BF16"
    FP8 = "FP8"
    FP6 = "FP6"
    FP4 = "FP4"
    INT16 = "INT16"
    INT8 = "INT8"
    INT4 = "INT4"

    @property
    def bit_length(self) -> int:
        """Bits per operand, as the export rules count them.

        Example:
            >>> Precision.FP8.bit_length
            8
        """
        return _BITS[self]

    @property
    def is_integer(self) -> bool:
        """Whether this is an integer format (its throughput is in OP/s).

        Example:
            >>> Precision.INT8.is_integer
            True
        """
        return self.value.startswith("INT")

    @classmethod
    def parse(cls, value: Any) -> Precision:
        """Read a precision from text, forgiving case, spaces and dashes (``"fp-8"``).

        Raises:
            ValidationError: If the text names no known precision.

        Example:
            >>> Precision.parse(" Fp16 ")
            <Precision.FP16: 'FP16'>
        """
        if isinstance(value, Precision):
            return value
        if isinstance(value, str):
            key = re.sub(r"[\s_\-]", "", value).upper()
            if key in cls.__members__:
                return cls[key]
        names = ", ".join(cls.__members__)
        raise ValidationError("precision", f"one of {names}", repr(value))


_BITS: Final = {
    Precision.FP64: 64,
    Precision.FP32: 32,
    Precision.TF32: 19,
    Precision.FP16: 16,
    Precision.BF16: 16,
    Precision.FP8: 8,
    Precision.FP6: 6,
    Precision.FP4: 4,
    Precision.INT16: 16,
    Precision.INT8: 8,
    Precision.INT4: 4,
}

_TEXT: Final = re.compile(r"^(?P<value>.+?)\s*@\s*(?P<precision>[A-Za-z0-9_\- ]+)$")


def _throughput_value(value: Any) -> Quantity:
    """Check that ``value`` is a compute throughput (FLOP/s or OP/s, any prefix)."""
    return check_quantity(
        value, "FLOP/s", where="Throughput.value", nonnegative=False, convert=False
    )


def _parse_precision(value: Any) -> Precision:
    return Precision.parse(value)


def _same(where: str, a: Throughput, b: Any) -> Throughput:
    if not isinstance(b, Throughput):
        raise ValidationError(where, "a Throughput", _given(b))
    if a.precision is not b.precision:
        raise PrecisionError(where, a.precision.name, b.precision.name)
    return b


@attrs.frozen
class Throughput:
    """A compute throughput at a stated precision: ``Throughput("989.4 TFLOP/s", "BF16")``.

    Arithmetic and comparisons between throughputs require the same precision; multiply or
    divide by plain numbers freely. Magnitudes may be numpy arrays (a fleet, a sweep).

    Attributes:
        value: The throughput (FLOP/s or OP/s; any prefix, kept as given).
        precision: The numeric format it is measured in.

    Example:
        >>> a = Throughput("1 PFLOP/s", "FP8")
        >>> (a + a * 2).value
        <Quantity(3.0, 'petaFLOP / second')>
        >>> a + Throughput("1 PFLOP/s", "BF16")
        Traceback (most recent call last):
        ...
        fullstack.PrecisionError: addition: cannot combine FP8 and BF16 throughput; state the conversion, e.g. throughput.as_precision(Precision.FP8, ratio=...)
    """  # noqa: E501

    value: Quantity = attrs.field(converter=_throughput_value)
    precision: Precision = attrs.field(converter=_parse_precision)

    @classmethod
    def parse(cls, text: object) -> Throughput:
        """Read ``"<quantity> @ <precision>"``, the format `str` writes.

        Example:
            >>> Throughput.parse("296 TFLOP/s @ FP8").precision
            <Precision.FP8: 'FP8'>
        """
        match = _TEXT.match(text) if isinstance(text, str) else None
        if match is None:
            raise ValidationError("Throughput", "text like '989.4 TFLOP/s @ BF16'", repr(text))
        return cls(match["value"], match["precision"])

    def __str__(self) -> str:
        # Compact symbols with plain exponents ("1e+16", not "1×10¹⁶"), so that `parse` reads
        # the text back.
        return f"{self.value:~C} @ {self.precision.name}"

    def _repr_html_(self) -> str:
        return f"<code>{self.value:~H}</code> at <b>{self.precision.name}</b>"

    # --- arithmetic ----------------------------------------------------------------------------

    def __add__(self, other: Any) -> Throughput:
        o = _same("addition", self, other)
        return Throughput(self.value + o.value, self.precision)

    def __sub__(self, other: Any) -> Throughput:
        o = _same("subtraction", self, other)
        return Throughput(self.value - o.value, self.precision)

    def __mul__(self, factor: Any) -> Throughput:
        if isinstance(factor, Throughput) or hasattr(factor, "units"):
            raise ValidationError("Throughput multiplication", "a plain number", _given(factor))
        return Throughput(self.value * factor, self.precision)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        if isinstance(other, Throughput):
            o = _same("division", self, other)
            return (self.value / o.value).to("dimensionless").magnitude
        if hasattr(other, "units"):
            return self.value / other  # e.g. per chip, per watt: leaves Throughput
        return Throughput(self.value / other, self.precision)

    def _cmp(self, other: Any, where: str) -> tuple[Quantity, Quantity]:
        o = _same(where, self, other)
        return self.value, o.value

    def __lt__(self, other: Any) -> Any:
        a, b = self._cmp(other, "comparison")
        return a < b

    def __le__(self, other: Any) -> Any:
        a, b = self._cmp(other, "comparison")
        return a <= b

    def __gt__(self, other: Any) -> Any:
        a, b = self._cmp(other, "comparison")
        return a > b

    def __ge__(self, other: Any) -> Any:
        a, b = self._cmp(other, "comparison")
        return a >= b

    # --- conversions ---------------------------------------------------------------------------

    def to(self, unit: str) -> Throughput:
        """The same throughput in other units (``"EFLOP/s"``, ``"H100e"``...).

        Example:
            >>> Throughput("2000 TFLOP/s", "BF16").to("PFLOP/s").value
            <Quantity(2.0, 'petaFLOP / second')>
        """
        return Throughput(self.value.to(unit), self.precision)

    def as_precision(self, precision: Precision | str, *, ratio: float) -> Throughput:
        """State a conversion to another precision: ``value × ratio`` at ``precision``.

        For example, on hardware whose FP8 rate is twice its BF16 rate,
        ``bf16.as_precision("FP8", ratio=2.0)``. The library never guesses the ratio.

        Example:
            >>> Throughput("1 PFLOP/s", "BF16").as_precision("FP8", ratio=2.0).value
            <Quantity(2.0, 'petaFLOP / second')>
        """
        factor: object = ratio
        if isinstance(factor, bool) or not isinstance(factor, int | float) or not factor > 0:
            raise ValidationError("Throughput.as_precision.ratio", "a positive number", ratio)
        return Throughput(self.value * factor, precision)

    @property
    def tpp(self) -> Quantity:
        """Total processing performance: throughput × bit length, in ``TPP``.

        This is the export rules' 2 × MacTOPS × bit length for one precision; a chip's TPP is
        the highest over its precisions.

        Example:
            >>> Throughput("600 TOPS", "INT8").tpp
            <Quantity(4800.0, 'TPP')>
        """
        tpp: Quantity = (self.value * Q_(self.precision.bit_length, "bit")).to("TPP")
        return tpp

    @property
    def h100e(self) -> Quantity:
        """This throughput in H100-equivalents (dense BF16 of one H100 SXM).

        Only defined for BF16: convert other precisions explicitly with `as_precision` first,
        stating the chip's BF16-to-this-precision ratio.

        Raises:
            PrecisionError: If the precision is not BF16.

        Example:
            >>> Throughput("1978.8 TFLOP/s", "BF16").h100e
            <Quantity(2.0, 'H100e')>
            >>> fp8 = Throughput("1979 TFLOP/s", "FP8")
            >>> fp8.h100e
            Traceback (most recent call last):
            ...
            fullstack.PrecisionError: H100-equivalents: needs BF16 throughput, got FP8; state the conversion, e.g. throughput.as_precision(Precision.BF16, ratio=...)
            >>> round(fp8.as_precision("BF16", ratio=0.5).h100e, 4)
            <Quantity(1.0001, 'H100e')>
        """  # noqa: E501
        if self.precision is not Precision.BF16:
            raise PrecisionError(
                "H100-equivalents", self.precision.name, Precision.BF16.name, required=True
            )
        return self.value.to("H100e")
