"""Units: the one pint registry of fullstack, parsing, formatting and unit-checked fields.

fullstack builds a single `pint.UnitRegistry` at import, adds its own units from the data file
``units.txt`` in this package, and sets it as pint's application registry so quantities pickle
into worker processes. Use `Q_` (or `ureg`) from here or from the top-level package; never build
another registry, since quantities of different registries cannot be combined.

Custom units (see the Units page of the docs for the reasons):

- ``FLOP`` and ``OP``: the dimension ``[computation]``; ``FLOPS`` and ``OPS`` are per second.
- ``bit`` and ``byte``: the dimension ``[information]`` (pint makes them dimensionless).
- ``TPP``: total processing performance of the US export rules, ``1e12 bit * OP/s``.
- ``H100e``: one H100 SXM's dense BF16 throughput, 989.4 TFLOP/s.
- ``wafer``, ``die``, ``chip`` (alias ``accelerator``), ``hbm_stack``, ``token``: counts.
- ``USD``, ``CNY`` (aliases ``RMB``, ``yuan``), ``EUR``: one dimension per currency.

Example:
    >>> from fullstack import Q_
    >>> Q_("300 EFLOP/s").to("PFLOP/s")
    <Quantity(300000.0, 'petaFLOP / second')>
    >>> format_quantity(Q_("344 GCNY"))  # exact, for files
    '344.0 GCNY'
    >>> format_value(Q_("344 GCNY"))  # for people: the CLI, HTML reprs, tables
    '344 billion CNY'
"""

from __future__ import annotations

import functools
import math
import warnings
from importlib import resources
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs
import numpy as np
import pint

from fullstack._quantity_text import (
    NAMED_UNITS,
    QUANTITY_TEXT,
    SCALE_WORDS,
    format_value,
    syntax_problem,
)
from fullstack.errors import (
    CurrencyError,
    DimensionError,
    FullstackError,
    MissingUnitError,
    UnitError,
    UnknownUnitError,
    ValidationError,
    _given,
)

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "CURRENCIES",
    "Q_",
    "Quantity",
    "Unit",
    "check_quantity",
    "currency_of",
    "describe_dimension",
    "format_quantity",
    "format_value",
    "fraction_field",
    "money_field",
    "parse_quantity",
    "parse_unit",
    "quantity_field",
    "to_quantity",
    "ureg",
]

CURRENCIES: Final = ("USD", "CNY", "EUR")
"""The currency codes fullstack knows, each a dimension of its own.

Example:
    >>> "CNY" in CURRENCIES
    True
"""

_CURRENCY_DIMS: Final = {f"[currency_{code.lower()}]": code for code in CURRENCIES}


def _currencies_in(dim: Any) -> set[str]:
    keys = getattr(dim, "keys", None)
    return {_CURRENCY_DIMS[k] for k in (keys() if callable(keys) else ()) if k in _CURRENCY_DIMS}


def _dimension_error(
    where: str, expected: str, got: str, wanted: Any, given: Any = None
) -> DimensionError:
    """The error for a dimension mismatch between what is ``wanted`` and what is ``given``.

    A `CurrencyError` when both sides are money and their currencies differ (converting would
    fix it), a `DimensionError` otherwise.
    """
    have, want = _currencies_in(given), _currencies_in(wanted)
    if have and want and have != want:
        return CurrencyError(
            where,
            expected,
            got,
            expected_currency="/".join(sorted(want)),
            given_currency="/".join(sorted(have)),
        )
    return DimensionError(where, expected, got)


if TYPE_CHECKING:
    _BaseQuantity = pint.Quantity[Any]
else:
    _BaseQuantity = pint.UnitRegistry.Quantity


