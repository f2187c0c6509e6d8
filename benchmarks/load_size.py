"""Size: loading a scenario file of N instruments, and ``s = s + inst`` N times, for N and 10N.

The checks done in Python grow linearly: loading checks each instrument once, and ``s + inst``
checks only the new instrument's name against a set of the names already there (kept by tuple,
not rebuilt), so the ratio of the 10N time to the N time is near 10 for loading (before the
fixes it was ~100 for loading and ~1000 for adding). ``s + inst`` still copies the tuple of
instruments each time (a scenario is immutable): a C-level copy of N pointers, a few
microseconds at 5,000 instruments, which puts the adding ratio near 15-20 at N=500 and higher
for larger N. To build large scenarios, use ``Scenario(instruments=[...])`` or one
``s + [many]``. Prints the times and their ratios from one run (no thresholds asserted). Run
with ``make bench`` or ``python benchmarks/load_size.py [N]``.
"""

from __future__ import annotations

import sys
import time

import fullstack
from fullstack.policy import Subsidy


def scenario_text(n: int) -> str:
    """The TOML text of a scenario with ``n`` subsidies of distinct names."""
    instruments = [
        Subsidy(name=f"Rebate {i}", target="energy", rate=0.1, start=2026) for i in range(n)
    ]
    return fullstack.dumps(fullstack.Scenario(name="Large", instruments=instruments))


def time_load(n: int) -> float:
    """Seconds to read a scenario of ``n`` instruments from text."""
    text = scenario_text(n)
    start = time.perf_counter()
    scenario = fullstack.loads(text)
    elapsed = time.perf_counter() - start
    assert len(scenario.instruments) == n
    return elapsed


def time_add(n: int) -> float:
    """Seconds to build a scenario by adding ``n`` instruments one at a time."""
    instruments = [
        Subsidy(name=f"Rebate {i}", target="energy", rate=0.1, start=2026) for i in range(n)
    ]
    scenario = fullstack.Scenario(name="Growing")
    start = time.perf_counter()
    for inst in instruments:
        scenario = scenario + inst
    elapsed = time.perf_counter() - start
    assert len(scenario.instruments) == n
    return elapsed


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    for label, measure in (("load a scenario file", time_load), ("s = s + inst", time_add)):
        measure(min(n, 50))  # warm up: plans, registries, caches
        small = measure(n)
        large = measure(10 * n)
        print(
            f"{label:22} N={n:>6,}: {small:7.3f} s   10N={10 * n:>7,}: {large:7.3f} s   "
            f"ratio {large / small:5.1f} (linear ~10, quadratic ~100)"
        )


if __name__ == "__main__":
    main()
