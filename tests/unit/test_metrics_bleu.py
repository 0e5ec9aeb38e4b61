"""BLEU as per-item sacreBLEU statistics: hand-computed examples of protocols.md §1.5 / §6 and
exact agreement with ``sacrebleu.corpus_bleu``."""

import math

import numpy as np
import pytest
import sacrebleu

from evaluators.errors import ProtocolUnavailableError
from evaluators.metrics.bleu import BLEU, LanguageBLEU, bleu_from_totals, stat_names
from evaluators.metrics.stats import bootstrap_interval


@pytest.mark.parametrize(
    ("tokenize", "hypothesis", "reference", "expected"),
    [
        ("13a", "das ist ein haus", "Das ist ein Haus.", 24.88),          # §1.5 worked example
        ("char", "今日は晴れ。", "今日は晴れです。", 56.98),                 # §6.1 / §6.3 (char)
        ("zh", "我喜欢自然语言处理。", "我很喜欢自然语言处理。", 81.76),        # §6.3 zh
        ("ja-mecab", "今日は晴れ。", "今日は晴れです。", 49.76),              # §6.3 ja-mecab
        ("13a", "今日は晴れ。", "今日は晴れです。", 0.00),                   # §6.3 13a: one token each, no match
    ],
)
def test_hand_computed_examples(tokenize, hypothesis, reference, expected):
    metric = BLEU(tokenize)
    stats = np.array([metric.item_stats(hypothesis, [reference], {})], dtype=float)
    value = metric.aggregate(stats)
    assert round(value, 2) == expected
    assert value == sacrebleu.corpus_bleu([hypothesis], [[reference]], tokenize=tokenize).score


def test_worked_example_statistics():
    """§1.5: hyp 4 tokens, ref 5; matches 2/1/0/0 of 4/3/2/1; exp smoothing gives 25 and 25 for orders 3, 4."""
    row = BLEU("13a").item_stats("das ist ein haus", ["Das ist ein Haus."], {})
    assert row == [4, 5, 2, 1, 0, 0, 4, 3, 2, 1]
    expected = math.exp(1 - 5 / 4) * (50 * (100 / 3) * 25 * 25) ** 0.25
    assert BLEU("13a").aggregate(np.array([row], dtype=float)) == pytest.approx(expected, rel=1e-12)


def test_ja_char_example_statistics():
    """§6.1: chars 6 vs 8; p1 6/6, p2 4/5, p3 3/4, p4 2/3; BP exp(1 − 8/6)."""
    row = BLEU("char").item_stats("今日は晴れ。", ["今日は晴れです。"], {})
    assert row == [6, 8, 6, 4, 3, 2, 6, 5, 4, 3]


CORPUS_HYPS = ["das ist ein haus", "The cat sat on the mat.", "", "a b c d e f", "It's 3.5-4 km."]
CORPUS_REFS = ["Das ist ein Haus.", "The cat is on the mat.", "nothing here", "a b c x e f", "It is 3.5 km."]


@pytest.mark.parametrize("tokenize", ["13a", "intl", "char", "none", "zh"])
@pytest.mark.parametrize("smooth_method", ["exp", "floor", "add-k", "none"])
def test_corpus_value_equals_sacrebleu_exactly(tokenize, smooth_method):
    metric = BLEU(tokenize, smooth_method=smooth_method)
    stats = np.array([metric.item_stats(h, [r], {}) for h, r in zip(CORPUS_HYPS, CORPUS_REFS, strict=True)], float)
    expected = sacrebleu.corpus_bleu(CORPUS_HYPS, [CORPUS_REFS], tokenize=tokenize, smooth_method=smooth_method)
    assert metric.aggregate(stats) == expected.score
    assert metric.aggregate(stats[None, :, :])[0] == pytest.approx(expected.score, rel=1e-12, abs=1e-12)


def test_lowercase_matches_sacrebleu():
    metric = BLEU("13a", lowercase=True)
    stats = np.array([metric.item_stats(h, [r], {}) for h, r in zip(CORPUS_HYPS, CORPUS_REFS, strict=True)], float)
    assert metric.aggregate(stats) == sacrebleu.corpus_bleu(CORPUS_HYPS, [CORPUS_REFS], lowercase=True).score
    assert metric.signature_fields()["case"] == "lc"


