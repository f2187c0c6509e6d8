"""The built-in instrument types.

Each type's docstring says what it does in the real world, which parameters it moves and how,
and gives an example. Every one is registered under a tag (``type = "subsidy"`` in files).

Effect sizes are always fields you set: a type never hides a number. Where a field has a
default, the default has no effect (a gain of 0) or is an assumption its docstring names.

Every type acts only in the years it is active (``start`` to ``end``): no effect before or
after. Where a policy builds something that lasts (fab capacity, data-center power, researchers),
the instrument states the *flow* in its active years (``foundry.investment``,
``datacenter.power_additions``, ``talent.growth``); the projection engine accumulates flows into
stocks, with its own capital intensity and build lags.

Example:
    >>> from fullstack.policy import instrument_types
    >>> len(instrument_types()) >= 15 and "compute_voucher" in instrument_types()
    True
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs

from fullstack._data import close_matches
from fullstack.errors import CurrencyError, UnknownNameError, ValidationError
from fullstack.policy.effects import Add, Cap, Effect, Floor, Scale
from fullstack.policy.instruments import Context, Instrument, instrument
from fullstack.policy.parameters import parameter
from fullstack.units import (
    Q_,
    Quantity,
    currency_of,
    format_quantity,
    fraction_field,
    money_field,
    quantity_field,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from fullstack.world import Economy

__all__ = [
    "AdoptionTarget",
    "ComputeVoucher",
    "EnergyPricing",
    "ExportControl",
    "GovernmentProcurement",
    "GuidanceFund",
    "ImportRestriction",
    "InfrastructureProgramme",
    "LocalizationMandate",
    "OpenSourcePromotion",
    "PilotZone",
    "StandardSetting",
    "StateLab",
    "Subsidy",
    "TalentProgramme",
    "TaxIncentive",
    "VentureFund",
]


# --- helpers shared by the types -----------------------------------------------------------------


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
    where = f"{type(instance).__name__}.budget"
    budget = instance.budget
    if budget is None:
        raise ValidationError(where, "money, e.g. '60 GCNY'", "None")
    currency = currency_of(budget)
    if currency is None or budget.dimensionality != Q_(1, currency).dimensionality:
        raise ValidationError(where, "a total amount of money (not per year)", str(budget))


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


# --- money and prices ----------------------------------------------------------------------------


def _check_target(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    allowed = ("compute", "chips", "energy")
    if value not in allowed:
        where = f"{type(instance).__name__}.{attribute.name}"
        raise ValidationError(where, f"one of {', '.join(allowed)}", repr(value))


_PRICE_PARAMETER = {
    "compute": "compute.cost_share",
    "chips": "chips.price",
    "energy": "energy.price",
}


@instrument("subsidy")
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


@instrument("tax_incentive")
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


@instrument("compute_voucher")
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


@instrument("energy_pricing")
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


@instrument("guidance_fund")
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
            raise ValidationError("GuidanceFund.end", "the last year the fund invests", "None")

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Add the fund's yearly spending on capacity to the investment in each active year."""
        assert self.end is not None
        _check_currency(self, "budget", self.budget, ctx)
        years = self.end - self.start + 1
        per_year = self.budget * self.to_capacity / Q_(years, "year")
        for year in ctx.active_years(self):
            yield Add(f"{self.economy}.foundry.investment", year, per_year)


@instrument("venture_fund")
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
            raise ValidationError("VentureFund.end", "the last year the fund invests", "None")

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Add the fund's yearly compute spending to capital spending in each active year."""
        assert self.end is not None
        _check_currency(self, "budget", self.budget, ctx)
        years = self.end - self.start + 1
        per_year = self.budget * self.to_compute / Q_(years, "year")
        for year in ctx.active_years(self):
            yield Add(f"{self.economy}.compute.capex", year, per_year)


@instrument("state_lab")
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


@instrument("government_procurement")
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


# --- infrastructure, talent, models --------------------------------------------------------------


