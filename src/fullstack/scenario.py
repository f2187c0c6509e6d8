"""Scenarios: a baseline world plus policy instruments and assumptions over a horizon.

A `Scenario` is frozen and hashable. Compose with ``+`` (add instruments or merge scenarios),
`Scenario.without` and `attrs.evolve`; compare two with `Scenario.diff`; save and load with
`fullstack.save` / `fullstack.load`; project with `Scenario.run` (`fullstack.run`).
`Scenario.parameters` shows every instrument's effects combined into parameter values per year.

An `Override` (in `Scenario.assumptions`) sets a named parameter's base value, for every year or
by year, with a source or a reason: the engine reads the world's figure, then the scenario's
assumptions, then the instruments' effects.

Example:
    >>> from fullstack.policy import ExportControl, Subsidy
    >>> base = Scenario(name="Baseline", start=2025, end=2030)
    >>> oct23 = ExportControl(name="US Oct 2023 rule", rule="2023-10", start=2023)
    >>> s = base + oct23 + Subsidy(name="Power rebate", target="energy", rate=0.2, start=2026)
    >>> [i.name for i in s.instruments], s.years
    (['US Oct 2023 rule', 'Power rebate'], (2025, 2026, 2027, 2028, 2029, 2030))
    >>> s.without("Power rebate").instruments == (oct23,)
    True
    >>> half = s.assume("cn.hbm.stockpile", "3.7e6 hbm_stack", reason="Half what sources say")
    >>> print(s.diff(half))
    'Baseline' -> 'Baseline'
      + assumption cn.hbm.stockpile = 3.7 million hbm_stack (Half what sources say)
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from fullstack._data import FRACTION, close_matches
from fullstack._validators import YEAR_RULE, check_year, is_year
from fullstack.distributions import Correlation, Distribution, check_correlations, from_table
from fullstack.errors import UnknownNameError, ValidationError
from fullstack.policy.builtin import ExportControl
from fullstack.policy.effects import _unit_check
from fullstack.policy.instruments import Instrument, ParameterValues, resolve
from fullstack.policy.parameters import ParameterName, drawn_name, parameter
from fullstack.provenance import Assumption, Source
from fullstack.units import format_value
from fullstack.world import World

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from concurrent.futures import Executor

    from fullstack.results import Ensemble, Projection

__all__ = ["Override", "Scenario", "ScenarioDiff", "YearPath"]


def _to_parameter_name(value: Any) -> str:
    return str(parameter(value))


class YearPath(Mapping[int, Any]):
    """Values by year, read as steps: each holds from its year until the next (hashable).

    Example:
        >>> path = YearPath({2027: 1.0, 2026: 0.5})
        >>> list(path), path.at(2030), path.at(2025)
        ([2026, 2027], 1.0, None)
    """

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[int, Any] | Iterable[tuple[int, Any]]) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: tuple[tuple[int, Any], ...] = tuple(sorted(pairs, key=lambda kv: kv[0]))

    def __getitem__(self, year: int) -> Any:
        for y, v in self._items:
            if y == year:
                return v
        raise KeyError(year)

    def __iter__(self) -> Iterator[int]:
        return (y for y, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, YearPath):
            return self._items == other._items
        return NotImplemented

    def __repr__(self) -> str:
        return f"YearPath({dict(self._items)!r})"

    def at(self, year: int) -> Any:
        """The value in force in ``year`` (None before the first year).

        Example:
            >>> YearPath({2026: 2.0}).at(2026)
            2.0
        """
        chosen = None
        for y, v in self._items:
            if y <= year:
                chosen = v
        return chosen


@attrs.frozen(kw_only=True)
class Override:
    """A scenario assumption: a parameter's base value, for every year or by year.

    The value replaces the world's figure (or the parameter's default); instruments' effects
    still apply on top. A path (``{2026: ..., 2028: ...}``) holds each point from its year
    until the next; before its first year the world's figure applies. Every override says
    where it comes from: a `Source`, or a ``reason`` (an `Assumption`).

    Attributes:
        parameter: The parameter's dotted name (``"cn.hbm.stockpile"``), checked and
            normalised.
        value: A value in the parameter's unit, a distribution (`fullstack.distributions`:
            a run takes its central value, an ensemble draws it), or a mapping of year to
            either (a `YearPath`).
        reason: Why this value (when there is no published source).
        source: The published source, if any.

    Example:
        >>> o = Override(parameter="cn.foundry.capacity", value={2027: "100000 wafer/month"},
        ...              reason="SMIC's own target")
        >>> o.at(2026) is None, o.at(2030)
        (True, <Quantity(100000.0, 'wafer / month')>)
    """

    parameter: str = attrs.field(converter=_to_parameter_name)
    value: Any
    reason: str = ""
    source: Source | Assumption | None = None

    def __attrs_post_init__(self) -> None:
        where = f"Override({self.parameter}).value"
        name = self.name

        def checked(x: Any, at: str, spread: bool = False) -> Any:
            v = _unit_check(x, name, at)  # a share's value (not its sd) must lie in [0, 1]
            if name.unit == FRACTION and not spread and not 0.0 <= v <= 1.0:
                raise ValidationError(at, f"a share between 0 and 1 (for {name})", repr(x))
            return v

        def point(v: Any, at: str) -> Any:
            if isinstance(v, Mapping) and "distribution" in v:
                v = from_table(v, at)
            if isinstance(v, Distribution):
                return v.map_values(lambda f, x: checked(x, f"{at}.{f}", f in ("sd", "sigma")))
            return checked(v, at)

        if (
            isinstance(self.value, Mapping | list | tuple)
            and not hasattr(self.value, "units")
            and not (isinstance(self.value, Mapping) and "distribution" in self.value)
        ):
            items = self.value.items() if isinstance(self.value, Mapping) else self.value
            points = {}
            for pair in items:
                if not isinstance(pair, tuple | list) or len(pair) != 2:
                    raise ValidationError(where, "a mapping of year to value", repr(self.value))
                year, v = pair
                year_int = _year_key(year, f"{where}[{year}]")
                points[year_int] = point(v, f"{where}[{year}]")
            if not points:
                raise ValidationError(where, "a value or at least one year", "an empty path")
            object.__setattr__(self, "value", YearPath(points))
        else:
            object.__setattr__(self, "value", point(self.value, where))
        reason: object = self.reason
        if self.source is None:
            if not isinstance(reason, str) or not reason.strip():
                raise ValidationError(
                    f"Override({self.parameter})",
                    "a source or a reason (why this value?)",
                    "neither",
                )
        elif not isinstance(self.source, Source | Assumption):
            raise ValidationError(
                f"Override({self.parameter}).source", "a Source or an Assumption", self.source
            )

    @property
    def name(self) -> ParameterName:
        """The parsed parameter name.

        Example:
            >>> Override(parameter="CN.datacenter.pue", value=1.2, reason="r").name.economy
            'CN'
        """
        return parameter(self.parameter)

    @property
    def provenance(self) -> Source | Assumption:
        """The source, or the reason as an `Assumption`.

        Example:
            >>> Override(parameter="cn.datacenter.pue", value=1.2, reason="r").provenance.reason
            'r'
        """
        return self.source if self.source is not None else Assumption(reason=self.reason)

    @property
    def is_uncertain(self) -> bool:
        """Whether the value (or a point of its path) is a distribution an ensemble draws.

        Example:
            >>> from fullstack.distributions import Uniform
            >>> Override(parameter="cn.datacenter.pue", value=Uniform(1.1, 1.4),
            ...          reason="r").is_uncertain
            True
        """
        points = self.value.values() if isinstance(self.value, YearPath) else (self.value,)
        return any(isinstance(v, Distribution) for v in points)

    @property
    def is_path(self) -> bool:
        """Whether the value is given by year.

        Example:
            >>> Override(parameter="cn.datacenter.pue", value=1.2, reason="r").is_path
            False
        """
        return isinstance(self.value, YearPath)

    def at(self, year: int) -> Any:
        """The value in ``year``, or None before a path's first year.

        Example:
            >>> Override(parameter="cn.datacenter.utilization", value=0.4, reason="r").at(2030)
            0.4
        """
        if isinstance(self.value, YearPath):
            return self.value.at(year)
        return self.value

    def describe(self) -> str:
        """One line: the parameter, the value and where it comes from.

        Example:
            >>> Override(parameter="cn.datacenter.pue", value=1.2, reason="r").describe()
            'cn.datacenter.pue = 1.2 (r)'
        """

        def show(v: Any) -> str:
            if isinstance(v, Distribution):
                return str(v)
            return format_value(v, digits=3) if hasattr(v, "units") else f"{v:g}"

        if isinstance(self.value, YearPath):
            text = ", ".join(f"{y}: {show(self.value[y])}" for y in self.value)
        else:
            text = show(self.value)
        why = self.reason or self.provenance.cite()
        return f"{self.parameter} = {text} ({why})"


def _year_key(year: Any, where: str) -> int:
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if not is_year(year):
        raise ValidationError(where, YEAR_RULE, repr(year))
    return int(year)


def _to_assumptions(value: Any) -> tuple[Override, ...]:
    if isinstance(value, Override):
        value = (value,)
    items = tuple(value)
    seen: set[str] = set()
    for i, o in enumerate(items):
        if not isinstance(o, Override):
            raise ValidationError(f"Scenario.assumptions[{i}]", "an Override", repr(o))
        name = o.parameter
        if name in seen:
            raise ValidationError(
                f"Scenario.assumptions[{i}]", "one override per parameter", f"{name} twice"
            )
        seen.add(name)
    return items


def _to_correlations(value: Any) -> tuple[Correlation, ...]:
    """Correlations with checked, normalised names, one per pair, forming a valid matrix."""
    items = []
    for i, c in enumerate((value,) if isinstance(value, Correlation) else tuple(value)):
        where = f"Scenario.correlations[{i}]"
        if not isinstance(c, Correlation):
            raise ValidationError(where, "a Correlation", repr(c))
        try:
            a, b = drawn_name(c.a), drawn_name(c.b)
        except UnknownNameError as exc:
            kind = f"{exc.kind} (in {where})"
            raise UnknownNameError(kind, exc.name, exc.suggestions, exc.known) from None
        items.append(c if (a, b) == (c.a, c.b) else attrs.evolve(c, a=a, b=b))
    check_correlations(items, "Scenario.correlations")
    return tuple(items)


#: The instrument tuples last checked (newest last), each with the set of its names. ``s + inst``
#: takes the set of ``s.instruments`` out of this cache, checks only the new instruments' names
#: against it, adds them and files the set under the new tuple, which the converter then finds
#: by identity: adding N instruments one at a time costs O(N) checks, not O(N²). A set is only
#: ever filed under one tuple, so it is never shared.
_recently_checked: list[tuple[tuple[Instrument, ...], set[str]]] = []
_recently_checked_lock = threading.Lock()


def _take_names(items: tuple[Instrument, ...]) -> set[str] | None:
    """The names of ``items`` if they were checked lately, taken out of the cache."""
    with _recently_checked_lock:
        for k in range(len(_recently_checked) - 1, -1, -1):
            if _recently_checked[k][0] is items:
                return _recently_checked.pop(k)[1]
    return None


def _file_names(items: tuple[Instrument, ...], names: set[str]) -> None:
    with _recently_checked_lock:
        _recently_checked.append((items, names))
        del _recently_checked[:-4]


def _checked_names(items: tuple[Any, ...], names: set[str], offset: int = 0) -> set[str]:
    """Check that ``items`` are instruments whose names are new to ``names`` and to each other.

    Returns their names; ``names`` is not changed. ``offset`` is the first item's index in the
    scenario, for the error's place.
    """
    new: set[str] = set()
    dupes = set()
    for i, inst in enumerate(items, offset):
        if not isinstance(inst, Instrument):
            raise ValidationError(f"Scenario.instruments[{i}]", "an Instrument", repr(inst))
        if inst.name in names or inst.name in new:
            dupes.add(inst.name)
        new.add(inst.name)
    if dupes:
        raise ValidationError("Scenario.instruments", "unique instrument names", sorted(dupes))
    return new


def _to_instruments(value: Any) -> tuple[Instrument, ...]:
    if isinstance(value, Instrument):
        value = (value,)
    items = tuple(value)
    with _recently_checked_lock:  # built and checked by Scenario.__add__ a moment ago
        if any(seen is items for seen, _ in _recently_checked):
            return items
    _file_names(items, _checked_names(items, set()))
    return items


def _check_world(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value != "reference" and not isinstance(value, World):
        raise ValidationError(
            "Scenario.world",
            "'reference' (the built-in reference world) or a fullstack.World",
            repr(value),
        )


@attrs.frozen(kw_only=True)
class Scenario:
    """A baseline plus policy instruments over a horizon of years.

    Attributes:
        name: A label.
        instruments: The instruments, with unique names.
        start: The first year projected.
        end: The last year projected (inclusive).
        world: The base world: ``"reference"`` (`fullstack.reference_world`) or a `World`
            (for instance one edited with `World.with_figure`).
        description: What the scenario explores.
        assumptions: Overrides of named parameters (`Override`), one per parameter.
        correlations: Rank correlations between parameters an ensemble draws
            (`fullstack.distributions.Correlation`), one per pair; together they must form
            a positive definite matrix.

    Example:
        >>> s = Scenario(name="Baseline", start=2025, end=2035, description="No new policy")
        >>> s.years[-1], s.instruments
        (2035, ())
    """

    name: str
    instruments: tuple[Instrument, ...] = attrs.field(default=(), converter=_to_instruments)
    start: int = attrs.field(default=2025, validator=check_year)
    end: int = attrs.field(default=2035, validator=check_year)
    world: str | World = attrs.field(default="reference", validator=_check_world)
    description: str = ""
    assumptions: tuple[Override, ...] = attrs.field(default=(), converter=_to_assumptions)
    correlations: tuple[Correlation, ...] = attrs.field(default=(), converter=_to_correlations)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                "Scenario.end", f"a year not before start ({self.start})", self.end
            )
        base_year = self.base_world().base_year
        if self.start < base_year:
            raise ValidationError(
                "Scenario.start",
                f"a year from the world's base year ({base_year}) on",
                self.start,
            )
        for o in self.assumptions:
            if o.name.economy not in self.base_world().economies:
                raise UnknownNameError(
                    f"economy (in the assumption on {o.parameter})",
                    o.name.economy,
                    close_matches(o.name.economy, self.base_world().economies),
                )

    @property
    def years(self) -> tuple[int, ...]:
        """The years of the horizon.

        Example:
            >>> Scenario(name="s", start=2025, end=2027).years
            (2025, 2026, 2027)
        """
        return tuple(range(self.start, self.end + 1))

    def base_world(self) -> World:
        """The world the scenario starts from.

        Example:
            >>> Scenario(name="s").base_world().base_year
            2025
        """
        if isinstance(self.world, World):
            return self.world
        from fullstack.world import reference_world

        return reference_world()

    def world_rules(self) -> tuple[Instrument, ...]:
        """The export rules in force in the base world, as instruments.

        One per rule and economy it applies to (every economy but the exporter), active in
        every year of the scenario.

        An empty scenario is the world as it is, rules included.

        Example:
            >>> [i.name for i in Scenario(name="s").world_rules()]
            ['World rule 2024-12 (in force at the base year)']
        """
        world = self.base_world()
        out: list[Instrument] = []
        for rule in world.rules_in_force:
            for code in world.economies:
                if code == "US":
                    continue
                out.append(
                    ExportControl(
                        name=f"World rule {rule.key} (in force at the base year)",
                        economy=code,
                        issuer="BIS",
                        rule=rule.key,
                        start=world.base_year,
                        source=Assumption(
                            reason=f"The world's rules in force at {world.base_year} stay "
                            "in force unless a scenario instrument says otherwise."
                        ),
                    )
                )
        return tuple(out)

    def assume(
        self,
        name: str,
        value: Any,
        *,
        reason: str = "",
        source: Source | Assumption | None = None,
    ) -> Scenario:
        """A copy with one parameter's base value set (replacing an earlier override of it).

        Example:
            >>> s = Scenario(name="s").assume("cn.chips.smuggling_share", 0.58, reason="2x")
            >>> s.assumptions[0].describe()
            'cn.chips.smuggling_share = 0.58 (2x)'
        """
        new = Override(parameter=name, value=value, reason=reason, source=source)
        kept = tuple(o for o in self.assumptions if o.parameter != new.parameter)
        return attrs.evolve(self, assumptions=(*kept, new))

    def correlate(self, a: str, b: str, rho: float) -> Scenario:
        """A copy with a rank correlation between two drawn parameters (replacing one of the pair).

        See `fullstack.distributions.Correlation`; an ensemble induces it.

        Example:
            >>> s = Scenario(name="s").correlate("cn.hbm.stockpile", "cn.chips.smuggling_share", 0.5)
            >>> s.correlations[0].rho
            0.5
        """  # noqa: E501
        new = Correlation(a=a, b=b, rho=rho)
        pair = {drawn_name(new.a), drawn_name(new.b)}
        kept = tuple(c for c in self.correlations if {c.a, c.b} != pair)
        return attrs.evolve(self, correlations=(*kept, new))

    def run(self) -> Projection:
        """Project the scenario year by year (see `fullstack.run`).

        Example:
            >>> p = Scenario(name="s", end=2027).run()
            >>> p.years
            (2025, 2026, 2027)
        """
        from fullstack.engine import run

        return run(self)

    def ensemble(
        self,
        n: int,
        *,
        seed: int = 0,
        chunk_size: int | None = None,
        executor: Executor | None = None,
        progress: bool | None = None,
    ) -> Ensemble:
        """Project the scenario ``n`` times over the world's uncertain figures.

        See `fullstack.engine.ensemble`.

        Example:
            >>> e = Scenario(name="s", end=2026).ensemble(10, seed=2)
            >>> e.samples
            10
        """
        from fullstack.engine import ensemble

        return ensemble(
            self, n, seed=seed, chunk_size=chunk_size, executor=executor, progress=progress
        )

    def diff(self, other: Scenario) -> ScenarioDiff:
        """What changes from this scenario to ``other``: settings, instruments, assumptions.

        Example:
            >>> a = Scenario(name="a", end=2030)
            >>> print(a.diff(attrs.evolve(a, end=2035)))
            'a' -> 'a'
              ~ end: 2030 -> 2035
        """
        return ScenarioDiff.between(self, other)

    def __add__(self, other: Instrument | Iterable[Instrument] | Scenario) -> Scenario:
        """Add an instrument, several, or another scenario's instruments.

        Only the new instruments are checked (against the names already there), so building a
        scenario by adding N instruments one at a time takes time linear in N.

        Raises:
            ValidationError: For something that is not an instrument, or a name the scenario
                already has.

        Example:
            >>> from fullstack.policy import Subsidy
            >>> rebate = Subsidy(name="Rebate", target="energy", rate=0.2)
            >>> [i.name for i in (Scenario(name="s") + rebate).instruments]
            ['Rebate']
            >>> Scenario(name="s") + rebate + rebate
            Traceback (most recent call last):
            ...
            fullstack.ValidationError: Scenario.instruments: expected unique instrument names, got ['Rebate']
        """  # noqa: E501
        given: object = other
        if not isinstance(given, Scenario | Instrument) and (
            isinstance(given, str) or not hasattr(given, "__iter__")
        ):
            expected = "an Instrument, a list of instruments or a Scenario"
            raise ValidationError(f"Scenario({self.name!r}) + ...", expected, repr(other))
        extra: tuple[Any, ...]
        if isinstance(other, Scenario):
            extra = other.instruments
        elif isinstance(other, Instrument):
            extra = (other,)
        else:
            extra = tuple(other)
        names = _take_names(self.instruments)  # a set of them, taken out of the cache
        if names is None:
            names = {i.name for i in self.instruments}
        try:
            new = _checked_names(extra, names, len(self.instruments))
        except ValidationError:
            _file_names(self.instruments, names)
            raise
        names |= new
        items = self.instruments + extra  # one C-level copy of the pointers
        _file_names(items, names)  # found by identity when the converter checks ``items``
        return attrs.evolve(self, instruments=items)

    def without(self, *names: str) -> Scenario:
        """A copy without the named instruments.

        Raises:
            UnknownNameError: For a name that is not in the scenario.

        Example:
            >>> Scenario(name="s").without("Big Fund III")
            Traceback (most recent call last):
            ...
            fullstack.UnknownNameError: unknown instrument (in scenario 's') 'Big Fund III'
        """
        present = [i.name for i in self.instruments]
        for n in names:
            if n not in present:
                raise UnknownNameError(
                    f"instrument (in scenario {self.name!r})", n, close_matches(n, present)
                )
        kept = tuple(i for i in self.instruments if i.name not in names)
        return attrs.evolve(self, instruments=kept)

    def instrument(self, name: str) -> Instrument:
        """The instrument with this name.

        Example:
            >>> from fullstack.policy import Subsidy
            >>> s = Scenario(name="s") + Subsidy(name="Rebate", target="energy", rate=0.1)
            >>> s.instrument("Rebate").rate
            0.1
        """
        for i in self.instruments:
            if i.name == name:
                return i
        present = [i.name for i in self.instruments]
        raise UnknownNameError("instrument", name, close_matches(name, present), len(present))

    def parameters(self) -> ParameterValues:
        """Every instrument's effects combined into parameter values per year.

        The world's rules in force (`world_rules`) are included, so an empty scenario caps
        imports of every chip they control. Scenario assumptions are not shown here: the
        engine applies them (see `fullstack.Projection.explain`).

        Example:
            >>> from fullstack.policy import Subsidy
            >>> s = Scenario(name="s", end=2026) + Subsidy(name="Rebate", target="energy",
            ...                                            rate=0.5, start=2026)
            >>> [n for n in s.parameters().touched() if "import_cap" not in n]
            ['cn.energy.price']
            >>> s.parameters().value("cn.chips.import_cap[H100 SXM]", 2026)
            <Quantity(0.0, 'chip / year')>
        """
        instruments = (*self.world_rules(), *self.instruments)
        return resolve(self.base_world(), instruments, self.years)

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><td>{html.escape(i.name)}</td><td>{html.escape(i.tag or type(i).__name__)}"
            f"</td><td>{i.economy}</td><td>{i.start}-{i.end or ''}</td></tr>"
            for i in self.instruments
        )
        assumptions = "".join(f"<li>{html.escape(o.describe())}</li>" for o in self.assumptions)
        return (
            f"<h4>Scenario {html.escape(self.name)} ({self.start}-{self.end})</h4>"
            f"<p>{html.escape(self.description)}</p>"
            "<table><tr><th>instrument</th><th>type</th><th>economy</th><th>years</th></tr>"
            f"{rows}</table>"
            + (f"<p>Assumptions:</p><ul>{assumptions}</ul>" if assumptions else "")
        )


@attrs.frozen
class ScenarioDiff:
    """What changes from one scenario to another, line by line.

    Attributes:
        before: The first scenario's name.
        after: The second scenario's name.
        lines: ``(sign, text)`` pairs: ``"+"`` added, ``"-"`` removed, ``"~"`` changed.

    Example:
        >>> from fullstack.policy import Subsidy
        >>> a = Scenario(name="a")
        >>> b = a + Subsidy(name="Rebate", target="energy", rate=0.2)
        >>> a.diff(b).lines
        (('+', "instrument 'Rebate' (subsidy)"),)
    """

    before: str
    after: str
    lines: tuple[tuple[str, str], ...]

    @classmethod
    def between(cls, a: Scenario, b: Scenario) -> ScenarioDiff:
        """Compare two scenarios.

        Example:
            >>> ScenarioDiff.between(Scenario(name="a"), Scenario(name="a")).lines
            ()
        """
        lines: list[tuple[str, str]] = []
        for field in ("start", "end", "description"):
            va, vb = getattr(a, field), getattr(b, field)
            if va != vb:
                lines.append(
                    (
                        "~",
                        f"{field}: {va!r} -> {vb!r}"
                        if field == "description"
                        else f"{field}: {va} -> {vb}",
                    )
                )
        if a.world != b.world:
            lines.append(("~", "world: a different base world"))
        ia = {i.name: i for i in a.instruments}
        ib = {i.name: i for i in b.instruments}
        for name, inst in ia.items():
            if name not in ib:
                lines.append(("-", f"instrument {name!r} ({inst.tag or type(inst).__name__})"))
        for name, inst in ib.items():
            if name not in ia:
                lines.append(("+", f"instrument {name!r} ({inst.tag or type(inst).__name__})"))
            elif ia[name] != inst:
                lines.append(("~", f"instrument {name!r}: " + _field_changes(ia[name], inst)))
        oa = {o.parameter: o for o in a.assumptions}
        ob = {o.parameter: o for o in b.assumptions}
        for name, o in oa.items():
            if name not in ob:
                lines.append(("-", f"assumption {o.describe()}"))
        for name, o in ob.items():
            if name not in oa:
                lines.append(("+", f"assumption {o.describe()}"))
            elif oa[name] != o:
                lines.append(("~", f"assumption {oa[name].describe()} -> {o.describe()}"))
        ca = {(c.a, c.b): c.rho for c in a.correlations}
        cb = {(c.a, c.b): c.rho for c in b.correlations}
        for pair, rho in ca.items():
            if pair not in cb:
                lines.append(("-", f"correlation {pair[0]} ~ {pair[1]} = {rho:g}"))
        for pair, rho in cb.items():
            if pair not in ca:
                lines.append(("+", f"correlation {pair[0]} ~ {pair[1]} = {rho:g}"))
            elif ca[pair] != rho:
                lines.append(("~", f"correlation {pair[0]} ~ {pair[1]}: {ca[pair]:g} -> {rho:g}"))
        return cls(a.name, b.name, tuple(lines))

    def __bool__(self) -> bool:
        return bool(self.lines)

    def __str__(self) -> str:
        head = f"{self.before!r} -> {self.after!r}"
        if not self.lines:
            return head + "\n  (no differences)"
        return "\n".join([head, *(f"  {sign} {text}" for sign, text in self.lines)])

    def _repr_html_(self) -> str:
        import html

        items = "".join(
            f"<li><code>{sign}</code> {html.escape(text)}</li>" for sign, text in self.lines
        )
        title = f"{html.escape(self.before)} &rarr; {html.escape(self.after)}"
        return f"<p>{title}</p><ul>{items or '<li>no differences</li>'}</ul>"


def _field_changes(a: Instrument, b: Instrument) -> str:
    if type(a) is not type(b):
        return f"type {type(a).__name__} -> {type(b).__name__}"
    changes = []
    for f in attrs.fields(type(a)):
        va, vb = getattr(a, f.name), getattr(b, f.name)
        if va != vb:
            changes.append(f"{f.name} {_short(va)} -> {_short(vb)}")
    return "; ".join(changes)


def _short(value: Any) -> str:
    if hasattr(value, "units"):
        text: str = format_value(value, digits=3)
        return text
    if isinstance(value, Source | Assumption):
        return "(source changed)"
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."
