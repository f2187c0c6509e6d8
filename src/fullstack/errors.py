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
    └── FileFormatError (ValueError)         a file with one or more problems, each located
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

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "CurrencyError",
    "DimensionError",
    "FileFormatError",
    "FullstackError",
    "MissingUnitError",
    "PrecisionError",
    "Problem",
    "UnitError",
    "UnknownNameError",
    "UnknownUnitError",
    "ValidationError",
]


def _restore(cls: type[FullstackError], state: dict[str, Any]) -> FullstackError:
    """Rebuild an error from its stored fields (the pickle path)."""
    return cls(**state)


def _suggest(suggestions: Sequence[str]) -> str:
    if not suggestions:
        return ""
    quoted = ", ".join(repr(s) for s in suggestions)
    return f"; did you mean {quoted}?"


def _at(where: str) -> str:
    return f"{where}: " if where else ""


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

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def _state(self) -> dict[str, Any]:
        return {"message": self.message}

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), self._state()))


class UnitError(FullstackError, ValueError):
    """A problem with units: unknown, missing or of the wrong dimension."""


class UnknownUnitError(UnitError, LookupError):
    """A unit name the registry does not know.

    Attributes:
        unit: The name as given.
        suggestions: Close names the registry does know (may be empty).
        where: The field or file location, if known.
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
    """

    def __init__(self, where: str, expected: str, got: Any) -> None:
        self.where = where
        self.expected = expected
        self.got = got
        super().__init__(str(self))

    def _state(self) -> dict[str, Any]:
        return {"where": self.where, "expected": self.expected, "got": self.got}

    def __str__(self) -> str:
        example = f"{self.got!r} {self.expected.rsplit('(convertible to ', 1)[-1].rstrip(')')}"
        return (
            f"{_at(self.where)}expected {self.expected}, got the bare number {self.got!r}; "
            f"give a unit, e.g. {example!r}"
        )


class DimensionError(UnitError, TypeError):
    """A quantity of the wrong dimension.

    Attributes:
        where: The field or operation, e.g. ``"Fab.capacity"`` or ``"addition"``.
        expected: What was expected, e.g. ``"a power (convertible to W)"``.
        got: What was given, described with its dimension.
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
    """

    def __str__(self) -> str:
        return (
            f"{_at(self.where)}expected {self.expected}, got {self.got}. Currencies do not "
            "convert implicitly: use fullstack.convert_currency(value, 'USD', year=2023) or an "
            "explicit fullstack.ExchangeRate(...).convert(value)"
        )


class PrecisionError(UnitError, TypeError):
    """Throughputs of different numeric precisions combined without a stated conversion.

    Attributes:
        where: The operation, e.g. ``"addition"``.
        left: The precision on the left.
        right: The precision on the right.
    """

    def __init__(self, where: str, left: str, right: str) -> None:
        self.where = where
        self.left = left
        self.right = right
        super().__init__(str(self))

    def _state(self) -> dict[str, Any]:
        return {"where": self.where, "left": self.left, "right": self.right}

    def __str__(self) -> str:
        return (
            f"{_at(self.where)}cannot combine {self.left} and {self.right} throughput; state the "
            f"conversion, e.g. throughput.as_precision(Precision.{self.left}, ratio=...)"
        )


class ValidationError(FullstackError, ValueError):
    """A value of the right kind that is not allowed (negative, NaN, out of range...).

    Attributes:
        where: The field or location, e.g. ``"Fab.capacity"``.
        expected: What is allowed, e.g. ``"a finite, non-negative value"``.
        got: The value given.
    """

    def __init__(self, where: str, expected: str, got: Any) -> None:
        self.where = where
        self.expected = expected
        self.got = got
        super().__init__(str(self))

    def _state(self) -> dict[str, Any]:
        return {"where": self.where, "expected": self.expected, "got": self.got}

    def __str__(self) -> str:
        got = self.got if isinstance(self.got, str) else repr(self.got)
        return f"{_at(self.where)}expected {self.expected}, got {got}"


class UnknownNameError(FullstackError, LookupError):
    """A name that is not in a catalog (an accelerator, a currency, an instrument type...).

    Attributes:
        kind: What was looked up, e.g. ``"accelerator"``.
        name: The name as given.
        suggestions: The closest known names.
        known: How many names the catalog holds.
    """

    def __init__(
        self, kind: str, name: str, suggestions: Sequence[str] = (), known: int = 0
    ) -> None:
        self.kind = kind
        self.name = name
        self.suggestions = tuple(suggestions)
        self.known = known
        super().__init__(str(self))

    def _state(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "suggestions": self.suggestions,
            "known": self.known,
        }

    def __str__(self) -> str:
        of = f" (of {self.known} known)" if self.known else ""
        return f"unknown {self.kind} {self.name!r}{of}{_suggest(self.suggestions)}"


@attrs.frozen
class Problem:
    """One problem found in a file, with its location.

    Attributes:
        location: Where in the file, e.g. ``"instruments[2].budget"``.
        message: What is wrong there.
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
