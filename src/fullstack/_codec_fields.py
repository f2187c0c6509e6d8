"""The types and fields the converter works with: what a type is, and the plan of a class.

Predicates on types (`_is_union`, `_is_sequence`...), `_describe` (what a file must hold for a
type, for messages), and the plan of an attrs class (`_Plan`: its fields, their keys in a file,
types and defaults, made once per class by `_make_plan`), with `_Partial`, an object under
construction on which the fields' own checks run one by one. Used by `fullstack._codec`.

Example:
    >>> _describe(tuple[int, ...]), _describe(bool)
    ('an array', 'true or false')
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from collections import abc
from typing import Any, Final

import attrs
import pint

from fullstack._codec_problems import _At, _message, _show
from fullstack.errors import FullstackError

if typing.TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "_MAPPINGS",
    "_SEQUENCES",
    "_Default",
    "_Field",
    "_Partial",
    "_Plan",
    "_default",
    "_describe",
    "_is_annotated",
    "_is_any",
    "_is_attrs",
    "_is_class",
    "_is_literal",
    "_is_mapping",
    "_is_quantity",
    "_is_scalar",
    "_is_sequence",
    "_is_union",
    "_located",
    "_make_plan",
    "_origin",
    "_same",
    "_steps_within",
]

_WHERE: Final = re.compile(
    r"^(?P<cls>[A-Za-z_]\w*)(?:\(.*\))?\.(?P<field>[A-Za-z_]\w*)"
    r"(?P<rest>(?:\.[A-Za-z_]\w*|\[\d+\])*)$"
)
"""``Cls(...).field``, then a path within the field's value (``.low``, ``[2026]``)."""
_STEP: Final = re.compile(r"\.(?P<key>[A-Za-z_]\w*)|\[(?P<index>\d+)\]")


# --- types ---------------------------------------------------------------------------------------

_SEQUENCES: Final = {
    tuple: tuple,
    list: list,
    set: set,
    frozenset: frozenset,
    abc.Sequence: tuple,
    abc.Collection: tuple,
    abc.Iterable: tuple,
    abc.MutableSequence: list,
    abc.Set: frozenset,
    abc.MutableSet: set,
}
_MAPPINGS: Final = (dict, abc.Mapping, abc.MutableMapping)


def _origin(t: Any) -> Any:
    return typing.get_origin(t) or t


def _is_class(t: Any, base: Any) -> bool:
    return isinstance(t, type) and issubclass(t, base)


def _is_any(t: Any) -> bool:
    return t is Any or t is object or isinstance(t, typing.TypeVar)


def _is_union(t: Any) -> bool:
    return typing.get_origin(t) in (typing.Union, types.UnionType)


def _is_literal(t: Any) -> bool:
    return typing.get_origin(t) is typing.Literal


def _is_annotated(t: Any) -> bool:
    return typing.get_origin(t) is typing.Annotated


def _is_sequence(t: Any) -> bool:
    return _origin(t) in _SEQUENCES


def _is_mapping(t: Any) -> bool:
    return _origin(t) in _MAPPINGS


def _is_attrs(t: Any) -> bool:
    return isinstance(t, type) and attrs.has(t)


def _is_quantity(t: Any) -> bool:
    return _is_class(t, pint.Quantity)


def _describe(t: Any) -> str:
    """What a file must hold for type ``t``, for messages."""
    simple = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
    if t in simple:
        return simple[t]
    if t is type(None):
        return "nothing"
    if _is_literal(t):
        return "one of " + ", ".join(_show(getattr(a, "value", a)) for a in typing.get_args(t))
    if _is_class(t, enum.Enum):
        return "one of " + ", ".join(_show(m.value) for m in t)
    if _is_sequence(t):
        return "an array"
    if _is_quantity(t):
        return 'a quantity such as "5 GW"'
    if _is_mapping(t) or _is_attrs(t):
        return f"a {t.__name__} table" if _is_attrs(t) else "a table"
    return str(getattr(t, "__name__", t))


# --- fields of attrs classes ---------------------------------------------------------------------


class _Default(enum.Enum):
    UNKNOWN = "unknown"  # the default could not be computed: always write the field
    PER_OBJECT = "per object"  # a Factory(takes_self=True): computed for each object


@attrs.frozen
class _Field:
    attribute: Any
    key: str
    type: Any
    required: bool
    default: Any


@attrs.frozen
class _Plan:
    cls: type
    fields: tuple[_Field, ...]
    by_key: dict[str, _Field]
    by_name: dict[str, _Field]
    stand_in: Any


def _annotation(cls: type, name: str, annotation: Any) -> Any:
    """One field's type, resolved on its own when the class's annotations do not all resolve."""
    import sys

    if not isinstance(annotation, str):
        return Any if annotation is None else annotation

    class Holder:
        __annotations__ = {name: annotation}

    module = sys.modules.get(cls.__module__)
    try:
        hints = typing.get_type_hints(Holder, vars(module) if module else {}, dict(vars(cls)))
    except Exception:
        return Any
    return hints.get(name, Any)


def _is_attrs_or_enum(value: Any) -> bool:
    return isinstance(value, enum.Enum) or attrs.has(type(value))


