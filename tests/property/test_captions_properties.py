"""Caption metrics give their maximum to a hypothesis equal to its reference, and stay in range.

The pure-Python paths are used (no PTB tokeniser, no METEOR jar) so the properties run fast; the
Java paths are checked against the jar in tests/unit/test_captions.py.
"""

from __future__ import annotations

import string

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from evaluators.metrics.captions import (
    CharBleu,
    CocoBleu,
    CocoCiderD,
    CocoRougeL,
    RougeLScore,
    char_sentence_bleu,
    meteor_from_stats,
    nltk_meteor,
    wordnet_unavailable_reason,
)

words = st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=7)
captions = st.lists(words, min_size=4, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(captions, captions)
def test_identical_caption_is_maximal_for_word_metrics(reference, other):
    for metric in (CocoBleu(4, tokenize=False), CocoRougeL(tokenize=False)):
        same = float(metric.aggregate(metric.batch_stats([reference], [[reference]], [{}])))
        different = float(metric.aggregate(metric.batch_stats([other], [[reference]], [{}])))
        assert same >= different
        assert np.isclose(same, 1.0)
    rouge = RougeLScore("fmeasure")
    assert rouge.item_stats(reference, [reference], {})[0] == 1.0
    assert rouge.item_stats(other, [reference], {})[0] <= 1.0


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=string.ascii_lowercase + " ", min_size=4, max_size=40), st.text(max_size=40))
def test_identical_text_has_character_bleu_one(reference, other):
    assume(len(reference) >= 4)
    assert np.isclose(char_sentence_bleu(reference, reference), 1.0)
    assert char_sentence_bleu(reference, other) <= 1.0 + 1e-12
    assert CharBleu((0, 0, 0, 1)).item_stats(reference, [reference], {})[0] == 1.0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(captions, captions), min_size=2, max_size=5))
def test_cider_item_score_is_maximal_for_the_reference_itself(pairs):
    hyps = [hyp for hyp, _ in pairs]
    refs = [[ref] for _, ref in pairs]
    metric = CocoCiderD(tokenize=False)
    scored = metric.batch_stats(hyps, refs, [{}] * len(pairs))[:, 0]
    identical = metric.batch_stats([ref for _, ref in pairs], refs, [{}] * len(pairs))[:, 0]
    assert (identical >= scored - 1e-9).all()
    assert (scored >= -1e-12).all()


meteor_rows = st.lists(st.integers(0, 6), min_size=23, max_size=23)


@given(st.lists(meteor_rows, min_size=1, max_size=5))
def test_meteor_formula_stays_in_unit_range(rows):
    stats = np.asarray(rows, dtype=float)
    # make the rows consistent: matches never exceed lengths
    stats[:, 0] = np.maximum(stats[:, 0], stats[:, 4:20:4].sum(axis=1) + stats[:, 6:20:4].sum(axis=1))
    stats[:, 1] = np.maximum(stats[:, 1], stats[:, 5:20:4].sum(axis=1) + stats[:, 7:20:4].sum(axis=1))
    stats[:, 2] = np.minimum(stats[:, 2], stats[:, 0])
    stats[:, 3] = np.minimum(stats[:, 3], stats[:, 1])
    values = meteor_from_stats(stats)
    assert ((values >= 0) & (values <= 1 + 1e-12)).all()


@settings(max_examples=25, deadline=None)
@given(st.lists(words, min_size=1, max_size=8), st.lists(words, min_size=1, max_size=8))
def test_nltk_meteor_identical_is_maximal(reference, other):
    if wordnet_unavailable_reason() is not None:
        return   # WordNet absent here: covered by the unit tests' skip/CI rule
    assert nltk_meteor([reference], reference) >= nltk_meteor([reference], other)
