"""The table of fullstack's custom units, generated from ``units.txt`` (its one list).

A definition in ``units.txt`` preceded by a ``#: text`` line is documented: its name, aliases,
definition and dimension come from the line and the registry, its "why" from the comment. A
``#@ definition`` line documents one of pint's own units the same way. ``fullstack units`` and
the table in ``docs/units.md`` both read `unit_table`.

Example:
    >>> rows = unit_table()
    >>> [r.name for r in rows][:3]
    ['bit', 'byte', 'FLOP']
    >>> next(r for r in rows if r.name == "chip").aliases
    ('accelerator', 'package')
"""

from __future__ import annotations

import functools
from importlib import resources

import attrs

from fullstack.units import ureg

__all__ = ["UnitDoc", "unit_table"]


@attrs.frozen
class UnitDoc:
    """One documented unit.

    Attributes:
        name: The unit's name.
        aliases: Other names and the symbol it parses from.
        definition: What it is defined as (``"base unit"`` for a new dimension).
        dimension: Its dimension, as pint writes it.
        why: What it is for.
    """

    name: str
    aliases: tuple[str, ...]
    definition: str
    dimension: str
    why: str


def _row(line: str, why: str) -> UnitDoc:
    parts = [p.strip() for p in line.split("=")]
    name, expr, rest = parts[0], parts[1], parts[2:]
    aliases = tuple(p for p in rest if p and p != "_")
    definition = "base unit" if expr.startswith("[") else expr
    dimension = str(ureg.parse_units(name).dimensionality)
    return UnitDoc(name, aliases, definition, dimension, why)


@functools.cache
def unit_table() -> tuple[UnitDoc, ...]:
    """The documented custom units, in the order of ``units.txt``.

    Example:
        >>> next(r for r in unit_table() if r.name == "TPP").dimension
        '[information] * [computation] / [time]'
    """
    text = resources.files("fullstack").joinpath("units.txt").read_text("utf-8")
    rows: list[UnitDoc] = []
    why: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#:"):
            why.append(line[2:].strip())
        elif line.startswith("#@") and why:
            rows.append(_row(line[2:].strip(), " ".join(why)))
            why = []
        elif line and not line.startswith("#"):
            if why:
                rows.append(_row(line, " ".join(why)))
            why = []
    return tuple(rows)
