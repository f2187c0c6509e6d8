"""Built-in instruments that move money and prices.

Subsidies, tax incentives, compute vouchers, energy pricing, funds, state labs, procurement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import attrs

from fullstack.errors import ValidationError
from fullstack.policy.effects import Add, Cap, Effect, Scale
from fullstack.policy.instruments import Context, Instrument, register_instrument
from fullstack.policy.parameters import parameter
from fullstack.units import (
    Q_,
    Quantity,
    fraction_field,
    money_field,
    quantity_field,
)

if TYPE_CHECKING:
    from collections.abc import Iterator


from fullstack.policy.builtin._common import (
    _check_currency,
    _check_total_money,
    _economy,
    _require_some,
)

# --- money and prices ----------------------------------------------------------------------------


def _check_target(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    allowed = ("compute", "chips", "energy")
    if value not in allowed:
        expected = f"one of {', '.join(allowed)}"
        raise ValidationError("", expected, repr(value), cls=type(instance), field=attribute.name)


_PRICE_PARAMETER = {
    "compute": "compute.cost_share",
    "chips": "chips.price",
    "energy": "energy.price",
}


@register_instrument("subsidy")
@attrs.frozen(kw_only=True)
class Subsidy(Instrument):
    """A subsidy that pays a share of what users pay for compute, chips or electricity.

    In the real world: local governments refund part of data-center electricity bills or of
    domestic-chip purchases; the state pays part of compute rental (see `ComputeVoucher` for
    vouchers with a budget).

    Moves: ``<economy>.compute.cost_share``, ``<economy>.chips.price`` or
    ``<economy>.energy.price`` (by ``target``), scaled by ``1 - rate`` in each active year.

    Attributes:
        target: ``"compute"``, ``"chips"`` or ``"energy"``.
        rate: The share of the price the state pays, in [0, 1].

    Example:
        >>> s = Subsidy(name="Power rebate", economy="CN", target="energy", rate=0.2,
        ...             start=2026, end=2027)
        >>> [(e.year, str(e.parameter), e.factor)
        ...  for e in s.effects(Context(reference_world(), range(2025, 2030)))]
        [(2026, 'cn.energy.price', 0.8), (2027, 'cn.energy.price', 0.8)]
    """

    target: Literal["compute", "chips", "energy"] = attrs.field(validator=_check_target)
    rate: float = fraction_field()

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Scale the subsidized price by ``1 - rate`` in each active year."""
        name = f"{self.economy}.{_PRICE_PARAMETER[self.target]}"
        for year in ctx.active_years(self):
            yield Scale(name, year, 1.0 - self.rate)