@instrument("infrastructure_programme")
@attrs.frozen(kw_only=True)
class InfrastructureProgramme(Instrument):
    """A national build-out of data centers and the power and networks that feed them.

    In the real world: East Data West Computing (东数西算, 2022: 8 national hubs and 10
    data-center clusters, built near cheap western power) and the National Integrated Computing
    Network, which pools idle capacity so that sites running at 20–30% utilization sell it.

    Moves, in each active year:

    - ``<economy>.datacenter.power_additions`` plus ``power_per_year``: the data-center power
      for AI built that year. The projection engine accumulates the additions into
      ``datacenter.power`` after its own build lag, so what was built stays after the
      programme ends.
    - ``<economy>.datacenter.utilization`` plus ``utilization_gain`` (points, e.g. 0.05 for
      25% → 30%), while the pooling runs.

    Both default to no effect; set at least one.

    Attributes:
        power_per_year: Data-center power for AI built per year of the programme.
        utilization_gain: Added utilization of installed AI compute, in [0, 1].

    Example:
        >>> p = InfrastructureProgramme(name="Build-out", power_per_year="0.5 GW/year",
        ...                             start=2025, end=2026)
        >>> [(e.year, str(e.parameter), e.value)
        ...  for e in p.effects(Context(reference_world(), range(2025, 2029)))]
        [(2025, 'cn.datacenter.power_additions', <Quantity(0.5, 'gigawatt / year')>), (2026, 'cn.datacenter.power_additions', <Quantity(0.5, 'gigawatt / year')>)]
    """  # noqa: E501

    power_per_year: Quantity = quantity_field("GW/year", default="0 GW/year")
    utilization_gain: float = fraction_field(default=0.0)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        power = float(self.power_per_year.magnitude)
        _require_some(self, power_per_year=power, utilization_gain=self.utilization_gain)

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Add the power built and the utilization gain in each active year."""
        for year in ctx.active_years(self):
            if self.power_per_year.magnitude > 0:
                name = f"{self.economy}.datacenter.power_additions"
                yield Add(name, year, self.power_per_year)
            if self.utilization_gain > 0:
                name = f"{self.economy}.datacenter.utilization"
                yield Add(name, year, self.utilization_gain)


@instrument("talent_programme")
@attrs.frozen(kw_only=True)
class TalentProgramme(Instrument):
    """A programme that grows the AI research workforce: degrees, grants, return incentives.

    In the real world: AI degree programmes at hundreds of Chinese universities, city talent
    subsidies (housing, grants) in Shenzhen, Zhuhai and Shanghai, and national schemes to bring
    researchers home.

    Moves: ``<economy>.talent.growth`` plus ``gain_per_year`` (per year) in each active year:
    researchers added per year, as a share of the base year's workforce. The projection engine
    accumulates the growth into ``talent.researchers``, so the researchers trained stay after
    the programme ends (no attrition is modelled here).

    Attributes:
        gain_per_year: Researchers added per year of the programme, as a share of the base
            year's workforce, in [0, 1].

    Example:
        >>> t = TalentProgramme(name="Talent", gain_per_year=0.02, start=2025, end=2026)
        >>> [(e.year, str(e.parameter), e.value)
        ...  for e in t.effects(Context(reference_world(), range(2025, 2028)))]
        [(2025, 'cn.talent.growth', <Quantity(0.02, '1 / year')>), (2026, 'cn.talent.growth', <Quantity(0.02, '1 / year')>)]
    """  # noqa: E501

    gain_per_year: float = fraction_field()

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Add ``gain_per_year`` to the workforce's growth in each active year."""
        growth = Q_(self.gain_per_year, "1/year")
        for year in ctx.active_years(self):
            yield Add(f"{self.economy}.talent.growth", year, growth)


