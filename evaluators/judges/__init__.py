"""LLM-as-judge scoring (protocols.md §12): prompts, backends, verdict parsing, cache, agreement.

A judge protocol is an ordinary protocol whose metric (:class:`JudgeMetric`) asks a judge: bind a backend
and a cache for the call with ``Protocol.with_judge`` and score as usual; the result is a ``Score``.
Backends: :class:`OpenAICompatibleBackend` (any chat-completions endpoint, e.g. vLLM),
:class:`TransformersBackend` (a local model in process), :class:`ReplayBackend` (judgement files
written by SAKURA and AudioBench). The judge protocols themselves are registered in
``evaluators.protocols.judges`` (family ``judge``, and the emotion/gender/MCQ tasks judged by an LLM).

Example (a vLLM server judging SAKURA predictions, key from ``$OPENAI_API_KEY`` if the server wants one)::

    from evaluators.judges import JudgementCache, OpenAICompatibleBackend
    from evaluators.predictions import load_predictions
    from evaluators.protocols import get_protocol

    predictions = load_predictions("Animal_single.json")            # SAKURA prediction file
    backend = OpenAICompatibleBackend("http://localhost:8000/v1", "Qwen/Qwen3-8B", revision="main",
                                      max_concurrency=16)
    with JudgementCache(".cache/judge.sqlite") as cache:
        score = get_protocol("J-SAKURA-JW-DIST").with_judge(backend, cache).score(predictions)
    print(score.value, score.extras["unparsed"], score.interval, score.signature)

The same from the shell: ``audiorepro judge Animal_single.json --protocol J-SAKURA-JW-DIST --backend openai
--base-url http://localhost:8000/v1 --model Qwen/Qwen3-8B --cache .cache/judge.sqlite``.
"""

from __future__ import annotations

import importlib
from typing import Any

#: public name -> submodule that defines it; imported on first access (PEP 562), so importing one
#: submodule (e.g. the judge specs, needed to list the judge protocols) does not import the HTTP
#: client, the SQLite cache or torch
_EXPORTS = {
    "JudgeBackend": "backends.base", "OpenAICompatibleBackend": "backends.openai_compat",
    "TransformersBackend": "backends.transformers_local",
    "ReplayBackend": "backends.replay", "ReplayBundle": "backends.replay",
    "load_audiobench_judge_log": "backends.replay", "load_sakura_judgements": "backends.replay",
    "JudgementCache": "cache", "DecodingConfig": "decoding", "JudgeRequest": "decoding",
    "JudgeBackendError": "errors", "JudgeHTTPError": "errors", "JudgeReplayMissing": "errors",
    "JudgeMetric": "metric", "SPECS": "specs",
}

__all__ = sorted(name for name in _EXPORTS if name != "TransformersBackend")


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value
