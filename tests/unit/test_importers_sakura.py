"""SAKURA importers: track metadata (references only), prediction files, llm_judge.py judgements."""

from __future__ import annotations

import json

import pytest

from evaluators.errors import PredictionFormatError
from evaluators.predictions import load_predictions, load_references
from evaluators.predictions.sakura import SakuraReferences, hop_of, load_judgements, load_metadata
from evaluators.predictions.sakura import load_prediction_file as load_sakura_predictions


@pytest.fixture
def folder(fixtures_dir):
    return fixtures_dir / "predictions" / "sakura"


def write(path, data):
    path.write_text(json.dumps(data))
    return path


def test_metadata_is_references_for_both_hops(folder):
    references = load_references(folder / "Animal" / "metadata.json")
    assert isinstance(references, SakuraReferences)
    assert references.track == "Animal"
    assert references.audios == ["data/Animal/audio/dog1.wav", "data/Animal/audio/duck2.wav"]
    single = references.find("data/Animal/audio/dog1.wav", "single")
    assert single.answer == " (a) dog"  # leading space kept as stored
    assert references.find("dog1.wav", "multi").answer == "(b) four"  # unique file name also finds it
    with pytest.raises(PredictionFormatError, match="references without model outputs"):
        load_predictions(folder / "Animal" / "metadata.json")


def test_join_runner_outputs_to_metadata(folder):
    references = load_metadata(folder / "Animal" / "metadata.json")
    joined = references.join("multi", {"duck2.wav": "It has feathers, (c)."}, name="run")
    assert [item.id for item in joined] == ["duck2.wav"]
    assert joined[0].references == ("(c) feathers",)
    assert joined[0].metadata["hop"] == "multi" and joined[0].metadata["attribute_label"] == "duck"
    assert joined.metadata["unanswered"] == 1
    with pytest.raises(PredictionFormatError, match="item cat.wav: no such audio"):
        references.join("single", {"cat.wav": "meow"})


def test_prediction_file(folder):
    predictions = load_predictions(folder / "animal_single.json")
    assert [item.id for item in predictions] == ["data/Animal/audio/dog1.wav", "data/Animal/audio/duck2.wav"]
    assert predictions[0].prediction == "The sound is a dog barking.</s>"
    assert predictions[0].references == ("(a) dog",)
    assert predictions[0].metadata == {"track": "Animal", "hop": "single"}
    assert predictions.metadata["attribute"] == "Animal"


def test_prediction_file_checked_against_metadata(folder, tmp_path):
    checked = load_sakura_predictions(folder / "animal_single.json", metadata=folder / "Animal" / "metadata.json")
    assert checked[0].metadata["attribute_label"] == "dog"
    assert checked.metadata["unanswered"] == 0
    data = json.loads((folder / "animal_single.json").read_text())
    data["results"]["data/Animal/audio/duck2.wav"]["label"] = "(a) dog"
    with pytest.raises(PredictionFormatError, match=r"item data/Animal/audio/duck2.wav, field 'label'.*differs"):
        load_sakura_predictions(write(tmp_path / "p.json", data), metadata=folder / "Animal" / "metadata.json")
    data["results"] = {"data/Animal/audio/cat9.wav": data["results"]["data/Animal/audio/dog1.wav"]}
    with pytest.raises(PredictionFormatError, match="item data/Animal/audio/cat9.wav: not an audio of"):
        load_sakura_predictions(write(tmp_path / "p.json", data), metadata=folder / "Animal" / "metadata.json")


def test_judgements(folder):
    judged = load_predictions(folder / "animal_single_judgements.json")
    assert [item.metadata["judgement"] for item in judged] == ["correct", "incorrect"]
    assert judged[1].metadata["explanation"].startswith("The response chooses (b) cat")
    assert judged.metadata["judge_model"] == "gpt-4o-2024-11-20"
    assert (judged.metadata["temperature"], judged.metadata["top_p"], judged.metadata["max_tokens"]) == (0.0, 0.9, 1024)


def test_judgements_must_cover_the_predictions(folder, tmp_path):
    judged = load_judgements(folder / "animal_single_judgements.json", predictions=folder / "animal_single.json")
    assert len(judged) == 2
    data = json.loads((folder / "animal_single_judgements.json").read_text())
    del data["results"]["data/Animal/audio/duck2.wav"]
    partial = write(tmp_path / "j.json", data)
    with pytest.raises(PredictionFormatError, match=r"1 judgements but 2 predictions .*first missing: "
                                                    r"'data/Animal/audio/duck2.wav'"):
        load_judgements(partial, predictions=folder / "animal_single.json")


def test_judged_response_must_equal_the_prediction(folder, tmp_path):
    data = json.loads((folder / "animal_single_judgements.json").read_text())
    data["results"]["data/Animal/audio/duck2.wav"]["response"] = "(d) duck"
    with pytest.raises(PredictionFormatError, match=r"item data/Animal/audio/duck2.wav, field 'response'"):
        load_judgements(write(tmp_path / "j.json", data), predictions=folder / "animal_single.json")


@pytest.mark.parametrize("value, hop", [("single", "single"), ("Multi-hop", "multi"), ("multi_hop", "multi"),
                                        ("both single and multi", None), ("", None)])
def test_hop_of(value, hop):
    assert hop_of(value) == hop


def test_official_judgements_field_model_response(fixtures_dir):
    """SAKURA's llm_judge.py writes the judged output as ``model_response`` (not ``response``)."""
    path = fixtures_dir / "judges" / "animal_single_fixture_judgements.json"
    judged = load_predictions(path, "sakura-judgements")
    assert len(judged) == 6
    assert all(item.metadata["judgement"] is not None for item in judged)
    raw = json.loads(path.read_text())["results"]
    assert {item.id: item.prediction for item in judged} == {key: value["model_response"] for key, value in raw.items()}
