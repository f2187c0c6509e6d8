"""fullstack._validators: one rule per kind of value, located at the concrete class and field."""

from __future__ import annotations

import pickle
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fullstack
from fullstack import Q_, Accelerator, DimensionError, FullstackError, ValidationError
from fullstack._validators import (
    MAX_YEAR,
    MIN_YEAR,
    check_name,
    check_provenance,
    check_text,
    check_year,
    is_year,
    located,
    to_fraction,
    to_money,
)
from fullstack.policy import Add, GuidanceFund, Instrument, VentureFund
from fullstack.units import quantity_field
from fullstack.world import FleetEntry


@attrs.frozen
class Plan:
    """A module-level class, so that errors naming it pickle."""

    name: str = attrs.field(validator=check_name)
    year: int = attrs.field(default=2026, validator=check_year)
    note: str = attrs.field(default="", validator=check_text)
    budget: Any = attrs.field(default=None, converter=located(to_money, optional=True))
    power: Any = quantity_field("GW", default="1 GW")


# --- years -----------------------------------------------------------------------------------

YEAR_FIELDS = [
    ("Instrument.start", lambda y: Instrument(name="x", start=y)),
    ("Instrument.end", lambda y: Instrument(name="x", start=1900, end=y)),
    ("Add.year", lambda y: Add("cn.datacenter.power", y, "1 GW")),
    ("Accelerator.year", lambda y: Accelerator(name="X1", year=y)),
    ("Scenario.start", lambda y: fullstack.Scenario(name="s", start=y, end=2200)),
    ("FleetEntry.vintage", lambda y: FleetEntry("H100 SXM", y, "1 chip")),
]


@pytest.mark.parametrize(("where", "make"), YEAR_FIELDS, ids=[w for w, _ in YEAR_FIELDS])
@pytest.mark.parametrize("bad", [-5, 3, 1899, 2201, 2026.0, "2026", True])
def test_every_year_field_follows_the_same_rule(where: str, make: Any, bad: Any) -> None:
    with pytest.raises(ValidationError) as info:
        make(bad)
    assert str(info.value).startswith(f"{where}: expected a whole year between 1900 and 2200")
    assert (info.value.cls.__name__, info.value.field) == tuple(where.split("."))


@given(st.integers(MIN_YEAR - 100, MAX_YEAR + 100))
def test_is_year_is_the_one_range(year: int) -> None:
    assert is_year(year) == (MIN_YEAR <= year <= MAX_YEAR)


def test_add_minus_five_and_accelerator_year_three_are_refused() -> None:
    with pytest.raises(ValidationError):
        Add("cn.datacenter.power", -5, "1 GW")
    with pytest.raises(ValidationError):
        Accelerator(name="X1", year=3)


# --- location: the concrete class and the field, as attributes ---------------------------------


def _fund(**kw: Any) -> GuidanceFund:
    return GuidanceFund(**({"name": "F", "budget": "5 GCNY", "to_capacity": 0.5} | kw))


LOCATED = [
    (lambda: _fund(budget="-5 GCNY"), GuidanceFund, "budget", ValidationError),
    (lambda: VentureFund(name="F", budget="-5 GCNY", to_compute=0.5), VentureFund, "budget",
     ValidationError),
    (lambda: _fund(budget="5 GW"), GuidanceFund, "budget", DimensionError),
    (lambda: _fund(to_capacity=2), GuidanceFund, "to_capacity", ValidationError),
    (lambda: _fund(name=" "), GuidanceFund, "name", ValidationError),
    (lambda: _fund(), GuidanceFund, "end", ValidationError),
    (lambda: Plan("p", power="5 EFLOP/s"), Plan, "power", DimensionError),
    (lambda: Plan("p", power=5), Plan, "power", fullstack.MissingUnitError),
    (lambda: Plan("p", note=5), Plan, "note", ValidationError),
]  # fmt: skip


@pytest.mark.parametrize(("make", "cls", "field", "error"), LOCATED)
def test_errors_carry_the_concrete_class_and_the_field(
    make: Any, cls: type, field: str, error: type
) -> None:
    with pytest.raises(error) as info:
        make()
    assert info.value.cls is cls
    assert info.value.field == field
    assert str(info.value).startswith(f"{cls.__name__}.{field}: ")


def test_a_located_error_pickles_with_its_location() -> None:
    with pytest.raises(FullstackError) as info:
        Plan("p", budget="-5 GCNY")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.cls, copy.field, str(copy)) == (Plan, "budget", str(info.value))


def test_errors_not_about_a_field_have_no_location() -> None:
    error = ValidationError("x", "y", 1)
    assert (error.cls, error.field) == (None, None)
    assert "field" not in vars(pickle.loads(pickle.dumps(error)))