class _Quantity(_BaseQuantity):
    """pint's Quantity with fullstack errors and a fast path for parsing strings."""

    def __new__(cls, value: Any, units: Any = None) -> Any:
        if isinstance(value, str) and units is None:
            mag, unit = _split_quantity_text(value)
            return super().__new__(cls, mag, unit)
        if isinstance(units, str):
            units = parse_unit(units)
        return super().__new__(cls, value, units)

    def _describe_self(self) -> str:
        return describe_dimension(self.dimensionality)

    def _wrong(self, where: str, other: Any) -> DimensionError:
        other_dim = getattr(other, "dimensionality", None)
        if other_dim is None:
            number = isinstance(other, int | float | np.number) and not isinstance(other, bool)
            got = f"the bare number {other!r}" if number else repr(other)
        else:
            got = f"{other} ({describe_dimension(other_dim)})"
        expected = f"{self._describe_self()} like {self}"
        return _dimension_error(where, expected, got, self.dimensionality, other_dim)

    def _add_sub(self, other: Any, op: Any) -> Any:
        try:
            return super()._add_sub(other, op)
        except pint.DimensionalityError as exc:
            raise self._wrong(_op_name(op), other) from exc

    def _iadd_sub(self, other: Any, op: Any) -> Any:
        try:
            return super()._iadd_sub(other, op)
        except pint.DimensionalityError as exc:
            raise self._wrong(_op_name(op), other) from exc

    def compare(self, other: Any, op: Any) -> Any:
        try:
            return super().compare(other, op)
        except pint.DimensionalityError as exc:
            raise self._wrong("comparison", other) from exc
        except ValueError as exc:  # pint: "Cannot compare PlainQuantity and <class 'int'>"
            if hasattr(other, "units"):
                raise
            raise self._wrong("comparison", other) from exc

    def to(self, other: Any = None, *contexts: Any, **ctx_kwargs: Any) -> Any:
        target = parse_unit(other) if isinstance(other, str) else other
        try:
            return super().to(target, *contexts, **ctx_kwargs)
        except pint.DimensionalityError as exc:
            shown = other if isinstance(other, str) else f"{target:~C}"
            raise _dimension_error(
                "conversion",
                f"{_describe_units(target)} (convertible to {shown})",
                f"{self} ({self._describe_self()})",
                getattr(target, "dimensionality", None),
                self.dimensionality,
            ) from exc

    def m_as(self, units: Any) -> Any:
        return self.to(units).magnitude


def _op_name(op: Any) -> str:
    name = getattr(op, "__name__", "")
    return "subtraction" if "sub" in name else "addition"


if TYPE_CHECKING:
    _BaseRegistry = pint.UnitRegistry[Any]
else:
    _BaseRegistry = pint.UnitRegistry


class _Registry(_BaseRegistry):
    """The registry class: pint's, with fullstack's Quantity."""

    Quantity: TypeAlias = _Quantity


def _build_registry() -> _Registry:
    kwargs: dict[str, Any] = {"on_redefinition": "ignore"}
    try:
        registry = _Registry(cache_folder=":auto:", **kwargs)
    except OSError:  # pragma: no cover - an unwritable cache folder
        registry = _Registry(**kwargs)
    text = resources.files("fullstack").joinpath("units.txt").read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # pint's own "bit = []" is replaced by "bit = [information]": redefinitions must apply.
        registry._on_redefinition = "warn"
        registry.load_definitions(text.splitlines())
        registry._on_redefinition = "raise"
    registry.formatter.default_format = "~P"
    return registry


ureg: Final = _build_registry()
"""The registry: pint's defaults plus fullstack's units. Every quantity in fullstack belongs to it.

It is pint's application registry, so quantities unpickle into it. Never build a second one.

Example:
    >>> (ureg.EFLOP / ureg.s).dimensionality
    <UnitsContainer({'[computation]': 1, '[time]': -1})>
    >>> ureg("45 kwafer / month").to("wafer/month")
    <Quantity(45000.0, 'wafer / month')>
"""
pint.set_application_registry(ureg)  # type: ignore[no-untyped-call]

