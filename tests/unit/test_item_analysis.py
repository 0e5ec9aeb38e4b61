"""Per-item analysis: S/D/I and alignment for error rates, lengths and brevity penalty for BLEU."""

from __future__ import annotations

import math

import pytest

from evaluators.item_analysis import GAP, alignment, analyse, bleu_lengths
from evaluators.metrics.bleu import BLEU
from evaluators.metrics.wer import ErrorRate, edit_distance


def test_alignment_counts_and_lines() -> None:
    ref = "the cat sat on the mat".split()
    hyp = "the dog sat the mat today".split()
    result = alignment(ref, hyp)
    assert (result["substitutions"], result["deletions"], result["insertions"], result["hits"]) == (1, 1, 1, 4)
    assert result["substitutions"] + result["deletions"] + result["insertions"] == edit_distance(ref, hyp)
    assert result["ref"].split() == ["the", "CAT", "sat", "ON", "the", "mat", GAP]
    assert result["hyp"].split() == ["the", "DOG", "sat", GAP, "the", "mat", "TODAY"]


@pytest.mark.parametrize(("ref", "hyp"), [("", "a b"), ("a b", ""), ("a b c", "a b c"), ("x y z w", "w z y x")])
def test_edit_counts_always_sum_to_the_edit_distance(ref: str, hyp: str) -> None:
    result = alignment(ref.split(), hyp.split())
    assert result["substitutions"] + result["deletions"] + result["insertions"] == edit_distance(ref.split(),
                                                                                                    hyp.split())


def test_bleu_lengths_and_brevity_penalty() -> None:
    assert bleu_lengths((5, 10, 0, 0)) == {"hyp_len": 5, "ref_len": 10, "length_ratio": 0.5,
                                           "brevity_penalty": pytest.approx(math.exp(1 - 10 / 5))}
    assert bleu_lengths((12, 10))["brevity_penalty"] == 1.0
    assert bleu_lengths((0, 10))["brevity_penalty"] == 0.0
    assert bleu_lengths((3, 0))["length_ratio"] is None


def test_analyse_uses_the_metrics_own_tokens() -> None:
    cer = ErrorRate("cer", list, "char")
    result = analyse(cer, "abd", ("abc",), (1, 3))
    assert result["kind"] == "edits" and result["token_unit"] == "char" and result["substitutions"] == 1
    bleu = BLEU("13a")
    stats = bleu.item_stats("a b c", ("a b c d e",), {})
    assert analyse(bleu, "a b c", ("a b c d e",), stats)["length_ratio"] == pytest.approx(3 / 5)
