"""Problems found while reading a file, each with its place, and how messages show values.

`_Invalid` carries problems as (path, message) pairs relative to the value being read;
`_collect` gathers them from any exception (cattrs' exception groups included), `_within` and
`_location` place them (``accelerators[3].tdp``), and `_show` writes a value as a message shows
it. The bottom of the converter (`fullstack._codec`), which re-exports what its users import.

Example:
    >>> _location(("rules", 0, "paragraphs", 1, "id"))
    'rules[0].paragraphs[1].id'
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Final

from fullstack.errors import FullstackError

__all__ = [
    "_At",
    "_Invalid",
    "_collect",
    "_location",
    "_message",
    "_quoted",
    "_show",
    "_within",
]

_IDENTIFIER: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
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
