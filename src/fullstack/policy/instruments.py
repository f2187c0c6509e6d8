"""Policy instruments: the base class, the registry of types, beneficiaries, and resolving effects.

An instrument is a frozen attrs class with unit-checked fields and one method, `effects`, that
yields its `Effect` objects on named parameters in the years it is active. Built-in types live
in `fullstack.policy.builtin`; users write their own the same way and register them:

Example:
    >>> import attrs
    >>> from fullstack.policy import Add, Instrument, register_instrument
    >>> @register_instrument("example_power_build")
    ... @attrs.frozen(kw_only=True)
    ... class PowerBuild(Instrument):
    ...     power_per_year: Any = quantity_field("GW")
    ...     def effects(self, ctx):
    ...         for year in ctx.active_years(self):
    ...             built = self.power_per_year * (year - self.start + 1)
    ...             yield Add(f"{self.economy}.datacenter.power", year, built)
    >>> build = PowerBuild(name="Build", economy="CN", start=2026, end=2027,
    ...                    power_per_year="1 GW")
    >>> [(e.year, e.value) for e in build.effects(Context(reference_world(), range(2025, 2030)))]
    [(2026, <Quantity(1.0, 'gigawatt')>), (2027, <Quantity(2.0, 'gigawatt')>)]
    >>> unregister("example_power_build")
"""

from __future__ import annotations

import enum
import html
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs

from fullstack._data import GIVEN, close_matches
from fullstack._format import html_table
from fullstack._quantity_text import format_value
from fullstack._validators import (
    check_name,
    check_optional_year,
    check_provenance,
    check_text,
    check_year,
    converted_field,
    to_money,
)
from fullstack.errors import MissingExtraError, UnknownNameError, ValidationError
from fullstack.policy.effects import Effect, combine
from fullstack.provenance import Assumption, Provenance, Source
from fullstack.world import World

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Beneficiary",
    "Context",
    "Instrument",
    "ParameterValues",
    "Strength",
    "collect_effects",
    "instrument",
    "instrument_types",
    "register_instrument",
    "resolve",
    "tag_of",
    "unregister",
]

ENTRY_POINT_GROUP: Final = "fullstack.instruments"
"""The entry-point group third-party packages register instrument types under."""


class Strength(enum.Enum):
    """How strongly an instrument is reported to benefit an actor.

    Example:
        >>> Strength("contested")
        <Strength.CONTESTED: 'contested'>
    """

    STRONG = "strong"
    MODERATE = "moderate"
    WEAK = "weak"
    CONTESTED = "contested"


def _to_sources(value: Any) -> tuple[Provenance, ...]:
    if isinstance(value, Source | Assumption):
        value = (value,)
    items = tuple(value)
    for s in items:
        if not isinstance(s, Source | Assumption):
            raise ValidationError("Beneficiary.sources", "Source or Assumption objects", repr(s))
    return items


def _to_strength(value: Any) -> Strength:
    try:
        return value if isinstance(value, Strength) else Strength(str(value).lower())
    except ValueError:
        known = ", ".join(s.value for s in Strength)
        raise ValidationError("Beneficiary.strength", f"one of {known}", repr(value)) from None


@attrs.frozen(kw_only=True)
class Beneficiary:
    """An actor an instrument is reported to benefit, with the sources and how strongly.

    A disputed link is marked ``strength="contested"`` and carries the sources on both sides:
    ``sources`` for the link, ``counter_sources`` against it. Reports show it as contested.

    Example:
        >>> b = Beneficiary(actor="DeepSeek", strength="contested",
        ...                 sources=[Assumption(reason="Reports link it to state promotion.")],
        ...                 counter_sources=[Assumption(reason="Reports call it private.")])
        >>> b.contested
        True
    """

    actor: str
    strength: Strength = attrs.field(converter=_to_strength)
    sources: tuple[Provenance, ...] = attrs.field(converter=_to_sources)
    counter_sources: tuple[Provenance, ...] = attrs.field(default=(), converter=_to_sources)
    note: str = ""

    def __attrs_post_init__(self) -> None:
        from fullstack.actors import actors

        actors().resolve(self.actor)  # an unknown actor is an error with suggestions
        if not self.sources:
            raise ValidationError(f"Beneficiary({self.actor}).sources", "at least one", "none")
        if self.strength is Strength.CONTESTED and not self.counter_sources:
            raise ValidationError(
                f"Beneficiary({self.actor}).counter_sources",
                "the sources that dispute a contested link",
                "none",
            )
        if self.counter_sources and self.strength is not Strength.CONTESTED:
            raise ValidationError(
                f"Beneficiary({self.actor}).strength",
                "'contested' when counter_sources are given",
                self.strength.value,
            )

    @property
    def contested(self) -> bool:
        """Whether the link is disputed.

        Example:
            >>> Beneficiary(actor="SMIC", strength="strong",
            ...             sources=[Assumption(reason="r")]).contested
            False
        """
        return self.strength is Strength.CONTESTED


