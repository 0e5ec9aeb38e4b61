"""Keyword extraction (protocols.md §8): KE-JW credits and OpenNMT-kpg P/R/F1, the spec's examples."""

from __future__ import annotations

import numpy as np
import pytest

from evaluators.metrics.keywords import (
    KeyphraseAtK,
    ke_jw_clean_phrase,
    ke_jw_credits,
    ke_jw_gold,
    ke_jw_predictions,
    match_scores,
    scores_at,
    split_phrases,
    stem_words,
)
from evaluators.predictions.base import PredictionSet
from evaluators.protocols import get_protocol

# -- §8.1 KE-JW ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "clean"), [
    (" and learning.", "learning"), ("image-processing", "image processing"), ("Neural networks", "Neural networks"),
    ("andes", "andes"), ("deep learning .", "deep learning"),
])
def test_ke_jw_clean_phrase(raw, clean):
    assert ke_jw_clean_phrase(raw) == clean


def test_ke_jw_example_one():
    gold = ke_jw_gold("neural networks; image-processing; learning")
    predictions = ke_jw_predictions("Neural networks, image, deep learning, and learning.</s>")
    assert gold == ["neural networks", "image processing", "learning"]
    assert predictions == ["neural networks", "image", "deep learning", "learning"]
    assert ke_jw_credits(predictions, gold) == (2, 3)


def test_ke_jw_example_two_substring_credits():
    gold = ke_jw_gold("neural networks; recurrent neural networks; learning")
    assert ke_jw_credits(ke_jw_predictions("neural networks</s>"), gold) == (2, 3)


def test_ke_jw_caps_at_three_and_counts_duplicates():
    gold = ke_jw_gold("a b; a b c; x a b; q; r")
    assert ke_jw_credits(ke_jw_predictions("a b, a b"), gold) == (3, 3)
    assert ke_jw_credits(ke_jw_predictions("q"), ke_jw_gold("q; w")) == (1, 2)


@pytest.mark.parametrize(("protocol_id", "value", "skipped"), [
    ("KE-JW", 5 / 8, {}),
    ("KE-JW/eos-skip", 4 / 6, {"missed_eos": 1}),
])
def test_ke_jw_corpus_ratio_and_eos_variants(protocol_id, value, skipped):
    predictions = PredictionSet.from_pairs(
        ["Neural networks, image, deep learning, and learning.</s>", "neural networks</s>", "q"],
        ["neural networks; image-processing; learning", "neural networks; recurrent neural networks; learning",
         "q; w"])
    score = get_protocol(protocol_id).score(predictions)
    assert score.value == pytest.approx(value)
    assert score.skipped == skipped


# -- §8.2 KE-ONMT ----------------------------------------------------------------------------------

TARGETS = [["neural", "networks"], ["image", "processing"], ["learning"]]
PREDICTIONS = [["neural", "network"], ["deep", "learning"], ["learning"], ["image", "processing"]]


def test_onmt_stems_and_exact_matches():
    assert [stem_words(p) for p in PREDICTIONS] == [["neural", "network"], ["deep", "learn"], ["learn"],
                                                    ["imag", "process"]]
    assert match_scores(TARGETS, PREDICTIONS).tolist() == [1.0, 0.0, 1.0, 1.0]


@pytest.mark.parametrize(("cutoff", "correct", "precision", "recall", "f1"), [
    (3, 2, 2 / 3, 2 / 3, 0.667),
    ("M", 3, 0.75, 1.0, 0.857),
    ("k", 2, 2 / 3, 2 / 3, 0.667),
])
def test_onmt_scores_at_cutoffs(cutoff, correct, precision, recall, f1):
    scores = scores_at(match_scores(TARGETS, PREDICTIONS), len(PREDICTIONS), len(TARGETS), cutoff)
    assert scores["correct"] == correct
    assert scores["P"] == pytest.approx(precision) and scores["R"] == pytest.approx(recall)
    assert round(scores["F1"], 3) == f1


