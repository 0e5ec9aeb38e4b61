"""Reading audio for the runners: 16 kHz mono PCM WAV files through the standard library.

Only the standard library ``wave`` module and numpy are used (no torchaudio, no ffmpeg), so the
same code reads the SAKURA clips on a CPU-only CI machine and on a GPU host. Clips that are not
16-bit/8-bit/32-bit PCM, not mono or not at the expected sampling rate raise ``AudioFormatError``
naming the file; nothing is resampled silently, because a resampler would change the model input.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from evaluators.errors import AudioreproError

SAMPLING_RATE = 16_000


class AudioFormatError(AudioreproError, ValueError):
    """An audio file that cannot be read as 16 kHz mono PCM. Names the file and what is wrong."""

    def __init__(self, path: object, message: str):
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")


_PCM_DTYPES = {1: np.uint8, 2: np.int16, 4: np.int32}


def read_wav(path: str | Path, expected_rate: int = SAMPLING_RATE) -> np.ndarray:
    """Return the samples of a mono PCM WAV file as float32 in [-1, 1]."""
    path = Path(path)
    try:
        with wave.open(str(path), "rb") as handle:
            channels = handle.getnchannels()
            width = handle.getsampwidth()
            rate = handle.getframerate()
            frames = handle.readframes(handle.getnframes())
    except FileNotFoundError:
        raise AudioFormatError(path, "file not found") from None
    except (wave.Error, EOFError) as error:
        raise AudioFormatError(path, f"not a PCM WAV file ({error})") from None
    if channels != 1:
        raise AudioFormatError(path, f"expected mono audio, found {channels} channels")
    if rate != expected_rate:
        raise AudioFormatError(path, f"expected {expected_rate} Hz, found {rate} Hz (resample it first)")
    if width not in _PCM_DTYPES:
        raise AudioFormatError(path, f"unsupported sample width {width} bytes")
    samples = np.frombuffer(frames, dtype=_PCM_DTYPES[width]).astype(np.float32)
    if width == 1:
        samples = (samples - 128.0) / 128.0
    else:
        samples /= float(2 ** (8 * width - 1))
    return samples


def trim(samples: np.ndarray, seconds: float, rate: int = SAMPLING_RATE) -> np.ndarray:
    """The first ``seconds`` of a clip (whole clip when shorter); keeps CPU tests short."""
    return samples[: int(round(seconds * rate))]
