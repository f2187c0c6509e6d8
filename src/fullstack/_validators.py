"""One set of validators for fullstack's attrs classes: years, names, text, provenance, money.

Every rule lives here once, so the same rule says the same thing everywhere. Each validator
derives the location from the concrete class and the field (``GuidanceFund.budget``, not
``Instrument.budget``) and records both on the error (``err.cls``, ``err.field``), so code that
catches it never parses the message.

- `check_year` / `check_optional_year`: a whole year between `MIN_YEAR` and `MAX_YEAR`.
- `check_name`: a non-empty string; `check_text`: any string (may be empty).
- `check_provenance`: a `fullstack.Source` or `fullstack.Assumption`.
- `located`: turns a ``convert(value, where)`` function into an attrs converter that passes the
  location and records it on any error.
- `to_money`: money in one currency (a total or per year), non-negative by default.
- `to_fraction`: a share in [0, 1] from ``0.3``, ``"30 %"`` or a dimensionless quantity.
- `check_count`: a whole number of at least some least value (sample counts, seeds).

Unit-checked quantity fields (`fullstack.units.quantity_field` and friends) follow the same
rules and record the location the same way.

This module sits at the bottom of the package: it imports only `fullstack.errors` and
`fullstack.units`.

Example:
    >>> import attrs
    >>> @attrs.frozen
    ... class Plan:
    ...     start: int = attrs.field(validator=check_year)
    >>> try:
    ...     Plan(3)
    ... except ValidationError as err:
    ...     print(err, "|", err.cls.__name__, err.field)
    Plan.start: expected a whole year between 1900 and 2200, such as 2026, got 3 | Plan start
"""

from __future__ import annotations

import abc
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np

