"""Importers on hostile input: a prediction set, or one named ``AudioreproError`` — never another exception.

Issue 14, findings 11-12 found ~30 inputs that crashed (directories, deep JSON, 5,000-digit integers,
lone surrogates, NaN/Infinity numbers, wrong types in every field, empty lists) or were accepted
silently. Here hypothesis mutates every field of a real record of each prediction format (from
``fixtures/predictions``) into those values, and also feeds raw bytes, through format detection and every
named format. What loads must be printable (no lone surrogates), hold only finite stored numbers and at
least one item; and scoring the loaded set under a protocol of its task must not crash either.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluators.errors import AudioreproError
from evaluators.predictions import FORMATS, PredictionSet, load_predictions

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "predictions"

#: stands for a 5,000-digit integer (Python will not even repr one): written into the JSON text by _dump
BIG_INTEGER = "\u0000big-integer"
#: the values findings 11-12 found crashing or slipping through, and ordinary ones of every JSON type
HOSTILE = st.sampled_from([
    None, True, False, 0, -1, 99, 1.9, -7.0, float("nan"), float("inf"), float("-inf"), BIG_INTEGER, "", " ",
    "\ud800", "a\udfff", "<script>x</script>", "x" * 2000, [], {}, [[]], [None], ["\ud800"], {"a": None}, "[]",
    "0", "NaN", 1e308, -0.0,
])
JSON_VALUES = st.recursive(
    st.one_of(HOSTILE, st.integers(), st.floats(allow_nan=True), st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=8)

#: one real file per format that holds predictions (fixtures shipped with the repository)
SAMPLES = {
    "audiobench-raw": FIXTURES / "audiobench" / "librispeech_mini.json",
    "audiobench-score": FIXTURES / "audiobench" / "librispeech_mini_wer_score.json",
    "mmau": FIXTURES / "mmau" / "results.json",
    "cmi-bench": FIXTURES / "cmi-bench" / "salmonn_GTZAN.json",
    "sakura-predictions": FIXTURES / "sakura" / "animal_single.json",
    "sakura-judgements": FIXTURES / "sakura" / "animal_single_judgements.json",
    "generic-jsonl": FIXTURES / "generic" / "run.jsonl",
}


def _dump(data: Any, jsonl: bool) -> str:
    if jsonl and isinstance(data, list):
        text = "".join(json.dumps(row, allow_nan=True) + "\n" for row in data)
    else:
        text = json.dumps(data, allow_nan=True)
    return text.replace(json.dumps(BIG_INTEGER), "1" + "0" * 5000)


def _read(path: Path) -> tuple[Any, bool]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines() if line.strip()], True
    return json.loads(text), False


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every location (keys/indices) of the document, the top level included."""
    out = [prefix]
    if isinstance(data, dict):
        for key, value in list(data.items())[:6]:
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data[:2]):
            out += _paths(value, (*prefix, index))
    return out


def _replace(data: Any, where: tuple[Any, ...], value: Any) -> Any:
    if not where:
        return value
    head, rest = where[0], where[1:]
    if isinstance(data, dict):
        return {**data, head: _replace(data[head], rest, value)}
    copy = list(data)
    copy[head] = _replace(copy[head], rest, value)
    return copy


def _check_loaded(loaded: PredictionSet) -> None:
    assert len(loaded) > 0
    for item in loaded:
        for text in (item.id, item.prediction, *item.references, item.prompt or ""):
            text.encode("utf-8")  # printable: no lone surrogate got through
        for value in item.metadata.values():
            if isinstance(value, float):
                assert math.isfinite(value) or item.metadata is None  # stored numbers are finite


def _load_or_named_error(path: Path, fmt: str | None) -> PredictionSet | None:
    try:
        loaded = load_predictions(path, fmt)
    except AudioreproError:
        return None
    _check_loaded(loaded)
    return loaded


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_every_field_mutated_loads_or_is_refused_by_name(tmp_path_factory: pytest.TempPathFactory, fmt: str,
                                                         data: st.DataObject) -> None:
    document, jsonl = _read(SAMPLES[fmt])
    where = data.draw(st.sampled_from(_paths(document)), label="location")
    mutated = _replace(document, where, data.draw(JSON_VALUES, label="value"))
    path = tmp_path_factory.mktemp("fuzz") / SAMPLES[fmt].name
    path.write_text(_dump(mutated, jsonl), encoding="utf-8")
    for chosen in (fmt, None):
        _load_or_named_error(path, chosen)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
                     st.integers(1, 60_000).map(lambda depth: b"[" * depth + b"]" * depth),
                     st.integers(4000, 6000).map(lambda digits: b'[{"id": 1' + b"0" * digits + b"}]")))
def test_raw_bytes_load_or_are_refused_by_name(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("raw") / "input.json"
    path.write_bytes(raw)
    for fmt in (None, *sorted(name for name, entry in FORMATS.items() if entry.kind == "predictions")):
        _load_or_named_error(path, fmt)


@pytest.mark.parametrize("protocol_id", ["ASR-AB", "ASR-CMI", "MCQ-MMAU", "LBL-CMI-SUBSTR", "ST-COVOST"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_what_loads_scores_or_is_refused_by_name(tmp_path_factory: pytest.TempPathFactory, protocol_id: str,
                                                 data: st.DataObject) -> None:
    from evaluators.protocols import get_protocol

    fmt = data.draw(st.sampled_from(sorted(SAMPLES)), label="format")
    document, jsonl = _read(SAMPLES[fmt])
    where = data.draw(st.sampled_from(_paths(document)), label="location")
    mutated = _replace(document, where, data.draw(JSON_VALUES, label="value"))
    path = tmp_path_factory.mktemp("score") / SAMPLES[fmt].name
    path.write_text(_dump(mutated, jsonl), encoding="utf-8")
    loaded = _load_or_named_error(path, fmt)
    if loaded is None:
        return
    try:
        score = get_protocol(protocol_id).score(loaded, interval=False)
    except AudioreproError:
        return
    assert score.value is None or math.isfinite(score.value)
