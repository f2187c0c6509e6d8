"""fullstack.format_value: the one way numbers are shown to people, and it reads back."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import fullstack
from fullstack import Q_
from fullstack.testing import any_quantities, money, quantities
from fullstack.units import format_value


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Q_(3.5e11, "CNY/year"), "350 billion CNY/year"),
        (Q_(3.5e11, "CNY/a"), "350 billion CNY/year"),
        (Q_(1600.0000000000002, "GB/s"), "1.6 TB/s"),
        (Q_(6.4e6, "hbm_stack/year"), "6.4 million hbm_stack/year"),
        (Q_("344 GCNY"), "344 billion CNY"),
        (Q_(45_000, "wafer/month"), "45,000 wafer/month"),
        (Q_("0.5 GW"), "500 MW"),
        (Q_("0.36 CNY/kWh"), "0.36 CNY/kWh"),
        (Q_("4800 TPP"), "4,800 TPP"),
        (Q_("76005.66 H100e"), "76,006 H100e"),
        (Q_("-5 GCNY"), "-5 billion CNY"),
        (Q_("25 %"), "25 %"),
        (0.25, "0.25"),
        (np.float64(0.125), "0.125"),
        (2026, "2026"),
        (123_456, "123,456"),
        (None, "-"),
        ("text", "text"),
    ],
)
def test_values_read_as_people_write_them(value: Any, text: str) -> None:
    assert format_value(value) == text


def test_a_year_is_never_written_a() -> None:
    for unit in ("GW/year", "1/year", "CNY/a", "hbm_stack/yr"):
        assert "/a" not in format_value(Q_(2.0, unit))
        assert format_value(Q_(2.0, unit)).endswith("year")


def test_keep_unit_keeps_the_unit_asked_for() -> None:
    assert format_value(Q_("303214.069 H100e"), keep_unit=True) == "303,214 H100e"
    assert format_value(Q_("1979 TFLOP/s"), keep_unit=True) == "1,979 TFLOP/s"
    assert format_value(Q_("48.58 GUSD"), keep_unit=True) == "48.58 GUSD"


def _reads_back(q: Any, digits: int = 4) -> None:
    text = format_value(q, digits=digits)
    back = fullstack.Q_(text)
    assert back.dimensionality == q.dimensionality, text
    assert back.to(q.units).magnitude == pytest.approx(q.magnitude, rel=10 ** (1 - digits)), text


@given(
    st.one_of(
        quantities("GW", max_value=1e6),
        quantities("GB/s", max_value=1e6),
        quantities("EFLOP/s", max_value=1e6),
        quantities("wafer/month", max_value=1e9),
        quantities("hbm_stack/year", max_value=1e12),
        money(),
    )
)
def test_what_format_value_writes_reads_back_within_its_digits(q: Any) -> None:
    _reads_back(q)


@given(any_quantities(max_atoms=2))
def test_any_quantity_reads_back_with_its_dimension(q: Any) -> None:
    _reads_back(q)


def test_the_cli_shows_values_with_format_value(capsys: pytest.CaptureFixture[str]) -> None:
    from fullstack.cli import main

    assert main(["convert", "344 GCNY", "USD", "--year", "2023"]) == 0
    assert capsys.readouterr().out.strip() == "48.58 billion USD"
    assert main(["convert", "300 EFLOP/s", "H100e"]) == 0
    assert capsys.readouterr().out.strip() == "303,214 H100e"


@pytest.mark.parametrize(
    "value",
    [Q_(6.6e-301, "TWh"), Q_(6.6e-301, "1/TWh**2"), Q_(0.0, "W"), Q_(1e300, "CNY"), 1e300],
)
def test_extreme_values_are_written_readably(value: Any) -> None:
    text = format_value(value)
    assert len(text) < 40
    if hasattr(value, "units"):
        _reads_back(value)
