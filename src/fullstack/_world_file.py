"""A world as a file: the table `fullstack.save` writes for a `World`, in ``world.toml``'s format.

The file a world is saved to is laid out like the shipped ``datasets/world.toml`` and read back
by the same code (`fullstack.world.world_from_data`, through `fullstack.load`):

- ``schema_version``, ``base_year`` and ``rules_in_force`` (the rules' keys, ``"2024-12"``);
- ``[sources.<key>]``: every `Source` the world cites, written once. Keys are made from the
  publisher (or title) and year (``epoch_ai_2026``); the source's original key is not kept,
  since a `Source` does not hold one. A figure whose source differs from the keyed one only in
  its confidence writes ``confidence`` beside ``source``, as ``world.toml`` does;
- ``[economies.<code>]``: ``name``, ``currency``, ``figures``, ``paths`` (figure values by
  year), ``roadmap`` (year to catalog chip), ``[[fleet]]``, ``[[statistics]]`` and ``supply``.

A figure is a table: ``value`` (a quantity as text, ``"45000 wafer/month"``, or a number),
optional ``low``, ``high`` and ``note``, and ``source = "key"`` or ``assumption = "why"`` with
an optional ``confidence``.

What a world file cannot hold is refused when the world is saved, naming the place: a stack
other than the default one, an export rule or an accelerator that is not the built-in one of
its name, a supplier that is not in the actor catalog, an assumption with basis sources.

Example:
    >>> from fullstack.world import reference_world
    >>> table = world_document(reference_world().with_figure("CN.utilization", 0.5))
    >>> table["economies"]["CN"]["figures"]["utilization"]
    {'value': 0.5, 'assumption': 'Stated directly when the object was built; no source was recorded with it.'}
"""  # noqa: E501

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import attrs

from fullstack._codec import _quantity_text
from fullstack.accelerators import accelerators
from fullstack.actors import actors
from fullstack.errors import UnknownNameError, ValidationError
from fullstack.export_controls import export_rule
from fullstack.provenance import Confidence, Estimate, Source
from fullstack.stack import default_stack

if TYPE_CHECKING:
    from collections.abc import Mapping

    from fullstack.world import Economy, World

__all__ = ["world_document"]


def world_document(world: World) -> dict[str, Any]:
    """The table a world file holds for ``world`` (without ``schema_version``).

    Raises:
        ValidationError: For a part of the world a world file cannot hold, naming where it is
            and what a file can hold instead.

    Example:
        >>> from fullstack.world import reference_world
        >>> table = world_document(reference_world())
        >>> table["base_year"], table["rules_in_force"], sorted(table["economies"])
        (2025, ['2024-12'], ['CN', 'US'])
    """
    if world.stack != default_stack():
        raise ValidationError(
            "World.stack", "the default stack (a world file does not hold a stack)", "another"
        )
    rules = []
    for i, rule in enumerate(world.rules_in_force):
        try:
            same = export_rule(rule.key) == rule
        except UnknownNameError:
            same = False
        if not same:
            raise ValidationError(
                f"World.rules_in_force[{i}]",
                "a built-in export rule (a world file names its rules by key)",
                repr(rule.key),
            )
        rules.append(rule.key)
    keys = _SourceKeys()
    economies = {code: _economy(e, keys) for code, e in world.economies.items()}
    table: dict[str, Any] = {"base_year": world.base_year}
    if rules:
        table["rules_in_force"] = rules
    if keys.tables:
        table["sources"] = keys.tables
    table["economies"] = economies
    return table


