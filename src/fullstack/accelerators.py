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
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

import attrs

from fullstack._accelerator import (
    _FLOAT_UNIT,
    _INT_UNIT,
    _SPEC_UNITS,
    Accelerator,
    _check_name,
    _check_status,
    _checked_estimate,
    _magnitude,
)
from fullstack._codec import Check, Each, _At, _Invalid, checked_figure, read_dataset
from fullstack._data import Catalog, FigureEntry
from fullstack._modules import make_callable
from fullstack._validators import check_optional_year
from fullstack.errors import MissingExtraError, UnknownNameError, ValidationError
from fullstack.precision import Precision
from fullstack.provenance import Source

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

    from fullstack.provenance import Estimate, Provenance
    from fullstack.units import Quantity

__all__ = ["Accelerator", "AcceleratorCatalog", "accelerator", "accelerators"]


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


def _throughput(key: str, fig: FigureEntry) -> None:
    precision = Precision.parse(key)
    unit = _INT_UNIT if precision.is_integer else _FLOAT_UNIT
    checked_figure(fig, lambda est: _checked_estimate(est, unit, key))


def _spec(name: str) -> Check:
    """The check of one specification figure (``memory``, ``tdp``...) against its unit."""
    unit = _SPEC_UNITS[name]
    return Check(lambda fig: checked_figure(fig, lambda est: _checked_estimate(est, unit, name)))


@attrs.frozen(kw_only=True)
class AcceleratorEntry:
    """An accelerator as ``accelerators.toml`` writes it: `Accelerator`'s fields, as data.

    Figures are `FigureEntry` tables citing the file's sources by key; ``throughput`` is keyed
    by precision (``throughput.BF16``); ``confirmed_by`` gives, for a figure, the keys of the
    further sources that confirm it. Each figure is checked against its unit as it is read.
    """

    name: str = attrs.field(validator=_check_name)
    aliases: tuple[str, ...] = ()
    vendor: str = attrs.field(default="unknown", validator=_check_name)
    designer_jurisdiction: str = attrs.field(default="unknown", validator=_check_name)
    year: int | None = attrs.field(default=None, validator=check_optional_year)
    datacenter: bool | None = None
    process_node: str = ""
    status: str = attrs.field(default="released", validator=_check_status)
    cites: tuple[str, ...] = ()
    confirmed_by: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    note: str = ""
    throughput: Annotated[Mapping[str, FigureEntry], Each(_throughput)] = attrs.field(factory=dict)
    memory: Annotated[FigureEntry, _spec("memory")] | None = None
    memory_bandwidth: Annotated[FigureEntry, _spec("memory_bandwidth")] | None = None
    io_bandwidth: Annotated[FigureEntry, _spec("io_bandwidth")] | None = None
    die_area: Annotated[FigureEntry, _spec("die_area")] | None = None
    tdp: Annotated[FigureEntry, _spec("tdp")] | None = None
    hbm_stacks: Annotated[FigureEntry, _spec("hbm_stacks")] | None = None


@attrs.frozen(kw_only=True)
class AcceleratorsFile:
    """The schema of ``accelerators.toml``: sources by key, then the accelerators.

    Attributes:
        sources: The sources, by the key the figures and confirmations cite them by.
        accelerators: The accelerators.
    """

    sources: Mapping[str, Source] = attrs.field(factory=dict)
    accelerators: tuple[AcceleratorEntry, ...] = ()


def _build_catalog(parsed: AcceleratorsFile) -> AcceleratorCatalog:
    """The catalog a checked `AcceleratorsFile` describes; raises `_Invalid` with the problems."""
    sources = parsed.sources
    problems: list[tuple[_At, str]] = []
    items: list[Accelerator] = []
    for i, entry in enumerate(parsed.accelerators):
        # `Accelerator` checks each figure against its unit (the entry's checks already did).
        specs = {
            name: fig.estimate(sources)
            for name in _SPEC_UNITS
            if (fig := getattr(entry, name)) is not None
        }
        throughput = {
            Precision.parse(key): fig.estimate(sources) for key, fig in entry.throughput.items()
        }
        try:
            items.append(
                Accelerator(
                    name=entry.name,
                    aliases=entry.aliases,
                    vendor=entry.vendor,
                    designer_jurisdiction=entry.designer_jurisdiction,
                    year=entry.year,
                    datacenter=entry.datacenter,
                    process_node=entry.process_node,
                    status=entry.status,
                    cites=entry.cites,
                    confirmed_by={
                        figure: tuple(sources[key] for key in keys)
                        for figure, keys in entry.confirmed_by.items()
                    },
                    note=entry.note,
                    throughput=throughput,
                    **specs,
                )
            )
        except (ValidationError, UnknownNameError) as exc:
            problems.append((("accelerators", i), str(exc)))
    if problems:
        raise _Invalid(problems)
    try:
        return AcceleratorCatalog(items)
    except ValidationError as exc:  # a name or an alias used twice
        raise _Invalid([(("accelerators",), str(exc))]) from None


def load_catalog(text: str, *, path: str = "<string>") -> AcceleratorCatalog:
    """Read an accelerator catalog from TOML text in the schema of the shipped file.

    The file is read through the converter that reads scenario files, as an
    `AcceleratorsFile`: every problem is reported at once, with its place in the file.

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
    return read_dataset(
        text,
        "accelerators.toml",
        AcceleratorsFile,
        _build_catalog,
        path=path,
        lists=("confirmed_by",),
    )


@functools.cache
def accelerators() -> AcceleratorCatalog:
    """The built-in accelerator catalog (loaded once, then cached).

    Figures come mostly from Epoch AI, *Data on Machine Learning Hardware* (CC BY 4.0), and
    otherwise from the sources each figure names.

    Example:
        >>> len(accelerators()) >= 25
        True
    """
    return read_dataset(
        None, "accelerators.toml", AcceleratorsFile, _build_catalog, lists=("confirmed_by",)
    )


def accelerator(name: str) -> Accelerator:
    """One accelerator from the built-in catalog, by name or alias (forgiving of case/spaces).

    Example:
        >>> accelerator("mi300x").vendor
        'AMD'
    """
    return accelerators()[name]


# ``fullstack.accelerators`` is also callable, like its function (see fullstack._modules).
make_callable(__name__, accelerators)
