"""The built-in scenarios: sourced data files in ``fullstack/datasets/scenarios``.

Each file is a scenario file (the format `fullstack.load` reads) with three more keys:

- ``presets``: names of presets of real programmes to include (`fullstack.preset`);
- ``base``: the name of another built-in scenario whose instruments and assumptions it starts
  from;
- ``without``: names of the base's instruments to leave out.

Example:
    >>> list(scenarios())
    ['2025 policies continue', 'Tighter controls', 'Accelerated self-reliance', 'Relaxed controls']
    >>> scenarios()["tighter controls"].assumptions[0].parameter
    'cn.foundry.capacity'
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any, Final

import attrs

from fullstack._data import Catalog, read_toml
from fullstack.errors import FileFormatError, Problem, UnknownNameError
from fullstack.scenario import Scenario

__all__ = ["BASELINE", "scenarios"]

BASELINE: Final = "2025 policies continue"
"""The name of the baseline scenario."""

_FILES: Final = ("baseline.toml", "tighter.toml", "self_reliance.toml", "relaxed.toml")
_EXTRA: Final = ("presets", "base", "without")


def _read(name: str, built: dict[str, Scenario]) -> Scenario:
    import tomli_w

    from fullstack.io import loads
    from fullstack.policy.presets import preset

    path = f"fullstack/datasets/scenarios/{name}"
    data: dict[str, Any] = read_toml(f"scenarios/{name}")
    extra = {k: data.pop(k) for k in _EXTRA if k in data}
    own = loads(tomli_w.dumps(data), format="toml")
    if not isinstance(own, Scenario):  # pragma: no cover - the shipped files are tested
        raise FileFormatError(path, [Problem("", "expected a scenario")])
    instruments: list[Any] = []
    assumptions: list[Any] = []
    base = extra.get("base")
    if base is not None:
        if base not in built:
            raise FileFormatError(path, [Problem("base", f"unknown base scenario {base!r}")])
        instruments += built[base].instruments
        assumptions += built[base].assumptions
    try:
        instruments += [preset(p) for p in extra.get("presets", [])]
    except UnknownNameError as exc:
        raise FileFormatError(path, [Problem("presets", str(exc))]) from None
    dropped = set(extra.get("without", []))
    missing = dropped - {i.name for i in instruments}
    if missing:
        raise FileFormatError(path, [Problem("without", f"no instruments {sorted(missing)}")])
    instruments = [i for i in instruments if i.name not in dropped]
    instruments += own.instruments
    overridden = {o.parameter for o in own.assumptions}
    assumptions = [o for o in assumptions if o.parameter not in overridden]
    assumptions += own.assumptions
    return attrs.evolve(own, instruments=tuple(instruments), assumptions=tuple(assumptions))


@functools.cache
def _catalog() -> Catalog[Scenario]:
    built: dict[str, Scenario] = {}
    aliases: dict[str, tuple[str, ...]] = {}
    for name in _FILES:
        s = _read(name, built)
        built[s.name] = s
        aliases[s.name] = (name.removesuffix(".toml"),)
    return Catalog(
        list(built.values()),
        name_of=lambda s: s.name,
        aliases_of=lambda s: aliases[s.name],
        item_type=Scenario,
    )


def scenarios() -> Catalog[Scenario]:
    """The built-in scenarios: a read-only mapping by name, read once from the data files.

    Lookup forgives case and spacing and takes the files' short names (``"baseline"``,
    ``"tighter"``, ``"self_reliance"``, ``"relaxed"``); an unknown name raises
    `UnknownNameError` with the closest names.

    Example:
        >>> scenarios()["Relaxed Controls"].name
        'Relaxed controls'
        >>> scenarios()["baseline"].end
        2035
    """
    return _catalog()


def scenario_files() -> list[str]:
    """The data files behind the built-in scenarios (for docs and tests).

    Example:
        >>> scenario_files()[0]
        'baseline.toml'
    """
    folder = resources.files("fullstack.datasets").joinpath("scenarios")
    return [f for f in _FILES if folder.joinpath(f).is_file()]
