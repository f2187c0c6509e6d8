"""Currencies and exchange rates.

USD, CNY and EUR are separate dimensions in fullstack's registry, so ``Q_("1 USD") +
Q_("1 CNY")`` is an error rather than a silent mistake. Converting between them takes an
`ExchangeRate`: a rate with a date and a `Source`. A default table of annual average rates from
the Federal Reserve's G.5A release ships with the package (`exchange_rates`), and
`convert_currency` uses it.

Example:
    >>> from fullstack import Q_, convert_currency
    >>> round(convert_currency(Q_("344 GCNY"), "USD", year=2023), 2)
    <Quantity(48.58, 'gigaUSD')>
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, Final

import attrs

from fullstack._codec import Each, _Invalid, read_dataset, read_dataset_data
from fullstack._validators import YEAR_RULE, invalid, is_year
from fullstack.errors import UnknownNameError, ValidationError, _given
from fullstack.provenance import Assumption, Provenance, Source
from fullstack.units import CURRENCIES, Q_, Quantity, Unit, currency_of, parse_unit, ureg

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["ExchangeRate", "ExchangeRates", "convert_currency", "exchange_rates"]

_ANNUAL: Final = "annual average"


def _message(exc: Exception) -> str:
    """An error's message without its location (the file's path replaces it)."""
    where = getattr(exc, "where", "")
    return str(exc).removeprefix(f"{where}: ") if where else str(exc)


def _check_code(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in CURRENCIES:
        raise invalid(instance, attribute, f"a currency code in {CURRENCIES}", value)


def _check_rate(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not (math.isfinite(value) and value > 0)
    ):
        raise invalid(instance, attribute, "a positive, finite number", value)


def _swap_currency(units: Any, src: str, dst: str) -> Unit:
    """The same units with currency ``src`` replaced by ``dst``, prefixes kept."""
    prefixes = set(ureg._prefixes)
    pieces = []
    for name, exp in units._units.items():
        head = name[: -len(src)]
        if name.endswith(src) and head in prefixes | {""}:
            name = head + dst
        pieces.append(f"{name} ** {exp}")
    return parse_unit(" * ".join(pieces)) if pieces else ureg.dimensionless


def _money_code(value: Any, where: str) -> str:
    code = currency_of(value)
    if code is None:
        raise ValidationError(where, "an amount of money (USD, CNY or EUR)", _given(value))
    return code


@attrs.frozen(kw_only=True)
class ExchangeRate:
    """A dated, sourced exchange rate: ``rate`` units of ``quote`` per one ``base``.

    Attributes:
        base: The currency one unit of which is priced, e.g. ``"USD"``.
        quote: The currency the price is in, e.g. ``"CNY"``.
        rate: Units of ``quote`` per unit of ``base`` (7.0809 CNY per USD in 2023).
        date: The date or period: ``"2023"`` for an annual average, ``"2025-06-30"`` for a day.
        source: Where the rate comes from.
        kind: What the rate is, e.g. ``"annual average"`` or ``"spot"``.

    Example:
        >>> from fullstack import ExchangeRate, Assumption, Q_
        >>> r = ExchangeRate(base="USD", quote="CNY", rate=7.2, date="2025",
        ...                  source=Assumption(reason="Round planning rate."))
        >>> r.convert(Q_("720 CNY"))
        <Quantity(100.0, 'USD')>
    """

    base: str = attrs.field(validator=_check_code)
    quote: str = attrs.field(validator=_check_code)
    rate: float = attrs.field(validator=_check_rate)
    date: str
    source: Provenance
    kind: str = _ANNUAL

    def __attrs_post_init__(self) -> None:
        if self.base == self.quote:
            raise ValidationError("ExchangeRate.quote", "a currency other than base", self.quote)
        # Reuse Source's date check for a consistent message.
        Source(title="-", publisher="-", date=self.date)

    @property
    def year(self) -> int:
        """The year the rate applies to.

        Example:
            >>> exchange_rates().get("USD", "CNY", 2023).year
            2023
        """
        return int(self.date[:4])

    def factor(self, src: str, dst: str) -> float:
        """Units of ``dst`` per unit of ``src`` under this rate.

        Raises:
            ValidationError: If the pair is not this rate's pair (either way round).

        Example:
            >>> round(exchange_rates().get("USD", "CNY", 2023).factor("CNY", "USD"), 4)
            0.1412
        """
        if (src, dst) == (self.base, self.quote):
            return self.rate
        if (src, dst) == (self.quote, self.base):
            return 1.0 / self.rate
        raise ValidationError(
            "ExchangeRate", f"a conversion between {self.base} and {self.quote}", f"{src}->{dst}"
        )

    def inverse(self) -> ExchangeRate:
        """The same rate quoted the other way round.

        Example:
            >>> exchange_rates().get("USD", "CNY", 2023).inverse().base
            'CNY'
        """
        return attrs.evolve(self, base=self.quote, quote=self.base, rate=1.0 / self.rate)

    def convert(self, value: Any, to: str | None = None) -> Quantity:
        """Convert money (or a price, a cost per unit...) into the other currency of this rate.

        Prefixes and other units are kept: ``344 GCNY`` becomes ``GUSD``, ``CNY/kWh`` becomes
        ``USD/kWh``.

        Args:
            value: A quantity in ``base`` or ``quote`` (or a string such as ``"344 GCNY"``).
            to: The target currency; by default the other currency of the rate.

        Returns:
            The converted quantity.

        Raises:
            ValidationError: If the value is not money in one of the rate's currencies.

        Example:
            >>> r = exchange_rates().get("USD", "CNY", 2023)
            >>> round(r.convert("0.35 CNY/kWh"), 4)
            <Quantity(0.0494, 'USD / kilowatt_hour')>
        """
        q = Q_(value) if isinstance(value, str) else value
        src = _money_code(q, "ExchangeRate.convert")
        dst = to if to is not None else (self.quote if src == self.base else self.base)
        if src == dst:
            return q
        exponent = float(q.dimensionality[f"[currency_{src.lower()}]"].real)
        factor = self.factor(src, dst) ** exponent
        return Q_(q.magnitude * factor, _swap_currency(q.units, src, dst))


def _cross(first: ExchangeRate, second: ExchangeRate, src: str, dst: str) -> ExchangeRate:
    """Compose ``src -> via -> dst`` from two rates of the same date."""
    via = first.quote if first.base == src else first.base
    rate = first.factor(src, via) * second.factor(via, dst)
    # Both legs often come from the same release: list each source once.
    basis = tuple(dict.fromkeys(s for s in (first.source, second.source) if isinstance(s, Source)))
    reason = f"Cross rate {src}/{dst} computed through {via} from two {first.kind} rates."
    return ExchangeRate(
        base=src,
        quote=dst,
        rate=rate,
        date=first.date,
        kind=first.kind,
        source=Assumption(reason=reason, confidence="medium", basis=basis),
    )


def _span(years: list[int]) -> str:
    """``"2017–2023"`` for a run of years, ``"2017, 2019"`` otherwise."""
    if years and years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return ", ".join(map(str, years))


def _missing_rate(src: str, dst: str, year: int, years: list[int], *, carry_forward: bool) -> str:
    """The message for a pair and year the table has no rate for, with what to do instead."""
    head = f"no {src}/{dst} rate for {year}"
    if not years:
        return f"{head}; the table has no {src}/{dst} rates; pass a dated fullstack.ExchangeRate"
    covers = f"the table covers {_span(years)}"
    if year > years[-1] and not carry_forward:
        return (
            f"{head}; {covers}; pass carry_forward=True to use {years[-1]}'s rate as an "
            "explicit assumption, or pass a dated fullstack.ExchangeRate"
        )
    return f"{head}; {covers}; pass a dated fullstack.ExchangeRate for other years"


def _to_rates(value: Iterable[ExchangeRate]) -> tuple[ExchangeRate, ...]:
    rates = tuple(value)
    seen: set[tuple[frozenset[str], int]] = set()
    for r in rates:
        if not isinstance(r, ExchangeRate):
            raise ValidationError("ExchangeRates.rates", "ExchangeRate objects", repr(r))
        key = (frozenset((r.base, r.quote)), r.year)
        if key in seen:
            raise ValidationError(
                "ExchangeRates.rates",
                "at most one rate per currency pair and year",
                f"two {r.base}/{r.quote} rates for {r.year}",
            )
        seen.add(key)
    return rates


@attrs.frozen
class ExchangeRates:
    """A table of exchange rates, looked up by currency pair and year.

    Attributes:
        rates: The rates; each pair and year at most once.

    Example:
        >>> table = exchange_rates()
        >>> table.get("CNY", "USD", 2022).rate
        0.14861049190073...
    """

    rates: tuple[ExchangeRate, ...] = attrs.field(converter=_to_rates)

    def __iter__(self) -> Iterator[ExchangeRate]:
        return iter(self.rates)

    def __len__(self) -> int:
        return len(self.rates)

    def years(self, src: str, dst: str) -> list[int]:
        """The years for which a ``src``/``dst`` rate is available (directly or via USD).

        Example:
            >>> exchange_rates().years("USD", "CNY")[-1]
            2025
        """
        direct = {r.year for r in self.rates if {r.base, r.quote} == {src, dst}}
        if direct or "USD" in (src, dst):
            return sorted(direct)
        every = {r.year for r in self.rates}
        return sorted(y for y in every if self._find(src, "USD", y) and self._find("USD", dst, y))

    def _find(self, src: str, dst: str, year: int) -> ExchangeRate | None:
        for r in self.rates:
            if r.year == year and {r.base, r.quote} == {src, dst}:
                return r if r.base == src else r.inverse()
        return None

    def get(self, src: str, dst: str, year: int, *, carry_forward: bool = False) -> ExchangeRate:
        """The rate converting ``src`` into ``dst`` in ``year``.

        Args:
            src: The currency converted from.
            dst: The currency converted to.
            year: The year of the annual average.
            carry_forward: If the table ends before ``year``, reuse its latest year, marked as an
                `Assumption` in the returned rate's source.

        Returns:
            A rate with ``base=src`` and ``quote=dst``.

        Raises:
            UnknownNameError: If no rate is available for that pair and year.

        Example:
            >>> exchange_rates().get("USD", "CNY", 2030, carry_forward=True).source.reason[:30]
            'No 2030 rate in the table; the'
        """
        for code in (src, dst):
            if code not in CURRENCIES:
                raise UnknownNameError("currency", code, CURRENCIES, len(CURRENCIES))
        if src == dst:
            raise ValidationError("ExchangeRates.get", "two different currencies", f"{src}/{dst}")
        found = self._find(src, dst, year)
        if found is None and "USD" not in (src, dst):
            first, second = self._find(src, "USD", year), self._find("USD", dst, year)
            if first is not None and second is not None:
                found = _cross(first, second, src, dst)
        if found is not None:
            return found
        years = self.years(src, dst)
        if carry_forward and years and year > years[-1]:
            latest = self.get(src, dst, years[-1])
            source = latest.source
            basis = (source,) if isinstance(source, Source) else source.basis
            reason = (
                f"No {year} rate in the table; the {years[-1]} {latest.kind} "
                f"({latest.rate:.4f} {dst} per {src}) is carried forward."
            )
            return attrs.evolve(
                latest, date=str(year), source=Assumption(reason=reason, basis=basis)
            )
        raise UnknownNameError(
            f"{src}/{dst} exchange rate",
            str(year),
            [str(y) for y in years[-3:]],
            len(years),
            detail=_missing_rate(src, dst, year, years, carry_forward=carry_forward),
        )

    def convert(self, value: Any, to: str, *, year: int, carry_forward: bool = False) -> Quantity:
        """Convert money into currency ``to`` at the ``year`` rate of this table.

        Example:
            >>> round(exchange_rates().convert("1 GUSD", "CNY", year=2023), 4)
            <Quantity(7.0809, 'gigaCNY')>
        """
        q = Q_(value) if isinstance(value, str) else value
        src = _money_code(q, "convert_currency")
        if src == to:
            return q
        return self.get(src, to, year, carry_forward=carry_forward).convert(q, to)

    @classmethod
    def from_toml(cls, data: Any, *, path: str = "<exchange rates>") -> ExchangeRates:
        """Build a table from the parsed TOML layout used by the shipped data file.

        The table is read through the converter that reads scenario files, as an
        `ExchangeRatesFile`.

        Args:
            data: The parsed file: ``[sources.<key>]`` tables and ``[[rates]]`` blocks with
                ``base``, ``quote``, ``source`` and ``rates = {<year> = <rate>}``.
            path: The file, for the error.

        Raises:
            FileFormatError: Listing every problem with its place in the file.

        Example:
            >>> ExchangeRates.from_toml({"sources": {}, "rates": []}).rates
            ()
            >>> ExchangeRates.from_toml({"rates": [{"base": "USD", "rates": {"2024": 0}}]})
            Traceback (most recent call last):
            ...
            fullstack.FileFormatError: <exchange rates>: 3 problems
              rates[0].rates["2024"]: expected a positive, finite number, got 0.0
              rates[0].quote: missing (RatesBlock needs it)
              rates[0].source: missing (RatesBlock needs it)
        """
        return read_dataset_data(data, ExchangeRatesFile, _build_rates, path=path, versioned=False)

    def sources(self) -> list[Source]:
        """The distinct sources of the table's rates.

        Example:
            >>> [s.publisher for s in exchange_rates().sources()][:1]
            ['Board of Governors of the Federal Reserve System']
        """
        seen: dict[Source, None] = {}
        for r in self.rates:
            if isinstance(r.source, Source):
                seen.setdefault(r.source)
        return list(seen)


def _check_year_rate(year: str, rate: float) -> None:
    """A year of a rates block (a key such as ``"2024"``) and its rate."""
    if not (year.isdigit() and is_year(int(year))):
        raise _Invalid.one(f"expected {YEAR_RULE} as the key, got {year!r}")
    if not (math.isfinite(rate) and rate > 0):
        raise _Invalid.one(f"expected a positive, finite number, got {rate!r}")


@attrs.frozen(kw_only=True)
class RatesBlock:
    """A ``[[rates]]`` block of a rates file: one pair, its rates by year, and their source.

    Attributes:
        base: The currency one unit of which is priced.
        quote: The currency the price is in.
        rates: Units of ``quote`` per ``base``, by year (``{2024 = 7.1957}``).
        source: The key of the rates' source in the file's ``[sources]`` table.
    """

    base: str = attrs.field(validator=_check_code)
    quote: str = attrs.field(validator=_check_code)
    rates: Annotated[Mapping[str, float], Each(_check_year_rate)]
    source: str

    def __attrs_post_init__(self) -> None:
        if self.base == self.quote:
            raise ValidationError(
                "", "a currency other than base", self.quote, cls=type(self), field="quote"
            )


@attrs.frozen(kw_only=True)
class ExchangeRatesFile:
    """The schema of ``exchange_rates.toml``: sources by key, then blocks of rates.

    Attributes:
        sources: The sources, by the key the blocks cite them by.
        rates: The blocks of rates.
    """

    sources: Mapping[str, Source] = attrs.field(factory=dict)
    rates: tuple[RatesBlock, ...] = ()


def _build_rates(parsed: ExchangeRatesFile) -> ExchangeRates:
    """The table a checked `ExchangeRatesFile` describes; a pair's year twice is a problem."""
    rates = [
        ExchangeRate(
            base=block.base,
            quote=block.quote,
            rate=rate,
            date=year,
            source=parsed.sources[block.source],
        )
        for block in parsed.rates
        for year, rate in block.rates.items()
    ]
    try:
        return ExchangeRates(sorted(rates, key=lambda r: (r.base, r.quote, r.date)))
    except ValidationError as exc:
        raise _Invalid([(("rates",), _message(exc))]) from None


