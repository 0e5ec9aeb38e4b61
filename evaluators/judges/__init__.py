"""LLM-as-judge scoring (protocols.md §12): prompts, backends, verdict parsing, cache, agreement.

Entry point: :func:`run_judging` ``(protocol_id, predictions, backend, cache) -> JudgeResult``.
Backends: :class:`OpenAICompatibleBackend` (any chat-completions endpoint, e.g. vLLM),
:class:`TransformersBackend` (a local model in process), :class:`ReplayBackend` (judgement files
written by SAKURA and AudioBench). The judge protocols themselves are registered in
``evaluators.protocols.judges`` (family ``judge``).

Example (a vLLM server judging SAKURA predictions, key from ``$OPENAI_API_KEY`` if the server wants one)::

    from evaluators.judges import JudgementCache, OpenAICompatibleBackend, run_judging
    from evaluators.predictions import load_predictions

    predictions = load_predictions("Animal_single.json")            # SAKURA prediction file
    backend = OpenAICompatibleBackend("http://localhost:8000/v1", "Qwen/Qwen3-8B", revision="main",
                                      max_concurrency=16)
    with JudgementCache(".cache/judge.sqlite") as cache:
        result = run_judging("J-SAKURA-JW-DIST", predictions, backend, cache)
    print(result.value, result.unparsed, result.interval, result.signature)

The same from the shell: ``audiorepro judge Animal_single.json --protocol J-SAKURA-JW-DIST --backend openai
--base-url http://localhost:8000/v1 --model Qwen/Qwen3-8B --cache .cache/judge.sqlite``.
"""

from __future__ import annotations

from evaluators.judges.backends.base import JudgeBackend
from evaluators.judges.backends.openai_compat import OpenAICompatibleBackend
from evaluators.judges.backends.replay import (
    ReplayBackend,
    ReplayBundle,
    load_audiobench_judge_log,
    load_sakura_judgements,
)
from evaluators.judges.cache import JudgementCache
from evaluators.judges.decoding import DecodingConfig, JudgeRequest
from evaluators.judges.errors import JudgeBackendError, JudgeBackendRequired, JudgeHTTPError, JudgeReplayMissing
from evaluators.judges.runner import JudgeResult, run_judging
from evaluators.judges.specs import SPECS, get_judge_spec

__all__ = [
    "SPECS", "DecodingConfig", "JudgeBackend", "JudgeBackendError", "JudgeBackendRequired", "JudgeHTTPError",
    "JudgeReplayMissing", "JudgeRequest", "JudgeResult", "JudgementCache", "OpenAICompatibleBackend", "ReplayBackend",
    "ReplayBundle", "get_judge_spec", "load_audiobench_judge_log", "load_sakura_judgements", "run_judging",
]


def __getattr__(name: str):  # the transformers backend imports torch: load it only when asked for
    if name == "TransformersBackend":
        from evaluators.judges.backends.transformers_local import TransformersBackend

        return TransformersBackend
    raise AttributeError(name)
