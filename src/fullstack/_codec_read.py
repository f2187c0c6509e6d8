"""The one reading path: parse a document, check it holds plain values, upgrade its version.

`read_text` parses TOML, JSON or YAML (safe loader; nothing is evaluated), checks the result
holds only what a file can hold (text keys, bounded depth and size), checks ``schema_version``
and runs `MIGRATIONS` from older versions, then hands the table to a ``structure`` function
(the converter's); any problem becomes one `FileFormatError`. Every file goes through it, users'
scenario files and the shipped datasets alike. `fullstack._codec` re-exports it.

Example:
    >>> read_text("schema_version = 1", "toml", "<string>", lambda d: d)
    {'schema_version': 1}
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Final

from fullstack._codec_problems import _At, _collect, _Invalid, _location, _message, _show
from fullstack.errors import FileFormatError, MissingExtraError, Problem

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "read_text", "yaml_module"]

SCHEMA_VERSION: Final = 1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}
"""Upgrades of older files (documented and re-exported as `fullstack.io.MIGRATIONS`)."""

_MAX_DEPTH: Final = 64
_MAX_VALUES: Final = 1_000_000


def yaml_module() -> Any:
    """PyYAML, or `MissingExtraError` naming the ``yaml`` extra."""
    try:
        import yaml
    except ImportError as exc:
        raise MissingExtraError("yaml", "YAML files") from exc
    return yaml


def _parse(text: str, fmt: str) -> Any:
    """Parse text; every failure of the parser becomes a `_Invalid` (nothing else escapes)."""
    yaml = yaml_module() if fmt == "yaml" else None
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


def read_text(
    text: str | bytes, fmt: str, path: str, structure: Callable[[dict[str, Any]], Any]
) -> Any:
    """Parse, check, upgrade and structure a document; any problem is a `FileFormatError`.

    This is the one path every file goes through, users' scenario files and the shipped
    datasets alike: ``structure`` turns the checked, upgraded table into objects (with
    `_Codec.structure`), raising `_Invalid` or cattrs' errors for the problems it finds.
    """
    if fmt == "yaml":
        yaml_module()  # a missing extra is not a problem of the file
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
        result = structure(data)
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
