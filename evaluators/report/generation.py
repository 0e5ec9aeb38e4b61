"""One report generation visible at a time, whatever kills the writer, and one writer at a time.

A report folder holds ``results.json``, ``report.md`` and ``index.html`` as *links* into the current
generation::

    reports/results.json -> .current/results.json
    reports/.current     -> .generations/20261126T061500Z-4242-ab12cd/
    reports/.generations/20261126T061500Z-4242-ab12cd/{results.json, report.md, index.html}

A new report is written in full (flushed to disk) into a new generation folder, then ``.current`` is
switched to it with **one** ``rename`` of a link: a reader sees the old files or the new ones, never
``results.json`` of one run with ``index.html`` of another, even after ``kill -9`` between any two
steps. (Replacing three files one by one, as before, was atomic only against Python exceptions.)

Writers take an exclusive ``flock`` on ``.audiorepro.lock`` for the whole write, so two runs on one
``--report-dir`` are serialised (``history.jsonl`` appends are no longer lost). Under the lock,
anything a killed writer left behind (partial generations, temporary links and ``.tmp`` files of the
earlier writer) is removed.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

LOCK_NAME = ".audiorepro.lock"
CURRENT_NAME = ".current"
GENERATIONS_NAME = ".generations"
#: temporary files of this module and of the earlier file-by-file writer (``.<name>.<random>.tmp``)
_STALE = re.compile(r"^\.(current|results\.json|report\.md|index\.html|history\.jsonl)\..+\.tmp$")


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (created if needed) for the block; other writers wait."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def _write_file(path: Path, content: str) -> None:
    with open(path, "wb") as stream:
        stream.write(content.encode("utf-8"))
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o644)


def _fsync_folder(folder: Path) -> None:
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _link(folder: Path, name: str, target: str) -> None:
    """Make ``folder/name`` a link to ``target``, replacing whatever is there in one rename."""
    path = folder / name
    if path.is_symlink() and os.readlink(path) == target:
        return
    temp = folder / f".{name.lstrip('.')}.{secrets.token_hex(4)}.tmp"
    os.symlink(target, temp)
    os.replace(temp, path)


def current_generation(folder: Path) -> Path | None:
    """The generation folder the report folder shows now, if any."""
    link = folder / CURRENT_NAME
    return (folder / os.readlink(link)) if link.is_symlink() else None


def clean_stale(folder: Path) -> list[str]:
    """Remove what killed writers left: generations other than the current one, temporary links/files.

    Call with the lock held (no other writer is then half-way). Returns the names removed.
    """
    removed: list[str] = []
    current = current_generation(folder)
    generations = folder / GENERATIONS_NAME
    if generations.is_dir():
        for entry in generations.iterdir():
            if current is None or entry.resolve() != current.resolve():
                shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)
                removed.append(f"{GENERATIONS_NAME}/{entry.name}")
    for entry in folder.iterdir():
        if _STALE.match(entry.name):
            entry.unlink(missing_ok=True)
            removed.append(entry.name)
    return removed


def publish(folder: Path, files: Mapping[str, str]) -> list[Path]:
    """Write ``name -> text`` as a new generation and switch ``folder`` to it with one rename.

    Call with the lock held. The previous generation is removed after the switch. Returns the
    paths readers use (``folder/name``).
    """
    generations = folder / GENERATIONS_NAME
    generations.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    generation = generations / f"{stamp}-{os.getpid()}-{secrets.token_hex(3)}"
    generation.mkdir()
    try:
        for name, content in files.items():
            _write_file(generation / name, content)
        _fsync_folder(generation)
    except BaseException:
        shutil.rmtree(generation, ignore_errors=True)  # (a kill here is cleaned by the next writer)
        raise
    previous = current_generation(folder)
    _link(folder, CURRENT_NAME, f"{GENERATIONS_NAME}/{generation.name}")  # the switch
    for name in files:  # stable names; a no-op once they are links (first run: replaces old plain files)
        _link(folder, name, f"{CURRENT_NAME}/{name}")
    _fsync_folder(folder)
    if previous is not None and previous.resolve() != generation.resolve():
        shutil.rmtree(previous, ignore_errors=True)
    return [folder / name for name in files]
