"""Tiny random models: same seed, same weights; byte tokenizer round-trips; padding side survives save/load."""

from __future__ import annotations

import pytest

from runners.tiny_models import (
    QWEN2_AUDIO_SPECIAL_TOKENS,
    build_tiny_qwen2_audio,
    build_tiny_whisper,
    byte_level_vocab,
    load_model_config,
)

pytestmark = pytest.mark.determinism


def test_byte_vocab_covers_every_byte_once():
    vocab = byte_level_vocab()
    assert sorted(vocab.values()) == list(range(256)) and len(vocab) == 256


@pytest.mark.parametrize("name", ["tiny-whisper", "tiny-qwen2-audio"])
def test_same_seed_gives_identical_weights(name):
    spec = load_model_config(name)
    build = build_tiny_whisper if spec["kind"] == "whisper" else build_tiny_qwen2_audio
    first, second = build(spec)[0].state_dict(), build(spec)[0].state_dict()
    assert first.keys() == second.keys()
    assert all(bool((first[key] == second[key]).all()) for key in first)
    other = dict(spec, seed=spec["seed"] + 1)
    assert any(not bool((first[key] == build(other)[0].state_dict()[key]).all()) for key in first)


def test_tokenizer_round_trips_text_and_keeps_left_padding_after_save_load(tmp_path):
    from transformers import Qwen2AudioProcessor

    _, processor = build_tiny_qwen2_audio(load_model_config("tiny-qwen2-audio"), padding_side="left")
    tokenizer = processor.tokenizer
    text = "Héllo, wörld! 123"
    assert tokenizer.decode(tokenizer(text)["input_ids"]) == text
    assert all(tokenizer.convert_tokens_to_ids(token) >= 256 for token in QWEN2_AUDIO_SPECIAL_TOKENS)
    processor.save_pretrained(tmp_path)
    reloaded = Qwen2AudioProcessor.from_pretrained(tmp_path)
    assert reloaded.tokenizer.padding_side == "left"


def test_unknown_config_lists_the_known_ones():
    with pytest.raises(FileNotFoundError, match="known: .*tiny-qwen2-audio.*tiny-whisper"):
        load_model_config("tiny-llama")
