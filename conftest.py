"""Names available to the doctests in src/ (the API docs' examples)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _doctest_names(doctest_namespace: dict[str, Any]) -> None:
    import hypothesis

    import fullstack

    doctest_namespace["find"] = hypothesis.find
    doctest_namespace["fullstack"] = fullstack
    # Docstring examples read like a session after ``from fullstack import *``.
    for name in fullstack.__all__:
        doctest_namespace.setdefault(name, getattr(fullstack, name))
