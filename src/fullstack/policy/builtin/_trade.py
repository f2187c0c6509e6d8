"""Built-in instruments on supply: localization mandates, import restrictions, export controls."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import attrs

from fullstack.errors import ValidationError
from fullstack.policy.effects import Cap, Effect, Floor
from fullstack.policy.instruments import Context, Instrument, register_instrument
from fullstack.units import (
    Quantity,
    fraction_field,
    quantity_field,
)

if TYPE_CHECKING:
    from collections.abc import Iterator


from fullstack.policy.builtin._common import (
    _resolve_chips,
    _to_names,
)

# --- supply: mandates and trade ------------------------------------------------------------------


@register_instrument("localization_mandate")
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
            expected = "at least one stack layer, e.g. 'chip_design'"
            raise ValidationError("", expected, "()", cls=type(self), field="layers")

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


@register_instrument("import_restriction")
@attrs.frozen(kw_only=True)
class ImportRestriction(Instrument):
    """The importing state's own limit on buying named foreign chips.

    In the real world: in 2025 Chinese authorities reportedly discouraged firms from buying
    NVIDIA's H20 after US licences for it were promised, and later told state-funded data
    centers to use domestic chips. Compare `ExportControl`, the exporting state's rule.

    Moves: ``<economy>.chips.import_demand[<chip>]`` for each of ``chips``, capped at
    ``allowed`` per year in each active year. ``economy`` is the importing economy. It caps
    what the economy's own buyers may take, not what the exporter allows
    (``chips.import_cap``), so the engine does not count the demand it removes as smuggling.

    Attributes:
        chips: The chips restricted, by catalog name (``"H20"``).
        allowed: Imports still allowed per year, per chip type. The default, 0, is a ban.

    Example:
        >>> r = ImportRestriction(name="No H20", chips=["H20"], start=2025, end=2025)
        >>> [(str(e.parameter), e.value) for e in r.effects(Context(reference_world(), [2025]))]
        [('cn.chips.import_demand[H20]', <Quantity(0.0, 'chip / year')>)]
    """

    chips: tuple[str, ...] = attrs.field(converter=_to_chip_list)
    allowed: Quantity = quantity_field("chip/year", default="0 chip/year")

    def effects(self, ctx: Context) -> Iterator[Effect]:
        """Cap the economy's demand for each named chip in each active year."""
        for year in ctx.active_years(self):
            for chip in self.chips:
                yield Cap(f"{self.economy}.chips.import_demand[{chip}]", year, self.allowed)


def _check_undetermined(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in ("allow", "control"):
        expected = "'allow' or 'control'"
        raise ValidationError("", expected, repr(value), cls=type(instance), field=attribute.name)


@register_instrument("export_control")
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
