"""fullstack.testing: the public hypothesis strategies generate what they promise."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fullstack import (
    CURRENCIES,
    Assumption,
    Estimate,
    Precision,
    Quantity,
    Source,
    Throughput,
    currency_of,
    parse_unit,
)
from fullstack.testing import (
    any_quantities,
    assumptions,
    compatible_units,
    estimates,
    money,
    precisions,
    provenances,
    quantities,
    sources,
    throughputs,
    unit_expressions,
    wrong_dimension_quantities,
)

UNITS = ["GW", "EFLOP/s", "wafer/month", "GCNY", "TB/s", "TPP", "token", "mm**2"]


@pytest.mark.parametrize("unit", UNITS)
def test_compatible_units_share_the_dimension(unit: str) -> None:
    found = compatible_units(unit)
    assert found[0] == unit
    assert len(found) == len(set(found))
    for other in found:
        assert parse_unit(other).dimensionality == parse_unit(unit).dimensionality


@given(st.sampled_from(UNITS), st.data())
def test_quantities_have_the_requested_dimension_and_bounds(
    unit: str, data: st.DataObject
) -> None:
    q = data.draw(quantities(unit, min_value=1.0, max_value=1e6))
    assert isinstance(q, Quantity)
    assert q.dimensionality == parse_unit(unit).dimensionality
    assert 1.0 * (1 - 1e-9) <= q.to(unit).magnitude <= 1e6 * (1 + 1e-9)


@given(st.sampled_from(UNITS), st.data())
def test_quantities_in_the_unit_itself(unit: str, data: st.DataObject) -> None:
    q = data.draw(quantities(unit, any_compatible_unit=False))
    assert q.units == parse_unit(unit)


@given(st.sampled_from(UNITS), st.data())
def test_wrong_dimension_quantities_never_have_the_dimension(
    unit: str, data: st.DataObject
) -> None:
    q = data.draw(wrong_dimension_quantities(unit))
    assert q.dimensionality != parse_unit(unit).dimensionality


@given(st.lists(st.sampled_from(CURRENCIES), min_size=1, unique=True), st.data())
def test_money_is_in_one_of_the_currencies_asked_for(
    currencies: list[str], data: st.DataObject
) -> None:
    q = data.draw(money(tuple(currencies)))
    assert currency_of(q) in currencies
    assert q.dimensionality == parse_unit(currency_of(q)).dimensionality  # type: ignore[arg-type]


@given(unit_expressions())
def test_unit_expressions_parse(expression: str) -> None:
    parse_unit(expression)


@given(any_quantities())
def test_any_quantities_are_finite_and_non_negative(q: Quantity) -> None:
    assert 0 <= q.magnitude < float("inf")


@given(sources())
def test_sources_are_valid_sources(source: Source) -> None:
    assert isinstance(source, Source)
    assert source.publisher or source.authors


@given(assumptions())
def test_assumptions_are_valid(assumption: Assumption) -> None:
    assert isinstance(assumption, Assumption)
    assert assumption.reason.strip()


@given(provenances())
def test_provenances_are_sources_or_assumptions(p: Source | Assumption) -> None:
    assert isinstance(p, Source | Assumption)


@given(st.sampled_from(["W", "TFLOP/s", None]), st.data())
def test_estimates_are_ordered_and_in_the_unit(unit: str | None, data: st.DataObject) -> None:
    e = data.draw(estimates(unit))
    assert isinstance(e, Estimate)
    if unit is None:
        assert isinstance(e.value, float)
    else:
        assert e.value.dimensionality == parse_unit(unit).dimensionality
    if e.low is not None:
        assert e.low <= e.value
    if e.high is not None:
        assert e.value <= e.high


@given(st.data())
def test_throughputs_have_the_requested_precision(data: st.DataObject) -> None:
    precision = data.draw(precisions())
    assert isinstance(precision, Precision)
    t = data.draw(throughputs(precision, max_value=1e18))
    assert isinstance(t, Throughput)
    assert t.precision is precision
    assert t.value.to("FLOP/s").magnitude <= 1e18 * (1 + 1e-9)
