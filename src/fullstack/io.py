"""Files: save and load scenarios, instruments and worlds as TOML, JSON or YAML.

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
- A `World` is written in the format of the shipped ``world.toml`` (its sources once, under
  ``[sources]``, cited by key; see `fullstack._world_file`) and read back equal; a file with an
  ``economies`` table is read as a world. A scenario is saved with ``world = "reference"`` only:
  a scenario whose world is a `World` value is refused with a `ValidationError` saying to save
  the world on its own (``fullstack.save(scenario.world, "world.toml")``) and to pass it back
  as ``Scenario(..., world=fullstack.load("world.toml"))``.

A file with problems raises one `FileFormatError` listing every problem with its place in the
file, such as ``instruments[2].budget``: each field on its own, then the checks across fields
(``end`` before ``start``) on the fields that were read, then the currency of money, which must
be the currency of the instrument's economy in the reference world (``CNY`` for ``"CN"``).
Writes are atomic (a temporary file, then one rename):
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
      instruments[0].budget: expected money ..., got 5.0 MW...
      instruments[0].rate: expected a fraction between 0 and 1..., got 1.5
      instruments[1].type: unknown instrument type "subsdy"; did you mean "subsidy"? ...
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeAlias, TypeVar, overload

from fullstack._codec import (
    MIGRATIONS as _MIGRATIONS,
)
from fullstack._codec import (
    SCHEMA_VERSION as _SCHEMA_VERSION,
)
from fullstack._codec import (
    _At,
    _collect,
    _Invalid,
    _location,
    _within,
    read_text,
    yaml_module,
)
from fullstack._files import write_text_atomic
from fullstack._world_file import world_document
from fullstack.errors import (
    FileFormatError,
    MissingExtraError,
    Problem,
    ValidationError,
)
from fullstack.policy._converter import converter
from fullstack.policy.instruments import Instrument
from fullstack.scenario import Scenario
from fullstack.world import World, world_from_data

if TYPE_CHECKING:
    import os
    from collections.abc import Callable

Document: TypeAlias = "Scenario | Instrument | list[Instrument] | World"
"""What a file holds: a scenario, one instrument, a list of instruments, or a world."""

_Expected = TypeVar("_Expected", bound="Scenario | Instrument | World")

__all__ = [
    "FORMATS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Document",
    "MissingExtraError",
    "dumps",
    "load",
    "loads",
    "save",
]

SCHEMA_VERSION: Final = _SCHEMA_VERSION
"""The version of the file format this fullstack writes, and the newest it reads.

Example:
    >>> dumps(Scenario(name="s")).splitlines()[0]
    'schema_version = 1'
