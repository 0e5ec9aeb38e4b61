"""All-or-nothing file writing: the report files, results, fingerprints, golden files.

Every file is first written in full to a temporary file in its target directory and flushed to
disk; only when *all* of them are written are they moved into place with ``os.replace`` (atomic on
POSIX). An exception while rendering or writing therefore leaves the previous report untouched
and no temporary files behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from evaluators.errors import AudioreproError


def write_files_atomically(contents: Mapping[Path, bytes | str]) -> list[Path]:
    """Write every ``path -> content`` pair, or none of them. Returns the paths written."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, content in contents.items():
            target = Path(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            data = content.encode("utf-8") if isinstance(content, str) else content
            handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temp = Path(temp_name)
            staged.append((temp, target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, 0o644)
    except BaseException:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)
        raise
    try:
        for temp, target in staged:
            os.replace(temp, target)
    finally:
        for temp, _ in staged:
            temp.unlink(missing_ok=True)  # only left when a replace failed
    return [target for _, target in staged]


class OutputPathError(AudioreproError):
    """A file that cannot be written where the user asked (checked before any expensive work)."""

    def __init__(self, path: object, message: str):
        super().__init__(f"{path}: {message}")


def check_writable(path: str | Path, *, folder: bool = False) -> Path:
    """Raise :class:`OutputPathError` unless ``path`` (a file, or a folder with ``folder``) can be written.

    Called by commands *before* paid or slow work (judge calls, model loading), so an unwritable
    ``--output`` fails in a second instead of after the work is done. The nearest existing folder is
    probed by creating and removing a temporary file in it (permission bits lie for root and for
    read-only mounts).
    """
    path = Path(path)
    if not folder and path.is_dir():
        raise OutputPathError(path, "is a directory; name a file to write")
    if folder and path.exists() and not path.is_dir():
        raise OutputPathError(path, "is a file, not a folder")
    existing = path if folder and path.is_dir() else path.parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise OutputPathError(path, f"{existing} is a file, so no folder can be made under it")
    try:
        handle, probe = tempfile.mkstemp(prefix=".audiorepro-write-check.", dir=existing)
    except OSError as error:
        raise OutputPathError(path, f"cannot write in {existing}: {error.strerror or error}") from None
    os.close(handle)
    os.unlink(probe)
    return path


def write_text_atomically(path: Path, text: str) -> Path:
    """One file, atomically."""
    return write_files_atomically({Path(path): text})[0]
