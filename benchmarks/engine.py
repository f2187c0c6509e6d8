"""The projection engine: one run against `import fullstack`, and the kernel's sample axis.

Prints, from one run (no thresholds asserted):

- the median time of one run of the built-in baseline (parameters resolved, kernel, metrics)
  divided by the time of ``import fullstack`` in a fresh interpreter (target <= 0.05);
- the kernel's time for 10,000 samples divided by its time for 1 (target <= 50), the same
  equations on arrays with a longer sample axis.

Run with ``make bench`` or ``python benchmarks/engine.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import attrs
import numpy as np

import fullstack
from fullstack.engine._inputs import build_inputs
from fullstack.engine._kernel import simulate


def _import_time() -> float:
    code = "import time; t = time.perf_counter(); import fullstack; print(time.perf_counter() - t)"
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True).stdout)
        for _ in range(3)
    ]  # fmt: skip
    return statistics.median(runs)


def _timed(fn: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    scenario = fullstack.scenarios()["baseline"]
    scenario.run()  # warm the caches (catalog, world, presets)
    run_s = _timed(scenario.run, 7)
    import_s = _import_time()
    print(f"one run of {scenario.name!r} (2025-2035): {run_s * 1e3:7.1f} ms")
    print(f"import fullstack (fresh interpreter):      {import_s * 1e3:7.1f} ms")
    print(f"ratio run / import:                        {run_s / import_s:7.3f} (target <= 0.05)")

    kernel = build_inputs(scenario)["CN"].kernel
    one_s = _timed(lambda: simulate(kernel), 7)
    n = 10_000
    many = attrs.evolve(
        kernel,
        params={k: np.repeat(v, n, axis=0) for k, v in kernel.params.items()},
        demand=np.repeat(kernel.demand, n, axis=0),
        import_cap=np.repeat(kernel.import_cap, n, axis=0),
    )
    many_s = _timed(lambda: simulate(many), 3)
    print(f"kernel, 1 sample:                          {one_s * 1e3:7.2f} ms")
    print(f"kernel, {n:,} samples:                     {many_s * 1e3:7.1f} ms")
    print(f"ratio {n:,} / 1:                           {many_s / one_s:7.1f} (target <= 50)")


if __name__ == "__main__":
    main()