# The names below are declared for type checkers (and for griffe, which reads the docstrings of
# the API reference from the declarations) and bound to pint's runtime objects in the else branch.
if TYPE_CHECKING:
    Q_: type[pint.Quantity[Any]]
    """Make a quantity of fullstack's registry, from text or from a magnitude and a unit.

    Strings are split into a number and a unit, and the unit goes through `parse_unit`'s cache.

    Example:
        >>> Q_("300 EFLOP/s")
        <Quantity(300.0, 'exaFLOP / second')>
        >>> Q_(45_000, "wafer/month")
        <Quantity(45000, 'wafer / month')>
    """

    Quantity: TypeAlias = pint.Quantity[Any]
    """The type of quantities, for annotations and ``isinstance`` (pint's ``Quantity``).

    Example:
        >>> isinstance(Q_("5 GW"), Quantity)
        True
    """

    Unit: TypeAlias = pint.Unit
    """The type of units, for annotations and ``isinstance`` (pint's ``Unit``).

    Example:
        >>> isinstance(parse_unit("EFLOP/s"), Unit)
        True
    """

else:
    Q_ = ureg.Quantity
    Quantity = pint.Quantity
    Unit = pint.Unit


# --- Parsing -------------------------------------------------------------------------------------


def _candidate_names() -> list[str]:
    names: set[str] = set(ureg._units)
    for _name, definition in ureg._units.items():
        if definition.symbol:
            names.add(definition.symbol)
        names.update(definition.aliases)
    # Prefixed forms users are likely to reach for.
    for prefix in ("k", "M", "G", "T", "P", "E"):
        for base in ("FLOP", "OP", "FLOPS", "OPS", "W", "Wh", "B", "bit", "USD", "CNY", "EUR"):
            names.add(prefix + base)
    return sorted(names)


@functools.cache
def _candidates() -> tuple[list[str], dict[str, str]]:
    names = _candidate_names()
    folded: dict[str, str] = {}
    for name in names:
        folded.setdefault(name.lower(), name)
    return names, folded


def _suggestions(name: str) -> tuple[str, ...]:
    import difflib  # only when a unit is unknown: keeps ``import fullstack`` light

    names, folded = _candidates()
    found: list[str] = []
    if name.lower() in folded:
        found.append(folded[name.lower()])
    found += difflib.get_close_matches(name, names, n=3, cutoff=0.75)
    # A known prefix on a misspelt unit: "GWatt" -> "Gwatt", "Mwat" -> "Mwatt".
    prefixes = () if name.lower() in folded else ureg._prefixes
    for prefix in sorted(prefixes, key=len, reverse=True):
        rest = name[len(prefix) :]
        if prefix and name.startswith(prefix) and len(rest) > 1:
            close = [folded[rest.lower()]] if rest.lower() in folded else []
            close += difflib.get_close_matches(rest, names, n=1, cutoff=0.75)
            found += [prefix + c for c in close]
    return tuple(dict.fromkeys(found))[:3]


@functools.lru_cache(maxsize=4096)
def _cached_unit(text: str) -> Unit:
    return ureg.Unit(text)


def parse_unit(text: str, *, where: str = "") -> Unit:
    """Parse a unit expression, with caching and fullstack errors.

    Args:
        text: A unit expression such as ``"EFLOP/s"``, ``"wafer/month"`` or ``"GCNY"``.
        where: The field or location, for error messages.

    Returns:
        The unit.

    Raises:
        UnknownUnitError: If a name in the expression is not a unit (with close suggestions).
        UnitError: If the expression cannot be parsed (unbalanced parentheses, a dangling
            operator, a character that has no place in a unit).

    Example:
        >>> parse_unit("wafer/month")
        <Unit('wafer / month')>
        >>> parse_unit("GW /")
        Traceback (most recent call last):
        ...
        fullstack.UnitError: cannot parse unit 'GW /': it ends with the operator '/'
    """
    text = text.strip()
    problem = syntax_problem(text)
    if problem is None:
        try:
            return _cached_unit(text)
        except pint.UndefinedUnitError as exc:
            names = exc.unit_names
            bad = str(names[0]) if names else text
            raise UnknownUnitError(bad, _suggestions(bad), where) from exc
        except Exception as exc:  # pint's parser fails in many ways on malformed text
            cause: BaseException | None = exc
            problem = "not a unit expression like 'EFLOP/s', 'wafer/month' or 'mm**2'"
    else:
        cause = None
    raise UnitError(
        f"{where + ': ' if where else ''}cannot parse unit {text!r}: {problem}"
    ) from cause


