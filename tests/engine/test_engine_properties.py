"""Metamorphic and conservation properties of the projection engine."""

from __future__ import annotations

import itertools

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import fullstack
from fullstack.engine import METRICS
from fullstack.engine._inputs import build_inputs
from fullstack.engine._kernel import simulate
from fullstack.policy import ExportControl, GuidanceFund, ImportRestriction, Subsidy

END = 2030
BASE = fullstack.Scenario(name="Base", end=END)


@pytest.fixture(scope="module")
def baseline() -> fullstack.Projection:
    return BASE.run()


def _fund(budget: float, name: str = "Fund") -> GuidanceFund:
    return GuidanceFund(
        name=name, economy="CN", budget=f"{budget} GCNY", start=2025, end=2027, to_capacity=1.0
    )


def _same(a: fullstack.Projection, b: fullstack.Projection) -> None:
    assert a.metrics == b.metrics
    for name in a.metrics:
        np.testing.assert_array_equal(a.series[name], b.series[name], err_msg=name)


def test_a_run_is_deterministic(baseline: fullstack.Projection) -> None:
    _same(baseline, BASE.run())


def test_an_instrument_inactive_in_every_year_changes_nothing(
    baseline: fullstack.Projection,
) -> None:
    late = _fund(500.0)
    late = attrs.evolve(late, start=END + 1, end=END + 3)
    _same(baseline, (BASE + late).run())


def test_instrument_order_never_matters() -> None:
    instruments = [
        _fund(300.0),
        Subsidy(name="Chips rebate", target="chips", rate=0.3, start=2026),
        ExportControl(name="Oct 2023", rule="2023-10", start=2023),
        ImportRestriction(name="No H20", chips=["H20"], start=2027),
    ]
    runs = [(BASE + list(order)).run() for order in itertools.permutations(instruments, 4)][:6]
    for other in runs[1:]:
        for name in runs[0].metrics:
            np.testing.assert_array_equal(runs[0].series[name], other.series[name])


@settings(max_examples=15, deadline=None)
@given(st.floats(0, 400), st.floats(0, 400))
def test_more_money_for_a_fund_never_means_less_capacity(a: float, b: float) -> None:
    low, high = sorted((a, b))
    p_low = (BASE + _fund(low)).run()
    p_high = (BASE + _fund(high)).run()
    for name in ("cn.foundry.capacity", "cn.output.logic_ceiling", "cn.chips.output"):
        assert np.all(p_high.series[name] >= p_low.series[name] - 1e-6), name


def test_a_fund_adds_capacity_after_the_build_lag(baseline: fullstack.Projection) -> None:
    funded = (BASE + _fund(300.0)).run()
    gain = funded["cn.foundry.capacity"] - baseline["cn.foundry.capacity"]
    # nothing in the first two years (lag 2.4 years), something later
    assert gain.magnitude[:2].max() == 0
    assert gain.magnitude[-1] > 0


@settings(max_examples=25, deadline=None)
@given(
    st.floats(0, 2e6),
    st.floats(0, 2e6),
    st.floats(0, 1),
)
def test_a_tighter_rule_never_means_more_imports(cap_a: float, cap_b: float, share: float) -> None:
    tight, loose = sorted((cap_a, cap_b))

    def imports(cap: float) -> tuple[np.ndarray, np.ndarray]:
        s = BASE.assume("cn.chips.smuggling_share", share, reason="test") + ExportControl(
            name="Cap", chips=["H20", "B200"], licensed=f"{cap} chip/year", start=2026
        )
        p = s.run()
        legal = p.series["cn.chips.imports_legal"]
        return legal, legal + p.series["cn.chips.imports_smuggled"]

    legal_t, total_t = imports(tight)
    legal_l, total_l = imports(loose)
    assert np.all(legal_t <= legal_l + 1e-6)
    assert np.all(total_t <= total_l + 1e-6)


def test_an_importers_own_ban_is_not_smuggled(baseline: fullstack.Projection) -> None:
    ban = (BASE + ImportRestriction(name="No H20", chips=["H20"], start=2026)).run()
    np.testing.assert_array_equal(
        ban.series["cn.chips.imports_smuggled"], baseline.series["cn.chips.imports_smuggled"]
    )
    assert ban.value("cn.chips.imports_legal", 2027) < baseline.value(
        "cn.chips.imports_legal", 2027
    )


def test_more_hbm_raises_output_when_hbm_binds() -> None:
    base = fullstack.scenarios()["baseline"]
    p = base.run()
    assert p.value("cn.output.binding", 2026) == "hbm"
    more = base.assume("cn.hbm.stockpile", "9e6 hbm_stack", reason="test").run()
    assert more.value("cn.chips.output", 2026) > p.value("cn.chips.output", 2026)


def test_more_hbm_changes_nothing_when_logic_binds() -> None:
    plenty = fullstack.scenarios()["baseline"].assume(
        "cn.hbm.supply", "1e9 hbm_stack/year", reason="test"
    )
    p = plenty.run()
    assert p.value("cn.output.binding", 2027) == "logic"
    more = plenty.assume("cn.hbm.stockpile", "2e7 hbm_stack", reason="test").run()
    np.testing.assert_allclose(more.series["cn.chips.output"], p.series["cn.chips.output"])


def test_output_follows_orders_when_power_binds() -> None:
    """The US's makers make what its buyers can power: no pile of undeployable chips."""
    p = fullstack.scenarios()["baseline"].run()
    assert p.value("us.output.binding", 2030) == "power"
    assert p.value("us.chips.inventory", 2030).magnitude == 0
    more_power = (
        fullstack.scenarios()["baseline"]
        .assume("us.datacenter.power_growth", "0.4 1/year", reason="test")
        .run()
    )
    assert more_power.value("us.chips.output", 2030) > p.value("us.chips.output", 2030)


