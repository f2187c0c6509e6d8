"""A scenario as an EMA Workbench model, for PRIM, scenario discovery or many-objective search.

`ema_model(scenario, metrics, year)` returns an ``ema_workbench.Model`` (the ``ema`` extra):

- its **uncertainties** are the uncertain world figures (`fullstack.engine.uncertain_figures`),
  each a ``RealParameter`` on [0, 1]: the figure's quantile, mapped through its triangular
  distribution exactly as `fullstack.Scenario.ensemble` maps its draws (0 the low end, 1 the
  high end). EMA's default sampler (Latin hypercube, uniform on each parameter's range) then
  draws the same distributions as an ensemble. A parameter that is a quantile keeps figures
  with a path by year to one number: every year takes the same quantile of its own range.
  The scenario's assumptions that are distributions are uncertainties too, the same way
  (``assumption:cn.hbm.supply`` → ``assumption_cn_hbm_supply``); its rank correlations are
  not (EMA's samplers draw independently);
- its **levers** are the numeric fields of the scenario's instruments: every share (a
  `fullstack.fraction_field`, on [0, 1]) and every quantity whose value is above zero (a
  budget, a yearly amount, a licensed volume: on zero to twice its value, in its unit).
  Names, dates and lists are not levers;
- its **outcomes** are the metrics in ``year``, each a ``ScalarOutcome``.

EMA Workbench wants names that are Python identifiers (from 3.0 on): every run of other
characters becomes ``_`` (``CN.import_demand[B200]`` → ``CN_import_demand_B200``,
``Big Fund III`` / ``to_capacity`` → ``Big_Fund_III_to_capacity``,
``cn.compute.installed`` → ``cn_compute_installed``). Each experiment is one run of the engine
(one sample); the model is a plain Python function, so any of EMA's evaluators can run it.

Example:
    >>> import fullstack
    >>> model = ema_model(fullstack.Scenario(name="s", end=2027), ["cn.chips.output"], 2027)
    >>> [o.name for o in model.outcomes]
    ['cn_chips_output']
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from fullstack._sensitivity import _uncertain
from fullstack.engine import _project
from fullstack.engine._inputs import build_inputs
from fullstack.errors import MissingExtraError, ValidationError
from fullstack.scenario import Scenario
from fullstack.units import Q_

if TYPE_CHECKING:
    from collections.abc import Sequence

    from fullstack.policy import Instrument

__all__ = ["ema_model", "identifier", "levers"]


def identifier(name: str) -> str:
    """A name as EMA Workbench wants it: a Python identifier (other characters become ``_``).

    Example:
        >>> identifier("CN.import_demand[B200]")
        'CN_import_demand_B200'
    """
    text = re.sub(r"\W+", "_", name).strip("_")
    return text if text.isidentifier() else f"_{text}"


def levers(scenario: Scenario) -> dict[str, tuple[str, str, float, float]]:
    """The instruments' numeric fields an EMA model exposes, by identifier.

    Each is ``(instrument name, field, lower, upper)``: a share on [0, 1], a quantity above
    zero on zero to twice its value, in the unit of its value.

    Example:
        >>> import fullstack
        >>> found = levers(fullstack.scenarios()["baseline"])
        >>> found["Big_Fund_III_to_capacity"]
        ('Big Fund III', 'to_capacity', 0.0, 1.0)
    """
    found: dict[str, tuple[str, str, float, float]] = {}
    for inst in scenario.instruments:
        for field in attrs.fields(type(inst)):
            value = getattr(inst, field.name)
            if field.metadata.get("fullstack.kind") == "fraction" and value is not None:
                bounds = (0.0, 1.0)
            elif hasattr(value, "units") and np.ndim(value.magnitude) == 0 and value.magnitude > 0:
                bounds = (0.0, 2.0 * float(value.magnitude))
            else:
                continue
            found[identifier(f"{inst.name}_{field.name}")] = (inst.name, field.name, *bounds)
    return found


def _with_levers(
    scenario: Scenario, chosen: dict[str, float], known: dict[str, tuple[str, str, float, float]]
) -> Scenario:
    """The scenario with each lever's field set to its value (in the field's own unit)."""
    changes: dict[str, dict[str, Any]] = {}
    for key, value in chosen.items():
        name, field, _, _ = known[key]
        changes.setdefault(name, {})[field] = value
    if not changes:
        return scenario
    instruments: list[Instrument] = []
    for inst in scenario.instruments:
        fields = changes.get(inst.name, {})
        updates: dict[str, Any] = {
            field: Q_(value, getattr(inst, field).units)
            if hasattr(getattr(inst, field), "units")
            else float(value)
            for field, value in fields.items()
        }
        instruments.append(attrs.evolve(inst, **updates) if updates else inst)
    return attrs.evolve(scenario, instruments=tuple(instruments))


def _ema() -> Any:
    """The ema_workbench package, imported without its notices about optional evaluators."""
    import warnings

    try:
        with warnings.catch_warnings():  # 2.5 warns when ipyparallel (an evaluator) is missing
            warnings.filterwarnings("ignore", message=".* not installed", category=UserWarning)
            import ema_workbench
    except ImportError as exc:
        raise MissingExtraError("ema", "EMA Workbench models (fullstack.ema_model)") from exc
    return ema_workbench


def ema_model(
    scenario: Scenario, metrics: Sequence[str], year: int, *, name: str = "fullstack"
) -> Any:
    """Expose a scenario as an EMA Workbench model (``ema_workbench.Model``).

    Uncertainties are the uncertain world figures as quantiles on [0, 1] (0 the low end, 1 the
    high end of each figure's triangular distribution, as an ensemble draws them); levers are
    the instruments' shares (on [0, 1]) and their quantities above zero (on zero to twice
    their value); outcomes are ``metrics`` in ``year``. Names become Python identifiers
    (``CN.hbm_stockpile`` → ``CN_hbm_stockpile``). Works with ema-workbench 2.5 and 3.

    Args:
        scenario: The scenario.
        metrics: Numeric metrics, the outcomes.
        year: The year of the outcomes.
        name: The model's name (letters and digits).

    Returns:
        An ``ema_workbench.Model``: give it to ``perform_experiments``.

    Raises:
        MissingExtraError: Without the ``ema`` extra (ema-workbench).
        ValidationError: For a year outside the scenario or a label metric.
        UnknownNameError: For an unknown metric.

    Example:
        >>> import fullstack
        >>> model = ema_model(fullstack.scenarios()["baseline"], ["cn.compute.installed"], 2030)
        >>> from ema_workbench import perform_experiments
        >>> experiments, outcomes = perform_experiments(model, 4)
        >>> outcomes["cn_compute_installed"].shape
        (4,)
    """
    candidate: object = scenario
    if not isinstance(candidate, Scenario):
        raise ValidationError("ema_model", "a fullstack.Scenario", repr(scenario))
    if not scenario.start <= year <= scenario.end:
        raise ValidationError(
            "ema_model.year", f"a year of the projection ({scenario.start}-{scenario.end})", year
        )
    central = scenario.run()
    for metric in metrics:
        if central.unit(metric) == "label":
            raise ValidationError("ema_model", "a numeric metric", f"{metric} (labels)")
    ema = _ema()
    figures = {identifier(f): f for f in _uncertain(scenario)}
    known = levers(scenario)
    outcomes = {identifier(m): m for m in metrics}

    def run(**kwargs: float) -> dict[str, float]:
        chosen = {k: v for k, v in kwargs.items() if k in known}
        s = _with_levers(scenario, chosen, known)
        draws = {
            figures[k]: np.array([min(max(float(v), 0.0), 1.0)])
            for k, v in kwargs.items()
            if k in figures
        }
        projection = _project(s, build_inputs(s, 1, draws))
        t = projection._year_index(year)
        return {key: float(projection.series[m][0, t]) for key, m in outcomes.items()}

    model = ema.Model(name, function=run)
    model.uncertainties = [ema.RealParameter(k, 0.0, 1.0) for k in figures]
    model.levers = [ema.RealParameter(k, low, high) for k, (_, _, low, high) in known.items()]
    model.outcomes = [ema.ScalarOutcome(k) for k in outcomes]
    return model
