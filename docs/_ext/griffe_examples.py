"""griffe extensions for the docs build (the API reference page). The source is not changed.

- `ExampleSections`: fullstack's docstrings use the singular ``Example:`` heading (STYLE.md §14;
  ruff's Google convention and Sphinx's napoleon accept it). griffe only knows ``Examples:`` and
  would render ``Example:`` as an admonition whose ``>>>`` lines turn into nested block quotes.
  This renames the heading before griffe parses the docstring.
- `AttrsSignatures`: attrs writes ``__init__`` at run time, so griffe's static analysis sees
  no constructor for ``@attrs.frozen`` classes. This imports each such class, reads the
  signature attrs generated and adds it as ``__init__``, which ``merge_init_into_class`` then
  shows on the class (``Source(*, title, publisher=None, ...)``).
"""

from __future__ import annotations

import enum
import importlib
import inspect
import re
from typing import Any

import griffe

_HEADING = re.compile(r"^(?P<indent>[ \t]*)Example:[ \t]*$", re.MULTILINE)

_KINDS = {
    inspect.Parameter.POSITIONAL_ONLY: griffe.ParameterKind.positional_only,
    inspect.Parameter.POSITIONAL_OR_KEYWORD: griffe.ParameterKind.positional_or_keyword,
    inspect.Parameter.VAR_POSITIONAL: griffe.ParameterKind.var_positional,
    inspect.Parameter.KEYWORD_ONLY: griffe.ParameterKind.keyword_only,
    inspect.Parameter.VAR_KEYWORD: griffe.ParameterKind.var_keyword,
}


class ExampleSections(griffe.Extension):
    """Rename ``Example:`` section headings to ``Examples:`` in every docstring."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:  # noqa: D102
        if obj.docstring is not None:
            obj.docstring.value = _HEADING.sub(r"\g<indent>Examples:", obj.docstring.value)


def _default(value: Any) -> str | None:
    if value is inspect.Parameter.empty:
        return None
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    return repr(value)


def _annotation(value: Any) -> str | None:
    if value is inspect.Parameter.empty:
        return None
    return value if isinstance(value, str) else inspect.formatannotation(value)


class AttrsSignatures(griffe.Extension):
    """Give attrs classes the ``__init__`` signature attrs generates for them."""

    def on_class(self, *, cls: griffe.Class, **kwargs: Any) -> None:  # noqa: D102
        if "__init__" in cls.members:
            return
        try:
            import attrs

            runtime = getattr(importlib.import_module(cls.module.path), cls.name)
            if not (isinstance(runtime, type) and attrs.has(runtime)):
                return
            signature = inspect.signature(runtime.__init__)
        except Exception:  # leave the class as griffe found it
            return
        params = [
            griffe.Parameter(
                name,
                annotation=_annotation(p.annotation),
                kind=_KINDS[p.kind],
                default=_default(p.default),
            )
            for name, p in signature.parameters.items()
        ]
        init = griffe.Function(
            "__init__",
            parameters=griffe.Parameters(*params),
            returns="None",
            lineno=cls.lineno,
            endlineno=cls.lineno,
        )
        cls.set_member("__init__", init)
