"""Built-in instruments for infrastructure, talent, models and adoption."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from fullstack._validators import converted_field, is_year
from fullstack.errors import ValidationError
from fullstack.policy.effects import Add, Effect, Scale
from fullstack.policy.instruments import Context, Instrument, register_instrument
from fullstack.units import (
    Q_,
    Quantity,
    fraction_field,
    quantity_field,
)

if TYPE_CHECKING:
    from collections.abc import Iterator


from fullstack.policy.builtin._common import (
    _require_some,
)

# --- infrastructure, talent, models --------------------------------------------------------------


@register_instrument("infrastructure_programme")
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


@register_instrument("talent_programme")
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


@register_instrument("open_source_promotion")
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


@register_instrument("standard_setting")
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


@register_instrument("pilot_zone")
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


def _milestone_year(year: Any) -> int:
    """A milestone's year: an int, or a TOML table key such as ``"2027"``, by the one year rule."""
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if not is_year(year):
        raise ValueError(year)
    return int(year)


def _to_milestones(value: Any, where: str) -> tuple[tuple[int, float], ...]:
    expected = (
        "two or more (year, share) pairs with rising years (whole years between 1900 and 2200) "
        "and shares strictly in (0, 1)"
    )
    items: Iterable[Any] = value.items() if isinstance(value, Mapping) else value
    try:
        pairs = [(_milestone_year(year), share) for year, share in items]
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


@register_instrument("adoption_target")
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

    milestones: tuple[tuple[int, float], ...] = converted_field(_to_milestones)
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
