"""The projection engine: run a scenario year by year into a `fullstack.Projection`.

`run` resolves every parameter (world figure, then the scenario's assumptions, then the
instruments' effects), runs the stock-and-flow kernel (`fullstack.engine._kernel`, plain numpy
with a leading sample axis) for every economy, and wraps the series into named metrics with
units. `METRICS` lists every metric; `docs/model.md` shows every equation.

Example:
    >>> import fullstack
    >>> p = run(fullstack.Scenario(name="Baseline", end=2030))
    >>> p["cn.compute.installed"].units
    <Unit('H100e')>
    >>> p.value("cn.output.binding", 2027) in ("logic", "hbm", "packaging", "money", "power")
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs
import numpy as np

from fullstack._metrics import METRICS, RATIO_METRIC, MetricSpec, metric_spec
from fullstack._validators import check_count
from fullstack.engine._inputs import EconomyInputs, build_inputs, fleet_draw_name
from fullstack.engine._kernel import (
    CHANNELS,
    DEPLOY_BINDING,
    OUTPUT_BINDING,
    KernelInput,
    simulate,
)
from fullstack.errors import ValidationError
from fullstack.units import Q_

if TYPE_CHECKING:
    from collections.abc import Mapping
    from concurrent.futures import Executor

    from fullstack.results import Ensemble, Projection
    from fullstack.scenario import Scenario
    from fullstack.world import World

__all__ = [
    "METRICS",
    "RATIO_METRIC",
    "MetricSpec",
    "ensemble",
    "metric_spec",
    "run",
    "simulate_all",
    "uncertain_figures",
]


_H100_FLOPS: Final = float(Q_(1.0, "H100e").m_as("FLOP/s"))
"""An H100 SXM's dense BF16 rate in FLOP/s (the H100e)."""


def _unit(spec: MetricSpec, currency: str) -> str:
    return spec.unit.replace("{currency}", currency)


def run(scenario: Scenario) -> Projection:
    """Project a scenario year by year: a pure, deterministic function of the scenario.

    Args:
        scenario: The scenario (world, instruments, assumptions, horizon).

    Returns:
        A `fullstack.Projection` with every metric of `METRICS` for every economy, from
        ``scenario.start`` to ``scenario.end``.

    Example:
        >>> import fullstack
        >>> p = run(fullstack.Scenario(name="Baseline", end=2027))
        >>> p.years, p.scenario.name
        ((2025, 2026, 2027), 'Baseline')
    """
    from fullstack.scenario import Scenario

    candidate: object = scenario
    if not isinstance(candidate, Scenario):
        hint = " (a built-in one by name: fullstack.scenarios()[name])"
        raise ValidationError("run", "a fullstack.Scenario" + hint, repr(scenario))
    return _project(scenario, build_inputs(scenario))


def _project(
    scenario: Scenario,
    inputs: Mapping[str, EconomyInputs],
    raws: Mapping[str, Mapping[str, np.ndarray]] | None = None,
) -> Projection:
    """Name the kernel's series of every economy as metrics.

    The kernel runs here unless ``raws`` holds its results already (from an executor).
    """
    from fullstack.results import Projection

    world = scenario.base_world()
    start = scenario.start - world.base_year
    series: dict[str, np.ndarray] = {}
    units: dict[str, str] = {}
    labels: dict[str, tuple[str, ...]] = {}
    for code, econ in inputs.items():
        raw = simulate(econ.kernel) if raws is None else raws[code]
        _collect(code, econ, raw, world, series, units, labels)
    if "US" in inputs and "CN" in inputs:
        us, cn = series["us.compute.installed"], series["cn.compute.installed"]
        with np.errstate(divide="ignore", invalid="ignore"):
            series[RATIO_METRIC] = np.where(cn > 0, us / np.maximum(cn, 1e-300), 0.0)
        units[RATIO_METRIC] = "dimensionless"
    cut = {name: arr[:, start:] for name, arr in series.items()}
    return Projection(
        scenario=scenario,
        years=scenario.years,
        series=cut,
        units=units,
        labels=labels,
        inputs=dict(inputs),
        offset=start,
    )


