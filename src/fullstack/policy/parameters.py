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

import re
from typing import TYPE_CHECKING, Any

import attrs

from fullstack._data import FRACTION, close_matches
from fullstack._schema import PARAMETERS, ParameterSpec
from fullstack.errors import UnknownNameError, ValidationError

if TYPE_CHECKING:
    from fullstack.world import Economy

__all__ = ["PARAMETERS", "ParameterName", "ParameterSpec", "parameter"]


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

    def base_value(self, economy: Economy, year: int | None = None) -> Any:
        """The value before any effect: the economy's figure, or the spec's default.

        With a ``year``, a figure that has a path by year (``Economy.paths``) gives that
        year's point, interpolated linearly between points and held after the last one. An
        indexed figure is looked up by name and index (``import_demand[H20]``).

        Returns a quantity in `unit_for` (a float for fractions; ``inf`` for "no cap").

        Example:
            >>> cn = reference_world().economies["CN"]
            >>> parameter("cn.chips.import_cap[H20]").base_value(cn)
            <Quantity(inf, 'chip / year')>
        """
        from fullstack.units import Q_

        spec = self.spec
        unit = self.unit_for(economy)
        figure = self.figure_name
        if figure is not None and figure in economy.figures:
            value = economy.figure_value(figure, year)
            if spec.unit == FRACTION:
                return float(value)
            if not hasattr(value, "units"):  # a plain ratio (PUE, overheads)
                return Q_(float(value), unit)
            return value.to(unit) if "{currency}" not in spec.unit else value
        default = 0.0 if spec.default is None else spec.default
        return default if spec.unit == FRACTION else Q_(default, unit)

    @property
    def figure_name(self) -> str | None:
        """The name of the economy figure that gives the base value, index included.

        Example:
            >>> parameter("cn.chips.import_demand[H20]").figure_name
            'import_demand[H20]'
        """
        if self.spec.figure is None:
            return None
        return self.spec.figure + (f"[{self.index}]" if self.index is not None else "")


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


_FLEET_DRAW = re.compile(r"^([A-Za-z]{2})\.fleet\[(domestic|legal|smuggled)\]$")


def drawn_name(value: Any) -> str:
    """A name an ensemble can correlate: a parameter's, or an economy's fleet channel.

    A fleet channel is ``"<economy>.fleet[domestic|legal|smuggled]"`` (the economy in lower
    case); anything else must be a parameter's name (`parameter`).

    Raises:
        ValidationError: For a misspelled fleet channel, or a malformed parameter name.
        UnknownNameError: For an unknown parameter.

    Example:
        >>> drawn_name("CN.fleet[smuggled]"), drawn_name("cn.hbm.stockpile")
        ('cn.fleet[smuggled]', 'cn.hbm.stockpile')
    """
    found = _FLEET_DRAW.match(value.strip()) if isinstance(value, str) else None
    if found is not None:
        return f"{found.group(1).lower()}.fleet[{found.group(2)}]"
    if isinstance(value, str) and ".fleet[" in value:
        expected = "a fleet channel: '<economy>.fleet[domestic]', '[legal]' or '[smuggled]'"
        raise ValidationError("Correlation", expected, repr(value))
    return str(parameter(value))
