"""Files: save and load scenarios and instruments as TOML, JSON or YAML.

`save` and `load` pick the format from the file's suffix (``.toml``, ``.json``, ``.yaml`` or
``.yml``) unless ``format`` is given; `dumps` and `loads` work on text. TOML is the format people
edit by hand, JSON the one programs exchange. YAML needs the ``yaml`` extra
(``pip install 'fullstack[yaml]'``) and is read with PyYAML's safe loader only. Nothing in a file
is ever evaluated or unpickled.

What a file holds:

- ``schema_version`` first, in every file. Files of older versions are upgraded step by step
  through `MIGRATIONS`; a file from a newer fullstack is refused with a clear message.
- A scenario is a table of its fields (``name``, ``start``, ``end``...) with its instruments as
  an array of tables, ``[[instruments]]``. One instrument is a table on its own; a list of
  instruments is a file with nothing but ``[[instruments]]``.
- An instrument is a table tagged with its registered type, ``type = "subsidy"``. The tag is
  looked up when the file is read, so a type registered a minute ago in a notebook cell loads
  like a built-in.
- Quantities are text with a unit (``"344 GCNY"``); a `Source` is a table of its fields, an
  `Assumption` a table with ``assumption = "why"``; an `Estimate` a table with ``value``,
  ``low``, ``high``, ``source`` and ``note``; enums are their values; tuples are arrays.
- Only fields that differ from their defaults are written; any field may be given.

A file with problems raises one `FileFormatError` listing every problem with its place in the
file, such as ``instruments[2].budget``. Writes are atomic (a temporary file, then one rename):
a crash never leaves half a file.

Example:
    >>> from fullstack.policy import Subsidy
    >>> s = Scenario(name="Rebate", end=2030) + Subsidy(
    ...     name="Power rebate", target="energy", rate=0.2, budget="5 GCNY", start=2026)
    >>> print(dumps(s))
    schema_version = 1
    name = "Rebate"
    end = 2030
    <BLANKLINE>
    [[instruments]]
    type = "subsidy"
    name = "Power rebate"
    start = 2026
    budget = "5 GCNY"
    target = "energy"
    rate = 0.2
    <BLANKLINE>
    >>> loads(dumps(s)) == s
    True
    >>> loads('''
    ... schema_version = 1
    ... name = "Broken"
    ... [[instruments]]
    ... type = "subsidy"
    ... name = "Rebate"
    ... budget = "5 MW"
    ... target = "energy"
    ... rate = 1.5
    ... [[instruments]]
    ... type = "subsdy"
    ... name = "Other"
    ... ''')
    Traceback (most recent call last):
    ...
    fullstack.FileFormatError: <string>: 3 problems
      instruments[0].budget: expected money (USD or CNY or EUR, optionally per year), e.g. '344 GCNY', got 5.0 MW
      instruments[0].rate: expected a fraction between 0 and 1, got 1.5
      instruments[1].type: unknown instrument type "subsdy"; did you mean "subsidy"? Known types: ...
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
import types
import typing
from collections import abc
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from fullstack._files import write_text_atomic
from fullstack.errors import (
    FileFormatError,
    FullstackError,
    MissingExtraError,
    Problem,
    ValidationError,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Mapping

__all__ = [
    "FORMATS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "MissingExtraError",
    "dumps",
    "load",
    "loads",
    "save",
]

SCHEMA_VERSION: Final = 1
"""The version of the file format this fullstack writes, and the newest it reads.

Example:
    >>> dumps(Scenario(name="s")).splitlines()[0]
    'schema_version = 1'
"""

MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""Upgrades of older files: ``MIGRATIONS[n]`` turns the data of a version-``n`` file into version
``n + 1`` (the loader then sets ``schema_version`` itself). A file of version ``n`` is upgraded
through every step up to `SCHEMA_VERSION`, then read.

Example:
    >>> sorted(MIGRATIONS)  # version 1 is the first version: nothing to upgrade yet
    []
"""

FORMATS: Final = ("toml", "json", "yaml")
"""The file formats, as given to ``format=``.

Example:
    >>> "toml" in FORMATS
    True
"""

_SUFFIXES: Final = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
_MAX_DEPTH: Final = 64
_MAX_VALUES: Final = 1_000_000
_IDENTIFIER: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_WHERE: Final = re.compile(r"^(?P<cls>[A-Za-z_]\w*)(?:\(.*\))?\.(?P<field>[A-Za-z_]\w*)$")


# --- the public functions ------------------------------------------------------------------------


