"""Ensembles: the world's uncertain figures drawn on the kernel's sample axis."""

from __future__ import annotations

import itertools
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fullstack
from fullstack.distributions import Triangular
from fullstack.engine import ensemble, uncertain_figures
from fullstack.engine._inputs import _triangular, build_inputs
from fullstack.errors import ValidationError
from fullstack.provenance import Estimate

S = fullstack.Scenario(name="s", end=2028)


def test_an_ensemble_is_reproducible_bit_for_bit_whatever_the_chunking() -> None:
    whole = S.ensemble(60, seed=7)
    again = S.ensemble(60, seed=7)
    chunked = S.ensemble(60, seed=7, chunk_size=17)
    for name in whole.projection.metrics:
        np.testing.assert_array_equal(whole.projection.series[name], again.projection.series[name])
        np.testing.assert_array_equal(
            whole.projection.series[name], chunked.projection.series[name], err_msg=name
        )
    other = S.ensemble(60, seed=8)
    assert not np.array_equal(
        whole.projection.series["cn.compute.installed"],
        other.projection.series["cn.compute.installed"],
    )


def test_every_sample_is_a_valid_run() -> None:
    e = S.ensemble(200, seed=1)
    p = e.projection
    made = p.series["cn.chips.output"]
    imports = p.series["cn.chips.imports_legal"] + p.series["cn.chips.imports_smuggled"]
    deployed, inventory = p.series["cn.chips.deployed"], p.series["cn.chips.inventory"]
    before = np.concatenate([np.zeros((200, 1)), inventory[:, :-1]], axis=1)
    np.testing.assert_allclose(made + imports, deployed + inventory - before, rtol=1e-9)
    for name, arr in p.series.items():
        assert not np.isnan(arr).any(), name


def test_the_base_year_is_the_world_in_every_sample() -> None:
    # each sample's base year is the world's fleet, drawn within its range by channel
    e = S.ensemble(200, seed=2)
    economy = fullstack.reference_world().economies["CN"]
    for channel in ("domestic", "legal", "smuggled"):
        installed = e.values(f"cn.compute.installed_by_channel[{channel}]", 2025).m_as("H100e")
        total = economy.fleet_total(channel)
        low, high = total.low.m_as("H100e"), total.high.m_as("H100e")
        assert low * (1 - 1e-9) <= installed.min() < installed.max() <= high * (1 + 1e-9)
    whole = e.values("cn.compute.installed", 2025).m_as("H100e")
    assert whole.min() < economy.fleet_h100e.m_as("H100e") < whole.max()
    assert S.run().value("cn.compute.installed", 2025).m_as("H100e") == pytest.approx(
        economy.fleet_h100e.m_as("H100e")
    )


def test_a_larger_drawn_fleet_brings_its_power() -> None:
    # the world's AI power is computed from its fleet: a sample with more chips has more power
    names = uncertain_figures(fullstack.reference_world())
    u = {name: np.full(2, 0.5) for name in names}
    u["CN.fleet[smuggled]"] = np.array([0.0, 1.0])
    inputs = build_inputs(fullstack.Scenario(name="s", end=2026), 2, u)
    power = inputs["CN"].kernel.params["datacenter.power"][:, 0]
    counts = inputs["CN"].kernel.fleet_counts
    assert counts[0].sum() < counts[1].sum()
    assert power[0] < power[1]
    fixed = fullstack.Scenario(name="s", end=2026).assume(
        "cn.datacenter.power", "7 GW", reason="an assumption fixes it"
    )
    power = build_inputs(fixed, 2, u)["CN"].kernel.params["datacenter.power"][:, 0]
    assert power[0] == power[1] == pytest.approx(7.0)


class _Grid(fullstack.Instrument):
    def effects(self, ctx: object) -> list[fullstack.policy.Add]:
        return [fullstack.policy.Add("cn.datacenter.power", 2026, "1 GW")]


def test_an_instruments_power_is_not_scaled_with_the_drawn_fleet() -> None:
    # the fleet moves the world's power, before effects: 1 GW added stays 1 GW in every sample
    names = uncertain_figures(fullstack.reference_world())
    u = {name: np.full(2, 0.5) for name in names}
    u["CN.fleet[smuggled]"] = np.array([0.0, 1.0])
    plain = fullstack.Scenario(name="s", end=2026)
    with_grid = plain + _Grid(name="grid")
    before = build_inputs(plain, 2, u)["CN"].kernel.params["datacenter.power"][:, 1]
    after = build_inputs(with_grid, 2, u)["CN"].kernel.params["datacenter.power"][:, 1]
    np.testing.assert_allclose(after - before, [1.0, 1.0])