def _split_quantity_text(text: str, where: str = "") -> tuple[float, Unit]:
    match = QUANTITY_TEXT.match(text)
    if match is None:
        if not text.strip():
            raise ValidationError(where, "a quantity such as '5 GW'", "an empty string")
        return 1.0, parse_unit(text, where=where)
    magnitude = float(match["mag"].replace("_", "").replace(",", ""))
    if match["scale"]:
        magnitude *= SCALE_WORDS[match["scale"].lower()]
    unit_text = match["unit"]
    if unit_text.startswith("*"):
        unit_text = unit_text[1:]
    if not unit_text.strip():
        return magnitude, ureg.dimensionless
    return magnitude, parse_unit(unit_text, where=where)


def parse_quantity(text: str, *, where: str = "") -> Quantity:
    """Parse ``"<number> <unit>"`` into a quantity, quickly and with fullstack errors.

    The unit part is parsed once and cached, so parsing many values from a file costs
    microseconds each rather than pint's ~140 µs for a full expression.

    Args:
        text: For example ``"300 EFLOP/s"``, ``"4.8e3 TPP"`` or ``"344 GCNY"``.
        where: The field or location, for error messages.

    Returns:
        The quantity (magnitude as a float).

    Raises:
        UnknownUnitError: For an unknown unit name.
        ValidationError: For an empty string.

    Example:
        >>> parse_quantity("45_000 wafer/month")
        <Quantity(45000.0, 'wafer / month')>
    """
    mag, unit = _split_quantity_text(text, where)
    return Q_(mag, unit)


def to_quantity(
    value: Any, *, where: str = "", expected: str = "a quantity", unit: str = ""
) -> Quantity:
    """Turn a quantity or a string with a unit into a quantity of fullstack's registry.

    Bare numbers are refused: a number without a unit is the most common source of silent
    mistakes in models like this one.

    Args:
        value: A quantity (of any pint registry) or a string such as ``"5 GW"``.
        where: The field or location, for error messages.
        expected: What was expected, for error messages.
        unit: A unit to suggest when a bare number is given (``"GW"`` gives "e.g. '5 GW'").

    Returns:
        The quantity.

    Raises:
        MissingUnitError: For a bare number.
        UnknownUnitError: For an unknown unit name.
        ValidationError: For anything else.

    Example:
        >>> to_quantity("5 GW")
        <Quantity(5.0, 'gigawatt')>
    """
    if isinstance(value, _Quantity) and value._REGISTRY is ureg:
        return value
    if isinstance(value, pint.Quantity):  # another registry: go through text
        return Q_(value.magnitude, parse_unit(str(value.units), where=where))
    if isinstance(value, str):
        return parse_quantity(value, where=where)
    if isinstance(value, bool | np.bool_):
        raise ValidationError(where, expected, repr(value))
    if isinstance(value, int | float | np.number | np.ndarray):
        raise MissingUnitError(where, expected, value, unit=unit)
    raise ValidationError(where, f"{expected} or a string like '5 GW'", repr(value))


# --- Formatting ----------------------------------------------------------------------------------


def format_quantity(q: Quantity) -> str:
    """Format a scalar quantity as text that `parse_quantity` reads back to an equal value.

    The magnitude is written with Python's shortest round-trip float repr; the unit with pint's
    compact symbols (``EFLOP/s``, ``GCNY``, ``mm**2``). This is the exact form, for files; to
    show a value to people (``344 billion CNY``, ``1.6 TB/s``), use `format_value`.

    Args:
        q: A scalar quantity.

    Returns:
        Text such as ``"300.0 EFLOP/s"``.

    Raises:
        ValidationError: If the magnitude is not a scalar number.

    Example:
        >>> format_quantity(Q_(4800, "TPP"))
        '4800.0 TPP'
    """
    mag = q.magnitude
    if isinstance(mag, np.ndarray) and mag.ndim == 0:
        mag = mag.item()
    if isinstance(mag, bool) or not isinstance(mag, int | float | np.number):
        raise ValidationError("format_quantity", "a scalar quantity", q)
    unit = f"{q.units:~C}"
    text = repr(float(mag))
    return f"{text} {unit}" if unit else text


