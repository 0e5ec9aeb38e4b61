"""Speech-translation protocols on the hand-computed examples of protocols.md §6."""

import numpy as np
import pytest
import sacrebleu

from evaluators.errors import PredictionFormatError, ProtocolUnavailableError
from evaluators.predictions.base import PredictionSet
from evaluators.protocols import all_protocols, get_protocol
from evaluators.protocols.st import (
    JW_GRID,
    has_kana,
    jw_normalize,
    make_st_covost,
    make_st_qwen,
    remove_final_eos,
    target_language_of_source,
)
from evaluators.text.tokenizers import TokenizerUnavailableError

JA_OUTPUTS = ["今日は晴れ。</s>", "東京</s>", "Rain is falling."]
JA_REFS = ["今日は晴れです。", "東京に行きます。", "雨が降っています。"]


def score(protocol_id, outputs, refs, metadata=None):
    return get_protocol(protocol_id).score(PredictionSet.from_pairs(outputs, refs, metadata=metadata))


# -- ST-JW-JA (§6.1) -----------------------------------------------------------------------------
def test_st_jw_ja_example():
    """Kanji-only and Latin-only outputs are skipped; the kept pair gives char BLEU 56.98."""
    result = score("ST-JW-JA", JA_OUTPUTS, JA_REFS)
    assert round(result.value, 2) == 56.98
    assert result.n == 1 and result.skipped == {"no_kana": 2}
    assert result.items[0].hypothesis == "今日は晴れ。"


def test_st_jw_ja_normalises_both_sides_before_bleu():
    result = score("ST-JW-JA", ["Tokyoは「晴れ」!</s>"], ["tokyoは「晴れ」"])
    assert result.items[0].hypothesis == "tokyoは「晴れ」"
    assert result.value == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("protocol_id", "n", "skipped"),
    [
        ("ST-JW-JA", 1, {"no_kana": 2}),
        ("ST-JW-JA/no-kana-skip", 3, {}),
        ("ST-JW-JA/ja-mecab", 3, {}),
        ("ST-JW-JA/ja-mecab-kana-skip", 1, {"no_kana": 2}),
        ("ST-JW-JA/eos-kana-skip", 1, {"missed_eos": 1, "no_kana": 1}),
        ("ST-JW-JA/eos-skip", 2, {"missed_eos": 1}),
        ("ST-JW-JA/keep-eos", 1, {"no_kana": 2}),
    ],
)
def test_st_jw_ja_grid_skips(protocol_id, n, skipped):
    result = score(protocol_id, JA_OUTPUTS, JA_REFS)
    assert (result.n, result.skipped) == (n, skipped)


def test_st_jw_ja_no_kana_skip_equals_sacrebleu_on_all_pairs():
    result = score("ST-JW-JA/no-kana-skip", JA_OUTPUTS, JA_REFS)
    hyps = [jw_normalize(remove_final_eos(o)) for o in JA_OUTPUTS]
    assert result.value == sacrebleu.corpus_bleu(hyps, [[jw_normalize(r) for r in JA_REFS]], tokenize="char").score


def test_keep_eos_leaves_the_s_after_normalisation():
    """With the EOS kept, normalisation deletes '<', '/', '>' and leaves a stray 's' in the hypothesis."""
    result = score("ST-JW-JA/keep-eos", ["今日は晴れ。</s>"], ["今日は晴れです。"])
    assert result.items[0].hypothesis == "今日は晴れ。s"
    assert result.value < score("ST-JW-JA", ["今日は晴れ。</s>"], ["今日は晴れです。"]).value


def test_ja_mecab_variant_uses_mecab_tokens():
    result = score("ST-JW-JA/ja-mecab", ["今日は晴れ。</s>"], ["今日は晴れです。"])
    assert round(result.value, 2) == 49.76


def test_eos_rule_is_exact_endswith():
    assert remove_final_eos("晴れ</s>") == "晴れ"
    assert remove_final_eos("晴れ</s> ") == "晴れ</s> "
    result = score("ST-JW-JA/eos-skip", ["晴れです</s> "], ["晴れです"])
    assert result.skipped == {"missed_eos": 1}


@pytest.mark.parametrize(("text", "expected"), [("きょう", True), ("カタカナ", True), ("東京", False),
                                                ("Rain", False), ("ー", True)])
def test_kana_detection(text, expected):
    assert has_kana(text) is expected