def test_a_fleet_channel_can_be_correlated_with_a_figure(tmp_path: Path) -> None:
    s = S.correlate("cn.fleet[smuggled]", "cn.chips.smuggling_share", 0.8)
    fullstack.save(s, tmp_path / "s.toml")  # and the correlation survives a file
    assert fullstack.load(tmp_path / "s.toml") == s
    e = s.ensemble(1000, seed=4)
    share = e.projection.inputs["CN"].kernel.params["chips.smuggling_share"][:, 1]
    smuggled = e.values("cn.compute.installed_by_channel[smuggled]", 2025).magnitude
    ranks = np.corrcoef(np.argsort(np.argsort(share)), np.argsort(np.argsort(smuggled)))[0, 1]
    assert ranks > 0.6
    with pytest.raises(ValidationError, match="fleet channel"):
        S.correlate("cn.fleet[smugled]", "cn.chips.smuggling_share", 0.5)
    with pytest.raises(ValidationError, match="fleet rows have no range"):
        S.correlate("us.fleet[smuggled]", "cn.chips.smuggling_share", 0.5).ensemble(10)


def test_the_draws_span_the_figures_ranges() -> None:
    e = fullstack.Scenario(name="s", end=2026).ensemble(400, seed=0)
    stock = e.projection.inputs["CN"].kernel.params["hbm.stockpile"][:, 0]
    estimate = fullstack.reference_world().economies["CN"].figure("hbm_stockpile")
    low, high = estimate.low.m_as("hbm_stack"), estimate.high.m_as("hbm_stack")
    assert low <= stock.min() < stock.max() <= high
    assert "CN.hbm_stockpile" in e.uncertain
    assert "CN.dies_per_wafer" not in uncertain_figures(fullstack.reference_world())


REFERENCE = S.ensemble(40, seed=11)


@settings(max_examples=8, deadline=None)
@given(st.integers(1, 45))
def test_any_chunk_size_gives_the_same_arrays(chunk_size: int) -> None:
    chunked = S.ensemble(40, seed=11, chunk_size=chunk_size)
    for name in REFERENCE.projection.metrics:
        np.testing.assert_array_equal(
            REFERENCE.projection.series[name], chunked.projection.series[name], err_msg=name
        )


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(0.0, 1.0), min_size=2, max_size=6),
    st.sampled_from(sorted(m for m in REFERENCE.projection.metrics if "binding" not in m)),
    st.sampled_from(REFERENCE.years),
)
def test_quantiles_are_ordered(q: list[float], metric: str, year: int) -> None:
    levels = sorted(q)
    values = [x.magnitude for x in REFERENCE.quantiles(metric, year, levels)]
    assert all(a <= b for a, b in itertools.pairwise(values))
    frame = REFERENCE.to_frame([metric], q=levels)
    by_level = frame[frame["year"] == year].sort_values("quantile")["value"].tolist()
    assert all(a <= b for a, b in itertools.pairwise(by_level))


@pytest.mark.parametrize("q", [(0.5, 1.5), (-0.1,), (), ("a",)])
def test_quantile_levels_outside_zero_one_are_named(q: tuple[object, ...]) -> None:
    with pytest.raises(fullstack.ValidationError, match=r"Ensemble.quantiles.q: expected"):
        REFERENCE.quantiles("cn.compute.installed", 2027, q)  # type: ignore[arg-type]
    with pytest.raises(fullstack.ValidationError, match=r"Ensemble.to_frame.q"):
        REFERENCE.to_frame(["cn.compute.installed"], q=q)  # type: ignore[arg-type]


