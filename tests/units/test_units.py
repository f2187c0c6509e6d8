"""fullstack.units: the registry, the custom units, parsing and the errors of quantities."""

from __future__ import annotations

import importlib
import math
import multiprocessing
import operator
import pickle
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pint
import pytest

import fullstack
from fullstack import (
    Q_,
    CurrencyError,
    DimensionError,
    MissingUnitError,
    UnitError,
    UnknownUnitError,
    ValidationError,
    currency_of,
    describe_dimension,
    format_quantity,
    parse_quantity,
    parse_unit,
    to_quantity,
    ureg,
)
from fullstack.units import check_quantity


def dim(text: str) -> object:
    return parse_unit(text).dimensionality


# --- the registry --------------------------------------------------------------------------------


def test_the_registry_is_pint_application_registry() -> None:
    assert pint.get_application_registry().get() is ureg
    assert fullstack.ureg is ureg
    assert isinstance(Q_("1 W"), fullstack.Quantity)
    assert isinstance(parse_unit("W"), fullstack.Unit)


def test_quantities_pickle_within_the_process() -> None:
    q = Q_("300 EFLOP/s")
    copy = pickle.loads(pickle.dumps(q))
    assert copy == q
    assert copy.units == q.units


def test_quantities_cross_into_a_spawned_worker_that_imports_fullstack() -> None:
    # The recipe of docs/units.md: a "spawn" worker imports fullstack in its initializer.
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=importlib.import_module,
        initargs=("fullstack",),
    ) as pool:
        doubled = pool.submit(operator.mul, Q_("300 EFLOP/s"), 2).result()
    assert doubled == Q_(600, "EFLOP/s")


# --- FLOP and information ----------------------------------------------------------------------


def test_flop_is_its_own_dimension() -> None:
    assert dict(dim("FLOP")) == {"[computation]": 1}
    assert dim("OP") == dim("FLOP")
    assert Q_("1 OP").to("FLOP").magnitude == 1


@pytest.mark.parametrize("target", ["Hz", "bit", "byte", "dimensionless", "1/s", "W", "J"])
def test_flop_does_not_convert_to_other_dimensions(target: str) -> None:
    with pytest.raises(DimensionError):
        Q_("1 FLOP").to(target)


@pytest.mark.parametrize("target", ["Hz", "1/s", "bit/s", "W"])
def test_flop_per_second_is_not_a_frequency(target: str) -> None:
    with pytest.raises(DimensionError):
        Q_("1 EFLOP/s").to(target)


def test_flop_cannot_be_added_to_bytes_or_numbers() -> None:
    with pytest.raises(DimensionError):
        Q_("1 FLOP") + Q_("1 byte")
    with pytest.raises(DimensionError):
        Q_("1 FLOP") + 1


def test_300_eflop_per_second_parses() -> None:
    q = Q_("300 EFLOP/s")
    assert q.magnitude == 300
    assert q.dimensionality == dim("FLOP") / dim("s")
    assert q.to("FLOP/s").magnitude == pytest.approx(300 * 10**18)
    assert Q_("300 EFLOPS") == q  # upper-case S: per second
    assert Q_("3 EFLOPs").dimensionality == dim("FLOP")  # lower-case s: a plural amount


def test_bits_and_bytes_are_information() -> None:
    assert dict(dim("bit")) == {"[information]": 1}
    assert Q_("1 byte").to("bit").magnitude == 8
    assert Q_("1 GB").to("bit").magnitude == pytest.approx(8e9)
    with pytest.raises(DimensionError):
        Q_("1 GB/s").to("Hz")


def test_b_is_bit_and_barn_keeps_its_name() -> None:
    assert parse_unit("b") == parse_unit("bit")
    assert format_quantity(Q_(1.5, "barn")) == "1.5 barn"
    assert parse_quantity(format_quantity(Q_(1.5, "barn"))) == Q_(1.5, "barn")


def test_tpp_is_bit_times_tera_operations_per_second() -> None:
    assert Q_("1 TPP").to("bit * OP / s").magnitude == pytest.approx(1e12)
    # BIS's example: 600 tera integer operations per second at 8 bits meets 4800.
    assert (Q_("600 TOPS") * Q_("8 bit")).to("TPP").magnitude == pytest.approx(4800)


def test_h100e_is_989_4_tflop_per_second() -> None:
    assert Q_("1 H100e").to("TFLOP/s").magnitude == pytest.approx(989.4)
    assert Q_("300 EFLOP/s").to("H100e").magnitude == pytest.approx(300e18 / 989.4e12)


