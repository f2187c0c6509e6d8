"""Hypothesis strategies for fullstack's types, for our tests and for yours.

Needs the ``testing`` extra (``pip install 'fullstack[testing]'``), which brings hypothesis.

Example:
    >>> from hypothesis import given
    >>> from fullstack.testing import quantities
    >>> @given(quantities("GW", max_value=10))
    ... def test_power_is_nonnegative(p):
    ...     assert p.magnitude >= 0
    >>> test_power_is_nonnegative()
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Final

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    msg = "fullstack.testing needs hypothesis: pip install 'fullstack[testing]'"
    raise ImportError(msg) from exc

from fullstack.precision import Precision, Throughput
from fullstack.provenance import Assumption, Confidence, Estimate, Source
from fullstack.units import CURRENCIES, Q_, parse_unit, ureg

if TYPE_CHECKING:
    from fullstack.units import Quantity

__all__ = [
    "UNIT_ATOMS",
    "any_quantities",
    "assumptions",
    "compatible_units",
    "estimates",
    "money",
    "precisions",
    "provenances",
    "quantities",
    "sources",
    "throughputs",
    "unit_expressions",
    "wrong_dimension_quantities",
]

UNIT_ATOMS: Final = (
    "m",
    "mm",
    "s",
    "hour",
    "month",
    "year",
    "kg",
    "K",
    "A",
    "W",
    "MW",
    "GW",
    "J",
    "kWh",
    "TWh",
    "FLOP",
    "EFLOP",
    "OP",
    "TOPS",
    "PFLOP/s",
    "H100e",
    "TPP",
    "bit",
    "byte",
    "GB",
    "TB/s",
    "USD",
    "GUSD",
    "CNY",
    "GCNY",
    "EUR",
    "wafer",
    "die",
    "chip",
    "hbm_stack",
    "token",
    "Hz",
)
"""Units of many dimensions that fullstack users meet; `unit_expressions` combines them.

Example:
    >>> "wafer" in UNIT_ATOMS
    True
