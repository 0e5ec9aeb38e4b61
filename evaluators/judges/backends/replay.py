"""Replay backend: judgements that were already made, read from the files public scripts write.

Re-scoring a published judging run needs no judge at all when its judgement file is available:

* SAKURA ``evaluation/llm_judge.py`` writes ``<name>_judgements.json``:
  ``{"judge_model", "temperature", "top_p", "max_tokens", "results": {<wav>: {"Explanation",
  "Judgement", "instruction", "model_response", "label"}}}`` (forks that keep ``response`` are read
  too). Only the two extracted fields are kept, not the raw reply, so the reply is *reconstructed*
  as ``Explanation: E\\nJudgement: J`` and checked to re-parse to exactly the stored
  (E, J); the official decision is therefore unchanged.
* AudioBench writes ``<dataset>_<metric>_score.json``: ``{"llama3_70b_judge" | "gpt4o_judge":
  {"judge_score", "success_rate"}, "details": [{"question", "reference", "model_prediction",
  "judge_response", "rate_score", "success"}]}`` with the raw judge reply.

The backend answers a request by looking up its exact rendered messages, so the protocol's prompt
rendering is exercised too: a template that drifted from the one used in the file finds nothing and
raises :class:`JudgeReplayMissing`. Replayed replies are not written to the judgement cache.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluators.errors import PredictionFormatError
from evaluators.judges.backends.base import JudgeBackend
from evaluators.judges.decoding import DecodingConfig, JudgeRequest
from evaluators.judges.errors import JudgeReplayMissing
from evaluators.judges.parsing import extract_sakura_judgement
from evaluators.judges.specs import SPECS, AudioBenchSpec, JudgeSpec, SakuraSpec
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import read_json, require_list, require_record, require_str
from evaluators.predictions.sakura import load_judgements


class ReplayBackend(JudgeBackend):
    """Answers prompts from recorded replies keyed by the exact rendered messages."""

    kind = "replay"
    cacheable = False

    def __init__(self, replies: Mapping[str, Sequence[str]], *, model: str, revision: str = "recorded",
                 source: str = "", reconstructed: bool = False):
        super().__init__(model, revision)
        self._replies = {key: list(values) for key, values in replies.items()}
        self._served: dict[str, int] = {}
        self.source = source
        self.reconstructed = reconstructed

    def complete(self, request: JudgeRequest) -> str:
        """The recorded reply; identical prompts (same question, answer and response for two audios)
        get their recorded replies in file order."""
        key = request.messages_json()
        recorded = self._replies.get(key)
        if recorded:
            position = self._served.get(key, 0)
            self._served[key] = position + 1
            return recorded[position % len(recorded)]
        else:
            raise JudgeReplayMissing(f"{self.source or 'replay'}: no recorded judgement for a prompt starting "
                                     f"{request.messages[-1][1][:80]!r} (template or item text differs from the "
                                     f"recorded run)")

    def describe(self) -> dict[str, Any]:
        return super().describe() | {"source": self.source, "reconstructed_replies": self.reconstructed}


@dataclass(frozen=True)
class ReplayBundle:
    """What a judgement file holds: the judged predictions, a backend replaying the verdicts, the
    decoding settings the file records, and any numbers the file itself reports."""

    predictions: PredictionSet
    backend: ReplayBackend
    decoding: DecodingConfig
    recorded: Mapping[str, Any] = field(default_factory=dict)


def _messages_key(spec: JudgeSpec, item: PredictionItem) -> str:
    calls = spec.calls(item)
    if isinstance(calls, str) or len(calls) != 1:
        raise ValueError(f"{spec.protocol_id} does not judge an item with one call; replay supports one-call protocols")
    return JudgeRequest(spec.render(calls[0]), DecodingConfig()).messages_json()


def _require_family(path: Path, spec: JudgeSpec, family: type[JudgeSpec], made_by: str) -> JudgeSpec:
    """``spec``, which must render the prompts the file's judge saw.

    Replies are looked up by the *chosen* protocol's prompt: replaying SAKURA judgements under an
    AudioBench template found every reply and parsed none (a silent 0 %), so a protocol of another
    template family is refused, naming the ones that fit.
    """
    if not isinstance(spec, family):
        fitting = ", ".join(sorted(key for key, other in SPECS.items() if isinstance(other, family)))
        raise PredictionFormatError(path, f"these judgements were made with {made_by}'s judge prompt; "
                                          f"{spec.protocol_id} uses the template {spec.template.name!r}, so they "
                                          f"cannot be replayed under it (use one of: {fitting})")
    return spec


def load_sakura_judgements(path: str | Path, *, spec: JudgeSpec | None = None,
                           metadata: Mapping[str, Any] | None = None) -> ReplayBundle:
    """Read a SAKURA ``*_judgements.json`` into predictions + a replay backend (ids = audio paths).

    ``spec`` is the judge recipe of the protocol to replay under (default: J-SAKURA's).

    ``metadata`` (e.g. ``{"track": "Animal", "hop": "single"}``) is attached to every item.
    """
    path = Path(path)
    spec = _require_family(path, spec or SPECS["J-SAKURA"], SakuraSpec, "SAKURA")
    judged = load_judgements(path)
    items: list[PredictionItem] = []
    replies: dict[str, list[str]] = {}
    for judged_item in judged:
        explanation, judgement = judged_item.metadata["explanation"], judged_item.metadata["judgement"]
        item = PredictionItem(id=judged_item.id, prediction=judged_item.prediction,
                              references=judged_item.references, prompt=judged_item.prompt,
                              metadata={"question": judged_item.prompt, **(metadata or {})})
        reply = f"Explanation: {explanation}\nJudgement: {judgement}"
        reparsed = extract_sakura_judgement(reply)
        if (reparsed.explanation, reparsed.judgement) != (explanation, judgement) and reparsed.matched:
            raise PredictionFormatError(path, "stored Explanation/Judgement cannot come from SAKURA's regex "
                                              "(they would not re-parse to the same fields)", item=item.id)
        items.append(item)
        replies.setdefault(_messages_key(spec, item), []).append(reply)
    settings = judged.metadata
    decoding = DecodingConfig(temperature=settings.get("temperature"), top_p=settings.get("top_p"))
    predictions = PredictionSet(name=path.stem, source=str(path), items=tuple(items),
                                metadata={"format": "sakura-judgements"})
    backend = ReplayBackend(replies, model=str(settings.get("judge_model") or "unknown"), source=str(path),
                            reconstructed=True)
    return ReplayBundle(predictions, backend, decoding, {"max_tokens_recorded": settings.get("max_tokens")})


_AB_JUDGES = {"llama3_70b_judge": ("casperhansen/llama-3-70b-instruct-awq", False),
              "gpt4o_judge": ("gpt-4o-chat", True)}


def load_audiobench_judge_log(path: str | Path, *, spec: JudgeSpec) -> ReplayBundle:
    """Read an AudioBench ``*_llama3_70b_judge_score.json`` / ``*_gpt4o_judge_score.json`` (ids = indices) to
    replay under the judge recipe ``spec``."""
    path = Path(path)
    _require_family(path, spec, AudioBenchSpec, "AudioBench")
    data = require_record(path, read_json(path), "top level")
    judge_keys = [key for key in _AB_JUDGES if key in data]
    if len(judge_keys) != 1:
        raise PredictionFormatError(path, f"expected exactly one of {sorted(_AB_JUDGES)} at the top level")
    judge_key = judge_keys[0]
    model, is_gpt4o = _AB_JUDGES[judge_key]
    if spec.protocol_id.upper().endswith("-GPT4O") != is_gpt4o:
        raise PredictionFormatError(path, f"this log was judged by {judge_key}; {spec.protocol_id} uses the other "
                                          f"judge's prompt (choose the matching J-AB-* protocol)")
    details = require_list(path, data.get("details"), "a list 'details'")
    items: list[PredictionItem] = []
    replies: dict[str, list[str]] = {}
    for index, record in enumerate(details):
        record = require_record(path, record, index)
        question = require_str(path, record, "question", index)
        item = PredictionItem(id=str(index), prediction=require_str(path, record, "model_prediction", index),
                              references=(require_str(path, record, "reference", index),), prompt=question,
                              metadata={"question": question, "recorded_rate_score": record.get("rate_score"),
                                        "recorded_success": record.get("success")})
        items.append(item)
        replies.setdefault(_messages_key(spec, item), []).append(
            require_str(path, record, "judge_response", index))
    predictions = PredictionSet(name=path.stem, source=str(path), items=tuple(items),
                                metadata={"format": "audiobench-judge-log"})
    recorded = dict(require_record(path, data[judge_key], judge_key))
    return ReplayBundle(predictions, ReplayBackend(replies, model=model, source=str(path)), spec.default_decoding,
                        recorded)
