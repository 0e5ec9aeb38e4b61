"""SAKURA benchmark files (ckyang1124/SAKURA): track metadata, model predictions, LLM-judge judgements.

Three formats, as described in the repository's ``evaluation/README.md`` and ``data/*/metadata.json``:

* ``sakura-metadata`` — ``data/<Track>/metadata.json``: an object keyed by audio path
  (``data/Animal/audio/dog28.wav``) whose values hold ``attribute_label``, ``single_instruction``,
  ``single_answer``, ``multi_instruction``, ``multi_answer`` (and, for Language, ``gender``). It has
  **no model outputs**, so it is not a prediction set: :func:`load_metadata` returns
  :class:`SakuraReferences`, the questions and right answers of one track for both hops, to which
  predictions are joined (:meth:`SakuraReferences.join` for a runner's outputs, or the ``metadata=``
  option of :func:`load_prediction_file`, which checks a prediction file against it).
* ``sakura-predictions`` — what the README asks a model run to save, the input of ``llm_judge.py``:
  ``{"attribute": <track>, "type": <hop>, "results": {<key>: {"instruction", "response", "label"}}}``.
* ``sakura-judgements`` — ``<name>_judgements.json`` written by ``llm_judge.py``:
  ``{"judge_model", "temperature", "top_p", "max_tokens", "results": {<key>: {"Explanation",
  "Judgement", "instruction", "model_response", "label"}}}`` (forks that keep the input's ``response``
  field are read too). Each item keeps the judge's raw
  ``judgement`` and ``explanation`` in its metadata; ``calculate_acc.py``'s counting is protocol
  J-SAKURA's business, not the importer's. With ``predictions=`` the judgements must cover exactly
  the keys of that prediction file, with the same responses (a judge run over a different or
  partial file is an error, not a silently smaller denominator).

Ids are the result keys. Some single-hop answers in the metadata carry a leading space
(``" (d) angry"``); references are kept exactly as stored, comparisons below strip spaces.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from evaluators.errors import PredictionFormatError
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import (
    count_empty,
    optional_number,
    read_json,
    require_object,
    require_record,
    require_str,
)

TRACKS = ("Animal", "Emotion", "Gender", "Language")
HOPS = ("single", "multi")
METADATA_FIELDS = ("attribute_label", "single_instruction", "single_answer", "multi_instruction", "multi_answer")
RESULT_FIELDS = ("instruction", "response", "label")
JUDGE_SETTINGS = ("judge_model", "temperature", "top_p", "max_tokens")


def looks_like_metadata(data: object) -> bool:
    if not isinstance(data, dict) or not data:
        return False
    first = next(iter(data.values()))
    return isinstance(first, dict) and all(name in first for name in METADATA_FIELDS)


def looks_like_predictions(data: object) -> bool:
    return (isinstance(data, dict) and isinstance(data.get("results"), dict)
            and "judge_model" not in data and ("attribute" in data or "type" in data))


def looks_like_judgements(data: object) -> bool:
    return isinstance(data, dict) and isinstance(data.get("results"), dict) and "judge_model" in data


def hop_of(value: str) -> str | None:
    """``single``/``multi`` from a ``type`` value such as ``single``, ``Multi-hop``, ``multi_hop``."""
    lowered = value.lower()
    found = [hop for hop in HOPS if hop in lowered]
    return found[0] if len(found) == 1 else None


def _track_of(key: str, fallback: str | None) -> str | None:
    parts = PurePosixPath(key.replace("\\", "/")).parts
    for track in TRACKS:
        if track in parts:
            return track
    return fallback


@dataclass(frozen=True)
class SakuraQuestion:
    """One question of SAKURA: an audio, a hop (single or multi), the instruction and the right answer."""

    audio: str
    track: str | None
    hop: str
    instruction: str
    answer: str
    attribute_label: str
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SakuraReferences:
    """The questions of one SAKURA metadata file (both hops), keyed by audio path; no predictions."""

    source: str
    track: str | None
    questions: tuple[SakuraQuestion, ...]

    def __post_init__(self) -> None:
        index = {(q.audio, q.hop): q for q in self.questions}
        by_name: dict[tuple[str, str], SakuraQuestion | None] = {}
        for question in self.questions:
            name_key = (PurePosixPath(question.audio).name, question.hop)
            by_name[name_key] = None if name_key in by_name else question  # ambiguous names map to None
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_by_name", by_name)

    def __len__(self) -> int:
        return len(self.questions)

    def __iter__(self) -> Iterator[SakuraQuestion]:
        return iter(self.questions)

    @property
    def audios(self) -> list[str]:
        return list(dict.fromkeys(q.audio for q in self.questions))

    def find(self, key: str, hop: str) -> SakuraQuestion | None:
        """The question for a result key: the exact audio path, else a unique audio file name."""
        found = self._index.get((key, hop))  # type: ignore[attr-defined]
        if found is None:
            found = self._by_name.get((PurePosixPath(key.replace("\\", "/")).name, hop))  # type: ignore[attr-defined]
        return found

    def join(self, hop: str, responses: Mapping[str, str], *, name: str = "sakura") -> PredictionSet:
        """A prediction set of ``responses`` (audio key -> model output) for one hop of this track.

        Every key must be a question of this metadata; audios without a response are left out and
        counted in the set metadata (``unanswered``), so a run on a subset of clips stays honest.
        """
        if hop not in HOPS:
            raise ValueError(f"hop must be one of {HOPS}, got {hop!r}")
        items = []
        for key, response in responses.items():
            question = self.find(key, hop)
            if question is None:
                raise PredictionFormatError(self.source, "no such audio in the metadata", item=key)
            if not isinstance(response, str):
                raise PredictionFormatError(name, f"response must be a string, got {type(response).__name__}",
                                            item=key)
            items.append(_item(key, response, question.answer, question.instruction, question))
        metadata = {"format": "sakura-join", "track": self.track, "hop": hop, "references": self.source,
                    "unanswered": len(self.audios) - len(items),
                    "empty_predictions": count_empty(item.prediction for item in items)}
        return PredictionSet(name=name, source=name, items=tuple(items), metadata=metadata)


def _item(key: str, response: str, label: str, instruction: str, question: SakuraQuestion | None,
          **extra: Any) -> PredictionItem:
    metadata: dict[str, Any] = dict(extra)
    if question is not None:
        metadata |= {"audio": question.audio, "track": question.track, "hop": question.hop,
                     "attribute_label": question.attribute_label, **question.extra}
    return PredictionItem(id=key, prediction=response, references=(label,), prompt=instruction, metadata=metadata)


def load_metadata(path: str | Path, *, data: object = None) -> SakuraReferences:
    """Read a track's ``metadata.json`` into :class:`SakuraReferences` (two questions per audio)."""
    path = Path(path)
    records = require_object(path, read_json(path) if data is None else data, "a JSON object keyed by audio path")
    if not records:
        raise PredictionFormatError(path, "no audio entries")
    fallback = path.parent.name if path.parent.name in TRACKS else None
    questions = []
    for audio, record in records.items():
        record = require_record(path, record, audio)
        label = require_str(path, record, "attribute_label", audio)
        extra = {name: value for name, value in record.items() if name not in METADATA_FIELDS}
        for hop in HOPS:
            questions.append(SakuraQuestion(
                audio=audio, track=_track_of(audio, fallback), hop=hop,
                instruction=require_str(path, record, f"{hop}_instruction", audio, allow_empty=False),
                answer=require_str(path, record, f"{hop}_answer", audio, allow_empty=False),
                attribute_label=label, extra=extra))
    tracks = {q.track for q in questions}
    return SakuraReferences(source=str(path), track=tracks.pop() if len(tracks) == 1 else None,
                            questions=tuple(questions))