def test_quantiles_and_binding_shares() -> None:
    e = S.ensemble(100, seed=4)
    low, mid, high = e.quantiles("cn.compute.installed", 2028)
    assert low <= mid <= high
    shares = e.binding_shares("cn.output.binding", 2027)
    assert sum(shares.values()) == pytest.approx(1.0)
    df = e.to_frame(["cn.compute.installed"])
    assert set(df.columns) == {
        "scenario",
        "economy",
        "metric",
        "year",
        "quantile",
        "value",
        "unit",
    }
    assert "5th" in e._repr_html_() or "5th–95th" in e._repr_html_()
    e.plot("cn.compute.installed")
    with pytest.raises(fullstack.ValidationError):
        e.plot("cn.output.binding")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"n": 0}, "ensemble.n"),
        ({"n": 2.5}, "ensemble.n"),
        ({"n": 5, "chunk_size": 0}, "ensemble.chunk_size"),
        ({"n": 5, "chunk_size": "5"}, "ensemble.chunk_size"),
        ({"n": 5, "seed": "x"}, "ensemble.seed"),
        ({"n": 5, "seed": -1}, "ensemble.seed"),
        ({"n": 5, "seed": True}, "ensemble.seed"),
        ({"n": 5, "executor": "pool"}, "ensemble.executor"),
    ],
)
def test_bad_ensemble_arguments_are_named(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(fullstack.ValidationError, match=rf"^{field}: expected .*, got "):
        ensemble(S, **kwargs)  # type: ignore[arg-type]


@settings(max_examples=50, deadline=None)
@given(
    st.floats(0, 100), st.floats(0, 100), st.floats(0, 100),
    st.lists(st.floats(0, 1, exclude_max=True), min_size=1, max_size=20),
)  # fmt: skip
def test_triangular_draws_stay_within_the_range_and_rise_with_u(
    a: float, b: float, c: float, us: list[float]
) -> None:
    low, mode, high = sorted((a, b, c))
    u = np.sort(np.asarray(us))
    x = _triangular(u, low, mode, high)
    assert np.all(x >= low - 1e-9)
    assert np.all(x <= high + 1e-9)
    assert np.all(np.diff(x) >= -1e-9)  # a quantile function never decreases


def _zero_width(world: fullstack.World) -> fullstack.World:
    """The world with every range closed on its central value (drawn, but from a point)."""

    def close(estimate: Estimate) -> Estimate:
        if estimate.low is None and estimate.high is None:
            return estimate
        return attrs.evolve(estimate, low=estimate.value, high=estimate.value)

    economies = {
        code: attrs.evolve(
            e,
            figures={name: close(est) for name, est in e.figures.items()},
            paths={
                name: {year: close(est) for year, est in path.items()}
                for name, path in e.paths.items()
            },
            fleet=[attrs.evolve(row, count=close(row.count)) for row in e.fleet],
        )
        for code, e in world.economies.items()
    }
    return attrs.evolve(world, economies=economies)


@pytest.mark.parametrize("name", ["baseline", "tighter", "self_reliance", "relaxed"])
def test_an_ensemble_of_zero_width_distributions_equals_the_deterministic_run(name: str) -> None:
    scenario = fullstack.scenarios()[name]
    world = _zero_width(scenario.base_world())
    point = Triangular(0.2, 0.2, 0.2)  # and a zero-width assumption of the scenario's own
    scenario = attrs.evolve(scenario, world=world).assume(
        "cn.chips.smuggling_share", point, reason="a zero-width distribution"
    )
    assert uncertain_figures(world)  # the figures are still drawn, from points
    run = scenario.run()
    ens = scenario.ensemble(64, seed=9, chunk_size=25)
    assert "assumption:cn.chips.smuggling_share" in ens.uncertain
    for metric, series in run.series.items():
        np.testing.assert_allclose(
            ens.projection.series[metric],
            np.broadcast_to(series, ens.projection.series[metric].shape),
            rtol=1e-12,
            atol=1e-9,
            err_msg=metric,
        )


def test_an_executor_gives_the_same_ensemble_bit_for_bit() -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    here = S.ensemble(40, seed=5, chunk_size=15)
    context = multiprocessing.get_context("spawn")  # workers import nothing of the parent's
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        there = S.ensemble(40, seed=5, chunk_size=15, executor=pool, progress=False)
    for name in here.projection.metrics:
        np.testing.assert_array_equal(
            here.projection.series[name], there.projection.series[name], err_msg=name
        )


def test_a_dask_cluster_gives_the_same_ensemble_bit_for_bit() -> None:
    """dask.distributed's client executor (the ``dask`` extra), on a local cluster of processes."""
    distributed = pytest.importorskip("distributed")

    here = S.ensemble(40, seed=5, chunk_size=15)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        there = S.ensemble(40, seed=5, chunk_size=15, executor=client.get_executor())
    for name in here.projection.metrics:
        np.testing.assert_array_equal(
            here.projection.series[name], there.projection.series[name], err_msg=name
        )


def test_a_progress_bar_can_be_asked_for() -> None:
    e = S.ensemble(30, seed=1, chunk_size=10, progress=True)
    assert e.samples == 30