"""

MIGRATIONS: Final[dict[int, Callable[[dict[str, Any]], dict[str, Any]]]] = _MIGRATIONS
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


# --- the public functions ------------------------------------------------------------------------


def save(obj: Any, path: str | os.PathLike[str], *, format: str | None = None) -> Path:
    """Write a scenario, an instrument, a list of instruments or a world to a file, atomically.

    The text is built first, then written to a temporary file in the same folder that replaces
    ``path`` in one rename: if anything fails, the old file is left as it was.

    Args:
        obj: A `Scenario`, an instrument of a registered type, a list of them, or a `World`
            (written as ``world.toml`` is).
        path: The file; its suffix (``.toml``, ``.json``, ``.yaml``, ``.yml``) sets the format.
        format: ``"toml"``, ``"json"`` or ``"yaml"``: needed for a file with another suffix;
            for a file with one of those suffixes it must agree with it (``format="json"`` for
            ``x.toml`` is refused rather than writing JSON into a ``.toml`` file).

    Returns:
        The path written.

    Raises:
        ValidationError: For an object fullstack cannot write, an instrument type that is not
            registered, an unknown format or one that contradicts the suffix, a value TOML
            cannot hold (TOML has no null), or a path that cannot be written (a folder that
            does not exist, no permission...), naming the path; for a scenario whose world is
            a `World` value (save the world on its own), or a part of a world a world file
            cannot hold (a chip outside the catalog...).
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
        >>> from fullstack.world import reference_world
        >>> world = reference_world().with_figure("CN.utilization", 0.5)
        >>> load(save(world, path.with_name("world.json"))) == world
        True
    """
    target = Path(path)
    text = dumps(obj, format=_format_for(target, format, "fullstack.save"))
    if not target.parent.is_dir():
        raise ValidationError(
            "fullstack.save",
            f"a file in an existing folder ({target.parent} is not one)",
            str(path),
        )
    try:
        return write_text_atomic(target, text)
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise ValidationError(
            "fullstack.save", f"a file fullstack can write ({reason})", str(path)
        ) from exc


@overload
def load(path: str | os.PathLike[str], *, format: str | None = None) -> Document: ...
@overload
def load(
    path: str | os.PathLike[str], *, format: str | None = None, expect: type[_Expected]
) -> _Expected: ...
def load(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    expect: type[Any] | None = None,
) -> Any:
    """Read a scenario, an instrument, a list of instruments or a world from a file.

    Args:
        path: The file; its suffix (``.toml``, ``.json``, ``.yaml``, ``.yml``) sets the format.
        format: ``"toml"``, ``"json"`` or ``"yaml"``: needed for a file with another suffix;
            for a file with one of those suffixes it must agree with it.
        expect: The class the file must hold (``Scenario``, ``Instrument``, an instrument
            type or ``World``): the result is typed as that class, and a file that holds
            something else is a `FileFormatError`.

    Returns:
        A `Scenario`, an instrument, a list of instruments or a `World` (a file with an
        ``economies`` table, as ``world.toml``), as the file holds.

    Raises:
        FileFormatError: With every problem in the file and where it is, or naming the path
            when the file cannot be read (missing, a folder, no permission); the `OSError` is
            its ``__cause__``.
        ValidationError: For an unknown format, or one that contradicts the suffix.
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
        >>> load(path, expect=Scenario)
        Traceback (most recent call last):
        ...
        fullstack.FileFormatError: ...rules.json: 1 problem
          expected a Scenario, got a list of 2 instruments
    """
    target = Path(path)
    fmt = _format_for(target, format, "fullstack.load")
    try:
        data = target.read_bytes()
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise FileFormatError(
            str(target), [Problem("", f"cannot read the file: {reason}")]
        ) from exc
    return _expected(read_text(data, fmt, str(target), _read_document), expect, str(target))


def dumps(obj: Any, format: str = "toml") -> str:
    """The text of a scenario, an instrument, a list of instruments or a world, as saved.

    Args:
        obj: A `Scenario`, an instrument of a registered type, a list of them, or a `World`.
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
    data = _document_of(obj)
    return _write(_writable(data, fmt, ()), fmt)


