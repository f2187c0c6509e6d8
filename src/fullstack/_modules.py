"""Modules that can be called like the catalog function they are named after.

``fullstack.accelerators`` is both a module (``import fullstack.accelerators``,
``from fullstack.accelerators import Accelerator``) and the catalog
(``fullstack.accelerators()``). A function of the package must never shadow the module of the
same name, so the module itself is made callable: calling it calls the function. The same goes
for ``fullstack.actors``, ``fullstack.bibliography`` and ``fullstack.policy.presets``.

This module sits at the bottom of the package: it imports nothing from fullstack.

Example:
    >>> import fullstack.actors as module
    >>> import inspect
    >>> inspect.ismodule(module), module()["SMIC"].jurisdiction
    (True, 'CN')
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["make_callable"]


class _CallableModule(types.ModuleType):
    """A module whose call is its catalog function's (set by `make_callable`)."""

    _fullstack_call: Callable[..., Any]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._fullstack_call(*args, **kwargs)


def make_callable(module_name: str, function: Callable[..., Any]) -> None:
    """Make the module ``module_name`` callable: calling it calls ``function``.

    Example:
        >>> import fullstack.bibliography as module
        >>> module().entries == fullstack.bibliography().entries
        True
    """
    module = sys.modules[module_name]
    module.__class__ = _CallableModule
    module._fullstack_call = function  # type: ignore[attr-defined]
