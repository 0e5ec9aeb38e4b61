"""SALMONN from a user's local checkout and weights (bytedance/SALMONN), as a greedy runner.

SALMONN is not a transformers model: its code lives in the repository bytedance/SALMONN
(``models/salmonn.py``: ``SALMONN.from_config``, ``encode_speech``, ``prompt_wrap``;
``utils.py``: ``prepare_one_sample``; ``configs/decode_config.yaml``; ``cli_inference.py``) and
its weights are four separate downloads (the SALMONN checkpoint, Whisper large-v2, BEATs, Vicuna).
This adapter imports *that* code from the checkout you give and reproduces the inference path of
``cli_inference.py`` / ``SALMONN.generate``: 16 kHz audio padded to at least 1 s and cut at 30 s,
Whisper log-mel features, the raw waveform for BEATs with a padding mask, the prompt template
``USER: <Speech><SpeechHere></Speech> {prompt}\\nASSISTANT:`` and a BOS embedding before the
wrapped speech. The one change is the decoding call: greedy (``num_beams=1``) with
``return_dict_in_generate`` so that token ids and per-step scores come back (SALMONN's own
``generate`` defaults to beam 4 and returns text only).

Batching caveat, measured by ``runners.sweep`` when you run it: ``prompt_wrap`` pads the text
*after* the speech on the right (``padding="longest"``), so prompts of different lengths put pad
embeddings between the prompt and the answer, the decoder-only padding pitfall.

Nothing here downloads: every path must exist, otherwise ``SalmonnUnavailableError`` names the
missing one (tests skip with that reason).
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from evaluators.errors import AudioreproError
from runners.base import AudioInput, Generation, Runner, step_scores, torch_dtype, trim_at_eos

PROMPT_TEMPLATE = "USER: {}\nASSISTANT:"
SPEECH_PLACEHOLDER = "<Speech><SpeechHere></Speech> "
ENVIRONMENT = {"repo": "AUDIOREPRO_SALMONN_REPO", "ckpt": "AUDIOREPRO_SALMONN_CKPT",
               "whisper_path": "AUDIOREPRO_SALMONN_WHISPER", "beats_path": "AUDIOREPRO_SALMONN_BEATS",
               "llama_path": "AUDIOREPRO_SALMONN_VICUNA"}


class SalmonnUnavailableError(AudioreproError):
    """The SALMONN checkout or one of its weight paths is missing; the message names which."""


@dataclass(frozen=True)
class SalmonnPaths:
    """Where the user keeps SALMONN: the git checkout and the four weight locations."""

    repo: Path
    ckpt: Path
    whisper_path: Path
    beats_path: Path
    llama_path: Path

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> SalmonnPaths:
        missing = [variable for variable in ENVIRONMENT.values() if not environ.get(variable)]
        if missing:
            raise SalmonnUnavailableError(f"SALMONN needs a local checkout and weights; set {', '.join(missing)}")
        return cls(**{key: Path(environ[variable]) for key, variable in ENVIRONMENT.items()})

    def check(self) -> None:
        """Raise naming the first path that does not exist (and the checkout files we import)."""
        for key in ("repo", "ckpt", "whisper_path", "beats_path", "llama_path"):
            path = getattr(self, key)
            if not path.exists():
                raise SalmonnUnavailableError(f"SALMONN {key} not found: {path}")
        for relative in ("models/salmonn.py", "configs/decode_config.yaml"):
            if not (self.repo / relative).is_file():
                raise SalmonnUnavailableError(f"{self.repo} is not a SALMONN checkout: no {relative}")


def decode_config(paths: SalmonnPaths) -> dict[str, Any]:
    """``configs/decode_config.yaml`` of the checkout with the weight paths filled in."""
    import yaml

    config = yaml.safe_load((paths.repo / "configs" / "decode_config.yaml").read_text(encoding="utf-8"))
    model = dict(config["model"])
    model.update({"ckpt": str(paths.ckpt), "whisper_path": str(paths.whisper_path),
                  "beats_path": str(paths.beats_path), "llama_path": str(paths.llama_path)})
    for key in ("prompt_path", "test_prompt_path"):
        if model.get(key):
            model[key] = str(paths.repo / model[key])
    return {"model": model, "generate": dict(config.get("generate", {}))}


def prepare_batch(waveforms: Sequence[np.ndarray], feature_extractor: Any, rate: int = 16_000) -> dict[str, Any]:
    """SALMONN's ``prepare_one_sample`` for a batch: >= 1 s, <= 30 s, features, raw audio + padding mask."""
    import torch

    clips = []
    for wave in waveforms:
        wave = np.asarray(wave, dtype=np.float32)
        if len(wave) < rate:
            wave = np.concatenate([wave, np.zeros(rate - len(wave), dtype=np.float32)])
        clips.append(wave[: rate * 30])
    spectrogram = feature_extractor(clips, sampling_rate=rate, return_tensors="pt")["input_features"]
    longest = max(len(c) for c in clips)
    raw = torch.zeros(len(clips), longest)
    padding_mask = torch.ones(len(clips), longest, dtype=torch.bool)
    for row, clip in enumerate(clips):
        raw[row, : len(clip)] = torch.from_numpy(clip)
        padding_mask[row, : len(clip)] = False
    return {"spectrogram": spectrogram, "raw_wav": raw, "padding_mask": padding_mask}


