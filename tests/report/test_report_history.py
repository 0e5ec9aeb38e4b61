"""history.jsonl: one line per report-producing run; re-rendering does not add lines."""

from __future__ import annotations

import json

import pytest

from evaluators.report.history import read_history
from evaluators.report.model import Report, ReportFormatError
from evaluators.report.writer import write_report
from tests.report.report_samples import make_result


def test_one_line_per_run_with_counts(sample_report, tmp_path):
    write_report(sample_report, tmp_path)
    write_report(Report(results=[make_result("a"), make_result("b", "differs", "reproduces")],
                        run={"git_commit": "feedbeef"}), tmp_path)
    lines = (tmp_path / "history.jsonl").read_text().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["git_commit"] == "0123456789abcdef" and first["timestamp"] == "2026-11-26T06:00:00+00:00"
    assert first["counts"]["reproduces"] == 1 and first["counts"]["unavailable"] == 1
    assert second["counts"] == {"reproduces": 1, "differs": 1, "no_predictions": 0, "unavailable": 0, "error": 0,
                                "total": 2, "changed": 1}
    assert read_history(tmp_path / "history.jsonl") == [first, second]


def test_rerender_does_not_append(sample_report, tmp_path):
    write_report(sample_report, tmp_path)
    write_report(sample_report, tmp_path, append_history=False)
    assert len(read_history(tmp_path / "history.jsonl")) == 1
    assert 'id="trend"' in (tmp_path / "index.html").read_text()


def test_bad_history_line_names_file_and_line(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text('{"timestamp": "t", "counts": {}}\nnot json\n')
    with pytest.raises(ReportFormatError, match=r"history.jsonl: line 2: not valid JSON"):
        read_history(path)
    path.write_text('{"timestamp": "t"}\n')
    with pytest.raises(ReportFormatError, match=r"line 1: expected an object"):
        read_history(path)
