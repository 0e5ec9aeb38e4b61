"""Argument types shared by the commands: numbers checked when the command line is parsed.

A bad value (``--concurrency 0``, ``--timeout 0``, ``--value-tolerance nan``) is refused by argparse
with exit status 2 before any file is read, model loaded or paid request sent.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def _number(kind: type, text: str) -> float | int:
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {'an integer' if kind is int else 'a number'}: {text!r}") from None
    if kind is float and not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be a finite number, got {text!r}")
    return value


def bounded(kind: type, *, minimum: float, exclusive: bool = False) -> Callable[[str], float | int]:
    """An argparse ``type``: ``kind`` (int or float), finite, ``>= minimum`` (``> minimum`` when exclusive)."""

    def parse(text: str) -> float | int:
        value = _number(kind, text)
        if value < minimum or (exclusive and value == minimum):
            raise argparse.ArgumentTypeError(f"must be {'>' if exclusive else '>='} {minimum:g}, got {text!r}")
        return value

    parse.__name__ = f"{kind.__name__} {'>' if exclusive else '>='} {minimum:g}"
    return parse


#: integers >= 1 (counts, sizes), integers >= 0 (retries), floats > 0 (seconds), floats >= 0 (tolerances)
positive_int = bounded(int, minimum=1)
non_negative_int = bounded(int, minimum=0)
positive_float = bounded(float, minimum=0.0, exclusive=True)
non_negative_float = bounded(float, minimum=0.0)