@register_instrument("tax_incentive")
@attrs.frozen(kw_only=True)
class TaxIncentive(Instrument):
    """A tax break that lowers the after-tax cost of compute, chips or electricity.

    In the real world: extra deductions for R&D spending, reduced income-tax rates for
    certified high-tech and chip firms, and tax holidays for fabs. Unlike a `Subsidy` the state
    pays nothing out; firms keep tax they would have paid, and only firms with taxable profit
    can use it (``take_up``).

    Moves: ``<economy>.compute.cost_share``, ``<economy>.chips.price`` or
    ``<economy>.energy.price`` (by ``target``), scaled by ``1 - relief × take_up`` in each
    active year.

    Attributes:
        target: ``"compute"``, ``"chips"`` or ``"energy"``.
        relief: Tax relief as a share of the qualifying cost. An extra deduction of the whole
            cost at a 25% tax rate relieves 25% of it: ``relief=0.25``.
        take_up: Share of qualifying spending by firms that can claim the relief. The default,
            1, is an assumption: every qualifying firm has the profit to use it.

    Example:
        >>> t = TaxIncentive(name="R&D deduction", target="compute", relief=0.25,
        ...                  take_up=0.6, start=2025, end=2026)
        >>> [(e.year, str(e.parameter), round(e.factor, 3))
        ...  for e in t.effects(Context(reference_world(), range(2025, 2028)))]
        [(2025, 'cn.compute.cost_share', 0.85), (2026, 'cn.compute.cost_share', 0.85)]
    """

    target: Literal["compute", "chips", "energy"] = attrs.field(validator=_check_target)
    relief: float = fraction_field()
    take_up: float = fraction_field(default=1.0)

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Scale the relieved price by ``1 - relief × take_up`` in each active year."""
        name = f"{self.economy}.{_PRICE_PARAMETER[self.target]}"
        for year in ctx.active_years(self):
            yield Scale(name, year, 1.0 - self.relief * self.take_up)


@register_instrument("compute_voucher")
@attrs.frozen(kw_only=True)
class ComputeVoucher(Instrument):
    """Compute vouchers: a city pays a share of firms' compute bills, up to a yearly budget.

    In the real world: Shanghai, Shenzhen, Hangzhou, Beijing, Chengdu and other cities issue
    "compute vouchers" (算力券) that pay 20–50% (sometimes more) of what start-ups and labs
    spend renting AI compute, from budgets of 0.1–1 billion yuan a year.

    Moves, in each active year:

    - ``<economy>.compute.cost_share`` scaled by ``1 - paid / spend``, where ``spend`` is the
      economy's yearly AI compute spending in the world's base figures (``compute.capex``) and
      ``paid = min(budget_per_year, subsidy_rate × spend)``: the rate caps what each user
      gets, the budget caps the total.
    - ``<economy>.compute.capex`` plus ``budget_per_year × to_capex``: the share of the
      voucher money that pays for compute that would not otherwise have been bought. The
      default, 0, adds nothing.

    Attributes:
        budget_per_year: Voucher money per year, in the economy's currency.
        subsidy_rate: Share of a compute bill a voucher pays, in [0, 1].
        to_capex: Share of the voucher money that is additional spending on compute.

    Example:
        >>> v = ComputeVoucher(name="City vouchers", budget_per_year="0.6 GCNY/year",
        ...                    subsidy_rate=0.3, start=2025, end=2025)
        >>> [(e.year, str(e.parameter), round(e.factor, 5))
        ...  for e in v.effects(Context(reference_world(), range(2025, 2027)))]
        [(2025, 'cn.compute.cost_share', 0.99829)]
    """

    budget_per_year: Quantity = money_field(per="year")
    subsidy_rate: float = fraction_field()
    to_capex: float = fraction_field(default=0.0)

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Scale the cost share by what the budget pays; add the additional spending."""
        _check_currency(self, "budget_per_year", self.budget_per_year, ctx)
        capex = f"{self.economy}.compute.capex"
        spend = parameter(capex).base_value(_economy(self, ctx))
        share = 0.0
        if spend.magnitude > 0:
            budget = float((self.budget_per_year / spend).to("dimensionless").magnitude)
            share = min(budget, self.subsidy_rate)
        for year in ctx.active_years(self):
            yield Scale(f"{self.economy}.compute.cost_share", year, 1.0 - share)
            if self.to_capex > 0:
                yield Add(capex, year, self.budget_per_year * self.to_capex)


