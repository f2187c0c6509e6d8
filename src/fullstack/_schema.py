"""The parameter schema: one table (``datasets/parameters.toml``) for parameters and figures.

Each row names a model parameter (``foundry.capacity``), the economy figure that gives its base
value (``advanced_foundry_capacity``), its unit, stack layer, index kind, default and meaning.
`ECONOMY_FIGURES` (what an `Economy` may hold) and `PARAMETERS` (what effects and assumptions
move) are both read from it, so a description is written once.

Example:
    >>> PARAMETERS["foundry.capacity"].figure
    'advanced_foundry_capacity'
    >>> ECONOMY_FIGURES["advanced_foundry_capacity"].unit
    'wafer/month'
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from fullstack._data import read_toml
from fullstack.errors import FileFormatError, Problem

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["ECONOMY_FIGURES", "PARAMETERS", "FigureSpec", "ParameterSpec"]


@attrs.frozen
class FigureSpec:
    """What one economy figure is: its unit (``{currency}`` for the economy's money) and meaning.

    Attributes:
        unit: A pint unit, ``{currency}`` standing for the economy's currency, or ``fraction``.
        description: What the figure measures.
        parameter: The parameter whose base value it gives, if any.

    Example:
        >>> ECONOMY_FIGURES["ai_capex"].unit
        '{currency}/year'
    """

    unit: str
    description: str
    parameter: str | None = None


@attrs.frozen
class ParameterSpec:
    """One kind of parameter: its unit, meaning, index and base value.

    Attributes:
        key: The name without economy and index, e.g. ``"chips.import_cap"``.
        unit: A pint unit (``{currency}`` for the economy's money) or ``"fraction"``.
        description: What it is and what moves it.
        layer: The stack layer the parameter belongs to.
        index: What the ``[...]`` index names: ``"chip"``, ``"layer"`` or None.
        figure: The `Economy` figure that gives the base value, if any.
        default: The base value when the economy has no such figure, in ``unit``
            (``math.inf`` for "no limit"). It says the quantity is not modelled for that
            economy, not what the world is like.

    Example:
        >>> PARAMETERS["chips.import_cap"].default
        inf
    """

    key: str
    unit: str
    description: str
    layer: str
    index: Literal["chip", "layer"] | None = None
    figure: str | None = None
    default: float | None = None


_COLUMNS: Final = frozenset({"key", "figure", "unit", "layer", "index", "default", "description"})


def _load() -> tuple[dict[str, ParameterSpec], dict[str, FigureSpec]]:
    data = read_toml("parameters.toml")
    problems: list[Problem] = []
    params: dict[str, ParameterSpec] = {}
    figures: dict[str, FigureSpec] = {}
    for i, row in enumerate(data.get("parameter", [])):
        where = f"parameter[{i}]"
        extra = set(row) - _COLUMNS
        if extra:
            problems.append(Problem(where, f"unknown columns {sorted(extra)}"))
            continue
        key, figure = row.get("key"), row.get("figure")
        if key is None and figure is None:
            problems.append(Problem(where, "expected a key, a figure or both"))
            continue
        default = row.get("default")
        value = None if default is None else (math.inf if default == "inf" else float(default))
        if key is not None:
            if key in params:
                problems.append(Problem(f"{where}.key", f"{key!r} is defined twice"))
            params[key] = ParameterSpec(
                key=key,
                unit=row["unit"],
                description=row["description"],
                layer=row["layer"],
                index=row.get("index"),
                figure=figure,
                default=value,
            )
        if figure is not None:
            figures[figure] = FigureSpec(row["unit"], row["description"], key)
    if problems:  # pragma: no cover - the shipped table is tested
        raise FileFormatError("fullstack/datasets/parameters.toml", problems)
    return params, figures


_PARAMS, _FIGURES = _load()

PARAMETERS: Final[Mapping[str, ParameterSpec]] = _PARAMS
"""Every kind of parameter effects and assumptions may touch, by key (``"foundry.capacity"``)."""

ECONOMY_FIGURES: Final[Mapping[str, FigureSpec]] = _FIGURES
"""The figures an `Economy` may hold, with their units and meaning (the docs table is generated
from this mapping)."""


def spec_default(spec: ParameterSpec) -> Any:
    """The default of a parameter, or 0 when the table gives none.

    Example:
        >>> spec_default(PARAMETERS["foundry.investment"])
        0.0
    """
    return 0.0 if spec.default is None else spec.default
