"""What an economy holds, besides its figures' values: fleet entries, statistics, supply shares.

`FleetEntry` (accelerators of one type and vintage, and how they arrived), `Statistic` (a
published figure to compare projections against), `SupplyShare` (the domestic share of one
layer) and `SelfSufficiency` (the table of those shares), with `check_figure`, the check of an
economy figure against the parameter schema. `fullstack.world` builds `Economy` and `World` from
them and re-exports them.

Example:
    >>> import fullstack
    >>> FleetEntry("H100 SXM", 2024, "10 chip").h100e
    <Quantity(10.0, 'H100e')>
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final

import attrs

from fullstack._codec import Check, Each, _At, _collect, _Invalid, _suggestion, checked_figure
from fullstack._codec_problems import _quoted
from fullstack._data import (
    COUNT,
    FRACTION,
    FigureEntry,
    checked_estimate,
    close_matches,
    html_table,
)
from fullstack._format import text_table as _table
from fullstack._schema import ECONOMY_FIGURES, PARAMETERS, FigureSpec
from fullstack._validators import YEAR_RULE, check_year, is_year
from fullstack.accelerators import Accelerator, accelerators
from fullstack.actors import actors
from fullstack.errors import FullstackError, UnknownNameError, ValidationError
from fullstack.export_controls import export_rule
from fullstack.provenance import Assumption, Estimate, Source
from fullstack.stack import Stack, default_stack
from fullstack.units import CURRENCIES, Quantity, currency_of, format_quantity

if TYPE_CHECKING:
    import pandas as pd

    from fullstack.world import Economy

__all__ = [
    "CHANNELS",
    "EconomyEntry",
    "FleetEntry",
    "FleetRow",
    "SelfSufficiency",
    "Statistic",
    "StatisticRow",
    "SupplyRow",
    "SupplyShare",
    "WorldFile",
    "check_figure",
]


def _money_unit(unit: str, value: Any, where: str) -> str:
    if "{currency}" not in unit:
        return unit
    est_value = value.value if isinstance(value, Estimate) else value
    try:
        from fullstack.units import to_quantity

        cur = currency_of(to_quantity(est_value, where=where))
    except Exception:
        cur = None
    if cur is None:
        example = unit.replace("{currency}", "CNY")
        raise ValidationError(
            where, f"an amount of money like '12 {example}' (USD, CNY or EUR)", repr(est_value)
        )
    return unit.replace("{currency}", cur)


def check_figure(name: str, value: Any, where: str = "") -> Estimate:
    """Check a value for the economy figure ``name`` and return it as an `Estimate`.

    Example:
        >>> check_figure("utilization", 0.3).value
        0.3
        >>> check_figure("datacenter_power_for_ai", "5 TWh")
        Traceback (most recent call last):
        ...
        fullstack.DimensionError: datacenter_power_for_ai: expected a power ...
    """
    base, bracket, index = name.partition("[")
    spec = ECONOMY_FIGURES.get(base)
    where = where or name
    if spec is not None and (bracket or _index_kind(spec)):
        spec = _indexed_spec(base, spec, index.rstrip("]"), where)
    if spec is None:
        close = close_matches(name, list(ECONOMY_FIGURES), n=3)
        raise UnknownNameError("economy figure", name, close, known=len(ECONOMY_FIGURES))
    unit = _money_unit(spec.unit, value, where)
    if unit == "dimensionless":
        unit = COUNT  # ratios (PUE, overheads) are plain non-negative numbers
    return checked_estimate(value, unit, where)


def _index_kind(spec: FigureSpec) -> str | None:
    param = PARAMETERS.get(spec.parameter or "")
    return None if param is None else param.index


def _indexed_spec(base: str, spec: FigureSpec, index: str, where: str) -> FigureSpec:
    """Check the index of a figure such as ``import_demand[H20]`` (a chip or a layer)."""
    kind = _index_kind(spec)
    if kind is None:
        raise ValidationError(where, f"figure {base!r} without an [index]", f"[{index}]")
    if not index:
        raise ValidationError(where, f"an index naming a {kind}: {base}[...]", "none")
    if kind == "chip":
        accelerators().resolve(index)
    elif index not in default_stack():
        close = close_matches(index, default_stack().ids, n=3)
        raise UnknownNameError("layer", index, close, known=len(default_stack()))
    return spec


def _to_accelerator(value: Any) -> Accelerator:
    if isinstance(value, Accelerator):
        return value
    if isinstance(value, str):
        return accelerators()[value]
    raise ValidationError(
        "FleetEntry.accelerator", "an Accelerator or a catalog name", repr(value)
    )


def _to_count(value: Any) -> Estimate:
    return checked_estimate(value, "chip", "FleetEntry.count", count="chip")


CHANNELS: Final[tuple[str, ...]] = ("domestic", "legal", "smuggled")
"""How installed chips arrived: designed at home, imported legally, or smuggled past export
rules (the order in which fleet tables list them)."""


def _check_channel(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in CHANNELS:
        raise ValidationError("FleetEntry.channel", f"one of {', '.join(CHANNELS)}", repr(value))


@attrs.frozen
class FleetEntry:
    """Accelerators of one type installed in one year, and how they arrived.

    Attributes:
        accelerator: The chip (a catalog name is looked up).
        vintage: The year they were installed.
        count: How many, as an `Estimate` in ``chip``.
        channel: How they arrived: ``"domestic"`` (designed in the economy that holds them),
            ``"legal"`` (imported through legal trade, licensed or below the rule's line) or
            ``"smuggled"`` (imported against the export rules). Defaults to ``"legal"``; an
            `Economy` turns a ``"legal"`` entry of a chip designed in its own jurisdiction into
            ``"domestic"`` and rejects a ``"domestic"`` chip designed elsewhere or a smuggled one
            designed at home. ``world.toml`` must state the channel of every row.

    Raises:
        ValidationError: If the channel is not one of `CHANNELS`.

    Example:
        >>> entry = FleetEntry("Ascend 910B", 2024, "200000 chip", "domestic")
        >>> entry.h100e
        <Quantity(76005.66..., 'H100e')>
        >>> FleetEntry("H100 SXM", 2024, "10 chip").channel
        'legal'
    """

    accelerator: Accelerator = attrs.field(converter=_to_accelerator)
    vintage: int = attrs.field(validator=check_year)
    count: Estimate = attrs.field(converter=_to_count)
    channel: str = attrs.field(default="legal", validator=_check_channel)

    @property
    def h100e(self) -> Quantity | None:
        """The entry's H100-equivalents (None if the chip's 16-bit rate is unknown).

        Example:
            >>> FleetEntry("H100 SXM", 2024, "10 chip").h100e
            <Quantity(10.0, 'H100e')>
        """
        per_chip = self.accelerator.h100e
        if per_chip is None:
            return None
        total: Quantity = (self.count.value.m_as("chip") * per_chip).to("H100e")
        return total


def _to_statistic_value(value: Any) -> Estimate:
    if isinstance(value, Estimate):
        return value
    raise ValidationError("Statistic.value", "an Estimate with its source", repr(value))


@attrs.frozen
class Statistic:
    """An official or published statistic users compare projections against.

    Attributes:
        name: What it measures, e.g. ``"Total computing power (MIIT/CAICT)"``.
        date: When it applies (``"2024-06"``).
        value: The figure and its source.
        note: Caveats (e.g. mixed precision).

    Example:
        >>> s = fullstack.reference_world().economies["CN"].statistics[0]
        >>> isinstance(s.value.source, (Source, Assumption))
        True
    """

    name: str
    date: str
    value: Estimate = attrs.field(converter=_to_statistic_value)
    note: str = ""


def _to_share(value: Any) -> Estimate:
    return checked_estimate(value, FRACTION, "SupplyShare.domestic_share")


def _to_strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@attrs.frozen
class SupplyShare:
    """How much of an economy's use of one layer is supplied at home, and by whom.

    Attributes:
        domestic_share: The domestic share, in [0, 1], with its source or assumption.
        suppliers: Key suppliers (actor names), domestic and foreign.
        note: Remarks.

    Example:
        >>> SupplyShare(0.25, ["SMIC", "TSMC"]).foreign_share
        0.75
    """

    domestic_share: Estimate = attrs.field(converter=_to_share)
    suppliers: tuple[str, ...] = attrs.field(default=(), converter=_to_strings)
    note: str = ""

    @property
    def foreign_share(self) -> float:
        """``1 - domestic_share``.

        Example:
            >>> SupplyShare(1.0).foreign_share
            0.0
        """
        return 1.0 - float(self.domestic_share.value)

    @property
    def is_assumption(self) -> bool:
        """Whether the domestic share is an assumption rather than a published figure.

        Example:
            >>> SupplyShare(0.5).is_assumption
            True
        """
        return isinstance(self.domestic_share.source, Assumption)


def _placed(entry: FleetEntry, code: str, where: str, *, strict: bool = False) -> FleetEntry:
    """The entry with its channel checked against where its chip was designed.

    A "legal" entry of a home-designed chip becomes "domestic" (the default channel), unless
    ``strict`` (a data file, which must say "domestic" itself).
    """
    home = entry.accelerator.designer_jurisdiction == code
    if home and entry.channel == "legal" and not strict:
        return attrs.evolve(entry, channel="domestic")
    if home and entry.channel != "domestic":
        raise ValidationError(
            where,
            f"'domestic' (the {entry.accelerator.name} is designed in {code})",
            entry.channel,
        )
    if not home and entry.channel == "domestic":
        raise ValidationError(
            where,
            f"'legal' or 'smuggled' (the {entry.accelerator.name} is designed in "
            f"{entry.accelerator.designer_jurisdiction}, not {code})",
            "domestic",
        )
    return entry


def _to_paths(value: Any) -> dict[str, dict[int, Estimate]]:
    if not isinstance(value, Mapping):
        raise ValidationError("Economy.paths", "a mapping of figure name to {year: value}", value)
    out: dict[str, dict[int, Estimate]] = {}
    for name, points in value.items():
        if not isinstance(points, Mapping):
            raise ValidationError(f"Economy.paths[{name}]", "a mapping of year to value", points)
        out[str(name)] = {}
        for year, v in points.items():
            where = f"Economy.paths[{name}][{year}]"
            if not is_year(year):
                raise ValidationError(where, YEAR_RULE, repr(year))
            out[str(name)][year] = check_figure(str(name), v, where)
    return out


def _to_roadmap(value: Any) -> dict[int, str]:
    if not isinstance(value, Mapping):
        raise ValidationError("Economy.roadmap", "a mapping of year to catalog chip", value)
    out: dict[int, str] = {}
    for year, chip in value.items():
        where = f"Economy.roadmap[{year}]"
        if not is_year(year):
            raise ValidationError(where, YEAR_RULE, repr(year))
        out[year] = accelerators().resolve(str(chip))
    return out


def _show(est: Estimate) -> str:
    def one(x: Any) -> str:
        return format_quantity(x) if hasattr(x, "units") else f"{x:g}"

    text = one(est.value)
    if est.has_range:
        text += f" ({one(est.low)} to {one(est.high)})"
    return text


@attrs.frozen
class SelfSufficiency:
    """Domestic and foreign shares of each layer, per economy.

    Attributes:
        rows: One dict per economy and layer: ``economy``, ``layer``, ``domestic``,
            ``foreign``, ``suppliers``, ``assumption`` (whether the share is an assumption) and
            ``basis`` (the citation or the assumption's reason).

    Example:
        >>> t = fullstack.reference_world().self_sufficiency()
        >>> sorted({r["economy"] for r in t.rows})
        ['CN', 'US']
    """

    rows: tuple[Mapping[str, Any], ...]

    @classmethod
    def of(cls, economies: Mapping[str, Economy], stack: Stack | None = None) -> SelfSufficiency:
        """Build the table for some economies (layers in the stack's order).

        Example:
            >>> SelfSufficiency.of({}).rows
            ()
        """
        order = (stack or default_stack()).ids
        rows = []
        for code, economy in economies.items():
            layers = sorted(
                economy.supply, key=lambda i: order.index(i) if i in order else len(order)
            )
            for layer in layers:
                share = economy.supply[layer]
                rows.append(
                    {
                        "economy": code,
                        "layer": layer,
                        "domestic": float(share.domestic_share.value),
                        "foreign": share.foreign_share,
                        "suppliers": ", ".join(share.suppliers),
                        "assumption": share.is_assumption,
                        "basis": share.domestic_share.source.cite(),
                    }
                )
        return cls(tuple(rows))

    def share(self, economy: str, layer: str) -> float:
        """The domestic share of one layer in one economy.

        Raises:
            UnknownNameError: If the table has no such row.

        Example:
            >>> 0 <= fullstack.reference_world().self_sufficiency().share("US", "chip_design") <= 1
            True
        """
        for r in self.rows:
            if r["economy"] == economy and r["layer"] == layer:
                return float(r["domestic"])
        known = sorted({f"{r['economy']}/{r['layer']}" for r in self.rows})
        raise UnknownNameError("economy/layer", f"{economy}/{layer}", known[:5], len(known))

    def to_frame(self) -> pd.DataFrame:
        """The table as a pandas DataFrame indexed by economy and layer.

        Example:
            >>> fullstack.reference_world().self_sufficiency().to_frame().index.names
            FrozenList(['economy', 'layer'])
        """
        import pandas as pd

        return pd.DataFrame(list(self.rows)).set_index(["economy", "layer"])

    def __str__(self) -> str:
        body = [
            [
                r["economy"],
                r["layer"],
                f"{r['domestic']:.0%}",
                ("assumption" if r["assumption"] else "sourced"),
                r["suppliers"],
            ]
            for r in self.rows
        ]
        return _table(body, ("economy", "layer", "domestic", "basis", "key suppliers"))

    def _repr_html_(self) -> str:
        rows = [
            (
                r["economy"],
                r["layer"],
                f"{r['domestic']:.0%}",
                f"{r['foreign']:.0%}",
                r["suppliers"],
                ("assumption: " if r["assumption"] else "") + r["basis"],
            )
            for r in self.rows
        ]
        return html_table(
            ("economy", "layer", "domestic", "foreign", "key suppliers", "basis"), rows
        )


# --- the schema of a world file (world.toml) ----------------------------------------------------
#
# The classes below mirror the file: `fullstack.world` reads a world file through the converter
# as a `WorldFile`, then builds the `World`. Their checks need none of the file's sources (figure
# names and units, years, chips, layers, actors, rules), so they run as each value is read, item
# by item, and their problems are reported with every other problem of the file.


def _file_year(text: str) -> int:
    """A year written as a key of a file's table (``2027``)."""
    year = int(text) if text.isdigit() else None
    if year is None or not is_year(year):
        raise _Invalid.one(f"expected {YEAR_RULE}, got {_quoted(text)}")
    return year


def _figure(name: str, fig: FigureEntry) -> Estimate:
    return checked_figure(fig, lambda est: check_figure(name, est, name))  # type: ignore[no-any-return]


def _path(name: str, points: Mapping[str, FigureEntry]) -> None:
    problems: list[tuple[_At, str]] = []
    for year, fig in points.items():
        try:
            _file_year(year)
            _figure(name, fig)
        except (FullstackError, _Invalid) as exc:
            problems += [((year, *at), message) for at, message in _collect(exc)]
    if problems:
        raise _Invalid(problems)


def _roadmap_point(year: str, chip: str) -> None:
    _file_year(year)
    accelerators().resolve(chip)


def _known_layer(layer: str, row: Any) -> None:
    stack = default_stack()
    if layer not in stack:
        raise _Invalid.one(f'unknown layer "{layer}"{_suggestion(layer, stack.ids)}')


_Figure = Annotated[FigureEntry, Check(checked_figure)]
_Count = Annotated[FigureEntry, Check(lambda fig: checked_figure(fig, _to_count))]
_Share = Annotated[FigureEntry, Check(lambda fig: checked_figure(fig, _to_share))]
_Chip = Annotated[str, Check(lambda name: accelerators().resolve(name))]
_Supplier = Annotated[str, Check(lambda name: actors().resolve(name))]
_Rule = Annotated[str, Check(export_rule)]


@attrs.frozen(kw_only=True)
class FleetRow:
    """A row of an economy's ``[[fleet]]`` in a world file: a `FleetEntry`, channel stated."""

    accelerator: _Chip
    vintage: int = attrs.field(validator=check_year)
    count: _Count
    channel: str = attrs.field(validator=_check_channel)


@attrs.frozen(kw_only=True)
class StatisticRow:
    """A row of an economy's ``[[statistics]]`` in a world file (a `Statistic`)."""

    name: str
    date: str = ""
    value: _Figure
    note: str = ""


@attrs.frozen(kw_only=True)
class SupplyRow:
    """An economy's ``[supply.<layer>]`` table in a world file (a `SupplyShare`)."""

    domestic_share: _Share
    suppliers: tuple[_Supplier, ...] = ()
    note: str = ""


def _check_currency(instance: Any, attribute: Any, value: str) -> None:
    if value not in CURRENCIES:
        raise _Invalid.one(f"expected one of {', '.join(CURRENCIES)}, got {value!r}")


@attrs.frozen(kw_only=True)
class EconomyEntry:
    """An economy as a world file writes it, under ``[economies.<code>]``.

    Attributes:
        name: A human name (default: the code).
        currency: The currency its money figures are in.
        figures: Its figures at the base year, by name.
        fleet: Its installed accelerators.
        statistics: Published statistics to compare against.
        supply: The domestic share of each layer, by layer id.
        paths: Figures by year after the base year: figure name -> {year: figure}.
        roadmap: The chip it makes in each year: year -> catalog name.
    """

    name: str | None = None
    currency: str = attrs.field(validator=_check_currency)
    figures: Annotated[Mapping[str, FigureEntry], Each(_figure)] = attrs.field(factory=dict)
    fleet: tuple[FleetRow, ...] = ()
    statistics: tuple[StatisticRow, ...] = ()
    supply: Annotated[Mapping[str, SupplyRow], Each(_known_layer)] = attrs.field(factory=dict)
    paths: Annotated[Mapping[str, Mapping[str, FigureEntry]], Each(_path)] = attrs.field(
        factory=dict
    )
    roadmap: Annotated[Mapping[str, str], Each(_roadmap_point)] = attrs.field(factory=dict)


@attrs.frozen(kw_only=True)
class WorldFile:
    """The schema of a world file (``world.toml``, or one `fullstack.save` wrote).

    Attributes:
        base_year: The year the figures describe.
        rules_in_force: The keys of the export rules in force at the base year.
        sources: The sources, by the key figures cite them by.
        economies: The economies, by code.
    """

    base_year: int = attrs.field(validator=check_year)
    rules_in_force: tuple[_Rule, ...] = ()
    sources: Mapping[str, Source] = attrs.field(factory=dict)
    economies: Mapping[str, EconomyEntry] = attrs.field(factory=dict)
