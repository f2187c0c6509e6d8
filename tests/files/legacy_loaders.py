"""The loaders of the shipped datasets as they were before they went through the converter.

Kept, copied as they were, only so that `test_datasets.py` can check that the converter builds
objects equal to theirs from the shipped files (issue 9, item 3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from fullstack._accelerator import _FLOAT_UNIT, _INT_UNIT, _SPEC_UNITS, _checked_estimate
from fullstack._data import FRACTION, checked_estimate, read_toml
from fullstack._world_parts import FleetEntry, Statistic, SupplyShare, _placed, check_figure
from fullstack.accelerators import Accelerator, AcceleratorCatalog
from fullstack.accelerators import accelerators as catalog
from fullstack.actors import Actor, ActorCatalog
from fullstack.errors import FileFormatError, Problem, UnknownNameError, ValidationError
from fullstack.export_controls import export_rule
from fullstack.money import ExchangeRate, ExchangeRates
from fullstack.precision import Precision
from fullstack.provenance import Assumption, Estimate, Provenance, Source
from fullstack.stack import Layer, Stack, default_stack
from fullstack.world import Economy, World

_SOURCE_FIELDS = frozenset(f.name for f in attrs.fields(Source))


def check_schema_version(data: Any, problems: list[Problem], expected: int = 1) -> None:
    """Record a problem unless ``data["schema_version"] == expected``."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    if version != expected:
        problems.append(Problem("schema_version", f"expected {expected}, got {version!r}"))


def load_sources(raw: Any, problems: list[Problem]) -> dict[str, Source]:
    """Read the ``[sources.<key>]`` tables; problems are recorded, not raised."""
    out: dict[str, Source] = {}
    if not isinstance(raw, dict):
        problems.append(Problem("sources", f"expected a table of sources, got {raw!r}"))
        return out
    for key, table in raw.items():
        try:
            if not isinstance(table, dict):
                raise ValidationError(f"sources.{key}", "a table", repr(table))
            unknown = set(table) - _SOURCE_FIELDS
            if unknown:
                raise ValidationError(
                    f"sources.{key}", f"fields among {sorted(_SOURCE_FIELDS)}", sorted(unknown)
                )
            out[key] = Source(**table)
        except (ValidationError, TypeError) as exc:
            problems.append(Problem(f"sources.{key}", str(exc)))
    return out


def resolve_source(key: Any, sources: Mapping[str, Source]) -> Source:
    """The source under ``key``."""
    if not isinstance(key, str) or key not in sources:
        raise UnknownNameError("source", str(key), [], known=len(sources))
    return sources[key]


def provenance_of(raw: Mapping[str, Any], where: str, sources: Mapping[str, Source]) -> Provenance:
    """Read ``source = "key"`` or ``assumption = "reason"`` (exactly one) from a table."""
    has_source = "source" in raw
    has_assumption = "assumption" in raw
    if has_source == has_assumption:
        raise ValidationError(where, "exactly one of 'source' or 'assumption'", sorted(raw))
    if has_source:
        source = resolve_source(raw["source"], sources)
        if "confidence" in raw:
            return attrs.evolve(source, confidence=raw["confidence"])
        return source
    return Assumption(reason=raw["assumption"], confidence=raw.get("confidence", "low"))


# --- stack.toml ---------------------------------------------------------------------------------


def load_stack() -> Stack:
    """The shipped stack, read as before."""
    data = read_toml("stack.toml")
    path = "fullstack/datasets/stack.toml"
    problems: list[Problem] = []
    check_schema_version(data, problems)
    sources = load_sources(data.get("sources", {}), problems)
    layers: list[Layer] = []
    edges: dict[str, list[str]] = {}
    allowed = {"id", "name", "description", "depends_on", "source", "assumption", "note"}
    for i, raw in enumerate(data.get("layers", [])):
        where = f"layers[{i}]"
        unknown = set(raw) - allowed
        if unknown:
            raise ValidationError(where, f"keys among {sorted(allowed)}", sorted(unknown))
        description = raw.get("description", "")
        if raw.get("note"):
            description = f"{description} {raw['note']}".strip()
        layer = Layer(
            raw.get("id", ""), raw.get("name", ""), description, provenance_of(raw, where, sources)
        )
        layers.append(layer)
        deps = raw.get("depends_on", [])
        if deps:
            edges[layer.id] = deps
    edges_source: Provenance = Assumption(reason="Dependencies as given in the file.")
    raw_edges = data.get("dependencies_provenance")
    if isinstance(raw_edges, dict):
        edges_source = provenance_of(raw_edges, "dependencies_provenance", sources)
    if problems:
        raise FileFormatError(path, problems)
    return Stack(layers, depends_on=edges, edges_source=edges_source)


