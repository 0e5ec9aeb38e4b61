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

_DEFINITIONS: tuple[tuple[str, str, str, tuple[Source, ...], str], ...] = (
    ("J-SAKURA", "judge", "SAKURA official GPT-4o judge, invalid judgements counted wrong "
     "(ckyang1124/SAKURA evaluation/llm_judge.py + calculate_acc.py)",
     (Source(_SAKURA, "evaluation/llm_judge.py"), Source(_SAKURA, "evaluation/calculate_acc.py")), "§12.3"),
    ("J-SAKURA-JW-DIST", "judge", "SAKURA re-implementation with a Qwen3-8B judge, exact judgement match "
     "(jaeeewon/project-multimodal dist_eval/works.py::eval_sakura_judge)",
     (Source(_JW, "dist_eval/works.py::eval_sakura_judge"), Source(_JW, "dist_eval/qwen3.py"),
      Source(_JW, "dist_eval/eval_sakura.py")), "§12.4"),
    ("J-SAKURA-JW-EVAL", "judge", "SAKURA re-implementation with a gpt-oss-20b judge "
     "(jaeeewon/project-multimodal evaluation/sakura_exp.py)",
     (Source(_JW, "evaluation/sakura_exp.py"), Source(_JW, "evaluation/judges/vllm_judge.py")), "§12.4"),
    ("J-SQQA-JW", "judge", "WikiQA spoken-query QA judged by Qwen3-8B, OR over candidate answers "
     "(jaeeewon/project-multimodal dist_eval/works.py::eval_wikiqa_sqqa_judge + eval_sqqa.py)",
     (Source(_JW, "dist_eval/works.py::eval_wikiqa_sqqa_judge"), Source(_JW, "dist_eval/eval_sqqa.py")), "§12.1"),
    ("J-SF-JW", "judge", "SLURP slot filling judged per slot by Qwen3-8B, exact 'Yes' "
     "(jaeeewon/project-multimodal dist_eval/eval_sf.py)",
     (Source(_JW, "dist_eval/eval_sf.py"), Source(_JW, "dist_eval/slurp.py")), "§12.2"),
    ("J-AB-SCALE", "judge", "AudioBench 0-5 rating by Llama-3-70B, mean × 20 "
     "(AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_llama3_70b.py)",
     (Source(_AB, "src/dataset_src/eval_methods/eval_llama3_70b.py::llama3_70b_as_judge"),), "§12.5"),
    ("J-AB-BINARY", "judge", "AudioBench 0/1 rating by Llama-3-70B, mean × 100 "
     "(AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_llama3_70b.py)",
     (Source(_AB, "src/dataset_src/eval_methods/eval_llama3_70b.py::llama3_70b_as_judge_binary"),), "§12.5"),
    ("J-AB-SCALE-GPT4O", "judge", "AudioBench 0-5 rating by GPT-4o, mean × 20 "
     "(AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_gpt4o.py)",
     (Source(_AB, "src/dataset_src/eval_methods/eval_gpt4o.py::gpt4o_as_judge"),), "§12.5"),
    ("J-AB-BINARY-GPT4O", "judge", "AudioBench 0/1 rating by GPT-4o, mean × 100 "
     "(AudioLLMs/AudioBench src/dataset_src/eval_methods/eval_gpt4o.py)",
     (Source(_AB, "src/dataset_src/eval_methods/eval_gpt4o.py::gpt4o_as_judge_binary"),), "§12.5"),
    ("J-AIR-CHAT", "judge", "AIR-Bench chat: GPT-4 scores reference and model 1-10, positions swapped and "
     "averaged, fails excluded (OFA-Sys/AIR-Bench score_chat.py + cal_score.py)",
     (Source(_AIR, "score_chat.py"), Source(_AIR, "cal_score.py")), "§12.6"),
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
