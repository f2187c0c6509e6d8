"""The projection kernel: the stock-and-flow equations over plain numpy arrays.

Everything here is numpy on magnitudes in canonical units, with a leading sample axis ``S``
(1 for a deterministic run): no pint, no attrs, no Python loop over samples. The only loop is
over years (a stock-and-flow model is sequential in time). `docs/model.md` states every
equation; the names below follow it.

Axes: ``S`` samples, ``Y`` years (the base year first), ``K`` channels (domestic, legal,
smuggled), ``C`` chip types, ``V`` vintages (the fleet's oldest year to the last projected year).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import attrs
import numpy as np
import numpy.typing as npt

__all__ = ["CHANNELS", "DEPLOY_BINDING", "OUTPUT_BINDING", "KernelInput", "simulate"]

Array = npt.NDArray[np.float64]

CHANNELS: Final = ("domestic", "legal", "smuggled")
"""How chips arrive: made at home, imported legally, smuggled."""

OUTPUT_BINDING: Final = ("logic", "hbm", "packaging", "money", "power")
"""The ceilings on domestic output, in the order ties are broken: the three supply ceilings,
then the orders the economy's buyers could pay for (money) and power (power)."""

DEPLOY_BINDING: Final = ("supply", "money", "power")
"""What bounds deployment: the chips on hand, the money, or the power."""

HOURS_PER_YEAR: Final = 8766.0
"""Hours in a year of 365.25 days."""

_TINY: Final = 1e-300


@attrs.frozen
class KernelInput:
    """One economy's inputs as arrays (magnitudes in canonical units).

    Attributes:
        params: Scalar parameters by key (``"foundry.capacity"``), each ``(S, Y)``.
        demand: Import demand per chip, ``(S, Y, C)`` chip/year.
        import_cap: Legal import cap per chip, ``(S, Y, C)`` chip/year (``inf``: no cap; a
            chip without import demand may have 0).
        design: Index into the chip axis of the domestic design per year, ``(Y,)``.
        h100e: H100-equivalents per chip, ``(C,)``.
        tdp: Power per chip in watts, ``(C,)``.
        fleet: Chips installed before and in the base year, ``(K, C, V)`` by vintage (the
            central counts).
        first_vintage: The year of vintage index 0.
        base_year: The year of year index 0.
        fleet_cells: The fleet's non-empty cells, ``(N, 3)``: channel, chip and vintage index.
        fleet_counts: The chips in each cell by sample, ``(S, N)``, or ``(1, N)`` when every
            sample has the central counts (an ensemble draws them by channel).
    """

    params: Mapping[str, Array]
    demand: Array
    import_cap: Array
    design: npt.NDArray[np.int64]
    h100e: Array
    tdp: Array
    fleet: Array
    first_vintage: int
    base_year: int
    fleet_cells: npt.NDArray[np.int64]
    fleet_counts: Array


def _year_major(inp: KernelInput) -> dict[str, Array]:
    """Every parameter as a contiguous ``(Y, S)`` array: a year's column is then contiguous."""
    return {key: np.ascontiguousarray(value.T) for key, value in inp.params.items()}


def _lag_weights(lag: Array, age: int) -> Array:
    """The share of an investment that turns into capacity ``age`` years later (a tent)."""
    return np.clip(1.0 - np.abs(age - lag), 0.0, 1.0)


def _survival(life: Array, age: npt.NDArray[np.float64]) -> Array:
    """Share of a vintage still in service at ``age``.

    1 until the life's last full year, the fractional part in the year the life ends, then 0.
    ``life`` is ``(S,)``; ``age`` ``(V,)``; the result ``(S, V)``.
    """
    return np.clip(life[:, None] - age[None, :], 0.0, 1.0)


def _min_and_which(*arrays: Array) -> tuple[Array, Array]:
    """The elementwise minimum of the arrays and the index of the one that attains it.

    Ties go to the earlier array. The index is a float array (the binding codes' type); no
    array is stacked, so nothing of size samples × arrays is allocated.
    """
    low = arrays[0]
    which = np.zeros(low.shape)
    for i, arr in enumerate(arrays[1:], start=1):
        lower = arr < low
        low = np.where(lower, arr, low)
        which = np.where(lower, float(i), which)
    return np.asarray(low, dtype=np.float64), which


