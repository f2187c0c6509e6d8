"""A first tour of fullstack's units: compute, money and the errors that keep them apart.

Run with ``python examples/units_tour.py``; CI runs it too.
"""

from __future__ import annotations

import fullstack
from fullstack import Q_, Throughput, convert_currency

# Compute is its own dimension: EFLOP/s converts to H100-equivalents but never to Hz.
target = Q_("300 EFLOP/s")
print("MIIT 2025 target in H100e:", fullstack.format_quantity(target.to("H100e")))

# A throughput knows its precision; the export rule's TPP takes the bit length into account.
h100_int8 = Throughput("1979 TOPS", "INT8")
print("H100 SXM TPP from INT8:", fullstack.format_quantity(h100_int8.tpp))

# Money needs a dated, sourced exchange rate.
big_fund_iii = Q_("344 GCNY")
print("Big Fund III in USD (2023 rate):", convert_currency(big_fund_iii, "USD", year=2023))

# Mixing currencies is an error that says how to convert.
try:
    Q_("1 USD") + Q_("1 CNY")
except fullstack.CurrencyError as exc:
    print("As expected:", exc)
