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
    "JudgeBackendError": "errors", "JudgeBackendRequired": "errors", "JudgeHTTPError": "errors",
    "JudgeReplayMissing": "errors", "JudgeResult": "runner", "run_judging": "runner",
    "SPECS": "specs", "get_judge_spec": "specs",
}

__all__ = sorted(name for name in _EXPORTS if name != "TransformersBackend")


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    globals()[name] = value
    return value
