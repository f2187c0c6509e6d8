"""Where a figure comes from: `Source`, `Assumption` and `Estimate`.

Every default figure in fullstack carries one of these. A `Source` is something published (a
report, a rule, a dataset); an `Assumption` is a figure nobody published, with the reason it was
chosen. An `Estimate` is a central value with an optional range, for figures on which sources
disagree.

Example:
    >>> from fullstack import Source, Estimate, Q_
    >>> rand = Source(
    ...     title="Full Stack: China's Evolving Industrial Policy for AI",
    ...     publisher="RAND Corporation",
    ...     authors=("Kyle Chan", "Gregory Smith", "Jimmy Goodrich", "Gerard DiPippo",
    ...              "Konstantin F. Pilz"),
    ...     date="2025-06-26",
    ...     url="https://www.rand.org/pubs/perspectives/PEA4012-1.html",
    ...     confidence="high",
    ... )
    >>> rand.year
    2025
"""

from __future__ import annotations

import enum
import math
import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Final, Generic, TypeAlias

import attrs
from typing_extensions import TypeVar

from fullstack._validators import Provenanced, check_name, check_provenance, invalid, is_year
from fullstack.errors import DimensionError, ValidationError, _given

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Assumption", "Confidence", "Estimate", "Provenance", "Source"]

_PARTIAL_DATE: Final = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_URL: Final = re.compile(r"^https?://\S+$")


class Confidence(enum.Enum):
    """How far to trust a figure.

    Example:
        >>> Confidence.from_tag("[S-weak]")
        <Confidence.LOW: 'low'>
    """

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @classmethod
    def from_tag(cls, tag: str) -> Confidence:
        """Map a confidence tag of the project's fact files to a level.

        - ``[P]`` (primary or official source), ``[P-copy]`` (a faithful copy of one) and
          ``[P-translation]`` (a translation of one) are high;
        - ``[P-mirror]`` (a primary document read on a mirror site), ``[Q]`` (primary wording
          quoted by a secondary source), ``[S]`` (reputable secondary source), ``[C]``
          (computed) and ``[RAND]`` (stated in RAND's report) are medium;
        - ``[S-weak]`` (aggregator, blog, forum) and ``[unconfirmed]`` are low.

        Brackets, case and surrounding spaces do not matter. A combined tag such as ``[P/S]``,
        ``[RAND + S]`` or ``[S-weak, unconfirmed]`` takes the lowest level of its parts.

        Args:
            tag: A tag such as ``"[P]"``, ``"S"``, ``"P-mirror"`` or ``"unconfirmed"``.

        Returns:
            The confidence level.

        Raises:
            ValidationError: If the tag (or a part of it) is not one of the known ones.

        Example:
            >>> Confidence.from_tag("P")
            <Confidence.HIGH: 'high'>
            >>> Confidence.from_tag("[P-mirror]")
            <Confidence.MEDIUM: 'medium'>
            >>> Confidence.from_tag("[S-weak, unconfirmed]")
            <Confidence.LOW: 'low'>
        """
        parts = [p.strip().lower() for p in re.split(r"[/,+]", tag.strip().strip("[]"))]
        levels = []
        for key in parts:
            if key not in _TAGS:
                raise ValidationError("Confidence.from_tag", f"one of {sorted(_TAGS)}", repr(tag))
            levels.append(cls(_TAGS[key]))
        return min(levels, key=_RANK.__getitem__)


_TAGS: Final = {
    "p": "high",
    "p-copy": "high",
    "p-translation": "high",
    "p-mirror": "medium",
    "q": "medium",
    "s": "medium",
    "c": "medium",
    "rand": "medium",
    "s-weak": "low",
    "unconfirmed": "low",
}
_RANK: Final = {Confidence.LOW: 0, Confidence.MEDIUM: 1, Confidence.HIGH: 2}


def _to_confidence(value: Any) -> Confidence:
    if isinstance(value, Confidence):
        return value
    if isinstance(value, str):
        try:
            return Confidence(value.strip().lower())
        except ValueError:
            pass
    raise ValidationError("confidence", "'low', 'medium' or 'high'", repr(value))


def _check_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not _PARTIAL_DATE.match(value) or not is_year(int(value[:4])):
        expected = "an ISO date: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD', from 1900 to 2200"
        raise invalid(instance, attribute, expected, value)


def _check_url(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, str) or not _URL.match(value):
        raise invalid(instance, attribute, "an http(s) URL", value)


def _to_authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _bibtex_text(text: str) -> str:
    """Text safe inside a braced BibTeX field: braces and backslashes escaped."""
    return text.replace("\\", "\\textbackslash ").replace("{", "\\{").replace("}", "\\}")


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_text.lower())


