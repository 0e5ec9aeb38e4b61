"""CER protocols: the examples of protocols.md §3 as exact values."""

from __future__ import annotations

import pytest

from evaluators.predictions.base import PredictionSet
from evaluators.protocols import all_protocols, get_protocol


def score(protocol_id: str, hypothesis: str, reference: str):
    return get_protocol(protocol_id).score(PredictionSet.from_pairs([hypothesis], [reference]))


@pytest.mark.parametrize(("protocol_id", "hypothesis", "reference", "expected"), [
    ("CER-QWEN1-ZH", "今天天气真好", "今天天气很好。", 2 / 7),
    ("CER-QWEN2-ZH", "今天天气真好", "今天天气很好。", 1 / 6),
    ("CER-QWEN2-ZH", "我有三个苹果", "我有3个苹果。", 0.0),
    ("CER-QWEN2-YUE", "佢哋去咗学校", "佢哋去咗學校。", 0.0),
    ("CER-QWEN2-YUE", "佢去咗學校", "佢哋去咗學校。", 1 / 6),
    ("CER-JIWER", "abd def", "abc def", 1 / 7),
    ("CER-AB-MIXED", "我喜欢NLP模型。", "我喜欢 NLP 模型", 3 / 6),
    ("CER-FAIRSEQ", "ab d", "ab c", 1 / 4),
])
def test_spec_examples(protocol_id: str, hypothesis: str, reference: str, expected: float) -> None:
    assert score(protocol_id, hypothesis, reference).value == pytest.approx(expected, abs=1e-12)


def test_cer_ab_mixed_processed_texts() -> None:
    detail = score("CER-AB-MIXED", "我喜欢NLP模型。", "我喜欢 NLP 模型").items[0]
    assert detail.references == ("我 喜 欢 nlp 模 型",)
    assert detail.hypothesis == "我 喜 欢nlp模 型"


def test_cer_fairseq_counts_spaces_as_tokens() -> None:
    detail = score("CER-FAIRSEQ", "ab d", "ab c").items[0]
    assert detail.references == ("a b \u2581 c",)


def test_cer_jiwer_counts_spaces_and_is_macro() -> None:
    result = get_protocol("CER-JIWER").score(PredictionSet.from_pairs(["abd def", "xy"], ["abc def", "xz"]))
    assert result.value == pytest.approx((1 / 7 + 1 / 2) / 2)


def test_family_is_complete_and_cited() -> None:
    protocols = {p.id: p for p in all_protocols("cer")}
    assert set(protocols) == {"CER-QWEN1-ZH", "CER-QWEN2-ZH", "CER-QWEN2-YUE", "CER-JIWER", "CER-AB-MIXED",
                              "CER-FAIRSEQ"}
    for protocol in protocols.values():
        assert protocol.sources and protocol.spec == "protocols.md §3"
        assert protocol.metric.signature_fields()["unit"] in ("char", "word+han-char")
