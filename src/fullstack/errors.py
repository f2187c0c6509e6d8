"""Errors raised by fullstack.

Every error the library raises on purpose is a `FullstackError`, so one ``except`` catches them
all. Each child also inherits the built-in exception a caller would naturally catch (a wrong
dimension is a `TypeError`, a bad value is a `ValueError`, an unknown name is a `LookupError`), so
code written without fullstack in mind keeps working.

The tree:

```text
Exception
└── FullstackError
    ├── UnitError (ValueError)               a problem with units
    │   ├── UnknownUnitError (LookupError)   "5 GWatt": no such unit (with suggestions)
    │   ├── MissingUnitError                 a bare number where a unit is required
    │   ├── DimensionError (TypeError)       "5 MW" where FLOP/s is expected
    │   │   └── CurrencyError                USD mixed with CNY without an exchange rate
    │   └── PrecisionError (TypeError)       FP8 throughput added to BF16 throughput
    ├── ValidationError (ValueError)         a value of the right kind but not allowed
    ├── UnknownNameError (LookupError)       a name not in a catalog (with suggestions)
    ├── FileFormatError (ValueError)         a file with one or more problems, each located
    └── MissingExtraError (ImportError)      a feature needs an optional extra (e.g. 'yaml')
```

Errors store what they report as attributes (``where``, ``expected``, ``got``...), build their
message in ``__str__`` and survive pickling, so they travel from worker processes and notebooks
intact.

Example:
    >>> import fullstack
    >>> try:
    ...     fullstack.Q_("1 USD") + fullstack.Q_("1 CNY")
    ... except fullstack.FullstackError as exc:
    ...     print(type(exc).__name__)
    CurrencyError
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

import attrs

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "CurrencyError",
    "DimensionError",
    "FileFormatError",
    "FullstackError",
    "MissingExtraError",
    "MissingUnitError",
    "PrecisionError",
    "Problem",
    "UnitError",
    "UnknownNameError",
    "UnknownUnitError",
    "ValidationError",
]


def _restore(
    cls: type[FullstackError], state: dict[str, Any], location: dict[str, Any] | None = None
) -> FullstackError:
    """Rebuild an error from its stored fields (the pickle path)."""
    error = cls(**state)
    if location:
        error.locate(location["cls"], location["field"])
    return error


def _importable(cls: type | None) -> bool:
    """Whether pickle can find ``cls`` by its module and name (not a class of a lost module)."""
    import sys

    obj: Any = sys.modules.get(getattr(cls, "__module__", ""))
    for part in getattr(cls, "__qualname__", "<locals>").split("."):
        obj = getattr(obj, part, None)
    return obj is cls


def _suggest(suggestions: Sequence[str]) -> str:
    if not suggestions:
        return ""
    quoted = ", ".join(repr(s) for s in suggestions)
    return f"; did you mean {quoted}?"


def _at(where: str) -> str:
    return f"{where}: " if where else ""


_CONVERTIBLE: Final = re.compile(r"\(convertible to (?P<unit>[^()]+)\)\s*$")


def _is_quantity(value: Any) -> bool:
    return hasattr(value, "magnitude") and hasattr(value, "units")


def _is_array(value: Any) -> bool:
    return getattr(value, "ndim", 0) > 0


def _number_text(value: Any) -> str:
    """A bare number as a user would type it: ``5``, ``[1.0, 2.0]`` (not ``np.float64(5.0)``)."""
    if getattr(value, "size", 1) > 6:  # a large array: its shape, not its contents
        return f"<array of shape {value.shape}>"
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays
    return repr(tolist() if callable(tolist) else value)


def _given(value: Any) -> Any:
    """A value to store as an error's ``got``: text quoted (``'x'``), anything else as is."""
    return repr(value) if isinstance(value, str) else value


def _shown(value: Any) -> str:
    """A value as an error message shows it: text as given, quantities as ``5.0 GW``."""
    if isinstance(value, str):
        return value
    if _is_quantity(value):
        return str(value)
    return repr(value)


