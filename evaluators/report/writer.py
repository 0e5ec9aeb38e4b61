"""Write a :class:`Report` to a directory: ``results.json``, ``report.md``, ``index.html``, ``history.jsonl``.

Everything is rendered in memory first and ``results.json`` is validated against its schema before
the folder is touched. The three report files are then published as one generation
(:mod:`evaluators.report.generation`: written in full, switched with one rename, so ``kill -9`` at
any point leaves either the old report or the new one), and this run's line is appended to
``history.jsonl``, all under an exclusive lock on the folder so concurrent runs neither mix
generations nor lose history lines.
"""

from __future__ import annotations

import json
from pathlib import Path

from evaluators.report.generation import clean_stale, locked, publish
from evaluators.report.history import HISTORY_NAME, append_history_line, history_entry, read_history
from evaluators.report.html import render_html
from evaluators.report.markdown import render_markdown
from evaluators.report.model import Report
from evaluators.report.schema import validate_results
from evaluators.report.sections import build_sections

RESULTS_NAME = "results.json"
MARKDOWN_NAME = "report.md"
HTML_NAME = "index.html"


def write_report(report: Report, out_dir: Path, *, append_history: bool = True) -> list[Path]:
    """Render and publish all report files; ``append_history`` adds this run to ``history.jsonl``."""
    out_dir = Path(out_dir)
    results_text = report.to_json()
    validate_results(json.loads(results_text), out_dir / RESULTS_NAME)
    sections = build_sections(report)  # computed once, rendered twice
    markdown = render_markdown(sections)
    history_path = out_dir / HISTORY_NAME
    with locked(out_dir):
        clean_stale(out_dir)
        history = read_history(history_path)
        entry = history_entry(report) if append_history else None
        html = render_html(sections, [*history, entry] if entry else history)
        written = publish(out_dir, {RESULTS_NAME: results_text, MARKDOWN_NAME: markdown, HTML_NAME: html})
        if entry is not None:
            append_history_line(history_path, entry)
            written.append(history_path)
    return written
