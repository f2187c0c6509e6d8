"""fullstack: model the AI tech stack and the industrial policy around it.

Chips, fabs, HBM, data centers, energy, data, foundation models and applications; the instruments
states use on them; compute capacity with real units and every figure sourced.

The public API is re-exported here. Importing fullstack is cheap: it loads attrs, numpy and the
pint registry, nothing heavier (no pandas, matplotlib or cattrs until a feature needs them).

Example:
    >>> import fullstack
    >>> fullstack.Q_("300 EFLOP/s").to("H100e")
    <Quantity(303214.069..., 'H100e')>
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fullstack.accelerators import Accelerator, AcceleratorCatalog, accelerator, accelerators
from fullstack.actors import Actor, ActorCatalog, ActorKind, actor, actors
from fullstack.bibliography import Bibliography, bibliography, unsourced_figures, walk_figures
from fullstack.errors import (
    CurrencyError,
    DimensionError,
    FileFormatError,
    FullstackError,
    MissingExtraError,
    MissingUnitError,
    PrecisionError,
    Problem,
    UnitError,
    UnknownNameError,
    UnknownUnitError,
    ValidationError,
)
from fullstack.export_controls import (
    ArrayClassification,
    Classification,
    ExportRule,
    export_rule,
    export_rules,
)
from fullstack.money import ExchangeRate, ExchangeRates, convert_currency, exchange_rates
from fullstack.precision import Precision, Throughput
from fullstack.provenance import Assumption, Confidence, Estimate, Provenance, Source
from fullstack.stack import Layer, Stack, default_stack
from fullstack.units import (
    CURRENCIES,
    Q_,
    Quantity,
    Unit,
    check_quantity,
    currency_of,
    describe_dimension,
    format_quantity,
    format_value,
    fraction_field,
    money_field,
    parse_quantity,
    parse_unit,
    quantity_field,
    to_quantity,
    ureg,
)
from fullstack.world import (
    ECONOMY_FIGURES,
    Economy,
    FleetEntry,
    SelfSufficiency,
    Statistic,
    SupplyShare,
    World,
    reference_world,
)

if not TYPE_CHECKING:
    # A function never shadows its module: ``fullstack.accelerators``, ``fullstack.actors`` and
    # ``fullstack.bibliography`` are the modules, callable like their functions (see
    # fullstack._modules).
    import sys as _sys

    accelerators = _sys.modules["fullstack.accelerators"]
    actors = _sys.modules["fullstack.actors"]
    bibliography = _sys.modules["fullstack.bibliography"]
    del _sys

if TYPE_CHECKING:  # imported on first use (see __getattr__): policies, files and scenarios
    from fullstack._attribution import Attribution, attribute
    from fullstack._ema import ema_model
    from fullstack._library import scenarios
    from fullstack._sensitivity import Sensitivity, Sobol, sensitivity, sobol
    from fullstack.engine import METRICS, run
    from fullstack.io import dumps, load, loads, save
    from fullstack.policy import (
        Add,
        Beneficiary,
        Cap,
        Effect,
        Floor,
        Instrument,
        Scale,
        instrument_types,
        preset,
        register_instrument,
    )
    from fullstack.policy.presets import presets  # the function, not the module of that name
    from fullstack.results import Comparison, Ensemble, Explanation, Projection, compare
    from fullstack.scenario import Override, Scenario, ScenarioDiff

_LAZY: dict[str, tuple[str, str]] = {
    **{n: ("fullstack.io", n) for n in ("dumps", "load", "loads", "save")},
    **{
        n: ("fullstack.policy", n)
        for n in (
            "Add",
            "Beneficiary",
            "Cap",
            "Effect",
            "Floor",
            "Instrument",
            "Scale",
            "instrument_types",
            "preset",
            "presets",
            "register_instrument",
        )
    },
    "Scenario": ("fullstack.scenario", "Scenario"),
    **{n: ("fullstack.scenario", n) for n in ("Override", "ScenarioDiff")},
    **{n: ("fullstack.engine", n) for n in ("METRICS", "run")},
    **{
        n: ("fullstack.results", n)
        for n in ("Comparison", "Ensemble", "Explanation", "Projection", "compare")
    },
    "scenarios": ("fullstack._library", "scenarios"),
    **{n: ("fullstack._attribution", n) for n in ("Attribution", "attribute")},
    **{n: ("fullstack._sensitivity", n) for n in ("Sensitivity", "Sobol", "sensitivity", "sobol")},
    "ema_model": ("fullstack._ema", "ema_model"),
}


# Old names kept for a release: each use warns and says what to use instead.
_DEPRECATED: dict[str, tuple[str, str]] = {
    "instrument": ("register_instrument", "the decorator that registers a policy type"),
    "instruments": ("presets", "the catalog of presets of real programmes"),
}


def __getattr__(name: str) -> Any:
    """Import the policy, file and scenario names on first use, keeping ``import fullstack`` fast.

    Example:
        >>> import fullstack
        >>> fullstack.Scenario.__name__
        'Scenario'
    """
    if name == "__version__":
        return _version()
    if name in _DEPRECATED:
        new, what = _DEPRECATED[name]
        import warnings

        msg = f"fullstack.{name} is deprecated: use fullstack.{new} ({what})"
        warnings.warn(msg, DeprecationWarning, stacklevel=2)
        return __getattr__(new)
    target = _LAZY.get(name)
    if target is None:
        msg = f"module 'fullstack' has no attribute {name!r}"
        raise AttributeError(msg)
    import importlib

    value = getattr(importlib.import_module(target[0]), target[1])
    globals()[name] = value
    return value


def _version() -> str:
    """The installed distribution's version (PEP 440), read from its metadata on first use."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("fullstack")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree, not installed
        found = "0+unknown"
    globals()["__version__"] = found
    return found


