"""The built-in instrument types: unit-checked fields, no effect outside active years,
determinism, registered parameters, order independence and monotonicity of their effects."""

from __future__ import annotations

import math
from typing import Any, TypeVar

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import fullstack
from fullstack.policy import Context, Instrument, instrument_types, parameter, resolve
from fullstack.policy.builtin import (
    AdoptionTarget,
    ComputeVoucher,
    EnergyPricing,
    ExportControl,
    GovernmentProcurement,
    GuidanceFund,
    ImportRestriction,
    InfrastructureProgramme,
    LocalizationMandate,
    OpenSourcePromotion,
    PilotZone,
    StandardSetting,
    StateLab,
    Subsidy,
    TalentProgramme,
    TaxIncentive,
    VentureFund,
)
from fullstack.policy.parameters import PARAMETERS

WORLD = fullstack.reference_world()

# Valid keyword arguments for every built-in type (besides name, start and end).
VALID: dict[type[Instrument], dict[str, Any]] = {
    Subsidy: {"target": "compute", "rate": 0.3},
    TaxIncentive: {"target": "chips", "relief": 0.25, "take_up": 0.5},
    ComputeVoucher: {"budget_per_year": "2 GCNY/year", "subsidy_rate": 0.4, "to_capex": 0.5},
    EnergyPricing: {"discount": 0.1, "price_cap": "0.3 CNY/kWh"},
    GuidanceFund: {"budget": "100 GCNY", "end": 2030, "to_capacity": 0.3},
    VentureFund: {"budget": "60 GCNY", "end": 2037, "to_compute": 0.25},
    StateLab: {"budget_per_year": "5 GCNY/year", "compute_share": 0.4, "efficiency_gain": 0.02},
    GovernmentProcurement: {
        "spend_per_year": "20 GCNY/year",
        "ai_share_gain": 0.05,
        "adoption_gain": "0.01 1/year",
    },
    InfrastructureProgramme: {"power_per_year": "0.5 GW/year", "utilization_gain": 0.05},
    TalentProgramme: {"gain_per_year": 0.03},
    OpenSourcePromotion: {"efficiency_gain": 0.05},
    StandardSetting: {"adoption_gain": 0.05, "efficiency_gain": 0.01},
    PilotZone: {"adoption_gain": "0.02 1/year"},
    AdoptionTarget: {"milestones": [(2027, 0.7), (2030, 0.9)], "attainment": 0.8},
    LocalizationMandate: {"layers": ["chip_design", "memory"], "minimum_share": 0.5},
    ImportRestriction: {"chips": ["H20", "L20"], "allowed": "1000 chip/year"},
    ExportControl: {"rule": "2023-10"},
}

# Types that state a flow (per year, in their active years) the engine accumulates into a stock.
FLOW: dict[type[Instrument], str] = {
    GuidanceFund: "foundry.investment",
    InfrastructureProgramme: "datacenter.power_additions",
    TalentProgramme: "talent.growth",
}
NEEDS_END: set[type[Instrument]] = {GuidanceFund, VentureFund}
TYPES = sorted(VALID, key=lambda c: c.__name__)
FLOW_TYPES = sorted(FLOW, key=lambda c: c.__name__)

InstrumentT = TypeVar("InstrumentT", bound=Instrument)


def make(cls: type[InstrumentT], **over: Any) -> InstrumentT:
    kwargs = {"name": f"test {cls.__name__}", "start": 2025, **VALID[cls], **over}
    return cls(**kwargs)


def mag(value: Any) -> float:
    return float(value.magnitude) if hasattr(value, "magnitude") else float(value)


def effects(inst: Instrument, years: Any) -> list[Any]:
    return list(inst.effects(Context(WORLD, years)))


def amount(effect: Any) -> float:
    """What an Add, Floor or Cap sets, or a Scale's factor, as a plain number."""
    return mag(effect.factor if isinstance(effect, fullstack.Scale) else effect.value)


# --- the set of types ----------------------------------------------------------------------------


