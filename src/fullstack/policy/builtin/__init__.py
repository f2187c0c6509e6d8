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

from fullstack.policy.builtin._economics import (
    ComputeVoucher,
    EnergyPricing,
    GovernmentProcurement,
    GuidanceFund,
    StateLab,
    Subsidy,
    TaxIncentive,
    VentureFund,
)
from fullstack.policy.builtin._programmes import (
    AdoptionTarget,
    InfrastructureProgramme,
    OpenSourcePromotion,
    PilotZone,
    StandardSetting,
    TalentProgramme,
)
from fullstack.policy.builtin._trade import (
    ExportControl,
    ImportRestriction,
    LocalizationMandate,
)

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