# --- actors.toml --------------------------------------------------------------------------------


def load_actors() -> ActorCatalog:
    """The shipped actors, read as before."""
    from fullstack.stack import default_stack

    data = read_toml("actors.toml")
    the_stack = default_stack()
    problems: list[Problem] = []
    check_schema_version(data, problems)
    sources = load_sources(data.get("sources", {}), problems)
    items: list[Actor] = []
    for i, raw in enumerate(data.get("actors", [])):
        where = f"actors[{i}]"
        for layer_id in raw.get("layers", []):
            if layer_id not in the_stack:
                raise UnknownNameError("layer", str(layer_id), [], known=len(the_stack))
        description = raw.get("description", "")
        if raw.get("note"):
            description = f"{description} {raw['note']}".strip()
        items.append(
            Actor(
                name=raw.get("name", ""),
                kind=raw.get("kind"),
                jurisdiction=raw.get("jurisdiction", ""),
                layers=raw.get("layers", ()),
                aliases=raw.get("aliases", ()),
                state_owned=raw.get("state_owned"),
                description=description,
                source=provenance_of(raw, where, sources),
            )
        )
    if problems:
        raise FileFormatError("fullstack/datasets/actors.toml", problems)
    return ActorCatalog(items)


# --- world.toml ---------------------------------------------------------------------------------

_FIGURE_KEYS = frozenset({"value", "low", "high", "source", "assumption", "note", "confidence"})


def parse_figure(raw: Any, where: str, sources: Mapping[str, Source]) -> Estimate:
    """Read one figure table into an `Estimate` (units are checked by the caller)."""
    if not isinstance(raw, dict):
        raise ValidationError(where, "a table {value = ..., source = ...}", repr(raw))
    unknown = set(raw) - _FIGURE_KEYS
    if unknown:
        raise ValidationError(where, f"keys among {sorted(_FIGURE_KEYS)}", sorted(unknown))
    return Estimate(
        value=raw["value"],
        low=raw.get("low"),
        high=raw.get("high"),
        source=provenance_of(raw, where, sources),
        note=raw.get("note", ""),
    )


def load_world() -> World:
    """The shipped reference world, read as before."""
    data = read_toml("world.toml")
    problems: list[Problem] = []
    check_schema_version(data, problems)
    sources = load_sources(data.get("sources", {}), problems)
    stack = default_stack()
    economies: dict[str, Economy] = {}
    for code, raw in data.get("economies", {}).items():
        economies[code] = _load_economy(code, raw, sources)
    rules = [export_rule(k) for k in data.get("rules_in_force", [])]
    if problems:
        raise FileFormatError("fullstack/datasets/world.toml", problems)
    return World(
        base_year=data["base_year"], economies=economies, rules_in_force=tuple(rules), stack=stack
    )