def _call_converter(attribute: Any, value: Any, instance: Any) -> Any:
    conv: Any = attribute.converter
    if conv is None:
        return value
    if isinstance(conv, attrs.Converter):
        wrapped: Any = conv  # attrs' stubs do not declare the attributes read here
        args: list[Any] = [value]
        if wrapped.takes_self:
            args.append(instance)
        if wrapped.takes_field:
            args.append(attribute)
        return wrapped.converter(*args)
    return conv(value)


def _make_plan(cls: type, renamed: Mapping[str, str]) -> _Plan:
    with_types = True
    try:
        attrs.resolve_types(cls)
    except Exception:
        with_types = False
    stand_in: Any
    try:
        stand_in = object.__new__(cls)
    except Exception:
        stand_in = None
    fields = []
    for a in attrs.fields(cls):
        if not a.init:
            continue
        typ = a.type if with_types and a.type is not None else _annotation(cls, a.name, a.type)
        if typ is Any and isinstance(a.type, str) and _is_attrs_or_enum(a.default):
            typ = type(a.default)  # an annotation that does not resolve: the default tells
        required = a.default is attrs.NOTHING
        default: Any = _Default.UNKNOWN
        try:
            if isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
                default = _Default.PER_OBJECT if a.default.takes_self else a.default.factory()
            elif not required:
                default = a.default
            if not isinstance(default, _Default) and a.converter is not None:
                default = _call_converter(a, default, stand_in)
        except Exception:
            default = _Default.UNKNOWN
        key = renamed.get(a.name, a.alias)
        fields.append(_Field(a, key, typ, required, default))
    return _Plan(
        cls,
        tuple(fields),
        {f.key: f for f in fields},
        {f.attribute.name: f for f in fields},
        stand_in,
    )


def _same(value: Any, default: Any) -> bool:
    if isinstance(default, _Default):
        return False
    try:
        return bool(value == default)
    except Exception:  # arrays, odd __eq__: write the value
        return False


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | dt.date | dt.time)


class _Partial:
    """An object under construction: the fields read so far, set without running ``__init__``.

    Field checks run on it one by one, so a check that reads an earlier field (``end`` against
    ``start``) runs; a check that reads a field not set yet fails with an AttributeError and is
    left to the constructor (or to `cross_checks` when the table has problems).
    """

    def __init__(self, plan: _Plan, instance: Any) -> None:
        self.plan = plan
        self.instance = instance

    @classmethod
    def of(cls, plan: _Plan) -> _Partial:
        instance: Any
        try:
            instance = object.__new__(plan.cls)
        except Exception:  # a class that cannot be created bare: no partial checks
            instance = None
        return cls(plan, instance)

    def get(self, name: str) -> Any:
        return getattr(self.instance, name, None)

    def _set(self, field: _Field, value: Any) -> None:
        try:
            object.__setattr__(self.instance, field.attribute.name, value)
        except Exception:  # slots or descriptors that refuse it: the field stays unset
            return

    def set_default(self, field: _Field) -> None:
        if self.instance is not None and not isinstance(field.default, _Default):
            self._set(field, field.default)

    def check(self, field: _Field, value: Any) -> None:
        """Run one field's converter and validator, then keep the converted value."""
        attribute = field.attribute
        if self.instance is None:
            return
        try:
            converted = _call_converter(attribute, value, self.instance)
            if attribute.validator is not None:
                attribute.validator(self.instance, attribute, converted)
        except AttributeError:  # the check needs a field that is not set yet
            return
        self._set(field, converted)

    def cross_checks(self, value: dict[str, Any]) -> list[tuple[_At, str]]:
        """The problems ``__attrs_post_init__`` finds on the fields that were read.

        Only `FullstackError` counts: anything else comes from fields that are not set.
        """
        post_init = getattr(self.plan.cls, "__attrs_post_init__", None)
        if self.instance is None or post_init is None:
            return []
        try:
            post_init(self.instance)
        except FullstackError as exc:
            return _located(self.plan, exc, value)
        except Exception:  # a field it reads is missing or bad: reported already
            return []
        return []


def _located(plan: _Plan, exc: Exception, value: dict[str, Any]) -> list[tuple[_At, str]]:
    """Place an error raised while building an object on the field it names, if it names one."""
    where = getattr(exc, "where", "")
    match = _WHERE.match(where) if isinstance(where, str) else None
    if isinstance(exc, FullstackError) and match:
        names = {c.__name__ for c in plan.cls.__mro__}
        field = plan.by_name.get(match["field"])
        if match["cls"] in names and field is not None:
            message = _message(exc)
            if field.key not in value:
                message = f"missing: {message}"
            return [((field.key, *_steps_within(exc, field.attribute.name)), message)]
    if isinstance(exc, FullstackError):
        return [((), str(exc))]
    return [((), _message(exc))]


def _steps_within(exc: BaseException, name: str) -> tuple[str | int, ...]:
    """The path within field ``name`` that an error's ``where`` names (``Cls.name[1].a``)."""
    where = getattr(exc, "where", "")
    match = _WHERE.match(where) if isinstance(where, str) else None
    if match is None or match["field"] != name:
        return ()
    return tuple(
        int(m["index"]) if m["index"] is not None else m["key"]
        for m in _STEP.finditer(match["rest"])
    )


def _default(field: _Field, obj: Any, plan: _Plan) -> Any:
    if field.default is not _Default.PER_OBJECT:
        return field.default
    try:
        value = field.attribute.default.factory(obj)
        return _call_converter(field.attribute, value, plan.stand_in)
    except Exception:
        return _Default.UNKNOWN
