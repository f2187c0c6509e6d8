"""The field helpers: quantity_field, money_field and fraction_field on a small attrs class.

Every rejection must be a fullstack error whose message names the class, the field, what was
expected and what was given.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fullstack import (
    CURRENCIES,
    Q_,
    DimensionError,
    FullstackError,
    MissingUnitError,
    Quantity,
    UnitError,
    UnknownUnitError,
    ValidationError,
    currency_of,
    format_quantity,
    fraction_field,
    money_field,
    parse_unit,
    quantity_field,
)
from fullstack.testing import any_quantities, money, quantities, wrong_dimension_quantities


@attrs.frozen(kw_only=True)
class Campus:
    power: Quantity = quantity_field("MW")
    starts: Quantity = quantity_field("wafer/month", positive=True)
    change: Quantity = quantity_field("FLOP/s", nonnegative=False)
    capex: Quantity = money_field()
    price: Quantity | None = money_field(per="kWh", optional=True)
    share: float = fraction_field(default=0.2)


VALID: dict[str, Any] = {
    "power": "1 MW",
    "starts": "1 wafer/month",
    "change": "1 FLOP/s",
    "capex": "1 USD",
}

# field: (its unit, how the dimension is named in messages), written out here on purpose.
QUANTITY_FIELDS = {
    "power": ("MW", "a power"),
    "starts": ("wafer/month", "a wafer throughput"),
    "change": ("FLOP/s", "a compute throughput"),
}
MONEY_FIELDS = {"capex": "USD", "price": "USD/kWh"}


def build(**changes: Any) -> Campus:
    return Campus(**(VALID | changes))


def rejection(field: str, value: Any, error: type[Exception]) -> str:
    """The message of the error that building a Campus with ``field=value`` raises."""
    with pytest.raises(error) as info:
        build(**{field: value})
    message = str(info.value)
    assert f"Campus.{field}" in message
    assert "expected" in message
    assert "<Quantity" not in message
    return message


# --- what they accept ----------------------------------------------------------------------------


def test_fields_accept_quantities_and_text_and_convert() -> None:
    campus = build(power="1.2 GW", starts=Q_(45, "kwafer/month"), capex="10 GCNY")
    assert campus.power.units == parse_unit("MW")
    assert campus.power.magnitude == pytest.approx(1200)
    assert campus.starts.magnitude == pytest.approx(45_000)
    assert campus.capex == Q_(10, "GCNY")  # money keeps its currency
    assert campus.price is None
    assert campus.share == 0.2
    assert build(price="0.35 CNY/kWh").price == Q_(0.35, "CNY/kWh")
    assert build(share="30 %").share == pytest.approx(0.3)
    assert build(share=Q_(0.5, "dimensionless")).share == 0.5
    assert build(change="-5 PFLOP/s").change == Q_(-5e15, "FLOP/s")


def test_convert_false_keeps_the_units_given() -> None:
    @attrs.frozen
    class Raw:
        power: Quantity = quantity_field("W", convert=False)

    assert Raw("5 GW").power.units == parse_unit("GW")


@given(quantities("MW", max_value=1e9))
def test_any_compatible_unit_is_stored_in_the_field_unit(q: Quantity) -> None:
    power = build(power=q).power
    assert power.units == parse_unit("MW")
    assert power.magnitude == pytest.approx(q.to("MW").magnitude, rel=1e-9)


@given(money())
def test_money_field_accepts_every_currency_as_given(q: Quantity) -> None:
    assert build(capex=q).capex is q


# --- wrong dimensions ----------------------------------------------------------------------------


@given(st.sampled_from(sorted(QUANTITY_FIELDS)), st.data())
def test_quantity_fields_reject_every_wrong_dimension(field: str, data: st.DataObject) -> None:
    unit, name = QUANTITY_FIELDS[field]
    q = data.draw(wrong_dimension_quantities(unit))
    for value in (q, format_quantity(q)):
        message = rejection(field, value, DimensionError)
        assert f"{name} (convertible to {unit})" in message
        assert str(to_shown(value)) in message


def to_shown(value: Any) -> Quantity:
    return Q_(value) if isinstance(value, str) else value


def _not_money(q: Quantity) -> bool:
    return q.dimensionality not in {parse_unit(c).dimensionality for c in CURRENCIES}


@given(any_quantities().filter(_not_money))
def test_money_field_rejects_every_dimension_that_is_not_money(q: Quantity) -> None:
    message = rejection("capex", q, DimensionError)
    assert "an amount of money in USD, CNY, EUR" in message
    assert str(q) in message


@given(any_quantities())
def test_price_field_rejects_everything_but_money_per_energy(q: Quantity) -> None:
    per_energy = {(parse_unit(c) / parse_unit("J")).dimensionality for c in CURRENCIES}
    if q.dimensionality in per_energy:
        assert currency_of(build(price=q).price) is not None
    else:
        message = rejection("price", q, DimensionError)
        assert "an amount of money per kWh" in message


@given(any_quantities().filter(lambda q: not q.dimensionless))
def test_fraction_field_rejects_every_dimension(q: Quantity) -> None:
    message = rejection("share", q, DimensionError)
    assert "a fraction between 0 and 1" in message
    assert str(q) in message


# --- bare numbers --------------------------------------------------------------------------------

bare_numbers = (
    st.integers(-(10**9), 10**9)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.floats(allow_nan=False, allow_infinity=False).map(np.float64)
    | st.integers(-(2**31), 2**31 - 1).map(np.int64)
)


@given(st.sampled_from(sorted(QUANTITY_FIELDS) + sorted(MONEY_FIELDS)), bare_numbers)
def test_bare_numbers_are_missing_units(field: str, number: Any) -> None:
    unit = QUANTITY_FIELDS[field][0] if field in QUANTITY_FIELDS else MONEY_FIELDS[field]
    message = rejection(field, number, MissingUnitError)
    plain = repr(number.item() if isinstance(number, np.generic) else number)
    assert f"the bare number {plain};" in message
    assert f"e.g. '{plain} {unit}'" in message


@given(st.floats(min_value=0, max_value=1) | st.sampled_from([0, 1]))
def test_fraction_field_takes_bare_numbers_between_0_and_1(number: float) -> None:
    assert build(share=number).share == number


@given(st.floats(allow_nan=False).filter(lambda x: not 0 <= x <= 1))
def test_fraction_field_rejects_numbers_outside_0_to_1(number: float) -> None:
    message = rejection("share", number, ValidationError)
    assert repr(number) in message


@pytest.mark.parametrize("field", ["power", "capex", "share"])
def test_booleans_are_not_numbers(field: str) -> None:
    rejection(field, True, ValidationError)


# --- NaN, infinities, signs ----------------------------------------------------------------------


@given(
    st.sampled_from(sorted(QUANTITY_FIELDS) + sorted(MONEY_FIELDS)),
    st.sampled_from([math.nan, math.inf, -math.inf]),
    st.booleans(),
)
def test_nan_and_infinity_are_refused(field: str, magnitude: float, as_text: bool) -> None:
    unit = QUANTITY_FIELDS[field][0] if field in QUANTITY_FIELDS else MONEY_FIELDS[field]
    q = Q_(magnitude, unit)
    message = rejection(field, format_quantity(q) if as_text else q, ValidationError)
    assert "finite" in message
    assert str(q) in message


@pytest.mark.parametrize("value", [math.nan, math.inf, "nan %", "inf %"])
def test_fraction_field_refuses_nan_and_infinity(value: Any) -> None:
    rejection("share", value, ValidationError)


@given(
    st.sampled_from(["power", "starts", "capex", "price"]),
    st.floats(max_value=-1e-300, allow_infinity=False),
)
def test_negative_values_are_refused_where_not_allowed(field: str, magnitude: float) -> None:
    unit = {"power": "MW", "starts": "wafer/month", "capex": "USD", "price": "USD/kWh"}[field]
    q = Q_(magnitude, unit)
    message = rejection(field, q, ValidationError)
    assert "non-negative" in message or "positive" in message
    assert str(q) in message


def test_positive_fields_refuse_zero() -> None:
    message = rejection("starts", "0 wafer/month", ValidationError)
    assert "a positive value" in message
    assert "0.0 wafer/month" in message


@given(st.floats(max_value=0, allow_nan=False, allow_infinity=False))
def test_signed_fields_accept_negatives(magnitude: float) -> None:
    assert build(change=Q_(magnitude, "FLOP/s")).change.magnitude == magnitude


def test_arrays_are_checked_element_by_element() -> None:
    assert list(build(power=Q_(np.array([1.0, 2.0]), "GW")).power.magnitude) == [1000, 2000]
    message = rejection("power", Q_(np.array([1.0, -1.0]), "MW"), ValidationError)
    assert "non-negative" in message
    with pytest.raises(MissingUnitError) as info:
        build(power=np.array([1.0, 2.0]))
    assert "Q_([1.0, 2.0], 'MW')" in str(info.value)


# --- unknown units, at definition and in values ------------------------------------------------


def test_unknown_units_in_values_name_the_field() -> None:
    with pytest.raises(UnknownUnitError) as info:
        build(power="5 GWatt")
    assert info.value.where == "Campus.power"
    assert "Gwatt" in str(info.value)
    with pytest.raises(UnitError, match=r"Campus\.power: cannot parse unit"):
        build(power="5 GW /")


def test_fields_with_bad_units_fail_when_the_class_is_defined() -> None:
    with pytest.raises(UnknownUnitError):
        quantity_field("GWatt")
    with pytest.raises(UnitError):
        quantity_field("GW /")
    with pytest.raises(UnitError):
        money_field(per="(kWh")


def test_every_rejection_is_a_fullstack_error() -> None:
    for field, value in [("power", 5), ("power", "5 s"), ("power", "-5 MW"), ("share", 2)]:
        with pytest.raises(FullstackError):
            build(**{field: value})
