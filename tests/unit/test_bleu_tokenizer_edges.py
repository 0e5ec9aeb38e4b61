"""BLEU on awkward inputs: every case has an asserted, explained outcome (protocols.md §1.4–1.5).

The §1.4 tokeniser examples are checked first (through the tokenisers the BLEU metric uses), then the
edge cases: empty hypothesis, empty reference, whitespace only, CJK without spaces, mixed scripts
and a leftover ``</s>``. Every value is also checked against ``sacrebleu.corpus_bleu``.
"""

import math

import numpy as np
import pytest
import sacrebleu

from evaluators.metrics.bleu import BLEU
from evaluators.text.tokenizers import get_tokenizer


@pytest.mark.parametrize(
    ("tokenize", "text", "tokens"),
    [
        ("13a", "Hello, world! It's 3.5-4 km.", "Hello , world ! It's 3.5 - 4 km ."),
        ("13a", 'He said "no" (twice) in 2019.', 'He said " no " ( twice ) in 2019 .'),
        ("13a", "state-of-the-art e.g. U.S.A.", "state-of-the-art e . g . U . S . A ."),
        ("intl", "Hello, world! It's 3.5-4 km.", "Hello , world ! It ' s 3.5-4 km ."),
        ("intl", 'He said "no" (twice) in 2019.', 'He said " no " ( twice ) in 2019.'),
        ("intl", "state-of-the-art", "state - of - the - art"),
        ("zh", "我喜欢NLP。", "我 喜 欢 NLP 。"),
        ("zh", "他说：“好的…”", "他 说 ： “ 好 的 … ”"),
        ("char", "ab c", "a b c"),
        ("char", "我喜欢NLP。", "我 喜 欢 N L P 。"),
        ("ja-mecab", "今日は晴れです。", "今日 は 晴れ です 。"),
        ("ja-mecab", "私は東京に住んでいます", "私 は 東京 に 住ん で い ます"),
    ],
)
def test_section_1_4_tokenizer_examples(tokenize, text, tokens):
    assert get_tokenizer(tokenize)(text).split() == tokens.split()


def bleu(tokenize, hypothesis, reference):
    metric = BLEU(tokenize)
    row = metric.item_stats(hypothesis, [reference], {})
    value = metric.aggregate(np.array([row], dtype=float))
    assert value == sacrebleu.corpus_bleu([hypothesis], [[reference]], tokenize=tokenize).score
    assert 0.0 <= value <= 100.0 + 1e-9  # sacreBLEU's exp(mean log) can give 100.00000000000004
    return row, value


@pytest.mark.parametrize("tokenize", ["13a", "char", "zh", "intl", "ja-mecab", "none"])
def test_empty_hypothesis_scores_zero(tokenize):
    """No hypothesis n-grams: no match at any order, so sacreBLEU returns 0 (and BP would be 0 too)."""
    row, value = bleu(tokenize, "", "Das ist ein Haus.")
    assert row[0] == 0 and value == 0.0


@pytest.mark.parametrize("tokenize", ["13a", "char", "zh"])
def test_empty_reference_scores_zero(tokenize):
    """Nothing to match against: every precision has zero matches, so the score is 0 (ref_len 0, BP 1)."""
    row, value = bleu(tokenize, "das ist ein haus", "")
    assert row[1] == 0 and value == 0.0


def test_both_empty_scores_zero_not_nan():
    row, value = bleu("13a", "", "")
    assert row == [0] * 10 and value == 0.0


@pytest.mark.parametrize("tokenize", ["13a", "char", "zh", "intl"])
def test_whitespace_only_hypothesis_is_empty(tokenize):
    """sacreBLEU strips before tokenising, so whitespace-only text has no tokens."""
    row, value = bleu(tokenize, " \t  ", "a b c d")
    assert row[0] == 0 and value == 0.0


def test_cjk_without_spaces_under_13a_is_one_token():
    """13a does not split CJK: an identical sentence is a single token, so orders 2–4 have no n-grams
    (their precision is log-floored) and BLEU is 0 even for a perfect translation."""
    row, value = bleu("13a", "今日は晴れです", "今日は晴れです")
    assert row[:3] == [1, 1, 1] and value == 0.0


@pytest.mark.parametrize("tokenize", ["char", "zh", "ja-mecab"])
def test_cjk_without_spaces_identical_is_100_under_cjk_tokenizers(tokenize):
    _, value = bleu(tokenize, "今日は晴れです。", "今日は晴れです。")
    assert value == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("tokenize", "hyp_len"),
    [("zh", 5), ("char", 7)],  # 我 喜 欢 NLP 。 vs 我 喜 欢 N L P 。
)
def test_mixed_scripts(tokenize, hyp_len):
    row, value = bleu(tokenize, "我喜欢NLP。", "我喜欢NLP。")
    assert row[0] == hyp_len and value == pytest.approx(100.0)


def test_mixed_scripts_latin_word_error_costs_one_token_under_zh_and_three_chars_under_char():
    row_zh, zh = bleu("zh", "我喜欢NLP。", "我喜欢NLU。")
    row_char, char = bleu("char", "我喜欢NLP。", "我喜欢NLU。")
    assert row_zh[2] == 4 and row_char[2] == 6  # unigram matches: NLP≠NLU vs only P≠U
    assert char > zh


def test_leftover_eos_under_char_adds_four_unmatched_tokens():
    """``</s>`` left in a char-tokenised hypothesis adds ``< / s >``: 12 hyp chars vs 8 ref chars,
    matches 8/7/6/5 of 12/11/10/9, BP 1."""
    row, value = bleu("char", "今日は晴れです。</s>", "今日は晴れです。")
    assert row == [12, 8, 8, 7, 6, 5, 12, 11, 10, 9]
    expected = 100 * math.exp((math.log(8 / 12) + math.log(7 / 11) + math.log(6 / 10) + math.log(5 / 9)) / 4)
    assert value == pytest.approx(expected, rel=1e-12)


def test_leftover_eos_under_13a_is_split_into_symbols():
    assert get_tokenizer("13a")("晴れ</s>") == "晴れ < / s >"
    row, value = bleu("13a", "a b c d </s>", "a b c d")
    assert row[0] == 8 and 0.0 < value < 100.0
