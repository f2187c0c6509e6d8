"""Helpers shared by the built-in instrument types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fullstack._data import close_matches
from fullstack.errors import CurrencyError, UnknownNameError, ValidationError
from fullstack.units import (
    Q_,
    Quantity,
    currency_of,
    format_quantity,
)

if TYPE_CHECKING:
    from fullstack.policy.instruments import Context, Instrument
    from fullstack.world import Economy


def _economy(inst: Instrument, ctx: Context) -> Economy:
    """The economy an instrument acts on, or an error naming the instrument and the economy."""
    economy = ctx.world.economies.get(inst.economy)
    if economy is None:
        raise UnknownNameError(
            f"economy (of instrument {inst.name!r})",
            inst.economy,
            close_matches(inst.economy, ctx.world.economies),
            known=len(ctx.world.economies),
        )
    return economy


def _check_currency(inst: Instrument, field: str, value: Quantity, ctx: Context) -> None:
    """Money an instrument adds must be in its economy's currency (no silent conversion)."""
    wanted = _economy(inst, ctx).currency
    given = currency_of(value)
    if given != wanted:
        raise CurrencyError(
            f"{type(inst).__name__}({inst.name}).{field}",
            f"money in {wanted}, the currency of {inst.economy}",
            format_quantity(value),
            expected_currency=wanted,
            given_currency=given or "",
        )


def _require_some(inst: Instrument, **gains: float) -> None:
    """At least one of the named effect sizes must be above zero (else it is a no-op)."""
    if all(g == 0 for g in gains.values()):
        names = " or ".join(gains)
        raise ValidationError(type(inst).__name__, f"{names} above zero", "all zero")


def _check_total_money(instance: Instrument) -> None:
    """A fund's budget: a total amount of money (its sign is checked by `Instrument.budget`)."""
    budget = instance.budget
    cls = type(instance)
    if budget is None:
        raise ValidationError("", "money, e.g. '60 GCNY'", "None", cls=cls, field="budget")
    currency = currency_of(budget)
    if currency is None or budget.dimensionality != Q_(1, currency).dimensionality:
        expected = "a total amount of money (not per year)"
        raise ValidationError("", expected, str(budget), cls=cls, field="budget")


def _resolve_chips(value: Any, where: str) -> tuple[str, ...]:
    """Catalog names of the chips in ``value``; an unknown one is an error naming ``where``."""
    from fullstack.accelerators import accelerators

    catalog = accelerators()
    names = (value,) if isinstance(value, str) else tuple(value)
    out = []
    for n in names:
        try:
            out.append(catalog.resolve(n))
        except UnknownNameError as exc:
            kind = f"accelerator (in {where})"
            raise UnknownNameError(kind, exc.name, exc.suggestions, exc.known) from None
    return tuple(out)


def _to_names(value: Any) -> tuple[str, ...]:
    return _resolve_chips(value, "ExportControl.chips")
