"""fullstack.money: exchange rates with dates and sources, the default table, conversions."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fullstack import (
    CURRENCIES,
    Q_,
    Assumption,
    Confidence,
    ExchangeRate,
    ExchangeRates,
    Source,
    UnknownNameError,
    ValidationError,
    convert_currency,
    currency_of,
    exchange_rates,
    parse_unit,
)
from fullstack.testing import money

TABLE = exchange_rates()
PLANNING = ExchangeRate(
    base="USD", quote="CNY", rate=7.2, date="2025", source=Assumption(reason="Planning rate.")
)


# --- the default table ---------------------------------------------------------------------------


def test_every_rate_of_the_default_table_has_a_published_source() -> None:
    assert len(TABLE) > 0
    for rate in TABLE:
        assert isinstance(rate.source, Source), rate
        assert rate.source.url
        assert rate.source.url.startswith("https://")
        assert rate.source.publisher
        assert rate.source.date
        assert rate.kind == "annual average"
    assert set(TABLE.sources()) == {r.source for r in TABLE}


def test_the_default_table_holds_the_federal_reserve_g5a_rates() -> None:
    # Federal Reserve G.5A annual averages: CNY per USD, USD per EUR.
    assert TABLE.get("USD", "CNY", 2023).rate == 7.0809
    assert TABLE.get("USD", "CNY", 2017).rate == 6.7569
    assert TABLE.get("EUR", "USD", 2022).rate == 1.0534
    assert TABLE.years("USD", "CNY") == list(range(2017, 2026))


def test_convert_currency_uses_the_year_average() -> None:
    assert convert_currency("344 GCNY", "USD", year=2023).magnitude == pytest.approx(344 / 7.0809)
    assert convert_currency("344 GCNY", "USD", year=2023).units == parse_unit("GUSD")
    assert convert_currency("1 GEUR", "CNY", year=2023).magnitude == pytest.approx(1.0817 * 7.0809)
    assert convert_currency("5 USD", "USD", year=2023) == Q_("5 USD")


def test_a_year_is_required() -> None:
    with pytest.raises(TypeError):
        convert_currency("1 USD", "CNY")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        TABLE.convert("1 USD", "CNY")  # type: ignore[call-arg]


@st.composite
def conversions(draw: st.DrawFn) -> tuple[Any, str, int]:
    src, dst = draw(st.lists(st.sampled_from(CURRENCIES), min_size=2, max_size=2, unique=True))
    amount = draw(money((src,), max_value=1e12))
    return amount, dst, draw(st.sampled_from(TABLE.years(src, dst)))


@given(conversions())
def test_exchange_rate_conversions_round_trip(case: tuple[Any, str, int]) -> None:
    amount, dst, year = case
    there = convert_currency(amount, dst, year=year)
    assert currency_of(there) == dst
    back = convert_currency(there, currency_of(amount), year=year)  # type: ignore[arg-type]
    assert back.units == amount.units
    assert back.magnitude == pytest.approx(amount.magnitude, rel=1e-12, abs=1e-300)


@given(st.sampled_from(CURRENCIES), st.sampled_from(CURRENCIES), st.sampled_from([2017, 2023]))
def test_rates_either_way_round_are_inverses(src: str, dst: str, year: int) -> None:
    if src == dst:
        with pytest.raises(ValidationError):
            TABLE.get(src, dst, year)
        return
    there, back = TABLE.get(src, dst, year), TABLE.get(dst, src, year)
    assert (there.base, there.quote) == (src, dst)
    assert there.rate * back.rate == pytest.approx(1)


def test_a_cross_rate_is_an_assumption_listing_each_source_once() -> None:
    cross = TABLE.get("EUR", "CNY", 2023)
    assert isinstance(cross.source, Assumption)
    assert "through USD" in cross.source.reason
    assert len(cross.source.basis) == len(set(cross.source.basis)) == 1
    assert cross.rate == pytest.approx(1.0817 * 7.0809)


# --- years the table does not have ---------------------------------------------------------------


def test_a_later_year_says_what_the_table_covers_and_how_to_carry_forward() -> None:
    with pytest.raises(UnknownNameError) as info:
        convert_currency("1 USD", "CNY", year=2030)
    message = str(info.value)
    assert message.startswith("no USD/CNY rate for 2030; the table covers 2017–2025; ")
    assert "carry_forward=True to use 2025's rate as an explicit assumption" in message
    assert isinstance(info.value, LookupError)


def test_an_earlier_year_does_not_suggest_carrying_forward() -> None:
    with pytest.raises(UnknownNameError) as info:
        TABLE.get("CNY", "USD", 2010)
    assert str(info.value).startswith("no CNY/USD rate for 2010; the table covers 2017–2025")
    assert "carry_forward" not in str(info.value)


def test_a_table_without_the_pair_says_so() -> None:
    with pytest.raises(UnknownNameError, match="the table has no USD/EUR rates"):
        convert_currency("1 USD", "EUR", year=2023, rates=[PLANNING])


def test_a_gap_in_a_table_is_not_written_as_a_range() -> None:
    table = ExchangeRates(
        [attrs.evolve(PLANNING, date="2020"), attrs.evolve(PLANNING, date="2022")]
    )
    with pytest.raises(UnknownNameError, match="the table covers 2020, 2022;"):
        table.get("USD", "CNY", 2021)


def test_carrying_forward_is_an_explicit_low_confidence_assumption() -> None:
    carried = TABLE.get("USD", "CNY", 2030, carry_forward=True)
    assert carried.rate == 7.1875
    assert carried.date == "2030"
    assert isinstance(carried.source, Assumption)
    assert carried.source.confidence is Confidence.LOW
    assert carried.source.basis == (TABLE.get("USD", "CNY", 2025).source,)
    cross = TABLE.get("EUR", "CNY", 2030, carry_forward=True)
    assert all(isinstance(s, Source) for s in cross.source.basis)  # type: ignore[union-attr]
    assert cross.source.basis  # type: ignore[union-attr]


def test_unknown_currencies_are_unknown_names() -> None:
    with pytest.raises(UnknownNameError, match="unknown currency 'GBP'"):
        convert_currency("1 USD", "GBP", year=2023)


# --- ExchangeRate --------------------------------------------------------------------------------


def test_an_exchange_rate_keeps_prefixes_and_other_units() -> None:
    assert PLANNING.convert("720 CNY") == Q_(100, "USD")
    assert PLANNING.convert("1 GUSD") == Q_(7.2, "GCNY")
    price = PLANNING.convert("0.36 CNY/kWh")
    assert price.units == parse_unit("USD/kWh")
    assert price.magnitude == pytest.approx(0.05)
    per_money = PLANNING.convert(Q_(1, "kWh/CNY"))  # kWh per yuan: the rate divides
    assert per_money.units == parse_unit("kWh/USD")
    assert per_money.magnitude == pytest.approx(7.2)


def test_an_exchange_rate_refuses_what_is_not_its_money() -> None:
    with pytest.raises(ValidationError) as info:
        PLANNING.convert(Q_("5 MW"))
    assert "5.0 MW" in str(info.value)
    with pytest.raises(ValidationError):
        PLANNING.convert("5 EUR")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"base": "GBP"}, "ExchangeRate.base"),
        ({"quote": "USD"}, "ExchangeRate.quote"),
        ({"rate": 0}, "ExchangeRate.rate"),
        ({"rate": float("nan")}, "ExchangeRate.rate"),
        ({"rate": True}, "ExchangeRate.rate"),
        ({"date": "mid-2025"}, "Source.date"),
    ],
)
def test_exchange_rates_check_their_fields(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        attrs.evolve(PLANNING, **changes)
    assert str(info.value).startswith(f"{field}: expected")


def test_a_table_holds_each_pair_and_year_once() -> None:
    with pytest.raises(ValidationError, match="at most one rate per currency pair and year"):
        ExchangeRates([PLANNING, PLANNING.inverse()])
    with pytest.raises(ValidationError):
        ExchangeRates(["7.2"])  # type: ignore[list-item]


# --- the rates file: every problem, with its place ---------------------------------------------


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        (5, ["expected a table, got 5"]),
        ({"rates": 3}, ["rates: expected an array, got 3"]),
        (
            {"rates": [{"base": "USD"}]},
            [
                "rates[0].quote: missing (RatesBlock needs it)",
                "rates[0].rates: missing (RatesBlock needs it)",
                "rates[0].source: missing (RatesBlock needs it)",
            ],
        ),
        (
            {
                "sources": {"s": {"title": "t", "publisher": "p"}, "bad": {"bogus": 1}},
                "rates": [
                    {"base": "USD", "quote": "CNY", "source": "s", "rates": {"2020": "x"}},
                    {"base": "USD", "quote": "CNY", "source": "nope", "rates": {}},
                    {"base": "USD", "quote": "CNY", "source": "s", "rates": 7.1},
                ],
            },
            [
                "sources.bad.bogus: unknown key for Source",
                "sources.bad.title: missing",
                "sources.bad.publisher: missing",
                'rates[0].rates["2020"]: expected a number, got "x"',
                'rates[1].source: unknown source "nope"',
                "rates[2].rates: expected a table, got 7.1",
            ],
        ),
    ],
)
def test_a_bad_rates_file_reports_every_problem_with_its_path(
    data: Any, problems: list[str]
) -> None:
    from fullstack import FileFormatError
    from fullstack.money import ExchangeRates

    with pytest.raises(FileFormatError) as info:
        ExchangeRates.from_toml(data, path="rates.toml")
    assert info.value.path == "rates.toml"
    assert len(info.value.problems) == len(problems)
    for problem, expected in zip(info.value.problems, problems, strict=True):
        assert str(problem).startswith(expected)
