"""Distributions for scenario assumptions, and rank correlations between parameters.

A scenario assumption (`fullstack.scenario.Override`) may be a distribution instead of a value:
a deterministic run (`fullstack.run`) takes its `central` value, an ensemble
(`fullstack.Scenario.ensemble`) draws it. Five families, frozen and hashable:

- `Uniform` (``low``, ``high``): central is the midpoint.
- `Triangular` (``low``, ``mode``, ``high``): central is the mode (the world figures' ranges
  are drawn this way, with their central value as the mode).
- `Normal` (``mean``, ``sd``, optionally truncated to ``low`` and ``high``): central is the
  mean (clipped to the truncation), its mode.
- `LogNormal` (``median``, ``sigma``, the standard deviation of the log): central is the
  median; `LogNormal.from_range` builds one from a 90% range, as analysts often give it.
- `Choice` (``values``, ``weights``): discrete; central is the most likely value (the first of
  the most likely ones when several tie).

Values are quantities (``"4e6 hbm_stack"`` is parsed) or plain numbers; an `Override` checks
them against its parameter's unit, like a plain value. ``ppf(u, unit)`` turns uniform numbers
in [0, 1) into the distribution's quantiles as plain floats in ``unit``, vectorized, and never
decreasing in ``u`` (so rank correlations carry over from the uniform numbers).

`Correlation` asks for a rank (Spearman) correlation between two named parameters of a
scenario (`fullstack.Scenario.correlations`).

In files, a distribution is a table tagged by ``distribution``::

    value = { distribution = "triangular", low = "4e6 hbm_stack", mode = "7.4e6 hbm_stack",
              high = "1e7 hbm_stack" }

Example:
    >>> import numpy as np
    >>> t = Triangular("4e6 hbm_stack", "7.4e6 hbm_stack", "1e7 hbm_stack")
    >>> t.central
    <Quantity(7400000.0, 'hbm_stack')>
    >>> t.ppf(np.array([0.0, 0.5, 0.99]), "hbm_stack").round(-3).tolist()
    [4000000.0, 7194000.0, 9605000.0]
    >>> Choice([1.1, 1.3], weights=[3, 1]).central
    1.1
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, ClassVar, Final

import attrs
import numpy as np

from fullstack.errors import DimensionError, ValidationError
from fullstack.units import format_value, parse_quantity, to_quantity

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

__all__ = [
    "DISTRIBUTIONS",
    "Choice",
    "Correlation",
    "Distribution",
    "LogNormal",
    "Normal",
    "Triangular",
    "Uniform",
    "check_correlations",
    "from_table",
    "norm_ppf",
    "triangular_ppf",
]

_Z90: Final = 1.6448536269514722
"""The standard normal's 95% quantile: a 90% range spans ±1.645 standard deviations."""


# --- values --------------------------------------------------------------------------------------


def _value(value: Any, where: str) -> Any:
    """A quantity (text is parsed) or a finite plain number (a float)."""
    if isinstance(value, str):
        return parse_quantity(value, where=where)
    if hasattr(value, "units"):
        return to_quantity(value, where=where)
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise ValidationError(where, "a quantity (such as '5 GW') or a number", repr(value))
    x = float(value)
    if not math.isfinite(x):
        raise ValidationError(where, "a finite number", repr(value))
    return x


def _convert(obj: Any, *fields: str, optional: tuple[str, ...] = ()) -> None:
    """Turn the fields' values into quantities or floats (`_value`), in place, at construction.

    Only the ``optional`` fields may be None.
    """
    for field in fields:
        v = getattr(obj, field)
        if v is None and field in optional:
            continue
        object.__setattr__(obj, field, _value(v, f"{type(obj).__name__}.{field}"))


def _in(value: Any, unit: str) -> float:
    """A value's magnitude in ``unit`` (a plain number is taken to be in it already)."""
    if not hasattr(value, "units"):
        return float(value)
    if unit in ("", "fraction", "count"):
        return float(value.m_as("dimensionless"))
    return float(value.m_as(unit))


def _common(values: Mapping[str, Any], cls: str) -> dict[str, float]:
    """The values' magnitudes in one unit (the first quantity's), to check their order."""
    ref = next((v for v in values.values() if hasattr(v, "units")), None)
    out: dict[str, float] = {}
    for field, v in values.items():
        where = f"{cls}.{field}"
        if ref is None:
            out[field] = float(v)
        elif hasattr(v, "units"):
            if v.dimensionality != ref.dimensionality:
                raise DimensionError(where, f"a value in the same unit as {ref.units}", str(v))
            out[field] = float(v.m_as(ref.units))
        elif ref.dimensionless:
            out[field] = float(v)
        else:
            expected = f"a quantity like the others (in {ref.units})"
            raise ValidationError(where, expected, repr(v))
    return out


