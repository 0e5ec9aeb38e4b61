"""Runner for transformers' ``Qwen2AudioForConditionalGeneration`` (greedy, chat template).

Reproduces the inference recipe of the Qwen2-Audio model card (QwenLM/Qwen2-Audio,
``README.md`` "Audio Analysis Inference"): one user turn holding the audio and the instruction,
``apply_chat_template(add_generation_prompt=True)``, the processor builds ``<|AUDIO|>`` tokens and
128-bin log-mel features, and the generated part is ``sequences[:, input_len:]``.

Decoder-only models must be **left**-padded for batched generation: with right padding the
shorter prompts get pad tokens between the prompt and the first generated token, which changes
outputs. The padding side is set on every call (``padding_side=`` of the tokenizer call), not only
on the tokenizer object, because a ``tok.padding_side = ...`` assignment was seen to be lost after
save/load (dependencies.md §5). Right padding is kept as a sweep option to measure that pitfall.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from runners.base import AudioInput, Generation, Runner, step_scores, torch_dtype, trim_at_eos

DEFAULT_PROMPT = "Describe the audio."


class Qwen2AudioRunner(Runner):
    """Greedy Qwen2-Audio generation returning text, token ids and processed per-step scores."""

    def __init__(self, model: Any, processor: Any, *, name: str = "qwen2-audio", device: str = "cpu",
                 dtype: str = "fp32", padding_side: str = "left"):
        import torch

        if padding_side not in ("left", "right"):
            raise ValueError(f"padding_side must be 'left' or 'right', not {padding_side!r}")
        self.name = name
        self.device = device
        self.dtype = dtype
        self.padding_side = padding_side
        self.processor = processor
        self.model = model.to(device=torch.device(device), dtype=torch_dtype(dtype)).eval()

    @classmethod
    def from_pretrained(cls, model_dir: str | Path, *, device: str = "cpu", dtype: str = "fp32",
                        padding_side: str = "left") -> Qwen2AudioRunner:
        """An HF-format checkpoint directory (e.g. a local copy of Qwen/Qwen2-Audio-7B-Instruct)."""
        from transformers import AutoProcessor, Qwen2AudioForConditionalGeneration

        model_dir = Path(model_dir)
        if not (model_dir / "config.json").is_file():
            raise FileNotFoundError(f"{model_dir}: no config.json; pass a local Qwen2-Audio checkpoint directory")
        processor = AutoProcessor.from_pretrained(str(model_dir), padding_side=padding_side)
        model = Qwen2AudioForConditionalGeneration.from_pretrained(str(model_dir), dtype=torch_dtype(dtype))
        return cls(model, processor, name=f"qwen2-audio:{model_dir.name}", device=device, dtype=dtype,
                   padding_side=padding_side)

    def chat_text(self, prompt: str | None) -> str:
        conversation = [{"role": "user", "content": [
            {"type": "audio", "audio_url": "input.wav"},
            {"type": "text", "text": prompt or DEFAULT_PROMPT},
        ]}]
        return self.processor.apply_chat_template(conversation, add_generation_prompt=True, tokenize=False)

    def eos_ids(self) -> list[int]:
        eos = self.model.generation_config.eos_token_id
        return list(eos) if isinstance(eos, (list, tuple)) else [eos]

    def generate(self, batch: Sequence[AudioInput], max_new_tokens: int) -> list[Generation]:
        import torch

        texts = [self.chat_text(item.prompt) for item in batch]
        inputs = self.processor(text=texts, audio=[item.waveform for item in batch], sampling_rate=16_000,
                                return_tensors="pt", padding=True, padding_side=self.padding_side)
        inputs = inputs.to(self.device)
        inputs["input_features"] = inputs["input_features"].to(torch_dtype(self.dtype))
        with torch.inference_mode():
            out = self.model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False, num_beams=1,
                                      return_dict_in_generate=True, output_scores=True)
        prompt_length = inputs["input_ids"].shape[1]
        generated = out.sequences[:, prompt_length:]
        eos = self.eos_ids()
        results = []
        for row, item in enumerate(batch):
            tokens = trim_at_eos(generated[row].tolist(), eos)
            scores = step_scores(out.scores, row, len(tokens))
            text = self.processor.tokenizer.decode(tokens, skip_special_tokens=True).strip()
            results.append(Generation(id=item.id, text=text, token_ids=tuple(tokens), scores=scores))
        return results
