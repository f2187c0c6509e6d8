"""The EMA Workbench adapter: a scenario as a model (the ``ema`` extra, tested when installed)."""

from __future__ import annotations

import sys
import warnings
from typing import Any

import numpy as np
import pytest

import fullstack
from fullstack._ema import identifier, levers
from fullstack.engine import uncertain_figures

BASELINE = fullstack.scenarios()["baseline"]
METRICS = ["cn.compute.installed", "us.compute.installed"]


def _ema() -> Any:
    with warnings.catch_warnings():  # 2.5 warns on import when ipyparallel is missing
        warnings.simplefilter("ignore", UserWarning)
        return pytest.importorskip("ema_workbench")


def test_names_become_identifiers() -> None:
    assert identifier("CN.import_demand[B200]") == "CN_import_demand_B200"
    assert identifier("AI+ initiative_attainment") == "AI_initiative_attainment"
    assert identifier("cn.compute.installed") == "cn_compute_installed"
    assert identifier("2025 plan") == "_2025_plan"


def test_levers_are_the_shares_and_the_quantities_above_zero() -> None:
    found = levers(BASELINE)
    assert found["Big_Fund_III_to_capacity"] == ("Big Fund III", "to_capacity", 0.0, 1.0)
    budget = BASELINE.instruments[0].budget
    assert found["Big_Fund_III_budget"][3] == pytest.approx(2 * budget.magnitude)
    # A licensed volume of zero, names, dates and chip lists are not levers.
    assert not [k for k in found if k.endswith(("_licensed", "_start", "_end", "_chips"))]


def test_the_model_has_the_figures_levers_and_metrics() -> None:
    _ema()
    model = fullstack.ema_model(BASELINE, METRICS, 2030)
    names = {u.name for u in model.uncertainties}
    assert names == {identifier(f) for f in uncertain_figures(BASELINE.base_world())}
    assert all((u.lower_bound, u.upper_bound) == (0.0, 1.0) for u in model.uncertainties)
    assert {lever.name for lever in model.levers} == set(levers(BASELINE))
    assert [o.name for o in model.outcomes] == ["cn_compute_installed", "us_compute_installed"]


def test_perform_experiments_runs_the_engine_once_per_experiment() -> None:
    ema = _ema()
    model = fullstack.ema_model(BASELINE, METRICS, 2030)
    with ema.SequentialEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=20)
    assert len(experiments) == 20
    values = outcomes["cn_compute_installed"]
    assert values.shape == (20,)
    assert np.all(values > 0)
    assert np.ptp(values) > 0
    # Each experiment is the ensemble's mapping of the same quantiles.
    first = experiments.iloc[0]
    names = uncertain_figures(BASELINE.base_world())
    draws = np.array([[first[identifier(n)] for n in names]])
    from fullstack.engine import _project
    from fullstack.engine._inputs import build_inputs

    direct = _project(
        BASELINE, build_inputs(BASELINE, 1, {n: draws[:, i] for i, n in enumerate(names)})
    )
    assert values[0] == pytest.approx(direct.value("cn.compute.installed", 2030).magnitude)


def test_levers_change_the_instruments() -> None:
    ema = _ema()
    scenario = fullstack.scenarios()["self_reliance"]
    model = fullstack.ema_model(scenario, ["cn.datacenter.power_available"], 2030)
    lever = identifier("Computing network: faster power build-out_power_per_year")
    assert lever in {lever.name for lever in model.levers}
    policies = [ema.Policy("less", **{lever: 1.0}), ema.Policy("more", **{lever: 4.0})]
    experiments, outcomes = ema.perform_experiments(model, scenarios=3, policies=policies)
    power = outcomes["cn_datacenter_power_available"]
    by_policy = {p: power[np.asarray(experiments["policy"] == p)] for p in ("less", "more")}
    assert np.all(by_policy["more"] > by_policy["less"])


def test_bad_arguments_are_refused() -> None:
    _ema()
    with pytest.raises(fullstack.ValidationError, match="numeric metric"):
        fullstack.ema_model(BASELINE, ["cn.output.binding"], 2030)
    with pytest.raises(fullstack.ValidationError, match="year"):
        fullstack.ema_model(BASELINE, METRICS, 2040)
    with pytest.raises(fullstack.UnknownNameError):
        fullstack.ema_model(BASELINE, ["cn.compute.nowhere"], 2030)


def test_without_ema_workbench_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ema_workbench", None)
    with pytest.raises(fullstack.MissingExtraError, match=r"fullstack\[ema\]"):
        fullstack.ema_model(BASELINE, METRICS, 2030)


def test_import_fullstack_does_not_import_salib_or_ema_workbench() -> None:
    import subprocess

    code = (
        "import sys, fullstack; fullstack.sensitivity; fullstack.sobol; fullstack.ema_model; "
        "print(sorted(m for m in ('SALib', 'ema_workbench') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_distribution_assumptions_are_uncertainties() -> None:
    _ema()
    from fullstack.distributions import Uniform

    scenario = BASELINE.assume("cn.datacenter.pue", Uniform(1.1, 1.6), reason="a range")
    model = fullstack.ema_model(scenario, METRICS, 2030)
    assert "assumption_cn_datacenter_pue" in {u.name for u in model.uncertainties}
