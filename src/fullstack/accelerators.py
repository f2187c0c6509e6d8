"""AI accelerators: unit-checked, sourced specifications and the built-in catalog.

An `Accelerator` holds what the export rules and the compute model need: dense throughput per
`Precision`, memory, bandwidths, the applicable logic die area, TDP and whether the part is
designed or marketed for data centers. Every figure is an `Estimate` with its `Source` (or an
`Assumption`), and a low/high range where sources disagree. From those figures it derives TPP,
performance density, H100-equivalents, FLOP/s per watt and memory bandwidth per FLOP.

`accelerators()` returns the catalog shipped with the package (``datasets/accelerators.toml``),
built mostly from Epoch AI's *Data on Machine Learning Hardware* (CC BY 4.0: credit Epoch AI
wherever its figures are used). Figures that no public source gives are missing, never guessed.

Example:
    >>> from fullstack import accelerators
    >>> h100 = accelerators()["h100 sxm"]
    >>> h100.tpp
    <Quantity(15832.0, 'TPP')>
    >>> round(float(accelerators()["Ascend 910B"].h100e.magnitude), 2)
    0.38
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final

import attrs

from fullstack._data import (
    Catalog,
    check_schema_version,
    checked_estimate,
    load_sources,
    parse_figure,
    read_toml,
)
from fullstack._validators import check_optional_year
from fullstack.errors import (
    FileFormatError,
    MissingExtraError,
    Problem,
    UnknownNameError,
    ValidationError,
)
from fullstack.precision import Precision, Throughput
from fullstack.provenance import Estimate, Provenance, Source
from fullstack.units import Q_, Quantity, format_quantity

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Accelerator", "AcceleratorCatalog", "accelerator", "accelerators"]


_FLOAT_UNIT: Final = "TFLOP/s"
_H100_EIGHT_BIT: Final = Q_(1979.0, "TOPS")
"""One H100 SXM's dense INT8 rate (Epoch AI), the 8-bit reference of `Accelerator.h100e`."""
_INT_UNIT: Final = "TOPS"
_SPEC_UNITS: Final = {
    "memory": "GB",
    "memory_bandwidth": "GB/s",
    "io_bandwidth": "GB/s",
    "die_area": "mm**2",
    "tdp": "W",
    "hbm_stacks": "hbm_stack",
}


def _checked_estimate(value: Any, unit: str, where: str) -> Estimate:
    if isinstance(value, Throughput):
        value = value.value
    count = unit if unit == "hbm_stack" else None  # a bare whole number counts HBM stacks only
    return checked_estimate(value, unit, where, positive=True, count=count)


def _spec(value: Any, name: str) -> Estimate | None:
    """Convert an optional figure: None stays None, anything else is checked."""
    if value is None:
        return None
    return _checked_estimate(value, _SPEC_UNITS[name], f"Accelerator.{name}")


def _to_memory(value: Any) -> Estimate | None:
    return _spec(value, "memory")


def _to_memory_bandwidth(value: Any) -> Estimate | None:
    return _spec(value, "memory_bandwidth")


def _to_io_bandwidth(value: Any) -> Estimate | None:
    return _spec(value, "io_bandwidth")


def _to_die_area(value: Any) -> Estimate | None:
    return _spec(value, "die_area")


def _to_tdp(value: Any) -> Estimate | None:
    return _spec(value, "tdp")


def _to_hbm_stacks(value: Any) -> Estimate | None:
    return _spec(value, "hbm_stacks")


def _to_throughputs(value: Any) -> Mapping[Precision, Estimate]:
    if value is None:
        return MappingProxyType({})
    if isinstance(value, Throughput):
        value = {value.precision: value}
    if not isinstance(value, Mapping):
        raise ValidationError(
            "Accelerator.throughput",
            "a mapping from precision to rate, e.g. {'BF16': '989.4 TFLOP/s'}",
            repr(value),
        )
    out: dict[Precision, Estimate] = {}
    for key, rate in value.items():
        precision = Precision.parse(key)
        unit = _INT_UNIT if precision.is_integer else _FLOAT_UNIT
        where = f"Accelerator.throughput[{precision.name}]"
        if isinstance(rate, Throughput) and rate.precision is not precision:
            raise ValidationError(where, f"a {precision.name} throughput", str(rate))
        out[precision] = _checked_estimate(rate, unit, where)
    ordered = dict(sorted(out.items(), key=lambda kv: list(Precision).index(kv[0])))
    return MappingProxyType(ordered)  # read-only: the spec is frozen, the catalog shared


