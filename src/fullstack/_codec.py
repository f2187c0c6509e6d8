"""The converter behind `fullstack.io` and the shipped datasets: cattrs with fullstack's hooks.

`_Codec` structures plain data into attrs objects (each field checked on its own, then the
checks across fields, every problem reported with its place) and unstructures objects back to
what files hold; `Tagged` wires it to an open family of types tagged by name (the instruments,
handed in by `fullstack.policy._converter`); `read_dataset` reads a shipped data file through it.
Below it: `fullstack._codec_read` (the reading path, `read_text`), `fullstack._codec_fields`
(types and the plans of attrs classes) and `fullstack._codec_problems` (problems and their
places); this module re-exports what the rest of the package imports from them.

Private: use `fullstack.io.save`, `load`, `dumps` and `loads`.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import typing
from collections import abc
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from fullstack._codec_fields import (
    _SEQUENCES,
    _default,
    _describe,
    _Field,
    _is_annotated,
    _is_any,
    _is_attrs,
    _is_class,
    _is_literal,
    _is_mapping,
    _is_quantity,
    _is_scalar,
    _is_sequence,
    _is_union,
    _located,
    _make_plan,
    _origin,
    _Partial,
    _Plan,
    _same,
    _steps_within,
)
from fullstack._codec_problems import _At, _collect, _Invalid, _location, _quoted, _show, _within
from fullstack._codec_read import MIGRATIONS, SCHEMA_VERSION, _plain, read_text, yaml_module
from fullstack._data import FigureEntry, close_matches
from fullstack.distributions import Distribution
from fullstack.errors import FileFormatError, FullstackError, Problem, ValidationError
from fullstack.provenance import Assumption, Estimate, Source
from fullstack.units import currency_of, format_quantity, parse_quantity

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Check",
    "Each",
    "Tagged",
    "_At",
    "_Codec",
    "_Invalid",
    "_collect",
    "_location",
    "_quantity_text",
    "_suggestion",
    "_within",
    "checked_figure",
    "read_dataset",
    "read_dataset_data",
    "read_text",
    "source_problems",
    "yaml_module",
]


def _suggestion(word: str, candidates: Any) -> str:
    close = close_matches(word, [str(c) for c in candidates], n=1)
    return f"; did you mean {_quoted(close[0])}?" if close else ""


# --- checks that need more than a field --------------------------------------------------------


@attrs.frozen
class Check:
    """A check of a value after it is read: ``Annotated[str, Check(known_layer)]``.

    ``check(value)`` raises a `FullstackError` (or `_Invalid`) for a bad value; the problem is
    placed where the value is (a key of a table, an item of an array).
    """

    check: Callable[[Any], object]


@attrs.frozen
class Each:
    """A check of each item of a table with its key: ``Annotated[Mapping[str, X], Each(f)]``.

    Each item is read, then ``check(key, item)`` runs on it, item by item: a bad item hides no
    other item's problems (a validator of the whole table runs only when every item reads).
    """

    check: Callable[[str, Any], object]


# --- the converter -------------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Tagged:
    """How a converter reads and writes an open family of types tagged by name (instruments).

    `_Codec` knows nothing of the policy layer above it: `fullstack.policy._converter` passes
    this in (the base class, the registry, the tag of a class, the economies' currencies).

    Attributes:
        base: The base class; a table of this type (or a subclass) carries ``type = "<tag>"``.
        types: The registered types by tag, looked up each time (a type registered later works).
        tag_of: The tag of a class, or None if it is not registered.
        currencies: The currency of each economy, for the money fields of a tagged object.
    """

    base: type
    types: Callable[[], Mapping[str, type]]
    tag_of: Callable[[type], str | None]
    currencies: Callable[[], Mapping[str, str]]


class _Codec:
    """A cattrs converter with fullstack's hooks, and the plans of the attrs classes it met.

    Tagged types (instruments) are looked up by tag when a table is read, and by class when one
    is written: nothing here fixes the set of types, so a type registered later works.
    """

    def __init__(self, tagged: Tagged | None = None) -> None:
        import cattrs

        self._tagged = tagged
        base = tagged.base if tagged is not None else None
        self._instrument_base: type | None = base
        self._source = Source
        self._assumption = Assumption
        self._plans: dict[type, _Plan] = {}
        self._economy_currencies: Mapping[str, str] | None = None
        # Keys of a class's table that differ from its field names.
        self._renamed: dict[type, dict[str, str]] = {Assumption: {"reason": "assumption"}}
        conv = cattrs.Converter(
            structure_fallback_factory=lambda t: self._unknown_type,
        )
        self._conv = conv
        # Structuring. cattrs tries the later registrations first; the built-in scalar types
        # go through singledispatch, which wins over any predicate.
        conv.register_structure_hook(str, self._text)
        conv.register_structure_hook(int, self._whole)
        conv.register_structure_hook(float, self._number)
        conv.register_structure_hook(bool, self._boolean)
        conv.register_structure_hook(bytes, self._unknown_type)
        for predicate, hook in (
            (_is_any, lambda v, _: v),
            (lambda t: t is type(None) or t is None, self._nothing),
            (_is_annotated, self._annotated),
            (_is_literal, self._literal),
            (lambda t: _is_class(t, enum.Enum), self._enum),
            (_is_union, self._union),
            (_is_sequence, self._sequence),
            (_is_mapping, self._mapping),
            (lambda t: t in (dt.date, dt.datetime, dt.time), self._moment),
            (_is_attrs, self._object),
            (_is_quantity, self._quantity),
            (lambda t: base is not None and _is_class(t, base), self._instrument),
        ):
            conv.register_structure_hook_func(predicate, hook)
        # Unstructuring, by the class of each value.
        for predicate, unhook in (
            (_is_attrs, self._table),
            (lambda t: base is not None and _is_class(t, base), self._tagged_table),
            (lambda t: _is_class(t, Distribution), self._distribution_table),
            (_is_quantity, _quantity_text),
            (lambda t: _is_class(t, enum.Enum), lambda v: self._unstructure(v.value)),
            (lambda t: _is_class(t, dt.date | dt.time), lambda v: v.isoformat()),
            (lambda t: _is_class(t, tuple | list | set | frozenset), self._array),
            (lambda t: _is_class(t, abc.Mapping), self._mapping_table),
        ):
            conv.register_unstructure_hook_func(predicate, unhook)

    # --- the interface ---------------------------------------------------------------------------

    def structure(self, value: Any, t: Any) -> Any:
        """A value of type ``t`` from plain data; raises `_Invalid` with every problem found."""
        return self._structure(value, t)

    def unstructure(self, value: Any) -> Any:
        """Plain data (tables, arrays, text, numbers) for a value, as files hold it."""
        return self._unstructure(value)

    # --- structuring ----------------------------------------------------------------------------

    def _structure(self, value: Any, t: Any) -> Any:
        return self._conv.structure(value, t)

    def _annotated(self, value: Any, t: Any) -> Any:
        inner, *extras = typing.get_args(t)
        each = [e.check for e in extras if isinstance(e, Each)]
        if each and _is_mapping(inner) and isinstance(value, dict):
            item_type = typing.get_args(inner)[1] if len(typing.get_args(inner)) == 2 else Any
            out, problems = {}, []
            for key, item in value.items():
                try:
                    out[key] = self._structure(item, item_type)
                    for check in each:
                        check(key, out[key])
                except Exception as exc:
                    problems += _within(key, _collect(exc))
            if problems:
                raise _Invalid(problems)
            return out
        out = self._structure(value, inner)
        for extra in extras:
            if isinstance(extra, Check):
                extra.check(out)
        return out

    def _plan(self, cls: type) -> _Plan:
        plan = self._plans.get(cls)
        if plan is None:
            plan = self._plans[cls] = _make_plan(cls, self._renamed.get(cls, {}))
        return plan

    def _unknown_type(self, value: Any, t: Any) -> Any:
        name = getattr(t, "__name__", str(t))
        msg = f"fullstack cannot read a {name} from a file; give the field a converter"
        raise _Invalid.one(msg)

    def _text(self, value: Any, t: Any) -> Any:
        if t is not str and _is_class(t, enum.Enum):
            return self._enum(value, t)
        if isinstance(value, str):
            return value
        raise _Invalid.one(f"expected text, got {_show(value)}")

    def _whole(self, value: Any, t: Any) -> Any:
        if t is not int and _is_class(t, enum.Enum):
            return self._enum(value, t)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise _Invalid.one(f"expected a whole number, got {_show(value)}")

    def _number(self, value: Any, t: Any) -> Any:
        if t is not float and _is_class(t, enum.Enum):
            return self._enum(value, t)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise _Invalid.one(f"expected a number, got {_show(value)}")

    def _boolean(self, value: Any, t: Any) -> Any:
        if isinstance(value, bool):
            return value
        raise _Invalid.one(f"expected true or false, got {_show(value)}")

    def _nothing(self, value: Any, t: Any) -> Any:
        if value is None:
            return None
        raise _Invalid.one(f"expected nothing, got {_show(value)}")

    def _literal(self, value: Any, t: Any) -> Any:
        for option in typing.get_args(t):
            plain = option.value if isinstance(option, enum.Enum) else option
            if type(value) is type(plain) and value == plain:
                return option
        raise _Invalid.one(f"expected {_describe(t)}, got {_show(value)}")

    def _enum(self, value: Any, t: Any) -> Any:
        for member in t:
            if type(value) is type(member.value) and value == member.value:
                return member
        raise _Invalid.one(f"expected {_describe(t)}, got {_show(value)}")

    def _moment(self, value: Any, t: Any) -> Any:
        if isinstance(value, t) and (t is dt.datetime or not isinstance(value, dt.datetime)):
            return value
        if isinstance(value, str):
            try:
                return t.fromisoformat(value)
            except ValueError:
                pass
        kind = {dt.date: "date", dt.datetime: "date and time", dt.time: "time"}[t]
        raise _Invalid.one(f"expected an ISO {kind} such as 2025-06-26, got {_show(value)}")

    def _quantity(self, value: Any, t: Any) -> Any:
        if isinstance(value, str):
            return parse_quantity(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise _Invalid.one(f'expected a quantity with a unit, e.g. "{value} GW", got {value}')
        raise _Invalid.one(f'expected a quantity such as "5 GW", got {_show(value)}')

    def _union(self, value: Any, t: Any) -> Any:
        options = typing.get_args(t)
        if value is None and type(None) in options:
            return None
        members = [m for m in options if m is not type(None)]
        if isinstance(value, dict):
            if self._source in members and self._assumption in members:
                has_reason = "assumption" in value
                return self._structure(value, self._assumption if has_reason else self._source)
            tables = [m for m in members if _is_attrs(m) or _is_mapping(m)]
            if len(tables) == 1:
                return self._structure(value, tables[0])
        if len(members) == 1:
            return self._structure(value, members[0])
        for member in members:
            try:
                return self._structure(value, member)
            except Exception:  # the next member may fit
                continue
        if self._source in members and self._assumption in members:
            expected = 'a source table (title, publisher...) or an assumption (assumption = "why")'
        else:
            expected = " or ".join(_describe(m) for m in options)
        raise _Invalid.one(f"expected {expected}, got {_show(value)}")

    def _sequence(self, value: Any, t: Any) -> Any:
        if not isinstance(value, list | tuple):
            raise _Invalid.one(f"expected an array, got {_show(value)}")
        origin, args = _origin(t), typing.get_args(t)
        if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            if len(args) != len(value):
                raise _Invalid.one(f"expected an array of {len(args)}, got {_show(list(value))}")
            item_types = list(args)
        else:
            item_types = [args[0] if args else Any] * len(value)
        items, problems = [], []
        for i, (item, item_type) in enumerate(zip(value, item_types, strict=True)):
            try:
                items.append(self._structure(item, item_type))
            except Exception as exc:
                problems += _within(i, _collect(exc))
        if problems:
            raise _Invalid(problems)
        return _SEQUENCES[origin](items)

    def _mapping(self, value: Any, t: Any) -> Any:
        if not isinstance(value, dict):
            raise _Invalid.one(f"expected a table, got {_show(value)}")
        args = typing.get_args(t)
        key_type, value_type = (args[0], args[1]) if len(args) == 2 else (Any, Any)
        out, problems = {}, []
        for key, item in value.items():
            try:
                k = key if _is_any(key_type) or key_type is str else self._structure(key, key_type)
                out[k] = self._structure(item, value_type)
            except Exception as exc:
                problems += _within(key, _collect(exc))
        if problems:
            raise _Invalid(problems)
        return out

    def _object(self, value: Any, t: Any) -> Any:
        return self._fields(value, t, label=t.__name__)

    def _instrument(self, value: Any, t: Any) -> Any:
        assert self._tagged is not None  # registered only with a Tagged family
        if not isinstance(value, dict):
            msg = f'expected an instrument table with type = "<tag>", got {_show(value)}'
            raise _Invalid.one(msg)
        known = self._tagged.types()
        listing = f"Known types: {', '.join(sorted(known))}"
        if "type" not in value:
            raise _Invalid.one(f'missing "type", the instrument\'s type. {listing}')
        tag = value["type"]
        cls = known.get(tag) if isinstance(tag, str) else None
        if cls is None:
            hint = (_suggestion(tag, known) if isinstance(tag, str) else "") or "."
            raise _Invalid.one(f"unknown instrument type {_show(tag)}{hint} {listing}", "type")
        if not issubclass(cls, t):
            msg = f"expected a type of {t.__name__}, got {_show(tag)} ({cls.__name__})"
            raise _Invalid.one(msg, "type")
        return self._fields(value, cls, label=tag, skip=("type",))

    def _fields(self, value: Any, cls: type, *, label: str, skip: tuple[str, ...] = ()) -> Any:
        """Build an attrs object from a table, checking every field before giving up.

        Each field is structured by its type and then run through its own converter and
        validator, on a partial object that holds the fields before it (so a check of ``end``
        against ``start`` runs too); only then is the object built. When some fields are bad,
        the checks that need several fields (``__attrs_post_init__``) still run on the partial
        object, so every problem of the table is reported in one pass.
        """
        if not isinstance(value, dict):
            raise _Invalid.one(f"expected {_describe(cls)}, got {_show(value)}")
        plan = self._plan(cls)
        problems: list[tuple[_At, str]] = []
        for key in value:
            if key not in plan.by_key and key not in skip:
                hint = _suggestion(key, plan.by_key) or f" (it takes {', '.join(plan.by_key)})"
                problems.append(((key,), f"unknown key for {label}{hint}"))
        partial = _Partial.of(plan)
        kwargs: dict[str, Any] = {}
        for field in plan.fields:
            if field.key not in value:
                if field.required:
                    problems.append(((field.key,), f"missing ({label} needs it)"))
                else:
                    partial.set_default(field)
                continue
            raw = value[field.key]
            try:
                item = self._field_value(raw, field)
                partial.check(field, item)
            except Exception as exc:
                problems += _within(field.key, self._explained(exc, raw, field))
                continue
            kwargs[field.attribute.alias] = item
        if self._instrument_base is not None and _is_class(cls, self._instrument_base):
            problems += self._currency_problems(partial)
        if problems:
            bad = {p[0][0] for p in problems if p[0]}
            problems += [p for p in partial.cross_checks(value) if not p[0] or p[0][0] not in bad]
            order = {key: i for i, key in enumerate(value)}  # report in the file's order
            problems.sort(key=lambda p: order.get(p[0][0], len(order)) if p[0] else -1)
            raise _Invalid(problems)
        try:
            return cls(**kwargs)
        except Exception as exc:
            raise _Invalid(_located(plan, exc, value)) from None

    def _currency_problems(self, partial: _Partial) -> list[tuple[_At, str]]:
        """Money fields of an instrument in another currency than its economy's.

        The economy's currency is the reference world's; an economy the reference world does
        not hold is left to the scenario's world (its effects check it when they run).
        """
        economy = partial.get("economy")
        wanted = self._currencies().get(economy) if isinstance(economy, str) else None
        if wanted is None:
            return []
        problems: list[tuple[_At, str]] = []
        for field in partial.plan.fields:
            given = currency_of(partial.get(field.attribute.name))
            if given is not None and given != wanted:
                shown = _quantity_text(partial.get(field.attribute.name))
                message = (
                    f"expected money in {wanted}, the currency of {economy}, got {shown}; "
                    "convert it at a year's exchange rate (fullstack.convert_currency)"
                )
                problems.append(((field.key,), message))
        return problems

    def _currencies(self) -> Mapping[str, str]:
        """Each economy and its currency (asked once)."""
        if self._economy_currencies is None:
            self._economy_currencies = self._tagged.currencies() if self._tagged else {}
        return self._economy_currencies

    def _explained(self, exc: Exception, raw: Any, field: _Field) -> list[tuple[_At, str]]:
        """The problems of a bad field; a converter's crash is explained by the field's type."""
        steps = _steps_within(exc, field.attribute.name)
        if steps:  # an error placed within the field (``Scenario.correlations[1]``)
            return [(steps, message) for _, message in _collect(exc)]
        if isinstance(exc, FullstackError | _Invalid) or not _is_scalar(raw):
            return _collect(exc)
        try:  # e.g. "'int' object is not iterable" from a converter given 5 for an array
            self._structure(raw, field.type)
        except Exception as typed:
            return _collect(typed)
        return _collect(exc)

    def _field_value(self, raw: Any, field: _Field) -> Any:
        # A field with a converter takes what a Python caller may pass ("30 %", "5 GW", a name):
        # scalars go to it as they are; arrays and tables are structured by the field's type.
        if field.attribute.converter is not None and _is_scalar(raw):
            return raw
        return self._structure(raw, field.type)

    # --- unstructuring --------------------------------------------------------------------------

    def _unstructure(self, value: Any) -> Any:
        if isinstance(value, enum.Enum):  # before cattrs: str and int enums dispatch as str, int
            return self._unstructure(value.value)
        return self._conv.unstructure(value)

    def _table(self, obj: Any) -> dict[str, Any]:
        plan = self._plan(type(obj))
        out: dict[str, Any] = {}
        for field in plan.fields:
            value = getattr(obj, field.attribute.name)
            if not field.required and _same(value, _default(field, obj, plan)):
                continue
            out[field.key] = self._unstructure(value)
        return out

    def _tagged_table(self, obj: Any) -> dict[str, Any]:
        assert self._tagged is not None  # registered only with a Tagged family
        cls = type(obj)
        tag = self._tagged.tag_of(cls)
        if tag is None:
            raise ValidationError(
                cls.__name__,
                'a registered instrument type: decorate it with @fullstack.instrument("tag")',
                "a type that is not registered",
            )
        if "type" in self._plan(cls).by_key:
            raise ValidationError(
                cls.__name__, "no field named 'type' (files use the key for the tag)", "one"
            )
        return {"type": tag, **self._table(obj)}

    def _distribution_table(self, obj: Any) -> dict[str, Any]:
        # read back by fullstack.distributions.from_table (an Override's value is untyped)
        return {"distribution": obj.tag, **self._table(obj)}

    def _array(self, value: Any) -> list[Any]:
        return [self._unstructure(v) for v in value]

    def _mapping_table(self, value: Any) -> dict[Any, Any]:
        # files key tables by text: a year (an int key, as in a path by year) becomes "2027"
        return {
            str(k) if isinstance(k, int) and not isinstance(k, bool) else self._unstructure(k): (
                self._unstructure(v)
            )
            for k, v in value.items()
        }


def _quantity_text(q: Any) -> str:
    """A quantity as text that reads back equal: ``"344 GCNY"``, ``"2e6 hbm_stack/year"``."""
    text = format_quantity(q)
    number, _, unit = text.partition(" ")
    if number.endswith(".0"):
        number = number[:-2]
    unit = re.sub(r"(?<![A-Za-z0-9_])a(?![A-Za-z0-9_])", "year", unit)  # pint's symbol for year
    pretty = f"{number} {unit}" if unit else number
    try:
        back = parse_quantity(pretty)
        if back.units == q.units and back.magnitude == q.magnitude:
            return pretty
    except FullstackError:
        pass
    return text


# --- the shipped datasets ------------------------------------------------------------------------

_T = typing.TypeVar("_T")
_R = typing.TypeVar("_R")


@functools.cache
def _plain_codec() -> _Codec:
    """The converter for data files that hold no instrument (one per process)."""
    return _Codec()


def checked_figure(fig: FigureEntry, check: Callable[[Estimate], Any] | None = None) -> Any:
    """A figure's `Estimate` (its source left out), passed through ``check``.

    For the checks of a data file's schema: raises `_Invalid` with the problem at the figure,
    or at its ``low`` or ``high`` end when the error names one.
    """
    try:
        est = fig.estimate()
        return est if check is None else check(est)
    except FullstackError as exc:
        where = getattr(exc, "where", "")
        end = where.rpartition(".")[2] if isinstance(where, str) else ""
        place: _At = (end,) if end in ("low", "high") else ()
        raise _Invalid([((*place, *at), message) for at, message in _collect(exc)]) from None


def source_problems(
    value: Any, sources: Mapping[str, Any], at: _At = (), *, lists: tuple[str, ...] = ()
) -> list[tuple[_At, str]]:
    """The source keys in ``value`` that name no entry of ``sources``, each at its place.

    A key is the text of a ``source`` key anywhere in ``value``, or an item of an array named in
    ``lists`` (or of the arrays of a table so named: ``confirmed_by = {memory = ["key"]}``).
    """
    problems: list[tuple[_At, str]] = []

    def check(key: Any, where: _At) -> None:
        if isinstance(key, str) and key not in sources:
            problems.append((where, f'unknown source "{key}"{_suggestion(key, sources)}'))

    def walk(v: Any, where: _At) -> None:
        if isinstance(v, list):
            for i, x in enumerate(v):
                walk(x, (*where, i))
        elif isinstance(v, dict):
            for k, x in v.items():
                if k == "source":
                    check(x, (*where, k))
                elif k in lists and isinstance(x, list):
                    for i, y in enumerate(x):
                        check(y, (*where, k, i))
                elif k in lists and isinstance(x, dict):
                    for name, keys in x.items():
                        for i, y in enumerate(keys if isinstance(keys, list) else []):
                            check(y, (*where, k, name, i))
                else:
                    walk(x, (*where, k))

    walk(value, at)
    return problems


def _file_order(at: _At, keys: list[str]) -> tuple[int, int]:
    """Where a problem comes in a file: by its top-level key, then by the entry of an array."""
    if not at:
        return (-1, -1)
    top = keys.index(at[0]) if at[0] in keys else len(keys)
    entry = at[1] if len(at) > 1 and isinstance(at[1], int) else -1
    return (top, entry)


def read_dataset(
    text: str | bytes | None,
    name: str,
    schema: type[_T],
    build: Callable[[_T], _R],
    *,
    path: str = "",
    lists: tuple[str, ...] = (),
) -> _R:
    """Read a data file in the format of ``datasets/<name>`` through the converter.

    ``text`` None reads the shipped file. The file's table (less ``schema_version``) is
    structured as ``schema`` (an attrs class whose fields are the file's keys, its
    ``[sources]`` table among them); source keys that name no source are problems at their
    place, and so is every problem the converter finds, all reported together. ``build`` then
    turns the schema object into the loaded objects, raising `_Invalid` with the problems only
    the whole file shows (an unknown layer, a cycle).

    Raises:
        FileFormatError: With every problem and its place in the file.
    """
    if text is None:
        from importlib import resources

        text = resources.files("fullstack.datasets").joinpath(name).read_text("utf-8")
        path = f"fullstack/datasets/{name}"

    def structure(data: dict[str, Any]) -> _R:
        return _structure_dataset(data, schema, build, lists)

    return read_text(text, "toml", path or "<string>", structure)  # type: ignore[no-any-return]


def read_dataset_data(
    data: Any,
    schema: type[_T],
    build: Callable[[_T], _R],
    *,
    path: str = "<data>",
    lists: tuple[str, ...] = (),
    versioned: bool = True,
) -> _R:
    """Like `read_dataset`, from a table already parsed (``fullstack.load``'s, a test's).

    The table is checked to hold only what a file can hold; with ``versioned``, it must carry
    ``schema_version`` (this fullstack's, `SCHEMA_VERSION`).

    Raises:
        FileFormatError: With every problem and its place in the table.
    """
    problems: list[Problem] = []
    try:
        plain = _plain(data)
        if not isinstance(plain, dict):
            raise _Invalid.one(f"expected a table, got {_show(plain)}")
        if versioned and plain.get("schema_version") != SCHEMA_VERSION:
            given = _show(plain["schema_version"]) if "schema_version" in plain else "none"
            problems.append(Problem("schema_version", f"expected {SCHEMA_VERSION}, got {given}"))
        result = _structure_dataset(plain, schema, build, lists)
    except Exception as exc:
        problems += [Problem(_location(at), message) for at, message in _collect(exc)]
    if problems:
        raise FileFormatError(path, problems) from None
    return result


def _structure_dataset(
    data: dict[str, Any], schema: type[_T], build: Callable[[_T], _R], lists: tuple[str, ...]
) -> _R:
    """The objects a data file's table describes; raises `_Invalid` with every problem."""
    body = {k: v for k, v in data.items() if k != "schema_version"}
    sources = body.get("sources")
    cited = {k: v for k, v in body.items() if k != "sources"}
    table = sources if isinstance(sources, dict) else {}
    problems = source_problems(cited, table, lists=lists)
    try:
        parsed = _plain_codec().structure(body, schema)
    except Exception as exc:
        taken = {at for at, _ in problems}
        problems += [(at, m) for at, m in _collect(exc) if at not in taken]
    if problems:
        problems.sort(key=lambda p: _file_order(p[0], list(body)))
        raise _Invalid(problems)
    return build(parsed)
