"""Model parameters by stable dotted name: the things instruments' effects move.

Every parameter an effect can touch is registered here with a unit, a description and where its
base value comes from. Names are ``<economy>.<group>.<name>`` with a lower-case economy code,
optionally indexed by a chip or a layer: ``cn.foundry.capacity``,
``cn.chips.import_cap[H20]``, ``us.supply.domestic_floor[memory]``. The docs table of
parameters is generated from `PARAMETERS`.

Example:
    >>> p = parameter("cn.foundry.capacity")
    >>> p.unit, p.figure
    ('wafer/month', 'advanced_foundry_capacity')
    >>> parameter("cn.chips.import_cap[H20]").index
    'H20'
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from fullstack._data import FRACTION, close_matches
from fullstack.errors import UnknownNameError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from fullstack.world import Economy

__all__ = ["PARAMETERS", "ParameterName", "ParameterSpec", "parameter"]


@attrs.frozen
class ParameterSpec:
    """One kind of parameter: its unit, meaning, index and base value.

    Attributes:
        key: The name without economy and index, e.g. ``"chips.import_cap"``.
        unit: A pint unit (``{currency}`` for the economy's money) or ``"fraction"``.
        description: What it is and what moves it.
        index: What the ``[...]`` index names: ``"chip"``, ``"layer"`` or None.
        figure: The `Economy` figure that gives the base value, if any.
        default: The base value when no figure gives one: ``"inf"`` (no cap), ``0`` (nothing
            added), ``1`` (no scaling).
        layer: The stack layer the parameter belongs to.

    Example:
        >>> PARAMETERS["chips.import_cap"].default
        'inf'
    """

    key: str
    unit: str
    description: str
    layer: str
    index: Literal["chip", "layer"] | None = None
    figure: str | None = None
    default: Literal["inf", 0, 1] | None = None


def _spec(
    key: str,
    unit: str,
    layer: str,
    description: str,
    *,
    index: Literal["chip", "layer"] | None = None,
    figure: str | None = None,
    default: Literal["inf", 0, 1] | None = None,
) -> tuple[str, ParameterSpec]:
    return key, ParameterSpec(key, unit, description, layer, index, figure, default)


PARAMETERS: Final[Mapping[str, ParameterSpec]] = dict(
    [
        _spec(
            "foundry.capacity",
            "wafer/month",
            "fabrication",
            "Advanced-node logic wafer capacity usable by the economy's AI-chip makers at the "
            "base year; the engine grows it from foundry.investment after a build lag.",
            figure="advanced_foundry_capacity",
        ),
        _spec(
            "foundry.investment",
            "{currency}/year",
            "fabrication",
            "Money spent on new advanced logic capacity per year, on top of the base trend; "
            "guidance funds and fab subsidies add to it. The engine turns it into capacity with "
            "a capital intensity and a build lag.",
            default=0,
        ),
        _spec(
            "foundry.ai_share",
            FRACTION,
            "fabrication",
            "Share of advanced capacity that makes AI accelerators; procurement and "
            "localization mandates raise it.",
            figure="ai_share_of_advanced_capacity",
        ),
        _spec(
            "foundry.yield",
            FRACTION,
            "fabrication",
            "Share of candidate accelerator dies that are good.",
            figure="logic_yield",
        ),
        _spec(
            "foundry.dies_per_wafer",
            "die/wafer",
            "fabrication",
            "Candidate accelerator dies per wafer.",
            figure="dies_per_wafer",
        ),
        _spec(
            "chips.dies_per_package",
            "die/chip",
            "chip_design",
            "Logic dies per packaged accelerator.",
            figure="dies_per_package",
        ),
        _spec(
            "hbm.supply",
            "hbm_stack/year",
            "memory",
            "HBM stacks available per year to the economy's chip makers (domestic and "
            "imported); export controls on HBM cut it, memory subsidies raise it.",
            figure="hbm_supply",
        ),
        _spec(
            "hbm.stacks_per_package",
            "hbm_stack/chip",
            "memory",
            "HBM stacks per accelerator.",
            figure="hbm_stacks_per_package",
        ),
        _spec(
            "hbm.import_cap",
            "hbm_stack/year",
            "memory",
            "Most HBM stacks that may be imported per year (export controls); no cap by default.",
            default="inf",
        ),
        _spec(
            "chips.import_cap",
            "chip/year",
            "chip_design",
            "Most accelerators of one catalog type that may be imported per year (export "
            "controls, import restrictions); no cap by default.",
            index="chip",
            default="inf",
        ),
        _spec(
            "chips.price",
            "{currency}/chip",
            "chip_design",
            "Average price of an AI accelerator.",
            figure="accelerator_price",
        ),
        _spec(
            "chips.service_life",
            "year",
            "datacenters",
            "Years an accelerator stays in service.",
            figure="service_life",
        ),
        _spec(
            "compute.capex",
            "{currency}/year",
            "datacenters",
            "Capital spending on AI compute per year; funds, procurement and vouchers add to it.",
            figure="ai_capex",
        ),
        _spec(
            "compute.cost_share",
            FRACTION,
            "datacenters",
            "Share of the cost of compute users pay themselves (1 = no subsidy); compute "
            "vouchers scale it down.",
            default=1,
        ),
        _spec(
            "datacenter.power",
            "GW",
            "datacenters",
            "Data-center power available for AI; infrastructure programmes add to it.",
            figure="datacenter_power_for_ai",
        ),
        _spec(
            "datacenter.power_additions",
            "GW/year",
            "datacenters",
            "Data-center power for AI added per year on top of the base trend (infrastructure "
            "programmes); the engine accumulates it into datacenter.power after a build lag.",
            default=0,
        ),
        _spec(
            "datacenter.utilization",
            FRACTION,
            "datacenters",
            "Average utilization of installed AI compute; pooling and scheduling platforms "
            "raise it.",
            figure="utilization",
        ),
        _spec(
            "energy.price",
            "{currency}/kWh",
            "energy",
            "Electricity price paid by data centers; energy pricing policy moves it.",
            figure="electricity_price",
        ),
        _spec(
            "supply.domestic_floor",
            FRACTION,
            "chip_design",
            "Minimum domestic share of a layer's new supply (localization mandates); none by "
            "default.",
            index="layer",
            default=0,
        ),
        _spec(
            "models.efficiency",
            "dimensionless",
            "foundation_models",
            "Multiplier on the useful work per FLOP (algorithms, open models shared); open-source "
            "promotion, state labs and talent programmes scale it.",
            default=1,
        ),
        _spec(
            "adoption.speed",
            "1/year",
            "software_applications",
            "Speed of AI adoption by firms (the diffusion curve's rate); pilot zones, the "
            "AI+ initiative and procurement raise it.",
            default=0,
        ),
        _spec(
            "talent.growth",
            "1/year",
            "research_talent",
            "Researchers added per year as a share of the base year's workforce (talent "
            "programmes); the engine accumulates it into talent.researchers.",
            default=0,
        ),
        _spec(
            "talent.researchers",
            "dimensionless",
            "research_talent",
            "Index of the AI research workforce (1 = base year); talent programmes scale it.",
            default=1,
        ),
    ]
)
"""Every kind of parameter effects may touch, by key (``"foundry.capacity"``)."""

_NAME = re.compile(r"(?P<economy>[a-z]{2,4})\.(?P<key>[a-z_]+\.[a-z_]+)(?:\[(?P<index>[^\]]+)\])?")


@attrs.frozen
class ParameterName:
    """A parsed parameter name: economy, key, optional index, and its spec.

    Example:
        >>> p = parameter("us.supply.domestic_floor[memory]")
        >>> p.economy, p.key, p.index, str(p)
        ('US', 'supply.domestic_floor', 'memory', 'us.supply.domestic_floor[memory]')
    """

    economy: str
    key: str
    index: str | None = None

    @property
    def spec(self) -> ParameterSpec:
        """The kind of parameter.

        Example:
            >>> parameter("cn.datacenter.power").spec.layer
            'datacenters'
        """
        return PARAMETERS[self.key]

    @property
    def unit(self) -> str:
        """The unit values are checked against (``{currency}`` stays until an economy fixes it).

        Example:
            >>> parameter("cn.hbm.import_cap").unit
            'hbm_stack/year'
        """
        return self.spec.unit

    @property
    def figure(self) -> str | None:
        """The economy figure that gives the base value, if any.

        Example:
            >>> parameter("cn.datacenter.utilization").figure
            'utilization'
        """
        return self.spec.figure

    def __str__(self) -> str:
        index = f"[{self.index}]" if self.index is not None else ""
        return f"{self.economy.lower()}.{self.key}{index}"

    def unit_for(self, economy: Economy | None) -> str:
        """The concrete unit: ``{currency}`` replaced by the economy's currency.

        Example:
            >>> parameter("cn.compute.capex").unit_for(reference_world().economies["CN"])
            'CNY/year'
        """
        if "{currency}" not in self.unit:
            return self.unit
        currency = economy.currency if economy is not None else "USD"
        return self.unit.replace("{currency}", currency)

    def base_value(self, economy: Economy) -> Any:
        """The value before any effect: the economy's figure, or the spec's default.

        Returns a quantity in `unit_for` (a float for fractions; ``inf`` for "no cap").

        Raises:
            UnknownNameError: If the economy lacks the figure the parameter reads.

        Example:
            >>> cn = reference_world().economies["CN"]
            >>> parameter("cn.chips.import_cap[H20]").base_value(cn)
            <Quantity(inf, 'chip / year')>
        """
        from fullstack.units import Q_

        spec = self.spec
        unit = self.unit_for(economy)
        if spec.figure is not None:
            value = economy.figure(spec.figure).value
            if spec.unit == FRACTION:
                return float(value)
            return value.to(unit) if "{currency}" not in spec.unit else value
        default = math.inf if spec.default == "inf" else float(spec.default or 0)
        return default if spec.unit == FRACTION else Q_(default, unit)


def parameter(name: str | ParameterName) -> ParameterName:
    """Parse and check a parameter name.

    Raises:
        UnknownNameError: For an unknown key (with the closest keys), or an index of the wrong
            kind (an unknown chip or layer).
        ValidationError: For a malformed name or a missing or unexpected index.

    Example:
        >>> str(parameter("CN.chips.import_cap[h20]"))
        'cn.chips.import_cap[H20]'
    """
    if isinstance(name, ParameterName):
        return name
    if not isinstance(name, str):
        raise ValidationError("parameter", "a dotted name such as 'cn.foundry.capacity'", name)
    text = name.strip()
    economy, _, rest = text.partition(".")
    match = _NAME.fullmatch(f"{economy.lower()}.{rest}")
    if match is None:
        raise ValidationError(
            "parameter",
            "a dotted name '<economy>.<group>.<name>[index]' such as 'cn.foundry.capacity'",
            repr(name),
        )
    key = match["key"]
    if key not in PARAMETERS:
        close = close_matches(key, PARAMETERS)
        raise UnknownNameError("parameter", key, close, known=len(PARAMETERS))
    spec = PARAMETERS[key]
    index = match["index"]
    if spec.index is None and index is not None:
        raise ValidationError(f"parameter {name!r}", "no [index]", f"[{index}]")
    if spec.index is not None:
        if index is None:
            raise ValidationError(
                f"parameter {name!r}", f"an index naming a {spec.index}, e.g. {key}[...]", "none"
            )
        index = _resolve_index(spec.index, index)
    return ParameterName(match["economy"].upper(), key, index)


def _resolve_index(kind: str, index: str) -> str:
    if kind == "chip":
        from fullstack.accelerators import accelerators

        return accelerators().resolve(index)
    from fullstack.stack import default_stack

    stack = default_stack()
    if index not in stack:
        close = close_matches(index, stack.ids)
        raise UnknownNameError("layer", index, close, known=len(stack))
    return index
