"""AudioBench evaluation logs (AudioLLMs/AudioBench ``log/<model>/<dataset>*.json``).

Three kinds of file sit side by side in AudioBench's log folders:

* the **raw log** ``<dataset>.json`` (format ``audiobench-raw``): a JSON list, one object per test
  item in dataset order, with ``text`` (the instruction paraphrase used), ``answer`` (reference),
  ``model_prediction`` (raw model output) and optionally ``task_type``. Items have no ids; AudioBench
  keeps the same order across models, so the index is the id.
* the **WER score file** ``<dataset>_wer_score.json`` (format ``audiobench-score``): ``{"wer": corpus
  WER as a fraction, "sample_wer": [{"reference", "prediction", "wer"}, ...]}`` where reference and
  prediction are the texts *after* AudioBench's ASR normaliser, in raw-log order. The items become a
  ``PredictionSet`` of normalised texts (each item's stored ``wer`` in its metadata, the stored corpus
  ``wer`` in the set metadata): an item-by-item oracle for an implementation of the normaliser.
  ``load_raw_log(..., score_file=...)`` attaches the same oracle to the raw items.
* **aggregate-only** score files such as ``covost2_en_zh_test_bleu_score.json`` (``{"bleu": 33.9}``):
  no per-item data, so they are not a prediction set. :func:`read_aggregate_score` returns the stored
  number as an :class:`AggregateScore`; ``load_predictions`` refuses them with a message saying so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluators.errors import PredictionFormatError
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import (
    count_empty,
    read_json,
    require_list,
    require_number,
    require_object,
    require_record,
    require_str,
)

#: letters and digits of any script (the raw-log / score-file pairing check compares them)
_WORD_CHARS = re.compile(r"\w")
RAW_LOG_FIELDS = ("text", "answer", "model_prediction")
SCORE_ITEM_FIELDS = ("reference", "prediction", "wer")


def looks_like_raw_log(data: object) -> bool:
    return (isinstance(data, list) and bool(data) and isinstance(data[0], dict)
            and all(field in data[0] for field in RAW_LOG_FIELDS))


def looks_like_score_file(data: object) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("sample_wer"), list) and "wer" in data)


def looks_like_aggregate(data: object) -> bool:
    """A JSON object whose every value is a number: a stored aggregate without per-item data."""
    return (isinstance(data, dict) and bool(data)
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in data.values()))


@dataclass(frozen=True)
class StoredScoreItem:
    """One ``sample_wer`` entry: AudioBench-normalised reference and prediction and their WER."""

    reference: str
    prediction: str
    wer: float


def _read_score_items(path: Path, data: Any) -> tuple[float, list[StoredScoreItem]]:
    record = require_object(path, data, 'a JSON object {"wer": ..., "sample_wer": [...]}')
    corpus_wer = require_number(path, record, "wer", None, minimum=0.0)
    if "sample_wer" not in record:
        raise PredictionFormatError(path, "missing field", field="sample_wer")
    samples = require_list(path, record["sample_wer"], "'sample_wer' to be a list of items")
    items = []
    for index, sample in enumerate(samples):
        sample = require_record(path, sample, index)
        items.append(StoredScoreItem(reference=require_str(path, sample, "reference", index),
                                     prediction=require_str(path, sample, "prediction", index),
                                     wer=require_number(path, sample, "wer", index, minimum=0.0)))
    return corpus_wer, items


def load_score_file(path: str | Path, *, data: object = None) -> PredictionSet:
    """Read a ``*_wer_score.json`` into a ``PredictionSet`` of normalised texts (id = item index)."""
    path = Path(path)
    corpus_wer, stored = _read_score_items(path, read_json(path) if data is None else data)
    items = tuple(PredictionItem(id=str(index), prediction=entry.prediction, references=(entry.reference,),
                                 metadata={"wer": entry.wer, "index": index})
                  for index, entry in enumerate(stored))
    return PredictionSet(name=path.stem, source=str(path), items=items,
                         metadata={"format": "audiobench-score", "wer": corpus_wer,
                                   "empty_predictions": count_empty(i.prediction for i in items),
                                   "normalised": True})


def _bigrams(text: str) -> set[str]:
    letters = "".join(_WORD_CHARS.findall(text.lower()))
    return {letters[i:i + 2] for i in range(len(letters) - 1)} or {letters}


def _check_same_items(path: Path, records: list[Any], score_path: Path, stored: list[StoredScoreItem]) -> None:
    """The score file must hold the raw log's items *in the same order*, not just as many.

    Its references are AudioBench-normalised, so they are compared loosely: the character bigrams of
    the raw answer and of the stored reference overlap (Jaccard >= 0.3) for every item of a real pair
    (LibriSpeech, TED-LIUM: >= 99.8 %) and for < 7 % of a shuffled one. More than half not
    overlapping means another order or another dataset.
    """
    mismatched = []
    for index, (record, entry) in enumerate(zip(records, stored, strict=True)):
        answer = record.get("answer") if isinstance(record, Mapping) else None
        if not isinstance(answer, str):
            continue  # reported with its field by the item reader
        own, theirs = _bigrams(answer), _bigrams(entry.reference)
        if len(own & theirs) < 0.3 * len(own | theirs):
            mismatched.append(index)
    if records and len(mismatched) * 2 > len(records):
        first = mismatched[0]
        raise PredictionFormatError(
            path, f"the score file {score_path} does not hold this log's items in this order: {len(mismatched)} of "
                  f"{len(records)} stored references do not match the raw answers (first: item {first}, "
                  f"{str(records[first].get('answer'))[:60]!r} vs {stored[first].reference[:60]!r})")


def load_raw_log(path: str | Path, *, data: object = None, score_file: str | Path | None = None) -> PredictionSet:
    """Read an AudioBench raw log into a ``PredictionSet`` (id = item index).

    With ``score_file`` (the ``*_wer_score.json`` of the same run), each item's metadata also gets
    ``normalised_reference``, ``normalised_prediction`` and ``stored_wer``, and the set metadata the
    stored corpus ``stored_wer``. The two files must have the same number of items.
    """
    path = Path(path)
    records = require_list(path, read_json(path) if data is None else data)
    stored: list[StoredScoreItem] | None = None
    set_metadata: dict[str, Any] = {"format": "audiobench-raw"}
    if score_file is not None:
        score_path = Path(score_file)
        corpus_wer, stored = _read_score_items(score_path, read_json(score_path))
        if len(stored) != len(records):
            raise PredictionFormatError(
                path, f"{len(records)} items but the score file {score_path} has {len(stored)}; "
                      "they must come from the same run")
        _check_same_items(path, records, score_path, stored)
        set_metadata |= {"score_file": str(score_path), "stored_wer": corpus_wer}
    items = []
    for index, record in enumerate(records):
        record = require_record(path, record, index)
        prompt = require_str(path, record, "text", index)
        answer = require_str(path, record, "answer", index)
        prediction = require_str(path, record, "model_prediction", index)
        metadata: dict[str, Any] = {"task_type": record.get("task_type"), "index": index}
        if stored is not None:
            entry = stored[index]
            metadata |= {"normalised_reference": entry.reference, "normalised_prediction": entry.prediction,
                         "stored_wer": entry.wer}
        items.append(PredictionItem(id=str(index), prediction=prediction, references=(answer,),
                                    prompt=prompt, metadata=metadata))
    set_metadata["empty_predictions"] = count_empty(item.prediction for item in items)
    return PredictionSet(name=path.stem, source=str(path), items=tuple(items), metadata=set_metadata)


@dataclass(frozen=True)
class AggregateScore:
    """A number AudioBench stored without per-item data (e.g. CoVoST2 BLEU): evidence, not a set.

    ``values`` holds every stored metric (usually one, e.g. ``{"bleu": 33.89}``); ``value`` is the
    only one when there is exactly one.
    """

    source: str
    values: Mapping[str, float]

    @property
    def metric(self) -> str:
        if len(self.values) != 1:
            raise ValueError(f"{self.source} stores {len(self.values)} metrics: {', '.join(self.values)}")
        return next(iter(self.values))

    @property
    def value(self) -> float:
        return self.values[self.metric]


def read_aggregate_score(path: str | Path, *, data: object = None) -> AggregateScore:
    """Read an aggregate-only score file such as ``covost2_en_zh_test_bleu_score.json``."""
    path = Path(path)
    record = require_object(path, read_json(path) if data is None else data)
    if not record:
        raise PredictionFormatError(path, "empty object: no stored score")
    values = {name: require_number(path, record, name, None) for name in record}
    return AggregateScore(source=str(path), values=values)
