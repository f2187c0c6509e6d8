"""The converter that reads and writes instruments: `fullstack._codec` wired to the registry.

`fullstack._codec` sits below the policy layer and knows no instrument; this module hands it
the `Instrument` base class, the registry of types by tag, and the currency of each economy of
the reference world (money fields of an instrument must be in its economy's currency). Files
(`fullstack.io`) and the shipped presets read through `converter()`.
"""

from __future__ import annotations

import functools

from fullstack._codec import Tagged, _Codec
from fullstack.policy.instruments import Instrument, instrument_types, tag_of
from fullstack.world import reference_world

__all__ = ["converter"]


def _currencies() -> dict[str, str]:
    """Each economy of the reference world and its currency."""
    return {code: e.currency for code, e in reference_world().economies.items()}


@functools.cache
def converter() -> _Codec:
    """The converter for files: fullstack's hooks plus instruments tagged by type (cached).

    Example:
        >>> from fullstack.policy import Subsidy
        >>> converter().unstructure(Subsidy(name="Rebate", target="energy", rate=0.2))["type"]
        'subsidy'
    """
    return _Codec(
        Tagged(base=Instrument, types=instrument_types, tag_of=tag_of, currencies=_currencies)
    )
