"""Policy instruments, their effects on named parameters, and the registry of instrument types.

Example:
    >>> from fullstack.policy import ExportControl, Context
    >>> rule = ExportControl(name="US Oct 2023 rule", rule="2023-10", start=2023)
    >>> len(list(rule.effects(Context(reference_world(), [2025])))) > 10
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fullstack.policy.builtin import (
    AdoptionTarget,
    ComputeVoucher,
    EnergyPricing,
    ExportControl,
    GovernmentProcurement,
    GuidanceFund,
    ImportRestriction,
    InfrastructureProgramme,
    LocalizationMandate,
    OpenSourcePromotion,
    PilotZone,
    StandardSetting,
    StateLab,
    Subsidy,
    TalentProgramme,
    TaxIncentive,
    VentureFund,
)
from fullstack.policy.effects import Add, Cap, Effect, Floor, Scale, combine
from fullstack.policy.instruments import (
    Beneficiary,
    Context,
    Instrument,
    ParameterValues,
    Strength,
    instrument,
    instrument_types,
    register_instrument,
    resolve,
    tag_of,
    type_for,
    unregister,
)
from fullstack.policy.parameters import PARAMETERS, ParameterName, ParameterSpec, parameter
from fullstack.policy.presets import preset, preset_figures, presets

if not TYPE_CHECKING:
    # A function never shadows its module: ``fullstack.policy.presets`` is the module, callable
    # like its function (see fullstack._modules).
    import sys as _sys

    presets = _sys.modules["fullstack.policy.presets"]
    del _sys

__all__ = [
    "PARAMETERS",
    "Add",
    "AdoptionTarget",
    "Beneficiary",
    "Cap",
    "ComputeVoucher",
    "Context",
    "Effect",
    "EnergyPricing",
    "ExportControl",
    "Floor",
    "GovernmentProcurement",
    "GuidanceFund",
    "ImportRestriction",
    "InfrastructureProgramme",
    "Instrument",
    "LocalizationMandate",
    "OpenSourcePromotion",
    "ParameterName",
    "ParameterSpec",
    "ParameterValues",
    "PilotZone",
    "Scale",
    "StandardSetting",
    "StateLab",
    "Strength",
    "Subsidy",
    "TalentProgramme",
    "TaxIncentive",
    "VentureFund",
    "combine",
    "instrument",
    "instrument_types",
    "parameter",
    "preset",
    "preset_figures",
    "presets",
    "register_instrument",
    "resolve",
    "tag_of",
    "type_for",
    "unregister",
]