# --- money -------------------------------------------------------------------------------------


@pytest.mark.parametrize("budget", ["-5 GCNY", "-1 USD/year", "nan CNY", "inf EUR"])
def test_negative_or_non_finite_money_is_refused(budget: str) -> None:
    with pytest.raises(
        ValidationError, match=r"^GuidanceFund\.budget: expected a (non-negative|finite)"
    ):
        GuidanceFund(name="F", budget=budget, to_capacity=0.5)


def test_a_negative_budget_in_a_file_is_reported_with_its_place() -> None:
    text = """
        schema_version = 1
        type = "guidance_fund"
        name = "Fund"
        budget = "-5 GCNY"
        to_capacity = 0.5
        start = 2025
        end = 2030
    """
    with pytest.raises(fullstack.FileFormatError) as info:
        fullstack.loads("\n".join(line.strip() for line in text.splitlines()))
    assert "budget" in str(info.value)
    assert "non-negative" in str(info.value)


@pytest.mark.parametrize("text", ["344 GCNY", "5 GCNY/year", "350 billion CNY/year", "0 USD"])
def test_money_totals_and_rates_are_accepted(text: str) -> None:
    assert to_money(text, "x") == Q_(text)


# --- fractions, provenance ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "fraction"), [(0.25, 0.25), ("25 %", 0.25), (Q_(30, "percent"), 0.3), (1, 1.0)]
)
def test_one_fraction_rule_accepts_numbers_and_percentages(value: Any, fraction: float) -> None:
    assert to_fraction(value, "x") == pytest.approx(fraction)


@pytest.mark.parametrize("value", [1.5, -0.1, "130 %", True, float("nan"), None, [0.2]])
def test_one_fraction_rule_refuses_values_outside_zero_to_one(value: Any) -> None:
    with pytest.raises(ValidationError, match="a fraction between 0 and 1"):
        to_fraction(value, "x")


def test_world_figures_and_instruments_accept_the_same_percentages() -> None:
    world = fullstack.reference_world().with_figure("CN.utilization", "25 %")
    assert world.economies["CN"].figure("utilization").value == 0.25
    fund = GuidanceFund(name="F", budget="5 GCNY", to_capacity="25 %", end=2030)
    assert fund.to_capacity == 0.25


def test_provenance_is_a_source_or_an_assumption() -> None:
    @attrs.frozen
    class Figure:
        source: Any = attrs.field(validator=check_provenance)

    assert Figure(fullstack.Assumption(reason="r")).source.reason == "r"
    with pytest.raises(ValidationError, match=r"Figure\.source: expected a Source or an"):
        Figure("a blog")


@pytest.mark.parametrize("years", [(-5, 2030), (2027.5, 2030), ("20x7", 2030)])
def test_milestone_years_follow_the_year_rule(years: tuple[Any, Any]) -> None:
    from fullstack.policy import AdoptionTarget

    with pytest.raises(ValidationError, match="whole years between 1900 and 2200") as info:
        AdoptionTarget(name="t", milestones=[(years[0], 0.5), (years[1], 0.9)])
    assert (info.value.cls, info.value.field) == (AdoptionTarget, "milestones")


def test_milestone_years_read_from_a_toml_table_are_accepted() -> None:
    from fullstack.policy import AdoptionTarget

    target = AdoptionTarget(name="t", milestones={"2027": 0.7, "2030": 0.9})
    assert target.milestones == ((2027, 0.7), (2030, 0.9))


@pytest.mark.parametrize(
    ("make", "where"),
    [
        (lambda: fullstack.Actor(name=" ", kind="firm", jurisdiction="CN"), "Actor.name"),
        (lambda: fullstack.Layer(id="x", name="X", description="", source="b"), "Layer.source"),
    ],
)
def test_catalog_entries_use_the_same_name_and_provenance_rules(make: Any, where: str) -> None:
    with pytest.raises(ValidationError) as info:
        make()
    assert str(info.value).startswith(f"{where}: expected a ")
    assert info.value.field == where.split(".")[1]


def test_source_dates_follow_the_year_rule() -> None:
    with pytest.raises(ValidationError, match="from 1900 to 2200, got '1066'") as info:
        fullstack.Source(title="Domesday Book", publisher="William I", date="1066")
    assert (info.value.cls, info.value.field) == (fullstack.Source, "date")


def test_exchange_rate_fields_carry_their_location() -> None:
    with pytest.raises(ValidationError) as info:
        fullstack.ExchangeRate(
            base="USD", quote="GBP", rate=1.2, date="2024", source=fullstack.Assumption(reason="r")
        )
    assert (info.value.cls, info.value.field) == (fullstack.ExchangeRate, "quote")
