"""audiorepro diff: a change of one status between two results files is reported (exit 1)."""

from __future__ import annotations

import json

import pytest

from evaluators.cli import main
from evaluators.report.diff import diff_reports, render_diff
from evaluators.report.model import Report
from evaluators.report.writer import write_report
from tests.report.report_samples import make_result, sample_results


def test_one_status_change_is_found():
    old = Report(results=sample_results())
    new_results = sample_results()
    new_results[0] = make_result(new_results[0].id, "differs", "reproduces", value=57.0, delta=1.42,
                                 reason="jiwer 4 changed punctuation handling")
    diff = diff_reports(old, Report(results=new_results))
    assert [(c.id, c.old_status, c.new_status) for c in diff.status_changes] == [
        ("audiobench-2024/salmonn-7b/librispeech-test-clean/wer", "reproduces", "differs")]
    assert diff.added == [] and diff.removed == [] and diff.value_changes == []
    text = render_diff(diff)
    assert "1 status changes" in text
    assert ("audiobench-2024/salmonn-7b/librispeech-test-clean/wer: reproduces -> differs  value 55.5812 -> 57, "
            "published 55.58  (jiwer 4 changed punctuation handling)") in text


def test_added_removed_and_value_moves():
    old = Report(results=[make_result("a"), make_result("gone")])
    new = Report(results=[make_result("a", value=55.59), make_result("new", "no_predictions")])
    diff = diff_reports(old, new)
    assert not diff.has_status_changes
    assert [r.id for r in diff.added] == ["new"] and [r.id for r in diff.removed] == ["gone"]
    assert [(v.id, v.old_value, v.new_value) for v in diff.value_changes] == [("a", 55.5812, 55.59)]
    assert diff_reports(old, new, value_tolerance=0.01).value_changes == []


def write(tmp_path, name, results):
    directory = tmp_path / name
    write_report(Report(results=results), directory)
    return str(directory / "results.json")


def test_cli_exit_codes(tmp_path, capsys):
    same_a = write(tmp_path, "a", sample_results())
    same_b = write(tmp_path, "b", sample_results())
    assert main(["diff", same_a, same_b]) == 0
    assert "0 status changes" in capsys.readouterr().out

    changed = sample_results()
    changed[1] = make_result(changed[1].id, "reproduces", "differs", paper="MMAU")
    changed_path = write(tmp_path, "c", changed)
    assert main(["diff", same_a, changed_path]) == 1
    capsys.readouterr()
    assert main(["diff", str(tmp_path / "a"), str(tmp_path / "c")]) == 1  # report directories work too
    out = capsys.readouterr().out
    assert "mmau/qwen2-audio-instruct/test-mini/avg: differs -> reproduces" in out

    assert main(["diff", "--json", same_a, changed_path]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["status_changes"][0]["new_status"] == "reproduces"

    assert main(["diff", same_a, str(tmp_path / "missing.json")]) == 2
    assert "missing.json: no such file" in capsys.readouterr().err


@pytest.mark.parametrize("tolerance", ["nan", "inf", "-inf", "-1"])
def test_a_tolerance_that_would_hide_every_moved_value_is_refused(tmp_path, capsys, tolerance):
    """Issue 14, finding 8: ``--value-tolerance nan|inf`` reported 0 value changes for any two runs."""
    old = Report(results=[make_result("a")])
    new = Report(results=[make_result("a", value=99.0)])
    with pytest.raises(ValueError, match="finite number >= 0"):
        diff_reports(old, new, value_tolerance=float(tolerance))
    paths = write(tmp_path, "old", old.results), write(tmp_path, "new", new.results)
    with pytest.raises(SystemExit) as caught:
        main(["diff", f"--value-tolerance={tolerance}", *paths])
    assert caught.value.code == 2
    assert "--value-tolerance" in capsys.readouterr().err
