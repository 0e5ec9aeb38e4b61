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


SPOKEN = st.lists(st.sampled_from(["one", "might", "be", "there", "she", "sat"]), min_size=1, max_size=5).map(" ".join)


@settings(max_examples=40, deadline=None)
@given(first=SPOKEN, second=SPOKEN, ref_a=SPOKEN, ref_b=SPOKEN)
def test_osr_protocols_invariant_to_speaker_order_in_output_and_references(first, second, ref_a, ref_b):
    """Saying the two speakers in the other order, or listing the references the other way round,
    does not change OSR-JW or OSR-CPWER; and cpWER never exceeds OSR-JW on a kept item."""
    from evaluators.predictions.base import PredictionSet
    from evaluators.protocols import get_protocol

    refs = (ref_a.upper(), ref_b.upper())
    outputs = [f"{first}. {second}.</s>", f"{second}. {first}.</s>", f"{first}. {second}.</s>"]
    references = [refs, refs, refs[::-1]]
    predictions = PredictionSet.from_pairs(outputs, references)
    for protocol_id in ("OSR-JW", "OSR-CPWER"):
        result = get_protocol(protocol_id).score(predictions, interval=False)
        assert result.n == 3
        assert len({tuple(row[:2]) for row in result.stats.tolist()}) == 1
    jw = get_protocol("OSR-JW").score(predictions, interval=False).stats[:, 0]
    cp = get_protocol("OSR-CPWER").score(predictions, interval=False).stats[:, 0]
    assert (cp <= jw).all()
