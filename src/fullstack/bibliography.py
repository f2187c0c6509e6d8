"""Every source an object uses, deduplicated: for citing, and for checking nothing is unsourced.

`walk_figures` finds every `Estimate` in a world, a catalog or any attrs object, with its path;
`unsourced_figures` finds quantities that are *not* inside an `Estimate` (a test runs it on the
reference world). `bibliography` collects the sources and assumptions behind an object as a
`Bibliography`: a table, Markdown and BibTeX.

Example:
    >>> bib = bibliography(accelerators())
    >>> any(e.source.publisher == "Epoch AI" for e in bib.entries)
    True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

from fullstack._modules import make_callable
from fullstack.errors import MissingExtraError
from fullstack.provenance import (
    Assumption,
    Source,
    _provenances,
    unsourced_figures,
    walk_figures,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Bibliography",
    "BibliographyEntry",
    "bibliography",
    "unsourced_figures",
    "walk_figures",
]


def _identity(source: Source) -> tuple[Any, ...]:
    return (source.title, source.publisher, source.authors, source.date, source.url)


@attrs.frozen
class BibliographyEntry:
    """One source and how many figures cite it.

    Attributes:
        source: The source (the most confident copy, where per-figure confidence differs).
        uses: How many figures or objects cite it.
    """

    source: Source
    uses: int


@attrs.frozen
class Bibliography:
    """The sources and assumptions behind an object, deduplicated.

    Attributes:
        entries: The published sources, sorted by citation.
        assumptions: The distinct assumptions (figures nobody published), with their reasons.

    Example:
        >>> bib = bibliography(export_rules())
        >>> sorted(e.source.note.split(",")[0] for e in bib.entries if "FR Doc" in e.source.note)
        ['87 FR 62186', '88 FR 73458', '89 FR 96790', '91 FR 1684']
    """

    entries: tuple[BibliographyEntry, ...]
    assumptions: tuple[Assumption, ...] = ()

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources alone.

        Example:
            >>> len(bibliography(accelerators()).sources) > 10
            True
        """
        return tuple(e.source for e in self.entries)

    def rows(self) -> list[dict[str, Any]]:
        """One dict per source: key, citation, confidence, licence and uses.

        Example:
            >>> sorted(bibliography(accelerators()).rows()[0])
            ['citation', 'confidence', 'key', 'license', 'uses']
        """
        return [
            {
                "key": e.source.key,
                "citation": e.source.cite(),
                "confidence": e.source.confidence.value,
                "license": e.source.license or "",
                "uses": e.uses,
            }
            for e in self.entries
        ]

    def to_markdown(self) -> str:
        """A Markdown list of the sources, then the assumptions.

        Example:
            >>> bibliography(export_rules()).to_markdown().splitlines()[0]
            '## Sources'
        """
        lines = ["## Sources", ""]
        for e in self.entries:
            extra = f" Licence: {e.source.license}." if e.source.license else ""
            lines.append(
                f"- {e.source.cite()} (confidence: {e.source.confidence.value}; "
                f"cited {e.uses}×).{extra}"
            )
        if self.assumptions:
            lines += ["", f"## Assumptions ({len(self.assumptions)})", ""]
            lines += [f"- {a.reason} (confidence: {a.confidence.value})" for a in self.assumptions]
        return "\n".join(lines) + "\n"

    def to_bibtex(self) -> str:
        """Every source as a BibTeX entry (keys made unique with a letter suffix).

        Example:
            >>> bibliography(export_rules()).to_bibtex().startswith("@")
            True
        """
        seen: dict[str, int] = {}
        out = []
        for e in self.entries:
            text = e.source.to_bibtex()
            key = e.source.key
            n = seen.get(key, 0)
            seen[key] = n + 1
            if n:  # distinct sources with the same key: suffix b, c, ... (BibTeX needs unique)
                suffix = chr(ord("a") + n) if n < 26 else str(n)
                text = text.replace(f"{{{key},", f"{{{key}{suffix},", 1)
            out.append(text)
        return "\n\n".join(out) + "\n"

    def to_frame(self) -> pd.DataFrame:
        """The sources as a pandas DataFrame (needs the ``frames`` extra).

        Example:
            >>> "citation" in bibliography(accelerators()).to_frame().columns
            True
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise MissingExtraError("frames", "DataFrames (to_frame)") from exc
        return pd.DataFrame(self.rows())

    def __str__(self) -> str:
        lines = [f"{len(self.entries)} sources, {len(self.assumptions)} assumptions", ""]
        for e in self.entries:
            lines.append(f"[{e.source.confidence.value:>6}] {e.source.cite()} ({e.uses}×)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from fullstack._data import html_table

        rows = [(r["citation"], r["confidence"], r["license"], r["uses"]) for r in self.rows()]
        table = html_table(("source", "confidence", "licence", "uses"), rows)
        return f"{table}<p>{len(self.assumptions)} assumptions (see .assumptions).</p>"


def bibliography(*objs: Any) -> Bibliography:
    """Every source and assumption behind the given objects, deduplicated.

    With no argument: the reference world, the accelerator catalog, the actors, the stack and
    the export rules.

    Example:
        >>> bib = bibliography()
        >>> len(bib.entries) > 20, len(bib.assumptions) > 0
        (True, True)
    """
    if not objs:
        from fullstack.accelerators import accelerators
        from fullstack.actors import actors
        from fullstack.export_controls import export_rules
        from fullstack.world import reference_world

        objs = (reference_world(), accelerators(), actors(), export_rules())
    counts: dict[tuple[Any, ...], int] = {}
    best: dict[tuple[Any, ...], Source] = {}
    assumptions: dict[str, Assumption] = {}
    order = ["low", "medium", "high"]
    for obj in objs:
        for p in _provenances(obj):
            if isinstance(p, Source):
                k = _identity(p)
                counts[k] = counts.get(k, 0) + 1
                current = best.get(k)
                if current is None or order.index(p.confidence.value) > order.index(
                    current.confidence.value
                ):
                    best[k] = p
            else:
                assumptions.setdefault(p.reason, p)
                for basis in p.basis:
                    k = _identity(basis)
                    counts[k] = counts.get(k, 0) + 1
                    best.setdefault(k, basis)
    entries = sorted(
        (BibliographyEntry(best[k], counts[k]) for k in best), key=lambda e: e.source.cite()
    )
    return Bibliography(tuple(entries), tuple(assumptions.values()))


# ``fullstack.bibliography`` is also callable, like its function (see fullstack._modules).
make_callable(__name__, bibliography)