def _to_names(value: Any) -> tuple[str, ...]:
    """A string is one name (not a sequence of letters); anything else is iterated."""
    if isinstance(value, str):
        return (value,)
    names = tuple(value)
    for n in names:
        if not isinstance(n, str):
            raise ValidationError("Accelerator.aliases", "strings", repr(n))
    return names


def _check_name(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        where = f"{type(instance).__name__}.{attribute.name}"
        raise ValidationError(where, "a non-empty string", repr(value))


def _check_datacenter(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise ValidationError(
            "Accelerator.datacenter",
            "True (designed or marketed for data centers), False, or None (unknown)",
            repr(value),
        )


_STATUSES: Final = ("released", "announced")


def _check_status(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value not in _STATUSES:
        raise ValidationError(
            "Accelerator.status",
            "'released' (on sale) or 'announced' (announced, volume shipments not confirmed by "
            "the sources)",
            repr(value),
        )


def _to_confirmations(value: Any) -> Mapping[str, tuple[Source, ...]]:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise ValidationError(
            "Accelerator.confirmed_by",
            "a mapping from figure name to the sources that confirm it",
            repr(value),
        )
    out: dict[str, tuple[Source, ...]] = {}
    for figure, sources in value.items():
        where = f"Accelerator.confirmed_by[{figure}]"
        items = (sources,) if isinstance(sources, Source) else tuple(sources)
        if not items or not all(isinstance(s, Source) for s in items):
            raise ValidationError(where, "one or more Source objects", repr(sources))
        out[str(figure)] = items
    return MappingProxyType(dict(sorted(out.items())))


def _magnitude(q: Any, unit: str) -> float:
    return float(q.m_as(unit))


@attrs.frozen(kw_only=True)
class Accelerator:
    """An AI accelerator's specification, each figure unit-checked and sourced.

    Figures may be given as `Estimate` objects (with their `Source`), or as quantities or strings
    such as ``"80 GB"`` for a chip of your own design; those are recorded with the `GIVEN`
    assumption so that nothing looks sourced that is not. Missing figures are ``None``: derived
    values that need them are ``None`` too, never guessed.

    Attributes:
        name: The product name, e.g. ``"H100 SXM"``.
        vendor: The designer, e.g. ``"NVIDIA"``.
        designer_jurisdiction: Where the designer is based (ISO code such as ``"US"``, ``"CN"``).
        year: Year of release, if known.
        datacenter: Whether it is designed or marketed for use in data centers (the 2023 rule's
            Note 2 test); None when unknown.
        throughput: Dense (non-sparse) rate per precision; floating-point rates in FLOP/s,
            integer rates in OP/s.
        memory: On-package memory capacity.
        memory_bandwidth: Memory bandwidth.
        io_bandwidth: Aggregate chip-to-chip I/O bandwidth (NVLink, Infinity Fabric, HCCS ...).
        die_area: Applicable die area in the rules' sense: all logic dies on non-planar process
            nodes, HBM excluded.
        tdp: Thermal design power.
        hbm_stacks: Number of HBM stacks, where known.
        process_node: Foundry and node, e.g. ``"TSMC 4N"``.
        status: ``"released"`` (on sale) or ``"announced"`` (announced by its designer; the
            sources do not confirm volume shipments, so its figures are the designer's plans).
        aliases: Other names the part is known by (used by catalog lookup).
        cites: Datasheet links the sources themselves cite (not read by fullstack).
        confirmed_by: For each figure (``"throughput.BF16"``, ``"memory"`` ...), further
            independent sources that give the same value (within 2%). A figure with a `Source`
            and no confirmation rests on a single source.
        note: Free-text remarks.

    Example:
        >>> chip = Accelerator(name="My chip", vendor="Me", designer_jurisdiction="CN",
        ...                    throughput={"FP8": "1200 TFLOP/s"}, die_area="800 mm^2",
        ...                    datacenter=True)
        >>> chip.tpp, chip.performance_density
        (<Quantity(9600.0, 'TPP')>, <Quantity(12.0, 'TPP / millimeter ** 2')>)
    """

    name: str = attrs.field(validator=_check_name)
    vendor: str = attrs.field(default="unknown", validator=_check_name)
    designer_jurisdiction: str = attrs.field(default="unknown", validator=_check_name)
    year: int | None = attrs.field(default=None, validator=check_optional_year)
    datacenter: bool | None = attrs.field(default=None, validator=_check_datacenter)
    throughput: Mapping[Precision, Estimate] = attrs.field(
        factory=dict, converter=_to_throughputs, hash=False
    )
    memory: Estimate | None = attrs.field(default=None, converter=_to_memory)
    memory_bandwidth: Estimate | None = attrs.field(default=None, converter=_to_memory_bandwidth)
    io_bandwidth: Estimate | None = attrs.field(default=None, converter=_to_io_bandwidth)
    die_area: Estimate | None = attrs.field(default=None, converter=_to_die_area)
    tdp: Estimate | None = attrs.field(default=None, converter=_to_tdp)
    hbm_stacks: Estimate | None = attrs.field(default=None, converter=_to_hbm_stacks)
    process_node: str = ""
    status: str = attrs.field(default="released", validator=_check_status)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_to_names)
    cites: tuple[str, ...] = attrs.field(default=(), converter=_to_names)
    confirmed_by: Mapping[str, tuple[Source, ...]] = attrs.field(
        factory=dict, converter=_to_confirmations, hash=False
    )
    note: str = ""

    @confirmed_by.validator
    def _check_confirmed(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        figures = self.figures()
        for figure, sources in value.items():
            where = f"Accelerator.confirmed_by[{figure}]"
            est = figures.get(figure)
            if est is None:
                raise ValidationError(
                    where, f"one of this spec's figures {sorted(figures)}", figure
                )
            if est.source in sources:
                raise ValidationError(
                    where, "sources other than the figure's own", est.source.cite()
                )

    @property
    def announced(self) -> bool:
        """Whether the part is announced but not confirmed shipping (see `status`).

        Example:
            >>> accelerators()["Ascend 960"].announced, accelerators()["H100"].announced
            (True, False)
        """
        return self.status == "announced"

    # --- derived figures -----------------------------------------------------------------

    def rate(self, precision: Precision | str) -> Throughput | None:
        """The dense rate at one precision, or None if no source gives it.

        Example:
            >>> accelerators()["H100 SXM"].rate("BF16")
            Throughput(value=<Quantity(989.4, 'teraFLOP / second')>, precision=<Precision.BF16: 'BF16'>)
        """  # noqa: E501
        p = Precision.parse(precision)
        est = self.throughput.get(p)
        return None if est is None else Throughput(est.value, p)

    def _tpp_at(self, which: str) -> tuple[float, Precision] | None:
        best: tuple[float, Precision] | None = None
        # On ties, report the shortest format (the INT8/FP8 rate the rule's example uses).
        for p, est in sorted(self.throughput.items(), key=lambda kv: kv[0].bit_length):
            value = getattr(est, which) if which != "value" else est.value
            if value is None:
                value = est.value
            tpp = _magnitude(Throughput(value, p).tpp, "TPP")
            if best is None or tpp > best[0]:
                best = (tpp, p)
        return best

    @property
    def tpp(self) -> Quantity | None:
        """Total processing performance: the highest 2 × MacTOPS × bit length over precisions.

        Uses dense rates, as the rules' Technical Note 3 requires. Only published precisions are
        considered; see `tpp_precision` for the one that sets the figure.

        Example:
            >>> accelerators()["H20"].tpp
            <Quantity(2368.0, 'TPP')>
        """
        best = self._tpp_at("value")
        return None if best is None else Q_(best[0], "TPP")

    @property
    def tpp_precision(self) -> Precision | None:
        """The precision whose rate × bit length gives the TPP (the first such, on ties).

        Example:
            >>> accelerators()["Ascend 910B"].tpp_precision
            <Precision.FP16: 'FP16'>
        """
        best = self._tpp_at("value")
        return None if best is None else best[1]

    @property
    def tpp_range(self) -> tuple[Quantity, Quantity] | None:
        """TPP at the low and high ends of the throughput estimates (central where no range).

        Example:
            >>> low, high = accelerators()["Ascend 910B"].tpp_range
            >>> low, high
            (<Quantity(4480.0, 'TPP')>, <Quantity(6400.0, 'TPP')>)
        """
        low = self._tpp_at("low")
        high = self._tpp_at("high")
        if low is None or high is None:
            return None
        return Q_(low[0], "TPP"), Q_(high[0], "TPP")

    @property
    def performance_density(self) -> Quantity | None:
        """TPP divided by the applicable die area, in TPP/mm² (None if either is unknown).

        Example:
            >>> round(float(accelerators()["H20"].performance_density.magnitude), 2)
            2.9
        """
        tpp = self.tpp
        if tpp is None or self.die_area is None:
            return None
        pd: Quantity = (tpp / self.die_area.value).to("TPP/mm**2")
        return pd

    def _sixteen_bit(self) -> Throughput | None:
        for p in (Precision.BF16, Precision.FP16):
            rate = self.rate(p)
            if rate is not None:
                return rate
        return None

    @property
    def h100e(self) -> Quantity | None:
        """H100-equivalents: the dense 16-bit floating-point rate over one H100 SXM's BF16 rate.

        Uses BF16 where published and otherwise FP16 (many Chinese parts publish only FP16,
        which runs at the same rate on the parts that publish both). A part that publishes no
        16-bit rate but an 8-bit one (FP8, else INT8) is counted as that rate over the H100
        SXM's dense 8-bit rate (1,979), as Epoch AI's chip-sales data counts H100e. None
        without any of these.

        Example:
            >>> accelerators()["H100 SXM"].h100e
            <Quantity(1.0, 'H100e')>
            >>> round(float(accelerators()["Ascend 950DT"].h100e.magnitude), 3)
            0.505
        """
        rate = self._sixteen_bit()
        if rate is not None:
            h: Quantity = rate.value.to("H100e")
            return h
        for p in (Precision.FP8, Precision.INT8):
            eight = self.rate(p)
            if eight is not None:
                ratio = float((eight.value / _H100_EIGHT_BIT).m_as("dimensionless"))
                return Q_(ratio, "H100e")
        return None

    @property
    def flops_per_watt(self) -> Quantity | None:
        """Dense 16-bit FLOP/s per watt of TDP, in TFLOP/s/W.

        Example:
            >>> accelerators()["H100 SXM"].flops_per_watt
            <Quantity(1.41342857, 'teraFLOP / second / watt')>
        """
        rate = self._sixteen_bit()
        if rate is None or self.tdp is None:
            return None
        out: Quantity = (rate.value / self.tdp.value).to("TFLOP/s/W")
        return out

    @property
    def bandwidth_per_flop(self) -> Quantity | None:
        """Memory bandwidth per dense 16-bit FLOP, in bytes per FLOP.

        Example:
            >>> round(float(accelerators()["H20"].bandwidth_per_flop.magnitude), 3)
            0.027
        """
        rate = self._sixteen_bit()
        if rate is None or self.memory_bandwidth is None:
            return None
        out: Quantity = (self.memory_bandwidth.value / rate.value).to("B/FLOP")
        return out

    # --- provenance and display ------------------------------------------------------------

    def figures(self) -> dict[str, Estimate]:
        """Every figure the spec holds, by field name (throughputs as ``throughput.BF16``).

        Example:
            >>> sorted(accelerators()["H20"].figures())[:3]
            ['die_area', 'io_bandwidth', 'memory']
        """
        out: dict[str, Estimate] = {}
        for p, est in self.throughput.items():
            out[f"throughput.{p.name}"] = est
        for name in _SPEC_UNITS:
            est = getattr(self, name)
            if est is not None:
                out[name] = est
        return dict(sorted(out.items()))

    def sources(self) -> list[Provenance]:
        """The distinct sources and assumptions behind this spec's figures and confirmations.

        Example:
            >>> [s.publisher for s in accelerators()["H100 SXM"].sources()
            ...  if isinstance(s, Source)][:1]
            ['Epoch AI']
        """
        seen: dict[Any, Provenance] = {}
        for est in self.figures().values():
            seen.setdefault(est.source, est.source)
        for sources in self.confirmed_by.values():
            for src in sources:
                seen.setdefault(src, src)
        return list(seen.values())

    def provenance(self) -> dict[str, str]:
        """How each figure is backed, by field name.

        ``"confirmed"``: a source and at least one more that agrees; ``"single-source"``: one
        source; ``"assumption"``: derived or estimated, not published.

        Example:
            >>> accelerators()["A100"].provenance()["throughput.BF16"]
            'confirmed'
        """
        out: dict[str, str] = {}
        for field, est in self.figures().items():
            if not isinstance(est.source, Source):
                out[field] = "assumption"
            elif self.confirmed_by.get(field):
                out[field] = "confirmed"
            else:
                out[field] = "single-source"
        return out

    def _rows(self) -> list[tuple[str, str, str]]:
        rows = []
        for field, est in self.figures().items():
            value = format_quantity(est.value)
            if est.has_range:
                value += f" ({format_quantity(est.low)} to {format_quantity(est.high)})"
            rows.append((field, value, est.source.cite()))
        return rows

    def _repr_html_(self) -> str:
        import html

        head = (
            f"<b>{html.escape(self.name)}</b> ({html.escape(self.vendor)}, "
            f"{html.escape(self.designer_jurisdiction)}, {self.year or 'year unknown'})"
        )
        derived = [
            ("TPP", self.tpp),
            ("performance density", self.performance_density),
            ("H100e", self.h100e),
        ]
        cells = "".join(
            f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td><td>{html.escape(s)}</td></tr>"
            for k, v, s in self._rows()
        )
        cells += "".join(
            f"<tr><td><i>{k}</i></td><td>{'' if v is None else format_quantity(v)}</td>"
            "<td>derived</td></tr>"
            for k, v in derived
        )
        return f"<p>{head}</p><table><tr><th>figure</th><th>value</th><th>source</th></tr>{cells}</table>"  # noqa: E501


# --- the catalog -----------------------------------------------------------------------------


class AcceleratorCatalog(Catalog[Accelerator]):
    """A read-only collection of accelerators, looked up forgivingly by name or alias.

    Lookup ignores case, spaces, hyphens and underscores, and accepts aliases (``"h100"`` finds
    ``"H100 SXM"``). An unknown name raises `UnknownNameError` with the closest names.

    Example:
        >>> cat = accelerators()
        >>> cat["rtx 4090d"].name
        'GeForce RTX 4090 D'
        >>> cat.resolve("910b")
        'Ascend 910B'
        >>> cat["H100 SMX"]
        Traceback (most recent call last):
        ...
        fullstack.UnknownNameError: unknown accelerator 'H100 SMX' (of ...
    """

    kind = "accelerator"

    def __init__(self, items: Iterable[Accelerator]) -> None:
        """Build a catalog; names and aliases must be unique after normalization."""
        super().__init__(
            items, name_of=lambda a: a.name, aliases_of=lambda a: a.aliases, item_type=Accelerator
        )

    def sources(self) -> list[Provenance]:
        """Every distinct source and assumption behind the catalog's figures.

        Example:
            >>> any(getattr(s, "license", None) == "CC BY 4.0" for s in accelerators().sources())
            True
        """
        seen: dict[Any, Provenance] = {}
        for acc in self._items.values():
            for s in acc.sources():
                seen.setdefault(s, s)
        return list(seen.values())

    def provenance_counts(self) -> dict[str, int]:
        """How many figures in the catalog are confirmed, single-source or assumptions.

        Example:
            >>> sorted(accelerators().provenance_counts())
            ['assumption', 'confirmed', 'single-source']
        """
        counts = {"confirmed": 0, "single-source": 0, "assumption": 0}
        for acc in self._items.values():
            for kind in acc.provenance().values():
                counts[kind] += 1
        return counts

    def rows(self) -> list[dict[str, Any]]:
        """One plain dict per accelerator: name, vendor, year and the main figures as floats.

        Units are in the keys (``tpp``, ``die_area_mm2``, ``bf16_tflops`` ...). Missing figures
        are None.

        Example:
            >>> accelerators().rows()[0]["name"]
            'A100 SXM4 80GB'
        """

        def m(q: Quantity | None, unit: str) -> float | None:
            return None if q is None else _magnitude(q, unit)

        def est(e: Estimate | None, unit: str) -> float | None:
            return None if e is None else _magnitude(e.value, unit)

        out = []
        for a in self._items.values():
            sixteen = a._sixteen_bit()
            out.append(
                {
                    "name": a.name,
                    "vendor": a.vendor,
                    "jurisdiction": a.designer_jurisdiction,
                    "year": a.year,
                    "status": a.status,
                    "datacenter": a.datacenter,
                    "tpp": m(a.tpp, "TPP"),
                    "performance_density": m(a.performance_density, "TPP/mm**2"),
                    "h100e": m(a.h100e, "H100e"),
                    "tflops_16bit": None if sixteen is None else m(sixteen.value, "TFLOP/s"),
                    "memory_gb": est(a.memory, "GB"),
                    "memory_bandwidth_gbps": est(a.memory_bandwidth, "GB/s"),
                    "io_bandwidth_gbps": est(a.io_bandwidth, "GB/s"),
                    "die_area_mm2": est(a.die_area, "mm**2"),
                    "tdp_w": est(a.tdp, "W"),
                }
            )
        return out

    def to_frame(self) -> pd.DataFrame:
        """The catalog as a pandas DataFrame (needs the ``frames`` extra), one row per chip.

        Example:
            >>> frame = accelerators().to_frame()
            >>> float(frame.loc["H20", "tpp"])
            2368.0
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise MissingExtraError("frames", "DataFrames (to_frame)") from exc
        return pd.DataFrame(self.rows()).set_index("name")

    def _repr_html_(self) -> str:
        import html

        rows = self.rows()
        cols = ["vendor", "year", "datacenter", "tpp", "performance_density", "h100e"]
        head = "".join(f"<th>{c}</th>" for c in ["name", *cols])

        def cell(v: Any) -> str:
            if v is None:
                return ""
            if isinstance(v, float):
                return f"{v:,.4g}"
            return html.escape(str(v))

        body = "".join(
            "<tr>" + "".join(f"<td>{cell(r[c])}</td>" for c in ["name", *cols]) + "</tr>"
            for r in rows
        )
        credit = (
            "<p>Figures mostly from Epoch AI, <i>Data on Machine Learning Hardware</i> "
            "(CC BY 4.0).</p>"
        )
        return f"<table><tr>{head}</tr>{body}</table>{credit}"


# --- loading the shipped data ------------------------------------------------------------------

_ENTRY_FIELDS: Final = {
    "name",
    "aliases",
    "vendor",
    "designer_jurisdiction",
    "year",
    "datacenter",
    "process_node",
    "status",
    "cites",
    "confirmed_by",
    "note",
    "throughput",
    *_SPEC_UNITS,
}


def _load_entry(
    raw: Any, where: str, sources: Mapping[str, Source], problems: list[Problem]
) -> Accelerator | None:
    """Read one entry, recording every problem (each figure is checked on its own)."""
    if not isinstance(raw, dict):
        problems.append(Problem(where, f"expected a table, got {raw!r}"))
        return None
    label = f"{where} ({raw['name']})" if isinstance(raw.get("name"), str) else where
    before = len(problems)
    unknown = set(raw) - _ENTRY_FIELDS
    if unknown:
        message = f"unknown fields {sorted(unknown)}; known: {sorted(_ENTRY_FIELDS)}"
        problems.append(Problem(label, message))
    plain = _ENTRY_FIELDS - {"throughput", "confirmed_by", *_SPEC_UNITS}
    kwargs = {k: v for k, v in raw.items() if k in plain}
    kwargs["confirmed_by"] = _load_confirmations(
        raw.get("confirmed_by", {}), label, sources, problems
    )
    throughput = raw.get("throughput", {})
    rates: dict[Precision, Estimate] = {}
    if not isinstance(throughput, dict):
        problems.append(Problem(f"{label}.throughput", f"expected a table, got {throughput!r}"))
        throughput = {}
    for key, fig in throughput.items():
        at = f"{label}.throughput.{key}"
        try:
            precision = Precision.parse(key)
            unit = _INT_UNIT if precision.is_integer else _FLOAT_UNIT
            rates[precision] = _checked_estimate(parse_figure(fig, at, sources), unit, at)
        except (ValidationError, UnknownNameError, TypeError, ValueError) as exc:
            problems.append(Problem(at, _without_place(str(exc), at)))
    kwargs["throughput"] = rates
    for name, unit in _SPEC_UNITS.items():
        if name in raw:
            at = f"{label}.{name}"
            try:
                kwargs[name] = _checked_estimate(parse_figure(raw[name], at, sources), unit, at)
            except (ValidationError, UnknownNameError, TypeError, ValueError) as exc:
                problems.append(Problem(at, _without_place(str(exc), at)))
    if len(problems) > before:
        return None
    try:
        return Accelerator(**kwargs)
    except (ValidationError, UnknownNameError, TypeError, ValueError) as exc:
        problems.append(Problem(label, str(exc)))
        return None


def _load_confirmations(
    raw: Any, label: str, sources: Mapping[str, Source], problems: list[Problem]
) -> dict[str, tuple[Source, ...]]:
    """Read ``confirmed_by = { "throughput.BF16" = ["key", ...], ... }`` (source keys)."""
    at = f"{label}.confirmed_by"
    if not isinstance(raw, dict):
        problems.append(Problem(at, f"expected a table of figure = [source keys], got {raw!r}"))
        return {}
    out: dict[str, tuple[Source, ...]] = {}
    for figure, keys in raw.items():
        keys = [keys] if isinstance(keys, str) else keys
        if not isinstance(keys, list) or not keys:
            problems.append(
                Problem(f"{at}.{figure}", f"expected a list of source keys, got {keys!r}")
            )
            continue
        found = []
        for k in keys:
            if k in sources:
                found.append(sources[k])
            else:
                problems.append(
                    Problem(f"{at}.{figure}", f"unknown source {k!r}; known: {sorted(sources)}")
                )
        if found:
            out[str(figure)] = tuple(found)
    return out


def _without_place(message: str, place: str) -> str:
    """Drop a leading ``place: `` that the problem's location already says."""
    return message.removeprefix(f"{place}: ")


def load_catalog(text: str, *, path: str = "<string>") -> AcceleratorCatalog:
    """Read an accelerator catalog from TOML text in the schema of the shipped file.

    Every problem is reported at once, with its place in the file.

    Raises:
        FileFormatError: For invalid TOML or invalid entries.

    Example:
        >>> cat = load_catalog('''
        ... schema_version = 1
        ... [sources.me]
        ... title = "My notes"
        ... publisher = "Me"
        ... [[accelerators]]
        ... name = "X1"
        ... throughput.INT8 = { value = "700 TOPS", source = "me" }
        ... ''')
        >>> cat["x1"].tpp
        <Quantity(5600.0, 'TPP')>
    """
    data = read_toml(text=text, path=path)
    problems: list[Problem] = []
    check_schema_version(data, problems)
    sources = load_sources(data.get("sources", {}), problems)
    entries = data.get("accelerators", [])
    items: list[Accelerator] = []
    if not isinstance(entries, list):
        problems.append(Problem("accelerators", "expected an array of tables [[accelerators]]"))
        entries = []
    for i, raw in enumerate(entries):
        item = _load_entry(raw, f"accelerators[{i}]", sources, problems)
        if item is not None:
            items.append(item)
    if problems:
        raise FileFormatError(path, problems)
    try:
        return AcceleratorCatalog(items)
    except ValidationError as exc:
        raise FileFormatError(path, [Problem("accelerators", str(exc))]) from None


@functools.cache
def accelerators() -> AcceleratorCatalog:
    """The built-in accelerator catalog (loaded once, then cached).

    Figures come mostly from Epoch AI, *Data on Machine Learning Hardware* (CC BY 4.0), and
    otherwise from the sources each figure names.

    Example:
        >>> len(accelerators()) >= 25
        True
    """
    from importlib import resources

    text = resources.files("fullstack.datasets").joinpath("accelerators.toml").read_text("utf-8")
    return load_catalog(text, path="fullstack/datasets/accelerators.toml")


def accelerator(name: str) -> Accelerator:
    """One accelerator from the built-in catalog, by name or alias (forgiving of case/spaces).

    Example:
        >>> accelerator("mi300x").vendor
        'AMD'
    """
    return accelerators()[name]