@attrs.frozen(kw_only=True)
class Source:
    """A published source for a figure.

    Attributes:
        title: The title of the document, page or dataset.
        publisher: Who published it (an agency, a think tank, a newspaper). Either this or
            ``authors`` is required.
        authors: The authors, in order.
        date: When it was published: ``"YYYY"``, ``"YYYY-MM"`` or ``"YYYY-MM-DD"``; None when
            the page gives no date (it is then cited as "n.d.").
        url: Where to read it, if it is online.
        accessed: When it was read, in the same date format.
        note: What exactly was taken from it, caveats, page numbers.
        confidence: How far to trust it: ``"low"``, ``"medium"`` or ``"high"``.
        license: The licence of reused data, e.g. ``"CC BY 4.0"``; credit it where it is used.

    Example:
        >>> fr = Source(
        ...     title="Implementation of Additional Export Controls: Certain Advanced Computing "
        ...     "Items; Supercomputer and Semiconductor End Use; Updates and Corrections",
        ...     publisher="US Department of Commerce, Bureau of Industry and Security",
        ...     date="2023-10-25",
        ...     url="https://www.federalregister.gov/d/2023-23055",
        ...     note="88 FR 73458",
        ...     confidence="high",
        ... )
        >>> fr.cite().startswith("US Department of Commerce")
        True
    """

    title: str = attrs.field(validator=check_name)
    publisher: str | None = None
    authors: tuple[str, ...] = attrs.field(default=(), converter=_to_authors)
    date: str | None = attrs.field(default=None, validator=_check_date)
    url: str | None = attrs.field(default=None, validator=_check_url)
    accessed: str | None = attrs.field(default=None, validator=_check_date)
    note: str = ""
    confidence: Confidence = attrs.field(default=Confidence.MEDIUM, converter=_to_confidence)
    license: str | None = None

    def __attrs_post_init__(self) -> None:
        if not (self.publisher and self.publisher.strip()) and not self.authors:
            raise ValidationError(
                "Source.publisher", "a publisher or at least one author", "neither"
            )

    @property
    def year(self) -> int | None:
        """The year of publication, or None if the source is undated.

        Example:
            >>> Source(title="t", publisher="p", date="2024-05").year
            2024
        """
        return int(self.date[:4]) if self.date else None

    @property
    def key(self) -> str:
        """A stable citation key: first author's or publisher's name, year, first title word.

        Example:
            >>> Source(title="Data on GPU Clusters", publisher="Epoch AI", date="2025").key
            'epochai2025data'
        """
        who = self.authors[0].split()[-1] if self.authors else (self.publisher or "")
        word = next((w for w in re.findall(r"[A-Za-z0-9]+", self.title) if len(w) > 3), "")
        year = self.date[:4] if self.date else "nd"
        return f"{_slug(who)[:20]}{year}{_slug(word)[:12]}"

    def cite(self) -> str:
        """A one-line, human-readable citation.

        Example:
            >>> Source(title="Data on GPU Clusters", publisher="Epoch AI", date="2025",
            ...        url="https://epoch.ai/data/gpu-clusters").cite()
            'Epoch AI (2025). Data on GPU Clusters. https://epoch.ai/data/gpu-clusters'
            >>> Source(title="Data on GPU Clusters", publisher="Epoch AI",
            ...        url="https://epoch.ai/data/gpu-clusters", accessed="2025-03-01",
            ...        license="CC BY 4.0").cite()
            'Epoch AI (n.d.). Data on GPU Clusters. https://epoch.ai/data/gpu-clusters (accessed 2025-03-01). Licence: CC BY 4.0.'
        """  # noqa: E501
        who = ", ".join(self.authors) if self.authors else (self.publisher or "")
        parts = [f"{who} ({self.date or 'n.d.'}).", f"{self.title}."]
        if self.authors and self.publisher:
            parts.append(f"{self.publisher}.")
        if self.url:
            parts.append(self.url)
        if self.accessed:
            parts.append(f"(accessed {self.accessed}).")
        if self.license:
            parts.append(f"Licence: {self.license}.")
        return " ".join(parts)

    def to_bibtex(self) -> str:
        """The source as a BibTeX ``@misc`` entry.

        The access date goes in ``urldate`` (biblatex); the note and the licence go in ``note``.

        Example:
            >>> print(Source(title="T", publisher="P", date="2024").to_bibtex())
            @misc{p2024,
              title = {T},
              author = {{P}},
              year = {2024},
            }
            >>> print(Source(title="Data", publisher="Epoch AI", license="CC BY 4.0").to_bibtex())
            @misc{epochainddata,
              title = {Data},
              author = {{Epoch AI}},
              note = {Licence: CC BY 4.0},
            }
        """
        esc = _bibtex_text
        authors = " and ".join(esc(a) for a in self.authors)
        author = authors if self.authors else f"{{{esc(self.publisher or '')}}}"
        fields = [("title", esc(self.title)), ("author", author)]
        if self.date:
            fields.append(("year", self.date[:4]))
        if self.authors and self.publisher:
            fields.append(("publisher", esc(self.publisher)))
        if self.url:
            fields.append(("url", self.url))
        if self.accessed:
            fields.append(("urldate", self.accessed))
        notes = [self.note.strip().rstrip(".")] if self.note.strip() else []
        if self.license:
            notes.append(f"Licence: {self.license}")
        if notes:
            fields.append(("note", esc(". ".join(notes))))
        body = "".join(f"  {k} = {{{v}}},\n" for k, v in fields)
        return f"@misc{{{self.key},\n{body}}}"


