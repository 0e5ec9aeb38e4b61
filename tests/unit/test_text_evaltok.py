"""EVALTOK (fairseq EvaluationTokenizer), protocols.md §1.3."""

from __future__ import annotations

import pytest

from evaluators.text.evaltok import EvaluationTokenizer, is_punctuation_token, remove_punctuation_tokens
from evaluators.text.tokenizers import TokenizerUnavailableError


def test_spec_example_13a_lowercase_punctuation_removal() -> None:
    tokenizer = EvaluationTokenizer("13a", lowercase=True, punctuation_removal=True)
    assert tokenizer.tokenize("It costs $20, OK?") == "it costs $ 20 ok"


@pytest.mark.parametrize(("flags", "text", "expected"), [
    ({"tokenizer_type": "none"}, "Hello, world", "Hello, world"),
    ({"tokenizer_type": "13a"}, "Hello, world", "Hello , world"),
    ({"tokenizer_type": "13a", "punctuation_removal": True}, "Hello, world!", "Hello world"),
    ({"tokenizer_type": "none", "punctuation_removal": True}, "he hoped, there . !?", "he hoped, there"),
    ({"tokenizer_type": "none", "lowercase": True}, "He Hoped", "he hoped"),
    ({"tokenizer_type": "none", "character_tokenization": True}, "ab c", "a b \u2581 c"),
    ({"tokenizer_type": "none", "character_tokenization": True, "lowercase": True}, "AB", "a b"),
    ({"tokenizer_type": "none", "punctuation_removal": True}, "a  b", "a b"),
    ({"tokenizer_type": "zh"}, "我喜欢NLP。", "我 喜 欢 NLP 。"),
])
def test_tokenize(flags: dict, text: str, expected: str) -> None:
    assert EvaluationTokenizer(**flags).tokenize(text) == expected


def test_lowercase_happens_after_punctuation_removal_and_keeps_symbols() -> None:
    tokenizer = EvaluationTokenizer("13a", lowercase=True, punctuation_removal=True)
    assert tokenizer.tokens("A + B = C.") == ["a", "+", "b", "=", "c"]


@pytest.mark.parametrize(("token", "expected"), [
    (",", True), ("?!", True), ("", True), ("«»", True), ("$", False), ("hoped,", False), ("a", False),
])
def test_is_punctuation_token(token: str, expected: bool) -> None:
    assert is_punctuation_token(token) is expected


def test_remove_punctuation_tokens_drops_empty_tokens() -> None:
    assert remove_punctuation_tokens(" a , b  c ") == "a b c"


def test_download_tokenizer_is_refused_by_name() -> None:
    with pytest.raises(TokenizerUnavailableError):
        EvaluationTokenizer("flores101")


def test_signature_has_no_field_separators() -> None:
    signature = EvaluationTokenizer("13a", lowercase=True).signature()
    assert "|" not in signature and ":" not in signature
    assert signature == "tok=13a,lc=yes,punct=kept,char=no"
