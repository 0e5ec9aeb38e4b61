"""MMAU result lists and answer keys (Sakshi113/MMAU ``mmau-test-mini.json`` and model outputs built on it).

A **result list** (format ``mmau``; e.g. YukinoWan/Information-Maximun-Decoding
``evaluation/test_<model>/res_mmau_mini.json``) is a JSON list of MMAU items, each with ``id``,
``audio_id``, ``question``, ``choices``, ``answer``, ``dataset``, ``task``, ``split``, ``category``,
``sub-category``, ``difficulty`` and the model output in ``model_prediction`` (MMAU's own
``evaluation.py`` calls it ``model_output``; either is accepted). ``choices`` is a JSON list or a
Python-list literal stored as a string; strings are parsed with ``ast.literal_eval`` (never ``eval``).

An **answer key** (format ``mmau-answer-key``) is the benchmark's item list without model outputs.
MMAU revised it several times (answers corrected, items replaced), so the same predictions give
different accuracies under different revisions. ``load_mmau(..., answer_key=key)`` takes the answer,
choices and labels from ``key`` instead of the prediction file, joining on **audio file name +
question text** (the identity MMAU keeps across revisions).

Decision on prediction items the key does not have: with ``on_missing="report"`` (default) they are
left out of the set, and the set metadata says how many and which (``answer_key.missing``,
``answer_key.missing_ids``), along with key items that no prediction covers
(``answer_key.unanswered``); a protocol then scores the joined items only and the count travels with
the set. ``on_missing="error"`` raises instead, naming the first missing item. Duplicate join keys
inside an answer key always raise: the join would be ambiguous.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from evaluators.errors import PredictionFormatError
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import (
    count_empty,
    read_json,
    require_id,
    require_list,
    require_record,
    require_str,
)

OUTPUT_FIELDS = ("model_prediction", "model_output")
LABEL_FIELDS = ("dataset", "task", "split", "category", "sub-category", "difficulty")
MISSING_POLICIES = ("report", "error")

JoinKey = tuple[str, str]


def _is_item_list(data: object) -> bool:
    return (isinstance(data, list) and bool(data) and isinstance(data[0], dict)
            and all(name in data[0] for name in ("audio_id", "question", "choices", "answer")))


def looks_like_results(data: object) -> bool:
    return _is_item_list(data) and any(name in data[0] for name in OUTPUT_FIELDS)  # type: ignore[index]


def looks_like_answer_key(data: object) -> bool:
    return _is_item_list(data) and not any(name in data[0] for name in OUTPUT_FIELDS)  # type: ignore[index]


def parse_choices(path: str | Path, value: Any, item: object) -> tuple[str, ...]:
    """The option texts: a JSON list of strings, or a string holding a Python list literal."""
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            raise PredictionFormatError(path, f"not a Python list literal: {value[:80]!r}",
                                        item=item, field="choices") from None
    if not isinstance(value, (list, tuple)) or not all(isinstance(choice, str) for choice in value):
        raise PredictionFormatError(path, f"expected a list of option strings, got {str(value)[:80]!r}",
                                    item=item, field="choices")
    if not value:
        raise PredictionFormatError(path, "no options: a multiple-choice item needs its option texts",
                                    item=item, field="choices")
    return tuple(value)


def audio_file_name(audio_id: str) -> str:
    """The file name part of ``audio_id`` (``./test-mini-audios/<uuid>.wav`` -> ``<uuid>.wav``)."""
    return PurePosixPath(audio_id.replace("\\", "/")).name


@dataclass(frozen=True)
class MMAUQuestion:
    """One question of an MMAU item list: what is asked, the options, the right option and its labels."""

    audio_id: str
    question: str
    choices: tuple[str, ...]
    answer: str
    labels: Mapping[str, Any] = field(default_factory=dict)
    id: str | None = None

    @property
    def join_key(self) -> JoinKey:
        return (audio_file_name(self.audio_id), self.question)


def _read_question(path: Path, record: Mapping[str, Any], index: int) -> MMAUQuestion:
    audio_id = require_str(path, record, "audio_id", index, allow_empty=False)
    question = require_str(path, record, "question", index)
    if "choices" not in record:
        raise PredictionFormatError(path, "missing field", item=index, field="choices")
    choices = parse_choices(path, record["choices"], index)
    answer = require_str(path, record, "answer", index)
    labels = {name: record[name] for name in LABEL_FIELDS if name in record}
    item_id = require_id(path, record, "id", index) if "id" in record else None
    return MMAUQuestion(audio_id=audio_id, question=question, choices=choices, answer=answer,
                        labels=labels, id=item_id)


@dataclass(frozen=True)
class MMAUAnswerKey:
    """An MMAU answer-key revision, indexed by (audio file name, question text)."""

    source: str
    revision: str | None
    questions: tuple[MMAUQuestion, ...]

    def __post_init__(self) -> None:
        index: dict[JoinKey, MMAUQuestion] = {}
        for position, question in enumerate(self.questions):
            key = question.join_key
            if key in index:
                raise PredictionFormatError(
                    self.source, f"audio {key[0]!r} with question {key[1][:60]!r} appears twice "
                                 f"(join key must be unique)", item=position)
            index[key] = question
        object.__setattr__(self, "_index", index)

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, key: JoinKey) -> MMAUQuestion | None:
        return self._index.get(key)  # type: ignore[attr-defined]


def _revision_from_name(path: Path) -> str | None:
    """``mmau-test-mini@1f675a9.json`` -> ``1f675a9`` (the shared files name the key's commit)."""
    return path.stem.rsplit("@", 1)[1] if "@" in path.stem else None


def load_answer_key(path: str | Path, *, data: object = None, revision: str | None = None) -> MMAUAnswerKey:
    """Read an MMAU answer key (item list without outputs). ``revision`` defaults to ``@<rev>`` in the name."""
    path = Path(path)
    records = require_list(path, read_json(path) if data is None else data)
    if not records:
        raise PredictionFormatError(path, "the answer key has no items")
    questions = tuple(_read_question(path, require_record(path, record, index), index)
                      for index, record in enumerate(records))
    return MMAUAnswerKey(source=str(path), revision=revision or _revision_from_name(path), questions=questions)


def _model_output(path: Path, record: Mapping[str, Any], index: int) -> str:
    for name in OUTPUT_FIELDS:
        if name in record:
            return require_str(path, record, name, index, allow_none=True)
    raise PredictionFormatError(path, f"missing field (the model output: one of {', '.join(OUTPUT_FIELDS)})",
                                item=index, field=OUTPUT_FIELDS[0])


def load_mmau(path: str | Path, *, data: object = None, answer_key: str | Path | MMAUAnswerKey | None = None,
              on_missing: str = "report") -> PredictionSet:
    """Read an MMAU result list; with ``answer_key``, score against that key revision (see module doc).

    Item id: ``id`` when present, else the audio file name. Item metadata: ``choices`` (tuple),
    ``audio_id``, ``question``, the labels (``dataset``, ``task``, ``split``, ``category``,
    ``sub-category``, ``difficulty``) and ``index``; with a key also ``file_answer`` (the answer the
    prediction file carried). ``prompt`` is the question text.
    """
    if on_missing not in MISSING_POLICIES:
        raise ValueError(f"on_missing must be one of {MISSING_POLICIES}, got {on_missing!r}")
    path = Path(path)
    records = require_list(path, read_json(path) if data is None else data)
    key = load_answer_key(answer_key) if isinstance(answer_key, (str, Path)) else answer_key
    items = []
    missing_ids: list[str] = []
    covered: set[JoinKey] = set()
    for index, record in enumerate(records):
        record = require_record(path, record, index)
        own = _read_question(path, record, index)
        prediction = _model_output(path, record, index)
        item_id = own.id if own.id is not None else audio_file_name(own.audio_id)
        question = own
        metadata: dict[str, Any] = {}
        if key is not None:
            keyed = key.get(own.join_key)
            if keyed is None:
                if on_missing == "error":
                    raise PredictionFormatError(
                        path, f"not in the answer key {key.source} (joined on audio file {own.join_key[0]!r} "
                              f"+ question text); pass on_missing='report' to score the rest",
                        item=f"{index} (id {item_id})")
                missing_ids.append(item_id)
                continue
            covered.add(own.join_key)
            question = keyed
            metadata["file_answer"] = own.answer
        metadata |= {"choices": question.choices, "audio_id": own.audio_id, "question": own.question,
                     **question.labels, "index": index}
        items.append(PredictionItem(id=item_id, prediction=prediction, references=(question.answer,),
                                    prompt=own.question, metadata=metadata))
    if key is not None and records and not items:
        raise PredictionFormatError(path, f"none of its {len(records)} items is in the answer key {key.source} "
                                          "(joined on audio file name + question text): another benchmark or split?")
    set_metadata: dict[str, Any] = {"format": "mmau", "empty_predictions": count_empty(i.prediction for i in items)}
    if key is not None:
        set_metadata["answer_key"] = {
            "source": key.source, "revision": key.revision, "matched": len(items),
            "missing": len(missing_ids), "missing_ids": tuple(missing_ids),
            "unanswered": len(key) - len(covered),
        }
    return PredictionSet(name=path.stem, source=str(path), items=tuple(items), metadata=set_metadata)