def _results(path: Path, top: Mapping[str, Any]) -> Mapping[str, Any]:
    if "results" not in top:
        raise PredictionFormatError(path, "missing field", field="results")
    results = top["results"]
    if not isinstance(results, Mapping):
        raise PredictionFormatError(path, f"expected an object keyed by item, got {type(results).__name__}",
                                    field="results")
    return results


def _resolve_references(metadata: str | Path | SakuraReferences | None) -> SakuraReferences | None:
    return load_metadata(metadata) if isinstance(metadata, (str, Path)) else metadata


def _check_against(path: Path, key: str, hop: str | None, instruction: str, label: str,
                   references: SakuraReferences) -> SakuraQuestion:
    """The metadata question of a result; its instruction and label must agree with the metadata."""
    hops = [hop] if hop is not None else list(HOPS)
    candidates = [q for q in (references.find(key, h) for h in hops) if q is not None]
    if not candidates:
        raise PredictionFormatError(path, f"not an audio of {references.source}", item=key)
    if hop is None:  # the file's `type` does not say; the instruction decides
        candidates = [q for q in candidates if q.instruction.strip() == instruction.strip()] or candidates[:1]
    question = candidates[0]
    if question.instruction.strip() != instruction.strip():
        raise PredictionFormatError(path, f"instruction differs from the {question.hop}-hop instruction in "
                                          f"{references.source}: {question.instruction[:80]!r}",
                                    item=key, field="instruction")
    if question.answer.strip() != label.strip():
        raise PredictionFormatError(path, f"label {label!r} differs from the {question.hop}-hop answer "
                                          f"{question.answer!r} in {references.source}", item=key, field="label")
    return question


