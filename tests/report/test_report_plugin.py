"""The pytest plugin end to end: a small fake project attaches results; the report appears in --report-dir."""

from __future__ import annotations

import json

import pytest

# matplotlib is loaded before pytester snapshots sys.modules: in-process runs cannot import its C extensions twice
import evaluators.report.writer  # noqa: F401

pytest_plugins = ["pytester"]

CONFTEST = '''
import os
pytest_plugins = ["evaluators.report.plugin"]

def pytest_addoption(parser):
    parser.addoption("--report-dir", default=None)
    parser.addoption("--data-dir", default=None)

def pytest_configure(config):
    config.addinivalue_line("markers", "paper_values: a published number")
    config.addinivalue_line("markers", "determinism: frozen outputs")
'''

TESTS = '''
import pytest
from evaluators.verdict import CITATION_PROPERTY_KEY, PaperValueResult, attach, attach_determinism

def result(identifier, status, expected, value=None, reason=""):
    return PaperValueResult(id=identifier, paper="Fake 2026", model="M", task="asr", dataset="D", split="test",
                            metric="WER", published=10.0, unit="percent", direction="lower", status=status,
                            expected_status=expected, protocol="ASR-AB" if value is not None else None, value=value,
                            delta=None if value is None else value - 10.0, tolerance=0.005, reason=reason)

@pytest.mark.paper_values
def test_reproduces(request):
    attach(request.node.user_properties, result("fake/reproduces", "reproduces", "reproduces", 10.001))

@pytest.mark.paper_values
@pytest.mark.xfail(strict=True, reason="published value differs")
def test_differs(request):
    attach(request.node.user_properties, result("fake/differs", "differs", "differs", 12.5, "different key"))
    assert False, "measured 12.5"

@pytest.mark.paper_values
def test_no_predictions(request):
    attach(request.node.user_properties, result("fake/missing", "no_predictions", "reproduces",
                                                reason="needs fake/preds.json"))
    pytest.skip("needs fake/preds.json")

@pytest.mark.paper_values
def test_skips_without_result():
    pytest.skip("protocol XYZ not registered yet")

@pytest.mark.determinism
def test_batch_invariance(request):
    attach_determinism(request.node.user_properties, {
        "model": "tiny", "dtype": "bf16", "batch_size": 4, "items_changed": 1, "n_items": 8,
        "max_abs_logit_delta": float("nan"), "first_divergent_step": 3})

@pytest.mark.paper_values
def test_citation_group(request):
    request.node.user_properties.append((CITATION_PROPERTY_KEY, {
        "model": "m", "dataset": "d", "split": "test", "metric": "wer",
        "values": [{"id": "fake/reproduces", "paper": "Fake 2026", "value": 10.0},
                   {"id": "other/m", "paper": "Other 2025", "value": 0.1, "unit": "fraction"}],
        "rows": [{"id": "other/m", "value_in_group_unit": 10.0, "test_data": "different"}]}))

def test_plain_unit_test():
    assert True
'''


@pytest.fixture
def fake_project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_fake=TESTS)
    return pytester


def read(directory):
    return json.loads((directory / "results.json").read_text())


