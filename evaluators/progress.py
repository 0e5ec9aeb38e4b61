"""Progress bars for long loops (scoring sweeps, judging, inference) that stay quiet in CI logs.

``progress(iterable, total=None, desc="")`` wraps :class:`tqdm.tqdm`. The bar is shown only when the
stream (stderr by default) is a terminal and ``CI`` is not ``true``; log files and CI output get no
carriage-return noise. ``AUDIOREPRO_PROGRESS=1`` / ``0`` forces it on / off.

    for item in progress(items, desc="scoring"):
        ...
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TypeVar

from tqdm import tqdm

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def progress_enabled(stream: IO[str] | None = None) -> bool:
    """Whether a bar would be drawn on ``stream`` (default: stderr)."""
    forced = os.environ.get("AUDIOREPRO_PROGRESS", "").strip().lower()
    if forced in _TRUE:
        return True
    if forced in _FALSE:
        return False
    if os.environ.get("CI", "").strip().lower() in _TRUE:
        return False
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except (ValueError, OSError):  # closed stream
        return False


def progress(iterable: Iterable[T], total: int | None = None, desc: str = "", *,
             stream: IO[str] | None = None, unit: str = "it") -> Iterator[T]:
    """Iterate over ``iterable``, drawing a bar when :func:`progress_enabled`; otherwise a plain pass-through."""
    if not progress_enabled(stream):
        yield from iterable
        return
    if total is None:
        try:
            total = len(iterable)  # type: ignore[arg-type]
        except TypeError:
            total = None
    with tqdm(iterable, total=total, desc=desc or None, file=stream if stream is not None else sys.stderr,
              unit=unit, leave=False, mininterval=0.5, dynamic_ncols=True) as bar:
        yield from bar


class _Counter:
    """What :func:`counter` yields: ``advance(n)`` moves the bar (a no-op when bars are off)."""

    def __init__(self, bar: tqdm | None):
        self._bar = bar

    def advance(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)


@contextmanager
def counter(total: int, desc: str = "", *, stream: IO[str] | None = None, unit: str = "it") -> Iterator[_Counter]:
    """A bar for work that completes through callbacks (e.g. concurrent judge calls), not a loop.

        with counter(len(requests), desc="judging") as bar:
            backend.complete_all(requests, lambda i, reply: (store(i, reply), bar.advance()))
    """
    if not progress_enabled(stream):
        yield _Counter(None)
        return
    with tqdm(total=total, desc=desc or None, file=stream if stream is not None else sys.stderr, unit=unit,
              leave=False, mininterval=0.5, dynamic_ncols=True) as bar:
        yield _Counter(bar)