def simulate_all(kernels: Mapping[str, KernelInput]) -> dict[str, dict[str, np.ndarray]]:
    """Run the kernel for several economies: the work an executor's worker does.

    It takes and returns plain numpy arrays (no pint objects), so it runs in any process,
    `spawn`-started ones included.

    Example:
        >>> import fullstack
        >>> from fullstack.engine._inputs import build_inputs
        >>> inputs = build_inputs(fullstack.Scenario(name="s", end=2026))
        >>> sorted(simulate_all({c: e.kernel for c, e in inputs.items()}))
        ['CN', 'US']
    """
    return {code: simulate(kernel) for code, kernel in kernels.items()}


def uncertain_figures(world: World) -> list[str]:
    """The world figures an ensemble draws: every figure with a low or a high, by name.

    Names are ``"CN.figure"`` (index included: ``"CN.import_demand[B200]"``), sorted, so a
    seed always draws the same numbers for the same figure. A figure with a path by year is
    one draw: every point takes the same quantile of its own range. Each channel of an
    economy's installed fleet whose rows have ranges is one draw too,
    ``"CN.fleet[smuggled]"``: all its rows take the same quantile of their own ranges, and the
    economy's AI power (computed from its fleet) moves with the drawn fleet unless an
    assumption fixes it.

    Example:
        >>> import fullstack
        >>> names = uncertain_figures(fullstack.reference_world())
        >>> "CN.hbm_stockpile" in names, "CN.dies_per_wafer" in names
        (True, False)
        >>> "CN.fleet[smuggled]" in names
        True
    """
    names = []
    for code, economy in world.economies.items():
        for name, estimate in economy.figures.items():
            points = [estimate, *economy.paths.get(name, {}).values()]
            if any(p.low is not None or p.high is not None for p in points):
                names.append(f"{code}.{name}")
        for channel in CHANNELS:
            rows = [e.count for e in economy.fleet if e.channel == channel]
            if any(c.low is not None or c.high is not None for c in rows):
                names.append(fleet_draw_name(code, channel))
    return sorted(names)


def ensemble(
    scenario: Scenario,
    n: int,
    *,
    seed: int = 0,
    chunk_size: int | None = None,
    executor: Executor | None = None,
    progress: bool | None = None,
) -> Ensemble:
    """Project a scenario ``n`` times, drawing every uncertain world figure each time.

    Each figure with a low and a high (`uncertain_figures`) is drawn from the triangular
    distribution with those ends and its central value as the mode, unless an assumption of
    the scenario fixes it. The scenario's assumptions that are distributions
    (`fullstack.distributions`) are drawn too (``"assumption:<parameter>"``). Draws are
    independent unless the scenario states rank correlations (`Scenario.correlate`). Plain
    assumptions, the instruments and the rules stay fixed; each channel of a fleet is drawn as
    a whole (`uncertain_figures`). All samples of a chunk
    run at once on the kernel's sample axis. The numbers for a seed are drawn first, so the
    result is the same bit for bit whatever the chunking and wherever the chunks run.

    Args:
        scenario: The scenario.
        n: How many samples.
        seed: The seed of numpy's default generator.
        chunk_size: Samples per batch (all at once when None; 10,000 a chunk with an
            executor).
        executor: Any `concurrent.futures.Executor` (a `ProcessPoolExecutor`, also with the
            ``spawn`` start method; dask.distributed's client executor): chunks are built in
            this process and their kernels, plain numpy arrays, run in the executor.
        progress: Show a progress bar over the chunks (default: only in a terminal, and only
            for more than one chunk).

    Example:
        >>> import fullstack
        >>> e = ensemble(fullstack.Scenario(name="s", end=2027), 200, seed=1)
        >>> low, mid, high = e.quantiles("cn.chips.output", 2027)
        >>> low <= mid <= high
        True
    """
    from fullstack.results import Ensemble

    check_count(n, "ensemble.n", 1)
    if chunk_size is not None:
        check_count(chunk_size, "ensemble.chunk_size", 1)
    check_count(seed, "ensemble.seed")
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise ValidationError(
            "ensemble.executor", "a concurrent.futures.Executor (with submit)", repr(executor)
        )
    names, uniforms = _draw(scenario, n, seed)
    step = chunk_size or (min(n, 10_000) if executor is not None else n)
    blocks = [uniforms[first : first + step] for first in range(0, n, step)]
    inputs = [
        build_inputs(scenario, len(block), {name: block[:, i] for i, name in enumerate(names)})
        for block in blocks
    ]
    kernels = [
        {code: econ.kernel for code, econ in chunk_inputs.items()} for chunk_inputs in inputs
    ]
    raws = _run_kernels(kernels, executor, progress)
    parts = [_project(scenario, i, r) for i, r in zip(inputs, raws, strict=True)]
    if len(parts) == 1:
        projection = parts[0]
    else:
        series = {k: np.concatenate([p.series[k] for p in parts], axis=0) for k in parts[0].series}
        projection = attrs.evolve(parts[0], series=series)
    return Ensemble(projection=projection, uncertain=tuple(names), seed=seed)