@functools.cache
def exchange_rates() -> ExchangeRates:
    """The default table: annual average rates from the Federal Reserve's G.5A release.

    Example:
        >>> exchange_rates().get("USD", "CNY", 2023).rate
        7.0809
    """
    return read_dataset(None, "exchange_rates.toml", ExchangeRatesFile, _build_rates)


def convert_currency(
    value: Any,
    to: str,
    *,
    year: int,
    rates: ExchangeRates | Iterable[ExchangeRate] | None = None,
    carry_forward: bool = False,
) -> Quantity:
    """Convert money (or a price) into another currency at a year's average rate.

    Args:
        value: A money quantity, e.g. ``Q_("344 GCNY")`` or ``"0.35 CNY/kWh"``.
        to: The target currency code: ``"USD"``, ``"CNY"`` or ``"EUR"``.
        year: The year whose annual average rate to use.
        rates: A table to use instead of the default `exchange_rates`.
        carry_forward: Reuse the latest year's rate for later years (marked as an assumption).

    Returns:
        The converted quantity, prefixes and other units kept.

    Raises:
        UnknownNameError: If the table has no rate for that pair and year.

    Example:
        >>> round(convert_currency("60.06 GCNY", "USD", year=2023), 2)
        <Quantity(8.48, 'gigaUSD')>
    """
    table = exchange_rates() if rates is None else rates
    if not isinstance(table, ExchangeRates):
        table = ExchangeRates(tuple(table))
    return table.convert(value, to, year=year, carry_forward=carry_forward)
