"""``audiorepro judge``: score predictions under an LLM-as-judge protocol (protocols.md §12).

Examples::

    audiorepro judge preds.json --protocol J-SAKURA --backend openai --base-url http://localhost:8000/v1 \\
        --model Qwen/Qwen3-8B --cache .cache/judge.sqlite --output sakura.json
    audiorepro judge animal_single_judgements.json --protocol J-SAKURA --backend replay-sakura
    audiorepro judge iemocap_emotion_test_llama3_70b_judge_score.json --protocol J-AB-BINARY \\
        --backend replay-audiobench

The API key is read from the environment variable named by ``--api-key-env`` (never from the
command line, so it stays out of shell history and process lists). The result JSON is written to a
temporary file and renamed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from evaluators.atomic import check_writable, write_text_atomically
from evaluators.commands._arguments import bounded, non_negative_float, non_negative_int, positive_float, positive_int
from evaluators.errors import AudioreproError
from evaluators.judges import (
    DecodingConfig,
    JudgementCache,
    OpenAICompatibleBackend,
    load_audiobench_judge_log,
    load_sakura_judgements,
)
from evaluators.judges.backends.openai_compat import TRANSPORTS
from evaluators.judges.inputs import JUDGE_INPUT_FORMATS
from evaluators.judges.metric import JudgeMetric
from evaluators.predictions import load_predictions
from evaluators.protocols import all_protocols, get_protocol
from evaluators.protocols.base import Protocol
from evaluators.score import Score

BACKENDS = ("openai", "transformers", "replay-sakura", "replay-audiobench")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("judge", help="score predictions with an LLM judge protocol",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("predictions", help="prediction file (or, for replay backends, the judgement file)")
    parser.add_argument("--protocol", required=True, help="judge protocol id (J-SAKURA, J-AB-SCALE, ...)")
    parser.add_argument("--backend", choices=BACKENDS, default="openai")
    parser.add_argument("--format", dest="fmt", help="prediction file format (default: detect); also "
                        "air-bench-chat, air-bench-foundation (AIR-Bench result JSON Lines)")
    parser.add_argument("--base-url", help="OpenAI-compatible endpoint, e.g. http://localhost:8000/v1")
    parser.add_argument("--model", help="judge model name (default: the protocol's published judge)")
    parser.add_argument("--model-path", help="local checkpoint directory (transformers backend)")
    parser.add_argument("--revision", default="unspecified", help="judge model revision, recorded and cached on")
    parser.add_argument("--api-key-env", default="OPENAI_API_KEY", help="environment variable holding the key")
    parser.add_argument("--transport", choices=TRANSPORTS, default="chat",
                        help="openai backend: chat endpoint, or the completions endpoint with a chat template "
                             "applied here (completions-llama3: how AudioBench calls its Llama-3 judge)")
    parser.add_argument("--cache", help="SQLite judgement cache (re-runs make no calls)")
    parser.add_argument("--concurrency", type=positive_int, default=8, help="requests in flight (>= 1)")
    parser.add_argument("--timeout", type=positive_float, default=60.0, help="seconds per request (> 0)")
    parser.add_argument("--retries", type=non_negative_int, default=4, help="retries per request (>= 0)")
    parser.add_argument("--temperature", type=non_negative_float)
    parser.add_argument("--top-p", type=bounded(float, minimum=0.0, exclusive=True))
    parser.add_argument("--max-tokens", type=positive_int)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--output", help="write the full result (per-item verdicts) as JSON here")
    parser.set_defaults(func=run)


def _decoding(args: argparse.Namespace, default: DecodingConfig) -> DecodingConfig:
    changes = {key: value for key, value in (("temperature", args.temperature), ("top_p", args.top_p),
                                             ("max_tokens", args.max_tokens), ("seed", args.seed))
               if value is not None}
    return default.replace(**changes) if changes else default


def _write_json(path: Path, data: object) -> None:
    write_text_atomically(path, json.dumps(data, indent=2, ensure_ascii=False))


def _judge_protocol(protocol_id: str) -> Protocol:
    """The protocol ``protocol_id``, which must be scored by an LLM judge."""
    protocol = get_protocol(protocol_id)
    if not isinstance(protocol.metric, JudgeMetric):
        judged = ", ".join(p.id for p in all_protocols() if isinstance(p.metric, JudgeMetric))
        raise AudioreproError(f"judge: {protocol.id} is not scored by an LLM judge (judge protocols: {judged}); "
                              f"score it with `audiorepro score`")
    return protocol


def _summary(result: Score) -> str:
    value = "unavailable" if result.value is None else f"{result.value:.4f} ({result.unit})"
    extras = result.extras
    lines = [f"{result.protocol}: {value}  n={result.n}  unparsed={extras.get('unparsed', 0)}  "
             f"counts={dict(extras.get('counts', {}))}"]
    if result.interval:
        interval = result.interval
        lines.append(f"  95% interval [{interval.low:.4f}, {interval.high:.4f}] ({interval.method})")
    if result.skipped:
        lines.append(f"  skipped: {dict(result.skipped)}")
    if result.unavailable_reason:
        lines.append(f"  reason: {result.unavailable_reason}")
    official = extras.get("official", {})
    if official.get("near_misses"):
        lines.append(f"  near-misses (inexact 'Yes', counted No as the original does): {official['near_misses']}"
                     f"; accuracy if read as Yes: {official['accuracy_if_near_misses_were_yes']:.4f}")
    leaderboard = official.get("leaderboard")
    if leaderboard:
        lines.append("  leaderboard: " + "  ".join(
            f"{name} {'n/a' if value is None else f'{value:.4f}'}" for name, value in leaderboard.items()))
    for name, group in result.groups.items():
        group_value = "n/a" if group.value is None else f"{group.value:.4f}"
        lines.append(f"  {name}: {group_value}  n={group.n}  unparsed={group.extras.get('unparsed', 0)}")
    lines.append(f"  calls made: {extras.get('calls_made', 0)}, cache hits: {extras.get('cache_hits', 0)}")
    lines.append(f"  signature: {result.signature}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    protocol = _judge_protocol(args.protocol)
    spec = protocol.metric.spec
    if args.backend == "openai" and not args.base_url:
        raise AudioreproError("judge: --base-url is required for --backend openai")
    if args.backend == "transformers" and not args.model_path:
        raise AudioreproError("judge: --model-path is required for --backend transformers")
    if args.output:
        check_writable(args.output)  # before any paid call
    cache = JudgementCache(args.cache) if args.cache else None
    try:
        if args.backend == "replay-sakura":
            bundle = load_sakura_judgements(args.predictions, spec=spec)
            predictions, backend, decoding = bundle.predictions, bundle.backend, bundle.decoding
        elif args.backend == "replay-audiobench":
            bundle = load_audiobench_judge_log(args.predictions, spec=spec)
            predictions, backend, decoding = bundle.predictions, bundle.backend, bundle.decoding
        else:
            if args.fmt in JUDGE_INPUT_FORMATS:
                predictions = JUDGE_INPUT_FORMATS[args.fmt](args.predictions)
            else:
                predictions = load_predictions(args.predictions, args.fmt)
            decoding = _decoding(args, spec.default_decoding)
            if args.backend == "openai":
                backend = OpenAICompatibleBackend(args.base_url, args.model or spec.default_model,
                                                  api_key_env=args.api_key_env, revision=args.revision,
                                                  timeout_s=args.timeout, max_retries=args.retries,
                                                  max_concurrency=args.concurrency, transport=args.transport)
            else:
                from evaluators.judges.backends.transformers_local import TransformersBackend

                backend = TransformersBackend.from_pretrained(args.model_path, revision=args.revision)
        result = protocol.with_judge(backend, cache, decoding=decoding).score(predictions)
    finally:
        if cache is not None:
            cache.close()
    print(_summary(result))
    if result.available and result.n == 0:
        raise AudioreproError(f"{args.predictions}: {protocol.id} judged no item of {len(predictions)} "
                              f"(skipped: {dict(result.skipped) or 'none'}): there is no value to report")
    if args.output:
        _write_json(Path(args.output), result.as_dict(items=True))
    return 0
