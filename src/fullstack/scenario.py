"""Scenarios: a baseline world plus policy instruments over a horizon.

A `Scenario` is frozen and hashable. Compose with ``+`` (add instruments or merge scenarios),
`Scenario.without` and `attrs.evolve`; save and load with `fullstack.save` / `fullstack.load`.
The projection engine (a later release) runs them; today `Scenario.parameters` resolves every
instrument's effects into parameter values per year.

Example:
    >>> from fullstack.policy import ExportControl, Subsidy
    >>> base = Scenario(name="Baseline", start=2025, end=2030)
    >>> oct23 = ExportControl(name="US Oct 2023 rule", rule="2023-10", start=2023)
    >>> s = base + oct23 + Subsidy(name="Power rebate", target="energy", rate=0.2, start=2026)
    >>> [i.name for i in s.instruments], s.years
    (['US Oct 2023 rule', 'Power rebate'], (2025, 2026, 2027, 2028, 2029, 2030))
    >>> s.without("Power rebate").instruments == (oct23,)
    True
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

import attrs

from fullstack._data import close_matches
from fullstack.errors import UnknownNameError, ValidationError
from fullstack.policy.instruments import Instrument, ParameterValues, resolve

if TYPE_CHECKING:
    from collections.abc import Iterable

    from fullstack.world import World

__all__ = ["Scenario"]


#: The instrument tuples last checked by `_to_instruments`, with their names (newest last).
#: ``s + inst`` builds a tuple that starts with ``s.instruments``; when a tuple starts with one
#: of these, only the new instruments are checked, so adding N instruments one at a time costs
#: O(N) checks, not O(N²). A matching entry moves to the new tuple (its names set grows), so a
#: set is never shared by two tuples.
_recently_checked: list[tuple[tuple[Instrument, ...], set[str]]] = []
_recently_checked_lock = threading.Lock()


def _checked_prefix(items: tuple[Any, ...]) -> tuple[int, set[str]]:
    """How many leading items were checked already, and their names (taken from the cache)."""
    with _recently_checked_lock:
        for k in range(len(_recently_checked) - 1, -1, -1):
            previous, names = _recently_checked[k]
            n = len(previous)
            try:  # the same objects: a C-level comparison, identity first (no __eq__ calls)
                same = 0 < n <= len(items) and items[:n] == previous
            except Exception:  # odd objects with an odd __eq__: check everything
                same = False
            if same:
                del _recently_checked[k]
                return n, names
    return 0, set()


def _to_instruments(value: Any) -> tuple[Instrument, ...]:
    if isinstance(value, Instrument):
        value = (value,)
    items = tuple(value)
    checked, names = _checked_prefix(items)
    dupes = set()
    for i in range(checked, len(items)):
        inst = items[i]
        if not isinstance(inst, Instrument):
            raise ValidationError(f"Scenario.instruments[{i}]", "an Instrument", repr(inst))
        if inst.name in names:
            dupes.add(inst.name)
        names.add(inst.name)
    if dupes:
        raise ValidationError("Scenario.instruments", "unique instrument names", sorted(dupes))
    with _recently_checked_lock:
        _recently_checked.append((items, names))
        del _recently_checked[:-4]
    return items


def _check_year(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 < value < 2200:
        raise ValidationError(f"Scenario.{attribute.name}", "a year such as 2025", repr(value))


def _check_world(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value != "reference":
        raise ValidationError(
            "Scenario.world", "'reference' (the built-in reference world)", repr(value)
        )


@attrs.frozen(kw_only=True)
class Scenario:
    """A baseline plus policy instruments over a horizon of years.

    Attributes:
        name: A label.
        instruments: The instruments, with unique names.
        start: The first year projected.
        end: The last year projected (inclusive).
        world: The base world: ``"reference"`` (`fullstack.reference_world`).
        description: What the scenario explores.

    Example:
        >>> s = Scenario(name="Baseline", start=2025, end=2035, description="No new policy")
        >>> s.years[-1], s.instruments
        (2035, ())
    """

    name: str
    instruments: tuple[Instrument, ...] = attrs.field(default=(), converter=_to_instruments)
    start: int = attrs.field(default=2025, validator=_check_year)
    end: int = attrs.field(default=2035, validator=_check_year)
    world: str = attrs.field(default="reference", validator=_check_world)
    description: str = ""

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationError(
                "Scenario.end", f"a year not before start ({self.start})", self.end
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
        from fullstack.world import reference_world

        return reference_world()

    def __add__(self, other: Instrument | Iterable[Instrument] | Scenario) -> Scenario:
        """Add an instrument, several, or another scenario's instruments."""
        extra = other.instruments if isinstance(other, Scenario) else _to_instruments(other)
        return attrs.evolve(self, instruments=(*self.instruments, *extra))

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

        Example:
            >>> from fullstack.policy import Subsidy
            >>> s = Scenario(name="s", end=2026) + Subsidy(name="Rebate", target="energy",
            ...                                            rate=0.5, start=2026)
            >>> s.parameters().touched()
            ['cn.energy.price']
        """
        return resolve(self.base_world(), self.instruments, self.years)
