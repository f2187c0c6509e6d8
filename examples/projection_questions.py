"""Questions analysts ask of a projection, answered in a few lines each.

1. China's installed compute in 2030 with and without a policy package, and the US/China ratio.
2. What binds China's domestic output in 2027, and what if the HBM stockpile is half what
   sources say, or smuggling doubles?
3. Where does the 2026 figure sit against published estimates?
4. How sure is the 2030 answer (a range over the uncertain figures), and which figure moves it
   most?
5. Which policy explains most of the 2030 gap between "Tighter controls" and "Accelerated
   self-reliance", and how sure are we?

Run: ``python examples/projection_questions.py``.
"""

from __future__ import annotations

import attrs

import fullstack
from fullstack.policy import ComputeVoucher, ExportControl

# 1. The reference world + Big Fund III + a city's compute vouchers + the October 2023 rule.
policies = [
    fullstack.preset("Big Fund III"),
    ComputeVoucher(
        name="City vouchers",
        budget_per_year="0.1 GCNY/year",
        subsidy_rate=0.3,
        to_capex=0.5,
        start=2026,
        end=2028,
    ),
    ExportControl(name="US Oct 2023 rule", rule="2023-10", start=2023),
]
without = fullstack.Scenario(name="Reference world", end=2030)
with_policies = attrs.evolve(without + policies, name="With the policies")
a, b = without.run(), with_policies.run()
metrics = ["cn.compute.installed", "world.compute.us_cn_ratio", "cn.foundry.capacity"]
print(fullstack.compare(a, b, metrics=[*metrics, "cn.output.binding"]))
print(
    "The fund adds SMIC capacity after the build lag, but HBM binds China's output, so the"
    " extra logic dies do not become chips (see cn.output.binding)."
)

# 2. What binds in 2027, and two what-ifs.
base = fullstack.scenarios()["baseline"]
p = base.run()
print("\n2027:", p.explain("cn.chips.output", 2027).binding)
half = base.assume("cn.hbm.stockpile", "3.7e6 hbm_stack", reason="Half what sources say")
double = base.assume("cn.chips.smuggling_share", 0.58, reason="Twice the calibration")
print(
    fullstack.compare(
        p,
        attrs.evolve(half, name="Half the HBM").run(),
        attrs.evolve(double, name="Twice the smuggling").run(),
        metrics=["cn.chips.output", "cn.compute.installed"],
        years=[2026, 2027, 2030],
    )
)

# 3. Against published estimates: SemiAnalysis, Bloomberg and J.P. Morgan put 2026 Ascend
#    output at 300k-1M (docs/model.md has the full validation table with sources).
output_2026 = p.value("cn.chips.output", 2026).m_as("chip/year")
print(f"\nAscend output 2026: {output_2026:,.0f} (published range 300,000-1,000,000)")

# 4. How sure: 2,000 draws of every uncertain figure (each figure's low, central and high), run
#    at once; then which figure moves the answer most (each at its low and high end).
ensemble = with_policies.ensemble(2000, seed=1)
low, mid, high = ensemble.quantiles("cn.compute.installed", 2030)
show = fullstack.format_value
print(f"\nChina's installed compute in 2030 with the policies: median {show(mid)}")
print(f"  90% of draws between {show(low)} and {show(high)}")
print(f"  with every figure at its central value: {show(b.value('cn.compute.installed', 2030))}")
print("  (the median of the draws is not the central run: the figures' ranges are skewed)")
tornado = fullstack.sensitivity(with_policies, "cn.compute.installed", 2030)
print(tornado)

# 5. Which policy explains the gap, and how sure: Shapley shares, each with its range over 200
#    draws of the uncertain figures.
gap = fullstack.attribute(
    fullstack.scenarios()["tighter"],
    fullstack.scenarios()["self_reliance"],
    "cn.compute.installed",
    2030,
    samples=200,
    seed=1,
)
print(gap)