def save(obj: Any, path: str | os.PathLike[str], *, format: str | None = None) -> Path:
    """Write a scenario, an instrument or a list of instruments to a file, atomically.

    The text is built first, then written to a temporary file in the same folder that replaces
    ``path`` in one rename: if anything fails, the old file is left as it was.

    Args:
        obj: A `Scenario`, an instrument of a registered type, or a list of them.
        path: The file; its suffix (``.toml``, ``.json``, ``.yaml``, ``.yml``) sets the format.
        format: ``"toml"``, ``"json"`` or ``"yaml"``, whatever the suffix.

    Returns:
        The path written.

    Raises:
        ValidationError: For an object fullstack cannot write, an instrument type that is not
            registered, an unknown format, or a value TOML cannot hold (TOML has no null).
        MissingExtraError: For YAML without PyYAML installed.

    Example:
        >>> import pathlib, tempfile
        >>> from fullstack.policy import Subsidy
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "rebate.toml"
        >>> rebate = Subsidy(name="Power rebate", target="energy", rate=0.2)
        >>> save(rebate, path).read_text().splitlines()[:2]
        ['schema_version = 1', 'type = "subsidy"']
        >>> load(path) == rebate
        True
    """
    target = Path(path)
    text = dumps(obj, format=_format_for(target, format, "fullstack.save"))
    return write_text_atomic(target, text)


def load(path: str | os.PathLike[str], *, format: str | None = None) -> Any:
    """Read a scenario, an instrument or a list of instruments from a file.

    Args:
        path: The file; its suffix (``.toml``, ``.json``, ``.yaml``, ``.yml``) sets the format.
        format: ``"toml"``, ``"json"`` or ``"yaml"``, whatever the suffix.

    Returns:
        A `Scenario`, an instrument, or a list of instruments, as the file holds.

    Raises:
        FileFormatError: With every problem in the file and where it is.
        OSError: If the file cannot be read (``FileNotFoundError``...).
        ValidationError: For an unknown format.
        MissingExtraError: For YAML without PyYAML installed.

    Example:
        >>> import pathlib, tempfile
        >>> from fullstack.policy import ExportControl
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "rules.json"
        >>> rules = [ExportControl(name="US Oct 2022 rule", rule="2022-10", start=2022),
        ...          ExportControl(name="US Oct 2023 rule", rule="2023-10", start=2023)]
        >>> _ = save(rules, path)
        >>> [rule.name for rule in load(path)]
        ['US Oct 2022 rule', 'US Oct 2023 rule']
    """
    target = Path(path)
    fmt = _format_for(target, format, "fullstack.load")
    return _read(target.read_bytes(), fmt, str(target))


def dumps(obj: Any, format: str = "toml") -> str:
    """The text of a scenario, an instrument or a list of instruments, as `save` writes it.

    Args:
        obj: A `Scenario`, an instrument of a registered type, or a list of them.
        format: ``"toml"``, ``"json"`` or ``"yaml"``.

    Returns:
        The text, starting with ``schema_version``.

    Raises:
        ValidationError: For an object fullstack cannot write, an instrument type that is not
            registered, an unknown format, or a value TOML cannot hold (TOML has no null).
        MissingExtraError: For YAML without PyYAML installed.

    Example:
        >>> from fullstack.policy import Subsidy
        >>> rebate = Subsidy(name="Power rebate", target="energy", rate=0.2, budget="5 GCNY/year",
        ...                  start=2026, end=2028, source=Assumption(reason="Illustration."))
        >>> print(dumps(rebate, format="json"))
        {
          "schema_version": 1,
          "type": "subsidy",
          "name": "Power rebate",
          "start": 2026,
          "end": 2028,
          "budget": "5 GCNY/year",
          "source": {
            "assumption": "Illustration."
          },
          "target": "energy",
          "rate": 0.2
        }
    """
    fmt = _format_name(format, "fullstack.dumps")
    data = _codec().document_of(obj)
    return _write(_writable(data, fmt, ()), fmt)


