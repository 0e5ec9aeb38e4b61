"""Installed versions of the libraries a signature names, without importing ``importlib.metadata``.

Every score's signature carries the versions of the libraries that can change its number
(``jiwer:4.0.0|whisper-normalizer:0.1.15``). ``importlib.metadata`` costs more start-up than the
whole of ``import jiwer``; an installed wheel already states its version in the name of its
``{name}-{version}.dist-info`` directory (the wheel format's rule), so one listing of each
``sys.path`` directory answers every look-up, first match in path order as the import system finds
the package. Anything not found that way (an egg-info or other install) falls back to
``importlib.metadata``; ``"absent"`` means not installed.
"""

from __future__ import annotations

import functools
import os
import re
import sys

_SEPARATORS = re.compile(r"[-_.]+")
_DIST_INFO = ".dist-info"


def _normalised(name: str) -> str:
    """A distribution name as packaging compares them (``Whisper_Normalizer`` = ``whisper-normalizer``)."""
    return _SEPARATORS.sub("_", name).lower()


@functools.cache
def _dist_info_versions() -> dict[str, str]:
    """Normalised name -> version of every ``*.dist-info`` directory on ``sys.path`` (first one wins)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:  # a zip file or a missing directory
            continue
        for name in names:
            if name.endswith(_DIST_INFO):
                distribution, separator, version = name[:-len(_DIST_INFO)].partition("-")
                if separator and version:
                    found.setdefault(_normalised(distribution), version)
    return found


@functools.cache
def library_version(name: str) -> str:
    """Installed version of distribution ``name`` (looked up once per process), or ``"absent"``."""
    version = _dist_info_versions().get(_normalised(name))
    if version is not None:
        return version
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"