# --- things counted ------------------------------------------------------------------------------


def test_wafer_per_month_reads_naturally() -> None:
    starts = Q_("45000 wafer/month")
    assert starts.dimensionality == dim("wafer") / dim("s")
    assert format_quantity(starts) == "45000.0 wafer/month"
    assert (starts * Q_("12 month")).to("wafer").magnitude == pytest.approx(540_000)
    assert describe_dimension(starts.dimensionality) == "a wafer throughput"
    assert Q_("45 kwafer/month") == starts


def test_counted_things_are_distinct_dimensions() -> None:
    things = ["wafer", "die", "chip", "hbm_stack", "token"]
    for i, a in enumerate(things):
        for b in things[i + 1 :]:
            with pytest.raises(DimensionError):
                Q_(1, a).to(b)
    assert dim("accelerator") == dim("chip") == dim("package")
    dies = Q_("60 die/wafer") * Q_("45000 wafer/month")
    assert dies.dimensionality == dim("die") / dim("s")


# --- currencies ---------------------------------------------------------------------------------


def test_each_currency_is_its_own_dimension() -> None:
    assert len({dim(c) for c in fullstack.CURRENCIES}) == len(fullstack.CURRENCIES)
    assert dim("RMB") == dim("yuan") == dim("CNY")
    assert currency_of(Q_("0.35 CNY/kWh")) == "CNY"
    assert currency_of(Q_("5 GW")) is None
    assert currency_of(5) is None


@pytest.mark.parametrize(
    "attempt",
    [
        lambda: Q_("1 USD") + Q_("1 CNY"),
        lambda: Q_("1 USD") - Q_("1 CNY"),
        lambda: Q_("1 USD") < Q_("1 CNY"),
        lambda: Q_("1 USD") >= Q_("1 EUR"),
        lambda: Q_("344 GCNY").to("GUSD"),
        lambda: Q_("0.35 CNY/kWh").to("USD/kWh"),
    ],
)
def test_mixing_currencies_raises_currency_error(attempt: object) -> None:
    with pytest.raises(CurrencyError) as info:
        attempt()  # type: ignore[operator]
    message = str(info.value)
    assert info.value.given_currency in message
    assert info.value.expected_currency in message
    assert {info.value.given_currency, info.value.expected_currency} <= set(fullstack.CURRENCIES)
    assert "convert_currency" in message
    assert "year=<year>" in message
    assert "2023" not in message


def test_currency_error_names_the_currencies_involved() -> None:
    with pytest.raises(CurrencyError) as info:
        Q_("1 GEUR") + Q_("7 GCNY")
    assert (info.value.expected_currency, info.value.given_currency) == ("EUR", "CNY")
    assert "'EUR'" in str(info.value)


def test_money_mixed_with_something_else_is_a_plain_dimension_error() -> None:
    for attempt in (lambda: Q_("1 USD") + Q_("1 W"), lambda: Q_("1 USD") + 5):
        with pytest.raises(DimensionError) as info:
            attempt()
        assert not isinstance(info.value, CurrencyError)


def test_equality_across_currencies_is_false_not_an_error() -> None:
    assert (Q_("1 USD") == Q_("1 CNY")) is False


def test_comparing_a_quantity_with_a_bare_number_is_a_dimension_error() -> None:
    with pytest.raises(DimensionError, match="bare number 5"):
        Q_("1 MW") < 5  # noqa: B015


# --- parsing -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("GW /", "ends with the operator '/'"),
        ("1/", "ends with the operator '/'"),
        ("GW**", "ends with the operator '**'"),
        ("GW *", "ends with the operator '*'"),
        ("(GW", "'(' without its ')'"),
        ("GW)", "')' without its '('"),
        ("GW/(s", "'(' without its ')'"),
        ("/s", "starts with the operator '/'"),
        ("GW, MW", "unexpected character ','"),
        ("GW == 1", "unexpected character '='"),
        ('"GW"', "unexpected character '\"'"),
        ("GW ** x", "not a unit expression"),
        ("()", "not a unit expression"),
    ],
)
def test_malformed_unit_expressions_raise_unit_error(text: str, problem: str) -> None:
    with pytest.raises(UnitError) as info:
        parse_unit(text, where="Fab.capacity")
    assert type(info.value) is UnitError
    message = str(info.value)
    assert message.startswith(f"Fab.capacity: cannot parse unit {text.strip()!r}")
    assert problem in message
    with pytest.raises(UnitError):
        Q_(f"5 {text}")