def loads(text: str | bytes, format: str = "toml") -> Any:
    """Read a scenario, an instrument or a list of instruments from text.

    Args:
        text: The text (bytes are read as UTF-8).
        format: ``"toml"``, ``"json"`` or ``"yaml"``.

    Returns:
        A `Scenario`, an instrument, or a list of instruments, as the text holds.

    Raises:
        FileFormatError: With every problem in the text and where it is.
        ValidationError: For an unknown format.
        MissingExtraError: For YAML without PyYAML installed.

    Example:
        >>> rebate = loads('''
        ... schema_version = 1
        ... type = "subsidy"
        ... name = "Power rebate"
        ... target = "energy"
        ... rate = "20 %"
        ... ''')
        >>> rebate.rate, rebate.tag
        (0.2, 'subsidy')
        >>> loads('{"schema_version": 1, "type": "subsidy", "name": "x", "rat": 0.2}', "json")
        Traceback (most recent call last):
        ...
        fullstack.FileFormatError: <string>: 3 problems
          rat: unknown key for subsidy; did you mean "rate"?
          target: missing (subsidy needs it)
          rate: missing (subsidy needs it)
    """
    return _read(text, _format_name(format, "fullstack.loads"), "<string>")


# --- formats -------------------------------------------------------------------------------------


def _format_name(format: Any, where: str) -> str:
    name = format.strip().lower() if isinstance(format, str) else format
    name = "yaml" if name == "yml" else name
    if name not in FORMATS:
        raise ValidationError(where, f"a format among {', '.join(FORMATS)}", repr(format))
    return str(name)


def _format_for(path: Path, format: str | None, where: str) -> str:
    if format is not None:
        return _format_name(format, where)
    fmt = _SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        raise ValidationError(
            where,
            f"a file ending in {', '.join(_SUFFIXES)} (or format='toml', 'json' or 'yaml')",
            repr(path.name),
        )
    return fmt


def _yaml() -> Any:
    try:
        import yaml
    except ImportError as exc:
        raise MissingExtraError("yaml", "YAML files") from exc
    return yaml


def _write(data: dict[str, Any], fmt: str) -> str:
    if fmt == "toml":
        import tomli_w

        return tomli_w.dumps(data)
    if fmt == "json":
        import json

        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    out: str = _yaml().dump(data, Dumper=_yaml_dumper(), sort_keys=False, allow_unicode=True)
    return out


@functools.cache
def _yaml_dumper() -> Any:
    r"""PyYAML's safe dumper, with text that holds control characters double-quoted.

    Plain or single-quoted, PyYAML turns characters such as NEL (``\x85``) into spaces; in
    double quotes they are escaped and read back as they were.
    """
    yaml = _yaml()

    def represent_text(dumper: Any, text: str) -> Any:
        style = None if text.isprintable() else '"'
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)

    dumper: Any = type("SafeTextDumper", (yaml.SafeDumper,), {})
    dumper.add_representer(str, represent_text)
    return dumper


def _parse(text: str, fmt: str) -> Any:
    """Parse text; every failure of the parser becomes a `_Invalid` (nothing else escapes)."""
    yaml = _yaml() if fmt == "yaml" else None
    try:
        if yaml is not None:
            return yaml.safe_load(text)
        if fmt == "toml":
            import tomllib

            return tomllib.loads(text)
        import json

        return json.loads(text)
    except RecursionError:
        raise _Invalid.one(f"not valid {fmt.upper()}: nested too deeply") from None
    except Exception as exc:  # the parsers raise many kinds (ValueError for bad dates...)
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise _Invalid.one(f"not valid {fmt.upper()}: {detail}") from None


# --- reading -------------------------------------------------------------------------------------


def _read(text: str | bytes, fmt: str, path: str) -> Any:
    """Parse, check, upgrade and structure a document; any problem is a `FileFormatError`."""
    if fmt == "yaml":
        _yaml()  # a missing extra is not a problem of the file
    problems: list[Problem] = []
    try:
        if isinstance(text, bytes | bytearray):
            try:
                text = bytes(text).decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise _Invalid.one(f"not UTF-8 text: {exc}") from None
        if not isinstance(text, str):
            raise _Invalid.one(f"expected text, got a {type(text).__name__}")
        data = _plain(_parse(text, fmt))
        if not isinstance(data, dict):
            raise _Invalid.one(f"expected a table at the top of the file, got {_show(data)}")
        data = _upgrade(data, problems)
        result = _codec().read_document(data)
    except _Newer as exc:
        raise FileFormatError(path, [Problem("schema_version", str(exc))]) from None
    except Exception as exc:
        found = _collect(exc) or [((), _message(exc))]
        problems += [Problem(_location(at), message) for at, message in found]
    if problems:
        raise FileFormatError(path, problems) from None
    return result


class _Newer(Exception):
    """A file whose version this fullstack cannot read: nothing else in it is checked."""


