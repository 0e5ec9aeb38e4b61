"""CMI-Bench importer: JSON list or JSONL, ids from audioid, repeated audioids numbered or refused."""

from __future__ import annotations

import pytest

from evaluators.errors import PredictionFormatError
from evaluators.predictions import load_predictions
from evaluators.predictions.cmi_bench import load_cmi_bench


@pytest.fixture
def folder(fixtures_dir):
    return fixtures_dir / "predictions" / "cmi-bench"


def test_json_list_items(folder):
    predictions = load_predictions(folder / "salmonn_GTZAN.json")
    assert [item.id for item in predictions] == [
        "../testdata/GTZAN/rock.00001.wav", "../testdata/GTZAN/blues.00002.wav",
        "../testdata/GTZAN/blues.00002.wav#2"]
    assert predictions[0].prediction == "<s> Rock</s>"  # raw: clean-up is a protocol step
    assert predictions[0].references == ("rock",)
    assert predictions[0].prompt == "Identify the genre of the given music."
    assert predictions[2].metadata["occurrence"] == 2 and predictions[2].metadata["other"] == {"segment": 2}
    assert dict(predictions.metadata) == {"format": "cmi-bench", "model": "salmonn", "task": "GTZAN",
                                          "duplicate_audioids": 1, "empty_predictions": 1}


def test_real_json_lines_are_read_too(folder):
    predictions = load_predictions(folder / "qwen_DSing.jsonl")
    assert [item.id for item in predictions] == ["../testdata/DSing/song1.m4a", "../testdata/DSing/song1.m4a#2"]
    assert predictions.metadata["task"] == "DSing"


def test_repeated_audioid_can_be_refused(folder):
    with pytest.raises(PredictionFormatError, match=r"item 2, field 'audioid': duplicate audioid .*first at index 1"):
        load_cmi_bench(folder / "salmonn_GTZAN.json", duplicates="error")


def test_model_and_task_can_be_given(folder, tmp_path):
    copy = tmp_path / "results.json"
    copy.write_bytes((folder / "salmonn_GTZAN.json").read_bytes())
    predictions = load_cmi_bench(copy, model="SALMONN-13B", task="GTZAN")
    assert (predictions.metadata["model"], predictions.metadata["task"]) == ("SALMONN-13B", "GTZAN")
