"""Actors: the firms, state labs, government bodies, funds and universities of the AI stack.

Each `Actor` has a jurisdiction, a kind and the stack layers it works in (Huawei spans many).
`actors()` returns the built-in catalog (``datasets/actors.toml``), each entry with its source;
lookup forgives case and spacing and knows aliases.

Example:
    >>> huawei = actors()["huawei"]
    >>> huawei.kind, huawei.jurisdiction, "chip_design" in huawei.layers
    (<ActorKind.FIRM: 'firm'>, 'CN', True)
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from fullstack._codec import _At, _Invalid, _suggestion, read_dataset
from fullstack._data import Catalog, Cited, html_table
from fullstack._modules import make_callable
from fullstack._validators import check_name, check_provenance
from fullstack.errors import MissingExtraError, ValidationError
from fullstack.provenance import Assumption, Provenance, Source

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

    from fullstack.stack import Stack

__all__ = ["Actor", "ActorCatalog", "ActorKind", "actor", "actors"]


class ActorKind(enum.Enum):
    """What kind of actor.

    Example:
        >>> ActorKind("state_lab").label
        'state-backed lab'
    """

    FIRM = "firm"
    STATE_LAB = "state_lab"
    GOVERNMENT = "government"
    FUND = "fund"
    UNIVERSITY = "university"

    @property
    def label(self) -> str:
        """A human label.

        Example:
            >>> ActorKind.FUND.label
            'fund'
        """
        return {"state_lab": "state-backed lab", "government": "government body"}.get(
            self.value, self.value
        )


def _to_kind(value: Any) -> ActorKind:
    if isinstance(value, ActorKind):
        return value
    try:
        return ActorKind(str(value).strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        known = ", ".join(k.value for k in ActorKind)
        raise ValidationError("Actor.kind", f"one of {known}", repr(value)) from None


def _check_jurisdiction(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not (value.isalpha() and value.isupper() and len(value) >= 2):
        raise ValidationError(
            "Actor.jurisdiction", "an upper-case ISO country code such as 'CN'", repr(value)
        )


def _check_state_owned(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, bool):
        raise ValidationError("Actor.state_owned", "True, False or None", repr(value))


def _to_strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


@attrs.frozen(kw_only=True)
class Actor:
    """A firm, state-backed lab, government body, fund or university.

    Attributes:
        name: The usual English name.
        kind: `ActorKind` (strings such as ``"firm"`` are accepted).
        jurisdiction: Where it is based (ISO code such as ``"CN"``, ``"US"``).
        layers: Ids of the stack layers it works in.
        aliases: Other names (used by catalog lookup).
        state_owned: Whether it is state-owned or state-controlled, where a source says so.
        description: One factual sentence.
        source: Where the description comes from.

    Example:
        >>> Actor(name="Example Lab", kind="state_lab", jurisdiction="CN",
        ...       layers=["foundation_models"]).kind.label
        'state-backed lab'
    """

    name: str = attrs.field(validator=check_name)
    kind: ActorKind = attrs.field(converter=_to_kind)
    jurisdiction: str = attrs.field(validator=_check_jurisdiction)
    layers: tuple[str, ...] = attrs.field(default=(), converter=_to_strings)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=_to_strings)
    state_owned: bool | None = attrs.field(default=None, validator=_check_state_owned)
    description: str = ""
    source: Provenance = attrs.field(
        default=Assumption(reason="Stated by the user; no source was recorded."),
        validator=check_provenance,
    )

    def _repr_html_(self) -> str:
        import html

        layers = ", ".join(self.layers) or "no layers"
        return (
            f"<p><b>{html.escape(self.name)}</b>: {self.kind.label}, {self.jurisdiction}; "
            f"layers: {html.escape(layers)}<br>{html.escape(self.description)}<br>"
            f"<small>{html.escape(self.source.cite())}</small></p>"
        )


class ActorCatalog(Catalog[Actor]):
    """The actors, looked up forgivingly by name or alias.

    Example:
        >>> cat = actors()
        >>> cat["big fund"].kind
        <ActorKind.FUND: 'fund'>
        >>> [a.name for a in cat.in_layer("memory")][:2]
        [...]
    """

    kind = "actor"

    def __init__(self, items: Iterable[Actor]) -> None:
        """Build a catalog; names and aliases must be unique after normalization."""
        super().__init__(
            items, name_of=lambda a: a.name, aliases_of=lambda a: a.aliases, item_type=Actor
        )

    def in_layer(self, layer_id: str) -> list[Actor]:
        """The actors that work in a layer.

        Example:
            >>> "SMIC" in [a.name for a in actors().in_layer("fabrication")]
            True
        """
        return [a for a in self.values() if layer_id in a.layers]

    def of(self, jurisdiction: str) -> list[Actor]:
        """The actors based in a jurisdiction.

        Example:
            >>> all(a.jurisdiction == "US" for a in actors().of("US"))
            True
        """
        return [a for a in self.values() if a.jurisdiction == jurisdiction]

    def sources(self) -> list[Provenance]:
        """The distinct sources behind the catalog.

        Example:
            >>> len(actors().sources()) > 3
            True
        """
        out: dict[Any, Provenance] = {}
        for a in self.values():
            out.setdefault(a.source, a.source)
        return list(out.values())

    def rows(self) -> list[dict[str, Any]]:
        """One plain dict per actor.

        Example:
            >>> sorted(actors().rows()[0])
            ['description', 'jurisdiction', 'kind', 'layers', 'name', 'source', 'state_owned']
        """
        return [
            {
                "name": a.name,
                "kind": a.kind.value,
                "jurisdiction": a.jurisdiction,
                "layers": ", ".join(a.layers),
                "state_owned": a.state_owned,
                "description": a.description,
                "source": a.source.cite(),
            }
            for a in self.values()
        ]

    def to_frame(self) -> pd.DataFrame:
        """The catalog as a pandas DataFrame (needs the ``frames`` extra).

        Example:
            >>> actors().to_frame().loc["SMIC", "jurisdiction"]
            'CN'
        """
        try:
            import pandas as pd
        except ImportError as exc:
            raise MissingExtraError("frames", "DataFrames (to_frame)") from exc
        return pd.DataFrame(self.rows()).set_index("name")

    def _repr_html_(self) -> str:
        rows = [
            (r["name"], r["kind"], r["jurisdiction"], r["layers"], r["description"])
            for r in self.rows()
        ]
        return html_table(("actor", "kind", "jurisdiction", "layers", "what"), rows)


@attrs.frozen(kw_only=True)
class ActorEntry(Cited):
    """An actor as ``actors.toml`` writes it: `Actor`'s fields and a note.

    The note is appended to the description of the `Actor`; the layers are checked against the
    stack when the catalog is built.
    """

    name: str = attrs.field(validator=check_name)
    kind: ActorKind = attrs.field(converter=_to_kind)
    jurisdiction: str = attrs.field(validator=_check_jurisdiction)
    layers: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    state_owned: bool | None = None
    description: str = ""
    note: str = ""


@attrs.frozen(kw_only=True)
class ActorsFile:
    """The schema of ``actors.toml``: sources by key, then the actors.

    Attributes:
        sources: The sources, by the key the actors cite them by.
        actors: The actors.
    """

    sources: Mapping[str, Source] = attrs.field(factory=dict)
    actors: tuple[ActorEntry, ...] = ()


def _build_actors(parsed: ActorsFile, stack: Stack) -> ActorCatalog:
    """The catalog a checked `ActorsFile` describes; raises `_Invalid` for unknown layers."""
    problems: list[tuple[_At, str]] = [
        (("actors", i, "layers", j), f'unknown layer "{layer}"{_suggestion(layer, stack.ids)}')
        for i, entry in enumerate(parsed.actors)
        for j, layer in enumerate(entry.layers)
        if layer not in stack
    ]
    if problems:
        raise _Invalid(problems)
    items = [
        Actor(
            name=entry.name,
            kind=entry.kind,
            jurisdiction=entry.jurisdiction,
            layers=entry.layers,
            aliases=entry.aliases,
            state_owned=entry.state_owned,
            description=(
                f"{entry.description} {entry.note}".strip() if entry.note else entry.description
            ),
            source=entry.provenance(parsed.sources),
        )
        for entry in parsed.actors
    ]
    try:
        return ActorCatalog(items)
    except ValidationError as exc:  # a name or an alias used twice
        raise _Invalid([(("actors",), str(exc))]) from None


def load_actors(
    text: str | None = None, *, path: str = "", stack: Stack | None = None
) -> ActorCatalog:
    """Read an actor catalog from TOML (the shipped ``actors.toml`` when ``text`` is None).

    The file is read through the converter that reads scenario files, as an `ActorsFile`.
    Layer ids are checked against ``stack`` (the default stack when None).

    Raises:
        FileFormatError: Every problem, with its place in the file.

    Example:
        >>> load_actors('''
        ... schema_version = 1
        ... [[actors]]
        ... name = "Example Fab"
        ... kind = "firm"
        ... jurisdiction = "CN"
        ... layers = ["fabrication"]
        ... assumption = "illustration"
        ... ''')["example fab"].layers
        ('fabrication',)
    """
    from fullstack.stack import default_stack

    the_stack = default_stack() if stack is None else stack
    return read_dataset(
        text,
        "actors.toml",
        ActorsFile,
        lambda parsed: _build_actors(parsed, the_stack),
        path=path,
    )


@functools.cache
def actors() -> ActorCatalog:
    """The built-in actor catalog (loaded once, then cached).

    Example:
        >>> actors()["SMIC"].jurisdiction
        'CN'
    """
    return load_actors()


def actor(name: str) -> Actor:
    """One actor from the built-in catalog, by name or alias.

    Example:
        >>> actor("tsmc").jurisdiction
        'TW'
    """
    return actors()[name]


# ``fullstack.actors`` is also callable, like its function (see fullstack._modules).
make_callable(__name__, actors)
