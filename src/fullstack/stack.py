"""The AI tech stack: layers, and which depends on which.

Layers are data, not a closed enum: the default stack follows RAND's *Full Stack* framing
(semiconductor equipment, fabrication, memory, chip design, servers and software platforms, data
centers, energy, data, foundation models, research and talent, software and physical
applications), and users add their own with `Stack.with_layer`. A `Stack` is a directed acyclic
graph: each layer lists the layers it depends on. Cycles and unknown layers are errors.

Example:
    >>> stack = default_stack()
    >>> stack.dependencies("datacenters")
    ('servers_software', 'energy')
    >>> "sme" in stack.upstream("foundation_models")
    True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from fullstack._codec import _At, _Invalid, _suggestion, read_dataset
from fullstack._data import Cited, close_matches, html_table
from fullstack._validators import check_name, check_provenance
from fullstack.errors import UnknownNameError, ValidationError
from fullstack.plotting import plot_stack
from fullstack.provenance import Assumption, Provenance, Source

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from fullstack.world import World

__all__ = ["Layer", "Stack", "default_stack"]

_ID = re.compile(r"[a-z][a-z0-9_]*")


def _check_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _ID.fullmatch(value):
        raise ValidationError(
            "Layer.id", "a snake_case identifier such as 'datacenters'", repr(value)
        )


_USER_LAYER = Assumption(reason="A layer added by the user; no source was recorded with it.")


@attrs.frozen
class Layer:
    """One layer of the AI stack.

    Attributes:
        id: A stable snake_case identifier (``"datacenters"``), used in parameter names.
        name: A human name (``"Data centers"``).
        description: What the layer is.
        source: Where the layer, as a layer of the AI stack, comes from.

    Example:
        >>> Layer("quantum", "Quantum computing").source.cite()
        'Assumption: A layer added by the user; no source was recorded with it.'
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=check_name)
    description: str = ""
    source: Provenance = attrs.field(default=_USER_LAYER, validator=check_provenance)

    def _repr_html_(self) -> str:
        import html

        return (
            f"<p><b>{html.escape(self.name)}</b> (<code>{self.id}</code>): "
            f"{html.escape(self.description)}<br><small>{html.escape(self.source.cite())}"
            "</small></p>"
        )


def _to_layers(value: Any) -> tuple[Layer, ...]:
    layers = tuple(value)
    for layer in layers:
        if not isinstance(layer, Layer):
            raise ValidationError("Stack.layers", "Layer objects", repr(layer))
    return layers


