"""Write your own policy type: an HBM stockpiling programme, registered and used like a built-in.

Run with ``python examples/custom_policy.py``; CI runs it too. The same code is walked through on
the docs page "Write your own policy type".
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import attrs

import fullstack
from fullstack.policy import Add, Context, Effect, Instrument
from fullstack.testing import check_instrument


@fullstack.register_instrument("hbm_stockpile")
@attrs.frozen(kw_only=True)
class HbmStockpile(Instrument):
    """Stockpiling HBM stacks ahead of an expected export ban.

    In the real world: Chinese firms are reported to have bought HBM ahead of the December
    2024 US controls (3A090.c). Moves ``hbm.supply``: adds ``stacks_per_year`` to the
    economy's HBM supply in each active year.

    Example:
        >>> HbmStockpile(name="x", stacks_per_year="1e6 hbm_stack/year").stacks_per_year
        <Quantity(1000000.0, 'hbm_stack / year')>
    """

    stacks_per_year: fullstack.Quantity = fullstack.quantity_field("hbm_stack/year")

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Add the stockpiled stacks to the HBM supply in each active year."""
        for year in ctx.active_years(self):
            yield Add(f"{self.economy}.hbm.supply", year, self.stacks_per_year)


def main() -> None:
    stockpile = HbmStockpile(
        name="HBM stockpile 2024-25",
        economy="CN",
        start=2025,
        end=2026,
        stacks_per_year="2e6 hbm_stack/year",
        source=fullstack.Assumption(reason="Illustration: the size is not a sourced figure."),
    )
    oct23 = fullstack.policy.ExportControl(
        name="US Oct 2023 rule",
        economy="CN",
        issuer="Bureau of Industry and Security",
        rule="2023-10",
        start=2023,
    )
    scenario = fullstack.Scenario(name="Stockpile", start=2025, end=2028) + oct23 + stockpile

    values = scenario.parameters()
    for year in scenario.years:
        print(year, "HBM supply:", f"{values.value('cn.hbm.supply', year):,.3g~P}")

    # The custom type travels through files like a built-in.
    path = Path(tempfile.mkdtemp()) / "stockpile.toml"
    fullstack.save(scenario, path)
    print(path.read_text().splitlines()[0])
    assert fullstack.load(path) == scenario

    # And it passes the same conformance checks as the built-ins.
    check_instrument(HbmStockpile, max_examples=10)
    print("check_instrument(HbmStockpile): passed")


if __name__ == "__main__":
    main()