@register_instrument("energy_pricing")
@attrs.frozen(kw_only=True)
class EnergyPricing(Instrument):
    """Electricity pricing for data centers: a discount on the tariff, a price cap, or both.

    In the real world: provinces in China's west offer data centers cheap power
    (0.3–0.4 yuan/kWh in Inner Mongolia and Ningxia) and green-power deals; regulators cap or
    set industrial tariffs.

    Moves: ``<economy>.energy.price``, scaled by ``1 - discount`` and capped at ``price_cap``
    in each active year. Both default to no effect; set at least one.

    Attributes:
        discount: Share taken off the electricity price, in [0, 1].
        price_cap: Highest price data centers pay, in the economy's currency per kWh.

    Example:
        >>> p = EnergyPricing(name="Western tariff", price_cap="0.3 CNY/kWh", start=2026,
        ...                   end=2026)
        >>> [(type(e).__name__, e.year, e.value)
        ...  for e in p.effects(Context(reference_world(), range(2025, 2028)))]
        [('Cap', 2026, <Quantity(0.3, 'CNY / kilowatt_hour')>)]
    """

    discount: float = fraction_field(default=0.0)
    price_cap: Quantity | None = money_field(per="kWh", optional=True)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.price_cap is None:
            _require_some(self, discount=self.discount, price_cap=0.0)

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Scale the price by ``1 - discount`` and cap it at ``price_cap``."""
        name = f"{self.economy}.energy.price"
        if self.price_cap is not None:
            _check_currency(self, "price_cap", self.price_cap, ctx)
        for year in ctx.active_years(self):
            if self.discount > 0:
                yield Scale(name, year, 1.0 - self.discount)
            if self.price_cap is not None:
                yield Cap(name, year, self.price_cap)


# --- capital: funds, labs, procurement -----------------------------------------------------------


@register_instrument("guidance_fund")
@attrs.frozen(kw_only=True)
class GuidanceFund(Instrument):
    """A state equity or guidance fund that pays for new fabrication capacity.

    In the real world: China's National Integrated Circuit Industry Investment Fund ("Big
    Fund", phases I–III) takes equity stakes in fabs, equipment and memory makers.

    Moves: ``<economy>.foundry.investment`` (money spent on new advanced logic capacity per
    year), plus ``budget × to_capacity / n`` in each active year, where n is the number of the
    fund's years (``start`` to ``end``): the committed budget is spread evenly over them. The
    fund states money, not wafers: the projection engine turns the investment into
    ``foundry.capacity`` with its own capital intensity and build lag, so the capacity keeps
    what the fund bought after the fund ends.

    Attributes:
        to_capacity: Share of the money that ends up in advanced logic capacity, in [0, 1].

    Example:
        >>> fund = GuidanceFund(name="Fund", economy="CN", budget="100 GCNY", start=2025,
        ...                     end=2026, to_capacity=0.5)
        >>> [(e.year, str(e.parameter), e.value.to("GCNY/year"))
        ...  for e in fund.effects(Context(reference_world(), range(2025, 2029)))]
        [(2025, 'cn.foundry.investment', <Quantity(25.0, 'gigaCNY / year')>), (2026, 'cn.foundry.investment', <Quantity(25.0, 'gigaCNY / year')>)]
    """  # noqa: E501

    to_capacity: float = fraction_field()

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        _check_total_money(self)
        if self.end is None:
            expected = "the last year the fund invests"
            raise ValidationError("", expected, "None", cls=type(self), field="end")

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Add the fund's yearly spending on capacity to the investment in each active year."""
        assert self.end is not None
        _check_currency(self, "budget", self.budget, ctx)
        years = self.end - self.start + 1
        per_year = self.budget * self.to_capacity / Q_(years, "year")
        for year in ctx.active_years(self):
            yield Add(f"{self.economy}.foundry.investment", year, per_year)


@register_instrument("venture_fund")
@attrs.frozen(kw_only=True)
class VentureFund(Instrument):
    """A state venture or industry fund that invests in AI firms, part of it in compute.

    In the real world: China's National AI Industry Investment Fund (60 billion yuan over 13
    years, for compute, algorithms, data and applications) and local AI funds take stakes in
    start-ups, which spend part of the money on compute.

    Moves: ``<economy>.compute.capex``, plus ``budget × to_compute`` spread evenly over the
    fund's years (``start`` to ``end``), in each active year.

    Attributes:
        to_compute: Share of the fund's money spent on AI compute, in [0, 1].

    Example:
        >>> f = VentureFund(name="AI fund", budget="13 GCNY", to_compute=0.5, start=2025,
        ...                 end=2026)
        >>> [(e.year, e.value.to("GCNY/year"))
        ...  for e in f.effects(Context(reference_world(), range(2025, 2028)))]
        [(2025, <Quantity(3.25, 'gigaCNY / year')>), (2026, <Quantity(3.25, 'gigaCNY / year')>)]
    """

    to_compute: float = fraction_field()

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        _check_total_money(self)
        if self.end is None:
            expected = "the last year the fund invests"
            raise ValidationError("", expected, "None", cls=type(self), field="end")

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Add the fund's yearly compute spending to capital spending in each active year."""
        assert self.end is not None
        _check_currency(self, "budget", self.budget, ctx)
        years = self.end - self.start + 1
        per_year = self.budget * self.to_compute / Q_(years, "year")
        for year in ctx.active_years(self):
            yield Add(f"{self.economy}.compute.capex", year, per_year)