def test_at_least_fifteen_builtin_types_and_all_are_covered_here() -> None:
    builtin = {
        c
        for c in instrument_types().values()
        if c.__module__.startswith("fullstack.policy.builtin")
    }
    assert len(builtin) >= 15
    assert builtin == set(VALID)


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
def test_every_type_is_a_frozen_documented_instrument(cls: type[Instrument]) -> None:
    inst = make(cls)
    assert isinstance(inst, Instrument)
    assert inst.tag is not None
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        inst.name = "other"  # type: ignore[misc]
    doc = cls.__doc__ or ""
    for part in ("In the real world", "Moves", "Example:"):
        assert part in doc, f"{cls.__name__} docstring lacks {part!r}"


# --- unit-checked fields -------------------------------------------------------------------------


def _checked_fields() -> list[tuple[type[Instrument], str, str]]:
    out = []
    for cls in TYPES:
        for field in attrs.fields(cls):
            kind = field.metadata.get("fullstack.kind")
            if kind in ("quantity", "money", "fraction"):
                out.append((cls, field.name, kind))
    return out


CHECKED = _checked_fields()


def _where(cls: type, field: str) -> str:
    return f"{cls.__name__}.{field}"


def test_the_checked_fields_cover_every_type_with_an_effect_size() -> None:
    assert {cls for cls, _, _ in CHECKED} == set(VALID)
    assert len(CHECKED) >= 25


@pytest.mark.parametrize(
    ("cls", "field", "kind"), CHECKED, ids=lambda x: getattr(x, "__name__", x)
)
def test_a_wrong_dimension_is_an_error_naming_class_and_field(
    cls: type[Instrument], field: str, kind: str
) -> None:
    with pytest.raises(fullstack.DimensionError) as info:
        make(cls, **{field: "3 EFLOP/s"})
    assert _where(cls, field) in str(info.value)