class SalmonnRunner(Runner):
    """Greedy SALMONN generation through the checkout's own modules."""

    def __init__(self, paths: SalmonnPaths, *, device: str = "cuda", dtype: str = "fp16"):
        import torch

        paths.check()
        if str(paths.repo) not in sys.path:
            sys.path.insert(0, str(paths.repo))
        salmonn_module = importlib.import_module("models.salmonn")
        from transformers import WhisperFeatureExtractor

        self.name = "salmonn"
        self.device = device
        self.dtype = dtype
        self.padding_side = "right (SALMONN prompt_wrap)"
        self.config = decode_config(paths)
        self.model = salmonn_module.SALMONN.from_config(self.config["model"]).to(torch.device(device)).eval()
        self.feature_extractor = WhisperFeatureExtractor.from_pretrained(str(paths.whisper_path))

    @classmethod
    def from_environment(cls, **options: Any) -> SalmonnRunner:
        return cls(SalmonnPaths.from_environment(), **options)

    def generate(self, batch: Sequence[AudioInput], max_new_tokens: int) -> list[Generation]:
        import contextlib

        import torch

        model = self.model
        samples = prepare_batch([item.waveform for item in batch], self.feature_extractor)
        samples = {key: value.to(self.device) for key, value in samples.items()}
        prompts = [PROMPT_TEMPLATE.format(SPEECH_PLACEHOLDER + (item.prompt or "").strip()) for item in batch]
        autocast = (torch.autocast(device_type="cuda", dtype=torch_dtype(self.dtype))
                    if self.device.startswith("cuda") and self.dtype != "fp32" else contextlib.nullcontext())
        with torch.inference_mode(), autocast:
            speech, atts = model.encode_speech(samples["spectrogram"], raw_wav=samples["raw_wav"],
                                               audio_padding_mask=samples["padding_mask"])
            speech, atts = model.prompt_wrap(speech, atts, prompts, multi_prompt=True)
            bos = torch.full((len(batch), 1), model.llama_tokenizer.bos_token_id, dtype=torch.long,
                             device=speech.device)
            embed = model.llama_model.model.model.embed_tokens if model.lora else model.llama_model.model.embed_tokens
            embeds = torch.cat([embed(bos), speech], dim=1)
            mask = torch.cat([atts[:, :1], atts], dim=1)
            out = model.llama_model.generate(inputs_embeds=embeds, attention_mask=mask, max_new_tokens=max_new_tokens,
                                             num_beams=1, do_sample=False, return_dict_in_generate=True,
                                             output_scores=True)
        eos = [model.llama_tokenizer.eos_token_id]
        results = []
        for row, item in enumerate(batch):
            tokens = trim_at_eos(out.sequences[row].tolist(), eos)
            scores = step_scores(out.scores, row, len(tokens))
            text = model.llama_tokenizer.decode(tokens, skip_special_tokens=True).strip()
            results.append(Generation(id=item.id, text=text, token_ids=tuple(tokens), scores=scores))
        return results