class _SourceKeys:
    """The sources met so far, each under one key, with the confidence its table states."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Any]] = {}
        self._keys: dict[Source, tuple[str, Confidence]] = {}

    def cite(self, source: Source) -> dict[str, Any]:
        """``{"source": key}`` (and ``confidence`` when it differs from the keyed source's)."""
        plain = attrs.evolve(source, confidence=Confidence.MEDIUM)
        if plain not in self._keys:
            key = _key_of(source, self.tables)
            self._keys[plain] = (key, source.confidence)
            self.tables[key] = _source_table(source)
        key, confidence = self._keys[plain]
        out: dict[str, Any] = {"source": key}
        if source.confidence != confidence:
            out["confidence"] = source.confidence.value
        return out


def _key_of(source: Source, taken: Mapping[str, Any]) -> str:
    words = re.findall(r"[a-z0-9]+", (source.publisher or source.title).casefold())[:2]
    words += re.findall(r"\d{4}", source.date or "")[:1]
    base = "_".join(words) or "source"
    if base[0].isdigit():
        base = f"s_{base}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _source_table(source: Source) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in attrs.fields(Source):
        value = getattr(source, field.name)
        if value == field.default and field.name != "confidence":
            continue
        if isinstance(value, Confidence):
            value = value.value
        out[field.name] = list(value) if isinstance(value, tuple) else value
    return out


def _plain(value: Any) -> Any:
    return _quantity_text(value) if hasattr(value, "units") else value


def _figure(estimate: Estimate, keys: _SourceKeys, where: str) -> dict[str, Any]:
    out: dict[str, Any] = {"value": _plain(estimate.value)}
    for bound in ("low", "high"):
        value = getattr(estimate, bound)
        if value is not None:
            out[bound] = _plain(value)
    source = estimate.source
    if isinstance(source, Source):
        out.update(keys.cite(source))
    else:
        if source.basis:
            raise ValidationError(
                f"{where}.source",
                "a Source, or an Assumption without basis sources (a world file records an "
                "assumption's reason and confidence)",
                repr(source),
            )
        out["assumption"] = source.reason
        if source.confidence != Confidence.LOW:
            out["confidence"] = source.confidence.value
    if estimate.note:
        out["note"] = estimate.note
    return out


def _economy(economy: Economy, keys: _SourceKeys) -> dict[str, Any]:
    at = f"World.economies[{economy.code}]"
    out: dict[str, Any] = {"name": economy.name, "currency": economy.currency}
    out["figures"] = {
        name: _figure(est, keys, f"{at}.figures[{name}]") for name, est in economy.figures.items()
    }
    if economy.paths:
        out["paths"] = {
            name: {
                str(year): _figure(est, keys, f"{at}.paths[{name}][{year}]")
                for year, est in points.items()
            }
            for name, points in economy.paths.items()
        }
    if economy.roadmap:
        out["roadmap"] = {str(year): chip for year, chip in economy.roadmap.items()}
    fleet = []
    for i, entry in enumerate(economy.fleet):
        chip = entry.accelerator
        if chip.name not in accelerators() or accelerators()[chip.name] != chip:
            raise ValidationError(
                f"{at}.fleet[{i}].accelerator",
                "a chip of the built-in catalog (a world file names its chips)",
                repr(chip.name),
            )
        fleet.append(
            {
                "accelerator": chip.name,
                "vintage": entry.vintage,
                "channel": entry.channel,
                "count": _figure(entry.count, keys, f"{at}.fleet[{i}].count"),
            }
        )
    if fleet:
        out["fleet"] = fleet
    statistics = []
    for i, stat in enumerate(economy.statistics):
        row: dict[str, Any] = {"name": stat.name, "date": stat.date}
        row["value"] = _figure(stat.value, keys, f"{at}.statistics[{i}].value")
        if stat.note:
            row["note"] = stat.note
        statistics.append(row)
    if statistics:
        out["statistics"] = statistics
    supply = {}
    for layer, share in economy.supply.items():
        unknown = [s for s in share.suppliers if s not in actors()]
        if unknown:
            raise ValidationError(
                f"{at}.supply[{layer}].suppliers",
                "names of the actor catalog (a world file's suppliers are looked up there)",
                repr(unknown[0]),
            )
        row = {"domestic_share": _figure(share.domestic_share, keys, f"{at}.supply[{layer}]")}
        row["suppliers"] = list(share.suppliers)
        if share.note:
            row["note"] = share.note
        supply[layer] = row
    if supply:
        out["supply"] = supply
    return out