@pytest.mark.parametrize(
    ("text", "suggestion"), [("GWatt", "Gwatt"), ("gw", "GW"), ("EFLOPz", "EFLOP")]
)
def test_unknown_units_come_with_suggestions(text: str, suggestion: str) -> None:
    with pytest.raises(UnknownUnitError) as info:
        Q_(f"5 {text}")
    assert info.value.unit == text
    assert suggestion in info.value.suggestions
    assert repr(suggestion) in str(info.value)


def test_parse_quantity_reads_numbers_as_written() -> None:
    assert parse_quantity("45_000 wafer/month").magnitude == 45000
    assert parse_quantity("-1.5e3 CNY/kWh").magnitude == -1500
    assert parse_quantity("4.8e3 TPP") == Q_(4800, "TPP")
    assert math.isnan(parse_quantity("nan W").magnitude)
    assert parse_quantity("inf W").magnitude == math.inf
    assert parse_quantity("3") == Q_(3, "dimensionless")


def test_empty_text_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="empty string"):
        parse_quantity("   ", where="Fab.capacity")


def test_to_quantity_refuses_bare_numbers_and_other_types() -> None:
    for number in (5, 5.0, np.float64(5.0), np.int32(5), np.array([1.0, 2.0])):
        with pytest.raises(MissingUnitError):
            to_quantity(number)
    for other in (True, None, [1, 2], object()):
        with pytest.raises(ValidationError):
            to_quantity(other)


def test_to_quantity_rereads_quantities_of_another_registry() -> None:
    other = pint.UnitRegistry()
    q = to_quantity(other.Quantity(5, "GW"))
    assert q._REGISTRY is ureg
    assert q == Q_("5 GW")


def test_format_quantity_refuses_arrays_and_shows_them_as_text() -> None:
    with pytest.raises(ValidationError) as info:
        format_quantity(Q_(np.array([1.0, 2.0]), "W"))
    assert "<Quantity" not in str(info.value)
    assert "W" in str(info.value)


def test_describe_dimension_names_known_dimensions_and_falls_back() -> None:
    assert describe_dimension(dim("GW")) == "a power"
    assert describe_dimension(dim("EFLOP/s")) == "a compute throughput"
    assert describe_dimension(dim("GCNY")) == "an amount of money in CNY"
    assert describe_dimension(dim("wafer * kg")) == "a mass times number of wafers"


@pytest.mark.parametrize(
    ("unit", "words"),
    [
        ("GW/year", "a power per unit of time"),
        ("hbm_stack/year", "a number of HBM stacks per unit of time"),
        ("USD/FLOP", "an amount of money in USD per amount of computation"),
        ("K * A", "a quantity in A·K"),
    ],
)
def test_dimensions_without_a_name_are_described_in_words_not_pint_brackets(
    unit: str, words: str
) -> None:
    assert describe_dimension(dim(unit)) == words


def test_a_dimension_error_names_the_dimension_in_words() -> None:
    with pytest.raises(DimensionError) as info:
        check_quantity("5 GW", "GW/year", where="Build.power_per_year")
    message = str(info.value)
    assert "a power per unit of time (convertible to GW/year)" in message
    assert "(a power)" in message
    assert "[" not in message


@pytest.mark.parametrize(
    ("text", "magnitude", "unit"),
    [
        ("350 billion CNY/year", 3.5e11, "CNY/year"),
        ("6.4 million hbm_stack/year", 6.4e6, "hbm_stack/year"),
        ("1.2 trillion USD", 1.2e12, "USD"),
        ("5 thousand chip", 5000.0, "chip"),
        ("45,000 wafer/month", 45000.0, "wafer/month"),
        ("1,234,567.5 W", 1234567.5, "W"),
    ],
)
def test_the_librarys_display_forms_parse_back(text: str, magnitude: float, unit: str) -> None:
    q = Q_(text)
    assert q.units == parse_unit(unit)
    assert q.magnitude == pytest.approx(magnitude, rel=1e-15)


@pytest.mark.parametrize("text", ["1,2 GW", "5 GW, 3 MW", "12,34 W"])
def test_commas_that_are_not_thousands_separators_are_refused(text: str) -> None:
    with pytest.raises(UnitError):
        Q_(text)


def test_a_year_is_written_as_year_and_still_read_as_a_and_yr() -> None:
    assert f"{Q_('350 GCNY/year').units:~P}" == "GCNY/year"
    assert format_quantity(Q_(2.5e6, "USD/a")) == "2500000.0 USD/year"
    for text in ("1 year", "1 yr", "1 a", "1 years", "1 julian_year"):
        assert Q_(text).to("day").magnitude == pytest.approx(365.25)