def load_prediction_file(path: str | Path, *, data: object = None,
                         metadata: str | Path | SakuraReferences | None = None) -> PredictionSet:
    """Read a SAKURA prediction file (input of ``llm_judge.py``). Id = result key.

    With ``metadata`` (a track's ``metadata.json`` or :class:`SakuraReferences`) every key must be an
    audio of that track and its instruction and label must match the metadata; the set metadata then
    says how many of the track's audios have no prediction (``unanswered``).
    """
    path = Path(path)
    top = require_object(path, read_json(path) if data is None else data)
    attribute = top.get("attribute")
    hop_value = top.get("type")
    hop = hop_of(hop_value) if isinstance(hop_value, str) else None
    references = _resolve_references(metadata)
    items = []
    for key, record in _results(path, top).items():
        record = require_record(path, record, key)
        instruction, response, label = (require_str(path, record, name, key, allow_none=name == "response")
                                        for name in RESULT_FIELDS)
        question = _check_against(path, key, hop, instruction, label, references) if references else None
        extra = {} if question else {"track": attribute, "hop": hop}
        items.append(_item(key, response, label, instruction, question, **extra))
    set_metadata: dict[str, Any] = {"format": "sakura-predictions", "attribute": attribute, "type": hop_value,
                                    "empty_predictions": count_empty(item.prediction for item in items)}
    if references is not None:
        set_metadata |= {"references": references.source,
                         "unanswered": len(references.audios) - len({item.metadata["audio"] for item in items})}
    return PredictionSet(name=path.stem, source=str(path), items=tuple(items), metadata=set_metadata)


def load_judgements(path: str | Path, *, data: object = None,
                    predictions: str | Path | PredictionSet | None = None) -> PredictionSet:
    """Read an ``llm_judge.py`` output (``*_judgements.json``). Id = result key.

    Item metadata: ``judgement`` and ``explanation`` as the judge wrote them (``Judgement`` /
    ``Explanation``). Set metadata: the judge settings (``judge_model``, ``temperature``, ``top_p``,
    ``max_tokens``). With ``predictions`` (the judged prediction file or its set) the keys must be
    exactly the same and each response identical; otherwise the error names the first differing key.
    """
    path = Path(path)
    top = require_object(path, read_json(path) if data is None else data)
    settings = {name: top.get(name) for name in JUDGE_SETTINGS}
    if not isinstance(settings["judge_model"], str):
        raise PredictionFormatError(path, "expected the judge model name (a string)", field="judge_model")
    for name in ("temperature", "top_p"):
        settings[name] = optional_number(path, top, name, minimum=0.0)
    settings["max_tokens"] = optional_number(path, top, "max_tokens", integer=True, minimum=1)
    hop_value = top.get("type")
    items = []
    for key, record in _results(path, top).items():
        record = require_record(path, record, key)
        # llm_judge.py writes the judged output as "model_response"; forks that keep the input's "response" too
        response_field = "model_response" if "model_response" in record or "response" not in record else "response"
        instruction, response, label = (require_str(path, record, name, key, allow_none=name == response_field)
                                        for name in ("instruction", response_field, "label"))
        judgement = require_str(path, record, "Judgement", key)
        explanation = require_str(path, record, "Explanation", key)
        items.append(PredictionItem(
            id=key, prediction=response, references=(label,), prompt=instruction,
            metadata={"judgement": judgement, "explanation": explanation, "track": top.get("attribute"),
                      "hop": hop_of(hop_value) if isinstance(hop_value, str) else None}))
    judged = PredictionSet(name=path.stem, source=str(path), items=tuple(items),
                           metadata={"format": "sakura-judgements", **settings,
                                     "empty_predictions": count_empty(item.prediction for item in items)})
    if predictions is not None:
        original = load_prediction_file(predictions) if isinstance(predictions, (str, Path)) else predictions
        _check_same_items(path, judged, original)
    return judged


def _check_same_items(path: Path, judged: PredictionSet, original: PredictionSet) -> None:
    judged_ids = [item.id for item in judged]
    original_by_id = {item.id: item for item in original}
    judged_set = set(judged_ids)
    missing = [item_id for item_id in original_by_id if item_id not in judged_set]
    extra = [item_id for item_id in judged_ids if item_id not in original_by_id]
    if missing or extra:
        first = (f"first missing: {missing[0]!r}" if missing else f"first extra: {extra[0]!r}")
        raise PredictionFormatError(
            path, f"{len(judged_ids)} judgements but {len(original_by_id)} predictions in {original.source} "
                  f"({len(missing)} not judged, {len(extra)} not predicted; {first})",
            item=missing[0] if missing else extra[0])
    for item in judged:
        if item.prediction != original_by_id[item.id].prediction:
            raise PredictionFormatError(path, f"response differs from the prediction in {original.source}",
                                        item=item.id, field="response")