@pytest.mark.parametrize(
    ("cls", "field", "kind"),
    [c for c in CHECKED if c[2] != "fraction"],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_a_bare_number_is_an_error_naming_class_and_field(
    cls: type[Instrument], field: str, kind: str
) -> None:
    with pytest.raises(fullstack.MissingUnitError) as info:
        make(cls, **{field: 5})
    assert _where(cls, field) in str(info.value)


@pytest.mark.parametrize(
    ("cls", "field", "kind"),
    [c for c in CHECKED if c[2] == "fraction"],
    ids=lambda x: getattr(x, "__name__", x),
)
@pytest.mark.parametrize("bad", [1.5, -0.1, math.nan, True])
def test_an_out_of_range_fraction_is_an_error_naming_class_and_field(
    cls: type[Instrument], field: str, kind: str, bad: object
) -> None:
    with pytest.raises(fullstack.ValidationError) as info:
        make(cls, **{field: bad})
    assert _where(cls, field) in str(info.value)


@pytest.mark.parametrize(
    ("cls", "field", "kind"),
    [c for c in CHECKED if c[2] != "fraction"],
    ids=lambda x: getattr(x, "__name__", x),
)
def test_a_negative_quantity_is_refused(cls: type[Instrument], field: str, kind: str) -> None:
    value = getattr(make(cls), field)
    with pytest.raises(fullstack.ValidationError) as info:
        make(cls, **{field: -value if value.magnitude else value - value.units * 1})
    assert _where(cls, field) in str(info.value)


@pytest.mark.parametrize(
    ("cls", "over", "where"),
    [
        (Subsidy, {"target": "water"}, "Subsidy.target"),
        (TaxIncentive, {"target": "labour"}, "TaxIncentive.target"),
        (GuidanceFund, {"end": None}, "GuidanceFund.end"),
        (VentureFund, {"end": None}, "VentureFund.end"),
        (VentureFund, {"budget": "6 GCNY/year"}, "VentureFund.budget"),
        (GuidanceFund, {"budget": "6 GCNY/year"}, "GuidanceFund.budget"),
        (AdoptionTarget, {"milestones": [(2027, 0.9), (2030, 0.7)]}, "milestones"),
        (AdoptionTarget, {"milestones": [(2027, 0.7)]}, "milestones"),
        (AdoptionTarget, {"milestones": [(2027, 0.0), (2030, 0.9)]}, "milestones"),
        (LocalizationMandate, {"layers": []}, "LocalizationMandate.layers"),
        (ImportRestriction, {"chips": []}, "ImportRestriction.chips"),
        (EnergyPricing, {"discount": 0.0, "price_cap": None}, "EnergyPricing"),
        (InfrastructureProgramme, {"power_per_year": "0 GW/year", "utilization_gain": 0.0}, "In"),
        (StandardSetting, {"adoption_gain": 0.0, "efficiency_gain": 0.0}, "StandardSetting"),
        (ExportControl, {"rule": None}, "ExportControl"),
    ],
)
def test_other_bad_values_are_fullstack_errors_naming_where(
    cls: type[Instrument], over: dict[str, Any], where: str
) -> None:
    with pytest.raises(fullstack.ValidationError) as info:
        make(cls, **over)
    assert where in str(info.value)


@pytest.mark.parametrize(
    ("cls", "field"), [(ImportRestriction, "chips"), (ExportControl, "chips")]
)
def test_an_unknown_chip_names_the_field_and_suggests(cls: type[Instrument], field: str) -> None:
    with pytest.raises(fullstack.UnknownNameError) as info:
        make(cls, **{field: ["H2O"]})
    assert _where(cls, field) in str(info.value)
    assert "H20" in info.value.suggestions


@pytest.mark.parametrize(
    ("cls", "field"),
    [
        (ComputeVoucher, "budget_per_year"),
        (StateLab, "budget_per_year"),
        (GovernmentProcurement, "spend_per_year"),
        (EnergyPricing, "price_cap"),
        (GuidanceFund, "budget"),
        (VentureFund, "budget"),
    ],
)
def test_money_in_another_currency_than_the_economys_is_a_currency_error(
    cls: type[Instrument], field: str
) -> None:
    value = getattr(make(cls), field)
    usd = fullstack.Q_(value.magnitude, str(value.units).replace("CNY", "USD"))
    inst = make(cls, **{field: usd})
    with pytest.raises(fullstack.CurrencyError) as info:
        effects(inst, [2025])
    assert field in str(info.value)
    assert info.value.expected_currency == "CNY"


@pytest.mark.parametrize("cls", FLOW_TYPES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("field", ["lag", "capital_intensity"])
def test_build_lags_and_capital_costs_are_not_instrument_fields(
    cls: type[Instrument], field: str
) -> None:
    # They belong to the projection engine, which accumulates the flows into stocks.
    assert field not in attrs.fields_dict(cls)
    with pytest.raises(TypeError):
        make(cls, **{field: 1})


# --- active years --------------------------------------------------------------------------------

starts = st.integers(2015, 2040)
lengths = st.none() | st.integers(0, 12)
firsts = st.integers(2010, 2045)
spans = st.integers(1, 14)


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
@settings(max_examples=20)
@given(start=starts, length=lengths, first=firsts, span=spans)
def test_effects_fall_only_in_active_years(
    cls: type[Instrument], start: int, length: int | None, first: int, span: int
) -> None:
    if length is None and cls in NEEDS_END:
        length = 3
    end = None if length is None else start + length
    inst = make(cls, start=start, end=end)
    years = range(first, first + span)
    found = effects(inst, years)
    for e in found:
        assert e.year in years
        assert inst.active(e.year), (cls.__name__, e)
    # ... and every type with these (non-zero) effect sizes acts in each active year of the run.
    assert {e.year for e in found} == {y for y in years if inst.active(y)}


def _like(example: str) -> st.SearchStrategy[fullstack.Quantity]:
    """Quantities in the unit (and currency) of ``example``."""
    unit = fullstack.Q_(example).units
    return st.floats(0, 1e3).map(lambda m: fullstack.Q_(m, unit))


def _instances(cls: type[Instrument]) -> st.SearchStrategy[Instrument]:
    """Instances of ``cls``: its representative values, effect sizes and years drawn anew."""
    drawn: dict[str, st.SearchStrategy[Any]] = {}
    for field in attrs.fields(cls):
        kind = field.metadata.get("fullstack.kind")
        given_value = VALID[cls].get(field.name)
        if kind == "fraction":
            drawn[field.name] = st.floats(0, 1)
        elif given_value is not None and (kind in ("quantity", "money") or field.name == "budget"):
            drawn[field.name] = _like(given_value)

    @st.composite
    def build(draw: st.DrawFn) -> Instrument:
        start = draw(starts)
        length = draw(st.integers(0, 12) if cls in NEEDS_END else lengths)
        end = None if length is None else start + length
        over = {k: draw(v) for k, v in drawn.items()}
        try:
            return make(cls, start=start, end=end, **over)
        except fullstack.ValidationError:  # every effect size zero where one must be set
            assume(False)
            raise  # pragma: no cover - assume() raised

    return build()


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
@settings(max_examples=10)
@given(data=st.data(), first=firsts, span=spans)
def test_generated_instances_have_no_effect_outside_active_years(
    cls: type[Instrument], data: st.DataObject, first: int, span: int
) -> None:
    inst = data.draw(_instances(cls))
    years = range(first, first + span)
    for e in effects(inst, years):
        assert e.year in years
        assert inst.active(e.year), (cls.__name__, inst, e)
    values = resolve(WORLD, [inst], years)
    assert all(inst.active(year) for _, year in values.values)


@pytest.mark.parametrize("cls", FLOW_TYPES, ids=lambda c: c.__name__)
@settings(max_examples=20)
@given(start=st.integers(2018, 2032), length=st.integers(0, 6))
def test_a_flow_is_stated_in_each_active_year_and_never_after(
    cls: type[Instrument], start: int, length: int
) -> None:
    end = start + length
    inst = make(cls, start=start, end=end)
    years = range(2015, 2046)
    flows = {e.year: amount(e) for e in effects(inst, years) if e.parameter.key == FLOW[cls]}
    assert set(flows) == set(range(start, end + 1))
    assert len(set(flows.values())) == 1  # the same flow each year
    assert next(iter(flows.values())) > 0


def test_a_fund_spreads_its_budget_evenly_over_its_years() -> None:
    fund = make(GuidanceFund, budget="100 GCNY", to_capacity=0.5, start=2023, end=2027)
    spent = {e.year: e.value.m_as("GCNY/year") for e in effects(fund, range(2020, 2035))}
    assert spent == dict.fromkeys(range(2023, 2028), 10.0)
    # Only the years inside the run, and nothing after the fund ends.
    assert [e.year for e in effects(fund, range(2025, 2035))] == [2025, 2026, 2027]
    assert effects(fund, range(2028, 2035)) == []


def test_a_fund_that_ended_before_the_run_moves_nothing() -> None:
    past = make(GuidanceFund, budget="100 GCNY", to_capacity=1.0, start=2014, end=2018)
    assert effects(past, range(2025, 2030)) == []
    assert resolve(WORLD, [past], range(2025, 2030)).touched() == []


def test_the_flows_are_in_their_parameters_units() -> None:
    years = [2025]
    (power, pooling) = effects(make(InfrastructureProgramme), years)
    assert str(power.parameter) == "cn.datacenter.power_additions"
    assert power.value.m_as("GW/year") == pytest.approx(0.5)
    assert str(pooling.parameter) == "cn.datacenter.utilization"
    assert pooling.value == pytest.approx(0.05)
    (growth,) = effects(make(TalentProgramme), years)
    assert str(growth.parameter) == "cn.talent.growth"
    assert growth.value.m_as("1/year") == pytest.approx(0.03)
    (spent,) = effects(make(GuidanceFund), years)  # 100 GCNY × 0.3 over 2025-2030
    assert spent.value.m_as("GCNY/year") == pytest.approx(5.0)


# --- determinism and registered parameters -------------------------------------------------------


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
def test_effects_are_deterministic(cls: type[Instrument]) -> None:
    inst = make(cls)
    years = range(2024, 2032)
    first = effects(inst, years)
    assert first
    assert effects(inst, years) == first
    assert effects(attrs.evolve(inst), years) == first
    assert list(inst.effects(Context(fullstack.reference_world(), years))) == first


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
def test_effects_touch_only_registered_parameters(cls: type[Instrument]) -> None:
    for e in effects(make(cls), range(2024, 2032)):
        assert e.parameter.key in PARAMETERS
        assert parameter(str(e.parameter)) == e.parameter
        assert e.parameter.economy in WORLD.economies


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
def test_effects_resolve_on_the_reference_world(cls: type[Instrument]) -> None:
    values = resolve(WORLD, [make(cls)], range(2025, 2031))
    assert values.touched()


# --- order independence --------------------------------------------------------------------------

MIX: list[Instrument] = [
    make(Subsidy, name="s compute", target="compute", rate=0.2),
    make(Subsidy, name="s energy", target="energy", rate=0.1, end=2026),
    make(TaxIncentive, name="t compute", target="compute", relief=0.25),
    make(TaxIncentive, name="t energy", target="energy", relief=0.05),
    make(ComputeVoucher, name="v1"),
    make(ComputeVoucher, name="v2", budget_per_year="0.3 GCNY/year", subsidy_rate=0.5),
    make(EnergyPricing, name="cap", discount=0.0, price_cap="0.33 CNY/kWh"),
    make(GuidanceFund, name="fund", start=2024),
    make(VentureFund, name="venture"),
    make(StateLab, name="lab"),
    make(GovernmentProcurement, name="procurement"),
    make(InfrastructureProgramme, name="infra a", start=2024),
    make(InfrastructureProgramme, name="infra b", power_per_year="1.5 GW/year"),
    make(TalentProgramme, name="talent"),
    make(OpenSourcePromotion, name="oss"),
    make(StandardSetting, name="standards"),
    make(PilotZone, name="zones"),
    make(AdoptionTarget, name="targets"),
    make(LocalizationMandate, name="floor a"),
    make(LocalizationMandate, name="floor b", layers=["memory"], minimum_share=0.7),
    make(ImportRestriction, name="import ban"),
    make(ExportControl, name="export rule", rule="2024-12", licensed="500 chip/year"),
    make(ExportControl, name="h20 letter", rule=None, chips=["H20"], licensed="2000 chip/year"),
    make(ExportControl, name="h20 letter b", rule=None, chips=["H20"], licensed="100 chip/year"),
]
MIX_YEARS = range(2025, 2028)
REFERENCE = resolve(WORLD, MIX, MIX_YEARS)


@settings(max_examples=15)
@given(st.permutations(MIX))
def test_the_order_of_instruments_never_changes_a_result(order: list[Instrument]) -> None:
    got = resolve(WORLD, order, MIX_YEARS)
    assert set(got.values) == set(REFERENCE.values)
    for key, value in REFERENCE.values.items():
        assert mag(got.values[key]) == mag(value), key  # exactly, not approximately


def test_the_mix_overlaps_on_shared_parameters() -> None:
    # The order test only means something if several instruments touch one parameter.
    shared = [k for k, effs in REFERENCE.effects.items() if len(effs) > 1]
    names = {k[0] for k in shared}
    shared_keys = (
        "compute.cost_share",
        "compute.capex",
        "energy.price",
        "chips.import_cap[H20]",
        "datacenter.power_additions",
    )
    for p in shared_keys:
        assert f"cn.{p}" in names


# --- monotonicity --------------------------------------------------------------------------------

fractions = st.floats(0, 1, allow_nan=False)


def _value(inst: Instrument, name: str, year: int = 2026) -> float:
    return mag(resolve(WORLD, [inst], [year]).value(name, year))


@settings(max_examples=40)
@given(r1=fractions, r2=fractions, target=st.sampled_from(["compute", "chips", "energy"]))
def test_a_higher_subsidy_rate_never_raises_the_price(r1: float, r2: float, target: str) -> None:
    low, high = sorted((r1, r2))
    name = {"compute": "cn.compute.cost_share", "chips": "cn.chips.price"}
    name["energy"] = "cn.energy.price"
    more = _value(make(Subsidy, target=target, rate=high), name[target])
    less = _value(make(Subsidy, target=target, rate=low), name[target])
    assert more <= less


@settings(max_examples=40)
@given(r1=fractions, r2=fractions, budget=st.floats(0, 500))
def test_a_higher_voucher_rate_never_raises_the_cost_share(
    r1: float, r2: float, budget: float
) -> None:
    low, high = sorted((r1, r2))
    kw = {"budget_per_year": f"{budget} GCNY/year"}
    more = _value(make(ComputeVoucher, subsidy_rate=high, **kw), "cn.compute.cost_share")
    less = _value(make(ComputeVoucher, subsidy_rate=low, **kw), "cn.compute.cost_share")
    assert 0 <= more <= less <= 1


@settings(max_examples=40)
@given(b1=st.floats(0, 500), b2=st.floats(0, 500), rate=fractions)
def test_a_bigger_voucher_budget_never_raises_the_cost_share(
    b1: float, b2: float, rate: float
) -> None:
    low, high = sorted((b1, b2))
    more = _value(
        make(ComputeVoucher, budget_per_year=f"{high} GCNY/year", subsidy_rate=rate),
        "cn.compute.cost_share",
    )
    less = _value(
        make(ComputeVoucher, budget_per_year=f"{low} GCNY/year", subsidy_rate=rate),
        "cn.compute.cost_share",
    )
    assert more <= less


def test_a_voucher_pays_at_most_its_budget_and_at_most_its_rate() -> None:
    spend = WORLD.economies["CN"].figure("ai_capex").value.m_as("GCNY/year")
    small = make(ComputeVoucher, budget_per_year="3.5 GCNY/year", subsidy_rate=1.0)
    assert _value(small, "cn.compute.cost_share") == pytest.approx(1 - 3.5 / spend)
    huge = make(ComputeVoucher, budget_per_year="1e6 GCNY/year", subsidy_rate=0.3)
    assert _value(huge, "cn.compute.cost_share") == pytest.approx(0.7)


@settings(max_examples=40)
@given(r1=fractions, r2=fractions, take_up=fractions)
def test_more_tax_relief_never_raises_the_price(r1: float, r2: float, take_up: float) -> None:
    low, high = sorted((r1, r2))
    more = _value(make(TaxIncentive, relief=high, take_up=take_up), "cn.chips.price")
    less = _value(make(TaxIncentive, relief=low, take_up=take_up), "cn.chips.price")
    assert more <= less


@settings(max_examples=40)
@given(d1=fractions, d2=fractions, cap=st.floats(0.01, 2))
def test_a_deeper_energy_discount_never_raises_the_price(d1: float, d2: float, cap: float) -> None:
    low, high = sorted((d1, d2))
    kw = {"price_cap": f"{cap} CNY/kWh"}
    more = _value(make(EnergyPricing, discount=high, **kw), "cn.energy.price")
    less = _value(make(EnergyPricing, discount=low, **kw), "cn.energy.price")
    assert more <= less <= cap + 1e-12


@settings(max_examples=40)
@given(
    b1=st.floats(0, 1000),
    b2=st.floats(0, 1000),
    share=fractions,
    start=st.integers(2020, 2030),
    length=st.integers(0, 8),
)
def test_a_bigger_guidance_fund_never_means_less_investment(
    b1: float, b2: float, share: float, start: int, length: int
) -> None:
    low, high = sorted((b1, b2))
    years = range(2020, 2040)
    kw = {"to_capacity": share, "start": start, "end": start + length}
    big = resolve(WORLD, [make(GuidanceFund, budget=f"{high} GCNY", **kw)], years)
    small = resolve(WORLD, [make(GuidanceFund, budget=f"{low} GCNY", **kw)], years)
    for year in years:
        more = mag(big.value("cn.foundry.investment", year))
        less = mag(small.value("cn.foundry.investment", year))
        assert more >= less >= 0


@settings(max_examples=40)
@given(
    p1=st.floats(0, 100),
    p2=st.floats(0, 100),
    gain=fractions,
    start=st.integers(2020, 2030),
    length=st.none() | st.integers(0, 8),
)
def test_more_power_per_year_never_means_fewer_power_additions(
    p1: float, p2: float, gain: float, start: int, length: int | None
) -> None:
    low, high = sorted((p1, p2))
    assume(low > 0 or gain > 0)  # otherwise the programme does nothing and is refused
    years = range(2020, 2040)
    end = None if length is None else start + length
    kw: dict[str, Any] = {"utilization_gain": gain, "start": start, "end": end}
    big = resolve(
        WORLD, [make(InfrastructureProgramme, power_per_year=f"{high} GW/year", **kw)], years
    )
    small = resolve(
        WORLD, [make(InfrastructureProgramme, power_per_year=f"{low} GW/year", **kw)], years
    )
    for year in years:
        more = mag(big.value("cn.datacenter.power_additions", year))
        less = mag(small.value("cn.datacenter.power_additions", year))
        assert more >= less >= 0


CHIPS = list(fullstack.accelerators())
YEARS = range(2025, 2028)


def _caps(control: ExportControl) -> dict[tuple[str, int], float]:
    values = resolve(WORLD, [control], YEARS)
    return {
        (chip, y): mag(values.value(f"cn.chips.import_cap[{chip}]", y))
        for chip in CHIPS
        for y in YEARS
    }


@pytest.mark.parametrize(("looser", "tighter"), [("2022-10", "2023-10"), ("2023-10", "2024-12")])
def test_a_tighter_rule_never_means_a_higher_import_cap(looser: str, tighter: str) -> None:
    loose = _caps(make(ExportControl, rule=looser))
    tight = _caps(make(ExportControl, rule=tighter))
    assert all(tight[k] <= loose[k] for k in loose)
    assert any(tight[k] < loose[k] for k in loose) or looser == "2023-10"


def test_the_2023_rule_caps_the_chips_built_to_pass_the_2022_rule() -> None:
    tight = _caps(make(ExportControl, rule="2023-10"))
    loose = _caps(make(ExportControl, rule="2022-10"))
    for chip in ("A800 SXM4 80GB", "H800 SXM"):
        assert loose[(chip, 2025)] == math.inf
        assert tight[(chip, 2025)] == 0


@settings(max_examples=15)
@given(l1=st.floats(0, 1e6), l2=st.floats(0, 1e6))
def test_fewer_licences_never_mean_a_higher_import_cap(l1: float, l2: float) -> None:
    low, high = sorted((l1, l2))
    rule = "2023-10"
    strict = _caps(make(ExportControl, rule=rule, licensed=f"{low} chip/year"))
    lenient = _caps(make(ExportControl, rule=rule, licensed=f"{high} chip/year"))
    assert all(strict[k] <= lenient[k] for k in strict)


# --- a few numbers checked from first principles -------------------------------------------------


def test_the_adoption_target_speed_is_the_logistic_rate_through_the_milestones() -> None:
    t = make(AdoptionTarget, milestones={"2027": 0.7, "2030": 0.9}, attainment=1.0)
    expected = (math.log(0.9 / 0.1) - math.log(0.7 / 0.3)) / 3
    assert t.implied_speed.m_as("1/year") == pytest.approx(expected)
    (effect,) = effects(t, [2025])
    assert effect.value.m_as("1/year") == pytest.approx(expected)


def test_a_localization_mandate_floors_each_layer_and_the_highest_floor_wins() -> None:
    a = make(LocalizationMandate, name="a", layers=["memory"], minimum_share=0.3)
    b = make(LocalizationMandate, name="b", layers=["memory", "chip_design"], minimum_share=0.6)
    values = resolve(WORLD, [a, b], [2025])
    assert values.value("cn.supply.domestic_floor[memory]", 2025) == 0.6
    assert values.value("cn.supply.domestic_floor[chip_design]", 2025) == 0.6


def test_an_import_restriction_caps_demand_and_an_export_control_caps_what_is_allowed() -> None:
    ban = make(ImportRestriction, chips=["H20"], allowed="0 chip/year")
    letter = make(ExportControl, rule=None, chips=["H20"], licensed="5000 chip/year")
    values = resolve(WORLD, [letter, ban], [2025])
    assert mag(values.value("cn.chips.import_demand[H20]", 2025)) == 0
    assert mag(values.value("cn.chips.import_cap[H20]", 2025)) == 5000
