"""The `Accelerator` class: one chip's specification, each figure unit-checked and sourced.

What a spec holds (dense throughput per `Precision`, memory, bandwidths, die area, TDP, whether
it is designed for data centers), the converters and validators of those fields, and the
figures derived from them (TPP, performance density, H100-equivalents, FLOP/s per watt, memory
bandwidth per FLOP). `fullstack.accelerators` re-exports `Accelerator` and holds the catalog.

Example:
    >>> chip = Accelerator(name="X1", throughput={"INT8": "700 TOPS"})
    >>> chip.tpp
    <Quantity(5600.0, 'TPP')>
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from fullstack._data import checked_estimate
from fullstack._validators import check_optional_year
from fullstack.errors import ValidationError
from fullstack.precision import Precision, Throughput
from fullstack.provenance import Estimate, Provenance, Source
from fullstack.units import Q_, Quantity, format_quantity

__all__ = ["Accelerator"]

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
