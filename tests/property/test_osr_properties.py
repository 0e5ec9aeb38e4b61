"""Properties of the overlapped-speech metrics (protocols.md §5): permutation invariance, cpWER bounds."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluators.metrics.osr import CpWER, PairedStreamWER, jiwer_words, join_streams
from evaluators.metrics.wer import edit_distance

WORDS = st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), min_size=0, max_size=6).map(" ".join)
NONEMPTY_WORDS = st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), min_size=1, max_size=6).map(" ".join)
TWO_REFS = st.tuples(NONEMPTY_WORDS, NONEMPTY_WORDS)
TWO_HYPS = st.tuples(WORDS, WORDS)


@settings(max_examples=150, deadline=None)
@given(refs=TWO_REFS, hyps=TWO_HYPS)
def test_osr_jw_errors_invariant_to_reference_and_hypothesis_order(refs, hyps):
    metric = PairedStreamWER()
    base = metric.item_stats(join_streams(hyps), refs, {})[:2]
    assert metric.item_stats(join_streams(hyps[::-1]), refs, {})[:2] == base
    assert metric.item_stats(join_streams(hyps), refs[::-1], {})[:2] == base
    assert metric.item_stats(join_streams(hyps[::-1]), refs[::-1], {})[:2] == base


@settings(max_examples=100, deadline=None)
@given(refs=st.lists(NONEMPTY_WORDS, min_size=1, max_size=3), hyps=st.lists(WORDS, min_size=1, max_size=4),
       data=st.data())
def test_cpwer_invariant_to_stream_order(refs, hyps, data):
    metric = CpWER()
    base = metric.item_stats(join_streams(hyps), refs, {})[:2]
    shuffled_refs = data.draw(st.permutations(refs))
    shuffled_hyps = data.draw(st.permutations(hyps))
    assert metric.item_stats(join_streams(shuffled_hyps), shuffled_refs, {})[:2] == base


@settings(max_examples=100, deadline=None)
@given(refs=TWO_REFS, hyps=TWO_HYPS)
def test_cpwer_equals_osr_jw_pairing_for_two_streams(refs, hyps):
    assert CpWER().item_stats(join_streams(hyps), refs, {})[:2] == \
        PairedStreamWER().item_stats(join_streams(hyps), refs, {})[:2]


@settings(max_examples=100, deadline=None)
@given(refs=st.lists(NONEMPTY_WORDS, min_size=1, max_size=3), hyps=st.lists(WORDS, min_size=1, max_size=3))
def test_cpwer_at_most_any_fixed_pairing(refs, hyps):
    """cpWER is the minimum over assignments, so no fixed pairing (with empty padding) does better."""
    errors = CpWER().item_stats(join_streams(hyps), refs, {})[0]
    size = max(len(refs), len(hyps))
    ref_words = [jiwer_words(r) for r in refs] + [[]] * (size - len(refs))
    hyp_words = [jiwer_words(h) for h in hyps] + [[]] * (size - len(hyps))
    for order in itertools.permutations(range(size)):
        fixed = sum(edit_distance(ref_words[i], hyp_words[j]) for i, j in enumerate(order))
        assert errors <= fixed
    identity = sum(edit_distance(r, h) for r, h in zip(ref_words, hyp_words, strict=True))
    assert errors <= identity
