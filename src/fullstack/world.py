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
from typing import TYPE_CHECKING, Any, Final

import attrs

from fullstack._data import (
    FRACTION,
    check_schema_version,
    checked_estimate,
    close_matches,
    html_table,
    load_sources,
    parse_figure,
    read_toml,
)
from fullstack._format import text_table as _table
from fullstack.accelerators import Accelerator, accelerators
from fullstack.errors import FileFormatError, Problem, UnknownNameError, ValidationError
from fullstack.export_controls import ExportRule, export_rule
from fullstack.provenance import Assumption, Estimate, Provenance, Source, _provenances
from fullstack.stack import Stack, default_stack
from fullstack.units import CURRENCIES, Q_, Quantity, currency_of, format_quantity

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
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


@attrs.frozen
class FigureSpec:
    """What one economy figure is: its unit (``{currency}`` for the economy's money) and meaning.

    Example:
        >>> ECONOMY_FIGURES["ai_capex"].unit
        '{currency}/year'
    """

    unit: str
    description: str


ECONOMY_FIGURES: Final[Mapping[str, FigureSpec]] = {
    "advanced_foundry_capacity": FigureSpec(
        "wafer/month",
        "Advanced-node (7 nm-class and below) logic wafer capacity usable by the economy's "
        "AI-chip makers.",
    ),
    "ai_share_of_advanced_capacity": FigureSpec(
        FRACTION, "Share of that capacity that goes to AI accelerators."
    ),
    "logic_yield": FigureSpec(FRACTION, "Share of candidate accelerator dies that are good."),
    "dies_per_wafer": FigureSpec("die/wafer", "Candidate accelerator dies per wafer."),
    "dies_per_package": FigureSpec("die/chip", "Logic dies per packaged accelerator."),
    "hbm_supply": FigureSpec(
        "hbm_stack/year", "HBM stacks available per year to the economy's AI-chip makers."
    ),
    "hbm_stacks_per_package": FigureSpec("hbm_stack/chip", "HBM stacks per accelerator."),
    "datacenter_power_for_ai": FigureSpec("GW", "Data-center power available for AI."),
    "ai_capex": FigureSpec("{currency}/year", "Capital spending on AI compute per year."),
    "accelerator_price": FigureSpec("{currency}/chip", "Average price of an AI accelerator."),
    "electricity_price": FigureSpec("{currency}/kWh", "Electricity price paid by data centers."),
    "utilization": FigureSpec(FRACTION, "Average utilization of installed AI compute."),
    "service_life": FigureSpec("year", "Years an accelerator stays in service."),
    "datacenter_electricity": FigureSpec(
        "TWh/year", "Electricity used by all data centers per year."
    ),
}
"""The figures an `Economy` may hold, with their units and meaning (the docs table is generated
from this mapping)."""


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
    spec = ECONOMY_FIGURES.get(name)
    where = where or name
    if spec is None:
        close = close_matches(name, list(ECONOMY_FIGURES), n=3)
        raise UnknownNameError("economy figure", name, close, known=len(ECONOMY_FIGURES))
    unit = _money_unit(spec.unit, value, where)
    return checked_estimate(value, unit, where)


def _to_accelerator(value: Any) -> Accelerator:
    if isinstance(value, Accelerator):
        return value
    if isinstance(value, str):
        return accelerators()[value]
    raise ValidationError(
        "FleetEntry.accelerator", "an Accelerator or a catalog name", repr(value)
    )


