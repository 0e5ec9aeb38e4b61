"""Formats people's own runs come in: Qwen2-Audio eval_audio results, hyp/ref text, Kaldi text, CSV/TSV.

Each: strict detection, a good file loads, and every kind of bad input is one error naming file, item and field.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluators.errors import PredictionFormatError
from evaluators.predictions import detect_format, load_predictions
from evaluators.run_manifest import RunManifestError, dataset_of_source, load_run


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def qwen(path: Path, records: list) -> Path:
    return write(path, json.dumps(records))


QWEN = {"gt": "the cat", "response": "the cat", "source": "librispeech_test_clean", "audio_path": "a.flac"}


# ----------------------------------------------------------------------------------------- Qwen2-Audio


def test_qwen_results_load_with_source_metadata(tmp_path: Path) -> None:
    path = qwen(tmp_path / "librispeech_240101.json", [QWEN, {**QWEN, "response": "a cat", "audio_path": "a.flac"}])
    assert detect_format(path).name == "qwen2-audio-eval"
    predictions = load_predictions(path)
    assert [item.id for item in predictions] == ["0", "1"]  # audio_path may repeat: ids are positions
    assert predictions.items[1].prediction == "a cat" and predictions.items[1].reference == "the cat"
    assert predictions.items[0].metadata["source"] == "librispeech_test_clean"


@pytest.mark.parametrize(("records", "item", "field", "message"), [
    ([{**QWEN, "extra": 1}], 0, "extra", "unknown field"),
    ([QWEN, {**QWEN, "gt": 3}], 1, "gt", "expected a string"),
    ([QWEN, {k: v for k, v in QWEN.items() if k != "response"}], 1, "response", "missing field"),
    ([QWEN, {**QWEN, "source": " "}], 1, "source", "empty value"),
    ([QWEN, "text"], 1, None, "expected an object"),
], ids=["extra-field", "gt-not-string", "no-response", "empty-source", "not-object"])
def test_qwen_bad_input(tmp_path: Path, records: list, item: int, field: str | None, message: str) -> None:
    path = qwen(tmp_path / "r.json", records)
    with pytest.raises(PredictionFormatError) as caught:
        load_predictions(path, "qwen2-audio-eval")
    assert (caught.value.item, caught.value.field) == (item, field) and message in str(caught.value)


def test_qwen_empty_list_and_wrong_top_level(tmp_path: Path) -> None:
    with pytest.raises(PredictionFormatError, match="no records"):
        load_predictions(qwen(tmp_path / "r.json", []), "qwen2-audio-eval")
    with pytest.raises(PredictionFormatError, match="expected a JSON list"):
        load_predictions(write(tmp_path / "o.json", "{}"), "qwen2-audio-eval")


def test_qwen_sources_name_dataset_and_split(tmp_path: Path) -> None:
    assert dataset_of_source("librispeech_test_other") == ("librispeech", "test-other", "asr")
    assert dataset_of_source("covost2_en_de_test") == ("covost2-en-de", "test", "st")
    assert dataset_of_source("aishell2_test") is None
    folder = tmp_path / "qwen2-audio-7b"
    folder.mkdir()
    qwen(folder / "librispeech_240101.json", [QWEN])
    (prediction,) = load_run(folder).predictions
    assert (prediction.dataset, prediction.split) == ("librispeech", "test-clean")
    qwen(folder / "covost2_240101.json", [{**QWEN, "source": "covost2_en_de_test"}, {**QWEN, "source": "x_y"}])
    with pytest.raises(RunManifestError, match="holds several sources") as caught:
        load_run(folder)
    assert caught.value.field == "dataset"


# ----------------------------------------------------------------------------------------- hyp.txt / ref.txt


def test_text_lines_pair_by_line_and_find_ref_next_to_hyp(tmp_path: Path) -> None:
    hyp = write(tmp_path / "hyp.txt", "the cat sat\n\nhello world\n")
    write(tmp_path / "ref.txt", "the cat sat down\nsilence\nhello world\n")
    assert detect_format(hyp).name == "text-lines"
    predictions = load_predictions(hyp)
    assert [(i.id, i.prediction, i.reference) for i in predictions] == [
        ("1", "the cat sat", "the cat sat down"), ("2", "", "silence"), ("3", "hello world", "hello world")]
    assert predictions.metadata["empty_predictions"] == 1


def test_text_lines_bad_input(tmp_path: Path) -> None:
    hyp = write(tmp_path / "out.txt", "a\nb\n")
    with pytest.raises(PredictionFormatError, match="no reference file") as caught:
        load_predictions(hyp)
    assert caught.value.field == "references"
    refs = write(tmp_path / "gold.txt", "a\n")
    with pytest.raises(PredictionFormatError, match="2 lines, but the references .* have 1"):
        load_predictions(hyp, references=refs)
    with pytest.raises(PredictionFormatError, match="reference file not found"):
        load_predictions(hyp, references=tmp_path / "nope.txt")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"a\n\xff\n")
    with pytest.raises(PredictionFormatError, match="not valid UTF-8"):
        load_predictions(hyp, references=binary)


# ----------------------------------------------------------------------------------------- Kaldi


def test_kaldi_text_joins_by_utterance_id(tmp_path: Path) -> None:
    hyp = write(tmp_path / "hyp.trn", "spk1-utt2 hello\nspk1-utt1 the cat sat\nspk1-utt3\n")
    write(tmp_path / "ref.trn", "spk1-utt1 the cat sat down\nspk1-utt2 hello there\nspk1-utt3 \n")
    assert detect_format(hyp).name == "kaldi-text"
    predictions = load_predictions(hyp)
    assert [(i.id, i.prediction, i.reference) for i in predictions] == [
        ("spk1-utt2", "hello", "hello there"), ("spk1-utt1", "the cat sat", "the cat sat down"), ("spk1-utt3", "", "")]


@pytest.mark.parametrize(("hyp", "ref", "message", "item"), [
    ("u_1 a\nu_1 b\n", "u_1 a\n", r"duplicate utterance id 'u_1' \(first on line 1\)", "line 2"),
    ("u_1 a\nu_2 b\n", "u_1 a\n", r"1 utterance id\(s\) not in the references", None),
    ("u_1 a\n", "u_1 a\nu_2 b\n", "of the references .* have no hypothesis: u_2", None),
], ids=["duplicate", "missing-ref", "extra-ref"])
def test_kaldi_bad_input(tmp_path: Path, hyp: str, ref: str, message: str, item: str | None) -> None:
    hyp_path = write(tmp_path / "h.txt", hyp)
    with pytest.raises(PredictionFormatError, match=message) as caught:
        load_predictions(hyp_path, "kaldi-text", references=write(tmp_path / "r.txt", ref))
    assert caught.value.item == item and caught.value.field == "id"


# ----------------------------------------------------------------------------------------- CSV / TSV


def test_csv_with_metadata_columns_and_several_references(tmp_path: Path) -> None:
    path = write(tmp_path / "run.csv", 'id,prediction,references,source\n1,"hello, world",hello world ||| hi,'
                                       "covost2_en_de\n2,bye,bye,covost2_en_de\n")
    assert detect_format(path).name == "csv"
    first = load_predictions(path).items[0]
    assert first.prediction == "hello, world" and first.references == ("hello world", "hi")
    assert first.metadata == {"source": "covost2_en_de"}


def test_tsv(tmp_path: Path) -> None:
    path = write(tmp_path / "run.tsv", "id\tprediction\treference\tprompt\na\tx y\tx z\tTranscribe.\n")
    item = load_predictions(path).items[0]
    assert (item.id, item.prediction, item.reference, item.prompt) == ("a", "x y", "x z", "Transcribe.")


@pytest.mark.parametrize(("text", "item", "field", "message"), [
    ("id,prediction\n1,a\n", None, "reference", "give exactly one"),
    ("id,prediction,reference,reference\n1,a,b,c\n", None, "reference", "column appears twice"),
    ("id,prediction,reference\n1,a,b\n1,c,d\n", "row 3", "id", "duplicate id '1' (first in row 2)"),
    ("id,prediction,reference\n1,a\n", "row 2", None, "2 cells, the header has 3"),
    ("id,prediction,reference\n,a,b\n", "row 2", "id", "empty id"),
    ("id,prediction,reference\n", None, None, "no rows below the header"),
], ids=["no-reference-column", "duplicate-column", "duplicate-id", "short-row", "empty-id", "header-only"])
def test_csv_bad_input(tmp_path: Path, text: str, item: str | None, field: str | None, message: str) -> None:
    with pytest.raises(PredictionFormatError) as caught:
        load_predictions(write(tmp_path / "run.csv", text), "csv")
    assert (caught.value.item, caught.value.field) == (item, field) and message in str(caught.value)


def test_csv_without_the_columns_is_not_detected(tmp_path: Path) -> None:
    with pytest.raises(PredictionFormatError, match="format not recognised"):
        detect_format(write(tmp_path / "scores.csv", "model,wer\nx,0.1\n"))


def test_a_broken_json_file_still_reports_the_json_error(tmp_path: Path) -> None:
    with pytest.raises(PredictionFormatError, match="line 1"):
        load_predictions(write(tmp_path / "broken.json", '[{"gt": "a",'))
