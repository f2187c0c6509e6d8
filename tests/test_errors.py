"""fullstack.errors: the documented tree, the messages, and pickling."""

from __future__ import annotations

import builtins as builtins_module
import importlib
import pickle
import re
import sys
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest

import fullstack
from fullstack import (
    Q_,
    CurrencyError,
    DimensionError,
    FileFormatError,
    FullstackError,
    MissingUnitError,
    PrecisionError,
    Problem,
    Quantity,
    UnitError,
    UnknownNameError,
    UnknownUnitError,
    ValidationError,
    convert_currency,
    quantity_field,
)

DOCS = Path(__file__).resolve().parents[1] / "docs" / "errors.md"
TREE_LINE = re.compile(r"^(?P<indent>[│ ]*)[└├]── (?P<name>\w+)(?: \((?P<builtins>[\w, ]+)\))?")


def documented_tree(text: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    """``{class: (parent, extra built-in bases)}`` from a drawn tree such as the docstring's."""
    block = text[text.index("Exception\n└── FullstackError") :]
    tree: dict[str, tuple[str, tuple[str, ...]]] = {}
    parents = ["Exception"]
    for line in block.splitlines()[1:]:
        match = TREE_LINE.match(line)
        if match is None:
            break
        depth = len(match["indent"]) // 4
        parents = [*parents[: depth + 1], match["name"]]
        builtins = tuple(b.strip() for b in (match["builtins"] or "").split(",") if b.strip())
        tree[match["name"]] = (parents[-2], builtins)
    return tree


def test_the_tree_in_the_docs_is_the_tree_in_the_docstring() -> None:
    from_docstring = documented_tree(fullstack.errors.__doc__ or "")
    assert documented_tree(DOCS.read_text(encoding="utf-8")) == from_docstring
    assert len(from_docstring) == len(fullstack.errors.__all__) - 1  # all but Problem


def test_every_error_is_a_subclass_of_what_the_tree_says() -> None:
    tree = documented_tree(fullstack.errors.__doc__ or "")
    for name, (parent, builtins) in tree.items():
        cls = getattr(fullstack, name)
        assert issubclass(cls, getattr(fullstack, parent, Exception)), name
        for builtin in builtins:
            assert issubclass(cls, getattr(builtins_module, builtin)), name


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (UnitError, ValueError),
        (UnknownUnitError, LookupError),
        (UnknownUnitError, ValueError),
        (MissingUnitError, ValueError),
        (DimensionError, TypeError),
        (CurrencyError, DimensionError),
        (PrecisionError, TypeError),
        (ValidationError, ValueError),
        (UnknownNameError, LookupError),
        (FileFormatError, ValueError),
    ],
)
def test_errors_are_caught_by_the_builtin_a_caller_would_use(cls: type, builtin: type) -> None:
    assert issubclass(cls, FullstackError)
    assert issubclass(cls, builtin)


EXAMPLES: list[FullstackError] = [
    FullstackError("plain message"),
    UnitError("cannot parse unit 'GW /'"),
    UnknownUnitError("GWatt", ["Gwatt"], where="Campus.power"),
    MissingUnitError("Campus.power", "a power (convertible to MW)", 5),
    MissingUnitError("Fund.size", "an amount of money", np.float64(2.5), unit="GUSD"),
    DimensionError("addition", "a power like 1 MW", "1 s (a time)"),
    CurrencyError("addition", "money in USD", "1 CNY", "USD", "CNY"),
    PrecisionError("addition", "FP8", "BF16"),
    PrecisionError("H100-equivalents", "FP8", "BF16", required=True),
    ValidationError("Campus.power", "a non-negative value", Q_("-5 MW")),
    UnknownNameError("currency", "GBP", ["USD"], 3),
    UnknownNameError("USD/CNY exchange rate", "2030", detail="no USD/CNY rate for 2030"),
    FileFormatError("s.toml", [Problem("a.b", "bad"), Problem("c", "worse")]),
]


def _fields(error: Exception) -> dict[str, Any]:
    return {k: v for k, v in vars(error).items() if not k.startswith("_")}


