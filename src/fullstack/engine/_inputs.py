"""From a scenario to the kernel's arrays: every parameter through one path.

For each economy, parameter and year: the world's figure (its path by year, or the schema's
default), then the scenario's assumption (`Override`), then growth (for the parameters that
compound a growth rate), then the instruments' effects by the combination rule
``clamp((base + Σ add) × Π scale, max(floors), min(caps))``. Values become plain float arrays
in the parameter's unit with the economy's currency; pint is not used past this module.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from fullstack._data import FRACTION
from fullstack._schema import PARAMETERS
from fullstack.distributions import Distribution, triangular_ppf
from fullstack.engine._kernel import CHANNELS, KernelInput
from fullstack.errors import ValidationError
from fullstack.policy.effects import Add, Cap, Effect, Floor, Scale
from fullstack.policy.instruments import collect_effects
from fullstack.policy.parameters import ParameterName, parameter
from fullstack.scenario import Override

if TYPE_CHECKING:
    from fullstack.accelerators import Accelerator
    from fullstack.scenario import Scenario
    from fullstack.world import Economy, World

__all__ = ["EconomyInputs", "ParameterTrace", "Switch", "build_inputs", "fleet_draw_name"]

SCALAR_KEYS: Final = tuple(k for k, spec in PARAMETERS.items() if spec.index is None)
"""Every parameter without an index; the kernel reads most of them."""

GROWTH: Final = {
    "compute.capex": "compute.capex_growth",
    "datacenter.power": "datacenter.power_growth",
    "chips.packaging_capacity": "chips.packaging_growth",
}
"""Parameters whose baseline compounds a growth rate from the base year on."""

_H100_TDP_W: Final = 700.0
"""Power per H100e for a chip whose TDP is unknown (an H100 SXM's 700 W)."""


@attrs.frozen
class ParameterTrace:
    """Where one parameter's values came from, for `Projection.explain`.

    Attributes:
        name: The dotted name.
        unit: The unit of `values`.
        values: The value in each year (central sample).
        figure: The world figure read, if any (index included).
        override: The scenario assumption, if any.
        effects: The effects by year.
    """

    name: str
    unit: str
    values: tuple[float, ...]
    figure: str | None
    override: Override | None
    effects: Mapping[int, tuple[tuple[str, Effect], ...]]


@attrs.frozen
class Switch:
    """An assumption that differs between two scenarios, for attribution.

    Attributes:
        off: The first scenario's override of the parameter (None: the world's figure).
        on: The second scenario's.
        on_samples: The samples (one per subset of players) that take the second's.
    """

    off: Override | None
    on: Override | None
    on_samples: np.ndarray


@attrs.frozen
class EconomyInputs:
    """One economy's kernel input plus what explains it.

    Attributes:
        code: The economy's code.
        currency: Its currency.
        chips: The chip axis (catalog names).
        kernel: The arrays the kernel reads.
        traces: Parameter traces by dotted name.
    """

    code: str
    currency: str
    chips: tuple[str, ...]
    kernel: KernelInput
    traces: Mapping[str, ParameterTrace]


def _unit(name: ParameterName, economy: Economy) -> str:
    return name.unit_for(economy)


def _magnitude(value: Any, unit: str, where: str) -> float:
    if unit == FRACTION or not hasattr(value, "units"):
        return float(value)
    return _checked_magnitude(value, unit, where)


def _checked_magnitude(value: Any, unit: str, where: str) -> float:
    if unit == FRACTION or not hasattr(value, "units"):
        return float(value)
    try:
        return float(value.m_as(unit))
    except Exception as exc:
        from fullstack.units import format_quantity

        hint = (
            " (convert money with fullstack.convert_currency)"
            if "USD" in unit or ("CNY" in unit)
            else ""
        )
        raise ValidationError(where, f"a value in {unit}{hint}", format_quantity(value)) from exc


def _channel(entry: Any, code: str) -> int:
    channel = getattr(entry, "channel", None)
    if channel in CHANNELS:
        return CHANNELS.index(channel)
    return 0 if entry.accelerator.designer_jurisdiction == code else 1


def _chip_power_w(chip: Accelerator) -> float:
    """A chip's power in watts: its TDP where one is published.

    Otherwise its H100e times the watts per H100e of its vendor's newest chip with a TDP (an
    H100's 700 W per H100e if the vendor has none): an assumption, stated in docs/model.md.
    """
    if chip.tdp is not None:
        return float(chip.tdp.value.m_as("W"))
    from fullstack.accelerators import accelerators

    h = chip.h100e
    h100e = float(h.m_as("H100e")) if h is not None else 1.0
    peers = [
        a
        for a in accelerators().values()
        if a.vendor == chip.vendor and a.tdp is not None and a.h100e is not None
        and (a.year or 0) <= (chip.year or 9999)
    ]  # fmt: skip
    if not peers:
        return _H100_TDP_W * h100e
    newest = max(peers, key=lambda a: (a.year or 0, float(a.h100e.m_as("H100e"))))  # type: ignore[union-attr]
    watts = float(newest.tdp.value.m_as("W")) / float(newest.h100e.m_as("H100e"))  # type: ignore[union-attr]
    return watts * h100e


_SPECS: dict[int, tuple[Any, tuple[float, float]]] = {}


def _chip_spec(chip: Accelerator) -> tuple[float, float]:
    """A chip's (H100e, watts), cached: chips are frozen and every run asks again.

    The cache holds the chip itself, so its id cannot be reused while cached.
    """
    found = _SPECS.get(id(chip))
    if found is None:
        found = _SPECS[id(chip)] = (chip, (_chip_h100e(chip), _chip_power_w(chip)))
    return found[1]


def _chip_h100e(chip: Accelerator) -> float:
    h = chip.h100e
    return 0.0 if h is None else float(h.m_as("H100e"))


def _combine_arrays(
    base: np.ndarray,
    effects: Sequence[tuple[str, Effect]],
    unit: str,
    is_fraction: bool,
    active: Mapping[str, np.ndarray] | None = None,
) -> np.ndarray:
    """The combination rule on a vector of samples.

    Without ``active`` every effect applies to every sample. With it (instrument name to a
    boolean per sample, for attribution), an instrument's effects apply only in the samples
    where it is active; an instrument it does not name is active everywhere.
    """
    if active is None or not any(owner in active for owner, _ in effects):
        adds, scales, floors, caps = [], [], [], []
        for _, e in effects:
            if isinstance(e, Scale):
                scales.append(e.factor)
            elif isinstance(e, Add):
                adds.append(_magnitude(e.value, unit, str(e.parameter)))
            elif isinstance(e, Floor):
                floors.append(_magnitude(e.value, unit, str(e.parameter)))
            elif isinstance(e, Cap):
                caps.append(_magnitude(e.value, unit, str(e.parameter)))
        total = base + math.fsum(adds) if adds else base.copy()
        for factor in sorted(scales):
            total = total * factor
        if floors:
            total = np.maximum(total, max(floors))
        if caps:
            total = np.minimum(total, min(caps))
    else:
        on = {owner: active.get(owner, np.ones(base.shape, dtype=bool)) for owner, _ in effects}
        added = np.zeros(base.shape)
        factors: list[tuple[float, np.ndarray]] = []
        floor = np.full(base.shape, -np.inf)
        cap = np.full(base.shape, np.inf)
        for owner, e in effects:
            mask = on[owner]
            if isinstance(e, Scale):
                factors.append((e.factor, mask))
            elif isinstance(e, Add):
                added = added + np.where(mask, _magnitude(e.value, unit, str(e.parameter)), 0.0)
            elif isinstance(e, Floor):
                value = _magnitude(e.value, unit, str(e.parameter))
                floor = np.maximum(floor, np.where(mask, value, -np.inf))
            elif isinstance(e, Cap):
                value = _magnitude(e.value, unit, str(e.parameter))
                cap = np.minimum(cap, np.where(mask, value, np.inf))
        total = base + added
        for factor, mask in sorted(factors, key=lambda fm: fm[0]):
            total = total * np.where(mask, factor, 1.0)
        total = np.minimum(np.maximum(total, floor), cap)
    if is_fraction:
        total = np.clip(total, 0.0, 1.0)
    return np.asarray(total, dtype=np.float64)


def _triangular(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """The triangular distribution's quantiles at ``u``.

    ``low`` and ``high`` are the ends and ``mode`` the most likely value (a figure's central
    value); a figure without a range gives its central value.
    """
    return triangular_ppf(u, min(low, mode), mode, max(high, mode))


def _resolve_parameter(
    name: ParameterName,
    economy: Economy,
    years: Sequence[int],
    base_year: int,
    samples: int,
    overrides: Mapping[str, Override],
    grouped: Mapping[tuple[str, int], Sequence[tuple[str, Effect]]],
    growth: np.ndarray | None,
    rule_base: tuple[float, str] | None = None,
    draws: Mapping[str, np.ndarray] | None = None,
    active: Mapping[str, np.ndarray] | None = None,
    switches: Mapping[str, Switch] | None = None,
    base_scale: np.ndarray | None = None,
) -> tuple[np.ndarray, ParameterTrace]:
    """One parameter's values by sample and year (see `build_inputs`).

    ``base_scale`` (one factor per sample) multiplies the world's value before growth and
    effects, where no assumption gives the parameter (the AI power with a drawn fleet).
    """
    unit = _unit(name, economy)
    is_fraction = name.unit == FRACTION
    key = str(name)
    switch = None if switches is None else switches.get(key)
    override = overrides.get(key) if switch is None else switch.off
    figure = name.figure_name if name.figure_name in economy.figures else None
    u = None if draws is None or figure is None else draws.get(f"{economy.code}.{figure}")
    assumed = None if draws is None else draws.get(f"assumption:{key}")
    # a parameter nothing varies by sample is computed once and broadcast to every sample
    owners = {owner for (k, _), found in grouped.items() if k == key for owner, _ in found}
    per_sample = (
        u is not None
        or assumed is not None
        or switch is not None
        or (growth is not None and growth.shape[0] > 1)
        or (active is not None and not owners.isdisjoint(active))
        or base_scale is not None
    )
    rows_count = samples if per_sample else 1

    def base_rows(chosen: Override | None) -> np.ndarray:
        """The base values by sample and year, before growth and effects."""
        rows = np.empty((len(years), rows_count)).T  # (S, Y), each year contiguous
        magnitudes: dict[int, Any] = {}  # by id of the value's source: few per parameter
        default: float | None = None
        for t, year in enumerate(years):
            value = chosen.at(year) if chosen is not None else None
            magnitude: Any
            if isinstance(value, Distribution):  # an assumption: drawn, or its central value
                cached = magnitudes.get(id(value))
                if cached is None:
                    where = f"{key} in {year}"
                    cached = _checked_magnitude(value.central, unit, where)
                    if assumed is not None:
                        cached = value.ppf(assumed, unit)
                        if is_fraction:
                            cached = np.clip(cached, 0.0, 1.0)
                    magnitudes[id(value)] = cached
                magnitude = cached
            elif value is None and rule_base is not None:
                magnitude = rule_base[0]
            elif value is not None or figure is not None:
                source = value if value is not None else economy.figure_at(figure or "", year)
                cached = magnitudes.get(id(source))
                if cached is None:
                    base = source if value is not None else name.base_value(economy, year)
                    where = f"{key} in {year}"
                    cached = _checked_magnitude(base, unit, where)
                    if value is None and u is not None:  # an ensemble: the figure's range
                        low = (
                            cached
                            if source.low is None
                            else _checked_magnitude(source.low, unit, where)
                        )
                        high = (
                            cached
                            if source.high is None
                            else _checked_magnitude(source.high, unit, where)
                        )
                        cached = _triangular(u, low, cached, high)
                    magnitudes[id(source)] = cached
                magnitude = cached
            else:
                if default is None:
                    default = _checked_magnitude(name.base_value(economy, year), unit, key)
                magnitude = default
            rows[:, t] = magnitude
        return rows

    def scaled(rows: np.ndarray, chosen: Override | None) -> np.ndarray:
        return rows * base_scale[:, None] if base_scale is not None and chosen is None else rows

    out = scaled(base_rows(override), override)
    if switch is not None:  # attribution: this assumption's player decides, sample by sample
        out = np.where(switch.on_samples[:, None], scaled(base_rows(switch.on), switch.on), out)
    effects_by_year: dict[int, tuple[tuple[str, Effect], ...]] = {}
    for year in years:
        found = grouped.get((key, year), ())
        if found:
            effects_by_year[year] = tuple(found)
    if growth is not None:
        out = out * growth
    for t, year in enumerate(years):  # effects last, by the combination rule
        if year in effects_by_year:
            out[:, t] = _combine_arrays(
                out[:, t], effects_by_year[year], unit, is_fraction, active
            )
    trace = ParameterTrace(
        name=key,
        unit=unit,
        values=tuple(float(x) for x in out[0]),
        figure=rule_base[1] if rule_base is not None else figure,
        override=override,
        effects=effects_by_year,
    )
    if not per_sample:  # a read-only view: (1, Y) seen as (S, Y)
        out = np.broadcast_to(out, (samples, len(years)))
    return out, trace


def _any(arr: np.ndarray) -> bool:
    """Whether any value is non-zero; a row broadcast to every sample is read once."""
    return bool(arr[:1].any() if arr.strides[0] == 0 else arr.any())


def _chip_axis(economy: Economy, years: Sequence[int], extra: Sequence[str]) -> list[str]:
    chips: list[str] = []

    def add(name: str | None) -> None:
        if name is not None and name not in chips:
            chips.append(name)

    for entry in economy.fleet:
        add(entry.accelerator.name)
    for year in years:
        add(economy.design(year))
    for fig in economy.figures:
        if fig.startswith("import_demand["):
            add(fig[len("import_demand[") : -1])
    for name in extra:
        add(name)
    return chips


def build_inputs(
    scenario: Scenario,
    samples: int = 1,
    draws: Mapping[str, np.ndarray] | None = None,
    active: Mapping[str, np.ndarray] | None = None,
    switches: Mapping[str, Switch] | None = None,
) -> dict[str, EconomyInputs]:
    """Resolve every parameter of every economy of a scenario into the kernel's arrays.

    The years run from the world's base year to the scenario's end (a projection is reported
    from ``scenario.start``). With ``draws`` (uniform numbers in [0, 1) per sample, by
    ``"CN.figure_name"``), each such figure that has a range is drawn from the triangular
    distribution over its low, central and high values (an ensemble), unless a scenario
    assumption gives the parameter's value; the other figures, the scenario's plain
    assumptions and the rules stay fixed. An assumption that is a distribution
    (`fullstack.distributions`) is drawn from ``draws["assumption:<parameter>"]`` when given
    (each point of a path takes the same quantile), and takes its central value otherwise.
    With ``active`` (instrument name to a
    boolean per sample), an instrument acts only in its active samples, and with ``switches``
    (parameter name to a `Switch`) an assumption takes one scenario's value or the other's,
    sample by sample (attribution).

    Example:
        >>> import fullstack
        >>> inputs = build_inputs(fullstack.Scenario(name="s", end=2027))
        >>> inputs["CN"].kernel.params["foundry.capacity"].shape
        (1, 3)
    """
    from fullstack.accelerators import accelerators

    world: World = scenario.base_world()
    base_year = world.base_year
    years = tuple(range(base_year, scenario.end + 1))
    instruments = scenario.instruments
    grouped = collect_effects(world, instruments, years)
    overrides = {o.parameter: o for o in scenario.assumptions}
    catalog = accelerators()
    out: dict[str, EconomyInputs] = {}
    for code, economy in world.economies.items():
        prefix = code.lower()
        extra = [
            p.split("[", 1)[1][:-1]
            for p in (*overrides, *(switches or {}))
            if p.startswith(f"{prefix}.chips.import_demand[")
        ]
        chips = _chip_axis(economy, years, extra)
        if not chips:
            continue
        specs = [catalog[c] for c in chips]
        h100e = np.array([_chip_spec(a)[0] for a in specs])
        tdp_gw = np.array([_chip_spec(a)[1] for a in specs]) * 1e-9
        first_vintage = min([e.vintage for e in economy.fleet] + [base_year])
        fleet = np.zeros((len(CHANNELS), len(chips), scenario.end - first_vintage + 1))
        for entry in economy.fleet:
            if entry.vintage > base_year:
                continue
            fleet[
                _channel(entry, code),
                chips.index(entry.accelerator.name),
                entry.vintage - first_vintage,
            ] += float(entry.count.value.m_as("chip"))
        cells, counts, drawn = _fleet_counts(economy, chips, first_vintage, base_year, draws)
        power_scale = _power_scale(fleet, cells, counts, tdp_gw) if drawn else None
        params: dict[str, np.ndarray] = {}
        traces: dict[str, ParameterTrace] = {}
        growth_arrays: dict[str, np.ndarray] = {}
        ordered = sorted(SCALAR_KEYS, key=lambda k: k not in GROWTH.values())
        for key in ordered:
            name = parameter(f"{prefix}.{key}")
            growth = None
            if key in GROWTH:
                rate = growth_arrays[GROWTH[key]]
                if rate.strides[0] == 0:  # the same for every sample: compound one row
                    rate = rate[:1]
                factors = 1.0 + rate
                factors[:, 0] = 1.0
                growth = np.cumprod(factors, axis=1)
            arr, trace = _resolve_parameter(
                name, economy, years, base_year, samples, overrides, grouped, growth,
                draws=draws, active=active, switches=switches,
                base_scale=power_scale if key == "datacenter.power" else None,
            )  # fmt: skip
            if key in GROWTH.values():
                growth_arrays[key] = arr
            params[key] = arr
            traces[str(name)] = trace
        floor_name = parameter(f"{prefix}.supply.domestic_floor[chip_design]")
        arr, trace = _resolve_parameter(
            floor_name, economy, years, base_year, samples, overrides, grouped, None,
            draws=draws, active=active, switches=switches,
        )  # fmt: skip
        params["supply.domestic_floor[chip_design]"] = arr
        traces[str(floor_name)] = trace
        ruled = _rule_caps(world, code, chips)
        if "hbm" in ruled:
            hbm_name = parameter(f"{prefix}.hbm.import_cap")
            arr, trace = _resolve_parameter(
                hbm_name,
                economy,
                years,
                base_year,
                samples,
                overrides,
                grouped,
                None,
                ruled["hbm"],
                draws=draws,
                active=active,
                switches=switches,
            )
            params["hbm.import_cap"] = arr
            traces[str(hbm_name)] = trace
        per_chip: dict[str, list[np.ndarray]] = {"chips.import_demand": [], "chips.import_cap": []}
        for chip in chips:
            for key, columns in per_chip.items():
                name = parameter(f"{prefix}.{key}[{chip}]")
                rule = ruled.get(chip) if key == "chips.import_cap" else None
                arr, trace = _resolve_parameter(
                    name, economy, years, base_year, samples, overrides, grouped, None, rule,
                    draws, active, switches,
                )  # fmt: skip
                columns.append(arr)
                if key == "chips.import_demand" and not _any(arr):
                    continue
                traces[str(name)] = trace
        # (S, Y, C): only the columns of chips with an import demand are filled; the others
        # stay 0, nothing wanted and nothing allowed, which imports none (a chip imported in
        # the base year alone imports nothing later either way). np.zeros costs no time.
        demand = np.zeros((samples, len(years), len(chips)))
        cap = np.zeros((samples, len(years), len(chips)))
        for c, (wanted, allowed) in enumerate(
            zip(per_chip["chips.import_demand"], per_chip["chips.import_cap"], strict=True)
        ):
            if _any(wanted):
                demand[:, :, c] = wanted
                cap[:, :, c] = allowed
        design = np.array(
            [chips.index(economy.design(y) or chips[0]) for y in years], dtype=np.int64
        )
        kernel = KernelInput(
            params=params,
            demand=demand,
            import_cap=cap,
            design=design,
            h100e=h100e,
            tdp=tdp_gw,
            fleet=fleet,
            first_vintage=first_vintage,
            base_year=base_year,
            fleet_cells=cells,
            fleet_counts=counts,
        )
        out[code] = EconomyInputs(code, economy.currency, tuple(chips), kernel, traces)
    return out


def _power_scale(
    fleet: np.ndarray, cells: npt.NDArray[np.int64], counts: np.ndarray, tdp_gw: np.ndarray
) -> np.ndarray | None:
    """The drawn fleet's power over the central fleet's, by sample (None without power).

    The world's AI power was computed from its fleet, so it moves with the drawn fleet. Summed
    cell by cell, not by a matrix product: the same in any chunking.
    """
    central = float(fleet.sum(axis=(0, 2)) @ tdp_gw)
    if central <= 0:
        return None
    watts = np.zeros(counts.shape[0])
    for i, chip in enumerate(cells[:, 1]):
        watts = watts + counts[:, i] * tdp_gw[chip]
    return watts / central


def fleet_draw_name(code: str, channel: str) -> str:
    """The name an ensemble draws one economy's fleet channel under: ``"CN.fleet[smuggled]"``.

    Example:
        >>> fleet_draw_name("CN", "smuggled")
        'CN.fleet[smuggled]'
    """
    return f"{code}.fleet[{channel}]"


def _fleet_counts(
    economy: Economy,
    chips: Sequence[str],
    first_vintage: int,
    base_year: int,
    draws: Mapping[str, np.ndarray] | None,
) -> tuple[npt.NDArray[np.int64], np.ndarray, bool]:
    """The fleet's cells (channel, chip, vintage) and their chips by sample.

    Without a draw for a channel (``draws["CN.fleet[smuggled]"]``) its rows keep their central
    counts. With one, every row of the channel takes the same quantile ``u`` of the triangular
    distribution over its own low, central and high counts, so the channel's H100e total runs
    over the range `Economy.fleet_total` gives (the rows move together). Returns the cells,
    ``(N, 3)``, the counts, ``(S, N)`` (``(1, N)`` when nothing is drawn), and whether a
    channel was drawn.
    """
    drawn = False
    index: dict[tuple[int, int, int], int] = {}
    columns: list[Any] = []
    for entry in economy.fleet:
        if entry.vintage > base_year:
            continue
        k = _channel(entry, economy.code)
        cell = (k, chips.index(entry.accelerator.name), entry.vintage - first_vintage)
        count = entry.count
        central = float(count.value.m_as("chip"))
        u = None if draws is None else draws.get(fleet_draw_name(economy.code, CHANNELS[k]))
        value: Any = central
        if u is not None:
            low = central if count.low is None else float(count.low.m_as("chip"))
            high = central if count.high is None else float(count.high.m_as("chip"))
            value = _triangular(u, low, central, high)
            drawn = True
        if cell in index:
            columns[index[cell]] = columns[index[cell]] + value
        else:
            index[cell] = len(columns)
            columns.append(value)
    cells = np.array(list(index), dtype=np.int64).reshape(-1, 3)
    if not columns:
        return cells, np.zeros((1, 0)), False
    width = max(np.size(c) for c in columns)
    counts = np.column_stack([np.broadcast_to(np.asarray(c, float), (width,)) for c in columns])
    return cells, counts, drawn


def _rule_caps(world: World, code: str, chips: Sequence[str]) -> dict[str, tuple[float, str]]:
    """The import caps the world's rules in force set for one economy.

    Zero for every chip a rule controls (designed in the rule's jurisdiction, the US) and for
    HBM under a rule with an HBM paragraph. The exporter's own economy is not capped.
    """
    from fullstack.accelerators import accelerators

    caps: dict[str, tuple[float, str]] = {}
    if code == "US":
        return caps
    catalog = accelerators()
    for rule in world.rules_in_force:
        basis = f"the world's rule in force {rule.key} ({rule.citation})"
        for chip in chips:
            spec = catalog[chip]
            if spec.designer_jurisdiction != "US" or chip in caps:
                continue
            if _controlled(rule, spec):
                caps[chip] = (0.0, basis)
        if any(p.applies_to == "hbm" for p in rule.paragraphs):
            caps.setdefault("hbm", (0.0, basis))
    return caps


_VERDICTS: dict[tuple[int, int], tuple[Any, Any, bool | None]] = {}


def _controlled(rule: Any, chip: Any) -> bool | None:
    """Whether ``rule`` controls ``chip``, cached: both are frozen and runs repeat the question.

    The cache holds the objects themselves, so their ids cannot be reused while cached.
    """
    key = (id(rule), id(chip))
    if key not in _VERDICTS:
        _VERDICTS[key] = (rule, chip, rule.classify(chip).controlled)
    return _VERDICTS[key][2]