from fullstack.errors import DimensionError, FullstackError, ValidationError, _given
from fullstack.units import (
    CURRENCIES,
    Q_,
    _to_fraction,
    currency_of,
    describe_dimension,
    to_quantity,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from fullstack.units import Quantity

__all__ = [
    "MAX_YEAR",
    "MIN_YEAR",
    "YEAR_RULE",
    "Provenanced",
    "check_count",
    "check_name",
    "check_optional_year",
    "check_provenance",
    "check_text",
    "check_year",
    "converted_field",
    "invalid",
    "is_year",
    "located",
    "to_fraction",
    "to_money",
    "where",
]

MIN_YEAR: Final = 1900
"""The earliest year any fullstack object accepts."""

MAX_YEAR: Final = 2200
"""The latest year any fullstack object accepts."""

YEAR_RULE: Final = f"a whole year between {MIN_YEAR} and {MAX_YEAR}, such as 2026"
"""What every year field expects, as error messages say it."""


def where(instance: Any, attribute: Any) -> str:
    """The location of a field: ``"<concrete class>.<field>"``.

    Example:
        >>> @attrs.frozen
        ... class Fund:
        ...     budget: int = 0
        >>> where(Fund(), attrs.fields(Fund).budget)
        'Fund.budget'
    """
    return f"{type(instance).__name__}.{attribute.name}"


def invalid(instance: Any, attribute: Any, expected: str, value: Any) -> ValidationError:
    """The error for a value a field refuses, located at the concrete class and the field.

    For validators written elsewhere, so that they say what the shared ones say.

    Example:
        >>> @attrs.frozen
        ... class Fund:
        ...     code: str = "CNY"
        >>> print(invalid(Fund(), attrs.fields(Fund).code, "a currency code", "GBP"))
        Fund.code: expected a currency code, got 'GBP'
    """
    return ValidationError(
        where(instance, attribute),
        expected,
        _given(value),
        cls=type(instance),
        field=attribute.name,
    )


class Provenanced(abc.ABC):  # noqa: B024 - a virtual base: nothing to implement
    """What `check_provenance` accepts: `fullstack.provenance` registers Source and Assumption.

    This module sits below `fullstack.provenance`, so the types are registered from above
    (``Provenanced.register(Source)``) instead of imported from here.

    Example:
        >>> from fullstack.provenance import Assumption
        >>> isinstance(Assumption(reason="r"), Provenanced)
        True
    """


def is_year(value: Any) -> bool:
    """Whether ``value`` is a whole year fullstack accepts (an ``int``, not a ``bool``).

    Example:
        >>> is_year(2026), is_year(-5), is_year(2026.0), is_year(True)
        (True, False, False, False)
    """
    return isinstance(value, int) and not isinstance(value, bool) and MIN_YEAR <= value <= MAX_YEAR


def check_year(instance: Any, attribute: Any, value: Any) -> None:
    """An attrs validator: a whole year between `MIN_YEAR` and `MAX_YEAR`.

    Raises:
        ValidationError: Naming the class and the field, with ``cls`` and ``field`` set.

    Example:
        >>> @attrs.frozen
        ... class Milestone:
        ...     year: int = attrs.field(validator=check_year)
        >>> Milestone(-5)
        Traceback (most recent call last):
        ...
        fullstack.ValidationError: Milestone.year: expected a whole year between 1900 and 2200, such as 2026, got -5
    """  # noqa: E501
    if not is_year(value):
        raise invalid(instance, attribute, YEAR_RULE, value)


def check_optional_year(instance: Any, attribute: Any, value: Any) -> None:
    """Like `check_year`, but None (no year, e.g. no set end) is allowed.

    Example:
        >>> @attrs.frozen
        ... class Plan:
        ...     end: int | None = attrs.field(default=None, validator=check_optional_year)
        >>> Plan().end is None
        True
    """
    if value is not None and not is_year(value):
        raise invalid(instance, attribute, f"{YEAR_RULE}, or None", value)


def check_name(instance: Any, attribute: Any, value: Any) -> None:
    """An attrs validator: a non-empty string (not only spaces).

    Example:
        >>> @attrs.frozen
        ... class Lab:
        ...     name: str = attrs.field(validator=check_name)
        >>> Lab("  ")
        Traceback (most recent call last):
        ...
        fullstack.ValidationError: Lab.name: expected a non-empty string, got '  '
    """
    if not isinstance(value, str) or not value.strip():
        raise invalid(instance, attribute, "a non-empty string", value)


def check_text(instance: Any, attribute: Any, value: Any) -> None:
    """An attrs validator: a string (which may be empty), for notes and descriptions.

    Example:
        >>> @attrs.frozen
        ... class Lab:
        ...     note: str = attrs.field(default="", validator=check_text)
        >>> Lab(note=5)
        Traceback (most recent call last):
        ...
        fullstack.ValidationError: Lab.note: expected a string, got 5
    """
    if not isinstance(value, str):
        raise invalid(instance, attribute, "a string", value)


def check_provenance(instance: Any, attribute: Any, value: Any) -> None:
    """An attrs validator: a `fullstack.Source` or `fullstack.Assumption`.

    Example:
        >>> @attrs.frozen
        ... class Figure:
        ...     source: Any = attrs.field(validator=check_provenance)
        >>> Figure("a blog")
        Traceback (most recent call last):
        ...
        fullstack.ValidationError: Figure.source: expected a Source or an Assumption, got 'a blog'
    """
    if not isinstance(value, Provenanced):
        raise invalid(instance, attribute, "a Source or an Assumption", value)


def located(convert: Callable[[Any, str], Any], *, optional: bool = False) -> attrs.Converter:  # type: ignore[type-arg]
    """An attrs converter from ``convert(value, where)``, located at the concrete class's field.

    Any fullstack error ``convert`` raises gets the class and the field (``err.cls``,
    ``err.field``).

    Args:
        convert: Checks and converts a value; ``where`` is ``"<class>.<field>"``.
        optional: Pass None through unchecked.

    Example:
        >>> @attrs.frozen
        ... class Fund:
        ...     budget: Any = attrs.field(converter=located(to_money))
        >>> Fund("-5 GCNY")
        Traceback (most recent call last):
        ...
        fullstack.ValidationError: Fund.budget: expected a non-negative amount of money, got -5.0 GCNY
    """  # noqa: E501

    def converter(value: Any, instance: Any, attribute: Any) -> Any:
        if value is None and optional:
            return None
        try:
            return convert(value, where(instance, attribute))
        except FullstackError as exc:
            raise exc.locate(type(instance), attribute.name) from exc.__cause__

    return attrs.Converter(converter, takes_self=True, takes_field=True)


def converted_field(
    convert: Callable[[Any, str], Any], *, default: Any = attrs.NOTHING, optional: bool = False
) -> Any:
    """An attrs field whose values go through ``convert(value, where)``, located (see `located`).

    Args:
        convert: Checks and converts a value; ``where`` is ``"<class>.<field>"``.
        default: A default value, if the field may be omitted.
        optional: Whether None is allowed (and is then the default).

    Example:
        >>> @attrs.frozen(kw_only=True)
        ... class Fund:
        ...     budget: Any = converted_field(to_money, optional=True)
        >>> Fund().budget is None, Fund(budget="5 GCNY/year").budget
        (True, <Quantity(5.0, 'gigaCNY / year')>)
    """
    if optional and default is attrs.NOTHING:
        default = None
    return attrs.field(default=default, converter=located(convert, optional=optional))


def to_money(value: Any, where: str, *, per: Iterable[str] = ("", "year")) -> Quantity:
    """Money in one currency, total or per one of ``per``, finite and non-negative.

    Args:
        value: A quantity or text such as ``"344 GCNY"`` or ``"5 GCNY/year"``.
        where: The location, for errors.
        per: The accepted divisors: ``""`` for a total, ``"year"`` for a rate.

    Raises:
        MissingUnitError: For a bare number.
        DimensionError: For something that is not money.
        ValidationError: For a negative, NaN or infinite amount.

    Example:
        >>> to_money("350 billion CNY/year", "Plan.budget")
        <Quantity(3.5e+11, 'CNY / year')>
    """
    pers = tuple(per)
    shown = " or ".join(["money"] + [f"money per {p}" for p in pers if p])
    expected = f"{shown} ({', '.join(CURRENCIES)}), e.g. '344 GCNY'"
    q = to_quantity(value, where=where, expected=expected, unit="GCNY")
    code = currency_of(q)
    allowed = (
        set() if code is None else {(Q_(1, code) / Q_(1, p or "")).dimensionality for p in pers}
    )
    if q.dimensionality not in allowed:
        raise DimensionError(where, expected, f"{q} ({describe_dimension(q.dimensionality)})")
    mag = np.asarray(q.magnitude, dtype=float)
    if not np.all(np.isfinite(mag)):
        raise ValidationError(where, "a finite amount of money (not NaN or infinity)", q)
    if not np.all(mag >= 0):
        raise ValidationError(where, "a non-negative amount of money", q)
    return q


def to_fraction(value: Any, where: str) -> float:
    """A share in [0, 1] from a number (``0.3``), text (``"30 %"``) or a dimensionless quantity.

    Raises:
        ValidationError: Outside [0, 1], not finite, or not a number.
        DimensionError: For a quantity with a dimension (``"5 GW"``).

    Example:
        >>> to_fraction("25 %", "CN.utilization"), to_fraction(0.3, "x")
        (0.25, 0.3)
    """
    return _to_fraction(value, where)


def check_count(value: object, where: str, least: int = 0) -> int:
    """A whole number of at least ``least`` (a count of samples, a chunk size, a seed).

    ``True`` and ``2.0`` are refused: a count is an ``int``.

    Raises:
        ValidationError: For anything else, naming ``where``.

    Example:
        >>> check_count(1000, "ensemble.n", 1)
        1000
        >>> try:
        ...     check_count("7", "ensemble.seed")
        ... except ValidationError as err:
        ...     print(err)
        ensemble.seed: expected a whole number, at least 0, got '7'
    """
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValidationError(where, f"a whole number, at least {least}", repr(value))
    return value