def _safe_div(num: Array, den: Array) -> Array:
    """``num / den`` with ``x / 0 = inf`` for x > 0 and ``0 / 0 = inf`` (no bound)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den > 0, num / np.maximum(den, _TINY), np.inf)
    return np.asarray(out, dtype=np.float64)


def simulate(inp: KernelInput) -> dict[str, Array]:
    """Run one economy's equations year by year; return every recorded series.

    Returns a mapping of series name to array: ``(S, Y)`` for totals, ``(S, Y, K)`` for
    per-channel ones (``_by_channel``), and ``(S, Y, M)`` for the per-chip imports (names
    ending in ``_by_chip``) of the ``M`` chips that can be imported, whose indices on the chip
    axis are ``"chips.movers"`` (every other chip imports none).
    """
    fleet = inp.fleet
    by_year = _year_major(inp)

    def _p(key: str, t: int) -> Array:
        column: Array = by_year[key][t]
        return column

    k_count, _, v_count = fleet.shape
    s_count, y_count = next(iter(inp.params.values())).shape
    base_index = inp.base_year - inp.first_vintage  # vintage index of the base year

    # Chips are tracked aggregated: Q = (chips, H100e by channel..., watts). Every quantity the
    # equations and the metrics need is linear in the chips, and deployment takes the same
    # share of every chip on hand, so the aggregate of a sum is the sum of the aggregates.
    q_count = 2 + k_count

    def aggregate(chips: Array) -> Array:  # (..., K, C) -> (..., Q)
        return np.concatenate(
            [
                chips.sum(axis=(-2, -1))[..., None],
                (chips * inp.h100e).sum(axis=-1),
                (chips * inp.tdp).sum(axis=(-2, -1))[..., None],
            ],
            axis=-1,
        )

    # the chips that can be imported (demand, or imports in the base year): the import
    # equations run on these columns only (M of the C chip types)
    movers = np.flatnonzero(inp.demand.any(axis=(0, 1)) | fleet[1:, :, base_index].any(axis=0))
    h100e_m = inp.h100e[movers]

    def per_channel(k: int) -> Array:  # (M, Q): what one chip of each type adds in channel k
        m = np.zeros((len(movers), q_count))
        m[:, 0] = 1.0
        m[:, 1 + k] = h100e_m
        m[:, -1] = inp.tdp[movers]
        return m

    legal_m, smuggled_m = per_channel(1), per_channel(2)
    demand_by_year = np.ascontiguousarray(np.moveaxis(inp.demand[:, :, movers], 1, 0))  # (Y,S,M)
    cap_by_year = np.ascontiguousarray(np.moveaxis(inp.import_cap[:, :, movers], 1, 0))
    # deployments by vintage; the world's fleet fills the vintages up to the base year, cell
    # by cell (each cell's chips by sample times what one of its chips adds)
    dep = np.zeros((s_count, v_count, q_count))
    counts = np.broadcast_to(inp.fleet_counts, (s_count, len(inp.fleet_cells)))
    unit_q = np.zeros((len(inp.fleet_cells), q_count))  # what one chip of each cell adds
    for i, (k, c, _) in enumerate(inp.fleet_cells):
        unit_q[i, 0] = 1.0
        unit_q[i, 1 + k] = inp.h100e[c]
        unit_q[i, -1] = inp.tdp[c]
    for i, (_, _, vintage) in enumerate(inp.fleet_cells):
        dep[:, vintage] += counts[:, i, None] * unit_q[i]
    vintages = np.arange(v_count, dtype=np.float64)

    inventory = np.zeros((s_count, q_count))
    die_bank = _p("chips.die_bank", 0).copy()
    hbm_stock = _p("hbm.stockpile", 0).copy()
    investment = np.zeros((s_count, y_count))
    capital_cost = np.zeros((s_count, y_count))
    lags = np.zeros((s_count, y_count))
    power_added = np.zeros(s_count)

    rows: dict[str, Array] = {}

    def record(name: str, t: int, value: Array) -> None:
        # year-major storage: each year's write is contiguous; swapped to (S, Y, ...) at the end
        if name not in rows:
            rows[name] = np.empty((y_count, *value.shape))
        rows[name][t] = value

    for t in range(y_count):
        v = base_index + t  # the vintage index of this year
        # --- foundry: baseline path plus capacity bought by investment after the lag -------
        investment[:, t] = _p("foundry.investment", t)
        capital_cost[:, t] = _p("foundry.capital_cost", t)
        lags[:, t] = _p("foundry.build_lag", t)
        extra = np.zeros(s_count)
        for s_year in range(t):
            bought = _safe_div(investment[:, s_year], capital_cost[:, s_year])
            bought = np.where(np.isfinite(bought), bought, 0.0)  # no cost figure: buys none
            bought = np.where(investment[:, s_year] > 0, bought, 0.0)
            extra += bought * _lag_weights(lags[:, s_year], t - s_year)
        capacity = _p("foundry.capacity", t) + extra

        # --- what the economy can deploy this year: power headroom and money -----------------
        life = _p("chips.service_life", t)
        age = (v - vintages).astype(np.float64)
        alive = _survival(life, age[: v + 1])  # (S, v + 1): the vintages so far
        installed_before = np.einsum("sv,svq->sq", alive[:, :v], dep[:, :v])
        overhead = _p("datacenter.server_overhead", t)
        pue = _p("datacenter.pue", t)
        it_before = installed_before[:, -1] * overhead
        power_added = power_added + _p("datacenter.power_additions", t)
        power_avail = _p("datacenter.power", t) + power_added
        headroom = np.maximum(power_avail - it_before * pue, 0.0)
        price = _p("chips.price", t) * _p("datacenter.cost_factor", t)
        money = _safe_div(_p("compute.capex", t), _p("compute.cost_share", t))

        # --- imports by channel (before domestic output, which fills the orders left) ------
        if t > 0:
            demand = demand_by_year[t]
            legal = np.minimum(demand, cap_by_year[t])
            refused = np.maximum(demand - legal, 0.0)  # what the rules refuse
            smuggled = _p("chips.smuggling_share", t)[:, None] * refused
            imports = legal @ legal_m + smuggled @ smuggled_m
        else:
            imports = np.zeros((s_count, q_count))

        # --- domestic output: the minimum of the supply ceilings and the orders -------------
        fab_dies = (
            capacity
            * 12.0
            * _p("foundry.ai_share", t)
            * _p("foundry.dies_per_wafer", t)
            * _p("foundry.yield", t)
        )
        dpp = np.maximum(_p("chips.dies_per_package", t), _TINY)
        spp = np.maximum(_p("hbm.stacks_per_package", t), _TINY)
        hbm_home = _p("hbm.supply", t)
        hbm_cap = _p("hbm.import_cap", t)
        logic_ceiling = (fab_dies + die_bank) / dpp
        hbm_ceiling = (hbm_home + hbm_cap + hbm_stock) / spp
        pack_ceiling = _p("chips.packaging_capacity", t)
        # orders: what the buyers could still pay for and power after inventory and imports,
        # in packages of this year's design (makers do not make chips nobody can deploy)
        d = inp.design[t]
        p_yield = np.maximum(_p("chips.packaging_yield", t), _TINY)
        on_hand = inventory + imports
        money_left = np.maximum(money - on_hand[:, 0] * price, 0.0)
        power_left = np.maximum(headroom - on_hand[:, -1] * overhead * pue, 0.0)
        money_orders = _safe_div(money_left, price) / p_yield
        power_orders = _safe_div(power_left, inp.tdp[d] * overhead * pue) / p_yield
        packages, output_binding = _min_and_which(
            logic_ceiling, hbm_ceiling, pack_ceiling, money_orders, power_orders
        )
        packages = np.where(np.isfinite(packages), packages, 0.0)
        good = packages * _p("chips.packaging_yield", t)

        if t == 0:
            # the base year is the reference world: its flows are the fleet's base vintage
            new = dep[:, base_index].copy()
            new_chips = np.zeros((s_count, k_count))
            legal = np.zeros((s_count, len(movers)))
            smuggled = np.zeros((s_count, len(movers)))
            column = {int(c): m for m, c in enumerate(movers)}
            for i, (k, c, vintage) in enumerate(inp.fleet_cells):
                if vintage != base_index:
                    continue
                new_chips[:, k] += counts[:, i]
                if k in (1, 2) and c in column:
                    (legal if k == 1 else smuggled)[:, column[c]] += counts[:, i]
            domestic_new = new_chips[:, 0]
            hbm_used = np.zeros(s_count)
            hbm_imported = np.zeros(s_count)
            bank_draw = np.zeros(s_count)
            fab_used = np.zeros(s_count)
            output_binding = np.full(s_count, -1.0)
        else:
            dies_used = packages * dpp
            fab_used = np.minimum(fab_dies, dies_used)
            bank_draw = np.clip(dies_used - fab_used, 0.0, die_bank)
            die_bank = die_bank - bank_draw
            hbm_used = packages * spp
            from_home = np.minimum(hbm_home, hbm_used)
            hbm_imported = np.minimum(hbm_cap, hbm_used - from_home)
            from_stock = np.clip(hbm_used - from_home - hbm_imported, 0.0, hbm_stock)
            unused_home = np.where(np.isfinite(hbm_home), hbm_home - from_home, 0.0)
            hbm_stock = hbm_stock - from_stock + unused_home

            # a localization floor f holds legal imports to domestic * (1 - f) / f (in H100e)
            floor = _p("supply.domestic_floor[chip_design]", t)
            domestic_h = good * inp.h100e[d]
            legal_h = legal @ h100e_m
            allowed_h = np.where(
                floor > 0, domestic_h * (1.0 - floor) / np.maximum(floor, _TINY), np.inf
            )
            keep = np.where(legal_h > allowed_h, _safe_div(allowed_h, legal_h), 1.0)
            legal = legal * np.clip(keep, 0.0, 1.0)[:, None]
            new = legal @ legal_m + smuggled @ smuggled_m
            new[:, 0] += good
            new[:, 1] += good * inp.h100e[d]
            new[:, -1] += good * inp.tdp[d]
            new_chips = np.stack([good, legal.sum(axis=1), smuggled.sum(axis=1)], axis=1)
            domestic_new = good

        # --- deployment: bounded by chips on hand, money and power ---------------------------
        available = inventory + new
        need_power = available[:, -1] * overhead * pue
        need_money = available[:, 0] * price
        share, deploy_binding = _min_and_which(
            np.ones(s_count), _safe_div(money, need_money), _safe_div(headroom, need_power)
        )
        share = np.clip(share, 0.0, 1.0)
        if t == 0:
            share = np.ones(s_count)
            deploy_binding = np.full(s_count, -1.0)
        deployed = available * share[:, None]
        inventory = available - deployed
        inventory[inventory < 1e-6] = 0.0  # rounding left by a bound that just fits
        dep[:, v] = deployed

        # --- the fleet --------------------------------------------------------------------
        installed = installed_before + alive[:, v, None] * deployed  # this year's vintage
        installed_h = installed[:, 1:-1]  # H100e by channel
        lag = np.clip(_p("datacenter.deployment_lag", t), 0.0, 1.0)
        deployed_h = deployed[:, 1:-1].sum(axis=1)
        installed_total = installed_h.sum(axis=1)
        operational = np.maximum(installed_total - lag * deployed_h, 0.0)
        it_power = installed[:, -1] * overhead

        record("foundry.capacity", t, capacity)
        record("output.logic_ceiling", t, logic_ceiling)
        record("output.hbm_ceiling", t, hbm_ceiling)
        record("output.packaging_ceiling", t, pack_ceiling)
        record("output.binding", t, output_binding)
        record("chips.output", t, domestic_new)
        record("chips.output_h100e", t, domestic_new * inp.h100e[inp.design[t]])
        record("chips.new_h100e_by_channel", t, new[:, 1:-1])
        record("chips.legal_by_chip", t, legal)
        record("chips.smuggled_by_chip", t, smuggled)
        record("chips.deployed", t, deployed[:, 0])
        record("chips.inventory", t, inventory[:, 0])
        record("chips.die_bank", t, die_bank)
        record("chips.bank_draw", t, bank_draw)
        record("chips.fab_dies_used", t, fab_used)
        record("hbm.stockpile", t, hbm_stock)
        record("hbm.used", t, hbm_used)
        record("hbm.imports", t, hbm_imported)
        record("hbm.home_used", t, np.minimum(hbm_home, hbm_used))
        record("deployment.binding", t, deploy_binding)
        record("deployment.money_bound", t, _safe_div(money, price))
        per_chip_power = _safe_div(need_power, available[:, 0])
        record("deployment.power_bound", t, _safe_div(headroom, per_chip_power))
        record("compute.installed", t, installed_total)
        record("compute.installed_by_channel", t, installed_h)
        record("compute.installed_chips", t, installed[:, 0])
        record("compute.operational", t, operational)
        record("compute.spending", t, deployed[:, 0] * price)
        record("datacenter.power_available", t, power_avail)
        record("datacenter.it_power", t, it_power)
        record("energy.use", t, it_power * HOURS_PER_YEAR * pue * 1e-3)  # GWh to TWh
    out = {name: arr.swapaxes(0, 1) for name, arr in rows.items()}
    # the per-chip imports cover the chips that can be imported only (M of C; most are zero)
    out["chips.movers"] = movers.astype(np.float64)
    return out