def test_results_collected_and_written(fake_project):
    out = fake_project.path / "reports"  # inside the project: pytest guesses rootdir from existing path args
    run = fake_project.runpytest("-p", "no:cacheprovider", "--import-mode=importlib", "--report-dir", str(out))
    run.assert_outcomes(passed=4, skipped=2, xfailed=1)
    run.stdout.fnmatch_lines(["*audiorepro report: *index.html — 1 reproduce, 1 differ, 1 without predictions*"])
    data = read(out)
    by_id = {r["id"]: r for r in data["results"]}
    assert {i: (r["status"], r["outcome"]) for i, r in by_id.items()} == {
        "fake/reproduces": ("reproduces", "passed"),
        "fake/differs": ("differs", "xfailed"),
        "fake/missing": ("no_predictions", "skipped"),
    }
    assert by_id["fake/reproduces"]["test"] == "test_fake.py::test_reproduces"
    assert data["skipped_tests"] == [{"test": "test_fake.py::test_skips_without_result",
                                      "reason": "protocol XYZ not registered yet"}]
    (row,) = data["determinism"]
    assert row["test"] == "test_fake.py::test_batch_invariance" and row["max_abs_logit_delta"] is None
    assert data["counts"]["changed"] == 0 and data["run"]["pytest_exit_status"] == 0
    assert "--report-dir" in data["run"]["pytest_args"]
    (group,) = data["citations"]
    assert group["rows"][0]["test_data"] == "different"
    assert "Other 2025" in (out / "index.html").read_text()
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "history.jsonl", "index.html", "report.md", "results.json"]
    assert "protocol XYZ not registered yet" in (out / "report.md").read_text()

    fake_project.runpytest("-p", "no:cacheprovider", "--import-mode=importlib", "--report-dir", str(out))
    assert len((out / "history.jsonl").read_text().splitlines()) == 2


def test_run_without_results_writes_nothing(fake_project):
    out = fake_project.path / "reports"  # inside the project: pytest guesses rootdir from existing path args
    run = fake_project.runpytest("-p", "no:cacheprovider", "--import-mode=importlib", "--report-dir", str(out),
                                 "-k", "plain")
    run.assert_outcomes(passed=1)
    assert not out.exists()


def test_xdist_results_reach_the_controller_and_are_written_once(fake_project):
    pytest.importorskip("xdist")
    out = fake_project.path / "reports"  # inside the project: pytest guesses rootdir from existing path args
    run = fake_project.runpytest_subprocess("-p", "no:cacheprovider", "-n", "2", "--report-dir", str(out))
    run.assert_outcomes(passed=4, skipped=2, xfailed=1)
    data = read(out)
    assert sorted(r["id"] for r in data["results"]) == ["fake/differs", "fake/missing", "fake/reproduces"]
    assert len(data["determinism"]) == 1 and len(data["skipped_tests"]) == 1
    assert len((out / "history.jsonl").read_text().splitlines()) == 1


def test_determinism_run_keeps_the_paper_values_report(fake_project):
    """`pytest -m determinism` after `make report` replaces only the Determinism section, and back."""
    out = fake_project.path / "reports"
    options = ("-p", "no:cacheprovider", "--import-mode=importlib", "--report-dir", str(out))
    fake_project.runpytest(*options, "-m", "paper_values").assert_outcomes(passed=2, skipped=2, xfailed=1)
    paper = read(out)
    assert len(paper["results"]) == 3 and paper["determinism"] == []

    fake_project.runpytest(*options, "-m", "determinism").assert_outcomes(passed=1)
    both = read(out)
    assert both["results"] == paper["results"] and both["skipped_tests"] == paper["skipped_tests"]
    assert [row["test"] for row in both["determinism"]] == ["test_fake.py::test_batch_invariance"]
    assert both["run"]["pytest_args"] == paper["run"]["pytest_args"]  # the paper-values run's facts stay
    assert "determinism" in both["run"]["determinism_run"]["pytest_args"]
    assert len((out / "history.jsonl").read_text().splitlines()) == 1  # a determinism run adds no history line
    markdown = (out / "report.md").read_text()
    assert "fake/reproduces" in markdown and "## Determinism" in markdown
    assert "From the determinism run of" in markdown

    fake_project.runpytest(*options, "-m", "paper_values").assert_outcomes(passed=2, skipped=2, xfailed=1)
    again = read(out)
    assert [row["test"] for row in again["determinism"]] == ["test_fake.py::test_batch_invariance"]
    assert "determinism" in again["run"]["determinism_run"]["pytest_args"]
    assert len((out / "history.jsonl").read_text().splitlines()) == 2


