"""Overlapped-speech metrics: OSR-JW pairing and meeteval cpWER (protocols.md §5)."""

import jiwer
import numpy as np
import pytest

from evaluators.metrics.osr import (
    CpWER,
    PairedStreamWER,
    best_pairing,
    jiwer_words,
    join_streams,
    split_streams,
)


@pytest.mark.parametrize(
    ("references", "streams", "expected"),
    [
        # §5.1 example: w1 = 6/5, w2 = 1/5 -> swapped, 1 error over 5 words
        (("A B C", "D E"), ["D E", "A B X"], (1, 5, 1)),
        # §5.1 slide example: w1 = 1.222, w2 = 0.222 -> swapped, 4 errors over 18 words
        (("ALGEBRA MEDICINE BOTANY HAVE EACH THEIR SLANG",
          "TRULY SUCH A HORSE SHOULD BE WORTH MUCH IN NOTTINGHAM FAIR"),
         ["TRULY SUCH A HORSE WOULD BE MUCH IN NOTING HIM FAIR", "ALGEBRA MEDICINE BOTANY HAVE EACH THEIR SLANG"],
         (4, 18, 1)),
        # already in order: no swap
        (("A B", "C D"), ["A B", "C D"], (0, 4, 0)),
        # tie (both pairings cost 2): the original order is kept
        (("A", "B"), ["X", "Y"], (2, 2, 0)),
    ],
)
def test_paired_stream_wer_examples(references, streams, expected):
    assert PairedStreamWER().item_stats(join_streams(streams), references, {}) == expected


def test_paired_stream_wer_matches_jiwer_min_over_both_orders():
    refs = ["ALGEBRA MEDICINE BOTANY HAVE EACH THEIR SLANG",
            "TRULY SUCH A HORSE SHOULD BE WORTH MUCH IN NOTTINGHAM FAIR"]
    hyps = ["TRULY SUCH A HORSE WOULD BE MUCH IN NOTING HIM FAIR", "ALGEBRA MEDICINE BOTANY HAVE EACH THEIR SLANG"]
    w1 = jiwer.wer(refs, hyps)
    w2 = jiwer.wer(refs, hyps[::-1])
    assert w1 == pytest.approx(22 / 18) and w2 == pytest.approx(4 / 18)
    errors, words, _ = PairedStreamWER().item_stats(join_streams(hyps), refs, {})
    assert errors / words == pytest.approx(min(w1, w2))


def test_paired_stream_wer_needs_equal_stream_counts():
    with pytest.raises(ValueError, match="same number"):
        PairedStreamWER().item_stats("A B", ("A B", "C D"), {})


def test_best_pairing_tie_keeps_identity():
    assert best_pairing([["a"], ["b"]], [["x"], ["y"]]) == ((0, 1), 2)
    assert best_pairing([["a"], ["b"]], [["b"], ["a"]]) == ((1, 0), 0)


@pytest.mark.parametrize(
    ("references", "streams", "expected_errors", "expected_words"),
    [
        # meeteval doc tests (§5.2): an extra hypothesis stream = insertions; a missing one = deletions
        (("a b", "c d"), ["a b", "c d", "e f"], 2, 4),
        (("a", "b", "c d"), ["a", "b"], 2, 4),
        # `One might be.</s>` split by periods: one stream, the other speaker all deleted -> 3/6
        (("ONE MIGHT BE", "THERE SHE SAT"), ["ONE MIGHT BE"], 3, 6),
        # §5.1 example under cpWER: same best pairing, 1 error / 5 words
        (("A B C", "D E"), ["D E", "A B X"], 1, 5),
    ],
)
def test_cpwer_examples(references, streams, expected_errors, expected_words):
    stats = CpWER().item_stats(join_streams(streams), references, {})
    assert stats[:2] == (expected_errors, expected_words)
    assert CpWER().item_value(stats) == pytest.approx(expected_errors / expected_words)


def test_cpwer_counts_speaker_errors():
    errors, words, ins, dels, subs, missed, falarm = CpWER().item_stats("a b\nc d\ne f", ("a b", "c d"), {})
    assert (ins, dels, subs, missed, falarm) == (2, 0, 0, 0, 1)
    errors, words, ins, dels, subs, missed, falarm = CpWER().item_stats("a\nb", ("a", "b", "c d"), {})
    assert (ins, dels, subs, missed, falarm) == (0, 2, 0, 1, 0)


def test_cpwer_refuses_more_than_20_streams():
    with pytest.raises(ValueError, match="at most 20"):
        CpWER().item_stats(join_streams(["a"] * 21), ("a", "b"), {})


def test_corpus_aggregation_is_sum_of_errors_over_sum_of_words():
    metric = CpWER()
    rows = np.array([metric.item_stats("D E\nA B X", ("A B C", "D E"), {}),
                     metric.item_stats("ONE MIGHT BE", ("ONE MIGHT BE", "THERE SHE SAT"), {})], dtype=float)
    assert metric.aggregate(rows) == pytest.approx(4 / 11)
    assert metric.aggregate(rows, "macro") == pytest.approx((0.2 + 0.5) / 2)
    assert metric.aggregate(np.stack([rows, rows[[1, 1]]])).tolist() == pytest.approx([4 / 11, 0.5])


def test_streams_round_trip_and_reject_newlines():
    assert split_streams(join_streams(["A B", "", "C"])) == ["A B", "", "C"]
    assert split_streams("") == [""]
    with pytest.raises(ValueError, match="separator"):
        join_streams(["A\nB"])


@pytest.mark.parametrize(("text", "words"), [("  A  B ", ["A", "B"]), ("", []), ("A B", ["A", "B"])])
def test_jiwer_words_follow_jiwer_default_transform(text, words):
    assert jiwer_words(text) == words