def test_several_references_use_sacrebleu_closest_length_and_max_counts():
    refs = [("Das ist ein Haus.", "Dies ist ein Haus"), ("the mat", "a cat on the mat")]
    hyps = ["das ist ein haus", "the cat on the mat"]
    metric = BLEU("13a", nrefs=2)
    stats = np.array([metric.item_stats(h, r, {}) for h, r in zip(hyps, refs, strict=True)], float)
    streams = [[r[0] for r in refs], [r[1] for r in refs]]
    assert metric.aggregate(stats) == sacrebleu.corpus_bleu(hyps, streams).score
    assert metric.signature_fields()["nrefs"] == "2"


def test_wrong_reference_count_is_an_error():
    with pytest.raises(ValueError, match="nrefs=1.*2 reference"):
        BLEU("13a").item_stats("a", ["a", "b"], {})


def test_three_d_batch_scores_each_resample():
    metric = BLEU("13a")
    stats = np.array([metric.item_stats(h, [r], {}) for h, r in zip(CORPUS_HYPS, CORPUS_REFS, strict=True)], float)
    batch = np.stack([stats, stats[[0, 0, 1, 1, 3]], stats[[2, 2, 2, 2, 2]]])
    values = metric.aggregate(batch)
    assert values.shape == (3,)
    assert values[0] == pytest.approx(metric.aggregate(stats), rel=1e-12)
    assert values[1] == pytest.approx(sacrebleu.corpus_bleu([CORPUS_HYPS[i] for i in (0, 0, 1, 1, 3)],
                                                            [[CORPUS_REFS[i] for i in (0, 0, 1, 1, 3)]]).score)
    assert values[2] == 0.0  # empty hypotheses only


def test_bootstrap_interval_runs_on_statistics():
    metric = BLEU("13a")
    stats = np.array([metric.item_stats(h, [r], {}) for h, r in zip(CORPUS_HYPS * 4, CORPUS_REFS * 4, strict=True)],
                     float)
    interval = bootstrap_interval(stats, metric.aggregate, resamples=200)
    assert interval.low <= metric.aggregate(stats) <= interval.high


def test_macro_is_mean_of_sentence_bleu_without_effective_order():
    metric = BLEU("13a")
    stats = np.array([metric.item_stats(h, [r], {}) for h, r in zip(CORPUS_HYPS, CORPUS_REFS, strict=True)], float)
    sentence = [sacrebleu.sentence_bleu(h, [r], use_effective_order=False).score
                for h, r in zip(CORPUS_HYPS, CORPUS_REFS, strict=True)]
    assert metric.aggregate(stats, "macro") == pytest.approx(np.mean(sentence), rel=1e-12)


def test_signature_fields_use_sacrebleu_tok_signature():
    fields = BLEU("ja-mecab").signature_fields()
    assert fields["tok"] == "ja-mecab-0.996-IPA"
    assert (fields["case"], fields["smooth"], fields["nrefs"]) == ("mixed", "exp", "1")
    assert fields["sacrebleu"] == sacrebleu.__version__


def test_download_tokenizers_are_refused_by_name():
    metric = BLEU("flores101")
    assert metric.signature_fields()["tok"] == "flores101"
    with pytest.raises(ProtocolUnavailableError, match="flores101.*download"):
        metric.item_stats("a", ["a"], {})


def test_language_bleu_chooses_tokenizer_per_item():
    metric = LanguageBLEU({"ja": "ja-mecab", "zh": "zh"}, "13a", lambda meta: meta["lang"])
    assert metric.item_stats("今日は晴れ。", ["今日は晴れです。"], {"lang": "ja"})[:2] == [4, 5]
    assert metric.item_stats("今日は晴れ。", ["今日は晴れです。"], {"lang": "de"})[:2] == [1, 1]
    assert metric.signature_fields()["tok"] == "ja=ja-mecab-0.996-IPA+zh=zh+else=13a"


def test_stat_names_and_shape_checks():
    assert stat_names() == ("hyp_len", "ref_len", "matches_1", "matches_2", "matches_3", "matches_4",
                            "totals_1", "totals_2", "totals_3", "totals_4")
    with pytest.raises(ValueError, match="10 columns"):
        bleu_from_totals(np.zeros(5))
    with pytest.raises(ValueError, match="smooth_method"):
        BLEU("13a", smooth_method="nist")