def _upgrade(data: dict[str, Any], problems: list[Problem]) -> dict[str, Any]:
    """Run the migrations from the file's version to `SCHEMA_VERSION`."""
    if "schema_version" not in data:
        msg = f"missing: start the file with schema_version = {SCHEMA_VERSION}"
        problems.append(Problem("schema_version", msg))
        return data
    version = data["schema_version"]
    if isinstance(version, bool) or not isinstance(version, int):
        msg = f"expected a whole number such as {SCHEMA_VERSION}, got {_show(version)}"
        problems.append(Problem("schema_version", msg))
        return data
    if version > SCHEMA_VERSION:
        msg = (
            f"{version} is newer than this fullstack reads (up to {SCHEMA_VERSION}); "
            "upgrade fullstack to read this file"
        )
        raise _Newer(msg)
    oldest = SCHEMA_VERSION
    while oldest - 1 in MIGRATIONS:
        oldest -= 1
    if version < oldest:
        msg = f"{version} is not a version fullstack knows (it reads {oldest} to {SCHEMA_VERSION})"
        raise _Newer(msg)
    while version < SCHEMA_VERSION:
        try:
            upgraded: Any = MIGRATIONS[version](data)
        except Exception as exc:
            msg = f"could not upgrade the file from schema_version {version}: {_message(exc)}"
            raise _Invalid.one(msg) from None
        if not isinstance(upgraded, dict):
            msg = f"upgrading from schema_version {version} gave {_show(upgraded)}, not a table"
            raise _Invalid.one(msg)
        version += 1
        data = {"schema_version": version}
        data.update((k, v) for k, v in upgraded.items() if k != "schema_version")
    return data


def _plain(value: Any) -> Any:
    """A fresh copy of parsed data, checked to hold only what a file can hold.

    Refuses non-text keys and values such as sets or bytes (YAML), nesting deeper than
    `_MAX_DEPTH` (which also catches YAML's self-referencing anchors) and more than `_MAX_VALUES`
    values (YAML aliases can multiply a small file).
    """
    problems: list[tuple[_At, str]] = []
    count = 0

    def walk(v: Any, at: _At) -> Any:
        nonlocal count
        count += 1
        if count > _MAX_VALUES:
            raise _Invalid.one(f"too large: more than {_MAX_VALUES:,} values")
        if len(at) > _MAX_DEPTH:
            raise _Invalid([(at[:_MAX_DEPTH], f"nested deeper than {_MAX_DEPTH} levels")])
        if isinstance(v, dict):
            out = {}
            for k, x in v.items():
                if isinstance(k, str):
                    out[k] = walk(x, (*at, k))
                else:
                    problems.append((at, f"keys must be text, got the key {_show(k)}"))
            return out
        if isinstance(v, list):
            return [walk(x, (*at, i)) for i, x in enumerate(v)]
        if v is None or isinstance(v, str | bool | int | float | dt.date | dt.time):
            return v
        problems.append((at, f"unsupported value {_show(v)} (a {type(v).__name__})"))
        return None

    out = walk(value, ())
    if problems:
        raise _Invalid(problems)
    return out


# --- problems ------------------------------------------------------------------------------------

_At = tuple[str | int, ...]


class _Invalid(Exception):
    """Problems found while reading, each at a path relative to the value being read."""

    def __init__(self, problems: list[tuple[_At, str]]) -> None:
        super().__init__(problems)
        self.problems = problems

    @classmethod
    def one(cls, message: str, *at: str | int) -> _Invalid:
        return cls([(at, message)])


def _collect(exc: BaseException) -> list[tuple[_At, str]]:
    """The problems an exception reports, with their relative paths."""
    if isinstance(exc, _Invalid):
        return exc.problems
    if isinstance(exc, BaseExceptionGroup):  # cattrs' validation errors, from its own hooks
        found: list[tuple[_At, str]] = []
        for sub in exc.exceptions:
            prefix: _At = ()
            for note in getattr(sub, "__notes__", ()):
                name = getattr(note, "name", None)
                index = getattr(note, "index", None)
                if isinstance(name, str):
                    prefix = (name,)
                elif isinstance(index, int | str):
                    prefix = (index,)
            found += [((*prefix, *at), m) for at, m in _collect(sub)]
        return found
    return [((), _message(exc))]


def _message(exc: BaseException) -> str:
    """An error's message without its own ``where:`` prefix (the problem's location says it)."""
    text = str(exc)
    if isinstance(exc, FullstackError):
        where = getattr(exc, "where", "")
        if isinstance(where, str) and where and text.startswith(f"{where}: "):
            text = text[len(where) + 2 :]
        return text
    name = type(exc).__name__
    return f"{text} ({name})" if text else name