@register_instrument("state_lab")
@attrs.frozen(kw_only=True)
class StateLab(Instrument):
    """A state-backed AI lab: public money for compute and research that others build on.

    In the real world: the Shanghai AI Lab (InternLM), the Beijing Academy of Artificial
    Intelligence (BAAI), Peng Cheng Lab (PanGu, on Ascend chips) and Zhejiang Lab, set up and
    funded by local and national governments.

    Moves, in each active year: ``<economy>.compute.capex`` plus
    ``budget_per_year × compute_share``; ``<economy>.models.efficiency`` scaled by
    ``1 + efficiency_gain`` (open models, methods and benchmarks the lab publishes; the default,
    0, has no effect).

    Attributes:
        budget_per_year: The lab's budget per year, in the economy's currency.
        compute_share: Share of the budget spent on compute, in [0, 1].
        efficiency_gain: Gain in useful work per FLOP across the economy, in [0, 1].

    Example:
        >>> lab = StateLab(name="Lab", budget_per_year="5 GCNY/year", compute_share=0.4,
        ...                efficiency_gain=0.02, start=2025, end=2025)
        >>> capex, efficiency = lab.effects(Context(reference_world(), [2025]))
        >>> capex.value.to("GCNY/year"), str(efficiency.parameter), efficiency.factor
        (<Quantity(2.0, 'gigaCNY / year')>, 'cn.models.efficiency', 1.02)
    """

    budget_per_year: Quantity = money_field(per="year")
    compute_share: float = fraction_field()
    efficiency_gain: float = fraction_field(default=0.0)

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Add the lab's compute spending; scale model efficiency by its gain."""
        _check_currency(self, "budget_per_year", self.budget_per_year, ctx)
        for year in ctx.active_years(self):
            if self.compute_share > 0:
                spend = self.budget_per_year * self.compute_share
                yield Add(f"{self.economy}.compute.capex", year, spend)
            if self.efficiency_gain > 0:
                yield Scale(f"{self.economy}.models.efficiency", year, 1.0 + self.efficiency_gain)


@register_instrument("government_procurement")
@attrs.frozen(kw_only=True)
class GovernmentProcurement(Instrument):
    """The state buys AI compute and services, often with a preference for domestic chips.

    In the real world: Chinese government purchases of data-center capacity (24.7 billion yuan
    in 2024 by one count of procurement records), reported guidance that state-funded data
    centers use domestic chips, and public-sector AI deployments.

    Moves, in each active year:

    - ``<economy>.compute.capex`` plus ``spend_per_year``;
    - ``<economy>.foundry.ai_share`` plus ``ai_share_gain`` (a domestic-chip preference pulls
      advanced fab capacity to AI accelerators; default 0, no effect);
    - ``<economy>.adoption.speed`` plus ``adoption_gain`` (public-sector use as a showcase;
      default 0, no effect).

    Attributes:
        spend_per_year: Money spent per year, in the economy's currency.
        ai_share_gain: Added share of advanced fab capacity making AI chips, in [0, 1].
        adoption_gain: Added speed of AI adoption, per year.

    Example:
        >>> g = GovernmentProcurement(name="Public compute", spend_per_year="25 GCNY/year",
        ...                           ai_share_gain=0.05, start=2025, end=2025)
        >>> capex, share = g.effects(Context(reference_world(), [2025]))
        >>> capex.value.to("GCNY/year"), str(share.parameter), share.value
        (<Quantity(25.0, 'gigaCNY / year')>, 'cn.foundry.ai_share', 0.05)
    """

    spend_per_year: Quantity = money_field(per="year")
    ai_share_gain: float = fraction_field(default=0.0)
    adoption_gain: Quantity = quantity_field("1/year", default="0 1/year")

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Add the spending, the AI share of fab capacity and the adoption speed."""
        _check_currency(self, "spend_per_year", self.spend_per_year, ctx)
        for year in ctx.active_years(self):
            yield Add(f"{self.economy}.compute.capex", year, self.spend_per_year)
            if self.ai_share_gain > 0:
                yield Add(f"{self.economy}.foundry.ai_share", year, self.ai_share_gain)
            if self.adoption_gain.magnitude > 0:
                yield Add(f"{self.economy}.adoption.speed", year, self.adoption_gain)