def _to_sources(value: Iterable[Source]) -> tuple[Source, ...]:
    sources = tuple(value)
    for s in sources:
        if not isinstance(s, Source):
            raise ValidationError("Assumption.basis", "Source objects", repr(s))
    return sources


@attrs.frozen(kw_only=True)
class Assumption:
    """A figure nobody published, with the reason it was chosen.

    Attributes:
        reason: Why this value: what it is based on and why it is reasonable.
        confidence: How far to trust it; assumptions default to ``"low"``.
        basis: Published sources the assumption builds on, if any.

    Example:
        >>> a = Assumption(reason="Same silicon as the A100, so the same INT8 rate.")
        >>> a.confidence
        <Confidence.LOW: 'low'>
    """

    reason: str = attrs.field(validator=check_name)
    confidence: Confidence = attrs.field(default=Confidence.LOW, converter=_to_confidence)
    basis: tuple[Source, ...] = attrs.field(default=(), converter=_to_sources)

    def cite(self) -> str:
        """A one-line description, marked as an assumption.

        Example:
            >>> Assumption(reason="Carried forward from 2023.").cite()
            'Assumption: Carried forward from 2023.'
        """
        return f"Assumption: {self.reason}"


Provenance: TypeAlias = Source | Assumption
"""Where a figure comes from: a published `Source` or an explicit `Assumption`.

The type of every ``source`` field in fullstack.

Example:
    >>> isinstance(Assumption(reason="Carried forward from 2023."), Provenance)
    True
"""


Provenanced.register(Source)
Provenanced.register(Assumption)  # what fullstack._validators.check_provenance accepts


def _is_quantity(value: Any) -> bool:
    return hasattr(value, "magnitude") and hasattr(value, "units")


def _coerce_like(where: str, value: Any, central: Any) -> Any:
    """Parse ``value`` like ``central``: a quantity in its units, or a plain float."""
    if value is None:
        return None
    if _is_quantity(central):
        from fullstack.units import to_quantity

        q = to_quantity(value, where=where)
        if q.dimensionality != central.dimensionality:
            raise DimensionError(
                where, f"the dimension of the central value ({central.units})", f"{q.units}"
            )
        return q.to(central.units)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(where, "a number like the central value", _given(value))
    return float(value)


def _parse_text(value: Any, where: str) -> Any:
    if isinstance(value, str):
        from fullstack.units import to_quantity

        return to_quantity(value, where=where)
    return value


def _estimate_value(value: Any) -> Any:
    return _parse_text(value, "Estimate.value")


def _magnitude(value: Any) -> float:
    return float(value.magnitude) if _is_quantity(value) else float(value)


_Value = TypeVar("_Value", default=Any)
"""The type of an `Estimate`'s value: a `Quantity`, or a float for a plain number."""


