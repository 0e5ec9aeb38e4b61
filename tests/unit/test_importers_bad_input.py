"""Every bad-input class against every importer: one clear error naming the file, the item and the field.

Classes: malformed JSON, missing field, wrong type, duplicate id, count mismatch with separate
references, empty model output (allowed and counted), non-UTF-8 bytes, a huge field. Each case starts
from a valid hand-made fixture, breaks it one way, and checks the message.

Not applicable, by construction: duplicate ids in AudioBench files (ids are positions); count
mismatch where references are inline (CMI-Bench, generic JSONL, AudioBench score files, MMAU
without a key); empty outputs in reference-only files (MMAU answer key, SAKURA metadata).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from evaluators.errors import PredictionFormatError
from evaluators.predictions import load_predictions, load_references
from evaluators.predictions.reading import MAX_FIELD_CHARS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "predictions"


@dataclass(frozen=True)
class Importer:
    fmt: str
    fixture: str
    layout: str              # list | sample_wer | results | keyed | jsonl
    text_field: str          # a string field of an item
    required: str            # a field the importer needs
    prediction_field: str | None = None
    references_only: bool = False
    duplicate_options: tuple[tuple[str, Any], ...] = ()  # what makes a repeated id an error

    def load(self, path: Path, **options: Any) -> Any:
        if self.references_only:
            return load_references(path, self.fmt, **options)
        return load_predictions(path, self.fmt, **options)

    def data(self) -> Any:
        path = FIXTURES / self.fixture
        if self.layout == "jsonl":
            return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
        return json.loads(path.read_text())

    def records(self, data: Any) -> list[Any]:
        """The mutable item records of ``data``, in order."""
        if self.layout in ("list", "jsonl"):
            return data
        if self.layout == "sample_wer":
            return data["sample_wer"]
        if self.layout == "results":
            return list(data["results"].values())
        return list(data.values())

    def item_name(self, data: Any, position: int) -> str:
        """How the error message names item ``position``."""
        if self.layout in ("list", "sample_wer"):
            return f"item {position}"
        if self.layout == "jsonl":
            return f"item line {position + 1}"
        keys = list(data["results"] if self.layout == "results" else data)
        return f"item {keys[position]}"

    def dump(self, data: Any) -> str:
        if self.layout == "jsonl":
            return "\n".join(json.dumps(record) for record in data) + "\n"
        return json.dumps(data, indent=1)


IMPORTERS = [
    Importer("audiobench-raw", "audiobench/librispeech_mini.json", "list", "model_prediction", "answer",
             prediction_field="model_prediction"),
    Importer("audiobench-score", "audiobench/librispeech_mini_wer_score.json", "sample_wer", "prediction",
             "reference", prediction_field="prediction"),
    Importer("mmau", "mmau/results.json", "list", "model_prediction", "question", prediction_field="model_prediction"),
    Importer("mmau-answer-key", "mmau/answer-key@rev2.json", "list", "answer", "choices", references_only=True),
    Importer("cmi-bench", "cmi-bench/salmonn_GTZAN.json", "list", "response", "correct_answer",
             prediction_field="response", duplicate_options=(("duplicates", "error"),)),
    Importer("sakura-metadata", "sakura/Animal/metadata.json", "keyed", "single_answer", "multi_instruction",
             references_only=True),
    Importer("sakura-predictions", "sakura/animal_single.json", "results", "response", "label",
             prediction_field="response"),
    Importer("sakura-judgements", "sakura/animal_single_judgements.json", "results", "Judgement", "Explanation",
             prediction_field="response"),
    Importer("generic-jsonl", "generic/run.jsonl", "jsonl", "prediction", "id", prediction_field="prediction"),
]
BY_NAME = {importer.fmt: importer for importer in IMPORTERS}
ALL = pytest.mark.parametrize("importer", IMPORTERS, ids=lambda i: i.fmt)


def write(tmp_path: Path, importer: Importer, text: str | bytes) -> Path:
    path = tmp_path / Path(importer.fixture).name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def expect_error(importer: Importer, path: Path, *parts: str, **options: Any) -> PredictionFormatError:
    with pytest.raises(PredictionFormatError) as caught:
        importer.load(path, **options)
    message = str(caught.value)
    assert message.startswith(str(path)), message
    for part in parts:
        assert part in message, f"{part!r} not in {message!r}"
    return caught.value


@ALL
def test_the_fixture_itself_loads(importer):
    assert importer.load(FIXTURES / importer.fixture)


@ALL
def test_malformed_json(importer, tmp_path):
    text = importer.dump(importer.data())
    path = write(tmp_path, importer, text[: len(text) * 2 // 3])
    expect_error(importer, path, "malformed JSON")


@ALL
def test_missing_field(importer, tmp_path):
    data = importer.data()
    del importer.records(data)[1][importer.required]
    path = write(tmp_path, importer, importer.dump(data))
    expect_error(importer, path, importer.item_name(data, 1), f"field '{importer.required}'", "missing field")


@ALL
def test_wrong_type(importer, tmp_path):
    data = importer.data()
    importer.records(data)[1][importer.text_field] = 12345
    path = write(tmp_path, importer, importer.dump(data))
    expect_error(importer, path, importer.item_name(data, 1), f"field '{importer.text_field}'")


@ALL
def test_not_an_item_container(importer, tmp_path):
    path = write(tmp_path, importer, "42\n" if importer.layout != "jsonl" else "42\n43\n")
    expect_error(importer, path)


@ALL
def test_non_utf8(importer, tmp_path):
    raw = importer.dump(importer.data()).encode("utf-8")
    second_line = raw.index(b"\n") + 1
    quote = raw.index(b'"', second_line) + 1
    path = write(tmp_path, importer, raw[:quote] + b"\xff\xfe" + raw[quote:])
    line = raw.count(b"\n", 0, quote) + 1
    expect_error(importer, path, "not valid UTF-8", "byte 0xff", f"offset {quote}", f"(line {line})")


@ALL
def test_huge_field(importer, tmp_path):
    data = importer.data()
    importer.records(data)[1][importer.text_field] = "x" * (MAX_FIELD_CHARS + 1)
    path = write(tmp_path, importer, importer.dump(data))
    expect_error(importer, path, importer.item_name(data, 1), f"field '{importer.text_field}'",
                 f"{MAX_FIELD_CHARS + 1} characters")


def _duplicate_keyed(importer: Importer, data: dict) -> str:
    """JSON text whose item object repeats the first key (json.dumps cannot write that)."""
    container = data["results"] if importer.layout == "results" else data
    first_key, first_value = next(iter(container.items()))
    members = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in container.items()]
    members.append(f"{json.dumps(first_key)}: {json.dumps(first_value)}")
    body = "{" + ", ".join(members) + "}"
    if importer.layout == "results":
        return json.dumps({**data, "results": "@@"}).replace('"@@"', body)
    return body


DUPLICATES: dict[str, tuple[Callable[[Importer, Any], str], str]] = {
    "mmau": (lambda imp, d: imp.dump([*d, dict(d[0], audio_id="./x/other.wav")]), "duplicate id 'q-1'"),
    "mmau-answer-key": (lambda imp, d: imp.dump([*d, dict(d[0], id="q-99")]), "appears twice"),
    "cmi-bench": (lambda imp, d: imp.dump([d[0], *d]), "duplicate audioid"),
    "sakura-metadata": (_duplicate_keyed, "duplicate key 'data/Animal/audio/dog1.wav'"),
    "sakura-predictions": (_duplicate_keyed, "duplicate key 'data/Animal/audio/dog1.wav'"),
    "sakura-judgements": (_duplicate_keyed, "duplicate key 'data/Animal/audio/dog1.wav'"),
    "generic-jsonl": (lambda imp, d: imp.dump([*d, dict(d[1], id="utt-1")]), "duplicate id 'utt-1' (first on line 1)"),
}


@pytest.mark.parametrize("fmt", sorted(DUPLICATES))
def test_duplicate_id(fmt, tmp_path):
    importer = BY_NAME[fmt]
    make, message = DUPLICATES[fmt]
    path = write(tmp_path, importer, make(importer, importer.data()))
    expect_error(importer, path, message, **dict(importer.duplicate_options))


def test_cmi_bench_numbers_repeated_audioids_by_default(tmp_path):
    importer = BY_NAME["cmi-bench"]
    data = importer.data()
    path = write(tmp_path, importer, importer.dump([data[0], *data]))
    loaded = importer.load(path)
    assert [item.id for item in loaded][:2] == [data[0]["audioid"], data[0]["audioid"] + "#2"]
    assert loaded.metadata["duplicate_audioids"] == 2


@pytest.mark.parametrize("importer", [i for i in IMPORTERS if i.prediction_field], ids=lambda i: i.fmt)
def test_empty_output_is_kept_and_counted(importer, tmp_path):
    data = importer.data()
    for record in importer.records(data):
        record[importer.prediction_field] = "  "
    importer.records(data)[0][importer.prediction_field] = ""
    path = write(tmp_path, importer, importer.dump(data))
    loaded = importer.load(path)
    assert loaded.metadata["empty_predictions"] == len(loaded)
    assert loaded[0].prediction == ""


@pytest.mark.parametrize("importer", [i for i in IMPORTERS if i.prediction_field], ids=lambda i: i.fmt)
def test_null_output_is_an_empty_output_or_an_error_naming_it(importer, tmp_path):
    """JSON null as model output: the formats whose writers emit null for 'no output' read it as empty."""
    data = importer.data()
    importer.records(data)[1][importer.prediction_field] = None
    path = write(tmp_path, importer, importer.dump(data))
    if importer.fmt in ("audiobench-raw", "audiobench-score"):
        expect_error(importer, path, importer.item_name(data, 1), f"field '{importer.prediction_field}'")
    else:
        assert importer.load(path)[1].prediction == ""


# -- count mismatch where references live in a separate file ---------------------------------------

def _short_copy(source: Path, tmp_path: Path, drop: Callable[[Any], None]) -> Path:
    data = json.loads(source.read_text())
    drop(data)
    path = tmp_path / ("short-" + source.name)
    path.write_text(json.dumps(data))
    return path


def test_count_mismatch_audiobench_raw_log_vs_score_file(tmp_path):
    score = _short_copy(FIXTURES / "audiobench/librispeech_mini_wer_score.json", tmp_path,
                        lambda d: d["sample_wer"].pop())
    with pytest.raises(PredictionFormatError, match=r"librispeech_mini.json: 3 items but the score file .* has 2"):
        load_predictions(FIXTURES / "audiobench/librispeech_mini.json", "audiobench-raw", score_file=score)


def test_count_mismatch_mmau_predictions_vs_answer_key(tmp_path):
    key = _short_copy(FIXTURES / "mmau/answer-key@rev2.json", tmp_path, lambda d: d.pop(0))
    with pytest.raises(PredictionFormatError, match=r"results.json, item 0 \(id q-1\): not in the answer key"):
        load_predictions(FIXTURES / "mmau/results.json", answer_key=key, on_missing="error")
    reported = load_predictions(FIXTURES / "mmau/results.json", answer_key=key)
    assert reported.metadata["answer_key"]["missing"] == 2  # default: reported, not raised


def test_count_mismatch_sakura_judgements_vs_predictions(tmp_path):
    judgements = _short_copy(FIXTURES / "sakura/animal_single_judgements.json", tmp_path,
                             lambda d: d["results"].pop("data/Animal/audio/dog1.wav"))
    with pytest.raises(PredictionFormatError, match=r"1 judgements but 2 predictions .*first missing"):
        load_predictions(judgements, predictions=FIXTURES / "sakura/animal_single.json")


def test_count_mismatch_sakura_predictions_vs_metadata(tmp_path):
    metadata = _short_copy(FIXTURES / "sakura/Animal/metadata.json", tmp_path,
                           lambda d: d.pop("data/Animal/audio/duck2.wav"))
    with pytest.raises(PredictionFormatError, match=re.escape("item data/Animal/audio/duck2.wav: not an audio of")):
        load_predictions(FIXTURES / "sakura/animal_single.json", metadata=metadata)


def test_nothing_is_half_loaded_the_error_comes_before_any_result(tmp_path):
    """A bad last item fails the whole load: there is no partial set to pick up."""
    importer = BY_NAME["mmau"]
    data = importer.data()
    broken = copy.deepcopy(data)
    del broken[-1]["answer"]
    path = write(tmp_path, importer, importer.dump(broken))
    expect_error(importer, path, f"item {len(data) - 1}", "field 'answer'")


@ALL
def test_oversized_file_is_refused_before_reading(importer, monkeypatch):
    from evaluators.predictions import reading

    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 16)
    path = FIXTURES / importer.fixture
    expect_error(importer, path, f"file is {path.stat().st_size} bytes, above the 16-byte limit")


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 200 + "]" * 200, None),                                  # at the limit: parsed
    ("[" * 201 + "]" * 201, "nested deeper than 200 levels"),       # parses, refused by the walk
    ('[{"a": ' * 101 + "1" + "}]" * 101, "nested deeper than 200 levels"),
    ("[" * 201 + "]" * 200, "nested deeper than 200 levels"),       # malformed and too deep: depth first
    ("[" * 50_000 + "]" * 50_000, "nested deeper than 200 levels"),  # beyond Python's recursion limit
    ('[{"a": 1, "a": 2}' + ", []" * 300 + "]", "duplicate key 'a'"),  # many brackets, shallow
    ('["[[[[' + "[" * 300 + '"]', None),                            # brackets inside a string do not nest
])
def test_json_nesting_limit(text, message):
    from evaluators.predictions.reading import parse_json

    if message is None:
        parse_json("f.json", text)
        return
    with pytest.raises(PredictionFormatError, match=re.escape(message)):
        parse_json("f.json", text)