@pytest.mark.parametrize("error", EXAMPLES, ids=lambda e: type(e).__name__)
def test_errors_pickle_round_trip(error: FullstackError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert copy.args == error.args
    assert _fields(copy).keys() == _fields(error).keys()
    for key, value in _fields(error).items():
        assert repr(getattr(copy, key)) == repr(value), key


@attrs.frozen
class Campus:
    power: Quantity = quantity_field("MW")


@pytest.mark.parametrize(
    "attempt",
    [
        lambda: Campus("3 EFLOP/s"),
        lambda: Campus(5),
        lambda: Campus("-5 MW"),
        lambda: Campus("5 GWatt"),
        lambda: Q_("1 USD") + Q_("1 CNY"),
        lambda: fullstack.Throughput("1 PFLOP/s", "FP8").h100e,
        lambda: convert_currency("1 USD", "CNY", year=2050),
        lambda: fullstack.parse_unit("(GW"),
    ],
)
def test_errors_raised_by_the_library_pickle(attempt: Any) -> None:
    with pytest.raises(FullstackError) as info:
        attempt()
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is type(info.value)
    assert str(copy) == str(info.value)


# --- messages ------------------------------------------------------------------------------------


def test_missing_unit_suggests_the_unit_named_in_expected() -> None:
    message = str(MissingUnitError("Campus.power", "a power (convertible to MW)", 1200))
    assert message == (
        "Campus.power: expected a power (convertible to MW), got the bare number 1200; "
        "give a unit, e.g. '1200 MW'"
    )


def test_missing_unit_without_a_unit_gives_no_broken_example() -> None:
    message = str(MissingUnitError("Fund.size", "an amount of money in USD, CNY, EUR", 5))
    assert "e.g. '5 an amount" not in message
    assert "give a quantity with a unit" in message


def test_missing_unit_shows_numbers_as_typed() -> None:
    assert "bare number 2.5;" in str(
        MissingUnitError("x", "a power (convertible to W)", np.float64(2.5))
    )
    message = str(MissingUnitError("x", "a power (convertible to W)", np.array([1.0, 2.0])))
    assert "bare number [1.0, 2.0];" in message
    assert "Q_([1.0, 2.0], 'W')" in message
    big = str(MissingUnitError("x", "a power (convertible to W)", np.zeros(1000)))
    assert "<array of shape (1000,)>" in big
    assert len(big) < 200


def test_currency_error_names_both_currencies_and_no_fixed_year() -> None:
    message = str(CurrencyError("addition", "money in EUR", "7 GCNY", "EUR", "CNY"))
    assert "convert the CNY value with fullstack.convert_currency(value, 'EUR', year=<year>)" in (
        message
    )
    assert "2023" not in message


def test_precision_error_for_h100e_suggests_converting_to_bf16() -> None:
    with pytest.raises(PrecisionError) as info:
        _ = fullstack.Throughput("1 PFLOP/s", "FP8").h100e
    assert info.value.required is True
    assert "as_precision(Precision.BF16, ratio=" in str(info.value)
    assert "needs BF16 throughput, got FP8" in str(info.value)


def test_validation_error_shows_quantities_as_text() -> None:
    message = str(ValidationError("Campus.power", "a non-negative value", Q_("-5 MW")))
    assert message == "Campus.power: expected a non-negative value, got -5.0 MW"
    assert str(ValidationError("x", "y", "'quoted'")) == "x: expected y, got 'quoted'"
    assert str(ValidationError("x", "y", 3)) == "x: expected y, got 3"


def test_unknown_name_error_detail_replaces_the_generic_message() -> None:
    error = UnknownNameError("exchange rate", "2030", ["2023"], 7, detail="no rate for 2030")
    assert str(error) == "no rate for 2030"
    assert (error.kind, error.name, error.suggestions, error.known) == (
        "exchange rate",
        "2030",
        ("2023",),
        7,
    )
    assert str(UnknownNameError("currency", "GBP", ["USD"], 3)) == (
        "unknown currency 'GBP' (of 3 known); did you mean 'USD'?"
    )


def test_file_format_error_lists_every_problem() -> None:
    error = FileFormatError("s.toml", [Problem("a.b", "bad"), Problem("c", "worse")])
    assert str(error).splitlines() == ["s.toml: 2 problems", "  a.b: bad", "  c: worse"]
    assert str(FileFormatError("s.toml", [Problem("", "empty")])).splitlines()[0] == (
        "s.toml: 1 problem"
    )


# --- optional extras: one error everywhere -------------------------------------------------------


@pytest.mark.parametrize(
    ("module", "extra", "attempt"),
    [
        ("pandas", "frames", lambda: fullstack.accelerators().to_frame()),
        ("pandas", "frames", lambda: fullstack.actors().to_frame()),
        (
            "pandas",
            "frames",
            lambda: fullstack.bibliography(fullstack.accelerators()).to_frame(),
        ),
        ("matplotlib", "plot", lambda: fullstack.plotting._pyplot()),
    ],
)
def test_a_missing_extra_is_a_missing_extra_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, module: str, extra: str, attempt: Any
) -> None:
    import fullstack.plotting

    monkeypatch.setitem(sys.modules, module, None)  # importing it now raises ImportError
    with pytest.raises(fullstack.MissingExtraError) as info:
        attempt()
    assert info.value.extra == extra
    assert f"pip install 'fullstack[{extra}]'" in str(info.value)
    assert isinstance(info.value, ImportError)


def test_fullstack_testing_without_hypothesis_names_the_testing_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    monkeypatch.delitem(sys.modules, "fullstack.testing", raising=False)
    with pytest.raises(fullstack.MissingExtraError, match=r"fullstack\[testing\]"):
        importlib.import_module("fullstack.testing")


# --- located errors ------------------------------------------------------------------------------


def test_a_validation_error_keeps_the_positional_form_and_gains_a_location() -> None:
    plain = ValidationError("Campus.power", "a non-negative value", Q_("-5 MW"))
    assert (plain.where, plain.cls, plain.field) == ("Campus.power", None, None)
    located = ValidationError("", "a non-negative value", "-5", cls=Campus, field="power")
    assert (located.where, located.cls, located.field) == ("Campus.power", Campus, "power")
    copy = pickle.loads(pickle.dumps(located))
    assert (copy.where, copy.cls, copy.field, str(copy)) == (
        "Campus.power",
        Campus,
        "power",
        str(located),
    )


def test_a_quantity_field_error_carries_the_class_and_the_field() -> None:
    with pytest.raises(DimensionError) as info:
        Campus("3 EFLOP/s")
    assert (info.value.cls, info.value.field) == (Campus, "power")


def test_an_error_about_a_class_pickle_cannot_find_still_pickles() -> None:
    @attrs.frozen
    class Local:
        power: Quantity = quantity_field("MW")

    with pytest.raises(DimensionError) as info:
        Local("3 EFLOP/s")
    copy = pickle.loads(pickle.dumps(info.value))
    assert (copy.cls, copy.field, str(copy)) == (None, "power", str(info.value))