# --- Describing dimensions -----------------------------------------------------------------------


@functools.cache
def _dimension_names() -> dict[Any, str]:
    table: dict[Any, str] = {}
    for unit, name in NAMED_UNITS:
        dim = ureg.dimensionless.dimensionality if not unit else parse_unit(unit).dimensionality
        table.setdefault(dim, name)
    return table


def _bare(name: str) -> str:
    return name.split(" ", 1)[1] if name.startswith(("a ", "an ")) else name


@functools.lru_cache(maxsize=256)
def _composed_name(dimensionality: Any) -> str:
    names = _dimension_names()
    time = ureg.second.dimensionality
    per_time = names.get(dimensionality * time)
    if per_time is not None:
        return f"{per_time} per unit of time"
    named = [(d, n) for d, n in names.items() if d != ureg.dimensionless.dimensionality]
    for dim, name in named:  # a ratio or a product of two named dimensions
        for other, other_name in named:
            if dim / other == dimensionality:
                return f"{name} per {_bare(other_name)}"
            if dim * other == dimensionality:
                return f"{name} times {_bare(other_name)}"
    base: dict[str, str] = {}  # each base dimension's unit, to write the unit in base units
    for d in ureg._units.values():
        if getattr(d, "is_base", False) and d.reference:
            base.setdefault(next(iter(d.reference)), d.symbol)
    text = " * ".join(f"{base[d]}**{p:g}" for d, p in dimensionality.items())
    return f"a quantity in {parse_unit(text):~P}"


def describe_dimension(dimensionality: Any) -> str:
    """A readable name for a dimensionality: ``"a power"``, ``"an amount of money in CNY"``.

    Dimensions without a name of their own are described in words from named ones (``"a power
    per unit of time"`` for GW/year), else by their unit in base units, never in pint's
    bracket notation.

    Args:
        dimensionality: A pint dimensionality, such as ``Q_("5 GW").dimensionality``.

    Returns:
        A short description.

    Example:
        >>> describe_dimension(Q_("45000 wafer/month").dimensionality)
        'a wafer throughput'
        >>> describe_dimension(Q_("5 GW/year").dimensionality)
        'a power per unit of time'
    """
    name = _dimension_names().get(dimensionality)
    if name is not None:
        return name
    return _composed_name(dimensionality)


def _describe_units(units: Any) -> str:
    dim = getattr(units, "dimensionality", None)
    return "a quantity" if dim is None else describe_dimension(dim)


def currency_of(value: Any) -> str | None:
    """The currency of a money quantity (``"USD"``...), or None if it is not money.

    Quantities such as prices (``CNY/kWh``) count as money in their currency.

    Example:
        >>> currency_of(Q_("0.35 CNY/kWh"))
        'CNY'
    """
    dim = getattr(value, "dimensionality", None)
    if dim is None:
        return None
    found = [code for key, code in _CURRENCY_DIMS.items() if key in dim]
    return found[0] if len(found) == 1 else None


# --- Unit-checked attrs fields -------------------------------------------------------------------


def _check_magnitude(where: str, q: Any, *, nonnegative: bool, positive: bool) -> None:
    mag = np.asarray(q.magnitude if hasattr(q, "magnitude") else q, dtype=float)
    if not np.all(np.isfinite(mag)):
        raise ValidationError(where, "a finite value (not NaN or infinity)", q)
    if positive and not np.all(mag > 0):
        raise ValidationError(where, "a positive value", q)
    if nonnegative and not np.all(mag >= 0):
        raise ValidationError(where, "a non-negative value", q)