def _load_economy(code: str, raw: Any, sources: Mapping[str, Source]) -> Economy:
    base = f"economies.{code}"
    figures: dict[str, Estimate] = {}
    for name, fig in (raw.get("figures") or {}).items():
        where = f"{base}.figures.{name}"
        figures[name] = check_figure(name, parse_figure(fig, where, sources), where)
    fleet: list[FleetEntry] = []
    for i, entry in enumerate(raw.get("fleet") or []):
        where = f"{base}.fleet[{i}]"
        placed = _placed(
            FleetEntry(
                entry.get("accelerator"),
                entry.get("vintage", 0),
                parse_figure(entry.get("count"), f"{where}.count", sources),
                entry.get("channel", "legal"),
            ),
            code,
            f"{where}.channel",
            strict=True,
        )
        fleet.append(placed)
    statistics: list[Statistic] = []
    for i, stat in enumerate(raw.get("statistics") or []):
        where = f"{base}.statistics[{i}]"
        value = parse_figure(stat.get("value"), f"{where}.value", sources)
        statistics.append(
            Statistic(
                str(stat.get("name")), str(stat.get("date", "")), value, stat.get("note", "")
            )
        )
    paths: dict[str, dict[int, Estimate]] = {}
    for name, points in (raw.get("paths") or {}).items():
        for year_text, fig in points.items():
            where = f"{base}.paths.{name}.{year_text}"
            paths.setdefault(name, {})[int(year_text)] = check_figure(
                name, parse_figure(fig, where, sources), where
            )
    roadmap = {int(y): catalog().resolve(str(c)) for y, c in (raw.get("roadmap") or {}).items()}
    supply: dict[str, SupplyShare] = {}
    for layer, table in (raw.get("supply") or {}).items():
        where = f"{base}.supply.{layer}"
        share = parse_figure(table.get("domestic_share"), f"{where}.domestic_share", sources)
        supply[layer] = SupplyShare(
            checked_estimate(share, FRACTION, f"{where}.domestic_share"),
            table.get("suppliers", []),
            table.get("note", ""),
        )
    return Economy(
        code=code,
        name=raw.get("name", code),
        currency=raw.get("currency", ""),
        figures=figures,
        fleet=fleet,
        statistics=statistics,
        supply=supply,
        paths=paths,
        roadmap=roadmap,
    )


# --- exchange_rates.toml ------------------------------------------------------------------------


def exchange_rates() -> ExchangeRates:
    """The shipped exchange rates, read as before."""
    data = read_toml("exchange_rates.toml")
    sources = {key: Source(**spec) for key, spec in data.get("sources", {}).items()}
    rates = [
        ExchangeRate(
            base=block["base"],
            quote=block["quote"],
            rate=rate,
            date=str(year),
            source=sources[block["source"]],
        )
        for block in data.get("rates", [])
        for year, rate in block["rates"].items()
    ]
    return ExchangeRates(sorted(rates, key=lambda r: (r.base, r.quote, r.date)))


# --- accelerators.toml --------------------------------------------------------------------------


def accelerators() -> AcceleratorCatalog:
    """The shipped accelerator catalog, read as before."""
    data = read_toml("accelerators.toml")
    problems: list[Problem] = []
    check_schema_version(data, problems)
    sources = load_sources(data.get("sources", {}), problems)
    items = [
        _accelerator(raw, f"accelerators[{i}]", sources)
        for i, raw in enumerate(data["accelerators"])
    ]
    if problems:
        raise FileFormatError("fullstack/datasets/accelerators.toml", problems)
    return AcceleratorCatalog(items)


def _accelerator(raw: Any, where: str, sources: Mapping[str, Source]) -> Accelerator:
    plain = {
        "name", "aliases", "vendor", "designer_jurisdiction", "year", "datacenter",
        "process_node", "status", "cites", "note",
    }  # fmt: skip
    kwargs: dict[str, Any] = {k: v for k, v in raw.items() if k in plain}
    kwargs["confirmed_by"] = {
        str(figure): tuple(sources[k] for k in ([keys] if isinstance(keys, str) else keys))
        for figure, keys in raw.get("confirmed_by", {}).items()
    }
    rates: dict[Precision, Estimate] = {}
    for key, fig in raw.get("throughput", {}).items():
        at = f"{where}.throughput.{key}"
        precision = Precision.parse(key)
        unit = _INT_UNIT if precision.is_integer else _FLOAT_UNIT
        rates[precision] = _checked_estimate(parse_figure(fig, at, sources), unit, at)
    kwargs["throughput"] = rates
    for name, unit in _SPEC_UNITS.items():
        if name in raw:
            at = f"{where}.{name}"
            kwargs[name] = _checked_estimate(parse_figure(raw[name], at, sources), unit, at)
    return Accelerator(**kwargs)
