"""The runner interface: load a model once, generate greedily for a batch of audio + prompt.

Every adapter (HF Whisper, HF Qwen2-Audio, SALMONN from a local checkout, the tiny random models)
returns the same record per item: the decoded text, the generated token ids and the per-step
scores the greedy choice was made from. Those scores are what the determinism harness needs: a
batch-size change that does not flip a token can still move logits, and the margin between the
top two candidates at a step says how close a flip was.

``scores`` are the *processed* next-token scores of each generated step (after the model's own
logits processors, e.g. Whisper's token suppression; suppressed entries are ``-inf``). Greedy
decoding takes their argmax, so margins computed on them explain flips exactly.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

DTYPE_NAMES = ("fp32", "fp16", "bf16")


@dataclass(frozen=True)
class AudioInput:
    """One item to run: an id, 16 kHz mono float32 samples and an optional text instruction."""

    id: str
    waveform: np.ndarray
    prompt: str | None = None
    sampling_rate: int = 16_000
    reference: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Generation:
    """What a runner produced for one item: text, generated token ids, per-step scores [steps, vocab]."""

    id: str
    text: str
    token_ids: tuple[int, ...]
    scores: np.ndarray

    def __post_init__(self) -> None:
        if self.scores.ndim != 2 or self.scores.shape[0] != len(self.token_ids):
            raise ValueError(f"item {self.id}: scores shape {self.scores.shape} does not match "
                             f"{len(self.token_ids)} generated tokens")


class Runner(ABC):
    """A loaded model that generates greedily for batches of ``AudioInput``.

    Subclasses set ``name``, ``device`` and ``dtype`` (one of ``DTYPE_NAMES``), and implement
    ``generate``. ``padding_side`` matters only for decoder-only models (Qwen2-Audio, SALMONN);
    encoder-decoder Whisper pads features to 30 s regardless.
    """

    name: str = "runner"
    device: str = "cpu"
    dtype: str = "fp32"
    padding_side: str = "left"

    @abstractmethod
    def generate(self, batch: Sequence[AudioInput], max_new_tokens: int) -> list[Generation]:
        """Greedy generation for the whole batch at once; one ``Generation`` per input, same order."""

    def describe(self) -> dict[str, Any]:
        """Facts that change outputs: model name, device, dtype, padding side."""
        return {"runner": self.name, "device": self.device, "dtype": self.dtype, "padding_side": self.padding_side}


def torch_dtype(name: str) -> Any:
    """The torch dtype for ``fp32`` / ``fp16`` / ``bf16``."""
    import torch

    table = {"fp32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}
    if name not in table:
        raise ValueError(f"unknown dtype {name!r}; expected one of {', '.join(DTYPE_NAMES)}")
    return table[name]


def supported_dtypes(device: str) -> tuple[str, ...]:
    """The dtypes worth sweeping on a device: fp32 everywhere; fp16 and bf16 on CUDA where supported.

    CPUs run half precision through slow emulation paths that say nothing about GPU behaviour, so
    the CPU class is fp32 only.
    """
    if not str(device).startswith("cuda"):
        return ("fp32",)
    import torch

    if not torch.cuda.is_available():
        return ("fp32",)
    return ("fp32", "bf16", "fp16") if torch.cuda.is_bf16_supported() else ("fp32", "fp16")


def trim_at_eos(token_ids: Sequence[int], eos_ids: Sequence[int]) -> list[int]:
    """Generated tokens up to and including the first end-of-sequence token (padding after it dropped)."""
    kept: list[int] = []
    for token in token_ids:
        kept.append(int(token))
        if token in eos_ids:
            break
    return kept


def step_scores(scores: Sequence[Any], row: int, steps: int) -> np.ndarray:
    """Stack ``generate``'s per-step score tensors for one batch row into a float32 [steps, vocab] array."""
    import torch

    if steps == 0:
        width = scores[0].shape[-1] if scores else 0
        return np.zeros((0, width), dtype=np.float32)
    return torch.stack([scores[t][row] for t in range(steps)]).float().cpu().numpy()