def _draw(scenario: Scenario, n: int, seed: int) -> tuple[list[str], np.ndarray]:
    """The names drawn and their uniform numbers, ``(n, len(names))``, for a seed.

    The names are the world's uncertain figures (`uncertain_figures`, sorted: ``"CN.…"``,
    ``"US.…"``), then the scenario's assumptions that are distributions, sorted
    (``"assumption:cn.hbm.stockpile"``): the whole list is in sorted order. The figures' numbers
    are drawn first, as one ``(n, figures)`` block, then the assumptions' block, so adding an
    uncertain assumption changes no figure's draws. The scenario's rank correlations then
    reorder the correlated columns (Iman and Conover's method, `_rank_correlate`), with
    permutations from the same generator: each column keeps its numbers, and the result is
    the same for a seed every time.
    """
    figures = uncertain_figures(scenario.base_world())
    assumed = sorted(f"assumption:{o.parameter}" for o in scenario.assumptions if o.is_uncertain)
    rng = np.random.default_rng(seed)
    uniforms = np.concatenate(
        [rng.random((n, len(figures))), rng.random((n, len(assumed)))], axis=1
    )
    names = [*figures, *assumed]
    if scenario.correlations:
        columns: dict[str, int] = {}
        for i, c in enumerate(scenario.correlations):
            for p in (c.a, c.b):
                columns.setdefault(p, names.index(_draw_name(scenario, p, figures, i)))
        if len(set(columns.values())) < len(columns):
            raise ValidationError(
                "Scenario.correlations", "parameters drawn from different figures", columns
            )
        order = list(columns)
        target = np.eye(len(order))
        for c in scenario.correlations:
            j, k = order.index(c.a), order.index(c.b)
            target[j, k] = target[k, j] = c.rho
        uniforms = _rank_correlate(uniforms, [columns[p] for p in order], target, rng)
    return names, uniforms


def _draw_name(scenario: Scenario, name: str, figures: list[str], index: int) -> str:
    """The draw behind a parameter: its distribution assumption, or its world figure."""
    from fullstack.policy.parameters import parameter

    where = f"Scenario.correlations[{index}]"
    expected = (
        "a parameter an ensemble draws (a world figure with a range, a fleet channel, or a "
        "distribution)"
    )
    for o in scenario.assumptions:
        if o.parameter == name:
            if o.is_uncertain:
                return f"assumption:{name}"
            raise ValidationError(where, expected, f"{name}, which an assumption fixes")
    if ".fleet[" in name:  # an economy's fleet channel (checked by the scenario)
        code, channel = name.split(".fleet[", 1)
        drawn = fleet_draw_name(code.upper(), channel[:-1])
        if drawn not in figures:
            raise ValidationError(where, expected, f"{name}, whose fleet rows have no range")
        return drawn
    p = parameter(name)
    drawn = f"{p.economy}.{p.figure_name}"
    if drawn not in figures:
        raise ValidationError(where, expected, f"{name}, whose figure has no range")
    return drawn


