"""The metrics of a projection: one table (``datasets/metrics.toml``), read once.

Metric names follow parameter names: ``<economy>.<key>[index]`` (``cn.compute.installed``,
``cn.compute.installed_by_channel[smuggled]``), plus ``world.compute.us_cn_ratio``.

Example:
    >>> METRICS["compute.installed"].unit
    'H100e'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import attrs

from fullstack._data import close_matches, read_toml
from fullstack.errors import FileFormatError, Problem, UnknownNameError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["METRICS", "RATIO_METRIC", "MetricSpec", "metric_spec"]


@attrs.frozen
class MetricSpec:
    """One kind of metric: unit, index, meaning and the parameters that feed it.

    Attributes:
        key: The name without economy (``"compute.installed"``).
        unit: Its unit (``{currency}`` for the economy's money; ``fraction``; ``label``).
        description: What it measures.
        index: ``"channel"``, ``"chip"``, ``"layer"`` or None.
        parameters: Parameter keys that feed it.

    Example:
        >>> METRICS["energy.use"].unit
        'TWh/year'
    """

    key: str
    unit: str
    description: str
    index: str | None = None
    parameters: tuple[str, ...] = ()


def _load_metrics() -> dict[str, MetricSpec]:
    data = read_toml("metrics.toml")
    out: dict[str, MetricSpec] = {}
    problems = []
    for i, row in enumerate(data.get("metric", [])):
        extra = set(row) - {"key", "unit", "description", "index", "parameters"}
        if extra:  # pragma: no cover - the shipped table is tested
            problems.append(Problem(f"metric[{i}]", f"unknown columns {sorted(extra)}"))
            continue
        out[row["key"]] = MetricSpec(
            row["key"],
            row["unit"],
            row["description"],
            row.get("index"),
            tuple(row.get("parameters", ())),
        )
    if problems:  # pragma: no cover
        raise FileFormatError("fullstack/datasets/metrics.toml", problems)
    return out


METRICS: Final[Mapping[str, MetricSpec]] = _load_metrics()
"""Every kind of metric a projection holds, by key (the docs table is generated from it)."""

RATIO_METRIC: Final = "world.compute.us_cn_ratio"
"""The US/China installed-compute ratio (H100e over H100e)."""


def metric_spec(name: str) -> MetricSpec:
    """The spec of a full metric name (``"cn.compute.installed"``, ``"cn.selfsufficiency[data]"``).

    Example:
        >>> metric_spec("us.compute.installed_by_channel[legal]").index
        'channel'
    """
    if name == RATIO_METRIC:
        return MetricSpec(
            "compute.us_cn_ratio",
            "dimensionless",
            "US installed compute divided by China's (both in H100e).",
            None,
            ("chips.service_life",),
        )
    _, _, rest = name.partition(".")
    key = rest.split("[", 1)[0]
    if key not in METRICS:
        raise UnknownNameError("metric", name, close_matches(key, METRICS), known=len(METRICS))
    return METRICS[key]