@instrument("open_source_promotion")
@attrs.frozen(kw_only=True)
class OpenSourcePromotion(Instrument):
    """State promotion of open-source AI: communities, platforms, credit for contributions.

    In the real world: China treats open source as an industrial-policy tool; the State
    Council's 2025 "AI+" opinions call for AI open-source communities and for counting
    open-source contributions in academic evaluation. Open models shared across an economy
    raise what every lab gets from its compute.

    Moves: ``<economy>.models.efficiency``, scaled by ``1 + efficiency_gain`` in each active
    year.

    Attributes:
        efficiency_gain: Gain in useful work per FLOP across the economy, in [0, 1].

    Example:
        >>> o = OpenSourcePromotion(name="Open source", efficiency_gain=0.1, start=2025)
        >>> [(e.year, e.factor) for e in o.effects(Context(reference_world(), [2025, 2026]))]
        [(2025, 1.1), (2026, 1.1)]
    """

    efficiency_gain: float = fraction_field()

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Scale model efficiency by ``1 + efficiency_gain`` in each active year."""
        for year in ctx.active_years(self):
            yield Scale(f"{self.economy}.models.efficiency", year, 1.0 + self.efficiency_gain)


@instrument("standard_setting")
@attrs.frozen(kw_only=True)
class StandardSetting(Instrument):
    """Standards and benchmarks: common interfaces that make AI cheaper to adopt and build on.

    In the real world: national AI standards committees, model evaluation benchmarks set by
    state labs, and interoperability standards for domestic chips and software stacks.

    Moves, modestly, in each active year: ``<economy>.adoption.speed`` scaled by
    ``1 + adoption_gain`` and ``<economy>.models.efficiency`` by ``1 + efficiency_gain``. Both
    default to no effect; set at least one. ``adoption.speed`` starts at zero, so the scaling
    multiplies the speed other instruments add.

    Attributes:
        adoption_gain: Relative gain in adoption speed, in [0, 1].
        efficiency_gain: Relative gain in useful work per FLOP, in [0, 1].

    Example:
        >>> s = StandardSetting(name="Standards", adoption_gain=0.05, start=2026, end=2026)
        >>> [(e.year, str(e.parameter), e.factor)
        ...  for e in s.effects(Context(reference_world(), range(2025, 2028)))]
        [(2026, 'cn.adoption.speed', 1.05)]
    """

    adoption_gain: float = fraction_field(default=0.0)
    efficiency_gain: float = fraction_field(default=0.0)

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        _require_some(self, adoption_gain=self.adoption_gain, efficiency_gain=self.efficiency_gain)

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Scale adoption speed and model efficiency by their gains."""
        for year in ctx.active_years(self):
            if self.adoption_gain > 0:
                yield Scale(f"{self.economy}.adoption.speed", year, 1.0 + self.adoption_gain)
            if self.efficiency_gain > 0:
                yield Scale(f"{self.economy}.models.efficiency", year, 1.0 + self.efficiency_gain)


# --- adoption ------------------------------------------------------------------------------------


@instrument("pilot_zone")
@attrs.frozen(kw_only=True)
class PilotZone(Instrument):
    """Pilot zones: places where rules are loosened and AI deployment is funded and showcased.

    In the real world: China's national new-generation AI innovation and development pilot
    zones, and the AI pilot zones local governments set up from Shanghai to Shenzhen.

    Moves: ``<economy>.adoption.speed`` plus ``adoption_gain`` in each active year.

    Attributes:
        adoption_gain: Added speed of AI adoption across the economy, per year.

    Example:
        >>> z = PilotZone(name="Pilot zones", adoption_gain="0.02 1/year", start=2025, end=2025)
        >>> [(e.year, e.value) for e in z.effects(Context(reference_world(), [2025, 2026]))]
        [(2025, <Quantity(0.02, '1 / year')>)]
    """

    adoption_gain: Quantity = quantity_field("1/year")

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Add ``adoption_gain`` to the adoption speed in each active year."""
        for year in ctx.active_years(self):
            yield Add(f"{self.economy}.adoption.speed", year, self.adoption_gain)


def _to_milestones(value: Any) -> tuple[tuple[int, float], ...]:
    where = "AdoptionTarget.milestones"
    expected = "two or more (year, share) pairs with rising years and shares strictly in (0, 1)"
    items: Iterable[Any] = value.items() if isinstance(value, Mapping) else value
    try:
        pairs = [(int(year), share) for year, share in items]
    except (TypeError, ValueError):
        raise ValidationError(where, expected, repr(value)) from None
    for _, share in pairs:
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0 < share < 1:
            raise ValidationError(where, expected, repr(value))
    out = tuple((year, float(share)) for year, share in pairs)
    rising = all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(out))
    if len(out) < 2 or not rising:
        raise ValidationError(where, expected, repr(value))
    return out


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


@instrument("adoption_target")
@attrs.frozen(kw_only=True)
class AdoptionTarget(Instrument):
    """A national target for AI adoption, turned into the diffusion speed it implies.

    In the real world: the State Council's "AI+" opinions (Guofa [2025] No. 11) set targets for
    the penetration of intelligent terminals and agents: above 70% by 2027 and 90% by 2030.

    A logistic diffusion curve through the first and last ``milestones`` has the rate
    ``(logit(s₂) − logit(s₁)) / (y₂ − y₁)`` per year (`implied_speed`).

    Moves: ``<economy>.adoption.speed`` plus ``implied_speed × attainment`` in each active year.

    Attributes:
        milestones: ``(year, share)`` pairs, years and shares rising, shares strictly between
            0 and 1; in files a table ``{2027 = 0.7, 2030 = 0.9}`` or a list of pairs.
        attainment: Share of the implied speed that is reached, in [0, 1]. The default, 1, is
            an assumption: the targets are met as stated (an upper bound).

    Example:
        >>> t = AdoptionTarget(name="Targets", milestones=[(2027, 0.7), (2030, 0.9)],
        ...                    start=2025, end=2025)
        >>> t.implied_speed
        <Quantity(0.4499..., '1 / year')>
        >>> [e.year for e in t.effects(Context(reference_world(), [2025, 2026]))]
        [2025]
    """

    milestones: tuple[tuple[int, float], ...] = attrs.field(converter=_to_milestones)
    attainment: float = fraction_field(default=1.0)

    @property
    def implied_speed(self) -> Quantity:
        """The diffusion rate of a logistic curve through the first and last milestones.

        Example:
            >>> AdoptionTarget(name="t", milestones={2020: 0.5, 2021: 0.7310586}).implied_speed
            <Quantity(1.0000..., '1 / year')>
        """
        (y1, s1), (y2, s2) = self.milestones[0], self.milestones[-1]
        return Q_((_logit(s2) - _logit(s1)) / (y2 - y1), "1/year")

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Add the implied speed (times attainment) in each active year."""
        speed = self.implied_speed * self.attainment
        for year in ctx.active_years(self):
            yield Add(f"{self.economy}.adoption.speed", year, speed)


