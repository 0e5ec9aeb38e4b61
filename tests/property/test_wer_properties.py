"""Properties of the error-rate metric: identity, non-negativity, corpus = Σ edits / Σ reference tokens."""

from __future__ import annotations

import jiwer
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluators.metrics.wer import ErrorRate, edit_distance
from evaluators.text.jiwer_chains import jiwer_words

WORDS = st.lists(st.sampled_from(["a", "b", "c", "the", "cat", "sat", "on", "mat", "x1"]), max_size=12)
SENTENCES = WORDS.map(" ".join)
PAIRS = st.lists(st.tuples(SENTENCES, SENTENCES.filter(lambda s: s.strip() != "")), min_size=1, max_size=8)
METRIC = ErrorRate("wer", jiwer_words)


@given(SENTENCES.filter(lambda s: s.strip() != ""))
def test_wer_of_a_text_with_itself_is_zero(text: str) -> None:
    assert METRIC.item_value(METRIC.item_stats(text, [text], {})) == 0.0


@given(SENTENCES, SENTENCES.filter(lambda s: s.strip() != ""))
def test_wer_is_non_negative_and_bounded_by_the_longer_side(hypothesis: str, reference: str) -> None:
    edits, ref_len = METRIC.item_stats(hypothesis, [reference], {})
    assert 0 <= edits <= max(len(hypothesis.split()), ref_len)
    assert METRIC.item_value((edits, ref_len)) >= 0


@settings(max_examples=60)
@given(PAIRS)
def test_corpus_wer_is_total_edits_over_total_reference_words(pairs: list[tuple[str, str]]) -> None:
    stats = np.array([METRIC.item_stats(h, [r], {}) for h, r in pairs], dtype=float)
    expected = stats[:, 0].sum() / stats[:, 1].sum()
    assert float(METRIC.aggregate(stats, "corpus")) == expected
    hyps, refs = [h for h, _ in pairs], [r for _, r in pairs]
    output = jiwer.process_words(refs, hyps)
    assert stats[:, 0].sum() == output.substitutions + output.deletions + output.insertions
    assert stats[:, 1].sum() == output.substitutions + output.deletions + output.hits
    assert expected == jiwer.wer(refs, hyps)


@given(WORDS, WORDS)
def test_edit_distance_is_symmetric_and_zero_only_for_equal_sequences(a: list[str], b: list[str]) -> None:
    assert edit_distance(a, b) == edit_distance(b, a)
    assert (edit_distance(a, b) == 0) == (a == b)


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(1, 20)), min_size=1, max_size=10))
def test_bootstrap_shaped_input_aggregates_each_resample(rows: list[tuple[int, int]]) -> None:
    stats = np.array(rows, dtype=float)
    batch = np.stack([stats, stats[::-1]])
    values = METRIC.aggregate(batch, "corpus")
    assert values.shape == (2,)
    assert np.allclose(values, stats[:, 0].sum() / stats[:, 1].sum())
