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
from typing import TYPE_CHECKING, Any, Final

from fullstack._accelerator import (
    _FLOAT_UNIT,
    _INT_UNIT,
    _SPEC_UNITS,
    Accelerator,
    _checked_estimate,
    _magnitude,
)
from fullstack._data import (
    Catalog,
    check_schema_version,
    load_sources,
    parse_figure,
    read_toml,
)
from fullstack._modules import make_callable
from fullstack.errors import (
    FileFormatError,
    MissingExtraError,
    Problem,
    UnknownNameError,
    ValidationError,
)
from fullstack.precision import Precision

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    import pandas as pd

    from fullstack.provenance import Estimate, Provenance, Source
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


# ``fullstack.accelerators`` is also callable, like its function (see fullstack._modules).
make_callable(__name__, accelerators)
