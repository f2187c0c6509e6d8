"""Sensitivity: the one-at-a-time tornado, and Sobol indices through SALib (an extra)."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import fullstack
from fullstack.engine import uncertain_figures
from fullstack.results import _show

BASELINE = fullstack.scenarios()["baseline"]
METRIC, YEAR = "cn.compute.installed", 2030


@pytest.fixture(scope="module")
def tornado() -> fullstack.Sensitivity:
    return fullstack.sensitivity(BASELINE, METRIC, YEAR)


def test_every_uncertain_figure_is_there_and_the_central_value_is_the_run(
    tornado: fullstack.Sensitivity,
) -> None:
    assert sorted(tornado.swings) == uncertain_figures(BASELINE.base_world())
    assert tornado.central == BASELINE.run().value(METRIC, YEAR)
    swings = [q.magnitude for q in tornado.swings.values()]
    assert swings == sorted(swings, reverse=True)
    assert swings[0] > 0


def test_a_figure_that_cannot_affect_the_metric_has_no_swing(
    tornado: fullstack.Sensitivity,
) -> None:
    # The US's figures do not enter China's equations.
    for name in ("US.training_mfu", "US.pue", "US.ai_capex"):
        assert tornado.swings[name].magnitude == 0
        assert tornado.at_low[name] == tornado.at_high[name] == tornado.central
    # The base year's output is the fleet's base vintage: only the domestic channel moves it.
    base = fullstack.sensitivity(fullstack.Scenario(name="s", end=2026), "cn.chips.output", 2025)
    moved = {name for name, q in base.swings.items() if q.magnitude != 0}
    assert moved == {"CN.fleet[domestic]"}
    total = fullstack.reference_world().economies["CN"].fleet_total("domestic")
    assert base.ranges["CN.fleet[domestic]"] == (_show(total.low), _show(total.high))


def test_low_and_high_bracket_the_central_value_for_a_monotone_figure() -> None:
    result = fullstack.sensitivity(BASELINE, "cn.chips.output", 2030)
    low, high = result.at_low["CN.packaging_yield"], result.at_high["CN.packaging_yield"]
    assert low < result.central < high
    assert result.swings["CN.packaging_yield"] == high - low


@pytest.mark.parametrize(
    ("figure", "parameter"),
    [
        ("CN.packaging_yield", "cn.chips.packaging_yield"),
        ("CN.smuggling_share", "cn.chips.smuggling_share"),
        ("CN.service_life", "cn.chips.service_life"),
    ],
)
def test_one_batch_equals_separate_runs_with_the_figure_assumed(
    tornado: fullstack.Sensitivity, figure: str, parameter: str
) -> None:
    code, name = figure.split(".", 1)
    estimate = BASELINE.base_world().economies[code].figure(name)
    for end, found in (("low", tornado.at_low), ("high", tornado.at_high)):
        assumed = BASELINE.assume(parameter, getattr(estimate, end), reason=end)
        alone = assumed.run().value(METRIC, YEAR)
        assert found[figure].m_as("H100e") == pytest.approx(alone.m_as("H100e"), rel=1e-9)


def test_a_figure_the_scenario_fixes_has_no_swing() -> None:
    fixed = BASELINE.assume("cn.chips.smuggling_share", 0.29, reason="fixed")
    result = fullstack.sensitivity(fixed, METRIC, YEAR)
    assert result.swings["CN.smuggling_share"].magnitude == 0


def test_text_html_frame_and_chart(tornado: fullstack.Sensitivity) -> None:
    text = str(tornado)
    assert text.splitlines()[1].lstrip().startswith("CN.smuggling_share")
    assert "figures do not move it" in text
    assert "CN.smuggling_share" in tornado._repr_html_()
    frame = tornado.to_frame()
    assert len(frame) == len(tornado.swings)
    assert frame["swing"].is_monotonic_decreasing
    pytest.importorskip("matplotlib")
    ax = tornado.plot(top=4)
    assert [t.get_text() for t in ax.get_yticklabels()] == list(tornado.swings)[:4]
    assert ax.get_xlabel() == "H100e"
    assert ax.get_legend() is not None


def test_label_metrics_and_other_values_are_refused() -> None:
    with pytest.raises(fullstack.ValidationError, match="numeric metric"):
        fullstack.sensitivity(BASELINE, "cn.output.binding", 2030)
    with pytest.raises(fullstack.ValidationError, match=r"fullstack\.Scenario"):
        fullstack.sensitivity("baseline", METRIC, YEAR)  # type: ignore[arg-type]
    with pytest.raises(fullstack.UnknownNameError):
        fullstack.sensitivity(BASELINE, "cn.compute.nowhere", YEAR)


# --- Sobol indices (SALib) --------------------------------------------------------------------


def test_sobol_indices_are_in_range_and_a_figure_without_effect_has_none() -> None:
    pytest.importorskip("SALib")
    result = fullstack.sobol(BASELINE, METRIC, YEAR, n=128, seed=1)
    assert set(result.total) == set(uncertain_figures(BASELINE.base_world()))
    assert result.samples == 128 * (len(result.total) + 2)
    for name, total in result.total.items():
        assert -0.05 <= total <= 1.05, name
        assert -0.2 <= result.first[name] <= 1.05, name
        assert result.total_conf[name] >= 0
    assert abs(result.total["US.training_mfu"]) < 1e-9
    assert abs(result.first["US.training_mfu"]) < 1e-9
    assert max(result.total, key=result.total.get) == "CN.smuggling_share"
    # The tornado's and the variance's rankings agree on what matters most.
    frame = result.to_frame()
    assert frame["figure"].iloc[0] == "CN.smuggling_share"
    assert "Sobol indices" in str(result)
    assert "<td>CN.smuggling_share</td>" in result._repr_html_()


def test_sobol_is_reproducible_for_a_seed_and_does_not_depend_on_the_chunks() -> None:
    pytest.importorskip("SALib")
    s = fullstack.Scenario(name="s", end=2027)
    a = fullstack.sobol(s, METRIC, 2027, n=32, seed=3)
    b = fullstack.sobol(s, METRIC, 2027, n=32, seed=3, chunk_size=100)
    assert a == b


def test_sobol_of_a_metric_that_does_not_vary_is_zero() -> None:
    pytest.importorskip("SALib")
    # the base year's foundry capacity is the world's figure, which an assumption fixes
    s = fullstack.Scenario(name="s", end=2026).assume(
        "cn.foundry.capacity", "45000 wafer/month", reason="fixed"
    )
    result = fullstack.sobol(s, "cn.foundry.capacity", 2025, n=8)
    assert set(result.total.values()) == {0.0}


def test_sobol_needs_a_power_of_two() -> None:
    with pytest.raises(fullstack.ValidationError, match="power of two"):
        fullstack.sobol(BASELINE, METRIC, YEAR, n=100)
    with pytest.raises(fullstack.ValidationError, match=r"^sobol\.seed: expected"):
        fullstack.sobol(BASELINE, METRIC, YEAR, n=8, seed="x")  # type: ignore[arg-type]


def test_sobol_without_salib_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "SALib", None)
    monkeypatch.setitem(sys.modules, "SALib.analyze", None)
    with pytest.raises(fullstack.MissingExtraError, match=r"fullstack\[sensitivity\]"):
        fullstack.sobol(BASELINE, METRIC, YEAR, n=8)


def test_the_batch_is_one_kernel_run_on_the_sample_axis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import fullstack.engine as engine

    calls: list[int] = []
    real = engine.simulate

    def counting(kernel: object) -> object:
        calls.append(next(iter(kernel.params.values())).shape[0])  # type: ignore[attr-defined]
        return real(kernel)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "simulate", counting)
    fullstack.sensitivity(BASELINE, METRIC, YEAR)
    n = len(uncertain_figures(BASELINE.base_world()))
    assert calls == [1 + 2 * n] * 2  # one batch per economy (CN, US)
    assert np.all(np.array(calls) > 1)


# --- distribution assumptions -------------------------------------------------------------------


def _with_normal_smuggling() -> fullstack.Scenario:
    from fullstack.distributions import Normal

    return BASELINE.assume("cn.chips.smuggling_share", Normal(0.3, 0.1), reason="a normal")


def test_a_distribution_assumption_goes_to_its_5th_and_95th_percentiles() -> None:
    from fullstack._sensitivity import ASSUMPTION_ENDS

    scenario = _with_normal_smuggling()
    result = fullstack.sensitivity(scenario, METRIC, YEAR)
    name = "assumption:cn.chips.smuggling_share"
    assert name in result.swings
    assert result.swings["CN.smuggling_share"].magnitude == 0  # the assumption fixes the figure
    low, high = (0.3 + z * 0.1 for z in (-1.6448536, 1.6448536))
    assert result.ranges[name] == (f"{low:.3g}", f"{high:.3g}")
    assert ASSUMPTION_ENDS == (0.05, 0.95)
    for value, found in ((low, result.at_low), (high, result.at_high)):
        alone = BASELINE.assume("cn.chips.smuggling_share", value, reason="end").run()
        expected = alone.value(METRIC, YEAR).m_as("H100e")
        assert found[name].m_as("H100e") == pytest.approx(expected, rel=1e-4)


def test_sobol_counts_distribution_assumptions_as_inputs() -> None:
    pytest.importorskip("SALib")
    result = fullstack.sobol(_with_normal_smuggling(), METRIC, YEAR, n=64)
    assert "assumption:cn.chips.smuggling_share" in result.total
    assert result.total["assumption:cn.chips.smuggling_share"] > 0.1
    assert abs(result.total["CN.smuggling_share"]) < 1e-9
