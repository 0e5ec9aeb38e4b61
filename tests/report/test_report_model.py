"""The report model: counts, expectation changes, grouping, merging."""

from __future__ import annotations

import json

import numpy as np
import pytest

from evaluators.report.model import Report, is_expectation_change, merge_reports, noise_verdict, sanitize
from evaluators.report.schema import validate_results
from tests.report.report_samples import make_result, sample_results


@pytest.mark.parametrize(("status", "expected", "changed"), [
    ("reproduces", "reproduces", False),
    ("differs", "differs", False),
    ("differs", "reproduces", True),
    ("reproduces", "differs", True),
    ("error", "reproduces", True),
    ("error", "differs", True),
    ("no_predictions", "reproduces", False),
    ("unavailable", "differs", False),
    ("reproduces", "unknown", False),
    ("differs", "unknown", False),
])
def test_expectation_change(status, expected, changed):
    assert is_expectation_change(make_result("x", status, expected)) is changed


def test_counts_cover_every_status(sample_report):
    counts = sample_report.counts()
    assert counts == {"reproduces": 1, "differs": 1, "no_predictions": 1, "unavailable": 1, "error": 0,
                      "total": 4, "changed": 0}


def test_not_reproduced_and_groups(sample_report):
    assert [r.id for r in sample_report.not_reproduced()] == ["mmau/qwen2-audio-instruct/test-mini/avg"]
    assert list(sample_report.by_paper()) == ["AIR-Bench", "AudioBench 2024", "MMAU"]
    skips = sample_report.skip_reasons()
    assert skips["unavailable: needs an LLM judge (GPT-4)"] == ["air-bench/salmonn/chat"]
    assert set(sample_report.prediction_sets()) == {
        "audiobench/SALMONN_7B/librispeech_test_clean.json — asr: LibriSpeech / test-clean",
        "mmau/q.json — mcq: MMAU / test-mini"}


def test_prediction_sets_split_different_measurements_of_one_file():
    same_a = make_result("paper/a", prediction_file="f.json", value=1.0)
    same_b = make_result("second-source/a", prediction_file="f.json", value=1.0)
    other_key = make_result("answer-key@2/a", prediction_file="f.json", value=2.0)
    groups = Report(results=[same_a, same_b, other_key]).prediction_sets()
    assert [[r.id for r in results] for results in groups.values()] == [
        ["answer-key@2/a"], ["paper/a", "second-source/a"]]
    assert list(groups) == ["f.json — asr: LibriSpeech / test-clean",
                            "f.json — asr: LibriSpeech / test-clean (paper/a)"]


def test_skip_reasons_group_entry_specific_reasons():
    results = [make_result(f"p/{model}/ls", "no_predictions", model=model,
                           reason=f"no predictions of {model} on LibriSpeech test-clean (entry p/{model}/ls)")
               for model in ("SALMONN-7B", "Qwen-Audio")]
    assert Report(results=results).skip_reasons() == {
        "no_predictions: no predictions of <model> on <dataset> <split> (entry <id>)": ["p/SALMONN-7B/ls",
                                                                                      "p/Qwen-Audio/ls"]}


def test_round_trip(sample_report):
    again = Report.from_dict(json.loads(sample_report.to_json()))
    assert again.to_dict() == sample_report.to_dict()


def test_merge_later_file_wins():
    first = Report(results=[make_result("a"), make_result("b", "differs")])
    second = Report(results=[make_result("b", "reproduces")], run={"git_commit": "c2"})
    merged = merge_reports([first, second])
    assert {r.id: r.status for r in merged.results} == {"a": "reproduces", "b": "reproduces"}
    assert merged.run["git_commit"] == "c2"


def test_sanitize_makes_free_form_records_json_safe():
    row = sanitize({"delta": np.float32(0.5), "n": np.int64(3), "bad": float("nan"), "steps": (1, 2)})
    assert row == {"delta": 0.5, "n": 3, "bad": None, "steps": [1, 2]}
    json.dumps(row, allow_nan=False)


def test_empty_report():
    assert Report().is_empty()
    assert not Report(results=sample_results()).is_empty()


def test_nan_and_numpy_values_in_results_become_valid_json():
    result = make_result("a", value=float("nan"), delta=np.float32(0.25), interval=(np.float64(1.0), float("inf")))
    data = json.loads(Report(results=[result]).to_json())
    assert data["results"][0]["value"] is None and data["results"][0]["delta"] == 0.25
    assert data["results"][0]["interval"] is None
    validate_results(data)


def test_data_warning_names_what_was_not_measured_and_the_fix():
    missing = [make_result(name, "no_predictions", prediction_file=f"audiobench/e991641/{name}.json") for name in "ab"]
    warning = Report(results=[*missing, make_result("c")], run={"data_dir": None}).data_warning()
    assert warning.startswith("2 published numbers with public predictions were not measured: their 2 prediction")
    assert "`audiorepro fetch`" in warning and "shared" not in warning  # no path of any particular machine
    # numbers without any public predictions are not a data problem; neither is a complete run
    assert Report(results=[make_result("a", "no_predictions"), make_result("c")]).data_warning() is None

@pytest.mark.parametrize(("published", "interval", "verdict"), [
    (49.2, (44.0, 50.25), "within noise"), (55.58, (52.0, 55.0), "outside noise"), (10.0, None, None),
    (10.0, (float("nan"), 11.0), None),
])
def test_noise_verdict(published, interval, verdict):
    result = make_result("a", "differs", published=published, interval=interval)
    text = noise_verdict(result)
    assert (text.split(":")[0] if text else None) == verdict


def test_per_paper_counts(sample_report):
    counts = dict(sample_report.per_paper_counts())
    assert counts["MMAU"] == {"reproduces": 0, "differs": 1, "no_predictions": 1, "unavailable": 0, "error": 0,
                              "total": 2}
