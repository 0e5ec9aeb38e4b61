"""``history.jsonl``: one line per report-producing run, for the trend of reproduced numbers per night.

Each line: ``{"timestamp", "git_commit", "counts": {status: n, ..., "total", "changed"}}``. The file is
append-only: the report writer appends one line per run, with one ``O_APPEND`` write under the report
folder's lock (two runs on one folder used to rewrite it from the same old content and lose a line).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from evaluators.report.model import Report, ReportFormatError

HISTORY_NAME = "history.jsonl"


def history_entry(report: Report) -> dict[str, Any]:
    return {
        "timestamp": report.generated_at,
        "git_commit": report.run.get("git_commit"),
        "counts": report.counts(),
    }


def read_history_text(path: Path) -> str:
    """The file's text ("" when it does not exist); unreadable or non-UTF-8 files name the file."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8") if path.exists() else ""
    except UnicodeDecodeError as error:
        raise ReportFormatError(path, f"not UTF-8 text (byte offset {error.start})") from None
    except OSError as error:
        raise ReportFormatError(path, f"cannot read: {error.strerror or error}") from None


def parse_history(path: Path, text: str) -> list[dict[str, Any]]:
    """Every entry of a history text; a bad line names file and line."""
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise ReportFormatError(path, f"line {number}: not valid JSON ({error.msg})") from None
        except (RecursionError, ValueError) as error:
            raise ReportFormatError(path, f"line {number}: not valid JSON ({type(error).__name__})") from None
        if not isinstance(entry, dict) or not isinstance(entry.get("counts"), dict) or "timestamp" not in entry:
            raise ReportFormatError(path, f"line {number}: expected an object with 'timestamp' and 'counts'")
        entries.append(entry)
    return entries


def read_history(path: Path) -> list[dict[str, Any]]:
    """Every entry of a history file (empty when it does not exist); a bad line names file and line."""
    return parse_history(Path(path), read_history_text(path))


def append_history_line(path: Path, entry: dict[str, Any]) -> None:
    """Append one line with a single ``O_APPEND`` write, flushed to disk.

    The report writer calls it under the report folder's lock, so concurrent runs append one after the
    other; a file whose last line lacks its newline (an older torn write) gets one first.
    """
    path = Path(path)
    line = json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
    handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(handle).st_size
        if size:
            with open(path, "rb") as stream:
                stream.seek(size - 1)
                if stream.read(1) != b"\n":
                    line = "\n" + line
        os.write(handle, line.encode("utf-8"))
        os.fsync(handle)
    finally:
        os.close(handle)
