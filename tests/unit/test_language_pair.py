"""Language-pair selection: where the pair comes from and which translation protocols it admits."""

from __future__ import annotations

import pytest

from evaluators.errors import AudioreproError
from evaluators.language_pair import (
    LanguagePair,
    pair_info,
    pair_of_dataset_key,
    pair_of_source,
    parse_pair,
    protocol_filter,
)
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.protocols import all_protocols, get_protocol


def items(*metadata: dict) -> PredictionSet:
    return PredictionSet("t", "hand-made", tuple(PredictionItem(str(i), "x", ("x",), metadata=m)
                                                 for i, m in enumerate(metadata)))


@pytest.mark.parametrize(("source", "pair"), [
    ("covost2_en_ja", LanguagePair("en", "ja")), ("covost2_en_ja_test", LanguagePair("en", "ja")),
    ("covost2_zh_en_test", LanguagePair("zh", "en")), ("librispeech_test_clean", None), ("covost2", None)])
def test_pair_of_source(source: str, pair: LanguagePair | None) -> None:
    assert pair_of_source(source) == pair


def test_parse_pair_and_dataset_keys() -> None:
    assert parse_pair("EN-JA") == LanguagePair("en", "ja") and str(parse_pair("en-de")) == "en-de"
    with pytest.raises(AudioreproError, match="expected SOURCE-TARGET"):
        parse_pair("english")
    assert pair_of_dataset_key("covost2-en-ja") == LanguagePair("en", "ja")
    assert pair_of_dataset_key("librispeech") is None


def test_explicit_pair_wins_then_source_then_target_language() -> None:
    tagged = items({"source": "covost2_en_ja"}, {"source": "covost2_en_ja"})
    assert pair_info(tagged).pair == LanguagePair("en", "ja") and pair_info(tagged).origin == "source"
    assert pair_info(tagged, "en-de").pair == LanguagePair("en", "de")
    target_only = items({"target_language": "de"}, {"target_language": "de"})
    assert pair_info(target_only).pair == LanguagePair(None, "de")
    assert pair_info(items({}, {})).origin == "unknown"
    mixed = pair_info(items({"source": "covost2_en_ja_test"}, {"source": "covost2_en_de_test"}))
    assert mixed.pair is None and mixed.origin == "mixed" and len(mixed.pairs) == 2


def valid_ids(predictions: PredictionSet, explicit: str | None = None) -> set[str]:
    selection = protocol_filter(predictions, explicit)
    return {selection.adapt(p).id for p in all_protocols("st") if selection.applicable(p) is None}


def test_en_ja_gets_only_japanese_protocols() -> None:
    valid = valid_ids(items({"source": "covost2_en_ja"}))
    assert {"ST-JW-JA", "ST-JW-JA/ja-mecab", "ST-QWEN/ja", "ST-COVOST/ja"} <= valid
    assert not any(pid.startswith(("ST-JW-ZH", "ST-JW-DE")) or pid == "ST-AB/zh-tok" for pid in valid)


def test_en_de_never_gets_ja_mecab_or_zh_bleu() -> None:
    valid = valid_ids(items({"source": "covost2_en_de_test"}))
    assert {"ST-JW-DE/no-skip", "ST-QWEN", "ST-COVOST"} <= valid  # source read correctly: no fixed variant
    assert not any("JA" in pid or "ZH" in pid or "zh" in pid for pid in valid)


def test_without_any_pair_only_language_free_protocols_remain() -> None:
    selection = protocol_filter(items({}, {}))
    reasons = {p.id: selection.applicable(p) for p in all_protocols("st")}
    assert reasons["ST-AB"] is None  # spBLEU is language-independent (and unavailable offline)
    assert "--pair" in reasons["ST-QWEN"] and "target ja" in reasons["ST-JW-JA"]


def test_explicit_pair_fixes_the_language_of_source_reading_protocols() -> None:
    selection = protocol_filter(items({}, {}), "en-ja")
    fixed = selection.adapt(get_protocol("ST-QWEN"))
    assert fixed.id == "ST-QWEN/ja" and "target_language:ja" in fixed.signature()


def test_mixed_pairs_keep_per_source_protocols_only() -> None:
    mixed = items({"source": "covost2_en_ja_test"}, {"source": "covost2_en_de_test"})
    valid = valid_ids(mixed)
    assert "ST-QWEN" in valid and "ST-COVOST" in valid and not any(pid.startswith("ST-JW") for pid in valid)
    misread = items({"source": "covost2_en_ja"}, {"source": "covost2_en_de"})
    assert "wrong target language" in protocol_filter(misread).applicable(get_protocol("ST-QWEN"))


def test_other_families_are_never_filtered() -> None:
    selection = protocol_filter(items({}, {}), "en-ja")
    assert all(selection.applicable(p) is None for p in all_protocols("asr"))
