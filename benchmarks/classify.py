"""Export-rule classification: scalar `classify_values` in a loop vs one `classify_arrays` call.

Prints the time per chip of each and their ratio, from one run (no thresholds asserted).
Run with ``make bench`` or ``python benchmarks/classify.py``.
"""

from __future__ import annotations

import time

import numpy as np

import fullstack


def main() -> None:
    rule = fullstack.export_rule("2023-10")
    rng = np.random.default_rng(0)
    n = 2_000
    tpp = rng.uniform(0, 20_000, n)
    density = rng.uniform(0, 25, n)

    start = time.perf_counter()
    scalar = [
        rule.classify_values(tpp=float(t), performance_density=float(d)).controlled
        for t, d in zip(tpp, density, strict=True)
    ]
    scalar_s = time.perf_counter() - start

    big = 1_000_000
    tpp_big = rng.uniform(0, 20_000, big)
    density_big = rng.uniform(0, 25, big)
    start = time.perf_counter()
    result = rule.classify_arrays(tpp=tpp_big, performance_density=density_big)
    vector_s = time.perf_counter() - start

    agree = np.array_equal(
        np.array(scalar, dtype=bool),
        rule.classify_arrays(tpp=tpp, performance_density=density).controlled,
    )
    per_scalar = scalar_s / n
    per_vector = vector_s / big
    print(f"scalar classify_values: {per_scalar * 1e6:8.1f} us/chip ({n:,} chips)")
    print(f"classify_arrays:        {per_vector * 1e6:8.3f} us/chip ({big:,} chips)")
    print(f"ratio scalar/vector:    {per_scalar / per_vector:8.0f}x; results agree: {agree}")
    print(f"controlled share of the random sweep: {result.controlled.mean():.3f}")


if __name__ == "__main__":
    main()