def _to_edges(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise ValidationError(
            "Stack.depends_on", "a mapping from layer id to the ids it depends on", repr(value)
        )
    out: dict[str, tuple[str, ...]] = {}
    for k, deps in value.items():
        if isinstance(deps, str):
            deps = (deps,)
        out[str(k)] = tuple(dict.fromkeys(str(d) for d in deps))
    return out


@attrs.frozen
class Stack:
    """The layers of the AI stack and what each depends on: a directed acyclic graph.

    Attributes:
        layers: The layers, in the order they were given (used to break ties in orderings).
        depends_on: For each layer id, the ids of the layers it depends on (missing: none).
        edges_source: Why the dependencies are what they are.

    Raises:
        ValidationError: For duplicate ids or a dependency cycle (the cycle is named).
        UnknownNameError: For a dependency on a layer that is not in the stack.

    Example:
        >>> s = Stack([Layer("chips", "Chips"), Layer("models", "Models")],
        ...           depends_on={"models": ["chips"]})
        >>> s.topological_order()
        ('chips', 'models')
        >>> Stack([Layer("a", "A"), Layer("b", "B")], depends_on={"a": ["b"], "b": ["a"]})
        Traceback (most recent call last):
        ...
        fullstack.ValidationError: Stack.depends_on: expected a graph without cycles, got a cycle a -> b -> a
    """  # noqa: E501

    layers: tuple[Layer, ...] = attrs.field(converter=_to_layers)
    depends_on: Mapping[str, tuple[str, ...]] = attrs.field(
        factory=dict, converter=_to_edges, hash=False
    )
    edges_source: Provenance = attrs.field(
        default=Assumption(reason="Dependencies stated by the user; no source was recorded."),
        validator=check_provenance,
        eq=False,
    )

    def __attrs_post_init__(self) -> None:
        ids = [layer.id for layer in self.layers]
        seen: set[str] = set()
        for i in ids:
            if i in seen:
                raise ValidationError("Stack.layers", "unique layer ids", f"{i!r} twice")
            seen.add(i)
        for layer_id, deps in self.depends_on.items():
            self._known(layer_id, "Stack.depends_on")
            for dep in deps:
                self._known(dep, f"Stack.depends_on[{layer_id!r}]")
                if dep == layer_id:
                    raise ValidationError(
                        f"Stack.depends_on[{layer_id!r}]",
                        "a graph without cycles",
                        f"{layer_id!r} depending on itself",
                    )
        cycle = self._find_cycle()
        if cycle:
            raise ValidationError(
                "Stack.depends_on", "a graph without cycles", "a cycle " + " -> ".join(cycle)
            )

    def _known(self, layer_id: str, where: str) -> None:
        ids = [layer.id for layer in self.layers]
        if layer_id not in ids:
            close = close_matches(layer_id, ids, n=3)
            raise UnknownNameError(f"layer (in {where})", layer_id, close, known=len(ids))

    def _find_cycle(self) -> list[str] | None:
        state: dict[str, int] = {}
        path: list[str] = []

        def visit(node: str) -> list[str] | None:
            state[node] = 1
            path.append(node)
            for dep in self.depends_on.get(node, ()):
                if state.get(dep) == 1:
                    return [*path[path.index(dep) :], dep]
                if dep not in state:
                    found = visit(dep)
                    if found:
                        return found
            path.pop()
            state[node] = 2
            return None

        for layer in self.layers:
            if layer.id not in state:
                found = visit(layer.id)
                if found:
                    return found
        return None

    # --- lookup ------------------------------------------------------------------------------

    def __getitem__(self, layer_id: str) -> Layer:
        """The layer with this id (or this name, any case).

        Raises:
            UnknownNameError: With the closest ids.
        """
        return self.layer(layer_id)

    def layer(self, layer_id: str) -> Layer:
        """The layer with this id, or this name in any case.

        Example:
            >>> default_stack().layer("Data centers").id
            'datacenters'
        """
        for layer in self.layers:
            if layer.id == layer_id:
                return layer
        folded = str(layer_id).casefold()
        for layer in self.layers:
            if layer.name.casefold() == folded:
                return layer
        self._known(str(layer_id), "Stack")
        raise AssertionError  # pragma: no cover - _known raised

    def __contains__(self, layer_id: object) -> bool:
        """Whether a layer with this id is in the stack."""
        return any(layer.id == layer_id for layer in self.layers)

    def __iter__(self) -> Iterator[Layer]:
        """Iterate over the layers."""
        return iter(self.layers)

    def __len__(self) -> int:
        """The number of layers."""
        return len(self.layers)

    @property
    def ids(self) -> tuple[str, ...]:
        """The layer ids, in order.

        Example:
            >>> default_stack().ids[:3]
            ('sme', 'fabrication', 'memory')
        """
        return tuple(layer.id for layer in self.layers)

    # --- graph queries -----------------------------------------------------------------------

    def dependencies(self, layer_id: str) -> tuple[str, ...]:
        """The layers ``layer_id`` depends on directly.

        Example:
            >>> default_stack().dependencies("fabrication")
            ('sme',)
        """
        layer = self.layer(layer_id)
        return self.depends_on.get(layer.id, ())

    def dependents(self, layer_id: str) -> tuple[str, ...]:
        """The layers that depend on ``layer_id`` directly.

        Example:
            >>> default_stack().dependents("energy")
            ('datacenters',)
        """
        target = self.layer(layer_id).id
        return tuple(i for i in self.ids if target in self.depends_on.get(i, ()))

    def upstream(self, layer_id: str) -> tuple[str, ...]:
        """Every layer ``layer_id`` depends on, directly or not, in topological order.

        Example:
            >>> default_stack().upstream("fabrication")
            ('sme',)
        """
        start = self.layer(layer_id).id
        found: set[str] = set()
        todo = list(self.depends_on.get(start, ()))
        while todo:
            node = todo.pop()
            if node not in found:
                found.add(node)
                todo.extend(self.depends_on.get(node, ()))
        return tuple(i for i in self.topological_order() if i in found)

    def downstream(self, layer_id: str) -> tuple[str, ...]:
        """Every layer that depends on ``layer_id``, directly or not, in topological order.

        Example:
            >>> "foundation_models" in default_stack().downstream("sme")
            True
        """
        start = self.layer(layer_id).id
        return tuple(i for i in self.topological_order() if start in self.upstream(i))

    def topological_order(self) -> tuple[str, ...]:
        """The layer ids, each after everything it depends on (ties in the stack's order).

        Example:
            >>> order = default_stack().topological_order()
            >>> order.index("sme") < order.index("fabrication") < order.index("datacenters")
            True
        """
        remaining = {i: set(self.depends_on.get(i, ())) for i in self.ids}
        order: list[str] = []
        while remaining:
            ready = [i for i in self.ids if i in remaining and not remaining[i]]
            for i in ready:
                del remaining[i]
                for deps in remaining.values():
                    deps.discard(i)
            order.extend(ready)
        return tuple(order)

    # --- building ----------------------------------------------------------------------------

    def with_layer(self, layer: Layer, *, depends_on: tuple[str, ...] | list[str] = ()) -> Stack:
        """A new stack with ``layer`` added (it may depend on existing layers).

        Example:
            >>> s = default_stack().with_layer(Layer("quantum", "Quantum computing"),
            ...                                depends_on=["fabrication"])
            >>> s.dependencies("quantum")
            ('fabrication',)
        """
        edges = dict(self.depends_on)
        if depends_on:
            edges[layer.id] = tuple(depends_on)
        return Stack((*self.layers, layer), depends_on=edges, edges_source=self.edges_source)

    def with_dependency(self, layer_id: str, depends_on: str) -> Stack:
        """A new stack where ``layer_id`` also depends on ``depends_on`` (cycles are refused).

        Example:
            >>> default_stack().with_dependency("sme", "foundation_models")
            Traceback (most recent call last):
            ...
            fullstack.ValidationError: Stack.depends_on: expected a graph without cycles, ...
        """
        edges = dict(self.depends_on)
        edges[layer_id] = (*edges.get(layer_id, ()), depends_on)
        return Stack(self.layers, depends_on=edges, edges_source=self.edges_source)

    def sources(self) -> list[Provenance]:
        """The distinct sources of the layers and of the dependencies.

        Example:
            >>> len(default_stack().sources()) >= 1
            True
        """
        out: dict[Any, Provenance] = {}
        for p in (*(layer.source for layer in self.layers), self.edges_source):
            out.setdefault(p, p)
        return list(out.values())

    # --- display -----------------------------------------------------------------------------

    def _repr_html_(self) -> str:
        rows = [
            (layer.id, layer.name, ", ".join(self.dependencies(layer.id)), layer.description)
            for layer in self.layers
        ]
        return html_table(("id", "layer", "depends on", "what it is"), rows)

    def __repr__(self) -> str:
        """A short summary."""
        return f"<Stack: {len(self.layers)} layers: {', '.join(self.ids)}>"

    def plot(
        self, world: World | None = None, *, economy: str | None = None, ax: Axes | None = None
    ) -> Axes:
        """Draw the stack as a layered graph, coloured by an economy's self-sufficiency.

        Needs the ``plot`` extra. Layers are placed by depth (what they depend on below them);
        with a world, each box is coloured by the domestic share of that layer in ``economy``
        (default: each economy in its own panel is not drawn here; pick one, default the first).

        Example:
            >>> ax = default_stack().plot(reference_world(), economy="CN")
            >>> ax.get_title()
            'AI stack, CN: domestic share of each layer'
        """
        return plot_stack(self, world, economy=economy, ax=ax)


# --- the default stack --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class LayerEntry(Cited):
    """A layer as ``stack.toml`` writes it: `Layer`'s fields, what it depends on, a note.

    The note is appended to the description of the `Layer`.
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=check_name)
    description: str = ""
    depends_on: tuple[str, ...] = ()
    note: str = ""


@attrs.frozen(kw_only=True)
class StackFile:
    """The schema of ``stack.toml``: sources by key, the layers, where the edges come from.

    Attributes:
        sources: The sources, by the key the layers cite them by.
        layers: The layers, each with the ids of the layers it depends on.
        dependencies_provenance: Where the dependency edges come from (default: an assumption
            that they are as the file gives them).
    """

    sources: Mapping[str, Source] = attrs.field(factory=dict)
    layers: tuple[LayerEntry, ...] = ()
    dependencies_provenance: Cited | None = None


_FILE_EDGES = Assumption(reason="Dependencies as given in the file.")


def _build_stack(parsed: StackFile) -> Stack:
    """The stack a checked `StackFile` describes; raises `_Invalid` for unknown layers, cycles."""
    ids = [entry.id for entry in parsed.layers]
    problems: list[tuple[_At, str]] = [
        (("layers", i, "depends_on", j), f'unknown layer "{dep}"{_suggestion(dep, ids)}')
        for i, entry in enumerate(parsed.layers)
        for j, dep in enumerate(entry.depends_on)
        if dep not in ids
    ]
    if problems:
        raise _Invalid(problems)
    sources = parsed.sources
    layers = [
        Layer(
            entry.id,
            entry.name,
            f"{entry.description} {entry.note}".strip() if entry.note else entry.description,
            entry.provenance(sources),
        )
        for entry in parsed.layers
    ]
    edges = {entry.id: entry.depends_on for entry in parsed.layers if entry.depends_on}
    cited = parsed.dependencies_provenance
    edges_source = _FILE_EDGES if cited is None else cited.provenance(sources)
    try:
        return Stack(layers, depends_on=edges, edges_source=edges_source)
    except (ValidationError, UnknownNameError) as exc:  # ids used twice, a cycle
        raise _Invalid([(("layers",), str(exc))]) from None


def load_stack(text: str | None = None, *, path: str = "") -> Stack:
    """Read a stack from TOML (the shipped ``stack.toml`` when ``text`` is None).

    The file is read through the converter that reads scenario files, as a `StackFile`.

    Raises:
        FileFormatError: Every problem, with its place in the file.

    Example:
        >>> load_stack('''
        ... schema_version = 1
        ... [[layers]]
        ... id = "chips"
        ... name = "Chips"
        ... assumption = "illustration"
        ... ''').ids
        ('chips',)
        >>> load_stack('''
        ... schema_version = 1
        ... [[layers]]
        ... id = "Chips"
        ... name = "Chips"
        ... depends_on = ["fabs"]
        ... source = "rand"
        ... ''')
        Traceback (most recent call last):
        ...
        fullstack.FileFormatError: <string>: 2 problems
          layers[0].source: unknown source "rand"
          layers[0].id: expected a snake_case identifier such as 'datacenters', got 'Chips'
    """
    return read_dataset(text, "stack.toml", StackFile, _build_stack, path=path)


@functools.cache
def default_stack() -> Stack:
    """The default AI stack, after RAND's *Full Stack* framing (loaded once, then cached).

    Example:
        >>> len(default_stack())
        12
    """
    return load_stack()
