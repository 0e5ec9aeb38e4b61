"""The vectorised BLEU aggregate (used for bootstrap batches) equals sacreBLEU on random corpora."""

import numpy as np
import pytest
import sacrebleu
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluators.metrics.bleu import BLEU

TOKENS = st.sampled_from(["the", "cat", "sat", "on", "mat", "a", ".", ",", "猫", "が", "座った", "Mat"])
SENTENCE = st.lists(TOKENS, min_size=0, max_size=9).map(" ".join)
PAIRS = st.lists(st.tuples(SENTENCE, SENTENCE), min_size=1, max_size=8)


@settings(max_examples=120, deadline=None)
@given(pairs=PAIRS, smooth_method=st.sampled_from(["exp", "floor", "add-k", "none"]),
       tokenize=st.sampled_from(["13a", "char", "intl"]))
def test_vectorised_aggregate_equals_sacrebleu(pairs, smooth_method, tokenize):
    hyps = [h for h, _ in pairs]
    refs = [r for _, r in pairs]
    metric = BLEU(tokenize, smooth_method=smooth_method)
    stats = np.array([metric.item_stats(h, [r], {}) for h, r in pairs], dtype=float)
    expected = sacrebleu.corpus_bleu(hyps, [refs], tokenize=tokenize, smooth_method=smooth_method).score
    assert metric.aggregate(stats) == expected                                    # sacreBLEU's compute_bleu
    assert metric.from_totals(stats.sum(axis=0)) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert 0.0 <= expected <= 100.0 + 1e-9


@settings(max_examples=60, deadline=None)
@given(pairs=PAIRS, data=st.data())
def test_batch_of_resamples_equals_sacrebleu_per_resample(pairs, data):
    metric = BLEU("13a")
    stats = np.array([metric.item_stats(h, [r], {}) for h, r in pairs], dtype=float)
    n = len(pairs)
    index_lists = data.draw(st.lists(st.lists(st.integers(0, n - 1), min_size=n, max_size=n), min_size=1,
                                     max_size=4))
    batch = stats[np.array(index_lists)]
    values = metric.aggregate(batch)
    for indices, value in zip(index_lists, values, strict=True):
        hyps = [pairs[i][0] for i in indices]
        refs = [pairs[i][1] for i in indices]
        assert value == pytest.approx(sacrebleu.corpus_bleu(hyps, [refs]).score, rel=1e-12, abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(pairs=PAIRS)
def test_identical_hypotheses_score_100_when_every_order_has_ngrams(pairs):
    metric = BLEU("none")
    stats = np.array([metric.item_stats(r, [r], {}) for _, r in pairs], dtype=float)
    value = metric.aggregate(stats)
    if (stats[:, 6:].sum(axis=0) > 0).all():
        assert value == pytest.approx(100.0)
    else:  # fewer than 4 tokens in every segment: the 4-gram precision is log-floored, BLEU = 0
        assert value == 0.0