def _where(instance: Any, field: Any) -> str:
    return f"{type(instance).__name__}.{field.name}"


def _field(
    convert: Callable[[Any, str], Any],
    *,
    default: Any,
    optional: bool,
    metadata: dict[str, Any],
) -> Any:
    def converter(value: Any, instance: Any, field: Any) -> Any:
        if value is None and optional:
            return None
        try:
            return convert(value, _where(instance, field))
        except FullstackError as exc:  # code that catches it reads err.cls and err.field
            raise exc.locate(type(instance), field.name) from exc.__cause__

    if optional and default is attrs.NOTHING:
        default = None
    return attrs.field(
        default=default,
        converter=attrs.Converter(converter, takes_self=True, takes_field=True),
        metadata=metadata,
    )


def check_quantity(
    value: Any,
    unit: str,
    *,
    where: str = "",
    nonnegative: bool = True,
    positive: bool = False,
    convert: bool = True,
) -> Quantity:
    """Check that ``value`` is a finite quantity of ``unit``'s dimension; return it in ``unit``.

    This is what `quantity_field` runs at construction; call it directly in functions that take
    quantities from users.

    Args:
        value: A quantity or a string such as ``"5 GW"``.
        unit: The expected unit, which fixes the dimension.
        where: The field or argument, for error messages.
        nonnegative: Refuse negative values.
        positive: Refuse zero and negative values.
        convert: Return the value in ``unit`` (otherwise in the units it came in).

    Returns:
        The checked quantity.

    Raises:
        MissingUnitError: For a bare number.
        DimensionError: For the wrong dimension (`CurrencyError` for the wrong currency).
        ValidationError: For NaN, infinities and disallowed signs.

    Example:
        >>> check_quantity("500 MW", "GW", where="power")
        <Quantity(0.5, 'gigawatt')>
    """
    target = parse_unit(unit)
    dim = target.dimensionality
    # Described only for a message: naming a dimension is slow the first time (data files check
    # thousands of quantities, nearly all of them good).
    if isinstance(value, _Quantity | str):
        q = to_quantity(value, where=where)
    else:
        q = to_quantity(value, where=where, expected=_expected(dim, unit))
    if q.dimensionality != dim:
        got = f"{q} ({describe_dimension(q.dimensionality)})"
        raise _dimension_error(where, _expected(dim, unit), got, dim, q.dimensionality)
    _check_magnitude(where, q, nonnegative=nonnegative, positive=positive)
    return q.to(target) if convert else q


def _expected(dim: Any, unit: str) -> str:
    return f"{describe_dimension(dim)} (convertible to {unit})"


def quantity_field(
    unit: str,
    *,
    default: Any = attrs.NOTHING,
    optional: bool = False,
    nonnegative: bool = True,
    positive: bool = False,
    convert: bool = True,
) -> Any:
    """An attrs field that holds a quantity of one dimension, checked at construction.

    The field accepts a quantity or a string such as ``"5 GW"``, checks its dimension against
    ``unit``, refuses bare numbers, NaN, infinities and (unless allowed) negative values, and
    stores the value converted to ``unit``. Errors name the class, the field, what was expected
    and what was given.

    Args:
        unit: The unit the value is stored in; it also fixes the dimension, e.g. ``"GW"``.
        default: A default value (a quantity or a string), if the field may be omitted.
        optional: Whether None is allowed (and is then the default).
        nonnegative: Refuse negative values.
        positive: Refuse zero and negative values.
        convert: Store the value in ``unit``; if False, keep the units it was given in.

    Returns:
        An ``attrs.field`` to assign in a class body.

    Example:
        >>> import attrs
        >>> @attrs.frozen(kw_only=True)
        ... class Campus:
        ...     power: Quantity = quantity_field("MW")
        >>> Campus(power="1.2 GW").power
        <Quantity(1200.0, 'megawatt')>
        >>> Campus(power="3 EFLOP/s")
        Traceback (most recent call last):
        ...
        fullstack.DimensionError: Campus.power: expected a power (convertible to MW), got 3.0 EFLOP/s (a compute throughput)
    """  # noqa: E501
    parse_unit(unit)  # fail at class definition, not at first use

    def check(value: Any, where: str) -> Any:
        return check_quantity(
            value, unit, where=where, nonnegative=nonnegative, positive=positive, convert=convert
        )

    return _field(
        check,
        default=default,
        optional=optional,
        metadata={"fullstack.unit": unit, "fullstack.kind": "quantity"},
    )


