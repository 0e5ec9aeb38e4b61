"""audiorepro report: re-render saved results (several files merged) and the nightly --check gate."""

from __future__ import annotations

import json

from evaluators.cli import main
from evaluators.report.model import Report
from evaluators.report.writer import write_report
from tests.report.report_samples import make_result, sample_results


def test_rerender_into_another_directory(sample_report, tmp_path, capsys):
    write_report(sample_report, tmp_path / "run")
    assert main(["report", str(tmp_path / "run" / "results.json"), "--out", str(tmp_path / "again")]) == 0
    assert "1 reproduce, 1 differ" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "again").iterdir() if not p.name.startswith(".")) == [
        "index.html", "report.md", "results.json"]
    original = json.loads((tmp_path / "run" / "results.json").read_text())
    rerendered = json.loads((tmp_path / "again" / "results.json").read_text())
    assert rerendered == original
    assert (tmp_path / "again" / "report.md").read_text() == (tmp_path / "run" / "report.md").read_text()


def test_several_files_are_merged(tmp_path, capsys):
    write_report(Report(results=[make_result("a"), make_result("b", "no_predictions")]), tmp_path / "one")
    write_report(Report(results=[make_result("b", "differs")]), tmp_path / "two")
    assert main(["report", str(tmp_path / "one" / "results.json"), str(tmp_path / "two" / "results.json"),
                 "--out", str(tmp_path / "merged")]) == 0
    merged = json.loads((tmp_path / "merged" / "results.json").read_text())
    assert {r["id"]: r["status"] for r in merged["results"]} == {"a": "reproduces", "b": "differs"}


def test_check_exit_codes(tmp_path, capsys):
    write_report(Report(results=sample_results()), tmp_path / "ok")
    assert main(["report", "--check", str(tmp_path / "ok" / "results.json")]) == 0
    assert main(["report", "--check", str(tmp_path / "ok")]) == 0  # a report directory stands for its results.json

    write_report(Report(results=[*sample_results(), make_result("x", "differs", "reproduces")]), tmp_path / "changed")
    assert main(["report", "--check", str(tmp_path / "changed" / "results.json")]) == 1
    assert "x: expected reproduces, now differs" in capsys.readouterr().err

    write_report(Report(results=[make_result("e", "error", "unknown", reason="ZeroDivisionError")]), tmp_path / "err")
    assert main(["report", "--check", str(tmp_path / "err" / "results.json")]) == 3
    assert "e: ZeroDivisionError" in capsys.readouterr().err

    write_report(Report(results=sample_results(), run={"pytest_exit_status": 2}), tmp_path / "interrupted")
    assert main(["report", "--check", str(tmp_path / "interrupted" / "results.json")]) == 4
    assert "did not complete (exit status 2)" in capsys.readouterr().err

    assert main(["report", "--check", str(tmp_path / "nowhere" / "results.json")]) == 2
    assert "no such file" in capsys.readouterr().err