def test_determinism_run_leaves_an_unreadable_report_alone(fake_project):
    out = fake_project.path / "reports"
    out.mkdir()
    (out / "results.json").write_text("{broken")
    run = fake_project.runpytest("-p", "no:cacheprovider", "--import-mode=importlib", "--report-dir", str(out),
                                 "-m", "determinism")
    run.stdout.fnmatch_lines(["*audiorepro report NOT written to*results.json: the existing report could not be read*"])
    assert (out / "results.json").read_text() == "{broken"


# --- a run always records its own status (issue 14, finding 6) -------------------------------------------------

def _check(out) -> int:
    from evaluators.cli import main

    return main(["report", "--check", str(out / "results.json")])


def test_collection_error_replaces_the_previous_results(fake_project, capsys):
    out = fake_project.path / "reports"
    args = ("-p", "no:cacheprovider", "--import-mode=importlib", "--report-dir", str(out))
    fake_project.runpytest(*args, "-k", "not differs")
    assert _check(out) == 0 and read(out)["counts"]["reproduces"] == 1
    fake_project.makepyfile(test_broken="import no_such_module_anywhere\n")
    run = fake_project.runpytest(*args)
    assert run.ret == pytest.ExitCode.INTERRUPTED
    data = read(out)
    assert data["run"]["pytest_exit_status"] == 2 and data["results"] == []
    assert _check(out) == 4  # the stale good report is not graded


def test_every_paper_value_test_failing_without_a_result_is_recorded(fake_project):
    out = fake_project.path / "reports"
    fake_project.makepyfile(test_fake='''
import pytest

@pytest.mark.paper_values
def test_checksum_fails():
    raise RuntimeError("checksum mismatch")
''')
    run = fake_project.runpytest("-p", "no:cacheprovider", "--import-mode=importlib", "--report-dir", str(out))
    run.assert_outcomes(failed=1)
    data = read(out)
    assert data["results"] == [] and any("without attaching a result" in note for note in data["notes"])
    assert _check(out) == 3


def test_nothing_collected_is_recorded_and_fails_the_gate(fake_project):
    out = fake_project.path / "reports"
    run = fake_project.runpytest("-p", "no:cacheprovider", "--import-mode=importlib", "--report-dir", str(out),
                                 "-k", "no_test_has_this_name")
    assert run.ret == pytest.ExitCode.NO_TESTS_COLLECTED
    assert read(out)["run"]["pytest_exit_status"] == 5
    assert _check(out) == 3


def test_only_unmeasured_numbers_fail_the_gate(fake_project):
    out = fake_project.path / "reports"
    fake_project.runpytest("-p", "no:cacheprovider", "--import-mode=importlib", "--report-dir", str(out),
                           "-k", "no_predictions")
    assert read(out)["counts"]["no_predictions"] == 1
    assert _check(out) == 3


def test_a_report_that_cannot_be_written_fails_the_run(fake_project):
    out = fake_project.path / "reports"
    out.write_text("a file, not a folder")
    run = fake_project.runpytest("-p", "no:cacheprovider", "--import-mode=importlib", "--report-dir", str(out),
                                 "-k", "reproduces")
    run.assert_outcomes(passed=1)
    assert run.ret == pytest.ExitCode.TESTS_FAILED
    run.stdout.fnmatch_lines(["*audiorepro report NOT written*"])


def test_an_interrupted_unit_test_run_leaves_the_report_alone(fake_project):
    out = fake_project.path / "reports"
    fake_project.makepyfile(test_unit="def test_fails():\n    assert False\n")
    run = fake_project.runpytest("-p", "no:cacheprovider", "--import-mode=importlib", "--report-dir", str(out),
                                 "-x", "test_unit.py", "test_fake.py::test_plain_unit_test")
    assert run.ret == pytest.ExitCode.TESTS_FAILED or run.ret == pytest.ExitCode.INTERRUPTED
    assert not out.exists()
