"""Reading 16 kHz mono PCM WAV with the standard library; bad files name the file."""

from __future__ import annotations

import wave

import numpy as np
import pytest

from runners.audio import AudioFormatError, read_wav

pytestmark = pytest.mark.determinism


def write(path, samples, rate=16_000, channels=1):
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(channels)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(np.asarray(samples, dtype="<i2").tobytes())


def test_reads_int16_as_float(tmp_path):
    path = tmp_path / "a.wav"
    write(path, [0, 16384, -32768, 32767])
    assert read_wav(path).tolist() == pytest.approx([0.0, 0.5, -1.0, 32767 / 32768])


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"rate": 8000}, "expected 16000 Hz, found 8000 Hz"),
    ({"channels": 2}, "expected mono audio, found 2 channels"),
])
def test_refuses_other_formats(tmp_path, kwargs, message):
    path = tmp_path / "bad.wav"
    write(path, [0, 0, 0, 0], **kwargs)
    with pytest.raises(AudioFormatError, match=message) as info:
        read_wav(path)
    assert "bad.wav" in str(info.value)


def test_not_a_wav(tmp_path):
    path = tmp_path / "x.wav"
    path.write_bytes(b"hello")
    with pytest.raises(AudioFormatError, match=r"x\.wav: not a PCM WAV file"):
        read_wav(path)


def test_reads_a_sakura_clip(require_data_dir):
    samples = read_wav(require_data_dir / "sakura" / "Emotion" / "audio" / "1001_ITH_SAD_XX.wav")
    assert samples.dtype == np.float32 and len(samples) == 37904 and np.abs(samples).max() <= 1.0
