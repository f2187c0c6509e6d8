"""Types of the public API, checked by mypy (``make typecheck``); **not** meant to be executed.

Each ``assert_type`` fails the type check if the public API's declared type changes (a function
that starts returning ``Any``, a generic that loses its parameter).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, assert_type

import fullstack
from fullstack import (
    Accelerator,
    AcceleratorCatalog,
    Assumption,
    Estimate,
    ExportRule,
    Instrument,
    Projection,
    Quantity,
    Scenario,
    World,
)
from fullstack.io import Document
from fullstack.policy import ParameterValues, Subsidy

# --- files: load returns what a file can hold, or the class asked for -------------------------

assert_type(fullstack.load("scenario.toml"), Scenario | Instrument | list[Instrument] | World)
assert_type(fullstack.load("world.toml", expect=World), World)
assert_type(fullstack.load("scenario.toml"), Document)
assert_type(fullstack.load("scenario.toml", expect=Scenario), Scenario)
assert_type(fullstack.load("rebate.json", format="json", expect=Subsidy), Subsidy)
assert_type(fullstack.loads("schema_version = 1\nname = 's'\n"), Document)
assert_type(fullstack.loads("", expect=Instrument), Instrument)
assert_type(fullstack.save(Scenario(name="s"), Path("s.toml")), Path)
assert_type(fullstack.dumps(Scenario(name="s")), str)

fullstack.load("scenario.toml", expect=int)  # type: ignore[type-var]  # not something a file holds

# --- scenarios: composition keeps the type ---------------------------------------------------

scenario = Scenario(name="s") + Subsidy(name="Rebate", target="energy", rate=0.2)
assert_type(scenario, Scenario)
assert_type(scenario.instruments, tuple[Instrument, ...])
assert_type(scenario.without("Rebate"), Scenario)
assert_type(scenario.instrument("Rebate"), Instrument)
assert_type(scenario.parameters(), ParameterValues)

# --- estimates are generic in their value ----------------------------------------------------

measured: Estimate[Quantity] = Estimate(value="376 TFLOP/s", source=Assumption(reason="r"))
assert_type(measured.value, Quantity)
share: Estimate[float] = Estimate(value=0.25, source=Assumption(reason="r"))
assert_type(share.value, float)
unknown = Estimate(value=1.0, source=Assumption(reason="r"))
assert_type(unknown, Estimate[Any])  # unparameterised: the value's type is not known

# --- reference data ---------------------------------------------------------------------------

assert_type(fullstack.accelerators(), AcceleratorCatalog)
assert_type(fullstack.accelerator("H20"), Accelerator)
assert_type(fullstack.export_rule("2023-10"), ExportRule)
assert_type(fullstack.reference_world(), World)
assert_type(fullstack.parse_quantity("5 GW"), Quantity)
assert_type(fullstack.preset("Big Fund III"), Instrument)
assert_type(fullstack.format_value(fullstack.Q_("5 GW")), str)

# --- the engine -------------------------------------------------------------------------------

assert_type(fullstack.run(scenario), Projection)