"""

_PREFIXES: Final = ("", "k", "M", "G", "T", "P", "E")


@functools.cache
def compatible_units(unit: str) -> tuple[str, ...]:
    """Unit strings of the same dimension as ``unit`` (itself, prefixed forms, other atoms).

    Example:
        >>> "kW" in compatible_units("W")
        True
    """
    target = parse_unit(unit).dimensionality
    found = [unit]
    for atom in UNIT_ATOMS:
        if parse_unit(atom).dimensionality == target:
            found.append(atom)
    for name in (unit, *found):
        for prefix in _PREFIXES[1:]:
            candidate = prefix + name
            if candidate not in ureg:
                continue
            try:
                unit_obj = parse_unit(candidate)
            except Exception:
                continue
            if unit_obj.dimensionality == target:
                found.append(candidate)
    return tuple(dict.fromkeys(found))


def _magnitudes(min_value: float, max_value: float) -> st.SearchStrategy[float]:
    return st.floats(
        min_value=min_value, max_value=max_value, allow_nan=False, allow_infinity=False
    )


def quantities(
    unit: str,
    *,
    min_value: float = 0.0,
    max_value: float = 1e12,
    any_compatible_unit: bool = True,
) -> st.SearchStrategy[Quantity]:
    """Quantities of ``unit``'s dimension, expressed in ``unit`` or a compatible unit.

    The magnitude bounds apply in ``unit``.

    Args:
        unit: Fixes the dimension, e.g. ``"GW"``.
        min_value: Smallest magnitude, in ``unit``.
        max_value: Largest magnitude, in ``unit``.
        any_compatible_unit: Express values in random compatible units (``MW``, ``kW``...).

    Example:
        >>> q = find(quantities("wafer/month"), lambda _: True)
        >>> q.dimensionality == Q_("1 wafer/s").dimensionality
        True
    """
    base = _magnitudes(min_value, max_value).map(lambda m: Q_(m, unit))
    if not any_compatible_unit:
        return base
    return st.tuples(base, st.sampled_from(compatible_units(unit))).map(lambda t: t[0].to(t[1]))


def unit_expressions(max_atoms: int = 3) -> st.SearchStrategy[str]:
    """Unit expressions built from `UNIT_ATOMS` with small integer exponents.

    Example:
        >>> isinstance(find(unit_expressions(), lambda _: True), str)
        True
    """
    term = st.tuples(st.sampled_from(UNIT_ATOMS), st.sampled_from((-2, -1, 1, 2, 3))).map(
        lambda t: f"({t[0]})**{t[1]}"
    )
    return st.lists(term, min_size=1, max_size=max_atoms).map(" * ".join)


def any_quantities(max_atoms: int = 3) -> st.SearchStrategy[Quantity]:
    """Finite, non-negative quantities of arbitrary dimension.

    Example:
        >>> find(any_quantities(), lambda _: True).magnitude >= 0
        True
    """
    return st.tuples(_magnitudes(0.0, 1e15), unit_expressions(max_atoms)).map(
        lambda t: Q_(t[0], parse_unit(t[1]))
    )


def wrong_dimension_quantities(unit: str) -> st.SearchStrategy[Quantity]:
    """Quantities whose dimension differs from ``unit``'s: what a field of ``unit`` must refuse.

    Example:
        >>> q = find(wrong_dimension_quantities("W"), lambda _: True)
        >>> q.dimensionality != Q_("1 W").dimensionality
        True
    """
    target = parse_unit(unit).dimensionality
    return any_quantities().filter(lambda q: q.dimensionality != target)


def money(
    currencies: tuple[str, ...] = CURRENCIES, *, max_value: float = 1e13
) -> st.SearchStrategy[Quantity]:
    """Amounts of money in one of ``currencies`` (prefixed forms included).

    Example:
        >>> from fullstack import currency_of
        >>> currency_of(find(money(("CNY",)), lambda _: True))
        'CNY'
    """
    return st.sampled_from(currencies).flatmap(lambda c: quantities(c, max_value=max_value))


_TEXT: Final = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs", "P")),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() != "")

_DATES: Final = st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}") | st.integers(
    1900, 2100
).map(str)


def sources() -> st.SearchStrategy[Source]:
    """Valid `Source` values with varied, partly optional fields.

    Example:
        >>> find(sources(), lambda _: True).title != ""
        True
    """
    return st.builds(
        Source,
        title=_TEXT,
        publisher=_TEXT,
        authors=st.lists(_TEXT, max_size=3).map(tuple),
        date=st.none() | _DATES,
        url=st.none() | st.from_regex(r"\Ahttps://[a-z]{1,12}\.(org|gov|com)/[a-z0-9/]{0,20}\Z"),
        accessed=st.none() | _DATES,
        note=st.just("") | _TEXT,
        confidence=st.sampled_from(Confidence),
        license=st.none() | st.just("CC BY 4.0"),
    )


def assumptions() -> st.SearchStrategy[Assumption]:
    """Valid `Assumption` values.

    Example:
        >>> find(assumptions(), lambda _: True).reason != ""
        True
    """
    return st.builds(
        Assumption,
        reason=_TEXT,
        confidence=st.sampled_from(Confidence),
        basis=st.lists(sources(), max_size=2).map(tuple),
    )


def provenances() -> st.SearchStrategy[Source | Assumption]:
    """A `Source` or an `Assumption`.

    Example:
        >>> from fullstack import Source, Assumption
        >>> isinstance(find(provenances(), lambda _: True), (Source, Assumption))
        True
    """
    return sources() | assumptions()


def estimates(unit: str | None = "TFLOP/s", *, max_value: float = 1e6) -> st.SearchStrategy[Any]:
    """Valid `Estimate` values in ``unit`` (plain numbers if ``unit`` is None), low ≤ value ≤ high.

    Example:
        >>> e = find(estimates("W"), lambda _: True)
        >>> e.low is None or e.low <= e.value
        True
    """

    @st.composite
    def build(draw: st.DrawFn) -> Estimate:
        points = sorted(draw(st.lists(_magnitudes(0.0, max_value), min_size=3, max_size=3)))
        low, value, high = points
        wrap = (lambda m: Q_(m, unit)) if unit else float
        return Estimate(
            value=wrap(value),
            low=draw(st.none() | st.just(wrap(low))),
            high=draw(st.none() | st.just(wrap(high))),
            source=draw(provenances()),
        )

    return build()


def precisions() -> st.SearchStrategy[Precision]:
    """Any `Precision`.

    Example:
        >>> find(precisions(), lambda _: True).bit_length > 0
        True
    """
    return st.sampled_from(Precision)


def throughputs(
    precision: Precision | None = None, *, max_value: float = 1e21
) -> st.SearchStrategy[Throughput]:
    """`Throughput` values, at ``precision`` or at any precision.

    Example:
        >>> find(throughputs(Precision.FP8), lambda _: True).precision
        <Precision.FP8: 'FP8'>
    """
    prec = st.just(precision) if precision is not None else precisions()
    return st.builds(Throughput, quantities("FLOP/s", max_value=max_value), prec)