def _conservation(p: fullstack.Projection, code: str) -> None:
    made = p.series[f"{code}.chips.output"][0]
    legal = p.series[f"{code}.chips.imports_legal"][0]
    smuggled = p.series[f"{code}.chips.imports_smuggled"][0]
    deployed = p.series[f"{code}.chips.deployed"][0]
    inventory = p.series[f"{code}.chips.inventory"][0]
    before = np.concatenate([[0.0], inventory[:-1]])
    np.testing.assert_allclose(made + legal + smuggled, deployed + inventory - before, rtol=1e-9)


def test_chips_are_conserved_every_year(baseline: fullstack.Projection) -> None:
    for code in ("cn", "us"):
        _conservation(baseline, code)


def test_energy_is_power_times_hours_times_pue(baseline: fullstack.Projection) -> None:
    world = fullstack.reference_world()
    for code in ("CN", "US"):
        pue = float(world.economies[code].figure("pue").value)
        it = baseline[f"{code.lower()}.datacenter.it_power"]
        energy = baseline[f"{code.lower()}.energy.use"]
        expected = (it * fullstack.Q_(8766, "hour") * pue).to("TWh")
        np.testing.assert_allclose(energy.to("TWh/year").magnitude, expected.magnitude)


def test_the_first_year_is_the_reference_world(baseline: fullstack.Projection) -> None:
    world = fullstack.reference_world()
    for code, economy in world.economies.items():
        installed = baseline.value(f"{code.lower()}.compute.installed", 2025)
        assert installed.m_as("H100e") == pytest.approx(economy.fleet_h100e.m_as("H100e"))
        chips = sum(float(e.count.value.m_as("chip")) for e in economy.fleet)
        assert baseline.value(f"{code.lower()}.compute.installed_chips", 2025).magnitude == (
            pytest.approx(chips)
        )


def test_the_base_year_fleet_fits_in_the_power_the_world_gives() -> None:
    p = fullstack.Scenario(name="s", end=2025).run()
    for code in ("cn", "us"):
        it = p.value(f"{code}.datacenter.it_power", 2025).m_as("GW")
        pue = float(fullstack.reference_world().economies[code.upper()].figure("pue").value)
        available = p.value(f"{code}.datacenter.power_available", 2025).m_as("GW")
        assert it * pue <= available, code


def test_every_metric_has_the_unit_the_docs_say(baseline: fullstack.Projection) -> None:
    for name in baseline.metrics:
        if name.startswith("world."):
            continue
        code, key = name.split(".", 1)
        spec = METRICS[key.split("[", 1)[0]]
        currency = fullstack.reference_world().economies[code.upper()].currency
        assert baseline.unit(name) == spec.unit.replace("{currency}", currency), name
        if spec.unit not in ("label", "fraction"):
            fullstack.parse_unit(baseline.unit(name))


_KNOBS = {
    "cn.hbm.stockpile": st.floats(0, 5e7).map(lambda x: f"{x} hbm_stack"),
    "cn.hbm.supply": st.floats(0, 5e7).map(lambda x: f"{x} hbm_stack/year"),
    "cn.chips.die_bank": st.floats(0, 1e7).map(lambda x: f"{x} die"),
    "cn.foundry.yield": st.floats(0, 1),
    "cn.chips.smuggling_share": st.floats(0, 1),
    "cn.datacenter.power": st.floats(0, 100).map(lambda x: f"{x} GW"),
    "cn.compute.capex": st.floats(0, 5e12).map(lambda x: f"{x} CNY/year"),
    "us.compute.capex_growth": st.floats(-0.5, 1).map(lambda x: f"{x} 1/year"),
    "cn.chips.service_life": st.floats(0, 15).map(lambda x: f"{x} year"),
    "cn.foundry.build_lag": st.floats(0, 6).map(lambda x: f"{x} year"),
    "cn.datacenter.deployment_lag": st.floats(0, 2).map(lambda x: f"{x} year"),
}


@settings(max_examples=30, deadline=None)
@given(
    st.dictionaries(st.sampled_from(sorted(_KNOBS)), st.none(), max_size=5).flatmap(
        lambda keys: st.fixed_dictionaries({k: _KNOBS[k] for k in keys})
    )
)
def test_no_nan_or_infinity_for_any_valid_scenario(values: dict[str, object]) -> None:
    s = fullstack.Scenario(name="s", end=2032)
    for name, value in values.items():
        s = s.assume(name, value, reason="fuzz")
    p = s.run()
    for name, arr in p.series.items():
        assert not np.isnan(arr).any(), name
        if "ceiling" in name or "bound" in name:
            continue  # a ceiling that is not modelled is infinite by definition
        assert np.isfinite(arr).all(), name
    for code in ("cn", "us"):
        _conservation(p, code)


def test_the_kernel_runs_many_samples_as_one() -> None:
    inputs = build_inputs(fullstack.Scenario(name="s", end=2030))["CN"]
    one = simulate(inputs.kernel)
    k = inputs.kernel
    many = attrs.evolve(
        k,
        params={n: np.repeat(a, 50, axis=0) for n, a in k.params.items()},
        demand=np.repeat(k.demand, 50, axis=0),
        import_cap=np.repeat(k.import_cap, 50, axis=0),
    )
    out = simulate(many)
    np.testing.assert_array_equal(out.pop("chips.movers"), one.pop("chips.movers"))
    for name, arr in one.items():
        np.testing.assert_allclose(out[name], np.repeat(arr, 50, axis=0), err_msg=name)
