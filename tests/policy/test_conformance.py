"""The conformance kit passes for every built-in instrument type.

`fullstack.testing.check_instrument` draws instances with hypothesis and checks the file
round-trip (TOML and JSON), deterministic effects, no effect outside the active years, the units
of unit-checked fields and that every parameter moved is registered and documented.

Instances come from the public strategies, `fullstack.testing.instrument_strategy(cls)`, with no
help from this file: they must cover every built-in type on their own.
"""

from __future__ import annotations

import attrs
import pytest

import fullstack
from fullstack.policy import Instrument, instrument_types
from fullstack.policy.builtin import (
    GuidanceFund,
)
from fullstack.testing import check_instrument

BUILTIN = sorted(
    (cls for cls in instrument_types().values() if cls.__module__.startswith("fullstack.")),
    key=lambda cls: cls.__name__,
)


def test_every_builtin_type_is_checked() -> None:
    assert len(BUILTIN) >= 15
    assert GuidanceFund in BUILTIN


@pytest.mark.parametrize("cls", BUILTIN, ids=lambda cls: cls.__name__)
def test_check_instrument_passes(cls: type[Instrument]) -> None:
    check_instrument(cls, max_examples=10)


def test_the_kit_checks_a_user_type_with_compound_money_units() -> None:
    @fullstack.register_instrument("test_fab_grant")
    @attrs.frozen(kw_only=True)
    class FabGrant(Instrument):
        """Pays part of each wafer-per-month of new capacity. Moves ``foundry.investment``."""

        grant: fullstack.Quantity = fullstack.money_field(per="wafer/month")
        wafers: fullstack.Quantity = fullstack.quantity_field("wafer/month")

        def effects(self, ctx: fullstack.policy.Context):  # type: ignore[no-untyped-def]
            for year in ctx.active_years(self):
                yield fullstack.Add(
                    f"{self.economy}.foundry.investment",
                    year,
                    (self.grant * self.wafers) / fullstack.Q_("1 a"),
                )

    try:
        check_instrument(FabGrant, max_examples=10)
    finally:
        fullstack.policy.unregister("test_fab_grant")


def test_the_kit_catches_an_effect_outside_the_active_years() -> None:
    @fullstack.register_instrument("test_leaky")
    @attrs.frozen(kw_only=True)
    class Leaky(Instrument):
        """Moves ``datacenter.power_additions``, and wrongly keeps moving it after it ends."""

        def effects(self, ctx: fullstack.policy.Context):  # type: ignore[no-untyped-def]
            for year in ctx.years:
                yield fullstack.Add(f"{self.economy}.datacenter.power_additions", year, "1 GW/a")

    try:
        with pytest.raises(AssertionError, match="outside the active years"):
            check_instrument(Leaky, max_examples=10)
    finally:
        fullstack.policy.unregister("test_leaky")
