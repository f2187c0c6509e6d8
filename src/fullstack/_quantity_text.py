"""The text of quantities, both ways: the grammar `fullstack.units` parses, and `format_value`.

Everything here works on text and on the quantity objects it is given, so it imports nothing
from fullstack: `fullstack.units` builds on it (parsing), and any module may use `format_value`
(the CLI, HTML reprs, tables, the demo). What `format_value` writes, `fullstack.Q_` reads back.

Example:
    >>> from fullstack import Q_
    >>> format_value(Q_(3.5e11, "CNY/year")), format_value(Q_(1600.0000000000002, "GB/s"))
    ('350 billion CNY/year', '1.6 TB/s')
"""

from __future__ import annotations

import contextlib
import math
import numbers
import re
from typing import Any, Final

__all__ = ["format_value"]

# A magnitude followed by a unit expression: "300 EFLOP/s", "-1.5e3 CNY/kWh", "nan W", and the
# display forms `format_value` writes: "45,000 wafer/month", "350 billion CNY/year".
QUANTITY_TEXT: Final = re.compile(
    r"^\s*(?P<mag>[+-]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|(?:(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?)|nan|inf|infinity))"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion)\b)?"
    r"\s*(?P<unit>.*?)\s*$",
    re.IGNORECASE,
)
SCALE_WORDS: Final = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

# Characters that never appear in a unit expression; pint would ignore some of them silently
# ("GW, MW" parses as GW * MW) and crash on others.
NOT_IN_UNITS: Final = re.compile(r"""[,;:#=!?"'`\[\]{}<>@&|$~\\]""")
_TRAILING_OPERATOR: Final = re.compile(r"(\*\*|[*/^+-])\s*$")


def syntax_problem(text: str) -> str | None:
    """What is wrong with a unit expression that pint cannot parse, if it can be told.

    Example:
        >>> syntax_problem("GW /"), syntax_problem("GW")
        ("it ends with the operator '/'", None)
    """
    bad = NOT_IN_UNITS.search(text)
    if bad:
        return f"unexpected character {bad.group()!r}"
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return "a ')' without its '('"
    if depth > 0:
        return "a '(' without its ')'"
    trailing = _TRAILING_OPERATOR.search(text)
    if trailing:
        return f"it ends with the operator {trailing.group(1)!r}"
    if text.lstrip()[:1] in ("*", "/", "^"):
        return f"it starts with the operator {text.lstrip()[0]!r}"
    return None


NAMED_UNITS: Final = (
    ("", "a dimensionless number"),
    ("W", "a power"),
    ("J", "an energy"),
    ("FLOP", "an amount of computation"),
    ("FLOP/s", "a compute throughput"),
    ("TPP", "a total processing performance (TPP)"),
    ("TPP/mm^2", "a performance density"),
    ("bit", "an amount of information"),
    ("bit/s", "a bandwidth"),
    ("bit/s/mm^2", "a bandwidth density"),
    ("m", "a length"),
    ("m^2", "an area"),
    ("s", "a time"),
    ("kg", "a mass"),
    ("K", "a temperature"),
    ("Hz", "a frequency"),
    ("wafer", "a number of wafers"),
    ("wafer/s", "a wafer throughput"),
    ("die", "a number of dies"),
    ("chip", "a number of chips"),
    ("chip/s", "a chip output rate"),
    ("hbm_stack", "a number of HBM stacks"),
    ("token", "a number of tokens"),
    ("token/s", "a token rate"),
    ("USD", "an amount of money in USD"),
    ("CNY", "an amount of money in CNY"),
    ("EUR", "an amount of money in EUR"),
    ("USD/s", "a spending rate in USD"),
    ("CNY/s", "a spending rate in CNY"),
    ("USD/J", "an energy price in USD"),
    ("CNY/J", "an energy price in CNY"),
    ("FLOP/J", "an energy efficiency"),
)
"""Units whose dimension has a name of its own: what `fullstack.describe_dimension` says."""


# --- display -------------------------------------------------------------------------------------

