"""``history.jsonl``: one line per report-producing run, for the trend of reproduced numbers per night.

Each line: ``{"timestamp", "git_commit", "counts": {status: n, ..., "total", "changed"}}``. The file is
append-only in meaning; physically the new content (old lines + one) is written atomically with the
rest of the report, so an interrupted run never leaves a half line.
"""

from __future__ import annotations

import json
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


def history_with(path: Path, report: Report) -> tuple[list[dict[str, Any]], str]:
    """The history after adding ``report``: (entries, full file text to write)."""
    path = Path(path)
    old_text = read_history_text(path)
    entries = parse_history(path, old_text)
    entry = history_entry(report)
    if old_text and not old_text.endswith("\n"):
        old_text += "\n"
    return [*entries, entry], old_text + json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
