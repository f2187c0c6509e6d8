"""Effects: what an instrument does to one parameter in one year, and how effects combine.

Four kinds, each on a named parameter in a given year:

- `Add`: add a quantity (``+5 GW`` of data-center power).
- `Scale`: multiply by a factor (utilization × 1.2).
- `Floor`: at least this value (a localization mandate's minimum domestic share).
- `Cap`: at most this value (an export control's import cap).

One combination rule per parameter and year, whatever the order of instruments::

    value = clamp((base + Σ add) × Π scale, max(floors), min(caps))

Caps are applied last, so when a floor and a cap conflict the cap wins. Fractions are kept in
[0, 1]. Sums and products are taken in a fixed (sorted) order, so reordering instruments never
changes a result, not even in the last bit.

Example:
    >>> effects = [Add("cn.datacenter.power", 2026, "2 GW"),
    ...            Scale("cn.datacenter.power", 2026, 1.5)]
    >>> combine(Q_("4 GW"), effects)
    <Quantity(9.0, 'gigawatt')>
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import attrs

from fullstack._data import FRACTION
from fullstack._validators import check_year
from fullstack.errors import DimensionError, ValidationError
from fullstack.policy.parameters import ParameterName, parameter
from fullstack.units import Q_, check_quantity, currency_of

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Add", "Cap", "Effect", "Floor", "Scale", "combine"]


def _unit_check(value: Any, name: ParameterName, where: str) -> Any:
    """Check ``value`` against the parameter's unit; fractions are plain numbers in [0, 1]."""
    unit = name.unit
    if unit == FRACTION:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(where, f"a plain number (a fraction, for {name})", repr(value))
        x = float(value)
        if not math.isfinite(x):
            raise ValidationError(where, "a finite number", repr(value))
        return x
    if "{currency}" in unit:
        from fullstack.units import to_quantity

        q = to_quantity(value, where=where, expected=f"money ({unit}) for {name}")
        cur = currency_of(q)
        if cur is None:
            raise DimensionError(where, f"money like '1 CNY' ({unit}) for {name}", str(q))
        return check_quantity(q, unit.replace("{currency}", cur), where=where, nonnegative=False)
    if unit == "dimensionless" and isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(float(value)):
            raise ValidationError(where, "a finite number", repr(value))
        return Q_(float(value), "dimensionless")  # a plain ratio (PUE, an overhead, an index)
    return check_quantity(value, unit, where=where, nonnegative=False)


def _to_parameter(value: Any) -> ParameterName:
    return parameter(value)


@attrs.frozen
class Effect:
    """An effect on one parameter in one year (use `Add`, `Scale`, `Floor` or `Cap`).

    Attributes:
        parameter: The parameter's dotted name (checked against the registry).
        year: The year the effect applies to.

    Example:
        >>> e = Add("cn.datacenter.power", 2026, "1 GW")
        >>> isinstance(e, Effect), str(e.parameter), e.year
        (True, 'cn.datacenter.power', 2026)
    """

    parameter: ParameterName = attrs.field(converter=_to_parameter)
    year: int = attrs.field(validator=check_year)


@attrs.frozen
class Add(Effect):
    """Add a quantity in the parameter's unit.

    Example:
        >>> Add("cn.datacenter.power", 2026, "500 MW").value
        <Quantity(0.5, 'gigawatt')>
    """

    value: Any = attrs.field(default=0.0)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self, "value", _unit_check(self.value, self.parameter, f"Add({self.parameter}).value")
        )


@attrs.frozen
class Scale(Effect):
    """Multiply by a plain, non-negative factor.

    Example:
        >>> Scale("cn.datacenter.utilization", 2026, 1.2).factor
        1.2
    """

    factor: float = attrs.field(default=1.0)

    def __attrs_post_init__(self) -> None:
        f: object = self.factor
        if isinstance(f, bool) or not isinstance(f, int | float) or not (0 <= f < math.inf):
            raise ValidationError(
                f"Scale({self.parameter}).factor", "a finite, non-negative number", repr(f)
            )
        object.__setattr__(self, "factor", float(f))


@attrs.frozen
class Floor(Effect):
    """Keep the parameter at or above a value.

    Example:
        >>> Floor("cn.supply.domestic_floor[chip_design]", 2027, 0.5).value
        0.5
    """

    value: Any = attrs.field(default=0.0)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self,
            "value",
            _unit_check(self.value, self.parameter, f"Floor({self.parameter}).value"),
        )


@attrs.frozen
class Cap(Effect):
    """Keep the parameter at or below a value (``"0 chip/year"`` bans imports).

    Example:
        >>> Cap("cn.chips.import_cap[H100 SXM]", 2026, "0 chip/year").value
        <Quantity(0.0, 'chip / year')>
    """

    value: Any = attrs.field(default=0.0)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self, "value", _unit_check(self.value, self.parameter, f"Cap({self.parameter}).value")
        )


def _magnitude(value: Any, unit: Any, where: str) -> float:
    if unit is None:
        return float(value)
    return float(check_quantity(value, str(unit), where=where, nonnegative=False).magnitude)


def combine(base: Any, effects: Iterable[Effect]) -> Any:
    """Combine effects on one parameter in one year with the documented rule.

    ``value = clamp((base + Σ add) × Π scale, max(floors), min(caps))``; caps win over floors;
    fractions (plain numbers) stay in [0, 1]. Effects' quantities are converted to the base's
    unit (a currency mismatch is an error that says how to convert).

    Args:
        base: The value before any effect: a quantity, or a float for fractions.
        effects: The effects on this parameter and year, in any order.

    Returns:
        The combined value, in the base's unit.

    Example:
        >>> combine(0.3, [Scale("cn.datacenter.utilization", 2026, 2.0),
        ...               Cap("cn.datacenter.utilization", 2026, 0.5)])
        0.5
    """
    unit = getattr(base, "units", None)
    x = float(base.magnitude) if unit is not None else float(base)
    adds: list[float] = []
    scales: list[float] = []
    floors: list[float] = []
    caps: list[float] = []
    for e in effects:
        where = f"{type(e).__name__}({e.parameter}, {e.year})"
        if isinstance(e, Scale):
            scales.append(e.factor)
        elif isinstance(e, Add):
            adds.append(_magnitude(e.value, unit, where))
        elif isinstance(e, Floor):
            floors.append(_magnitude(e.value, unit, where))
        elif isinstance(e, Cap):
            caps.append(_magnitude(e.value, unit, where))
        else:
            raise ValidationError("combine", "Add, Scale, Floor or Cap effects", repr(e))
    total = math.fsum([x, *adds]) if adds else x
    for factor in sorted(scales):
        total *= factor
    if floors:
        total = max(total, max(floors))
    if caps:
        total = min(total, min(caps))
    if unit is None:
        return min(max(total, 0.0), 1.0)
    return Q_(total, unit)