# Units people count in words ("350 billion CNY", "6.4 million hbm_stack"), never with a prefix.
_WORD_UNITS: Final = frozenset(
    {"USD", "CNY", "EUR", "wafer", "die", "chip", "hbm_stack", "token", "H100e", "TPP"}
)
# Units that take the SI prefix that suits the value ("1.6 TB/s", "500 MW").
_PREFIXED_UNITS: Final = frozenset(
    {"watt", "watt_hour", "joule", "byte", "bit", "FLOP", "OP", "FLOPS", "OPS", "hertz"}
)
_SCALES: Final = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def _number(x: float, digits: int) -> str:
    if not math.isfinite(x):
        return str(x)
    if 10 ** (digits - 1) <= abs(x) < 1e15:
        return f"{round(x):,}"
    return f"{x:.{digits}g}"


def _unprefixed(q: Any) -> tuple[Any, bool]:
    """``q`` with word units unprefixed (GCNY -> CNY), and whether it has any word unit."""
    registry = q._REGISTRY
    parts: list[str] = []
    words = False
    for name, exp in q.units._units.items():
        _prefix, base, suffix = registry.parse_unit_name(name)[0]
        if base in _WORD_UNITS:
            words = True
            name = base + suffix
        parts.append(f"{name} ** {exp}")
    return (q.to(" * ".join(parts)) if words else q), words


def format_value(value: Any, *, digits: int = 4, keep_unit: bool = False) -> str:
    """A value as people read it, in text that `fullstack.Q_` reads back.

    Money and counts are written with words (``350 billion CNY/year``, ``6.4 million
    hbm_stack/year``), physical units with the SI prefix that suits the value (``1.6 TB/s``, not
    ``1600.0000000000002 GB/s``), years as ``year``. Numbers keep ``digits`` significant
    digits; large ones get thousands separators (``45,000 wafer/month``). None is ``-``.

    This is the one formatting function of the CLI, the HTML reprs, tables and the demo.
    `fullstack.format_quantity` is the exact form written to files.

    Args:
        value: A quantity, a number, None or anything else (shown with ``str``).
        digits: Significant digits.
        keep_unit: Keep the quantity's unit as it is (a unit the reader asked for): no words,
            no change of prefix.

    Returns:
        The text.

    Example:
        >>> from fullstack import Q_
        >>> format_value(Q_("344 GCNY")), format_value(Q_(6.4e6, "hbm_stack/a"))
        ('344 billion CNY', '6.4 million hbm_stack/year')
        >>> format_value(Q_(45_000, "wafer/month")), format_value(0.25), format_value(None)
        ('45,000 wafer/month', '0.25', '-')
        >>> format_value(Q_("0.5 GW")), format_value(Q_("0.36 CNY/kWh")), format_value(2026)
        ('500 MW', '0.36 CNY/kWh', '2026')
        >>> format_value(Q_("303214.069 H100e"), keep_unit=True)
        '303,214 H100e'
    """
    if value is None:
        return "-"
    if isinstance(value, str | bool) or not _scalar(value):
        return str(value)
    if not hasattr(value, "units"):
        if isinstance(value, numbers.Integral):
            return f"{int(value):,}" if abs(int(value)) >= 10_000 else str(int(value))
        return _number(float(value), digits)
    q, words = (value, False) if keep_unit else _unprefixed(value)
    if not words and not keep_unit:
        first, power = next(iter(q.units._units.items()), ("", 0))
        base = q._REGISTRY.parse_unit_name(first)[0][1] if first else ""
        if base in _PREFIXED_UNITS and power == 1 and math.isfinite(float(q.magnitude)):
            with contextlib.suppress(ArithmeticError, ValueError):  # 0, or beyond any prefix
                q = q.to_compact()
    magnitude = float(q.magnitude)
    unit = f"{q.units:~P}"
    if words:
        for scale, word in _SCALES:
            if abs(magnitude) >= scale:
                return f"{_number(magnitude / scale, digits)} {word} {unit}"
    number = _number(magnitude, digits)
    return f"{number} {unit}" if unit else number


def _scalar(value: Any) -> bool:
    """Whether ``value`` is a scalar quantity or a numpy number."""
    magnitude = getattr(value, "magnitude", value)
    if getattr(magnitude, "ndim", 0) != 0:
        return False
    try:
        float(magnitude)
    except (TypeError, ValueError):
        return False
    return True
