"""The generic JSONL format: reading, writing (atomic) and the round trip."""

from __future__ import annotations

import pytest

from evaluators.errors import PredictionFormatError
from evaluators.predictions import load_predictions
from evaluators.predictions.base import PredictionItem
from evaluators.predictions.generic import load_generic_jsonl, write_generic_jsonl


@pytest.fixture
def run_file(fixtures_dir):
    return fixtures_dir / "predictions" / "generic" / "run.jsonl"


def test_fields(run_file):
    predictions = load_predictions(run_file)
    assert [item.id for item in predictions] == ["utt-1", "2", "utt-3"]
    assert predictions[0].references == ("THE QUICK BROWN FOX",)
    assert predictions[0].prompt == "Transcribe the audio."
    assert predictions[0].metadata == {"task": "asr", "audio": "utt-1.wav"}
    assert predictions[1].references == ("A dog barks loudly.", "Barking of a dog.")
    assert predictions[1].prompt is None
    assert predictions[2].prediction == "" and predictions[2].prompt is None
    assert dict(predictions.metadata) == {"format": "generic-jsonl", "empty_predictions": 1}


@pytest.mark.parametrize("line, message", [
    ('{"id": "a", "prediction": "x", "reference": "y", "refs": []}', "item line 1, field 'refs': unknown field"),
    ('{"id": "a", "prediction": "x"}', "item line 1, field 'reference': missing field"),
    ('{"id": "a", "prediction": "x", "reference": "y", "references": ["y"]}', "either 'reference' or 'references'"),
    ('{"id": "a", "prediction": "x", "references": "x"}', "field 'references': expected a list of strings"),
    ('{"id": "a", "prediction": "x", "references": ["y", 3]}', "reference 1 is a int"),
    ('{"id": "", "prediction": "x", "reference": "y"}', "field 'id': expected a non-empty string"),
    ('{"id": true, "prediction": "x", "reference": "y"}', "field 'id'"),
    ('{"id": "a", "prediction": 5, "reference": "y"}', "field 'prediction': expected a string"),
    ('{"id": "a", "prediction": "x", "reference": "y", "metadata": [1]}', "field 'metadata': expected an object"),
    ('["a", "x", "y"]', "item line 1: expected an object"),
])
def test_bad_records(tmp_path, line, message):
    path = tmp_path / "run.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(PredictionFormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_generic_jsonl(path)


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "run.jsonl"
    path.write_text("\n\n")
    with pytest.raises(PredictionFormatError, match="no records"):
        load_generic_jsonl(path)


def test_write_then_read_round_trip(tmp_path, run_file):
    original = load_predictions(run_file)
    odd = PredictionItem(id="odd", prediction="line\u2028separator and \u0085 next-line", references=("r",),
                         metadata={"choices": ("a", "b")})
    out = write_generic_jsonl([*original, odd], tmp_path / "sub" / "out.jsonl")
    again = load_predictions(out)
    assert [(i.id, i.prediction, i.references, i.prompt) for i in again] == \
        [(i.id, i.prediction, i.references, i.prompt) for i in [*original, odd]]
    assert again[3].metadata == {"choices": ["a", "b"]}
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["out.jsonl"]


def test_failed_write_leaves_nothing(tmp_path):
    items = [PredictionItem(id="1", prediction="x", references=("y",)),
             PredictionItem(id="2", prediction="x", references=("y",), metadata={"not json": object()})]
    with pytest.raises(TypeError):
        write_generic_jsonl(items, tmp_path / "out.jsonl")
    assert list(tmp_path.iterdir()) == []