# --- supply: mandates and trade ------------------------------------------------------------------


@instrument("localization_mandate")
@attrs.frozen(kw_only=True)
class LocalizationMandate(Instrument):
    """A rule that a minimum share of a layer's new supply be domestic.

    In the real world: reported guidance that state-funded data centers use domestic AI chips,
    a Beijing plan to raise the "localization rate" of compute supply, and procurement that
    favours "autonomous and controllable" products.

    Moves: ``<economy>.supply.domestic_floor[<layer>]`` for each of ``layers`` (at least one),
    at least ``minimum_share`` (Floor) in each active year.

    Attributes:
        minimum_share: The minimum domestic share of new supply, in [0, 1].

    Example:
        >>> m = LocalizationMandate(name="Domestic chips", layers=["chip_design"],
        ...                         minimum_share=0.5, start=2026, end=2026)
        >>> [(e.year, str(e.parameter), e.value)
        ...  for e in m.effects(Context(reference_world(), range(2025, 2028)))]
        [(2026, 'cn.supply.domestic_floor[chip_design]', 0.5)]
    """

    minimum_share: float = fraction_field()

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if not self.layers:
            raise ValidationError(
                "LocalizationMandate.layers", "at least one stack layer, e.g. 'chip_design'", "()"
            )

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Floor the domestic share of each target layer in each active year."""
        for year in ctx.active_years(self):
            for layer in self.layers:
                name = f"{self.economy}.supply.domestic_floor[{layer}]"
                yield Floor(name, year, self.minimum_share)


def _to_chip_list(value: Any) -> tuple[str, ...]:
    names = _resolve_chips(value, "ImportRestriction.chips")
    if not names:
        raise ValidationError("ImportRestriction.chips", "at least one chip name", "()")
    return names


@instrument("import_restriction")
@attrs.frozen(kw_only=True)
class ImportRestriction(Instrument):
    """The importing state's own limit on buying named foreign chips.

    In the real world: in 2025 Chinese authorities reportedly discouraged firms from buying
    NVIDIA's H20 after US licences for it were promised, and later told state-funded data
    centers to use domestic chips. Compare `ExportControl`, the exporting state's rule.

    Moves: ``<economy>.chips.import_cap[<chip>]`` for each of ``chips``, capped at ``allowed``
    per year in each active year. ``economy`` is the importing economy.

    Attributes:
        chips: The chips restricted, by catalog name (``"H20"``).
        allowed: Imports still allowed per year, per chip type. The default, 0, is a ban.

    Example:
        >>> r = ImportRestriction(name="No H20", chips=["H20"], start=2025, end=2025)
        >>> [(str(e.parameter), e.value) for e in r.effects(Context(reference_world(), [2025]))]
        [('cn.chips.import_cap[H20]', <Quantity(0.0, 'chip / year')>)]
    """

    chips: tuple[str, ...] = attrs.field(converter=_to_chip_list)
    allowed: Quantity = quantity_field("chip/year", default="0 chip/year")

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Cap imports of each named chip in each active year."""
        for year in ctx.active_years(self):
            for chip in self.chips:
                yield Cap(f"{self.economy}.chips.import_cap[{chip}]", year, self.allowed)


