"""Format detection and the registry: each file is recognised by exactly one format, or a clear error."""

from __future__ import annotations

import pytest

from evaluators.errors import PredictionFormatError
from evaluators.predictions import FORMATS, Format, detect_format, load_predictions, load_references, sniff

FIXTURE_FORMATS = {
    "audiobench/librispeech_mini.json": "audiobench-raw",
    "audiobench/librispeech_mini_wer_score.json": "audiobench-score",
    "audiobench/covost2_mini_bleu_score.json": "audiobench-aggregate",
    "mmau/results.json": "mmau",
    "mmau/answer-key@rev2.json": "mmau-answer-key",
    "cmi-bench/salmonn_GTZAN.json": "cmi-bench",
    "cmi-bench/qwen_DSing.jsonl": "cmi-bench",
    "sakura/Animal/metadata.json": "sakura-metadata",
    "sakura/animal_single.json": "sakura-predictions",
    "sakura/animal_single_judgements.json": "sakura-judgements",
    "generic/run.jsonl": "generic-jsonl",
    "qwen2-audio/covost2_en_ja_test.json": "qwen2-audio-eval",
    "text/hyp.txt": "text-lines",
    "kaldi/hyp.trn": "kaldi-text",
    "table/run.tsv": "csv",
}


def test_every_registered_format_has_a_fixture():
    assert set(FIXTURE_FORMATS.values()) == set(FORMATS)


@pytest.mark.parametrize("fixture, fmt", sorted(FIXTURE_FORMATS.items()))
def test_each_fixture_is_detected_as_its_format_only(fixtures_dir, fixture, fmt):
    path = fixtures_dir / "predictions" / fixture
    data = sniff(path)
    assert [f.name for f in FORMATS.values() if f.detect(data)] == [fmt]


def test_one_line_generic_jsonl_is_detected(tmp_path):
    path = tmp_path / "one.jsonl"
    path.write_text('{"id": "a", "prediction": "x", "reference": "y"}\n')
    assert detect_format(path).name == "generic-jsonl"
    assert load_predictions(path)[0].references == ("y",)


def test_unrecognised_file_lists_the_formats(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('[{"foo": 1}]')
    with pytest.raises(PredictionFormatError, match=r"format not recognised .*one of: audiobench-aggregate"):
        load_predictions(path)


def test_ambiguous_detection_is_an_error(tmp_path, monkeypatch, fixtures_dir):
    monkeypatch.setitem(FORMATS, "anything", Format("anything", "matches all", lambda data: True, lambda p: None))
    with pytest.raises(PredictionFormatError, match=r"format is ambiguous \(mmau, anything\)"):
        load_predictions(fixtures_dir / "predictions" / "mmau" / "results.json")


def test_unknown_format_name(fixtures_dir):
    with pytest.raises(PredictionFormatError, match="unknown format 'mmau2'; known: "):
        load_predictions(fixtures_dir / "predictions" / "mmau" / "results.json", "mmau2")


def test_named_format_that_does_not_fit_gives_a_field_error(fixtures_dir):
    with pytest.raises(PredictionFormatError, match="item 0, field 'response': missing field"):
        load_predictions(fixtures_dir / "predictions" / "mmau" / "results.json", "cmi-bench")


def test_predictions_are_not_references(fixtures_dir):
    with pytest.raises(PredictionFormatError, match="mmau file \\(predictions\\), not references"):
        load_references(fixtures_dir / "predictions" / "mmau" / "results.json")


def test_format_kind_is_validated():
    with pytest.raises(ValueError, match="kind must be one of"):
        Format("x", "x", lambda data: False, lambda path: None, kind="labels")


def test_missing_file(tmp_path):
    with pytest.raises(PredictionFormatError, match="file not found"):
        load_predictions(tmp_path / "nope.json")
