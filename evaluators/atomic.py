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


def write_text_atomically(path: Path, text: str) -> Path:
    """One file, atomically."""
    return write_files_atomically({Path(path): text})[0]
