"""Shared machinery for the sourced data files and the catalogs built from them.

- `read_toml` reads a data file shipped in ``fullstack/datasets`` (or TOML text) and turns a
  syntax error into a `FileFormatError` (the shipped datasets themselves are read through the
  converter, `fullstack._codec.read_dataset`).
- `checked_estimate` checks an estimate's dimension (or that a fraction lies in [0, 1]).
- `Cited` and `FigureEntry` are the parts of the data files' schema classes that say where a
  record or a figure comes from (``source = "key"`` or ``assumption = "why"``), read by the
  converter (`fullstack._codec.read_dataset`) like every other field.
- `Catalog` is a read-only mapping looked up forgivingly by name or alias, with suggestions.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Final, Generic, TypeVar

import attrs

from fullstack._format import html_table as html_table  # re-exported: actors, stack, world
from fullstack._quantity_text import format_value
from fullstack._validators import check_name, to_fraction
from fullstack.errors import FileFormatError, Problem, UnknownNameError, ValidationError
from fullstack.provenance import Assumption, Confidence, Estimate, Provenance, Source
from fullstack.units import Q_, check_quantity

T = TypeVar("T")

GIVEN: Final = Assumption(
    reason="Stated directly when the object was built; no source was recorded with it."
)
"""The provenance given to a figure passed as a plain value instead of an `Estimate`."""

FRACTION: Final = "fraction"
"""Pseudo-unit for plain numbers in [0, 1] (shares, yields, utilization)."""

COUNT: Final = "count"
"""Pseudo-unit for plain non-negative numbers (counts without a unit)."""


def read_toml(name: str | None = None, *, text: str | None = None, path: str = "") -> Any:
    """Parse a shipped data file (``name`` in ``fullstack/datasets``) or TOML ``text``."""
    import tomllib
    from importlib import resources

    if text is None:
        if name is None:  # pragma: no cover - programming error
            msg = "read_toml needs a name or text"
            raise TypeError(msg)
        path = path or f"fullstack/datasets/{name}"
        text = resources.files("fullstack.datasets").joinpath(name).read_text("utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FileFormatError(
            path or "<string>", [Problem("", f"not valid TOML: {exc}")]
        ) from None


@attrs.frozen(kw_only=True)
class Cited:
    """Where a record of a data file comes from: a source key or an assumption (schema part).

    A data file writes ``source = "key"`` (a key of its ``[sources]`` table) or
    ``assumption = "why"``, with an optional ``confidence``; schema classes of records
    (`fullstack.stack.StackFile`'s layers, actors, figures) inherit these fields. The converter
    checks that exactly one is given; `fullstack._codec.read_dataset` checks the key.

    Attributes:
        source: The key of the record's source in the file's ``[sources]`` table.
        assumption: Why the record is assumed, when no source gives it.
        confidence: The confidence of this record, if not the source's (assumptions: low).
    """

    source: str | None = None
    assumption: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(check_name)
    )
    confidence: Confidence | None = None

    def __attrs_post_init__(self) -> None:
        if (self.source is None) == (self.assumption is None):
            got = "both" if self.source is not None else "neither"
            raise ValidationError(
                "",
                'exactly one of source = "<key>" or assumption = "<why>"',
                got,
                cls=type(self),
                field="source",
            )

    def provenance(self, sources: Mapping[str, Source]) -> Provenance:
        """The `Source` (with this record's confidence, if given) or the `Assumption`."""
        if self.source is not None:
            found = sources[self.source]
            if self.confidence is None:
                return found
            cited: Source = attrs.evolve(found, confidence=self.confidence)
            return cited
        assert self.assumption is not None  # __attrs_post_init__ checked it
        return Assumption(reason=self.assumption, confidence=self.confidence or Confidence.LOW)


@attrs.frozen(kw_only=True)
class FigureEntry(Cited):
    """One figure of a data file: ``{value, low, high, source | assumption, note, confidence}``.

    Attributes:
        value: The central value: a number, or a quantity as text (``"5 GW"``).
        low: The low end, if known.
        high: The high end, if known.
        note: How the figure was read or derived.
    """

    value: Any = attrs.field(validator=lambda _i, _a, v: _estimate_part(v, "value"))
    low: Any = attrs.field(default=None, validator=lambda _i, _a, v: _estimate_part(v, "low"))
    high: Any = attrs.field(default=None, validator=lambda _i, _a, v: _estimate_part(v, "high"))
    note: str = ""

    def estimate(self, sources: Mapping[str, Source] | None = None) -> Estimate:
        """The figure as an `Estimate` (units are checked by the caller).

        Without ``sources`` (to check the value alone) its provenance is `GIVEN`.
        """
        return Estimate(
            value=self.value,
            low=self.low,
            high=self.high,
            source=GIVEN if sources is None else self.provenance(sources),
            note=self.note,
        )


def _estimate_part(value: Any, name: str) -> None:
    """A figure's value, low or high: a number or text (a quantity), as an `Estimate` takes."""
    if value is None and name != "value":
        return
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        expected = 'a number or a quantity as text such as "5 GW"'
        raise ValidationError("", expected, value, cls=FigureEntry, field=name)


def _check_plain(value: Any, where: str, *, fraction: bool) -> float:
    if fraction:  # the one fraction rule: 0.25, "25 %" or a dimensionless quantity
        return to_fraction(value, where)
    if isinstance(value, bool) or not isinstance(value, int | float):
        what = "a non-negative number"
        if hasattr(value, "units"):
            what += " (a plain number, without a unit)"
        raise ValidationError(where, what, repr(value) if not isinstance(value, str) else value)
    x = float(value)
    if not math.isfinite(x) or x < 0:
        raise ValidationError(where, "a finite, non-negative number", repr(value))
    return x


def checked_estimate(
    value: Any, unit: str, where: str, *, positive: bool = False, count: str | None = None
) -> Estimate:
    """Turn a value or an `Estimate` into an `Estimate` checked against ``unit``.

    ``unit`` is a pint unit string, `FRACTION` (plain numbers in [0, 1]) or `COUNT` (plain
    non-negative numbers). With ``count`` (a unit such as ``"hbm_stack"``), a bare whole number
    is read as a count of it. Plain values get the `GIVEN` assumption as their provenance.
    """

    def one(x: Any, at: str, *, central: bool) -> Any:
        if x is None:
            return None
        if unit in (FRACTION, COUNT):
            return _check_plain(x, at, fraction=unit == FRACTION)
        if count is not None and isinstance(x, int) and not isinstance(x, bool):
            x = Q_(x, count)
        return check_quantity(x, unit, where=at, positive=positive and central)

    if isinstance(value, Estimate):
        checked: Estimate = attrs.evolve(
            value,
            value=one(value.value, where, central=True),
            low=one(value.low, f"{where}.low", central=False),
            high=one(value.high, f"{where}.high", central=False),
        )
        return checked
    if isinstance(value, str) and unit in (FRACTION, COUNT):
        with contextlib.suppress(ValueError):
            value = float(value)
    return Estimate(value=one(value, where, central=True), source=GIVEN)


def close_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The candidates closest to ``word`` (difflib, imported only when a name is wrong).

    Example:
        >>> close_matches("utilisation", ["utilization", "service_life"])
        ['utilization']
    """
    import difflib

    return difflib.get_close_matches(word, list(candidates), n=n, cutoff=0.6)


def key(name: str) -> str:
    """Normalize a name for forgiving lookup: case, spaces, hyphens and underscores ignored.

    Example:
        >>> key("RTX 4090-D")
        'rtx4090d'
    """
    return re.sub(r"[\s\-_.]+", "", name.casefold())


class Catalog(Mapping[str, T], Generic[T]):
    """A read-only collection looked up forgivingly by name or alias, with suggestions.

    Lookup ignores case, spaces, hyphens, underscores and dots, and accepts aliases. An unknown
    name raises `UnknownNameError` with the closest names.
    """

    kind: str = "item"

    def __init__(
        self,
        items: Iterable[T],
        *,
        name_of: Callable[[T], str],
        aliases_of: Callable[[T], Iterable[str]],
        item_type: type,
    ) -> None:
        """Build a catalog; names and aliases must be unique after normalization."""
        self._items: dict[str, T] = {}
        self._index: dict[str, str] = {}
        label = type(self).__name__
        for item in items:
            if not isinstance(item, item_type):
                raise ValidationError(label, f"{item_type.__name__} objects", repr(item))
            name = name_of(item)
            if name in self._items:
                raise ValidationError(label, "unique names", f"{name!r} twice")
            self._items[name] = item
            for alias in (name, *aliases_of(item)):
                k = key(alias)
                other = self._index.get(k)
                if other is not None and other != name:
                    raise ValidationError(
                        f"{label}[{name!r}].aliases",
                        "names that no other entry uses",
                        f"{alias!r}, already used by {other!r}",
                    )
                self._index[k] = name

    def resolve(self, name: str) -> str:
        """The catalog name for ``name`` (an alias, any case or spacing).

        Raises:
            UnknownNameError: With the closest names when there is no match.
        """
        if not isinstance(name, str):
            raise ValidationError(f"{self.kind} name", "a string", repr(name))
        found = self._index.get(key(name))
        if found is not None:
            return found
        close = close_matches(key(name), self._index, n=4)
        suggestions = list(dict.fromkeys(self._index[c] for c in close))
        raise UnknownNameError(self.kind, name, suggestions, known=len(self._items))

    def __getitem__(self, name: str) -> T:
        """Look up an entry by name or alias (forgiving of case and spacing)."""
        return self._items[self.resolve(name)]

    def __contains__(self, name: object) -> bool:
        """Whether ``name`` (or an alias) is in the catalog."""
        return isinstance(name, str) and key(name) in self._index

    def __iter__(self) -> Iterator[str]:
        """Iterate over the names."""
        return iter(self._items)

    def __len__(self) -> int:
        """The number of entries."""
        return len(self._items)

    def __repr__(self) -> str:
        """A short summary."""
        return f"<{type(self).__name__}: {len(self)} entries>"


def pretty(value: Any) -> str:
    """A short human rendering of a figure: "350 billion CNY/year", "45,000 wafer/month".

    For display only (`fullstack.format_quantity` gives text that parses back).

    Example:
        >>> pretty(Q_(3.5e11, "CNY/year")), pretty(Q_(45000, "wafer/month")), pretty(0.25)
        ('350 billion CNY/year', '45,000 wafer/month', '0.25')
    """
    return format_value(value)  # the one formatting function