def __dir__() -> list[str]:
    """The public names (``__all__``): what ``dir(fullstack)`` and tab completion show."""
    return sorted(__all__)


if TYPE_CHECKING:
    __version__: str
    """The version of fullstack (PEP 440), from the installed package's metadata."""

__all__ = [
    "CURRENCIES",
    "ECONOMY_FIGURES",
    "METRICS",
    "Q_",
    "Accelerator",
    "AcceleratorCatalog",
    "Actor",
    "ActorCatalog",
    "ActorKind",
    "Add",
    "ArrayClassification",
    "Assumption",
    "Attribution",
    "Beneficiary",
    "Bibliography",
    "Cap",
    "Classification",
    "Comparison",
    "Confidence",
    "CurrencyError",
    "DimensionError",
    "Economy",
    "Effect",
    "Ensemble",
    "Estimate",
    "ExchangeRate",
    "ExchangeRates",
    "Explanation",
    "ExportRule",
    "FileFormatError",
    "FleetEntry",
    "Floor",
    "FullstackError",
    "Instrument",
    "Layer",
    "MissingExtraError",
    "MissingUnitError",
    "Override",
    "Precision",
    "PrecisionError",
    "Problem",
    "Projection",
    "Provenance",
    "Quantity",
    "Scale",
    "Scenario",
    "ScenarioDiff",
    "SelfSufficiency",
    "Sensitivity",
    "Sobol",
    "Source",
    "Stack",
    "Statistic",
    "SupplyShare",
    "Throughput",
    "Unit",
    "UnitError",
    "UnknownNameError",
    "UnknownUnitError",
    "ValidationError",
    "World",
    "__version__",
    "accelerator",
    "accelerators",
    "actor",
    "actors",
    "attribute",
    "bibliography",
    "check_quantity",
    "compare",
    "convert_currency",
    "currency_of",
    "default_stack",
    "describe_dimension",
    "dumps",
    "ema_model",
    "exchange_rates",
    "export_rule",
    "export_rules",
    "format_quantity",
    "format_value",
    "fraction_field",
    "instrument_types",
    "load",
    "loads",
    "money_field",
    "parse_quantity",
    "parse_unit",
    "preset",
    "presets",
    "quantity_field",
    "reference_world",
    "register_instrument",
    "run",
    "save",
    "scenarios",
    "sensitivity",
    "sobol",
    "to_quantity",
    "unsourced_figures",
    "ureg",
    "walk_figures",
]

# Tracebacks read ``fullstack.DimensionError``, not ``fullstack.errors.DimensionError``. Only the
# exceptions are renamed: other classes keep their module so that doctest finds their methods.
for _name in __all__:
    _obj = globals().get(_name)
    if isinstance(_obj, type) and issubclass(_obj, BaseException):
        _obj.__module__ = "fullstack"
del _name, _obj