class FullstackError(Exception):
    """The root of every error fullstack raises on purpose.

    Subclasses keep the details they report as attributes and rebuild their message from them.

    Example:
        >>> import fullstack
        >>> try:
        ...     fullstack.Q_("12 parsecs of FLOP")
        ... except fullstack.FullstackError as exc:
        ...     print("caught", type(exc).__name__)
        caught UnknownUnitError
    """

    cls: type | None = None
    """The class whose field the error is about (``GuidanceFund``), when it is about a field."""

    field: str | None = None
    """The name of that field (``"budget"``), when the error is about a field."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def locate(self, cls: type | None, field: str) -> FullstackError:
        """Record the class and the field the error is about; returns the error itself.

        Validators call it so that code catching the error reads ``err.cls`` and ``err.field``
        instead of parsing the message.

        Example:
            >>> class Fund: ...
            >>> err = FullstackError("Fund.budget: too small").locate(Fund, "budget")
            >>> err.cls.__name__, err.field
            ('Fund', 'budget')
        """
        self.cls = cls
        self.field = field
        return self

    def _state(self) -> dict[str, Any]:
        return {"message": self.message}

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        location = None
        if "field" in vars(self):  # a class that cannot be found by name travels as None
            location = {"cls": self.cls if _importable(self.cls) else None, "field": self.field}
        return (_restore, (type(self), self._state(), location))


class UnitError(FullstackError, ValueError):
    """A problem with units: unknown, missing or of the wrong dimension.

    Raised as such for a unit expression that cannot be parsed at all; its subclasses cover the
    other cases. Catch it to handle any problem with units.

    Example:
        >>> import fullstack
        >>> try:
        ...     fullstack.parse_unit("(GW")
        ... except fullstack.UnitError as exc:
        ...     print(exc)
        cannot parse unit '(GW': a '(' without its ')'
    """


class UnknownUnitError(UnitError, LookupError):
    """A unit name the registry does not know.

    Attributes:
        unit: The name as given.
        suggestions: Close names the registry does know (may be empty).
        where: The field or file location, if known.

    Example:
        >>> import fullstack
        >>> try:
        ...     fullstack.Q_("5 GWatt")
        ... except fullstack.UnknownUnitError as exc:
        ...     print(exc.unit, exc.suggestions)
        GWatt ('Gwatt',)
    """

    def __init__(self, unit: str, suggestions: Sequence[str] = (), where: str = "") -> None:
        self.unit = unit
        self.suggestions = tuple(suggestions)
        self.where = where
        super().__init__(str(self))

    def _state(self) -> dict[str, Any]:
        return {"unit": self.unit, "suggestions": self.suggestions, "where": self.where}

    def __str__(self) -> str:
        return f"{_at(self.where)}unknown unit {self.unit!r}{_suggest(self.suggestions)}"


class MissingUnitError(UnitError):
    """A bare number where a quantity with a unit is required.

    Attributes:
        where: The field or location, e.g. ``"Fab.capacity"``.
        expected: What was expected, e.g. ``"a power (convertible to W)"``.
        got: The value given.
        unit: A unit to show in the suggested fix; by default the one named in ``expected``
            (``"(convertible to W)"``), if any.

    Example:
        >>> print(MissingUnitError("Fund.size", "an amount of money", 5, unit="GUSD"))
        Fund.size: expected an amount of money, got the bare number 5; give a unit, e.g. '5 GUSD'
    """

    def __init__(self, where: str, expected: str, got: Any, unit: str = "") -> None:
        self.where = where
        self.expected = expected
        self.got = got
        self.unit = unit
        super().__init__(str(self))

    def _state(self) -> dict[str, Any]:
        return {"where": self.where, "expected": self.expected, "got": self.got, "unit": self.unit}

    def _example_unit(self) -> str:
        if self.unit:
            return self.unit
        match = _CONVERTIBLE.search(self.expected)
        return match["unit"] if match else ""

    def __str__(self) -> str:
        number = _number_text(self.got)
        unit = self._example_unit()
        if not unit:
            fix = "give a quantity with a unit, e.g. '5 GW'"
        elif _is_array(self.got):
            values = "values" if number.startswith("<") else number
            fix = f"give a unit, e.g. Q_({values}, {unit!r})"
        else:
            fix = f"give a unit, e.g. {f'{number} {unit}'!r}"
        return f"{_at(self.where)}expected {self.expected}, got the bare number {number}; {fix}"


class DimensionError(UnitError, TypeError):
    """A quantity of the wrong dimension.

    Attributes:
        where: The field or operation, e.g. ``"Fab.capacity"`` or ``"addition"``.
        expected: What was expected, e.g. ``"a power (convertible to W)"``.
        got: What was given, described with its dimension.

    Example:
        >>> import fullstack
        >>> try:
        ...     fullstack.Q_("1 GB/s").to("Hz")
        ... except fullstack.DimensionError as exc:
        ...     print(exc)
        conversion: expected a frequency (convertible to Hz), got 1.0 GB/s (a bandwidth)
    """

    def __init__(self, where: str, expected: str, got: str) -> None:
        self.where = where
        self.expected = expected
        self.got = got
        super().__init__(str(self))

    def _state(self) -> dict[str, Any]:
        return {"where": self.where, "expected": self.expected, "got": self.got}

    def __str__(self) -> str:
        return f"{_at(self.where)}expected {self.expected}, got {self.got}"


class CurrencyError(DimensionError):
    """Two currencies mixed without an exchange rate.

    USD, CNY and EUR are separate dimensions in fullstack: converting needs a dated, sourced
    `fullstack.ExchangeRate` (or the default table, via `fullstack.convert_currency`).

    Attributes:
        where: The field or operation, e.g. ``"addition"``.
        expected: What was expected, e.g. ``"an amount of money in USD like 1.0 GUSD"``.
        got: What was given, described with its dimension.
        expected_currency: The currency wanted (``"USD"``), if known.
        given_currency: The currency given (``"CNY"``), if known.

    Example:
        >>> import fullstack
        >>> try:
        ...     fullstack.Q_("1 GUSD") + fullstack.Q_("7 GCNY")
        ... except fullstack.CurrencyError as exc:
        ...     print(exc.expected_currency, exc.given_currency)
        USD CNY
    """

    def __init__(
        self,
        where: str,
        expected: str,
        got: str,
        expected_currency: str = "",
        given_currency: str = "",
    ) -> None:
        self.expected_currency = expected_currency
        self.given_currency = given_currency
        super().__init__(where, expected, got)

    def _state(self) -> dict[str, Any]:
        return super()._state() | {
            "expected_currency": self.expected_currency,
            "given_currency": self.given_currency,
        }

    def __str__(self) -> str:
        amount = f"the {self.given_currency} value" if self.given_currency else "the value"
        target = repr(self.expected_currency) if self.expected_currency else "<currency>"
        return (
            f"{_at(self.where)}expected {self.expected}, got {self.got}. Currencies do not "
            f"convert implicitly: convert {amount} with fullstack.convert_currency(value, "
            f"{target}, year=<year>) or a dated fullstack.ExchangeRate(...).convert(value)"
        )


class PrecisionError(UnitError, TypeError):
    """Throughputs of different numeric precisions combined without a stated conversion.

    Also raised when an operation needs one precision (H100-equivalents need BF16) and the
    throughput is at another.

    Attributes:
        where: The operation, e.g. ``"addition"`` or ``"H100-equivalents"``.
        left: The precision on the left (the throughput's own, when ``required``).
        right: The precision on the right (the one needed, when ``required``).
        required: Whether ``right`` is a precision the operation requires rather than the
            precision of a second operand.

    Example:
        >>> print(PrecisionError("H100-equivalents", "FP8", "BF16", required=True))
        H100-equivalents: needs BF16 throughput, got FP8; state the conversion, e.g. throughput.as_precision(Precision.BF16, ratio=...)
    """  # noqa: E501

    def __init__(self, where: str, left: str, right: str, *, required: bool = False) -> None:
        self.where = where
        self.left = left
        self.right = right
        self.required = required
        super().__init__(str(self))

    def _state(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "left": self.left,
            "right": self.right,
            "required": self.required,
        }

    def __str__(self) -> str:
        if self.required:
            return (
                f"{_at(self.where)}needs {self.right} throughput, got {self.left}; state the "
                f"conversion, e.g. throughput.as_precision(Precision.{self.right}, ratio=...)"
            )
        return (
            f"{_at(self.where)}cannot combine {self.left} and {self.right} throughput; state the "
            f"conversion, e.g. throughput.as_precision(Precision.{self.left}, ratio=...)"
        )


class ValidationError(FullstackError, ValueError):
    """A value of the right kind that is not allowed (negative, NaN, out of range...).

    Attributes:
        where: The field or location, e.g. ``"Fab.capacity"``; by default ``"<cls>.<field>"``
            when ``cls`` and ``field`` are given.
        expected: What is allowed, e.g. ``"a finite, non-negative value"``.
        got: The value given: quantities are shown as text (``-5.0 MW``), other values with
            ``repr`` unless they are already text.
        cls: The class whose field was given the value (the concrete class, ``GuidanceFund``,
            not a base class), or None.
        field: The field's name, or None.

    Example:
        >>> import fullstack
        >>> from fullstack.units import check_quantity
        >>> try:
        ...     check_quantity("-5 MW", "MW", where="Campus.power")
        ... except fullstack.ValidationError as exc:
        ...     print(exc)
        Campus.power: expected a non-negative value, got -5.0 MW
        >>> class Fund: ...
        >>> err = ValidationError("", "a non-negative amount", "-5 GCNY", cls=Fund, field="budget")
        >>> err.where, err.field
        ('Fund.budget', 'budget')
    """

    def __init__(
        self,
        where: str,
        expected: str,
        got: Any,
        *,
        cls: type | None = None,
        field: str | None = None,
    ) -> None:
        if not where and cls is not None and field:
            where = f"{cls.__name__}.{field}"
        self.where = where
        self.expected = expected
        self.got = got
        super().__init__(str(self))
        if cls is not None and field is not None:
            self.locate(cls, field)

    def _state(self) -> dict[str, Any]:
        return {"where": self.where, "expected": self.expected, "got": self.got}

    def __str__(self) -> str:
        return f"{_at(self.where)}expected {self.expected}, got {_shown(self.got)}"


class UnknownNameError(FullstackError, LookupError):
    """A name that is not in a catalog (an accelerator, a currency, an instrument type...).

    Attributes:
        kind: What was looked up, e.g. ``"accelerator"``.
        name: The name as given.
        suggestions: The closest known names.
        known: How many names the catalog holds.
        detail: A message written for this case, used instead of the generic one (for example
            "no USD/CNY rate for 2030; the table covers 2017–2023; ...").

    Example:
        >>> print(UnknownNameError("currency", "GBP", ["USD"], known=3))
        unknown currency 'GBP' (of 3 known); did you mean 'USD'?
    """

    def __init__(
        self,
        kind: str,
        name: str,
        suggestions: Sequence[str] = (),
        known: int = 0,
        *,
        detail: str = "",
    ) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = tuple(suggestions)
        self.known = known
        self.detail = detail
        super().__init__(str(self))

    def _state(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "suggestions": self.suggestions,
            "known": self.known,
            "detail": self.detail,
        }

    def __str__(self) -> str:
        if self.detail:
            return self.detail
        of = f" (of {self.known} known)" if self.known else ""
        return f"unknown {self.kind} {self.name!r}{of}{_suggest(self.suggestions)}"


@attrs.frozen
class Problem:
    """One problem found in a file, with its location.

    Attributes:
        location: Where in the file, e.g. ``"instruments[2].budget"``.
        message: What is wrong there.

    Example:
        >>> print(Problem("horizon.end", "expected a year after the start, got 2020"))
        horizon.end: expected a year after the start, got 2020
    """

    location: str
    message: str

    def __str__(self) -> str:
        return f"{_at(self.location)}{self.message}"


class FileFormatError(FullstackError, ValueError):
    """A file that could not be read, with every problem found and where it is.

    Attributes:
        path: The file (or ``"<string>"``).
        problems: Each problem with its location in the file.

    Example:
        >>> print(FileFormatError("scenario.toml", [Problem("horizon.end", "expected a year")]))
        scenario.toml: 1 problem
          horizon.end: expected a year
    """

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        super().__init__(str(self))

    def _state(self) -> dict[str, Any]:
        return {"path": self.path, "problems": self.problems}

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{self.path}: {n} problem{'s' if n != 1 else ''}"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


class MissingExtraError(FullstackError, ImportError):
    """A feature needs an optional dependency that is not installed; names the extra to install.

    Attributes:
        extra: The extra, e.g. ``"yaml"``.
        feature: What needs it, e.g. ``"YAML files"``.

    Example:
        >>> print(MissingExtraError("yaml", "YAML files"))
        YAML files need the 'yaml' extra: pip install 'fullstack[yaml]'
    """

    def __init__(self, extra: str, feature: str) -> None:
        self.extra = extra
        self.feature = feature
        super().__init__(str(self))

    def _state(self) -> dict[str, Any]:
        return {"extra": self.extra, "feature": self.feature}

    def __str__(self) -> str:
        extra = self.extra
        return f"{self.feature} need the {extra!r} extra: pip install 'fullstack[{extra}]'"