def money_field(
    *,
    default: Any = attrs.NOTHING,
    optional: bool = False,
    nonnegative: bool = True,
    per: str | None = None,
) -> Any:
    """An attrs field for an amount of money in any one currency (USD, CNY, EUR).

    The currency is kept as given: converting needs an exchange rate (`fullstack.ExchangeRate`).

    Args:
        default: A default value, if the field may be omitted.
        optional: Whether None is allowed (and is then the default).
        nonnegative: Refuse negative amounts.
        per: A unit the money is divided by, for rates and prices: ``"year"``, ``"kWh"``.

    Returns:
        An ``attrs.field`` to assign in a class body.

    Example:
        >>> import attrs
        >>> @attrs.frozen(kw_only=True)
        ... class Fund:
        ...     size: Quantity = money_field()
        >>> Fund(size="344 GCNY").size
        <Quantity(344.0, 'gigaCNY')>
    """
    per_unit = parse_unit(per) if per else ureg.dimensionless
    accepted = {(parse_unit(code) / per_unit).dimensionality: code for code in CURRENCIES}
    suffix = f" per {per}" if per else ""
    expected = f"an amount of money{suffix} in {', '.join(CURRENCIES)}"

    example = f"USD/{per}" if per else "USD"

    def check(value: Any, where: str) -> Any:
        q = to_quantity(value, where=where, expected=expected, unit=example)
        if q.dimensionality not in accepted:
            raise DimensionError(where, expected, f"{q} ({describe_dimension(q.dimensionality)})")
        _check_magnitude(where, q, nonnegative=nonnegative, positive=False)
        return q

    return _field(
        check,
        default=default,
        optional=optional,
        metadata={"fullstack.unit": f"money{'/' + per if per else ''}", "fullstack.kind": "money"},
    )


def _to_fraction(value: Any, where: str) -> float:
    """The one fraction rule (`fullstack._validators.to_fraction` documents it)."""
    expected = "a fraction between 0 and 1"
    if isinstance(value, bool | np.bool_):
        raise ValidationError(where, expected, repr(value))
    if isinstance(value, int | float | np.number):
        frac = float(value)
    else:
        if not isinstance(value, str | pint.Quantity):
            raise ValidationError(where, expected, _given(value))
        q = to_quantity(value, where=where, expected=expected)
        if not q.dimensionless:
            raise DimensionError(where, expected, f"{q} ({describe_dimension(q.dimensionality)})")
        frac = float(q.to("dimensionless").magnitude)
    if not (math.isfinite(frac) and 0.0 <= frac <= 1.0):
        raise ValidationError(where, expected, _given(value))
    return frac


def fraction_field(*, default: Any = attrs.NOTHING, optional: bool = False) -> Any:
    """An attrs field for a share between 0 and 1, stored as a float.

    Accepts a number (``0.3``), a dimensionless quantity or a string (``"30 %"``).

    Args:
        default: A default value, if the field may be omitted.
        optional: Whether None is allowed (and is then the default).

    Returns:
        An ``attrs.field`` to assign in a class body.

    Example:
        >>> import attrs
        >>> @attrs.frozen(kw_only=True)
        ... class Plan:
        ...     subsidy_rate: float = fraction_field()
        >>> Plan(subsidy_rate="30 %").subsidy_rate
        0.3
    """
    return _field(
        _to_fraction,
        default=default,
        optional=optional,
        metadata={"fullstack.unit": "", "fullstack.kind": "fraction"},
    )
