"""Inputs and runners by name, shared by the tests, ``python -m runners.sweep`` and ``audiorepro infer``.

Real audio for determinism work comes from the SAKURA clips of the data directory. The Emotion
track's clips are CREMA-D recordings, whose file names carry the sentence code of the CREMA-D
release (``1001_ITH_SAD_XX``: speaker, sentence ``ITH``, emotion, level); the twelve sentences are
listed in the CREMA-D README (CheyneyComputerScience/CREMA-D), so these clips have known reference
transcripts and a WER can be computed without any other data. The Language track's clips (Common
Voice) carry their language as ``attribute_label``; they are the inputs of language identification
and X -> English translation with the multilingual Whisper base.

A *workload* names a model together with its task, its clips and its metric:

| name | runner | clips | metric |
|---|---|---|---|
| ``tiny.en`` | Whisper tiny.en, transcribe | Emotion (CREMA-D) | WER |
| ``base`` | Whisper base, transcribe, language ``en`` | Emotion (CREMA-D) | WER |
| ``base-lid`` | Whisper base, language identification | Language | accuracy of the picked language |
| ``base-translate`` | Whisper base, translate from the clip's language to English | Language | none (no references) |
| tiny configs, paths | as ``make_runner`` says | Emotion (CREMA-D) | WER |
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from runners.audio import read_wav
from runners.base import AudioInput, Runner

CREMA_D_SENTENCES = {
    "IEO": "It's eleven o'clock",
    "TIE": "That is exactly what happened",
    "IOM": "I'm on my way to the meeting",
    "IWW": "I wonder what this is about",
    "TAI": "The airplane is almost full",
    "MTI": "Maybe tomorrow it will be cold",
    "IWL": "I would like a new alarm clock",
    "ITH": "I think I have a doctor's appointment",
    "DFA": "Don't forget a jacket",
    "ITS": "I think I've seen this before",
    "TSI": "The surface is slick",
    "WSI": "We'll stop in a couple of minutes",
}


def crema_d_items(data_dir: Path, limit: int | None = None, prompt: str = "Transcribe the speech.") -> list[AudioInput]:
    """SAKURA Emotion clips (CREMA-D) with their sentence as reference, sorted by file name."""
    folder = Path(data_dir) / "sakura" / "Emotion" / "audio"
    paths = sorted(folder.glob("*.wav"))
    if not paths:
        raise FileNotFoundError(f"{folder}: no SAKURA Emotion clips (is the data directory right?)")
    items = []
    for path in paths[:limit]:
        code = path.stem.split("_")[1]
        items.append(AudioInput(id=path.stem, waveform=read_wav(path), prompt=prompt,
                                reference=CREMA_D_SENTENCES.get(code), metadata={"audio": str(path)}))
    return items


#: SAKURA Language ``attribute_label`` -> the ISO 639-1 code of Whisper's language token
SAKURA_LANGUAGES = {"English": "en", "German": "de", "Spanish": "es", "French": "fr", "Italian": "it",
                    "Japanese": "ja", "Korean": "ko", "Chinese": "zh"}


def sakura_language_items(data_dir: Path, limit: int | None = None, *, with_reference: bool = True) -> list[AudioInput]:
    """SAKURA Language clips present under ``audio/``, sorted by file name, language code in metadata.

    ``reference`` is the language code (the language-identification target) when ``with_reference``.
    """
    import json

    track = Path(data_dir) / "sakura" / "Language"
    paths = sorted((track / "audio").glob("*.wav"))
    if not paths:
        raise FileNotFoundError(f"{track / 'audio'}: no SAKURA Language clips (is the data directory right?)")
    metadata = json.loads((track / "metadata.json").read_text(encoding="utf-8"))
    labels = {Path(key).name: entry.get("attribute_label") for key, entry in metadata.items()}
    items = []
    for path in paths[:limit]:
        label = labels.get(path.name)
        if label not in SAKURA_LANGUAGES:
            raise ValueError(f"{track / 'metadata.json'}: {path.name}: language label {label!r} is not one of "
                             f"{', '.join(SAKURA_LANGUAGES)}")
        code = SAKURA_LANGUAGES[label]
        items.append(AudioInput(id=path.stem, waveform=read_wav(path), reference=code if with_reference else None,
                                metadata={"audio": str(path), "language": code, "label": label}))
    return items


@dataclass(frozen=True)
class Workload:
    """Which clips a model name runs on and which task metric scores it (see the module docstring)."""

    clips: str
    metric_name: str | None
    max_new_tokens: int = 16

    def items(self, data_dir: Path, limit: int | None = None) -> list[AudioInput]:
        if self.clips == "sakura-language":
            return sakura_language_items(data_dir, limit, with_reference=self.metric_name is not None)
        return crema_d_items(data_dir, limit)

    def metric(self) -> Callable[[Sequence[str], Sequence[str]], float] | None:
        from runners.sweep import english_wer, language_accuracy

        return {"wer": english_wer, "language accuracy": language_accuracy}.get(self.metric_name or "")


WHISPER_BASE_WORKLOADS = {
    "base": ("transcribe", "en"),
    "base-lid": ("language-id", None),
    "base-translate": ("translate", None),
}


def workload(model: str) -> Workload:
    """The clips and metric of a model name (CREMA-D and WER unless it is a Language-track workload)."""
    if model == "base-lid":
        return Workload("sakura-language", "language accuracy", max_new_tokens=1)
    if model == "base-translate":
        return Workload("sakura-language", None)
    return Workload("crema-d", "wer")


def make_runner(model: str, *, device: str = "cpu", dtype: str = "fp32", padding_side: str = "left") -> Runner:
    """A workload name (``tiny.en``, ``base``, ``base-lid``, ``base-translate``), a tiny config name, or a path.

    A path is read as: a folder with ``model.bin`` (CTranslate2 Whisper), a folder with an HF
    ``config.json`` whose ``model_type`` is ``whisper`` or ``qwen2_audio``, or a tiny-model JSON config.
    """
    from runners.tiny_models import MODELS_DIR, tiny_runner
    from runners.whisper_hf import WhisperRunner

    if model == "tiny.en":
        return WhisperRunner.from_tiny_en(device=device, dtype=dtype)
    if model in WHISPER_BASE_WORKLOADS:
        task, language = WHISPER_BASE_WORKLOADS[model]
        return WhisperRunner.from_whisper_base(device=device, dtype=dtype, task=task, language=language)
    if (MODELS_DIR / f"{model}.json").is_file() or model.endswith(".json"):
        return tiny_runner(model, device=device, dtype=dtype, padding_side=padding_side)
    path = Path(model)
    if (path / "model.bin").is_file():
        return WhisperRunner.from_ct2(path, device=device, dtype=dtype)
    if (path / "config.json").is_file():
        import json

        model_type = json.loads((path / "config.json").read_text(encoding="utf-8")).get("model_type")
        if model_type == "whisper":
            return WhisperRunner.from_pretrained(path, device=device, dtype=dtype)
        if model_type == "qwen2_audio":
            from runners.qwen2_audio_hf import Qwen2AudioRunner

            return Qwen2AudioRunner.from_pretrained(path, device=device, dtype=dtype, padding_side=padding_side)
        raise ValueError(f"{path}: model_type {model_type!r} has no runner (whisper, qwen2_audio)")
    raise FileNotFoundError(f"{model}: not {', '.join(['tiny.en', *WHISPER_BASE_WORKLOADS])}, not a fixtures/models "
                            "config, not a checkpoint folder")