@pytest.mark.parametrize(("text", "expected"), [("Hello, World! It's well-known.", "hello world it's well-known"),
                                                ("今日は、晴れ。", "今日は、晴れ。")])
def test_jw_normalize(text, expected):
    assert jw_normalize(text) == expected


def test_grid_ids_have_unique_signatures_and_cite_the_repo():
    signatures = [protocol.signature() for protocol in JW_GRID]
    assert len(set(signatures)) == len(signatures) == 14
    for protocol in JW_GRID:
        assert protocol.family == "st"
        assert protocol.sources[0].repo == "jaeeewon/project-multimodal"
        assert "eval_bleu.py" in protocol.sources[0].path


@pytest.mark.parametrize(
    ("protocol_id", "tokenize"),
    [("ST-JW-ZH/zh", "zh"), ("ST-JW-ZH/char", "char"), ("ST-JW-ZH/eos-skip", "char"), ("ST-JW-DE/no-skip", "13a")],
)
def test_zh_and_de_rows_are_sacrebleu_with_the_labelled_tokenizer(protocol_id, tokenize):
    hyps, refs = ["我喜欢自然语言处理。</s>", "das ist ein haus</s>"], ["我很喜欢自然语言处理。", "Das ist ein Haus."]
    result = score(protocol_id, hyps, refs)
    expected = sacrebleu.corpus_bleu([remove_final_eos(h) for h in hyps], [refs], tokenize=tokenize).score
    assert result.value == expected


def test_zh_char_normalize_keep_eos():
    result = score("ST-JW-ZH/char-normalize-keep-eos", ["我喜欢NLP。</s>"], ["我喜欢nlp。"])
    assert result.items[0].hypothesis == "我喜欢nlp。s"


def test_flores_rows_are_unavailable_not_substituted():
    protocol = get_protocol("ST-JW-ZH/flores101")
    assert protocol.describe()["available"] is False
    with pytest.raises(ProtocolUnavailableError, match="FLORES-101"):
        protocol.score(PredictionSet.from_pairs(["我"], ["我"]))


# -- ST-QWEN (§6.3) ------------------------------------------------------------------------------
QWEN_CASES = [
    ("我喜欢自然语言处理。", "我很喜欢自然语言处理。", "covost2_en_zh_test", 81.76),
    ("今日は晴れ。", "今日は晴れです。", "covost2_en_ja_test", 49.76),
    ("今日は晴れ。", "今日は晴れです。", "covost2_en_de_test", 0.00),  # 13a: one token each, no match
]


@pytest.mark.parametrize(("hyp", "ref", "source", "expected"), QWEN_CASES)
def test_st_qwen_examples(hyp, ref, source, expected):
    result = score("ST-QWEN", [hyp], [ref], metadata=[{"source": source}])
    assert round(result.value, 2) == expected


def test_st_qwen_groups_by_source():
    hyps, refs, sources, expected = zip(*QWEN_CASES, strict=True)
    result = score("ST-QWEN", list(hyps), list(refs), metadata=[{"source": s} for s in sources])
    assert {name: round(group.value, 2) for name, group in result.groups.items()} == dict(
        zip(sources, expected, strict=True))
    assert {name: group.n for name, group in result.groups.items()} == dict.fromkeys(sources, 1)


def test_st_qwen_fixed_target_language_parameter():
    protocol = make_st_qwen(target_language="ja")
    result = protocol.score(PredictionSet.from_pairs(["今日は晴れ。"], ["今日は晴れです。"]))
    assert round(result.value, 2) == 49.76
    assert "target_language:ja" in protocol.signature()


def test_st_qwen_raw_strings_case_sensitive():
    result = score("ST-QWEN", ["das ist ein haus"], ["Das ist ein Haus."], metadata=[{"source": "covost2_en_de_test"}])
    assert round(result.value, 2) == 24.88


def test_st_qwen_missing_source_names_the_item():
    with pytest.raises(PredictionFormatError, match="item 0.*source"):
        score("ST-QWEN", ["a"], ["a"])
    with pytest.raises(PredictionFormatError, match="item 0.*<corpus>_<src>_<tgt>_<split>"):
        score("ST-QWEN", ["a"], ["a"], metadata=[{"source": "covost2"}])


def test_target_language_of_source():
    assert target_language_of_source("covost2_en_ja_test") == "ja"
    assert target_language_of_source("covost2_zh-CN_en_test") == "en"


