"""LLM-as-judge protocols (protocols.md §12, §7.3), registered so ``audiorepro protocols`` lists them.

Reproduces, prompt text byte-exact (``evaluators.judges.templates``) and verdict rule exact
(``evaluators.judges.parsing``):

* ``J-SAKURA`` — ckyang1124/SAKURA ``evaluation/llm_judge.py`` + ``calculate_acc.py``;
* ``J-SAKURA-JW-DIST`` — jaeeewon/project-multimodal ``dist_eval/works.py::eval_sakura_judge``,
  ``dist_eval/qwen3.py``, ``dist_eval/eval_sakura.py``;
* ``J-SAKURA-JW-EVAL`` — jaeeewon/project-multimodal ``evaluation/sakura_exp.py`` +
  ``evaluation/judges/vllm_judge.py``;
* ``J-SQQA-JW`` — jaeeewon/project-multimodal ``dist_eval/works.py::eval_wikiqa_sqqa_judge`` + ``eval_sqqa.py``;
* ``J-SF-JW`` — jaeeewon/project-multimodal ``dist_eval/eval_sf.py``;
* ``J-AB-SCALE`` / ``J-AB-BINARY`` (Llama-3-70B judge) and ``-GPT4O`` variants — AudioLLMs/AudioBench
  ``src/dataset_src/eval_methods/eval_llama3_70b.py`` / ``eval_gpt4o.py``;
* ``J-AIR-CHAT`` — OFA-Sys/AIR-Bench ``score_chat.py`` + ``cal_score.py``.

A judge protocol needs a judge, so ``score()`` raises :class:`JudgeBackendRequired` (reported as
*unavailable*); the real entry point is ``evaluators.judges.run_judging``. ``ER-AB-JUDGE`` (§7.3) is
registered by ``evaluators.protocols.emotion``; ``run_judging("ER-AB-JUDGE", ...)`` judges it with the
J-AB-BINARY prompt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from evaluators.judges.errors import JudgeBackendRequired
from evaluators.judges.specs import SPECS, JudgeSpec
from evaluators.metrics.base import Metric
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.protocols.base import Protocol, Score, Source
from evaluators.protocols.registry import register


class JudgeMetric(Metric):
    """The official aggregate of a judge protocol over per-item judge statistics."""

    direction = "higher"

    def __init__(self, spec: JudgeSpec):
        self.spec = spec
        self.name = "judge-accuracy" if spec.kind == "binary" and spec.scale == 1 else "judge-score"
        self.unit = spec.unit
        self.stat_names = spec.stat_names

    def item_stats(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> Sequence[float]:
        raise JudgeBackendRequired(self.spec.protocol_id)

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return self.spec.aggregate(stats)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "unparsed": self.spec.unparsed_rule}


class JudgeProtocol(Protocol):
    """A protocol scored by an LLM judge: ``score`` needs a backend, so it raises a named error."""

    def score(self, predictions: PredictionSet | Sequence[PredictionItem], *, interval: bool = True,
              details: bool = True) -> Score:
        raise JudgeBackendRequired(self.id)


_SAKURA = "ckyang1124/SAKURA"
_JW = "jaeeewon/project-multimodal"
_AB = "AudioLLMs/AudioBench"
_AIR = "OFA-Sys/AIR-Bench"
#: judge code changed between revisions: each protocol pins the commit whose code it reproduces
_SAKURA_COMMIT = "a1fdb146f638fe4740c20a31ba6da868f2cb2313"
#: 68cb85c "added: SAKURA evaluation": the judging behind the repository's SALMONN SAKURA rows (the seed and the
#: thinking switch entered qwen3.py later, in c804f8c)
_JW_SAKURA_DIST_COMMIT = "68cb85ccd585758069d7c861cfaef8b21d75c43d"
_JW_HEAD_COMMIT = "d9e5d172c6cfd426ce1a85f989ecb2a968c5d733"
#: 6e1721d "added: eval SQQA" / df549dd "added: eval SF": the judge code that produced those tables
_JW_SQQA_COMMIT = "6e1721de527318a709eccc9ed67146c3052c5e48"
_JW_SF_COMMIT = "df549dd5b53c93b84044eac56af39555c42ee262"
_AB_COMMIT = "e991641d4beaa7c07913c481af05447619f0e9f5"
_AIR_COMMIT = "983247666e2a25519b5c122810c2bcd91f26fd8d"

_DEFINITIONS: tuple[tuple[str, str, str, tuple[Source, ...], str], ...] = (
    ("J-SAKURA", "judge", "SAKURA official GPT-4o judge, invalid judgements counted wrong "
     "(ckyang1124/SAKURA evaluation/llm_judge.py + calculate_acc.py)",
     (Source(_SAKURA, "evaluation/llm_judge.py", _SAKURA_COMMIT),
      Source(_SAKURA, "evaluation/calculate_acc.py", _SAKURA_COMMIT)), "§12.3"),
    ("J-SAKURA-JW-DIST", "judge", "SAKURA re-implementation with a Qwen3-8B judge, exact judgement match "
     "(jaeeewon/project-multimodal dist_eval/works.py::eval_sakura_judge)",
     (Source(_JW, "dist_eval/works.py::eval_sakura_judge", _JW_SAKURA_DIST_COMMIT),
      Source(_JW, "dist_eval/qwen3.py", _JW_SAKURA_DIST_COMMIT),
      Source(_JW, "dist_eval/eval_sakura.py", _JW_SAKURA_DIST_COMMIT)), "§12.4"),
    ("J-SAKURA-JW-EVAL", "judge", "SAKURA re-implementation with a gpt-oss-20b judge "
     "(jaeeewon/project-multimodal evaluation/sakura_exp.py)",
     (Source(_JW, "evaluation/sakura_exp.py", _JW_HEAD_COMMIT),
      Source(_JW, "evaluation/judges/vllm_judge.py", _JW_HEAD_COMMIT)), "§12.4"),
    ("J-SQQA-JW", "judge", "WikiQA spoken-query QA judged by Qwen3-8B, OR over candidate answers "
     "(jaeeewon/project-multimodal dist_eval/works.py::eval_wikiqa_sqqa_judge + eval_sqqa.py)",
     (Source(_JW, "dist_eval/works.py::eval_wikiqa_sqqa_judge", _JW_SQQA_COMMIT),
      Source(_JW, "dist_eval/eval_sqqa.py", _JW_SQQA_COMMIT)), "§12.1"),
    ("J-SF-JW", "judge", "SLURP slot filling judged per slot by Qwen3-8B, exact 'Yes' "
     "(jaeeewon/project-multimodal dist_eval/eval_sf.py)",
     (Source(_JW, "dist_eval/eval_sf.py", _JW_SF_COMMIT), Source(_JW, "dist_eval/slurp.py", _JW_SF_COMMIT)), "§12.2"),
    ("J-AB-SCALE", "judge", "AudioBench 0-5 rating by Llama-3-70B, mean × 20 "
     "(AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_llama3_70b.py)",
     (Source(_AB, "src/dataset_src/eval_methods/eval_llama3_70b.py::llama3_70b_as_judge", _AB_COMMIT),), "§12.5"),
    ("J-AB-BINARY", "judge", "AudioBench 0/1 rating by Llama-3-70B, mean × 100 "
     "(AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_llama3_70b.py)",
     (Source(_AB, "src/dataset_src/eval_methods/eval_llama3_70b.py::llama3_70b_as_judge_binary",
             _AB_COMMIT),), "§12.5"),
    ("J-AB-SCALE-GPT4O", "judge", "AudioBench 0-5 rating by GPT-4o, mean × 20 "
     "(AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_gpt4o.py)",
     (Source(_AB, "src/dataset_src/eval_methods/eval_gpt4o.py::gpt4o_as_judge", _AB_COMMIT),), "§12.5"),
    ("J-AB-BINARY-GPT4O", "judge", "AudioBench 0/1 rating by GPT-4o, mean × 100 "
     "(AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_gpt4o.py)",
     (Source(_AB, "src/dataset_src/eval_methods/eval_gpt4o.py::gpt4o_as_judge_binary", _AB_COMMIT),), "§12.5"),
    ("J-AIR-CHAT", "judge", "AIR-Bench chat: GPT-4 scores reference and model 1-10, positions swapped and "
     "averaged, fails excluded (OFA-Sys/AIR-Bench score_chat.py + cal_score.py)",
     (Source(_AIR, "score_chat.py", _AIR_COMMIT), Source(_AIR, "cal_score.py", _AIR_COMMIT)), "§12.6"),
)


def _protocol(protocol_id: str, family: str, title: str, sources: tuple[Source, ...], section: str) -> JudgeProtocol:
    spec = SPECS[protocol_id]
    params = {"judge": spec.default_model, "decoding": spec.default_decoding.signature(),
              "template": f"{spec.template.name}@{spec.template.hash}"}
    return JudgeProtocol(id=protocol_id, family=family, title=title, sources=sources, steps=(),
                         metric=JudgeMetric(spec), params=params, spec=f"protocols.md {section}",
                         interval_method="wilson" if spec.kind == "binary" else "bootstrap",
                         unavailable=JudgeBackendRequired(protocol_id).reason)


JUDGE_PROTOCOLS = {definition[0]: register(_protocol(*definition)) for definition in _DEFINITIONS}
