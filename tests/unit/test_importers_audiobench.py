"""AudioBench importers: raw logs, *_wer_score.json (normalised oracle) and aggregate-only score files."""

from __future__ import annotations

import json

import pytest

from evaluators.errors import PredictionFormatError
from evaluators.predictions import load_predictions
from evaluators.predictions.audiobench import AggregateScore, load_raw_log, load_score_file, read_aggregate_score


@pytest.fixture
def folder(fixtures_dir):
    return fixtures_dir / "predictions" / "audiobench"


def test_raw_log_items(folder):
    predictions = load_predictions(folder / "librispeech_mini.json")
    assert [item.id for item in predictions] == ["0", "1", "2"]
    assert predictions[1].prediction == "Hello, word!"
    assert predictions[1].references == ("HELLO WORLD",)
    assert predictions[1].prompt == "Please write down what is said."
    assert predictions[1].metadata["task_type"] == "ASR"
    assert predictions.metadata["format"] == "audiobench-raw"
    assert predictions.metadata["empty_predictions"] == 1


def test_score_file_holds_normalised_texts_and_stored_wers(folder):
    scores = load_predictions(folder / "librispeech_mini_wer_score.json")
    assert scores.metadata["format"] == "audiobench-score"
    assert scores.metadata["wer"] == pytest.approx(4 / 9)
    assert [item.metadata["wer"] for item in scores] == [0.0, 0.5, 1.0]
    assert scores[1].prediction == "hello word" and scores[1].reference == "hello world"
    assert scores.metadata["empty_predictions"] == 1


def test_raw_log_with_its_score_file_gets_the_oracle(folder):
    joined = load_raw_log(folder / "librispeech_mini.json", score_file=folder / "librispeech_mini_wer_score.json")
    assert joined[1].metadata["normalised_reference"] == "hello world"
    assert joined[1].metadata["normalised_prediction"] == "hello word"
    assert joined[1].metadata["stored_wer"] == 0.5
    assert joined.metadata["stored_wer"] == pytest.approx(4 / 9)


def test_raw_log_and_score_file_of_different_length_is_an_error(folder, tmp_path):
    score = json.loads((folder / "librispeech_mini_wer_score.json").read_text())
    score["sample_wer"].pop()
    short = tmp_path / "short_wer_score.json"
    short.write_text(json.dumps(score))
    with pytest.raises(PredictionFormatError, match="3 items but the score file .* has 2"):
        load_raw_log(folder / "librispeech_mini.json", score_file=short)


def test_aggregate_file_is_read_as_a_number_not_a_set(folder):
    aggregate = read_aggregate_score(folder / "covost2_mini_bleu_score.json")
    assert aggregate == AggregateScore(source=str(folder / "covost2_mini_bleu_score.json"), values={"bleu": 12.5})
    assert (aggregate.metric, aggregate.value) == ("bleu", 12.5)
    with pytest.raises(PredictionFormatError, match="stored aggregate, no per-item data.*read_aggregate_score"):
        load_predictions(folder / "covost2_mini_bleu_score.json")


def test_aggregate_with_a_non_number_is_an_error(tmp_path):
    path = tmp_path / "x_bleu_score.json"
    path.write_text('{"bleu": "33.9"}')
    with pytest.raises(PredictionFormatError, match="field 'bleu': expected a number"):
        read_aggregate_score(path)


def test_score_file_item_wer_must_be_a_number(tmp_path):
    path = tmp_path / "x_wer_score.json"
    path.write_text(json.dumps({"wer": 0.1, "sample_wer": [{"reference": "a", "prediction": "a", "wer": "0"}]}))
    with pytest.raises(PredictionFormatError, match=r"item 0, field 'wer': expected a number"):
        load_score_file(path)
