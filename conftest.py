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


# Examples that need an optional extra (the docstring's object, by name, and the module it
# imports): skipped when the extra is not installed, like the tests of those features.
NEEDS_EXTRA = {
    "fullstack._ema": "ema_workbench",
    "fullstack._sensitivity.sobol": "SALib",
    "fullstack._sensitivity.Sobol": "SALib",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the examples of `NEEDS_EXTRA` whose extra is missing."""
    from importlib.util import find_spec

    for item in items:
        for prefix, module in NEEDS_EXTRA.items():
            if (item.name == prefix or item.name.startswith(prefix + ".")) and (
                find_spec(module) is None
            ):
                item.add_marker(pytest.mark.skip(reason=f"needs {module} (an extra)"))