def _check_year(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 < value < 2200:
        where = f"{type(instance).__name__}.{attribute.name}"
        raise ValidationError(where, "a year such as 2024", repr(value))


def _to_count(value: Any) -> Estimate:
    return checked_estimate(value, "chip", "FleetEntry.count", count="chip")


@attrs.frozen
class FleetEntry:
    """Accelerators of one type installed in one year.

    Attributes:
        accelerator: The chip (a catalog name is looked up).
        vintage: The year they were installed.
        count: How many, as an `Estimate` in ``chip``.

    Example:
        >>> entry = FleetEntry("Ascend 910B", 2024, "200000 chip")
        >>> entry.h100e
        <Quantity(76005.66..., 'H100e')>
    """

    accelerator: Accelerator = attrs.field(converter=_to_accelerator)
    vintage: int = attrs.field(validator=_check_year)
    count: Estimate = attrs.field(converter=_to_count)

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
        >>> s = reference_world().economies["CN"].statistics[0]
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


def _to_figures(value: Any) -> dict[str, Estimate]:
    if not isinstance(value, Mapping):
        raise ValidationError("Economy.figures", "a mapping of figure name to value", repr(value))
    return {str(k): check_figure(str(k), v, f"Economy.figures[{k}]") for k, v in value.items()}


def _to_fleet(value: Any) -> tuple[FleetEntry, ...]:
    fleet = tuple(value)
    for i, e in enumerate(fleet):
        if not isinstance(e, FleetEntry):
            raise ValidationError(f"Economy.fleet[{i}]", "a FleetEntry", repr(e))
    return fleet


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
        fleet: Installed accelerators by catalog type and vintage.
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
    fleet: tuple[FleetEntry, ...] = attrs.field(default=(), converter=_to_fleet)
    statistics: tuple[Statistic, ...] = attrs.field(default=(), converter=_to_statistics)
    supply: Mapping[str, SupplyShare] = attrs.field(factory=dict, converter=_to_supply, hash=False)

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

    def fleet_rows(self) -> list[dict[str, Any]]:
        """The fleet as plain rows: accelerator, vintage, count (with range) and H100e.

        Example:
            >>> sorted(reference_world().economies["US"].fleet_rows()[0])
            ['accelerator', 'count', 'count_high', 'count_low', 'h100e', 'source', 'vintage']
        """
        rows = []
        for e in self.fleet:
            c = e.count
            h = e.h100e
            rows.append(
                {
                    "accelerator": e.accelerator.name,
                    "vintage": e.vintage,
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
            (r["accelerator"], r["vintage"], f"{r['count']:,.0f}", r["h100e"])
            for r in self.fleet_rows()
        ]
        return (
            f"<h4>{html.escape(self.name)} ({self.code}, {self.currency})</h4>"
            + html_table(("figure", "value", "source"), figs)
            + f"<p>Fleet: {self.fleet_h100e.m_as('H100e'):,.0f} H100e</p>"
            + html_table(("accelerator", "vintage", "count", "H100e"), fleet)
        )


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
        >>> t = reference_world().self_sufficiency()
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
            >>> 0 <= reference_world().self_sufficiency().share("US", "chip_design") <= 1
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
            >>> reference_world().self_sufficiency().to_frame().index.names
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

    base_year: int = attrs.field(validator=_check_year)
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

    Every problem is reported at once with its place in the file: unknown chips in a fleet,
    negative or wrong-unit figures, shares above 1, unknown layers or actors.

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
    from fullstack.actors import actors

    if text is None:
        data = read_toml("world.toml")
        path = "fullstack/datasets/world.toml"
    else:
        data = read_toml(text=text, path=path)
        path = path or "<string>"
    problems: list[Problem] = []
    check_schema_version(data, problems)
    sources = load_sources(data.get("sources", {}), problems)
    stack = default_stack()
    known_actors = actors()
    economies: dict[str, Economy] = {}
    raw_economies = data.get("economies", {})
    if not isinstance(raw_economies, dict):
        problems.append(Problem("economies", "expected a table of economies"))
        raw_economies = {}
    for code, raw in raw_economies.items():
        economy = _load_economy(code, raw, sources, stack, known_actors, problems)
        if economy is not None:
            economies[code] = economy
    rules: list[ExportRule] = []
    for i, k in enumerate(data.get("rules_in_force", [])):
        try:
            rules.append(export_rule(k))
        except UnknownNameError as exc:
            problems.append(Problem(f"rules_in_force[{i}]", str(exc)))
    if problems:
        raise FileFormatError(path, problems)
    try:
        return World(
            base_year=data.get("base_year"),
            economies=economies,
            rules_in_force=tuple(rules),
            stack=stack,
        )
    except (ValidationError, UnknownNameError) as exc:
        raise FileFormatError(path, [Problem("", str(exc))]) from None


def _load_economy(
    code: str,
    raw: Any,
    sources: Mapping[str, Source],
    stack: Stack,
    known_actors: Any,
    problems: list[Problem],
) -> Economy | None:
    base = f"economies.{code}"
    if not isinstance(raw, dict):
        problems.append(Problem(base, f"expected a table, got {raw!r}"))
        return None
    allowed = {"name", "currency", "figures", "fleet", "statistics", "supply"}
    unknown = set(raw) - allowed
    if unknown:
        problems.append(
            Problem(base, f"unknown keys {sorted(unknown)}; allowed {sorted(allowed)}")
        )
    n_before = len(problems)
    figures: dict[str, Estimate] = {}
    for name, fig in (raw.get("figures") or {}).items():
        where = f"{base}.figures.{name}"
        try:
            figures[name] = check_figure(name, parse_figure(fig, where, sources), where)
        except (ValidationError, UnknownNameError, TypeError, ValueError) as exc:
            problems.append(Problem(where, str(exc)))
    fleet: list[FleetEntry] = []
    for i, entry in enumerate(raw.get("fleet") or []):
        where = f"{base}.fleet[{i}]"
        try:
            if not isinstance(entry, dict):
                raise ValidationError(where, "a table", repr(entry))
            extra = set(entry) - {"accelerator", "vintage", "count"}
            if extra:
                raise ValidationError(where, "keys accelerator, vintage, count", sorted(extra))
            fleet.append(
                FleetEntry(
                    entry.get("accelerator"),
                    entry.get("vintage", 0),
                    parse_figure(entry.get("count"), f"{where}.count", sources),
                )
            )
        except (ValidationError, UnknownNameError, TypeError, ValueError) as exc:
            problems.append(Problem(where, str(exc)))
    statistics: list[Statistic] = []
    for i, stat in enumerate(raw.get("statistics") or []):
        where = f"{base}.statistics[{i}]"
        try:
            if not isinstance(stat, dict):
                raise ValidationError(where, "a table", repr(stat))
            value = parse_figure(stat.get("value"), f"{where}.value", sources)
            statistics.append(
                Statistic(
                    str(stat.get("name")), str(stat.get("date", "")), value, stat.get("note", "")
                )
            )
        except (ValidationError, UnknownNameError, TypeError, ValueError) as exc:
            problems.append(Problem(where, str(exc)))
    supply: dict[str, SupplyShare] = {}
    for layer, table in (raw.get("supply") or {}).items():
        where = f"{base}.supply.{layer}"
        try:
            if layer not in stack:
                close = close_matches(layer, stack.ids, n=3)
                raise UnknownNameError("layer", layer, close, known=len(stack))
            if not isinstance(table, dict):
                raise ValidationError(where, "a table", repr(table))
            suppliers = table.get("suppliers", [])
            for s in suppliers:
                if s not in known_actors:
                    known_actors.resolve(s)  # raises with suggestions
            share = parse_figure(table.get("domestic_share"), f"{where}.domestic_share", sources)
            supply[layer] = SupplyShare(
                _to_share_at(share, f"{where}.domestic_share"), suppliers, table.get("note", "")
            )
        except (ValidationError, UnknownNameError, TypeError, ValueError) as exc:
            problems.append(Problem(where, str(exc)))
    if len(problems) > n_before:
        return None
    try:
        return Economy(
            code=code,
            name=raw.get("name", code),
            currency=raw.get("currency", ""),
            figures=figures,
            fleet=fleet,
            statistics=statistics,
            supply=supply,
        )
    except (ValidationError, UnknownNameError) as exc:
        problems.append(Problem(base, str(exc)))
        return None


def _to_share_at(share: Estimate, where: str) -> Estimate:
    return checked_estimate(share, FRACTION, where)


@functools.cache
def reference_world() -> World:
    """China and the US at 2025, built from the package's data files (loaded once, cached).

    Example:
        >>> sorted(reference_world().economies)
        ['CN', 'US']
    """
    return load_world()