# -- ST-AB (§6.4) --------------------------------------------------------------------------------
def test_st_ab_raises_named_unavailable_error_with_reason():
    protocol = get_protocol("ST-AB")
    with pytest.raises(ProtocolUnavailableError) as error:
        protocol.score(PredictionSet.from_pairs(["我"], ["我"]))
    message = str(error.value)
    assert "ST-AB" in message and "flores101" in message and "downloads" in message and "offline" in message


def test_st_ab_is_listed_as_unavailable():
    described = {p.id: p.describe() for p in all_protocols("st")}
    assert described["ST-AB"]["available"] is False
    assert "SentencePiece" in described["ST-AB"]["unavailable_reason"]
    assert "tok:flores101" in get_protocol("ST-AB").signature()


def test_st_ab_metric_never_falls_back():
    metric = get_protocol("ST-AB").metric
    with pytest.raises(TokenizerUnavailableError):
        metric.item_stats("我", ["我"], {})


def test_st_ab_zh_tok_turns_empty_text_into_the_word_empty():
    result = score("ST-AB/zh-tok", ["", "我喜欢自然语言处理。"], ["我", "我很喜欢自然语言处理。"])
    assert result.items[0].hypothesis == "empty"
    expected = sacrebleu.corpus_bleu(["empty", "我喜欢自然语言处理。"], [["我", "我很喜欢自然语言处理。"]],
                                     tokenize="zh")
    assert result.value == expected.score


# -- ST-COVOST (§6.5) ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "hyp", "ref", "expected"),
    [
        ("covost2_en_ja_test", "今日は晴れ。", "今日は晴れです。", 56.98),   # char for ja
        ("covost2_en_zh_test", "今日は晴れ。", "今日は晴れです。", 56.98),   # char for zh
        ("covost2_en_de_test", "das ist ein haus", "Das ist ein Haus.", 24.88),  # 13a otherwise
    ],
)
def test_st_covost_tokenizer_by_target(source, hyp, ref, expected):
    for protocol_id in ("ST-COVOST", "ST-COVOST/no-punct-norm"):
        assert round(score(protocol_id, [hyp], [ref], metadata=[{"source": source}]).value, 2) == expected


@pytest.mark.parametrize(
    ("source", "hyp", "ref", "normalised_hyp"),
    [
        # de: curly German quotes become ASCII quotes, the period stays outside
        ("covost2_en_de_test", "Er sagt: „Hallo“.", 'Er sagt: "Hallo".', 'Er sagt: "Hallo".'),
        # en: quotes become ASCII, a comma after a closing quote moves inside, '…' becomes '...'
        ("covost2_de_en_test", "He said “hello”, twice…", 'He said "hello," twice...', 'He said "hello," twice...'),
    ],
)
def test_st_covost_moses_punctuation_normalisation(source, hyp, ref, normalised_hyp):
    meta = [{"source": source}]
    normalised = score("ST-COVOST", [hyp], [ref], metadata=meta)
    raw = score("ST-COVOST/no-punct-norm", [hyp], [ref], metadata=meta)
    assert normalised.items[0].hypothesis == normalised_hyp
    assert normalised.value == pytest.approx(100.0)
    assert raw.value < normalised.value
    assert "punct_norm:moses-perl" in normalised.signature and "sacremoses:" in normalised.signature


def test_st_covost_fixed_language():
    protocol = make_st_covost(punct_norm=False, target_language="zh", protocol_id="ST-COVOST/test-zh")
    assert round(protocol.score(PredictionSet.from_pairs(["今日は晴れ。"], ["今日は晴れです。"])).value, 2) == 56.98


def test_bootstrap_interval_of_st_score():
    hyps = ["今日は晴れ。", "東京に行く。", "雨です。", "はい。"] * 5
    refs = ["今日は晴れです。", "東京に行きます。", "雨が降っています。", "はい。"] * 5
    result = score("ST-JW-JA", hyps, refs)
    assert result.interval.low <= result.value <= result.interval.high
    assert result.stats.shape == (20, 10)
    assert np.isclose(get_protocol("ST-JW-JA").aggregate(result.stats[None])[0], result.value)


def test_single_reference_required():
    with pytest.raises(PredictionFormatError, match="item 0.*1 reference"):
        score("ST-JW-JA", ["a"], [("a", "b")])