def _show(value: Any) -> str:
    return format_value(value, digits=3) if hasattr(value, "units") else f"{value:g}"


_A: Final = (3.3871328727963666080e0, 1.3314166789178437745e2, 1.9715909503065514427e3,
              1.3731693765509461125e4, 4.5921953931549871457e4, 6.7265770927008700853e4,
              3.3430575583588128105e4, 2.5090809287301226727e3)  # fmt: skip
_B: Final = (1.0, 4.2313330701600911252e1, 6.8718700749205790830e2, 5.3941960214247511077e3,
              2.1213794301586595867e4, 3.9307895800092710610e4, 2.8729085735721942674e4,
              5.2264952788528545610e3)  # fmt: skip
_C: Final = (1.42343711074968357734e0, 4.63033784615654529590e0, 5.76949722146069140550e0,
              3.64784832476320460504e0, 1.27045825245236838258e0, 2.41780725177450611770e-1,
              2.27238449892691845833e-2, 7.74545014278341407640e-4)  # fmt: skip
_D: Final = (1.0, 2.05319162663775882187e0, 1.67638483018380384940e0, 6.89767334985100004550e-1,
              1.48103976427480074590e-1, 1.51986665636164571966e-2, 5.47593808499534494600e-4,
              1.05075007164441684324e-9)  # fmt: skip
_E: Final = (6.65790464350110377720e0, 5.46378491116411436990e0, 1.78482653991729133580e0,
              2.96560571828504891230e-1, 2.65321895265761230930e-2, 1.24266094738807843860e-3,
              2.71155556874348757815e-5, 2.01033439929228813265e-7)  # fmt: skip
_F: Final = (1.0, 5.99832206555887937690e-1, 1.36929880922735805310e-1, 1.48753612908506148525e-2,
              7.86869131145613259100e-4, 1.84631831751005468180e-5, 1.42151175831644588870e-7,
              2.04426310338993978564e-15)  # fmt: skip
"""Wichura's AS241 coefficients (constant term first), as in Python's `statistics`."""


def _poly(coefficients: tuple[float, ...], x: np.ndarray) -> np.ndarray:
    out = np.full_like(x, coefficients[-1])
    for c in coefficients[-2::-1]:
        out = out * x + c
    return out


def norm_ppf(p: np.ndarray) -> np.ndarray:
    """The standard normal's quantiles at ``p`` (vectorized; Wichura's AS241, as `statistics`).

    ``p = 0`` gives ``-inf`` and ``p = 1`` gives ``inf``.

    Example:
        >>> norm_ppf(np.array([0.5, 0.975])).round(4).tolist()
        [0.0, 1.96]
    """
    p = np.asarray(p, dtype=np.float64)
    q = p - 0.5
    out = np.empty_like(p)
    central = np.abs(q) <= 0.425
    qc = q[central]
    r = 0.180625 - qc * qc
    out[central] = qc * _poly(_A, r) / _poly(_B, r)
    tail = ~central
    qt, pt = q[tail], p[tail]
    with np.errstate(divide="ignore"):
        r = np.sqrt(-np.log(np.where(qt <= 0.0, pt, 1.0 - pt)))
    with np.errstate(invalid="ignore"):
        x = np.where(
            r <= 5.0,
            _poly(_C, r - 1.6) / _poly(_D, r - 1.6),
            _poly(_E, r - 5.0) / _poly(_F, r - 5.0),
        )
    x = np.where(np.isinf(r), np.inf, x)
    out[tail] = np.where(qt < 0.0, -x, x)
    return out