def test_onmt_hard_precision_penalises_short_lists_and_empty_targets_give_zero():
    scores = scores_at(np.array([1.0]), 1, 3, 5)
    assert scores["P"] == 1.0 and scores["P_hard"] == 0.2
    assert scores_at(np.array([1.0]), 1, 0, 5) == dict.fromkeys(scores, 0.0)


def test_onmt_partial_ngram_uses_an_optimal_assignment():
    matrix = match_scores([["neural", "networks"]], [["neural", "network", "model"], ["neural", "networks"]], "ngram")
    # stems {neural, network, model, neural_network, network_model} vs {neural, network, neural_network}: 3/5
    assert matrix[:, 0].tolist() == pytest.approx([3 / 5, 1.0])
    assert scores_at(matrix, 2, 1, "M")["R"] == 1.0       # the better prediction is assigned
    mixed = match_scores([["a", "b"]], [["a", "b"]], "mixed")
    assert mixed[0, 0] == 1.0


def test_split_phrases():
    assert split_phrases("neural network, deep learning; learning, image processing.") == PREDICTIONS
    assert split_phrases(" , ;") == []


def test_ke_onmt_protocol_on_the_example():
    predictions = PredictionSet.from_pairs(["Neural network, deep learning, learning, image processing</s>"],
                                           ["neural networks; image processing; learning"])
    assert get_protocol("KE-ONMT").score(predictions).value == pytest.approx(6 / 7)
    assert get_protocol("KE-ONMT/F1@3").score(predictions).value == pytest.approx(2 / 3)
    assert get_protocol("KE-ONMT/F1@k").score(predictions).value == pytest.approx(2 / 3)
    several_refs = PredictionSet.from_pairs(["learning"], [("neural networks", "learning")])
    assert get_protocol("KE-ONMT").score(several_refs).value == pytest.approx(2 / 3)


def test_keyphrase_metric_rejects_bad_parameters():
    with pytest.raises(ValueError):
        KeyphraseAtK(0)
    with pytest.raises(ValueError):
        KeyphraseAtK(3, "AUC")
    with pytest.raises(ValueError):
        KeyphraseAtK(3, "F1", "fuzzy")


@pytest.mark.parametrize(("measure", "value"), [
    ("AP", (1 + 2 / 3 + 3 / 4) / 3),                                  # 0.80556
    ("MRR", (1 + 1 / 3 + 1 / 4) / 3),                                  # 0.52778
    ("SADR", (1 + 1 + 1 / np.log2(3)) / 3),                            # 4th hit is beyond the 3 targets
    ("nDCG", (1 + 1 / 2 + 1 / np.log2(5)) / (1 + 1 / np.log2(3) + 1 / 2)),
    ("AUC", 1 / 3 + (0.5 + 2 / 3) / 2 / 3 + (2 / 3 + 0.75) / 2 / 3),  # trapezoids of the padded P/R curve
    ("alpha-nDCG@5", (1 + 1 / np.log2(3) + 0.5 / 2) / (1 + 1 / np.log2(3) + 1 / 2)),  # 'learning' repeats a target
])
def test_onmt_ranking_measures_on_the_example(measure, value):
    from evaluators.metrics.keywords import ranking_scores

    scores = ranking_scores(match_scores(TARGETS, PREDICTIONS).tolist(), TARGETS, PREDICTIONS)
    assert scores[measure] == pytest.approx(value)
    predictions = PredictionSet.from_pairs(["neural network, deep learning, learning, image processing"],
                                           ["neural networks; image processing; learning"])
    assert get_protocol(f"KE-ONMT/{measure}").score(predictions).value == pytest.approx(value)


def test_onmt_ranking_measures_with_no_hits_or_targets():
    from evaluators.metrics.keywords import ranking_scores

    assert ranking_scores([0.0, 0.0], TARGETS, PREDICTIONS[:2])["MRR"] == 0.0
    assert ranking_scores([], [], [])["nDCG"] == 0.0
