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

import datetime
import functools
from typing import TYPE_CHECKING, Any, Final

from fullstack.errors import MissingExtraError

try:
    from hypothesis import strategies as st
except ImportError as exc:  # pragma: no cover - depends on the environment
    raise MissingExtraError("testing", "The strategies of fullstack.testing") from exc

from fullstack.precision import Precision, Throughput
from fullstack.provenance import Assumption, Confidence, Estimate, Source
from fullstack.units import CURRENCIES, Q_, parse_unit, ureg

if TYPE_CHECKING:
    from fullstack.units import Quantity

__all__ = [
    "UNIT_ATOMS",
    "any_quantities",
    "assumptions",
    "check_instrument",
    "compatible_units",
    "estimates",
    "instrument_strategy",
    "money",
    "precisions",
    "provenances",
    "quantities",
    "register_field_strategy",
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

_DATES: Final = st.dates(datetime.date(1900, 1, 1), datetime.date(2200, 12, 31)).map(
    lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
) | st.integers(1900, 2200).map(str)


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


# --- instruments: strategies and the conformance kit ------------------------------------------

_OVERRIDES: dict[type, dict[str, st.SearchStrategy[Any]]] = {}
_ECONOMY_CURRENCY: Final = {"CN": "CNY", "US": "USD", "EU": "EUR"}


def register_field_strategy(cls: type, field: str, strategy: st.SearchStrategy[Any]) -> None:
    """Tell `instruments` how to generate one field of an instrument type.

    Use it for fields the generic builder cannot guess (a catalog name, a rule key ...).

    Example:
        >>> from fullstack.policy import ExportControl
        >>> register_field_strategy(ExportControl, "rule", st.sampled_from(["2023-10"]))
    """
    _OVERRIDES.setdefault(cls, {})[field] = strategy


@functools.cache
def _register_builtin_strategies() -> None:
    """The fields of built-in types the generic builder cannot guess (run once)."""
    from fullstack.accelerators import accelerators
    from fullstack.export_controls import export_rules
    from fullstack.policy.builtin import (
        AdoptionTarget,
        ExportControl,
        ImportRestriction,
        LocalizationMandate,
    )
    from fullstack.stack import default_stack

    chips = st.lists(st.sampled_from(tuple(accelerators())), max_size=3, unique=True).map(tuple)
    layers = st.lists(st.sampled_from(default_stack().ids), min_size=1, max_size=3, unique=True)

    def milestones(n: int) -> st.SearchStrategy[tuple[tuple[int, float], ...]]:
        years = st.lists(st.integers(2015, 2045), min_size=n, max_size=n, unique=True)
        shares = st.lists(st.floats(0.01, 0.99), min_size=n, max_size=n, unique=True)
        return st.tuples(years, shares).map(
            lambda t: tuple(zip(sorted(t[0]), sorted(t[1]), strict=True))
        )

    defaults = {
        (ExportControl, "rule"): st.none() | st.sampled_from(list(export_rules())),
        (ExportControl, "chips"): chips,
        (ImportRestriction, "chips"): chips.filter(bool),
        (LocalizationMandate, "layers"): layers.map(tuple),
        (AdoptionTarget, "milestones"): st.integers(2, 4).flatmap(milestones),
    }
    for (cls, field), strategy in defaults.items():
        _OVERRIDES.setdefault(cls, {}).setdefault(field, strategy)


def _field_strategy(cls: type, field: Any) -> st.SearchStrategy[Any] | None:
    import typing

    import attrs

    meta = field.metadata
    kind = meta.get("fullstack.kind")
    if kind == "fraction":
        return st.floats(0.0, 1.0)
    if kind == "quantity":
        return quantities(meta["fullstack.unit"], max_value=1e6, any_compatible_unit=False)
    if kind == "money":
        per = meta["fullstack.unit"].partition("/")[2]
        return st.just(("money", per))  # drawn in the economy's currency by `instruments`
    try:
        hints = typing.get_type_hints(cls)
    except Exception:  # annotations of a class made in exec() may not resolve
        hints = {}
    hint = hints.get(field.name)
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return st.sampled_from(typing.get_args(hint))
    if hint is bool:
        return st.booleans()
    if hint is float:
        return st.floats(0.0, 10.0)
    if hint is int:
        return st.integers(0, 10)
    if field.default is not attrs.NOTHING:
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            return st.builds(default.factory)
        return st.just(default)
    return None


def instrument_strategy(cls: type, **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Valid instances of an instrument type, for property tests.

    Common fields (years, economy, budget) are drawn sensibly; unit-checked fields from their
    declared unit, money in the currency of the economy drawn; ``Literal`` fields from their
    choices; other fields keep their defaults unless a strategy is given here or with
    `register_field_strategy`. The fields of built-in types that need more (rule keys, catalog
    chips, layers, milestones) have strategies registered already, so ``instrument_strategy(cls)``
    covers every built-in type. Draws that the type's own validation refuses are discarded.

    Example:
        >>> from fullstack.policy import Subsidy
        >>> s = find(instrument_strategy(Subsidy), lambda s: s.rate > 0.5)
        >>> 0.5 < s.rate <= 1
        True
    """
    import attrs
    from hypothesis import assume

    from fullstack.errors import FullstackError

    _register_builtin_strategies()

    common: dict[str, st.SearchStrategy[Any]] = {
        "name": st.sampled_from(["A", "Policy X", "Programme 2"]),
        "economy": st.sampled_from(["CN", "US"]),
        "start": st.integers(2020, 2034),
        "end": st.none() | st.integers(0, 8),  # turned into start + n below
        "budget": st.none() | st.just(("money", "")),
        "layers": st.just(()),
        "beneficiaries": st.just(()),
    }
    strategies: dict[str, st.SearchStrategy[Any]] = {}
    for field in attrs.fields(cls):
        name = field.name
        if name in fields:
            strategies[name] = fields[name]
        elif name in _OVERRIDES.get(cls, {}):
            strategies[name] = _OVERRIDES[cls][name]
        elif name in common:
            strategies[name] = common[name]
        else:
            found = _field_strategy(cls, field)
            if found is None:
                msg = (
                    f"instrument_strategy({cls.__name__}): no strategy for field {name!r}; "
                    f"pass one: instrument_strategy({cls.__name__}, {name}=st....)"
                )
                raise TypeError(msg)
            strategies[name] = found

    offset_end = "end" not in fields and "end" not in _OVERRIDES.get(cls, {})

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        kwargs = {k: draw(v) for k, v in strategies.items()}
        if offset_end and isinstance(kwargs.get("end"), int):
            kwargs["end"] = kwargs["start"] + kwargs["end"]
        # Money is drawn in the currency of the economy the instrument acts on.
        currency = _ECONOMY_CURRENCY.get(str(kwargs.get("economy", "CN")).upper(), "USD")
        for key, value in kwargs.items():
            if isinstance(value, tuple) and len(value) == 2 and value[0] == "money":
                amount = Q_(draw(_magnitudes(0.0, 1e12)), currency)
                kwargs[key] = amount / parse_unit(value[1]) if value[1] else amount
        try:
            return cls(**kwargs)
        except FullstackError:
            assume(False)
            raise  # pragma: no cover - assume() raised

    return build()


def check_instrument(
    cls: type, *, strategy: st.SearchStrategy[Any] | None = None, max_examples: int = 25
) -> None:
    """Check an instrument type the way the built-ins are checked (the conformance kit).

    With hypothesis-generated instances: the instance survives a TOML and a JSON round-trip
    through `fullstack.io` unchanged; its effects are deterministic; it has no effect outside
    its active years or the run's years; every unit-checked field holds its declared dimension;
    every parameter it moves is registered and named in the type's docstring.

    Raises:
        AssertionError: Describing the first failure (hypothesis shows the instance).

    Example:
        >>> from fullstack.policy import Subsidy
        >>> check_instrument(Subsidy, max_examples=5)
    """
    import attrs
    from hypothesis import HealthCheck, given, settings

    import fullstack.io as io
    from fullstack.policy.instruments import Context, tag_of
    from fullstack.units import parse_unit
    from fullstack.world import reference_world

    if tag_of(cls) is None:
        how = "decorate it with @fullstack.register_instrument('tag')"
        msg = f"{cls.__name__} is not registered: {how}"
        raise AssertionError(msg)
    doc = cls.__doc__ or ""
    world = reference_world()
    years = tuple(range(2020, 2041))

    @settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        database=None,
    )
    @given(strategy if strategy is not None else instrument_strategy(cls))
    def check(inst: Any) -> None:
        for fmt in ("toml", "json"):
            back = io.loads(io.dumps(inst, format=fmt), format=fmt)
            assert back == inst, f"{fmt} round-trip changed {inst!r} into {back!r}"
        first = list(inst.effects(Context(world, years)))
        again = list(inst.effects(Context(world, years)))
        assert first == again, "effects are not deterministic"
        for effect in first:
            assert effect.year in years, f"effect outside the run's years: {effect}"
            assert inst.active(effect.year), (
                f"effect in {effect.year}, outside the active years {inst.start}-{inst.end}: "
                f"{effect}"
            )
            key = effect.parameter.key
            assert key in doc, f"{cls.__name__} moves {key!r} but its docstring does not say so"
        for field in attrs.fields(type(inst)):
            if field.metadata.get("fullstack.kind") == "quantity":
                value = getattr(inst, field.name)
                if value is not None:
                    expected = parse_unit(field.metadata["fullstack.unit"]).dimensionality
                    assert value.dimensionality == expected, f"{field.name}: wrong dimension"

    check()