def triangular_ppf(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """The triangular distribution's quantiles at ``u`` (vectorized), within [low, high].

    The one formula behind `Triangular` and the default draw of a world figure's range
    (``low``, central value as ``mode``, ``high``); zero width gives ``mode`` everywhere.

    Example:
        >>> triangular_ppf(np.array([0.0, 0.5, 1.0]), 0.0, 0.5, 1.0).tolist()
        [0.0, 0.5, 1.0]
    """
    u = np.asarray(u, dtype=np.float64)
    width = high - low
    if width <= 0:
        return np.full(u.shape, mode)
    split = (mode - low) / width
    below = low + np.sqrt(u * width * (mode - low))
    above = high - np.sqrt((1.0 - u) * width * (high - mode))
    return np.asarray(np.clip(np.where(u < split, below, above), low, high))


def _norm_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


# --- the families --------------------------------------------------------------------------------


@attrs.frozen
class Distribution:
    """The base of the distributions: `ppf`, `central`, and the fields that hold values.

    Example:
        >>> isinstance(Uniform(0.2, 0.4), Distribution)
        True
    """

    tag: ClassVar[str] = ""
    """The name in files (``distribution = "<tag>"``)."""

    value_fields: ClassVar[tuple[str, ...]] = ()
    """The fields in the parameter's unit (checked by an `Override`)."""

    @property
    def central(self) -> Any:
        """The value a deterministic run uses (see each family)."""
        raise NotImplementedError

    def ppf(self, u: np.ndarray, unit: str) -> np.ndarray:
        """The quantiles at ``u`` (uniform numbers in [0, 1)) as plain floats in ``unit``."""
        raise NotImplementedError

    def map_values(self, check: Callable[[str, Any], Any]) -> Distribution:
        """A copy with ``check(field, value)`` applied to every value in the parameter's unit.

        Example:
            >>> Uniform(1, 2).map_values(lambda field, v: v * 2)
            Uniform(low=2.0, high=4.0)
        """
        changes: dict[str, Any] = {}
        for field in self.value_fields:
            v = getattr(self, field)
            if v is None:
                continue
            if isinstance(v, tuple):
                changes[field] = tuple(check(f"{field}[{i}]", x) for i, x in enumerate(v))
            else:
                changes[field] = check(field, v)
        return attrs.evolve(self, **changes)

    def __str__(self) -> str:
        parts = []
        for a in attrs.fields(type(self)):
            v = getattr(self, a.name)
            if v is None:
                continue
            shown = (
                "[" + ", ".join(_show(x) for x in v) + "]" if isinstance(v, tuple) else _show(v)
            )
            parts.append(f"{a.name} {shown}")
        return f"{self.tag}({', '.join(parts)})"


@attrs.frozen
class Uniform(Distribution):
    """Every value between ``low`` and ``high`` equally likely; central is the midpoint.

    Example:
        >>> Uniform(0.2, 0.4).ppf(np.array([0.0, 0.5]), "fraction").tolist()
        [0.2, 0.30000000000000004]
    """

    tag: ClassVar[str] = "uniform"
    value_fields: ClassVar[tuple[str, ...]] = ("low", "high")

    low: Any = attrs.field()
    high: Any = attrs.field()

    def __attrs_post_init__(self) -> None:
        _convert(self, "low", "high")
        m = _common({"low": self.low, "high": self.high}, "Uniform")
        if m["high"] < m["low"]:
            raise ValidationError("Uniform.high", f"a value not below low ({self.low})", self.high)

    @property
    def central(self) -> Any:
        """The midpoint.

        Example:
            >>> Uniform(1, 3).central
            2.0
        """
        return (self.low + self.high) / 2

    def ppf(self, u: np.ndarray, unit: str) -> np.ndarray:
        """``low + u × (high − low)``, in ``unit``."""
        low, high = _in(self.low, unit), _in(self.high, unit)
        return np.asarray(low + np.asarray(u, dtype=np.float64) * (high - low))


@attrs.frozen
class Triangular(Distribution):
    """The triangular distribution over ``low`` and ``high``, most likely at ``mode``.

    Central is the mode, as for the world figures' ranges.

    Example:
        >>> Triangular(0, 1, 2).ppf(np.array([0.0, 0.5]), "").tolist()
        [0.0, 1.0]
    """

    tag: ClassVar[str] = "triangular"
    value_fields: ClassVar[tuple[str, ...]] = ("low", "mode", "high")

    low: Any = attrs.field()
    mode: Any = attrs.field()
    high: Any = attrs.field()

    def __attrs_post_init__(self) -> None:
        _convert(self, "low", "mode", "high")
        m = _common({"low": self.low, "mode": self.mode, "high": self.high}, "Triangular")
        if not m["low"] <= m["mode"]:
            raise ValidationError(
                "Triangular.mode", f"a value not below low ({self.low})", self.mode
            )
        if not m["mode"] <= m["high"]:
            expected = f"a value not below mode ({self.mode})"
            raise ValidationError("Triangular.high", expected, self.high)

    @property
    def central(self) -> Any:
        """The mode.

        Example:
            >>> Triangular(0.1, 0.2, 0.5).central
            0.2
        """
        return self.mode

    def ppf(self, u: np.ndarray, unit: str) -> np.ndarray:
        """The triangular quantiles, in ``unit``."""
        low, mode, high = (_in(v, unit) for v in (self.low, self.mode, self.high))
        return triangular_ppf(u, low, mode, high)


@attrs.frozen
class Normal(Distribution):
    """The normal distribution, optionally truncated to [``low``, ``high``].

    Central is the mean (clipped to the truncation), the distribution's mode.

    Example:
        >>> n = Normal(0.5, 0.1, low=0.4)
        >>> float(n.ppf(np.array([0.0]), "fraction")[0]), n.central
        (0.4, 0.5)
    """

    tag: ClassVar[str] = "normal"
    value_fields: ClassVar[tuple[str, ...]] = ("mean", "sd", "low", "high")

    mean: Any = attrs.field()
    sd: Any = attrs.field()
    low: Any = attrs.field(default=None)
    high: Any = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        _convert(self, "mean", "sd", "low", "high", optional=("low", "high"))
        given = {k: getattr(self, k) for k in self.value_fields if getattr(self, k) is not None}
        m = _common(given, "Normal")
        if m["sd"] < 0:
            raise ValidationError("Normal.sd", "a standard deviation, not negative", self.sd)
        if "low" in m and "high" in m and not m["low"] < m["high"]:
            raise ValidationError("Normal.high", f"a value above low ({self.low})", self.high)

    @property
    def central(self) -> Any:
        """The mean, clipped to the truncation.

        Example:
            >>> Normal(1.0, 0.5, high=0.8).central
            0.8
        """
        m = _common({k: getattr(self, k) for k in ("mean", "low", "high")
                     if getattr(self, k) is not None}, "Normal")  # fmt: skip
        if "low" in m and m["mean"] < m["low"]:
            return self.low
        if "high" in m and m["mean"] > m["high"]:
            return self.high
        return self.mean

    def ppf(self, u: np.ndarray, unit: str) -> np.ndarray:
        """The (truncated) normal quantiles, in ``unit``."""
        mean, sd = _in(self.mean, unit), _in(self.sd, unit)
        low = -math.inf if self.low is None else _in(self.low, unit)
        high = math.inf if self.high is None else _in(self.high, unit)
        u = np.asarray(u, dtype=np.float64)
        if sd == 0:
            return np.full(u.shape, min(max(mean, low), high))
        pa = 0.0 if self.low is None else _norm_cdf((low - mean) / sd)
        pb = 1.0 if self.high is None else _norm_cdf((high - mean) / sd)
        if pa > 0.5:  # truncated in the upper tail: from the other side, where floats are fine
            sa, sb = (
                _norm_cdf((mean - low) / sd),
                1.0 - pb if self.high is None else (_norm_cdf((mean - high) / sd)),
            )
            x = mean - sd * norm_ppf(sa - u * (sa - sb))
        else:
            x = mean + sd * norm_ppf(pa + u * (pb - pa))
        return np.asarray(np.clip(x, low, high))


@attrs.frozen
class LogNormal(Distribution):
    """The lognormal distribution: ``median × exp(sigma × Z)`` for a standard normal ``Z``.

    ``sigma`` is the standard deviation of the logarithm (a plain number); central is the
    median. `from_range` builds one from a 90% range (the 5% and 95% quantiles).

    Example:
        >>> d = LogNormal.from_range("2 GW", "8 GW")
        >>> d.median, round(d.sigma, 4)
        (<Quantity(4.0, 'gigawatt')>, 0.4214)
    """

    tag: ClassVar[str] = "lognormal"
    value_fields: ClassVar[tuple[str, ...]] = ("median",)

    median: Any = attrs.field()
    sigma: float = attrs.field()

    def __attrs_post_init__(self) -> None:
        _convert(self, "median", "sigma")
        if hasattr(self.sigma, "units"):
            raise ValidationError("LogNormal.sigma", "a plain number (of the log)", self.sigma)
        if self.sigma < 0:
            raise ValidationError("LogNormal.sigma", "a number, not negative", self.sigma)
        if _common({"median": self.median}, "LogNormal")["median"] <= 0:
            raise ValidationError("LogNormal.median", "a value above zero", self.median)

    @classmethod
    def from_range(cls, low: Any, high: Any) -> LogNormal:
        """The lognormal whose 5% and 95% quantiles are ``low`` and ``high``.

        Example:
            >>> LogNormal.from_range(1, 100).median
            10.0
        """
        m = _common({"low": _value(low, "LogNormal.low"), "high": _value(high, "LogNormal.high")},
                    "LogNormal")  # fmt: skip
        if not 0 < m["low"] < m["high"]:
            raise ValidationError("LogNormal.high", f"a value above low ({low}) > 0", high)
        low_v = _value(low, "LogNormal.low")
        median = low_v * math.sqrt(m["high"] / m["low"])
        return cls(median, math.log(m["high"] / m["low"]) / (2 * _Z90))

    @property
    def central(self) -> Any:
        """The median.

        Example:
            >>> LogNormal(3.0, 0.5).central
            3.0
        """
        return self.median

    def ppf(self, u: np.ndarray, unit: str) -> np.ndarray:
        """The lognormal quantiles, in ``unit``."""
        median = _in(self.median, unit)
        u = np.asarray(u, dtype=np.float64)
        if self.sigma == 0:
            return np.full(u.shape, median)
        return np.asarray(median * np.exp(self.sigma * norm_ppf(u)))


def _values(value: Any) -> tuple[Any, ...]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ValidationError("Choice.values", "a list of values", repr(value))
    items = tuple(_value(v, f"Choice.values[{i}]") for i, v in enumerate(value))
    if not items:
        raise ValidationError("Choice.values", "at least one value", "none")
    return items


def _weights(value: Any) -> tuple[float, ...] | None:
    if value is None:
        return None
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ValidationError("Choice.weights", "a list of numbers", repr(value))
    out = []
    for i, w in enumerate(value):
        x = _value(w, f"Choice.weights[{i}]")
        if hasattr(x, "units") or x < 0:
            raise ValidationError(f"Choice.weights[{i}]", "a plain number, not negative", w)
        out.append(x)
    return tuple(out)


@attrs.frozen
class Choice(Distribution):
    """One of ``values``, with ``weights`` (equal when None); central is the most likely.

    The quantiles run over the values in increasing order (so `ppf` never decreases).

    Example:
        >>> c = Choice(["1 GW", "3 GW", "2 GW"], weights=[1, 1, 2])
        >>> c.central, c.ppf(np.array([0.1, 0.4, 0.9]), "GW").tolist()
        (<Quantity(2.0, 'gigawatt')>, [1.0, 2.0, 3.0])
    """

    tag: ClassVar[str] = "choice"
    value_fields: ClassVar[tuple[str, ...]] = ("values",)

    values: tuple[Any, ...] = attrs.field(converter=_values)
    weights: tuple[float, ...] | None = attrs.field(default=None, converter=_weights)

    def __attrs_post_init__(self) -> None:
        _common({f"values[{i}]": v for i, v in enumerate(self.values)}, "Choice")
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                expected = f"one weight per value ({len(self.values)})"
                raise ValidationError("Choice.weights", expected, len(self.weights))
            if not sum(self.weights) > 0:
                raise ValidationError("Choice.weights", "weights that sum above zero", "zero")

    def _probabilities(self) -> np.ndarray:
        w = np.ones(len(self.values)) if self.weights is None else np.array(self.weights)
        return np.asarray(w / w.sum())

    @property
    def central(self) -> Any:
        """The most likely value (the first of them on a tie).

        Example:
            >>> Choice([0.1, 0.2]).central
            0.1
        """
        return self.values[int(np.argmax(self._probabilities()))]

    def ppf(self, u: np.ndarray, unit: str) -> np.ndarray:
        """The value whose share of the cumulative weight (values in order) holds ``u``."""
        m = np.array([_in(v, unit) for v in self.values])
        order = np.argsort(m, kind="stable")
        cum = np.cumsum(self._probabilities()[order])
        index = np.searchsorted(cum, np.asarray(u, dtype=np.float64), side="right")
        return np.asarray(m[order][np.minimum(index, len(m) - 1)])


DISTRIBUTIONS: Final[dict[str, type[Distribution]]] = {
    cls.tag: cls for cls in (Uniform, Triangular, Normal, LogNormal, Choice)
}
"""Each family by its name in files."""


def from_table(table: Mapping[str, Any], where: str = "value") -> Distribution:
    """A distribution from a file's table: ``{distribution = "triangular", low = ...}``.

    Every problem of the table is reported in one error.

    Example:
        >>> from_table({"distribution": "uniform", "low": 0.1, "high": 0.3})
        Uniform(low=0.1, high=0.3)
        >>> from_table({"distribution": "uniform", "lo": 0.1})
        Traceback (most recent call last):
        ...
        fullstack.ValidationError: value: expected a uniform distribution (low, high), got unknown key 'lo'; missing 'low'; missing 'high'
    """  # noqa: E501
    tag = table.get("distribution")
    cls = DISTRIBUTIONS.get(tag) if isinstance(tag, str) else None
    if cls is None:
        known = ", ".join(repr(t) for t in DISTRIBUTIONS)
        raise ValidationError(f"{where}.distribution", f"one of {known}", repr(tag))
    fields = [a for a in attrs.fields(cls) if a.init]
    names = [a.name for a in fields]
    problems = [f"unknown key {k!r}" for k in table if k != "distribution" and k not in names]
    problems += [
        f"missing {a.name!r}" for a in fields if a.default is attrs.NOTHING and a.name not in table
    ]
    if problems:
        raise ValidationError(where, f"a {tag} distribution ({', '.join(names)})",
                              "; ".join(problems))  # fmt: skip
    kwargs = {k: v for k, v in table.items() if k != "distribution"}
    try:
        return cls(**kwargs)
    except ValidationError as exc:
        raise ValidationError(f"{where}.{exc.where.split('.', 1)[-1]}", exc.expected,
                              exc.got) from None  # fmt: skip


# --- correlations --------------------------------------------------------------------------------


def _rho(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not -1 < value < 1:
        raise ValidationError("Correlation.rho", "a number between -1 and 1 (not either)", value)
    return float(value)


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("Correlation", "a parameter's name", repr(value))
    return value.strip()


@attrs.frozen(kw_only=True)
class Correlation:
    """A rank (Spearman) correlation between two named parameters of a scenario.

    Each name is a parameter whose value an ensemble draws: a world figure with a range
    (``"cn.hbm.stockpile"`` draws ``CN.hbm_stockpile``), or a scenario assumption that is a
    distribution. `fullstack.Scenario` checks the names and that its correlations together
    form a valid (positive definite) matrix.

    Attributes:
        a: The first parameter's name.
        b: The second's.
        rho: The rank correlation, strictly between -1 and 1.

    Example:
        >>> Correlation(a="cn.hbm.stockpile", b="cn.chips.smuggling_share", rho=0.5).rho
        0.5
    """

    a: str = attrs.field(converter=_name)
    b: str = attrs.field(converter=_name)
    rho: float = attrs.field(converter=_rho)

    def __attrs_post_init__(self) -> None:
        if self.a == self.b:
            raise ValidationError("Correlation.b", "another parameter than a", repr(self.b))


def check_correlations(items: Sequence[Correlation], where: str = "correlations") -> None:
    """Check correlations together: two different names each, one per pair, and a positive
    definite matrix (the first correlation that breaks it is named).

    Example:
        >>> pair = [Correlation(a="x", b="y", rho=0.9), Correlation(a="x", b="z", rho=0.9),
        ...         Correlation(a="y", b="z", rho=-0.9)]
        >>> check_correlations(pair)
        Traceback (most recent call last):
        ...
        fullstack.ValidationError: correlations[1]: expected correlations that together form a positive definite matrix, got x ~ z (rho 0.9) cannot hold with the correlations before it
    """  # noqa: D205, E501
    seen: set[frozenset[str]] = set()
    names: list[str] = []
    for i, c in enumerate(items):
        if c.a == c.b:
            raise ValidationError(f"{where}[{i}]", "two different parameters", f"{c.a} twice")
        if frozenset((c.a, c.b)) in seen:
            raise ValidationError(
                f"{where}[{i}]", "one correlation per pair", f"{c.a} ~ {c.b} again"
            )
        seen.add(frozenset((c.a, c.b)))
        names += [n for n in (c.a, c.b) if n not in names]
    matrix = np.eye(len(names))
    for i, c in enumerate(items):
        j, k = names.index(c.a), names.index(c.b)
        matrix[j, k] = matrix[k, j] = c.rho
        try:
            np.linalg.cholesky(matrix)
        except np.linalg.LinAlgError:
            raise ValidationError(
                f"{where}[{i}]",
                "correlations that together form a positive definite matrix",
                f"{c.a} ~ {c.b} (rho {c.rho:g}) cannot hold with the correlations before it",
            ) from None