@overload
def loads(text: str | bytes, format: str = "toml") -> Document: ...
@overload
def loads(text: str | bytes, format: str = "toml", *, expect: type[_Expected]) -> _Expected: ...
def loads(
    text: str | bytes,
    format: str = "toml",
    *,
    expect: type[Any] | None = None,
) -> Any:
    """Read a scenario, an instrument, a list of instruments or a world from text.

    Args:
        text: The text (bytes are read as UTF-8).
        format: ``"toml"``, ``"json"`` or ``"yaml"``.
        expect: The class the text must hold, as for `load`.

    Returns:
        A `Scenario`, an instrument, a list of instruments or a `World`, as the text holds.

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
    return _expected(
        read_text(text, _format_name(format, "fullstack.loads"), "<string>", _read_document),
        expect,
        "<string>",
    )


def _expected(obj: Any, expect: type | None, path: str) -> Any:
    """The object read, checked to be an ``expect`` when one is given."""
    if expect is None or isinstance(obj, expect):
        return obj
    if isinstance(obj, list):
        got = f"a list of {len(obj)} instruments"
    else:
        tag = getattr(obj, "tag", None)
        got = f"a {type(obj).__name__}" + (f' (type = "{tag}")' if tag else "")
    raise FileFormatError(path, [Problem("", f"expected a {expect.__name__}, got {got}")])


# --- documents -----------------------------------------------------------------------------------


def _read_document(data: dict[str, Any]) -> Document:
    """The scenario, instrument, list of instruments or world a checked, upgraded table holds."""
    if "economies" in data:  # a world file, as world.toml (fullstack.world reads it)
        try:
            return world_from_data(data)
        except FileFormatError as exc:
            raise _Invalid([(_parts(p.location), p.message) for p in exc.problems]) from None
    codec = converter()
    body = {k: v for k, v in data.items() if k != "schema_version"}
    if "type" in body:
        instrument: Instrument = codec.structure(body, Instrument)
        return instrument
    if set(body) == {"instruments"}:
        try:
            return list(codec.structure(body["instruments"], tuple[Instrument, ...]))
        except Exception as exc:
            raise _Invalid(_within("instruments", _collect(exc))) from None
    scenario: Scenario = codec.structure(body, Scenario)
    return scenario


def _parts(location: str) -> _At:
    """``"economies.CN.fleet[3]"`` as the parts of a place in a file: economies, CN, fleet, 3."""
    parts: list[str | int] = []
    for part in re.split(r"\.(?![^\[]*\])", location) if location else []:
        name, *indices = re.split(r"\[(\d+)\]", part)
        parts += [name] if name else []
        parts += [int(i) for i in indices if i]
    return tuple(parts)


def _document_of(obj: Any) -> dict[str, Any]:
    """The table a file holds for a scenario, an instrument, a list of them or a world."""
    if isinstance(obj, World):
        return {"schema_version": SCHEMA_VERSION, **world_document(obj)}
    if isinstance(obj, Scenario) and isinstance(obj.world, World):
        raise ValidationError(
            "Scenario.world",
            "'reference' in a scenario to save (a World is saved on its own: "
            "fullstack.save(scenario.world, 'world.toml'), then Scenario(..., "
            "world=fullstack.load('world.toml')))",
            "a World",
        )
    codec = converter()
    if isinstance(obj, Scenario | Instrument):
        body = codec.unstructure(obj)
    elif isinstance(obj, list | tuple) and all(isinstance(i, Instrument) for i in obj):
        body = {"instruments": [codec.unstructure(i) for i in obj]}
    else:
        raise ValidationError(
            "fullstack.save",
            "a Scenario, an instrument, a list of instruments or a World",
            f"a {type(obj).__name__}",
        )
    if "schema_version" in body:
        raise ValidationError(
            type(obj).__name__, "no field named 'schema_version' (files use the key)", "one"
        )
    return {"schema_version": SCHEMA_VERSION, **body}


# --- formats -------------------------------------------------------------------------------------


def _format_name(format: Any, where: str) -> str:
    name = format.strip().lower() if isinstance(format, str) else format
    name = "yaml" if name == "yml" else name
    if name not in FORMATS:
        raise ValidationError(where, f"a format among {', '.join(FORMATS)}", repr(format))
    return str(name)


def _format_for(path: Path, format: str | None, where: str) -> str:
    fmt = _SUFFIXES.get(path.suffix.lower())
    if format is not None:
        name = _format_name(format, where)
        if fmt is not None and name != fmt:
            raise ValidationError(
                f"{where}(format=...)",
                f"the format of a {path.suffix} file, {fmt!r} (or a path ending in "
                f"{', '.join(s for s, f in _SUFFIXES.items() if f == name)})",
                repr(format),
            )
        return name
    if fmt is None:
        raise ValidationError(
            where,
            f"a file ending in {', '.join(_SUFFIXES)} (or format='toml', 'json' or 'yaml')",
            repr(path.name),
        )
    return fmt


def _write(data: dict[str, Any], fmt: str) -> str:
    if fmt == "toml":
        import tomli_w

        return tomli_w.dumps(data)
    if fmt == "json":
        import json

        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    out: str = yaml_module().dump(data, Dumper=_yaml_dumper(), sort_keys=False, allow_unicode=True)
    return out


@functools.cache
def _yaml_dumper() -> Any:
    r"""PyYAML's safe dumper, with text that holds control characters double-quoted.

    Plain or single-quoted, PyYAML turns characters such as NEL (``\x85``) into spaces; in
    double quotes they are escaped and read back as they were.
    """
    yaml = yaml_module()

    def represent_text(dumper: Any, text: str) -> Any:
        style = None if text.isprintable() else '"'
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)

    dumper: Any = type("SafeTextDumper", (yaml.SafeDumper,), {})
    dumper.add_representer(str, represent_text)
    return dumper


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
