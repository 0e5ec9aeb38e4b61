"""Write a :class:`Report` to a directory: ``results.json``, ``report.md``, ``index.html``, ``history.jsonl``.

Everything is rendered in memory first, ``results.json`` is validated against its schema, and only
then are all files written at once (:func:`evaluators.atomic.write_files_atomically`): an error
anywhere leaves the previous report as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

from evaluators.atomic import write_files_atomically
from evaluators.report.history import HISTORY_NAME, history_with, read_history
from evaluators.report.html import render_html
from evaluators.report.markdown import render_markdown
from evaluators.report.model import Report
from evaluators.report.schema import validate_results

RESULTS_NAME = "results.json"
MARKDOWN_NAME = "report.md"
HTML_NAME = "index.html"


def render_files(report: Report, out_dir: Path, *, append_history: bool = True) -> dict[Path, str]:
    """Path → content of every report file (nothing written)."""
    out_dir = Path(out_dir)
    history_path = out_dir / HISTORY_NAME
    results_text = report.to_json()
    validate_results(json.loads(results_text), out_dir / RESULTS_NAME)
    if append_history:
        history, history_text = history_with(history_path, report)
    else:
        history, history_text = read_history(history_path), None
    files = {
        out_dir / RESULTS_NAME: results_text,
        out_dir / MARKDOWN_NAME: render_markdown(report),
        out_dir / HTML_NAME: render_html(report, history),
    }
    if history_text is not None:
        files[history_path] = history_text
    return files


def write_report(report: Report, out_dir: Path, *, append_history: bool = True) -> list[Path]:
    """Render and write all report files atomically; ``append_history`` adds this run to ``history.jsonl``."""
    return write_files_atomically(render_files(report, out_dir, append_history=append_history))