def _rank_correlate(
    uniforms: np.ndarray, columns: list[int], target: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """Reorder ``columns`` of ``uniforms`` so their rank correlations are about ``target``.

    Iman and Conover (1982): van der Waerden scores, permuted at random in each column, are
    made to have the Pearson correlation ``2 sin(π ρ / 6)`` (the normal's for a Spearman
    ``ρ``; ``ρ`` itself if that matrix is not positive definite) through Cholesky factors,
    and each uniform column is sorted into the ranks of its score column. Every column keeps
    its own numbers (its margin). With too few samples (fewer than the columns plus two) the
    draws stay independent.
    """
    from fullstack.distributions import norm_ppf

    n, k = uniforms.shape[0], len(columns)
    if n < k + 2:
        return uniforms
    scores = norm_ppf(np.arange(1, n + 1) / (n + 1))
    m = np.column_stack([rng.permutation(scores) for _ in range(k)])
    pearson = 2.0 * np.sin(np.pi * target / 6.0)
    try:
        wanted = np.linalg.cholesky(pearson)
    except np.linalg.LinAlgError:
        wanted = np.linalg.cholesky(target)
    try:
        have = np.linalg.cholesky(np.corrcoef(m, rowvar=False))
    except np.linalg.LinAlgError:
        return uniforms
    t = m @ np.linalg.inv(have).T @ wanted.T
    out = uniforms.copy()
    for j, col in enumerate(columns):
        ranks = np.argsort(np.argsort(t[:, j], kind="stable"), kind="stable")
        out[:, col] = np.sort(uniforms[:, col])[ranks]
    return out


def _run_kernels(
    kernels: list[dict[str, KernelInput]], executor: Executor | None, progress: bool | None
) -> list[dict[str, dict[str, np.ndarray]]]:
    """Run each chunk's kernels here or in the executor, in order, with a progress bar."""
    import sys

    show = (sys.stderr.isatty() and len(kernels) > 1) if progress is None else progress
    if executor is None:
        results = (simulate_all(k) for k in kernels)
    else:
        futures = [executor.submit(simulate_all, k) for k in kernels]
        results = (f.result() for f in futures)
    if not show:
        return list(results)
    from rich.progress import Progress

    out = []
    with Progress(transient=True) as bar:
        task = bar.add_task("ensemble", total=len(kernels))
        for result in results:
            out.append(result)
            bar.advance(task)
    return out


def _collect(
    code: str,
    econ: EconomyInputs,
    raw: Mapping[str, np.ndarray],
    world: object,
    series: dict[str, np.ndarray],
    units: dict[str, str],
    labels: dict[str, tuple[str, ...]],
) -> None:
    """Name the kernel's series as metrics of one economy."""
    from fullstack.world import World

    assert isinstance(world, World)
    p = code.lower()
    params = econ.kernel.params

    def put(key: str, value: np.ndarray, index: str | None = None) -> None:
        name = f"{p}.{key}" + (f"[{index}]" if index is not None else "")
        series[name] = np.asarray(value, dtype=np.float64)
        units[name] = _unit(METRICS[key], econ.currency)

    direct = {
        "compute.installed": "compute.installed",
        "compute.installed_chips": "compute.installed_chips",
        "compute.operational": "compute.operational",
        "compute.spending": "compute.spending",
        "chips.output": "chips.output",
        "chips.output_h100e": "chips.output_h100e",
        "chips.deployed": "chips.deployed",
        "chips.inventory": "chips.inventory",
        "chips.die_bank": "chips.die_bank",
        "hbm.stockpile": "hbm.stockpile",
        "hbm.imports": "hbm.imports",
        "foundry.capacity": "foundry.capacity",
        "output.logic_ceiling": "output.logic_ceiling",
        "output.hbm_ceiling": "output.hbm_ceiling",
        "output.packaging_ceiling": "output.packaging_ceiling",
        "deployment.money_bound": "deployment.money_bound",
        "deployment.power_bound": "deployment.power_bound",
        "datacenter.power_available": "datacenter.power_available",
        "datacenter.it_power": "datacenter.it_power",
        "energy.use": "energy.use",
    }
    for key, source in direct.items():
        put(key, raw[source])
    installed = raw["compute.installed"]
    put("compute.installed_flops", installed * _H100_FLOPS)
    by_channel = raw["compute.installed_by_channel"]
    new_by_channel = raw["chips.new_h100e_by_channel"]
    put("chips.new_h100e", new_by_channel.sum(axis=2))
    for k, channel in enumerate(CHANNELS):
        put("compute.installed_by_channel", by_channel[:, :, k], channel)
        put("chips.new_h100e_by_channel", new_by_channel[:, :, k], channel)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(installed > 0, by_channel[:, :, 0] / np.maximum(installed, 1e-300), 0.0)
    put("compute.domestic_share", share)
    legal, smuggled = raw["chips.legal_by_chip"], raw["chips.smuggled_by_chip"]  # (S, Y, M)
    put("chips.imports_legal", legal.sum(axis=2))
    put("chips.imports_smuggled", smuggled.sum(axis=2))
    legal_any = np.asarray(legal.any(axis=(0, 1)))  # one pass, not per chip
    smuggled_any = np.asarray(smuggled.any(axis=(0, 1)))
    for m, c in enumerate(raw["chips.movers"].astype(np.int64)):
        chip = econ.chips[c]
        if legal_any[m]:
            put("chips.imports_legal_by_chip", legal[:, :, m], chip)
        if smuggled_any[m]:
            put("chips.imports_smuggled_by_chip", smuggled[:, :, m], chip)
    put("energy.cost", raw["energy.use"] * 1e9 * params["energy.price"])
    seconds = params["training.duration"] * 86400.0
    run_flop = (
        raw["compute.operational"]
        * _H100_FLOPS
        * params["training.largest_share"]
        * params["training.mfu"]
        * seconds
    )
    put("training.largest_run", run_flop)
    put("training.effective_run", run_flop * params["models.efficiency"])
    _self_sufficiency(code, econ, raw, world, put, share)
    for key, codes, names in (
        ("output.binding", raw["output.binding"], OUTPUT_BINDING),
        ("deployment.binding", raw["deployment.binding"], DEPLOY_BINDING),
    ):
        name = f"{p}.{key}"
        series[name] = codes
        units[name] = "label"
        labels[name] = names


def _self_sufficiency(
    code: str,
    econ: EconomyInputs,
    raw: Mapping[str, np.ndarray],
    world: object,
    put: object,
    chip_design: np.ndarray,
) -> None:
    from fullstack.world import World

    assert isinstance(world, World)
    assert callable(put)
    economy = world.economies[code]
    new_h = raw["chips.new_h100e_by_channel"].sum(axis=2)
    domestic_h = raw["chips.output_h100e"]
    dies = raw["chips.fab_dies_used"] + raw["chips.bank_draw"]
    with np.errstate(divide="ignore", invalid="ignore"):
        fab_share = np.where(dies > 0, raw["chips.fab_dies_used"] / np.maximum(dies, 1e-300), 0.0)
        hbm_share = np.where(
            raw["hbm.used"] > 0, raw["hbm.home_used"] / np.maximum(raw["hbm.used"], 1e-300), 0.0
        )
        fabrication = np.where(new_h > 0, domestic_h * fab_share / np.maximum(new_h, 1e-300), 0.0)
        memory = np.where(new_h > 0, domestic_h * hbm_share / np.maximum(new_h, 1e-300), 0.0)
    dynamic = {"chip_design": chip_design, "fabrication": fabrication, "memory": memory}
    for layer in world.stack.ids:
        base = economy.supply.get(layer)
        if base is None and layer not in dynamic:
            continue
        base_value = float(base.domestic_share.value) if base is not None else 0.0
        if layer in dynamic:
            arr = dynamic[layer].copy()
            arr[:, 0] = base_value if base is not None else arr[:, 0]
        else:
            arr = np.full_like(chip_design, base_value)
        put("selfsufficiency", arr, layer)
