"""Ensembles and attribution: the sample axis against one run at a time.

Prints, from one run (no thresholds asserted; the figures go to docs/performance.md):

(a) an ensemble of 100,000 samples of the baseline over 2025-2035, against the same kind of
    samples run one at a time through the public API (`Scenario.assume` of each drawn figure,
    then `run`): the one-at-a-time time per sample is measured on 100 samples (target: the
    ensemble >= 100x faster per sample);
(b) the whole ensemble (inputs, kernel, metrics) against the kernel's equations alone on the
    same prebuilt arrays (target: <= 1.5x);
(c) exact attribution over 10 instruments (1,024 coalitions in one batch) (target: < 1 s);
(d) EMA Workbench's sequential evaluator on 1,000 experiments through fullstack's adapter,
    against `ensemble(1000)`, when ema_workbench is installed.

Run with ``make bench`` or ``python benchmarks/uncertainty.py``.
"""

from __future__ import annotations

import os
import time
import warnings

import numpy as np

import fullstack
from fullstack.engine import _draw, simulate_all
from fullstack.engine._inputs import _triangular, build_inputs
from fullstack.policy import InfrastructureProgramme


def _one_at_a_time(scenario: fullstack.Scenario, count: int) -> float:
    """Seconds per sample: each sample's drawn figures set with `Scenario.assume`, then `run`.

    Figures with a path by year are left at their central path (an assumption would have to
    restate the whole path), and so are the fleets (no assumption sets them), which makes each
    single run a little cheaper than the ensemble's: the ratio is, if anything, understated.
    """
    world = scenario.base_world()
    key_of = {spec.figure: key for key, spec in fullstack.policy.PARAMETERS.items()}
    names, uniforms = _draw(scenario, count, 0)
    start = time.perf_counter()
    for row in uniforms:
        s = scenario
        for name, u in zip(names, row, strict=True):
            code, figure = name.split(".", 1)
            economy = world.economies[code]
            if figure in economy.paths or figure.startswith("fleet["):
                continue
            base, _, index = figure.partition("[")
            est = economy.figure(figure)
            unit = getattr(est.value, "units", None)

            def mag(x: object, central: object = est.value) -> float:
                x = central if x is None else x
                return float(getattr(x, "magnitude", x))  # type: ignore[arg-type]

            drawn = _triangular(np.array([u]), mag(est.low), mag(est.value), mag(est.high))
            value = fullstack.Q_(float(drawn[0]), unit) if unit is not None else float(drawn[0])
            name_with_index = f"{code.lower()}.{key_of[base]}" + (f"[{index}" if index else "")
            s = s.assume(name_with_index, value, reason="drawn")
        s.run()
    return (time.perf_counter() - start) / count


def main() -> None:
    baseline = fullstack.scenarios()["baseline"]
    baseline.run()

    n = 100_000
    start = time.perf_counter()
    baseline.ensemble(n, seed=0, chunk_size=25_000, progress=False)
    ensemble_s = time.perf_counter() - start
    single_s = _one_at_a_time(baseline, 100)
    print(f"(a) ensemble of {n:,} samples:            {ensemble_s:8.2f} s "
          f"({ensemble_s / n * 1e6:.1f} us/sample)")  # fmt: skip
    print(f"    one at a time through the API:        {single_s * 1e3:8.2f} ms/sample "
          f"(measured on 100)")  # fmt: skip
    print(f"    ratio:                                {single_s / (ensemble_s / n):8.0f}x "
          "(target >= 100x)")  # fmt: skip

    m = 20_000
    names, uniforms = _draw(baseline, m, 0)
    draws = {name: uniforms[:, i] for i, name in enumerate(names)}
    inputs = build_inputs(baseline, m, draws)
    kernels = {code: econ.kernel for code, econ in inputs.items()}
    start = time.perf_counter()
    simulate_all(kernels)
    kernel_s = time.perf_counter() - start
    start = time.perf_counter()
    baseline.ensemble(m, seed=0, progress=False)
    whole_s = time.perf_counter() - start
    print(f"(b) whole ensemble of {m:,}:               {whole_s:8.2f} s")
    print(f"    the equations alone (prebuilt arrays): {kernel_s:8.2f} s")
    print(f"    ratio:                                {whole_s / kernel_s:8.2f}x (target <= 1.5x)")

    players = [
        InfrastructureProgramme(name=f"Programme {i}", power_per_year=f"{0.5 + i} GW/year",
                                start=2026)
        for i in range(10)
    ]  # fmt: skip
    plain = fullstack.Scenario(name="a", end=2035)
    start = time.perf_counter()
    fullstack.attribute(plain, plain + players, "cn.compute.installed", 2030)
    attribution_s = time.perf_counter() - start
    print(f"(c) attribution over 10 instruments:      {attribution_s:8.2f} s (target < 1 s)")

    os.environ.setdefault("TQDM_DISABLE", "1")  # EMA's own progress bar would fill the output
    try:
        with warnings.catch_warnings():  # "ipyparallel not installed": not used here
            warnings.simplefilter("ignore", UserWarning)
            import ema_workbench  # noqa: F401
    except ImportError:
        print("(d) EMA Workbench not installed (pip install 'fullstack[ema]'): skipped")
        return
    ema_model = getattr(fullstack, "ema_model", None)
    if ema_model is None:
        print("(d) fullstack.ema_model not available: skipped")
        return
    from ema_workbench import perform_experiments

    model = ema_model(baseline, metrics=["cn.compute.installed"], year=2030)
    start = time.perf_counter()
    perform_experiments(model, 1000)
    ema_s = time.perf_counter() - start
    start = time.perf_counter()
    baseline.ensemble(1000, seed=0, progress=False)
    ours_s = time.perf_counter() - start
    print(f"(d) EMA sequential, 1,000 experiments:    {ema_s:8.2f} s")
    print(f"    ensemble(1000):                       {ours_s:8.2f} s")
    print(f"    ratio:                                {ema_s / ours_s:8.0f}x")


if __name__ == "__main__":
    main()
