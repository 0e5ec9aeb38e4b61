"""Run manifests and run directories: schema errors name file, prediction and field; inference from names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluators.run_manifest import (
    RunManifestError,
    load_run,
    load_run_predictions,
    model_key_from_name,
)

GOOD = {"model": "salmonn-7b", "predictions": [{"file": "hyp.jsonl", "dataset": "librispeech", "split": "test-clean"}]}


def write(folder: Path, manifest: object, *, text: str | None = None) -> Path:
    (folder / "hyp.jsonl").write_text(json.dumps({"id": "a", "prediction": "x", "reference": "x"}) + "\n",
                                      encoding="utf-8")
    path = folder / "run.yaml"
    path.write_text(text if text is not None else json.dumps(manifest), encoding="utf-8")  # JSON is YAML
    return path


def test_a_valid_manifest_loads_with_paths_relative_to_it(tmp_path: Path) -> None:
    manifest = json.loads(json.dumps(GOOD))
    manifest["predictions"][0].update(pair="en-ja", task="asr", prompt="Transcribe.")
    run = load_run(write(tmp_path, manifest))
    assert run.model == "salmonn-7b" and run.name == "run"
    (prediction,) = run.predictions
    assert prediction.file == (tmp_path / "hyp.jsonl").resolve() and prediction.pair == "en-ja"
    assert load_run_predictions(prediction).items[0].prompt == "Transcribe."


def bad(**change: object) -> dict:
    manifest = json.loads(json.dumps(GOOD))
    for key, value in change.items():
        if key.startswith("p_"):
            if value is None:
                del manifest["predictions"][0][key[2:]]
            else:
                manifest["predictions"][0][key[2:]] = value
        elif value is None:
            del manifest[key]
        else:
            manifest[key] = value
    return manifest


@pytest.mark.parametrize(("manifest", "item", "field", "message"), [
    (bad(model=None), None, "model", "missing (required)"),
    (bad(p_split=None), 0, "split", "missing (required)"),
    (bad(p_datset="x"), 0, "datset", "unknown field"),
    (bad(p_pair="english-japanese"), 0, "pair", "does not match"),
    (bad(predictions=[]), None, "predictions", "should be non-empty"),
    (bad(p_file="missing.json"), 0, "file", "does not exist"),
    (bad(p_answer_key="key.json"), 0, "answer_key", "does not exist"),
    (bad(p_format="audiobench-rawlog"), 0, "format", "unknown format"),
], ids=["no-model", "no-split", "typo", "bad-pair", "empty", "no-file", "no-answer-key", "bad-format"])
def test_schema_and_file_errors_name_file_prediction_and_field(tmp_path: Path, manifest: dict, item: int | None,
                                                                 field: str, message: str) -> None:
    path = write(tmp_path, manifest)
    with pytest.raises(RunManifestError) as caught:
        load_run(path)
    error = caught.value
    assert (error.path, error.item, error.field) == (str(path), item, field)
    assert message in str(error) and str(error).startswith(str(path))
    assert "\n" not in str(error)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(RunManifestError, match=r"not valid YAML \(line 2\)"):
        load_run(write(tmp_path, None, text="model: x\npredictions: [a, : b\n  c: d\n"))


def test_not_a_manifest(tmp_path: Path) -> None:
    with pytest.raises(RunManifestError, match="does not exist"):
        load_run(tmp_path / "nothing.yaml")
    with pytest.raises(RunManifestError, match="expected a mapping"):
        load_run(write(tmp_path, None, text="- a\n- b\n"))


def audiobench_log(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([{"text": "hello world", "answer": "hello world", "model_prediction": "hello world"}]),
                    encoding="utf-8")


def test_directory_infers_model_dataset_and_split_from_names(tmp_path: Path) -> None:
    audiobench_log(tmp_path / "SALMONN_7B" / "librispeech_test_other.json")
    run = load_run(tmp_path / "SALMONN_7B")
    assert run.model == "salmonn-7b"
    assert [(p.dataset, p.split, p.task) for p in run.predictions] == [("librispeech", "test-other", "asr")]


def test_directory_errors_name_what_cannot_be_inferred(tmp_path: Path) -> None:
    audiobench_log(tmp_path / "my_checkpoint" / "librispeech_test_other.json")
    with pytest.raises(RunManifestError, match="cannot infer the model") as caught:
        load_run(tmp_path / "my_checkpoint")
    assert caught.value.field == "model"
    assert load_run(tmp_path / "my_checkpoint", model="salmonn-7b").model == "salmonn-7b"
    audiobench_log(tmp_path / "my_checkpoint" / "my_own_set.json")
    with pytest.raises(RunManifestError, match="cannot infer the dataset") as caught:
        load_run(tmp_path / "my_checkpoint", model="salmonn-7b")
    assert caught.value.field == "dataset" and caught.value.path.endswith("my_own_set.json")


def test_model_key_from_folder_names() -> None:
    assert model_key_from_name("SALMONN_7B") == "salmonn-7b"
    assert model_key_from_name("Qwen2-Audio-7B-Instruct") == "qwen2-audio-7b-instruct"