def _within(part: str | int, problems: list[tuple[_At, str]]) -> list[tuple[_At, str]]:
    return [((part, *at), message) for at, message in problems]


def _location(at: _At) -> str:
    out = ""
    for part in at:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{_quoted(part)}]"
    return out


def _quoted(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)


def _show(value: Any) -> str:
    """A value as a problem message shows it: text in double quotes, as a file writes it."""
    if isinstance(value, str):
        text = _quoted(value)
    elif value is None:
        text = "nothing (null)"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        text = "a table"
    elif isinstance(value, list):
        text = f"an array of {len(value)}"
    elif isinstance(value, dt.date | dt.time):
        text = value.isoformat()
    else:
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _suggestion(word: str, candidates: Any) -> str:
    from fullstack._data import close_matches

    close = close_matches(word, [str(c) for c in candidates], n=1)
    return f"; did you mean {_quoted(close[0])}?" if close else ""


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
    import pint

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


# --- the converter -------------------------------------------------------------------------------


@functools.cache
def _codec() -> _Codec:
    return _Codec()


class _Codec:
    """A cattrs converter with fullstack's hooks, and the plans of the attrs classes it met.

    Instrument types are looked up by tag when a table is read, and by class when one is
    written: nothing here fixes the set of types, so a type registered later works.
    """

    def __init__(self) -> None:
        import cattrs

        from fullstack.policy.instruments import Instrument
        from fullstack.provenance import Assumption, Source

        self._instrument_base = Instrument
        self._source = Source
        self._assumption = Assumption
        self._instruments_type: Any = tuple[Instrument, ...]
        self._plans: dict[type, _Plan] = {}
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
            (_is_annotated, lambda v, t: self._structure(v, typing.get_args(t)[0])),
            (_is_literal, self._literal),
            (lambda t: _is_class(t, enum.Enum), self._enum),
            (_is_union, self._union),
            (_is_sequence, self._sequence),
            (_is_mapping, self._mapping),
            (lambda t: t in (dt.date, dt.datetime, dt.time), self._moment),
            (_is_attrs, self._object),
            (_is_quantity, self._quantity),
            (lambda t: _is_class(t, Instrument), self._instrument),
        ):
            conv.register_structure_hook_func(predicate, hook)
        # Unstructuring, by the class of each value.
        for predicate, unhook in (
            (_is_attrs, self._table),
            (lambda t: _is_class(t, Instrument), self._tagged_table),
            (_is_quantity, _quantity_text),
            (lambda t: _is_class(t, enum.Enum), lambda v: self._unstructure(v.value)),
            (lambda t: _is_class(t, dt.date | dt.time), lambda v: v.isoformat()),
            (lambda t: _is_class(t, tuple | list | set | frozenset), self._array),
            (lambda t: _is_class(t, abc.Mapping), self._mapping_table),
        ):
            conv.register_unstructure_hook_func(predicate, unhook)

    # --- documents -----------------------------------------------------------------------------

    def read_document(self, data: dict[str, Any]) -> Any:
        from fullstack.scenario import Scenario

        body = {k: v for k, v in data.items() if k != "schema_version"}
        if "type" in body:
            return self._structure(body, self._instrument_base)
        if set(body) == {"instruments"}:
            try:
                return list(self._structure(body["instruments"], self._instruments_type))
            except Exception as exc:
                raise _Invalid(_within("instruments", _collect(exc))) from None
        return self._structure(body, Scenario)

    def document_of(self, obj: Any) -> dict[str, Any]:
        from fullstack.scenario import Scenario

        base = self._instrument_base
        if isinstance(obj, Scenario | base):
            body = self._unstructure(obj)
        elif isinstance(obj, list | tuple) and all(isinstance(i, base) for i in obj):
            body = {"instruments": [self._unstructure(i) for i in obj]}
        else:
            raise ValidationError(
                "fullstack.save",
                "a Scenario, an instrument or a list of instruments",
                f"a {type(obj).__name__}",
            )
        if "schema_version" in body:
            raise ValidationError(
                type(obj).__name__, "no field named 'schema_version' (files use the key)", "one"
            )
        return {"schema_version": SCHEMA_VERSION, **body}

    # --- structuring ----------------------------------------------------------------------------

    def _structure(self, value: Any, t: Any) -> Any:
        return self._conv.structure(value, t)

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
        from fullstack.units import parse_quantity

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
        from fullstack.policy.instruments import instrument_types

        if not isinstance(value, dict):
            msg = f'expected an instrument table with type = "<tag>", got {_show(value)}'
            raise _Invalid.one(msg)
        known = instrument_types()
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
        validator alone, so that every bad field is reported; only then is the object built
        (which runs the checks that need several fields).
        """
        if not isinstance(value, dict):
            raise _Invalid.one(f"expected {_describe(cls)}, got {_show(value)}")
        plan = self._plan(cls)
        problems: list[tuple[_At, str]] = []
        for key in value:
            if key not in plan.by_key and key not in skip:
                hint = _suggestion(key, plan.by_key) or f" (it takes {', '.join(plan.by_key)})"
                problems.append(((key,), f"unknown key for {label}{hint}"))
        kwargs: dict[str, Any] = {}
        for field in plan.fields:
            if field.key not in value:
                if field.required:
                    problems.append(((field.key,), f"missing ({label} needs it)"))
                continue
            raw = value[field.key]
            try:
                item = self._field_value(raw, field)
                _check_alone(plan, field, item)
            except Exception as exc:
                problems += _within(field.key, self._explained(exc, raw, field))
                continue
            kwargs[field.attribute.alias] = item
        if problems:
            order = {key: i for i, key in enumerate(value)}  # report in the file's order
            problems.sort(key=lambda p: order.get(p[0][0], len(order)) if p[0] else -1)
            raise _Invalid(problems)
        try:
            return cls(**kwargs)
        except Exception as exc:
            raise _Invalid(_located(plan, exc, value)) from None

    def _explained(self, exc: Exception, raw: Any, field: _Field) -> list[tuple[_At, str]]:
        """The problems of a bad field; a converter's crash is explained by the field's type."""
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
        from fullstack.policy.instruments import tag_of

        cls = type(obj)
        tag = tag_of(cls)
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

    def _array(self, value: Any) -> list[Any]:
        return [self._unstructure(v) for v in value]

    def _mapping_table(self, value: Any) -> dict[Any, Any]:
        return {self._unstructure(k): self._unstructure(v) for k, v in value.items()}


def _check_alone(plan: _Plan, field: _Field, value: Any) -> None:
    """Run one field's converter and validator without the rest of the object.

    A check that needs other fields fails on the bare stand-in object with an AttributeError;
    it is skipped here and runs when the object is built.
    """
    attribute = field.attribute
    if plan.stand_in is None:
        return
    try:
        converted = _call_converter(attribute, value, plan.stand_in)
        if attribute.validator is not None:
            attribute.validator(plan.stand_in, attribute, converted)
    except AttributeError:
        return


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
            return [((field.key,), message)]
    if isinstance(exc, FullstackError):
        return [((), str(exc))]
    return [((), _message(exc))]


def _default(field: _Field, obj: Any, plan: _Plan) -> Any:
    if field.default is not _Default.PER_OBJECT:
        return field.default
    try:
        value = field.attribute.default.factory(obj)
        return _call_converter(field.attribute, value, plan.stand_in)
    except Exception:
        return _Default.UNKNOWN


def _quantity_text(q: Any) -> str:
    """A quantity as text that reads back equal: ``"344 GCNY"``, ``"2e6 hbm_stack/year"``."""
    from fullstack.units import format_quantity, parse_quantity

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


# --- writing -------------------------------------------------------------------------------------


def _writable(value: Any, fmt: str, at: _At) -> Any:
    """A copy holding only plain text, numbers, booleans, tables and arrays; else an error."""
    where = f"{_location(at) or 'the file'} ({fmt.upper()})"
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise ValidationError(where, "tables with text keys", repr(k))
            out[str(k)] = _writable(v, fmt, (*at, k))
        return out
    if isinstance(value, list | tuple):
        return [_writable(v, fmt, (*at, i)) for i, v in enumerate(value)]
    if value is None:
        if fmt == "toml":
            raise ValidationError(
                where,
                "a value TOML can hold (TOML has no null: leave the field at its default, or "
                "save as JSON or YAML)",
                "None",
            )
        return None
    for plain in (bool, int, float, str):
        if isinstance(value, plain):
            return plain(value)
    item = getattr(value, "item", None)
    if type(value).__module__ == "numpy" and callable(item):
        return _writable(item(), fmt, at)
    raise ValidationError(
        where, "text, a number, true or false, a table or an array", f"a {type(value).__name__}"
    )