def _check_economy(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.isalpha() or not 2 <= len(value) <= 4:
        raise ValidationError(
            "", "an economy code such as 'CN'", repr(value), cls=type(instance), field="economy"
        )


def _to_code(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def _to_layers(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    layers = tuple(value)
    from fullstack.stack import default_stack

    stack = default_stack()
    for layer in layers:
        if layer not in stack:
            raise UnknownNameError("layer", str(layer), close_matches(str(layer), stack.ids))
    return layers


def _to_beneficiaries(value: Any) -> tuple[Beneficiary, ...]:
    items = tuple(value)
    for b in items:
        if not isinstance(b, Beneficiary):
            raise ValidationError("Instrument.beneficiaries", "Beneficiary objects", repr(b))
    return items


@attrs.frozen(kw_only=True)
class Instrument:
    """The base of every policy instrument: common fields and the `effects` method.

    Subclasses are frozen attrs classes (``@attrs.frozen(kw_only=True)``) with unit-checked
    fields, registered with `instrument` for files, catalogs and the conformance kit.

    Attributes:
        name: A label, e.g. ``"Big Fund III"``.
        economy: The economy it acts on (``"CN"``, ``"US"``).
        issuer: Who runs it (an actor's name, or free text).
        layers: The stack layers it targets.
        start: The first year it is active.
        end: The last year it is active (inclusive); None while it has no set end.
        budget: Money committed, if it has a budget (total or per year).
        source: Where the instrument and its figures come from.
        beneficiaries: Actors it is reported to benefit, with sources.
        note: Remarks.

    Example:
        >>> inst = Instrument(name="Plan", economy="cn", start=2026, end=2030,
        ...                   budget="10 GCNY", layers=["datacenters"])
        >>> inst.economy, inst.active(2031), inst.budget
        ('CN', False, <Quantity(10.0, 'gigaCNY')>)
    """

    name: str = attrs.field(validator=check_name)
    economy: str = attrs.field(default="CN", converter=_to_code, validator=_check_economy)
    issuer: str = attrs.field(default="", validator=check_text)
    layers: tuple[str, ...] = attrs.field(default=(), converter=_to_layers)
    start: int = attrs.field(default=2025, validator=check_year)
    end: int | None = attrs.field(default=None, validator=check_optional_year)
    budget: Any = converted_field(to_money, optional=True)  # noqa: RUF009 - an attrs field
    source: Provenance = attrs.field(default=GIVEN, validator=check_provenance)
    beneficiaries: tuple[Beneficiary, ...] = attrs.field(default=(), converter=_to_beneficiaries)
    note: str = attrs.field(default="", validator=check_text)

    def __attrs_post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            expected = f"a year not before start ({self.start})"
            raise ValidationError("", expected, self.end, cls=type(self), field="end")

    def active(self, year: int) -> bool:
        """Whether the instrument is active in ``year``.

        Example:
            >>> Instrument(name="x", start=2026, end=2027).active(2028)
            False
        """
        return self.start <= year and (self.end is None or year <= self.end)

    def effects(self, ctx: Context) -> Iterable[Effect]:
        """The instrument's effects on named parameters, in the years it is active.

        Every instrument type defines its own; the base class has none to give.

        Raises:
            NotImplementedError: Naming the type, when a subclass forgot to define it.

        Example:
            >>> Instrument(name="x").effects(Context(reference_world(), range(2025, 2027)))
            Traceback (most recent call last):
            ...
            NotImplementedError: Instrument does not define effects(self, ctx): ...
        """
        name = type(self).__name__
        msg = (
            f"{name} does not define effects(self, ctx): an instrument type yields its Effects "
            "(Add, Scale, Floor, Cap) on named parameters in ctx.active_years(self)"
        )
        raise NotImplementedError(msg)

    @property
    def tag(self) -> str | None:
        """The registered tag of this instrument's type (None if the type is not registered).

        Example:
            >>> Instrument(name="x").tag is None
            True
        """
        return tag_of(type(self))

    def _repr_html_(self) -> str:
        """The instrument's fields as a table, values as people read them (notebooks)."""
        rows = [
            (field.name, _shown(getattr(self, field.name)))
            for field in attrs.fields(type(self))
            if field.name != "name" and getattr(self, field.name) not in (None, (), "")
        ]
        kind = html.escape(self.tag or type(self).__name__)
        return f"<p><b>{html.escape(self.name)}</b> ({kind})</p>" + html_table(
            ("field", "value"), rows
        )


def _shown(value: Any) -> str:
    """A field's value as text: quantities and numbers by `format_value`, sources cited."""
    if isinstance(value, Source | Assumption):
        return value.cite()
    if isinstance(value, Beneficiary):
        return f"{value.actor} ({value.strength.value})"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, tuple):
        return ", ".join(_shown(v) for v in value)
    return format_value(value)


def _to_years(value: Iterable[Any]) -> tuple[int, ...]:
    return tuple(int(y) for y in value)


@attrs.frozen
class Context:
    """What an instrument sees when it computes its effects: the world and the years.

    Example:
        >>> ctx = Context(reference_world(), range(2025, 2031))
        >>> list(ctx.active_years(Instrument(name="x", start=2029)))
        [2029, 2030]
    """

    world: World
    years: tuple[int, ...] = attrs.field(converter=_to_years)

    def active_years(self, instrument: Instrument) -> Iterator[int]:
        """The years of the run in which ``instrument`` is active.

        Example:
            >>> ctx = Context(reference_world(), range(2025, 2028))
            >>> list(ctx.active_years(Instrument(name="x", start=2020, end=2025)))
            [2025]
        """
        return (y for y in self.years if instrument.active(y))


# --- the registry -----------------------------------------------------------------------------

_REGISTRY: dict[str, type[Instrument]] = {}
_TAGS: dict[type, str] = {}
_entry_points_loaded = False

C = TypeVar("C", bound=type[Instrument])


def register_instrument(tag: str) -> Any:
    """Register an instrument type under a file tag (a class decorator).

    The tag is what files write as ``type = "<tag>"``. A type defined later (in a notebook cell)
    works everywhere a built-in does. Re-running the same definition (same module and name)
    replaces it; two different types claiming one tag is an error.

    Raises:
        ValidationError: For a bad tag, a class that is not an attrs `Instrument`, or a tag
            already claimed by another type.

    Example:
        >>> import attrs
        >>> @register_instrument("example_noop")
        ... @attrs.frozen(kw_only=True)
        ... class Noop(Instrument):
        ...     pass
        >>> tag_of(Noop), instrument_types()["example_noop"] is Noop
        ('example_noop', True)
        >>> unregister("example_noop")
    """
    text: object = tag
    if not isinstance(text, str) or not text.replace("_", "").isalnum() or not text[:1].isalpha():
        raise ValidationError("instrument tag", "a snake_case name such as 'subsidy'", repr(tag))

    def register(cls: C) -> C:
        candidate: object = cls
        if not (
            isinstance(candidate, type)
            and issubclass(candidate, Instrument)
            and attrs.has(candidate)
        ):
            raise ValidationError(
                f"@register_instrument({tag!r})",
                "an attrs class deriving from fullstack.policy.Instrument",
                repr(cls),
            )
        existing = _REGISTRY.get(tag)
        if existing is not None and existing is not cls:
            same = (existing.__module__, existing.__qualname__) == (
                cls.__module__,
                cls.__qualname__,
            )
            if not same:
                raise ValidationError(
                    f"@register_instrument({tag!r})",
                    "a tag no other type uses",
                    f"{tag!r} already used by {existing.__module__}.{existing.__qualname__}",
                )
            _TAGS.pop(existing, None)
        other_tag = _TAGS.get(cls)
        if other_tag is not None and other_tag != tag:
            raise ValidationError(
                f"@register_instrument({tag!r})",
                "one tag per type",
                f"already registered as {other_tag!r}",
            )
        _REGISTRY[tag] = cls
        _TAGS[cls] = tag
        return cls

    return register


def instrument(tag: str) -> Any:
    """Deprecated alias of `register_instrument` (the word "instrument" names the policies).

    Warns:
        DeprecationWarning: Always; it will be removed in a future release.

    Example:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     decorator = instrument("example_old")
        >>> caught[0].category.__name__
        'DeprecationWarning'
    """
    warnings.warn(
        "fullstack.instrument is deprecated: use fullstack.register_instrument (same arguments)",
        DeprecationWarning,
        stacklevel=2,
    )
    return register_instrument(tag)


def unregister(tag: str) -> None:
    """Remove a registered type (for tests and notebook experiments).

    Example:
        >>> unregister("no_such_tag")  # unknown tags are ignored
    """
    cls = _REGISTRY.pop(tag, None)
    if cls is not None:
        _TAGS.pop(cls, None)


def _load_entry_points() -> None:
    global _entry_points_loaded
    if _entry_points_loaded:
        return
    _entry_points_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        obj = ep.load()
        if isinstance(obj, type) and issubclass(obj, Instrument) and obj not in _TAGS:
            register_instrument(ep.name)(obj)


def instrument_types() -> Mapping[str, type[Instrument]]:
    """Every registered instrument type by tag: built-ins, entry points and your own.

    Example:
        >>> "subsidy" in instrument_types()
        True
    """
    import fullstack.policy.builtin  # noqa: F401 - registers the built-in types

    _load_entry_points()
    return dict(_REGISTRY)


def tag_of(cls: type) -> str | None:
    """The tag a type is registered under, or None.

    Example:
        >>> from fullstack.policy.builtin import Subsidy
        >>> tag_of(Subsidy)
        'subsidy'
    """
    return _TAGS.get(cls)


def type_for(tag: str) -> type[Instrument]:
    """The type registered under ``tag``.

    Raises:
        UnknownNameError: Listing the known tags and the closest one.

    Example:
        >>> type_for("subsidy").__name__
        'Subsidy'
    """
    types = instrument_types()
    if tag not in types:
        raise UnknownNameError(
            f"instrument type (known: {', '.join(sorted(types))})",
            str(tag),
            close_matches(str(tag), types),
            known=len(types),
        )
    return types[tag]


# --- resolving effects into parameter values ----------------------------------------------------


@attrs.frozen
class ParameterValues:
    """Parameter values per year after every instrument's effects are combined.

    Attributes:
        world: The world the base values come from.
        years: The years resolved.
        values: ``{(parameter name, year): value}`` for every parameter some effect touched.
        effects: The effects by ``(parameter name, year)``, for explanations.

    Example:
        >>> from fullstack.policy import Add
        >>> class Grid(Instrument):
        ...     def effects(self, ctx):
        ...         return [Add("cn.datacenter.power", 2026, "1 GW")]
        >>> pv = resolve(reference_world(), [Grid(name="g")], range(2025, 2028))
        >>> base = reference_world().economies["CN"].figure("datacenter_power_for_ai").value
        >>> pv.value("cn.datacenter.power", 2026) - base
        <Quantity(1.0, 'gigawatt')>
    """

    world: World
    years: tuple[int, ...]
    values: Mapping[tuple[str, int], Any] = attrs.field(hash=False)
    effects: Mapping[tuple[str, int], tuple[Effect, ...]] = attrs.field(hash=False)

    def value(self, name: str, year: int) -> Any:
        """A parameter's value in a year: combined if some effect touched it, else the base.

        Raises:
            UnknownNameError: For a parameter of an economy that is not in the world.
            ValidationError: For a year outside the years resolved.

        Example:
            >>> pv = resolve(reference_world(), [], range(2025, 2026))
            >>> pv.value("cn.datacenter.utilization", 2025)
            0.25
            >>> pv.value("cn.datacenter.utilization", 2030)
            Traceback (most recent call last):
            ...
            fullstack.ValidationError: ParameterValues.value: expected a year resolved, 2025-2025, got 2030
        """  # noqa: E501
        from fullstack.policy.parameters import parameter

        p = parameter(name)
        if p.economy not in self.world.economies:
            raise UnknownNameError(
                f"economy (in parameter {name!r})",
                p.economy,
                close_matches(p.economy, self.world.economies),
                known=len(self.world.economies),
            )
        if year not in self.years:
            span = f"{self.years[0]}-{self.years[-1]}" if self.years else "none"
            raise ValidationError("ParameterValues.value", f"a year resolved, {span}", year)
        key = (str(p), year)
        if key in self.values:
            return self.values[key]
        return p.base_value(self.world.economies[p.economy])

    def touched(self) -> list[str]:
        """The parameters some effect touched, sorted.

        Example:
            >>> resolve(reference_world(), [], range(2025, 2026)).touched()
            []
        """
        return sorted({name for name, _ in self.values})

    def _rows(self) -> list[tuple[str, str, list[Any]]]:
        """``(parameter, unit, value per year)`` for each touched parameter, in one unit."""
        rows = []
        for name in self.touched():
            values = [self.value(name, year) for year in self.years]
            unit = next((v.units for v in values if hasattr(v, "units")), None)
            if unit is not None:
                values = [v.to(unit) if hasattr(v, "units") else v for v in values]
            rows.append((name, "" if unit is None else f"{unit:~P}", values))
        return rows

    def to_frame(self) -> pd.DataFrame:
        """The touched parameters as a pandas DataFrame (needs the ``frames`` extra).

        One row per parameter, its unit, then one column per year with the magnitude in that
        unit (fractions as plain numbers).

        Raises:
            MissingExtraError: Without pandas.

        Example:
            >>> from fullstack.policy import Add
            >>> class Grid(Instrument):
            ...     def effects(self, ctx):
            ...         return [Add("cn.datacenter.power", 2026, "1 GW")]
            >>> frame = resolve(reference_world(), [Grid(name="g")], range(2025, 2027)).to_frame()
            >>> frame.loc["cn.datacenter.power", "unit"], list(frame.columns)
            ('GW', ['unit', 2025, 2026])
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise MissingExtraError("frames", "DataFrames (to_frame)") from exc
        records = {
            name: {"unit": unit}
            | {y: float(getattr(v, "magnitude", v)) for y, v in zip(self.years, vs, strict=True)}
            for name, unit, vs in self._rows()
        }
        frame = pd.DataFrame.from_dict(records, orient="index", columns=["unit", *self.years])
        frame.index.name = "parameter"
        return frame

    def _repr_html_(self) -> str:
        """The touched parameters by year, values as people read them (notebooks)."""
        rows = [[name, *(format_value(v) for v in vs)] for name, _, vs in self._rows()]
        head = f"<p>Parameter values, {self.years[0]}-{self.years[-1]}" if self.years else "<p>"
        note = f": {len(rows)} touched by some instrument</p>"
        return head + note + html_table(("parameter", *map(str, self.years)), rows)


def collect_effects(
    world: World, instruments: Sequence[Instrument], years: Sequence[int]
) -> dict[tuple[str, int], list[tuple[str, Effect]]]:
    """Every instrument's effects by (parameter, year), each with its instrument's name.

    Effects outside ``years`` are dropped; effects on an economy that is not in the world are
    an error naming both. `resolve` and the projection engine both read effects this way.

    Example:
        >>> from fullstack.policy import Subsidy
        >>> rebate = Subsidy(name="Rebate", target="energy", rate=0.2, start=2026, end=2026)
        >>> collect_effects(reference_world(), [rebate], [2025, 2026])
        {('cn.energy.price', 2026): [('Rebate', Scale(...))]}
    """
    ctx = Context(world, years)
    grouped: dict[tuple[str, int], list[tuple[str, Effect]]] = {}
    for inst in instruments:
        if not isinstance(inst, Instrument):
            raise ValidationError("resolve.instruments", "Instrument objects", repr(inst))
        for effect in inst.effects(ctx):
            if not isinstance(effect, Effect):
                raise ValidationError(
                    f"{type(inst).__name__}({inst.name}).effects", "Effect objects", repr(effect)
                )
            if effect.year not in years:
                continue
            if effect.parameter.economy not in world.economies:
                raise UnknownNameError(
                    f"economy (in an effect of {inst.name!r} on {effect.parameter})",
                    effect.parameter.economy,
                    close_matches(effect.parameter.economy, world.economies),
                    known=len(world.economies),
                )
            key = (str(effect.parameter), effect.year)
            grouped.setdefault(key, []).append((inst.name, effect))
    return grouped


def resolve(
    world: World, instruments: Sequence[Instrument], years: Iterable[int]
) -> ParameterValues:
    """Collect every instrument's effects and combine them per parameter and year.

    Effects outside ``years`` are dropped; effects on an economy that is not in the world are
    an error naming both.

    Example:
        >>> resolve(reference_world(), [], range(2025, 2030)).years
        (2025, 2026, 2027, 2028, 2029)
    """
    year_list = tuple(years)
    owned = collect_effects(world, instruments, year_list)
    grouped = {key: [effect for _, effect in pairs] for key, pairs in owned.items()}
    values: dict[tuple[str, int], Any] = {}
    for (name, year), effects in grouped.items():
        p = effects[0].parameter
        base = p.base_value(world.economies[p.economy])
        values[(name, year)] = combine(base, effects)
    frozen = {k: tuple(v) for k, v in grouped.items()}
    return ParameterValues(world, year_list, values, frozen)