@attrs.frozen(kw_only=True)
class Estimate(Generic[_Value]):
    """A central value with an optional low–high range and its provenance.

    Use it where sources disagree (the Ascend 910B's FP16 rate is reported anywhere from 280 to
    400 TFLOP/s) or where a figure is a range by nature. ``value``, ``low`` and ``high`` are
    quantities of one dimension (or plain numbers for dimensionless figures); strings such as
    ``"376 TFLOP/s"`` are parsed.

    Attributes:
        value: The central value used by default.
        low: The low end of the range, if known.
        high: The high end of the range, if known.
        source: Where the value comes from.
        note: Which sources give which values, and why the central one was chosen.

    Example:
        >>> from fullstack import Estimate, Assumption
        >>> e = Estimate(value="376 TFLOP/s", low="280 TFLOP/s", high="400 TFLOP/s",
        ...              source=Assumption(reason="Reports of the 910B disagree by bin."))
        >>> e.contains("300 TFLOP/s")
        True
    """

    value: _Value = attrs.field(converter=_estimate_value)
    low: Any = None  # _Value | None, once the callers check for None (typing_tests/)
    high: Any = None
    source: Provenance = attrs.field(validator=check_provenance)
    note: str = ""

    @value.validator
    def _check_value(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        if isinstance(value, bool) or not (_is_quantity(value) or isinstance(value, int | float)):
            raise ValidationError("Estimate.value", "a quantity or a number", _given(value))

    def __attrs_post_init__(self) -> None:
        low = _coerce_like("Estimate.low", self.low, self.value)
        high = _coerce_like("Estimate.high", self.high, self.value)
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)
        central = _magnitude(self.value)
        if not math.isfinite(central):
            raise ValidationError("Estimate.value", "a finite value", self.value)
        for name, bound in (("low", low), ("high", high)):
            if bound is not None and not math.isfinite(_magnitude(bound)):
                raise ValidationError(f"Estimate.{name}", "a finite value", bound)
        if low is not None and _magnitude(low) > central:
            raise ValidationError("Estimate.low", f"at most the value {self.value}", str(low))
        if high is not None and _magnitude(high) < central:
            raise ValidationError("Estimate.high", f"at least the value {self.value}", str(high))

    @property
    def has_range(self) -> bool:
        """Whether both ends of the range are known.

        Example:
            >>> Estimate(value=1.0, source=Assumption(reason="r")).has_range
            False
        """
        return self.low is not None and self.high is not None

    def contains(self, x: Any) -> bool:
        """Whether ``x`` lies within ``[low, high]`` (open ends count as unbounded).

        Args:
            x: A value in the same dimension (a quantity, a string with a unit, or a number).

        Returns:
            True if ``low <= x <= high``.

        Example:
            >>> Estimate(value=0.3, low=0.2, high=0.5,
            ...          source=Assumption(reason="r")).contains(0.6)
            False
        """
        v = _magnitude(_coerce_like("Estimate.contains", x, self.value))
        lo = -math.inf if self.low is None else _magnitude(self.low)
        hi = math.inf if self.high is None else _magnitude(self.high)
        return lo <= v <= hi


# --- the walker: every figure and source inside an object ----------------------------------------
#
# Used by `fullstack.bibliography` (which re-exports `walk_figures` and `unsourced_figures`) and by
# `World.sources`; it lives here, beside `Estimate`, so that neither imports the other.


def _children(obj: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(obj, Mapping):
        for k, v in obj.items():
            name = getattr(k, "name", k)
            yield f"[{name!r}]" if not isinstance(name, str) else f"[{name}]", v
    elif isinstance(obj, tuple | list):
        for i, v in enumerate(obj):
            yield f"[{i}]", v
    elif attrs.has(type(obj)):
        for field in attrs.fields(type(obj)):
            yield f".{field.name}", getattr(obj, field.name)
    elif hasattr(obj, "items") and hasattr(obj, "__getitem__"):  # catalogs
        for k, v in obj.items():
            yield f"[{k}]", v


def _walk(obj: Any, path: str, seen: set[int]) -> Iterator[tuple[str, Any]]:
    yield path, obj
    if isinstance(obj, str | bytes | int | float | Estimate | Source | Assumption):
        return
    if id(obj) in seen:
        return
    seen.add(id(obj))
    for step, child in _children(obj):
        yield from _walk(child, path + step, seen)


def walk_figures(obj: Any) -> Iterator[tuple[str, Estimate]]:
    """Every `Estimate` inside ``obj`` (attrs objects, mappings, sequences, catalogs) and its path.

    Example:
        >>> paths = [p for p, _ in walk_figures(fullstack.accelerator("H20"))]
        >>> ".tdp" in paths
        True
    """
    for path, node in _walk(obj, "", set()):
        if isinstance(node, Estimate):
            yield path, node


def unsourced_figures(obj: Any) -> list[str]:
    """Paths of quantities and floats inside ``obj`` that are not inside an `Estimate`.

    Whole numbers (years, counts of things in a list) and strings are not figures; a pint
    quantity or a float outside an `Estimate` is a figure without a source, unless it sits in
    an object that carries its own ``source`` (an export rule's thresholds are the rule's).

    Example:
        >>> unsourced_figures(fullstack.accelerators())
        []
    """
    out: list[str] = []
    _unsourced(obj, "", set(), out)
    return out


def _unsourced(obj: Any, path: str, seen: set[int], out: list[str]) -> None:
    if isinstance(obj, Estimate | Source | Assumption | str | bytes | bool | int):
        return
    if (hasattr(obj, "units") and hasattr(obj, "magnitude")) or isinstance(obj, float):
        out.append(path)
        return
    if attrs.has(type(obj)) and isinstance(getattr(obj, "source", None), Source | Assumption):
        return  # an object with its own source (a rule, a layer) covers its plain numbers
    if id(obj) in seen:
        return
    seen.add(id(obj))
    for step, child in _children(obj):
        _unsourced(child, path + step, seen, out)


def _provenances(obj: Any) -> Iterator[Provenance]:
    for _, node in _walk(obj, "", set()):
        if isinstance(node, Estimate):
            yield node.source
        elif isinstance(node, Source | Assumption):
            yield node
