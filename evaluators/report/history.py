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


def read_history(path: Path) -> list[dict[str, Any]]:
    """Every entry of a history file (empty when it does not exist); a bad line names file and line."""
    path = Path(path)
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise ReportFormatError(path, f"line {number}: not valid JSON ({error.msg})") from None
        if not isinstance(entry, dict) or not isinstance(entry.get("counts"), dict) or "timestamp" not in entry:
            raise ReportFormatError(path, f"line {number}: expected an object with 'timestamp' and 'counts'")
        entries.append(entry)
    return entries


def history_with(path: Path, report: Report) -> tuple[list[dict[str, Any]], str]:
    """The history after adding ``report``: (entries, full file text to write)."""
    path = Path(path)
    old_text = path.read_text(encoding="utf-8") if path.exists() else ""
    entries = read_history(path)
    entry = history_entry(report)
    if old_text and not old_text.endswith("\n"):
        old_text += "\n"
    return [*entries, entry], old_text + json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n"
