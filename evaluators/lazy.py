"""A function named by ``"module:attribute"`` and imported the first time it is called.

Registries (prediction formats, ...) list their entries by name with such references, so that
naming or listing an entry costs no import and using one imports only its own module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


class LazyFunction:
    """Callable stand-in for ``module:attribute``; the module is imported on the first call."""

    __slots__ = ("reference", "_function")

    def __init__(self, reference: str):
        module, _, attribute = reference.partition(":")
        if not module or not attribute:
            raise ValueError(f"expected 'module:attribute', got {reference!r}")
        self.reference = reference
        self._function: Callable[..., Any] | None = None

    def resolve(self) -> Callable[..., Any]:
        if self._function is None:
            module, _, attribute = self.reference.partition(":")
            self._function = getattr(importlib.import_module(module), attribute)
        return self._function

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.resolve()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"LazyFunction({self.reference!r})"
