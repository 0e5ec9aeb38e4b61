"""Tiny random-weight Whisper and Qwen2-Audio models, built from a config with a fixed seed.

They run the *real* transformers generate code of both architectures in well under a second on a
CPU, with no download: the tokenizer is byte-level with no merges (the 256 GPT-2 byte-to-unicode
characters, which round-trip any text) plus the special tokens each model needs, built in memory.
Facts followed (dependencies.md §5): ``init_std`` / ``initializer_range`` 1.0, otherwise random
models emit one repeated token; ``padding_side`` given to the Qwen2 tokenizer **constructor**;
Whisper needs a hand-made ``GenerationConfig``. Configs live in ``fixtures/models/*.json``.
Same config + same seed gives bit-identical weights on every machine (weights are drawn on the
CPU generator, then moved).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from runners.base import Runner
from runners.qwen2_audio_hf import Qwen2AudioRunner
from runners.whisper_hf import WhisperRunner

MODELS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "models"

WHISPER_SPECIAL_TOKENS = ("<|endoftext|>", "<|startoftranscript|>", "<|en|>", "<|transcribe|>", "<|translate|>",
                          "<|notimestamps|>")
QWEN2_AUDIO_SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|AUDIO|>", "<|audio_bos|>",
                              "<|audio_eos|>")


def byte_level_vocab() -> dict[str, int]:
    """The 256 GPT-2 byte-to-unicode characters, in byte order: a vocabulary that encodes any text."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    codes = list(printable)
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            codes.append(256 + extra)
            extra += 1
    table = dict(zip(printable, codes, strict=True))
    return {chr(table[byte]): byte for byte in range(256)}


def load_model_config(name_or_path: str | Path) -> dict[str, Any]:
    """A tiny-model config by fixture name (``tiny-whisper``) or path to a JSON file."""
    path = Path(name_or_path)
    if not path.suffix:
        path = MODELS_DIR / f"{name_or_path}.json"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in MODELS_DIR.glob("*.json")))
        raise FileNotFoundError(f"{path}: no such tiny-model config (known: {known})")
    return json.loads(path.read_text(encoding="utf-8"))


def _seeded(seed: int) -> Any:
    import torch

    torch.manual_seed(seed)
    return torch


def build_tiny_whisper(spec: dict[str, Any]) -> tuple[Any, Any]:
    """(model, tokenizer) for a ``kind: whisper`` spec; weights drawn from ``torch.manual_seed(seed)``."""
    from transformers import GenerationConfig, WhisperConfig, WhisperForConditionalGeneration, WhisperTokenizer

    tokenizer = WhisperTokenizer(vocab=byte_level_vocab(), merges=[], errors="replace")
    tokenizer.add_special_tokens({"additional_special_tokens": list(WHISPER_SPECIAL_TOKENS)})
    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in WHISPER_SPECIAL_TOKENS}
    eot, sot = ids["<|endoftext|>"], ids["<|startoftranscript|>"]
    config = WhisperConfig(vocab_size=len(tokenizer), pad_token_id=eot, bos_token_id=eot, eos_token_id=eot,
                           decoder_start_token_id=sot, suppress_tokens=[], begin_suppress_tokens=[],
                           **spec["config"])
    _seeded(int(spec["seed"]))
    model = WhisperForConditionalGeneration(config).eval()
    model.generation_config = GenerationConfig(
        decoder_start_token_id=sot, eos_token_id=eot, pad_token_id=eot, bos_token_id=eot,
        no_timestamps_token_id=ids["<|notimestamps|>"], is_multilingual=True,
        lang_to_id={"<|en|>": ids["<|en|>"]},
        task_to_id={"transcribe": ids["<|transcribe|>"], "translate": ids["<|translate|>"]},
        suppress_tokens=[], begin_suppress_tokens=[], max_length=config.max_target_positions)
    return model, tokenizer


def build_tiny_qwen2_audio(spec: dict[str, Any], padding_side: str = "left") -> tuple[Any, Any]:
    """(model, processor) for a ``kind: qwen2-audio`` spec; the tokenizer is built with ``padding_side``."""
    from transformers import (
        GenerationConfig,
        Qwen2AudioConfig,
        Qwen2AudioForConditionalGeneration,
        Qwen2AudioProcessor,
        Qwen2Tokenizer,
        WhisperFeatureExtractor,
    )

    tokenizer = Qwen2Tokenizer(vocab=byte_level_vocab(), merges=[], padding_side=padding_side, errors="replace")
    tokenizer.add_special_tokens({"additional_special_tokens": list(QWEN2_AUDIO_SPECIAL_TOKENS)})
    ids = {token: tokenizer.convert_tokens_to_ids(token) for token in QWEN2_AUDIO_SPECIAL_TOKENS}
    tokenizer.pad_token = "<|endoftext|>"
    text_config = {"model_type": "qwen2", "vocab_size": len(tokenizer), "pad_token_id": ids["<|endoftext|>"],
                   "bos_token_id": ids["<|im_start|>"], "eos_token_id": ids["<|im_end|>"], **spec["text_config"]}
    audio_config = {"model_type": "qwen2_audio_encoder", **spec["audio_config"]}
    config = Qwen2AudioConfig(audio_config=audio_config, text_config=text_config,
                              audio_token_index=ids["<|AUDIO|>"])
    _seeded(int(spec["seed"]))
    model = Qwen2AudioForConditionalGeneration(config).eval()
    model.generation_config = GenerationConfig(eos_token_id=[ids["<|im_end|>"], ids["<|endoftext|>"]],
                                               pad_token_id=ids["<|endoftext|>"], bos_token_id=ids["<|im_start|>"])
    feature_extractor = WhisperFeatureExtractor(feature_size=spec["audio_config"].get("num_mel_bins", 128))
    processor = Qwen2AudioProcessor(feature_extractor=feature_extractor, tokenizer=tokenizer)
    return model, processor


def tiny_runner(name_or_path: str | Path = "tiny-whisper", *, device: str = "cpu", dtype: str = "fp32",
                padding_side: str = "left") -> Runner:
    """A runner over a tiny random model described by a fixture config."""
    spec = load_model_config(name_or_path)
    name = Path(name_or_path).stem
    if spec["kind"] == "whisper":
        model, tokenizer = build_tiny_whisper(spec)
        return WhisperRunner(model, tokenizer, name=name, device=device, dtype=dtype, language="en")
    if spec["kind"] == "qwen2-audio":
        model, processor = build_tiny_qwen2_audio(spec, padding_side=padding_side)
        return Qwen2AudioRunner(model, processor, name=name, device=device, dtype=dtype, padding_side=padding_side)
    raise ValueError(f"{name_or_path}: unknown tiny-model kind {spec['kind']!r} (whisper | qwen2-audio)")
