"""Memoising a text normaliser for the duration of one scoring run, and never longer.

A prediction set repeats strings (a model output equal to its reference up to case, the same
reference twice); normalising each distinct string once per run is a pure speed-up. The cache lives
only inside ``with memo.run():`` and is dropped at its end, so timing a second run measures the
normaliser again instead of a warm cache, and memory does not grow across runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class RunCache:
    """A dictionary that exists only inside ``with cache.run():`` blocks (``table`` is ``None`` outside).

    For memoising something other than ``str -> str`` under the same one-run discipline as
    :class:`RunMemo` (e.g. the number normaliser's output for a run of words).
    """

    def __init__(self) -> None:
        self._cache: dict[Any, Any] | None = None

    @property
    def table(self) -> dict[Any, Any] | None:
        return self._cache

    @contextmanager
    def run(self) -> Iterator[None]:
        """Keep entries inside this block; the previous state (usually none) is restored at exit."""
        previous, self._cache = self._cache, {}
        try:
            yield
        finally:
            self._cache = previous


class RunMemo(RunCache):
    """``fn`` (``str -> str``) memoised by ``key(text)`` inside :meth:`run` blocks only.

    ``key`` must map two texts to the same key only when ``fn`` gives them the same result (e.g.
    ``str.lower`` for a normaliser whose first step is lowercasing).
    """

    def __init__(self, fn: Callable[[str], str], key: Callable[[str], str] | None = None):
        super().__init__()
        self.fn = fn
        self.key = key
        self.__name__ = getattr(fn, "__name__", "memoised")
        self.__doc__ = fn.__doc__

    def __call__(self, text: str) -> str:
        cache = self._cache
        if cache is None:
            return self.fn(text)
        key = self.key(text) if self.key else text
        try:
            return cache[key]
        except KeyError:
            value = cache[key] = self.fn(text)
            return value
