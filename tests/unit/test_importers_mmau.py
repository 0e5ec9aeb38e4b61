"""MMAU importer: result lists, choices as list or Python-literal string, answer-key revisions."""

from __future__ import annotations

import json

import pytest

from evaluators.errors import PredictionFormatError
from evaluators.predictions import load_predictions, load_references
from evaluators.predictions.mmau import audio_file_name, load_answer_key, load_mmau, parse_choices


@pytest.fixture
def folder(fixtures_dir):
    return fixtures_dir / "predictions" / "mmau"


def test_results_items_and_metadata(folder):
    predictions = load_predictions(folder / "results.json")
    assert [item.id for item in predictions] == ["q-1", "q-2", "q-3"]
    first = predictions[0]
    assert first.prediction == "The animal is a dog."
    assert first.references == ("Dog",)
    assert first.prompt == "Which animal is heard?"
    assert first.metadata["choices"] == ("Dog", "Cat", "Cow", "Horse")  # parsed from a string literal
    assert predictions[1].metadata["choices"] == ("Piano", "Violin", "Flute", "Guitar")  # a JSON list
    assert predictions[2].metadata["choices"] == ("One", "Two", "Three (or more)")
    assert first.metadata["sub-category"] == "Animal Recognition" and first.metadata["task"] == "sound"
    assert predictions.metadata["empty_predictions"] == 1
    assert "answer_key" not in predictions.metadata


@pytest.mark.parametrize("value, expected", [
    ("['a', 'b']", ("a", "b")),
    (["a", "b"], ("a", "b")),
    ('["it\'s", "x"]', ("it's", "x")),
])
def test_parse_choices(value, expected):
    assert parse_choices("f.json", value, 0) == expected


@pytest.mark.parametrize("value", ["__import__('os').system('true')", "['a', 1]", "'a'", "[a, b]", 7, None,
                                   "[]", []])  # no options (issue 14, finding 12)
def test_parse_choices_refuses_anything_but_a_list_of_strings(value):
    with pytest.raises(PredictionFormatError, match="item 3, field 'choices'"):
        parse_choices("f.json", value, 3)


def test_answer_key_join_replaces_answers_and_reports_missing(folder):
    joined = load_mmau(folder / "results.json", answer_key=folder / "answer-key@rev2.json")
    assert [item.id for item in joined] == ["q-1", "q-2"]
    assert joined[1].references == ("Piano",)              # the key's (revised) answer
    assert joined[1].metadata["file_answer"] == "Violin"   # what the prediction file said
    assert joined[1].metadata["difficulty"] == "hard"      # labels from the key too
    key = joined.metadata["answer_key"]
    assert key["revision"] == "rev2"
    assert (key["matched"], key["missing"], key["missing_ids"], key["unanswered"]) == (2, 1, ("q-3",), 1)


def test_answer_key_missing_item_can_be_an_error(folder):
    with pytest.raises(PredictionFormatError, match=r"item 2 \(id q-3\).*not in the answer key"):
        load_mmau(folder / "results.json", answer_key=folder / "answer-key@rev2.json", on_missing="error")


def test_join_is_on_audio_file_name_and_question(folder, tmp_path):
    key = json.loads((folder / "answer-key@rev2.json").read_text())
    for entry in key:
        entry["audio_id"] = "/elsewhere/" + audio_file_name(entry["audio_id"])
        entry.pop("id")
    moved = tmp_path / "key.json"
    moved.write_text(json.dumps(key))
    assert len(load_mmau(folder / "results.json", answer_key=moved)) == 2
    key[0]["question"] += " (revised wording)"
    moved.write_text(json.dumps(key))
    assert [item.id for item in load_mmau(folder / "results.json", answer_key=moved)] == ["q-2"]


def test_answer_key_is_references_not_predictions(folder):
    with pytest.raises(PredictionFormatError, match="mmau-answer-key file, not predictions"):
        load_predictions(folder / "answer-key@rev2.json")
    key = load_references(folder / "answer-key@rev2.json")
    assert len(key) == 3 and key.revision == "rev2"


def test_answer_key_with_a_repeated_item_is_an_error(folder, tmp_path):
    key = json.loads((folder / "answer-key@rev2.json").read_text())
    key.append(dict(key[0], id="q-10"))
    path = tmp_path / "key.json"
    path.write_text(json.dumps(key))
    with pytest.raises(PredictionFormatError, match="item 3.*appears twice"):
        load_answer_key(path)


def test_model_output_field_name_of_mmau_evaluation_py_is_accepted(folder, tmp_path):
    rows = json.loads((folder / "results.json").read_text())
    for row in rows:
        row["model_output"] = row.pop("model_prediction")
    path = tmp_path / "out.json"
    path.write_text(json.dumps(rows))
    assert load_predictions(path)[0].prediction == "The animal is a dog."


def test_on_missing_must_be_known(folder):
    with pytest.raises(ValueError, match="on_missing"):
        load_mmau(folder / "results.json", on_missing="ignore")
