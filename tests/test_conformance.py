"""The conformance kit passes for every built-in instrument type.

`fullstack.testing.check_instrument` draws instances with hypothesis and checks the file
round-trip (TOML and JSON), deterministic effects, no effect outside the active years, the units
of unit-checked fields and that every parameter moved is registered and documented.

The generic builder guesses most fields from their declared units. The fields it cannot guess
(catalog names, rule keys, layers, milestones, a fund's total budget) are registered below, and
so is money in the economy's currency: built-in types refuse money in another currency than
their economy's when they compute their effects, and the builder draws currency and economy
independently.
"""

from __future__ import annotations

import pytest
from hypothesis import strategies as st

import fullstack
from fullstack.policy import Instrument, instrument_types
from fullstack.policy.builtin import (
    AdoptionTarget,
    ComputeVoucher,
    EnergyPricing,
    ExportControl,
    GovernmentProcurement,
    GuidanceFund,
    ImportRestriction,
    LocalizationMandate,
    StateLab,
    VentureFund,
)
from fullstack.testing import check_instrument, register_field_strategy


def _cny(per: str = "") -> st.SearchStrategy[fullstack.Quantity]:
    unit = f"CNY/{per}" if per else "CNY"
    return st.floats(0, 1e12, allow_nan=False).map(lambda m: fullstack.Q_(m, unit))


def _milestones() -> st.SearchStrategy[tuple[tuple[int, float], ...]]:
    def pair(n: int) -> st.SearchStrategy[tuple[tuple[int, float], ...]]:
        years = st.lists(st.integers(2015, 2045), min_size=n, max_size=n, unique=True)
        shares = st.lists(st.floats(0.01, 0.99), min_size=n, max_size=n, unique=True)
        return st.tuples(years, shares).map(
            lambda t: tuple(zip(sorted(t[0]), sorted(t[1]), strict=True))
        )

    return st.integers(2, 4).flatmap(pair)


CHIPS = tuple(fullstack.accelerators())
LAYERS = fullstack.default_stack().ids
chip_names = st.lists(st.sampled_from(CHIPS), max_size=3, unique=True).map(tuple)

register_field_strategy(
    ExportControl, "rule", st.none() | st.sampled_from(list(fullstack.export_rules()))
)
register_field_strategy(ExportControl, "chips", chip_names)
register_field_strategy(ImportRestriction, "chips", chip_names.filter(bool))
register_field_strategy(
    LocalizationMandate,
    "layers",
    st.lists(st.sampled_from(LAYERS), min_size=1, max_size=3, unique=True).map(tuple),
)
register_field_strategy(AdoptionTarget, "milestones", _milestones())

# Money, in the currency of the economy the instrument acts on.
MONEY: dict[type[Instrument], dict[str, st.SearchStrategy[fullstack.Quantity | None]]] = {
    GuidanceFund: {"budget": _cny()},
    VentureFund: {"budget": _cny()},
    ComputeVoucher: {"budget_per_year": _cny("year")},
    StateLab: {"budget_per_year": _cny("year")},
    GovernmentProcurement: {"spend_per_year": _cny("year")},
    EnergyPricing: {"price_cap": st.none() | _cny("kWh")},
}
for cls, fields in MONEY.items():
    register_field_strategy(cls, "economy", st.just("CN"))
    for name, strategy in fields.items():
        register_field_strategy(cls, name, strategy)

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