def _check_undetermined(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in ("allow", "control"):
        raise ValidationError("ExportControl.undetermined", "'allow' or 'control'", repr(value))


@instrument("export_control")
@attrs.frozen(kw_only=True)
class ExportControl(Instrument):
    """An export control: caps the target economy's imports of every chip the rule controls.

    In the real world: the US rules of October 2022, October 2023 and December 2024 (ECCN
    3A090) and is-informed letters such as the April 2025 H20 licence requirement.

    Moves: ``<economy>.chips.import_cap[<chip>]`` for every catalog chip designed in
    ``exporter`` that ``rule`` classifies as controlled (and every chip in ``chips``), capped at
    ``licensed`` per year; with a rule that controls HBM (3A090.c, December 2024),
    ``<economy>.hbm.import_cap`` capped at ``hbm_licensed``. ``economy`` is the economy the
    exports go to. Chips the rule cannot decide (a missing figure) are left alone unless
    ``undetermined="control"``.

    Attributes:
        rule: The export rule's key (``"2023-10"``), or None for named chips only.
        exporter: The jurisdiction whose designers' chips are controlled.
        chips: Further chips controlled by name (is-informed letters).
        licensed: Imports still licensed per year, per chip type.
        hbm_licensed: HBM stacks still licensed per year, when the rule controls HBM.
        undetermined: ``"allow"`` or ``"control"`` chips the rule cannot decide.

    Example:
        >>> oct23 = ExportControl(name="US Oct 2023 rule", economy="CN", issuer="BIS",
        ...                       rule="2023-10", start=2023, end=2025)
        >>> caps = {str(e.parameter) for e in oct23.effects(Context(reference_world(), [2025]))}
        >>> "cn.chips.import_cap[H100 SXM]" in caps, "cn.chips.import_cap[H20]" in caps
        (True, False)
    """

    rule: str | None = None
    exporter: str = "US"
    chips: tuple[str, ...] = attrs.field(default=(), converter=_to_names)
    licensed: Quantity = quantity_field("chip/year", default="0 chip/year")
    hbm_licensed: Quantity = quantity_field("hbm_stack/year", default="0 hbm_stack/year")
    undetermined: Literal["allow", "control"] = attrs.field(
        default="allow", validator=_check_undetermined
    )

    def __attrs_post_init__(self) -> None:
        super().__attrs_post_init__()
        if self.rule is not None:
            from fullstack.export_controls import export_rule

            object.__setattr__(self, "rule", export_rule(self.rule).key)
        elif not self.chips:
            raise ValidationError(
                "ExportControl", "a rule (e.g. '2023-10') or chips named one by one", "neither"
            )

    def controlled_chips(self) -> tuple[str, ...]:
        """The catalog chips this control caps, in catalog order.

        Example:
            >>> ExportControl(name="H20 letter", chips=["H20"], start=2025).controlled_chips()
            ('H20',)
        """
        from fullstack.accelerators import accelerators
        from fullstack.export_controls import export_rule

        out = []
        for name, chip in accelerators().items():
            if name in self.chips:
                out.append(name)
                continue
            if self.rule is None or chip.designer_jurisdiction != self.exporter:
                continue
            verdict = export_rule(self.rule).classify(chip).controlled
            if verdict or (verdict is None and self.undetermined == "control"):
                out.append(name)
        return tuple(out)

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Cap imports of each controlled chip (and HBM under a rule with 3A090.c)."""
        from fullstack.export_controls import export_rule

        chips = self.controlled_chips()
        hbm = self.rule is not None and any(
            p.applies_to == "hbm" for p in export_rule(self.rule).paragraphs
        )
        for year in ctx.active_years(self):
            for chip in chips:
                yield Cap(f"{self.economy}.chips.import_cap[{chip}]", year, self.licensed)
            if hbm:
                yield Cap(f"{self.economy}.hbm.import_cap", year, self.hbm_licensed)
