"""Economies and the world at the base year: fleets, capacity, power, prices, supply shares.

An `Economy` (China, the US...) holds its figures at the base year (foundry capacity, yields,
HBM supply, data-center power, spending, prices, utilization, service life), its installed
accelerator fleet by catalog type and vintage, the official statistics users compare against,
and, for each layer of the stack, the share supplied domestically and the key suppliers. Every
figure is an `Estimate` with its source or an explicit assumption.

A `World` holds the economies, the stack and the export rules in force. `reference_world()`
builds China and the US at 2025 from the package's data files.

Example:
    >>> world = reference_world()
    >>> cn = world.economies["CN"]
    >>> cn.currency, world.base_year
    ('CNY', 2025)
    >>> cn.figure("utilization").value <= 1
    True
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import attrs

from fullstack._codec import _At, _collect, _Invalid, read_dataset, read_dataset_data
from fullstack._data import close_matches, html_table
from fullstack._schema import ECONOMY_FIGURES, FigureSpec
from fullstack._validators import check_year
from fullstack._world_parts import (
    CHANNELS,
    EconomyEntry,
    FleetEntry,
    SelfSufficiency,
    Statistic,
    SupplyShare,
    WorldFile,
    _placed,
    _show,
    _to_paths,
    _to_roadmap,
    check_figure,
)
from fullstack.accelerators import accelerators
from fullstack.errors import UnknownNameError, ValidationError
from fullstack.export_controls import ExportRule, export_rule
from fullstack.provenance import Assumption, Estimate, Provenance, Source, _provenances
from fullstack.stack import Stack, default_stack
from fullstack.units import CURRENCIES, Q_, Quantity

__all__ = [
    "CHANNELS",
    "ECONOMY_FIGURES",
    "Economy",
    "FigureSpec",
    "FleetEntry",
    "SelfSufficiency",
    "Statistic",
    "SupplyShare",
    "World",
    "reference_world",
]


def _to_figures(value: Any) -> dict[str, Estimate]:
    if not isinstance(value, Mapping):
        raise ValidationError("Economy.figures", "a mapping of figure name to value", repr(value))
    return {str(k): check_figure(str(k), v, f"Economy.figures[{k}]") for k, v in value.items()}


def _to_fleet(value: Any, economy: Any) -> tuple[FleetEntry, ...]:
    fleet = []
    for i, e in enumerate(tuple(value)):
        if not isinstance(e, FleetEntry):
            raise ValidationError(f"Economy.fleet[{i}]", "a FleetEntry", repr(e))
        fleet.append(_placed(e, economy.code, f"Economy.fleet[{i}].channel"))
    return tuple(fleet)


def _to_statistics(value: Any) -> tuple[Statistic, ...]:
    stats = tuple(value)
    for i, s in enumerate(stats):
        if not isinstance(s, Statistic):
            raise ValidationError(f"Economy.statistics[{i}]", "a Statistic", repr(s))
    return stats


def _to_supply(value: Any) -> dict[str, SupplyShare]:
    if not isinstance(value, Mapping):
        raise ValidationError(
            "Economy.supply", "a mapping of layer id to SupplyShare", repr(value)
        )
    out = {}
    for k, v in value.items():
        if not isinstance(v, SupplyShare):
            raise ValidationError(f"Economy.supply[{k}]", "a SupplyShare", repr(v))
        out[str(k)] = v
    return out


def _check_code(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.isupper() or not 2 <= len(value) <= 4:
        raise ValidationError("Economy.code", "an upper-case code such as 'CN'", repr(value))


def _check_currency(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in CURRENCIES:
        raise ValidationError("Economy.currency", f"one of {', '.join(CURRENCIES)}", repr(value))


@attrs.frozen(kw_only=True)
class Economy:
    """One economy at the base year.

    Attributes:
        code: A short code (``"CN"``, ``"US"``).
        name: A human name.
        currency: The currency its money figures are in.
        figures: Named figures (see `ECONOMY_FIGURES` for names and units), each an `Estimate`.
        fleet: Installed accelerators by catalog type, vintage and channel (a ``"legal"``
            entry of a chip designed in this economy becomes ``"domestic"``; see `FleetEntry`).
        statistics: Official or published statistics to compare against.
        supply: For each stack layer id, the domestic share and key suppliers.

    Example:
        >>> e = Economy(code="XX", name="Example", currency="USD",
        ...             figures={"utilization": 0.4, "service_life": "5 year"})
        >>> e.figure("service_life").value
        <Quantity(5.0, 'year')>
    """

    code: str = attrs.field(validator=_check_code)
    name: str
    currency: str = attrs.field(validator=_check_currency)
    figures: Mapping[str, Estimate] = attrs.field(factory=dict, converter=_to_figures, hash=False)
    fleet: tuple[FleetEntry, ...] = attrs.field(
        default=(),
        converter=attrs.Converter(_to_fleet, takes_self=True),  # type: ignore[misc]
    )
    statistics: tuple[Statistic, ...] = attrs.field(default=(), converter=_to_statistics)
    supply: Mapping[str, SupplyShare] = attrs.field(factory=dict, converter=_to_supply, hash=False)
    paths: Mapping[str, Mapping[int, Estimate]] = attrs.field(
        factory=dict, converter=_to_paths, hash=False
    )
    roadmap: Mapping[int, str] = attrs.field(factory=dict, converter=_to_roadmap, hash=False)

    def __attrs_post_init__(self) -> None:
        for name in self.paths:
            if name not in self.figures:
                raise ValidationError(
                    f"Economy.paths[{name}]", "a path for a figure the economy has", name
                )

    def figure_value(self, name: str, year: int | None = None) -> Any:
        """A figure's central value, in ``year`` when the figure has a path by year.

        A path's point holds from its year until the next point; before the first point the
        figure's own (base-year) value applies.

        Example:
            >>> cn = reference_world().economies["CN"]
            >>> cn.figure_value("advanced_foundry_capacity", 2025).m_as("wafer/month")
            45000.0
        """
        return self.figure_at(name, year).value

    def figure_at(self, name: str, year: int | None = None) -> Estimate:
        """A figure as an `Estimate` in ``year`` (its path's point, or the figure itself).

        Example:
            >>> cn = reference_world().economies["CN"]
            >>> cn.figure_at("utilization").value
            0.25
        """
        estimate = self.figure(name)
        if year is None or name not in self.paths:
            return estimate
        for point_year, point in sorted(self.paths[name].items(), reverse=True):
            if point_year <= year:
                return point
        return estimate

    def design(self, year: int) -> str | None:
        """The catalog chip the economy's own output is in ``year``, from the roadmap.

        Example:
            >>> reference_world().economies["CN"].design(2025)
            'Ascend 910C'
        """
        chosen = None
        for point_year, chip in sorted(self.roadmap.items()):
            if point_year <= year:
                chosen = chip
        if chosen is None and self.roadmap:
            chosen = self.roadmap[min(self.roadmap)]
        return chosen

    def figure(self, name: str) -> Estimate:
        """One figure by name.

        Raises:
            UnknownNameError: If the name is not a known figure or the economy lacks it.

        Example:
            >>> reference_world().economies["US"].figure("service_life").value.units
            <Unit('year')>
        """
        if name not in self.figures:
            close = close_matches(name, list(self.figures) or list(ECONOMY_FIGURES))
            raise UnknownNameError(f"figure of {self.code}", name, close, known=len(self.figures))
        return self.figures[name]

    def with_figure(self, name: str, value: Any) -> Economy:
        """A copy with one figure replaced (a plain value is recorded as stated by you).

        Example:
            >>> cn = reference_world().economies["CN"].with_figure("utilization", 0.5)
            >>> cn.figure("utilization").value, cn.figure("utilization").source.confidence.value
            (0.5, 'low')
        """
        return attrs.evolve(self, figures={**self.figures, name: value})

    @property
    def fleet_h100e(self) -> Quantity:
        """Total installed H100-equivalents (chips without a 16-bit rate are left out).

        Example:
            >>> reference_world().economies["CN"].fleet_h100e.units
            <Unit('H100e')>
        """
        total = Q_(0.0, "H100e")
        for e in self.fleet:
            h = e.h100e
            if h is not None:
                total = total + h
        return total

    def fleet_total(self, channel: str | None = None) -> Estimate:
        """Installed H100-equivalents with a low and a high, of one channel or of all.

        The low is the sum of every entry's low count times its chip's H100e, the high likewise:
        a range that treats the entries' ranges as moving together (wider than independent
        draws would give). An entry without a low (or high) count contributes its central count
        to the low (or high), so a missing bound never turns the total's bound into NaN. Chips
        whose 16-bit rate is unknown (no H100e) are left out, as in `fleet_h100e`.

        Args:
            channel: ``"domestic"``, ``"legal"`` or ``"smuggled"``; None for the whole fleet.

        Raises:
            ValidationError: If the channel is not one of `CHANNELS`.

        Example:
            >>> total = reference_world().economies["CN"].fleet_total()
            >>> total.low <= total.value <= total.high
            True
            >>> total.value.units
            <Unit('H100e')>
        """
        if channel is not None and channel not in CHANNELS:
            raise ValidationError("channel", f"one of {', '.join(CHANNELS)}", repr(channel))
        mid = low = high = 0.0
        n = 0
        for e in self.fleet:
            per_chip = e.accelerator.h100e
            if per_chip is None or (channel is not None and e.channel != channel):
                continue
            k = float(per_chip.m_as("H100e"))
            c = e.count
            central = float(c.value.m_as("chip"))
            mid += k * central
            low += k * (central if c.low is None else float(c.low.m_as("chip")))
            high += k * (central if c.high is None else float(c.high.m_as("chip")))
            n += 1
        what = f"{channel} " if channel else ""
        return Estimate(
            value=Q_(mid, "H100e"),
            low=Q_(low, "H100e"),
            high=Q_(high, "H100e"),
            source=Assumption(
                reason=f"Sum over {n} {what}fleet entries of {self.code} of count x the chip's "
                "H100e; low and high sum the entries' lows and highs (a missing bound counts "
                "as the central value).",
                confidence="medium",
            ),
        )

    def domestic_share(self) -> Estimate:
        """The share of installed H100-equivalents whose chips were designed in the economy.

        The low pairs the domestic total's low with the imported totals' high, the high the
        other way round (see `fleet_total` for how the totals' ranges are made).

        Example:
            >>> share = reference_world().economies["US"].domestic_share()
            >>> 0 <= share.low <= share.value <= share.high <= 1
            True
        """
        dom = self.fleet_total("domestic")
        imp = [self.fleet_total(c) for c in CHANNELS if c != "domestic"]

        def ratio(d: Any, others: list[Any]) -> float:
            d = float(d.m_as("H100e"))
            total = d + sum(float(o.m_as("H100e")) for o in others)
            return d / total if total > 0 else 0.0

        return Estimate(
            value=ratio(dom.value, [i.value for i in imp]),
            low=ratio(dom.low, [i.high for i in imp]),
            high=ratio(dom.high, [i.low for i in imp]),
            source=Assumption(
                reason=f"Domestic H100e over all installed H100e of {self.code}'s fleet.",
                confidence="medium",
            ),
        )

    def fleet_by_channel(self) -> list[dict[str, Any]]:
        """The fleet's H100-equivalents by channel, with ranges, and a total row.

        Each row has ``channel`` (``"domestic"``, ``"legal"``, ``"smuggled"`` or ``"total"``),
        ``chips`` (central count), ``h100e``, ``h100e_low``, ``h100e_high`` and ``share`` (of
        the central total). Channels without entries are left out.

        Example:
            >>> [r["channel"] for r in reference_world().economies["CN"].fleet_by_channel()]
            ['domestic', 'legal', 'smuggled', 'total']
        """
        total = self.fleet_total()
        grand = float(total.value.m_as("H100e"))
        rows = []
        for channel in (*CHANNELS, None):
            entries = [e for e in self.fleet if channel is None or e.channel == channel]
            if not entries:
                continue
            est = total if channel is None else self.fleet_total(channel)
            h = float(est.value.m_as("H100e"))
            rows.append(
                {
                    "channel": channel or "total",
                    "chips": sum(float(e.count.value.m_as("chip")) for e in entries),
                    "h100e": h,
                    "h100e_low": float(est.low.m_as("H100e")),
                    "h100e_high": float(est.high.m_as("H100e")),
                    "share": h / grand if grand > 0 else 0.0,
                }
            )
        return rows

    def fleet_rows(self) -> list[dict[str, Any]]:
        """The fleet as plain rows: accelerator, vintage, channel, count (with range) and H100e.

        Example:
            >>> sorted(reference_world().economies["US"].fleet_rows()[0])
            ['accelerator', 'channel', 'count', 'count_high', 'count_low', 'h100e', 'source', 'vintage']
        """  # noqa: E501
        rows = []
        for e in self.fleet:
            c = e.count
            h = e.h100e
            rows.append(
                {
                    "accelerator": e.accelerator.name,
                    "vintage": e.vintage,
                    "channel": e.channel,
                    "count": float(c.value.m_as("chip")),
                    "count_low": None if c.low is None else float(c.low.m_as("chip")),
                    "count_high": None if c.high is None else float(c.high.m_as("chip")),
                    "h100e": None if h is None else float(h.m_as("H100e")),
                    "source": c.source.cite(),
                }
            )
        return rows

    def self_sufficiency(self) -> SelfSufficiency:
        """The domestic and foreign share of each layer, with key suppliers and the basis.

        Example:
            >>> table = reference_world().economies["CN"].self_sufficiency()
            >>> 0 <= table.share("CN", "fabrication") <= 1
            True
        """
        return SelfSufficiency.of({self.code: self})

    def _repr_html_(self) -> str:
        import html

        figs = [
            (name, _show(est), est.source.cite()) for name, est in sorted(self.figures.items())
        ]
        fleet = [
            (r["accelerator"], r["vintage"], r["channel"], f"{r['count']:,.0f}", r["h100e"])
            for r in self.fleet_rows()
        ]
        channels = [
            (
                r["channel"],
                f"{r['h100e']:,.0f}",
                f"{r['h100e_low']:,.0f} to {r['h100e_high']:,.0f}",
                f"{r['share']:.0%}",
            )
            for r in self.fleet_by_channel()
        ]
        return (
            f"<h4>{html.escape(self.name)} ({self.code}, {self.currency})</h4>"
            + html_table(("figure", "value", "source"), figs)
            + f"<p>Fleet: {self.fleet_h100e.m_as('H100e'):,.0f} H100e</p>"
            + html_table(("channel", "H100e", "range", "share"), channels)
            + html_table(("accelerator", "vintage", "channel", "count", "H100e"), fleet)
        )


def _to_economies(value: Any) -> dict[str, Economy]:
    if not isinstance(value, Mapping):
        raise ValidationError("World.economies", "a mapping of code to Economy", repr(value))
    out = {}
    for k, v in value.items():
        if not isinstance(v, Economy):
            raise ValidationError(f"World.economies[{k}]", "an Economy", repr(v))
        if v.code != k:
            raise ValidationError(f"World.economies[{k}]", f"an economy with code {k!r}", v.code)
        out[str(k)] = v
    return out


def _to_rules(value: Any) -> tuple[ExportRule, ...]:
    if isinstance(value, str | ExportRule):
        value = (value,)
    return tuple(v if isinstance(v, ExportRule) else export_rule(v) for v in value)


@attrs.frozen(kw_only=True)
class World:
    """The economies, the stack and the trade rules in force at the base year.

    Attributes:
        base_year: The year the figures describe.
        economies: The economies by code (``world.economies["CN"]``).
        rules_in_force: The export rules in force at the base year.
        stack: The layers of the AI stack.

    Raises:
        UnknownNameError: If an economy's supply table names a layer not in the stack.

    Example:
        >>> world = reference_world()
        >>> [r.key for r in world.rules_in_force]
        ['2024-12']
    """

    base_year: int = attrs.field(validator=check_year)
    economies: Mapping[str, Economy] = attrs.field(converter=_to_economies, hash=False)
    rules_in_force: tuple[ExportRule, ...] = attrs.field(default=(), converter=_to_rules)
    stack: Stack = attrs.field(factory=default_stack)

    def __attrs_post_init__(self) -> None:
        for code, economy in self.economies.items():
            for layer in economy.supply:
                if layer not in self.stack:
                    close = close_matches(layer, self.stack.ids, n=3)
                    raise UnknownNameError(
                        f"layer (in economies[{code}].supply)", layer, close, len(self.stack)
                    )

    def self_sufficiency(self) -> SelfSufficiency:
        """The domestic and foreign shares of each layer, for every economy.

        Example:
            >>> len(reference_world().self_sufficiency().rows) >= 24
            True
        """
        return SelfSufficiency.of(self.economies, self.stack)

    def with_figure(self, path: str, value: Any) -> World:
        """A copy with one economy figure replaced, by dotted path ``"CN.utilization"``.

        Example:
            >>> w = reference_world().with_figure("CN.utilization", 0.6)
            >>> w.economies["CN"].figure("utilization").value
            0.6
        """
        code, _, name = path.partition(".")
        if code not in self.economies:
            close = close_matches(code, list(self.economies), n=3)
            raise UnknownNameError("economy", code, close, known=len(self.economies))
        economy = self.economies[code].with_figure(name, value)
        return attrs.evolve(self, economies={**self.economies, code: economy})

    def sources(self) -> list[Provenance]:
        """Every distinct source and assumption the world uses (chip specs included).

        Example:
            >>> any(isinstance(s, Source) for s in reference_world().sources())
            True
        """
        seen: dict[Any, Provenance] = {}
        for p in _provenances(self):
            seen.setdefault(p, p)
        return list(seen.values())

    def _repr_html_(self) -> str:
        rules = ", ".join(f"{r.key} ({r.citation})" for r in self.rules_in_force) or "none"
        parts = [f"<h3>World at {self.base_year}</h3><p>Export rules in force: {rules}</p>"]
        parts += [e._repr_html_() for e in self.economies.values()]
        return "".join(parts)

    def __repr__(self) -> str:
        """A short summary."""
        codes = ", ".join(self.economies)
        return f"<World {self.base_year}: {codes}; {len(self.stack)} layers>"


# --- loading ------------------------------------------------------------------------------------


def load_world(text: str | None = None, *, path: str = "") -> World:
    """Read a world from TOML (the shipped ``world.toml`` when ``text`` is None).

    The file is read through the converter that reads scenario files, as a `WorldFile`: every
    problem is reported at once with its place in the file (unknown chips in a fleet, negative or
    wrong-unit figures, shares above 1, unknown layers or actors, unknown source keys).

    Raises:
        FileFormatError: With every problem found.

    Example:
        >>> w = load_world('''
        ... schema_version = 1
        ... base_year = 2025
        ... [economies.XX]
        ... name = "Example"
        ... currency = "USD"
        ... [economies.XX.figures]
        ... utilization = { value = 0.4, assumption = "illustration" }
        ... ''')
        >>> w.economies["XX"].figure("utilization").value
        0.4
    """
    return read_dataset(text, "world.toml", WorldFile, _build_world, path=path)


def world_from_data(data: Any, *, path: str = "<data>") -> World:
    """Build a world from the parsed table of a world file (as `load_world` reads it).

    `fullstack.load` reads a world file through this function too, after its own checks.

    Raises:
        FileFormatError: With every problem found, each at its place in the table.

    Example:
        >>> w = world_from_data({"schema_version": 1, "base_year": 2025, "economies": {}})
        >>> w.base_year, dict(w.economies)
        (2025, {})
        >>> world_from_data({"schema_version": 1, "base_yaer": 2025})
        Traceback (most recent call last):
        ...
        fullstack.FileFormatError: <data>: 2 problems
          base_yaer: unknown key for WorldFile; did you mean "base_year"?
          base_year: missing (WorldFile needs it)
    """
    return read_dataset_data(data, WorldFile, _build_world, path=path)


def _build_world(parsed: WorldFile) -> World:
    """The world a checked `WorldFile` describes; raises `_Invalid` with every problem."""
    problems: list[tuple[_At, str]] = []
    economies: dict[str, Economy] = {}
    for code, entry in parsed.economies.items():
        economy = _build_economy(code, entry, parsed.sources, problems)
        if economy is not None:
            economies[code] = economy
    if problems:
        raise _Invalid(problems)
    try:
        return World(
            base_year=parsed.base_year,
            economies=economies,
            rules_in_force=tuple(export_rule(key) for key in parsed.rules_in_force),
            stack=default_stack(),
        )
    except (ValidationError, UnknownNameError) as exc:
        raise _Invalid([((), str(exc))]) from None


def _build_economy(
    code: str,
    entry: EconomyEntry,
    sources: Mapping[str, Source],
    problems: list[tuple[_At, str]],
) -> Economy | None:
    """One economy from its checked entry; its problems are added to ``problems``.

    `Economy` checks each figure against the schema (the entry's checks already did).
    """
    at: _At = ("economies", code)
    before = len(problems)
    fleet: list[FleetEntry] = []
    for i, row in enumerate(entry.fleet):
        count = row.count.estimate(sources)
        placed = FleetEntry(row.accelerator, row.vintage, count, row.channel)
        try:
            fleet.append(_placed(placed, code, "", strict=True))
        except ValidationError as exc:
            where = (*at, "fleet", i, "channel")
            problems += [((*where, *sub), message) for sub, message in _collect(exc)]
    if len(problems) > before:
        return None
    try:
        return Economy(
            code=code,
            name=code if entry.name is None else entry.name,
            currency=entry.currency,
            figures={name: fig.estimate(sources) for name, fig in entry.figures.items()},
            fleet=fleet,
            statistics=[
                Statistic(row.name, row.date, row.value.estimate(sources), row.note)
                for row in entry.statistics
            ],
            supply={
                layer: SupplyShare(row.domestic_share.estimate(sources), row.suppliers, row.note)
                for layer, row in entry.supply.items()
            },
            paths={
                name: {int(year): fig.estimate(sources) for year, fig in points.items()}
                for name, points in entry.paths.items()
            },
            roadmap={
                int(year): accelerators().resolve(chip) for year, chip in entry.roadmap.items()
            },
        )
    except (ValidationError, UnknownNameError) as exc:
        problems.append((at, str(exc)))
        return None


@functools.cache
def reference_world() -> World:
    """China and the US at 2025, built from the package's data files (loaded once, cached).

    Example:
        >>> sorted(reference_world().economies)
        ['CN', 'US']
    """
    return load_world()
