"""Confidence intervals and paired comparisons (evaluators/metrics/stats.py), against hand-computed
values, scipy's Wilson interval, and the ± values SAKURA prints (protocols.md §12.3–12.4)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binomtest

from evaluators.metrics.base import ratio_aggregate
from evaluators.metrics.stats import (
    Z_95,
    Interval,
    bootstrap_distribution,
    bootstrap_interval,
    concordance_correlation,
    paired_bootstrap,
    wald_half_width,
    wald_interval,
    wilson_interval,
)
from evaluators.predictions.base import PredictionSet
from evaluators.protocols import get_protocol


def corpus(stats):
    return ratio_aggregate(stats, "corpus")


def accuracy_stats(correct: int, n: int) -> np.ndarray:
    return np.array([[1.0, 1.0]] * correct + [[0.0, 1.0]] * (n - correct))


# -- Wald ------------------------------------------------------------------------------------------

def test_wald_interval_by_hand():
    interval = wald_interval(0.5, 100)
    half = Z_95 * math.sqrt(0.25 / 100)
    assert half == pytest.approx(0.0979982, abs=1e-7)
    assert (interval.low, interval.high) == pytest.approx((0.5 - half, 0.5 + half))
    assert interval.method == "wald" and interval.half_width == pytest.approx(half)


def test_wald_is_not_clipped_like_published_plus_minus():
    interval = wald_interval(0.01, 10)
    assert interval.low < 0.0


@pytest.mark.parametrize(("accuracy_percent", "printed_plus_minus"), [
    (59.8, 4.3), (21.8, 3.6), (19.8, 3.5), (68.6, 4.1), (42.5, 4.3), (81.2, 3.4),
])
def test_sakura_plus_minus_is_wald_with_n_500(accuracy_percent, printed_plus_minus):
    assert round(wald_half_width(accuracy_percent / 100, 500) * 100, 1) == printed_plus_minus


def test_sakura_average_uses_averaged_accuracy_not_mean_of_intervals():
    tracks = [0.598, 0.218, 0.198, 0.686]
    mean_of_cis = np.mean([wald_half_width(p, 500) for p in tracks]) * 100
    assert round(mean_of_cis, 1) == 3.9
    assert round(wald_half_width(np.mean(tracks), 500) * 100, 1) == 4.3
    assert round(wald_half_width(np.mean(tracks), 2000) * 100, 1) == 2.2


def test_jaeeewon_epsilon_under_the_root():
    assert wald_half_width(0.0, 500, epsilon=1e-9) == pytest.approx(1.96 * math.sqrt(1e-9))
    assert wald_half_width(0.0, 500) == 0.0


@pytest.mark.parametrize("bad_n", [0, -3])
def test_wald_rejects_empty_samples(bad_n):
    with pytest.raises(ValueError, match="n must be positive"):
        wald_interval(0.5, bad_n)
    with pytest.raises(ValueError, match="n must be positive"):
        wald_half_width(0.5, bad_n)


# -- Wilson ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("correct", "n"), [(8, 10), (0, 7), (7, 7), (645, 1000), (1, 3)])
def test_wilson_matches_scipy(correct, n):
    ours = wilson_interval(correct, n)
    reference = binomtest(correct, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert (ours.low, ours.high) == pytest.approx((reference.low, reference.high), abs=1e-12)


def test_wilson_by_hand_and_bounds():
    assert (wilson_interval(8, 10).low, wilson_interval(8, 10).high) == pytest.approx((0.49016, 0.94332), abs=1e-5)
    assert wilson_interval(0, 5).low == 0.0 and wilson_interval(5, 5).high == 1.0


@pytest.mark.parametrize(("correct", "n"), [(-1, 5), (6, 5), (0, 0)])
def test_wilson_rejects_impossible_counts(correct, n):
    with pytest.raises(ValueError):
        wilson_interval(correct, n)


# -- bootstrap -------------------------------------------------------------------------------------

def test_bootstrap_is_deterministic_for_a_seed():
    rng = np.random.default_rng(0)
    stats = np.column_stack([rng.integers(0, 5, 200), rng.integers(5, 15, 200)]).astype(float)
    first = bootstrap_interval(stats, corpus, seed=7)
    assert bootstrap_interval(stats, corpus, seed=7) == first
    assert bootstrap_interval(stats, corpus, seed=8) != first
    assert first.method == "bootstrap-1000" and first.contains(float(corpus(stats)))


def test_bootstrap_of_identical_items_is_a_point():
    stats = np.array([[1.0, 4.0]] * 30)
    interval = bootstrap_interval(stats, corpus)
    assert interval.low == interval.high == 0.25


def test_bootstrap_accuracy_is_close_to_wald_for_large_n():
    stats = accuracy_stats(300, 1000)
    interval = bootstrap_interval(stats, corpus, resamples=2000)
    assert interval.half_width == pytest.approx(wald_interval(0.3, 1000).half_width, rel=0.1)


def test_bootstrap_distribution_resamples_items_not_tokens():
    # corpus WER of one long item (50 edits / 100 words) and one short perfect item (0 / 1):
    # each resample is one of {both long, mixed, both short}: 0.5, 50/101, 0.0
    stats = np.array([[50.0, 100.0], [0.0, 1.0]])
    values = bootstrap_distribution(stats, corpus, resamples=500, seed=1)
    assert set(np.round(values, 6)) <= {0.5, round(50 / 101, 6), 0.0}
    assert values.shape == (500,)


def test_bootstrap_ignores_undefined_resamples_and_reports_nan_when_all_are():
    assert math.isnan(bootstrap_interval(np.array([[0.0, 0.0]] * 5), corpus).low)
    assert np.isnan(bootstrap_distribution(np.zeros((0, 2)), corpus, resamples=3)).all()


# -- paired bootstrap ------------------------------------------------------------------------------

def test_paired_bootstrap_of_a_protocol_against_itself():
    stats = accuracy_stats(40, 100)
    comparison = paired_bootstrap(stats, stats, corpus)
    assert comparison.difference == 0.0
    assert comparison.interval.low == comparison.interval.high == 0.0
    assert comparison.p_value == 1.0 and not comparison.significant


def test_paired_bootstrap_detects_a_real_difference_on_the_same_items():
    # protocol A marks 30 more of the same 200 items correct than protocol B
    b = accuracy_stats(100, 200)
    a = b.copy()
    a[100:130, 0] = 1.0
    comparison = paired_bootstrap(a, b, corpus, seed=3)
    assert comparison.difference == pytest.approx(0.15)
    assert comparison.significant and comparison.p_value < 0.01
    assert comparison.interval.contains(0.15)


def test_paired_bootstrap_uses_the_same_resampled_items_on_both_sides():
    # b = a shifted by one correct item per 10 → every resampled difference is ≥ 0
    a = accuracy_stats(50, 100)
    b = a.copy()
    b[0:10, 0] = 0.0
    comparison = paired_bootstrap(a, b, corpus, seed=5)
    assert comparison.interval.low >= 0.0


def test_paired_bootstrap_needs_the_same_items():
    with pytest.raises(ValueError, match="same items"):
        paired_bootstrap(accuracy_stats(1, 3), accuracy_stats(1, 4), corpus)
    with pytest.raises(ValueError, match="at least one item"):
        paired_bootstrap(np.zeros((0, 2)), np.zeros((0, 2)), corpus)


# -- agreement, Interval, protocol integration -----------------------------------------------------

def test_concordance_correlation_example():
    assert round(concordance_correlation([1, 2, 3], [2, 3, 4]), 4) == 0.5714
    assert concordance_correlation([1, 2, 3], [1, 2, 3]) == 1.0
    with pytest.raises(ValueError):
        concordance_correlation([1, 2], [1, 2, 3])


def test_interval_record():
    interval = Interval(0.1, 0.3, method="wald")
    assert interval.half_width == pytest.approx(0.1)
    assert interval.contains(0.1) and interval.contains(0.3) and not interval.contains(0.31)
    assert interval.as_dict() == {"low": 0.1, "high": 0.3, "level": 0.95, "method": "wald"}


def test_every_score_gets_a_95_interval():
    predictions = PredictionSet.from_pairs(["a man"] * 6 + ["robot"] * 4, ["Man"] * 10,
                                           metadata=[{"choices": ["Man", "Robot"]}] * 10)
    score = get_protocol("MCQ-MMAU").score(predictions)
    expected = wilson_interval(6, 10)
    assert score.interval == expected and score.interval.level == 0.95


def test_paired_scores_compares_two_protocols_on_the_items_both_kept():
    from evaluators.metrics.stats import paired_scores

    # Qwen2-Audio lstrip vs Qwen-Audio strip: they differ exactly on outputs with trailing spaces
    responses = [" neutral", "joy ", "anger", "sadness ", " joy"] * 20
    predictions = PredictionSet.from_pairs(responses, ["neutral", "joy", "anger", "sadness", "joy"] * 20)
    qwen2, qwen1 = get_protocol("ER-QWEN-EXACT"), get_protocol("ER-QWEN1-EXACT")
    a, b = qwen2.score(predictions), qwen1.score(predictions)
    comparison, shared = paired_scores(a, qwen2.aggregate, b, qwen1.aggregate, seed=1)
    assert shared == 100
    assert comparison.difference == pytest.approx(a.value - b.value) == pytest.approx(0.6 - 1.0)
    assert comparison.significant and comparison.interval.high < 0
    skipped = get_protocol("ER-JW").score(PredictionSet.from_pairs(["Happy</s>", "Happy"], ["hap", "hap"]))
    with pytest.raises(ValueError, match="share no kept item"):
        other = get_protocol("ER-JW").score(PredictionSet.from_pairs(["Sad</s>"], ["sad"], ids=["z"]))
        paired_scores(skipped, corpus, other, corpus)
    with pytest.raises(ValueError, match="details"):
        paired_scores(qwen2.score(predictions, details=False), corpus, b, corpus)


def test_wald_interval_clipped_to_the_unit_range_only_when_asked() -> None:
    # 1 of 4 correct: 0.25 ± 0.4244 would print as [-0.1744, 0.6744]
    assert wald_interval(0.25, 4).low < 0
    clipped = wald_interval(0.25, 4, clip=True)
    assert clipped.low == 0.0 and clipped.high == pytest.approx(0.25 + 1.959963984540054 * (0.25 * 0.75 / 4) ** 0.5)
    assert clipped.method == "wald-clipped"
    assert wald_interval(0.5, 100, clip=True) == wald_interval(0.5, 100)


# --- issue 14, finding 16: bootstrap memory bounded by the chunk, not by resamples x items ---------------------

def test_bootstrap_memory_stays_bounded_whatever_the_number_of_items():
    """100,000 items peaked at 1.2 GB (all 1,000 x 100,000 indices at once); now a chunk of about 1 M
    resampled items: < 100 MB. Peak memory for 10k/100k/1M items is in benchmarks/bench_bootstrap_memory.py."""
    import tracemalloc

    rng = np.random.default_rng(0)
    n = 100_000
    stats = np.stack([rng.integers(0, 5, n), rng.integers(1, 20, n)], axis=1).astype(float)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        interval = bootstrap_interval(stats, corpus)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 2**20, f"peak {peak / 2**20:.0f} MB"
    assert interval.low < stats[:, 0].sum() / stats[:, 1].sum() < interval.high


def test_chunked_resampling_gives_the_same_interval_as_one_draw():
    from evaluators.metrics import stats as stats_module

    rng = np.random.default_rng(1)
    data = np.stack([rng.integers(0, 5, 3000), rng.integers(1, 20, 3000)], axis=1).astype(float)
    whole = np.random.default_rng(stats_module.DEFAULT_SEED).integers(0, 3000, size=(1000, 3000))
    expected = corpus(data[whole])
    assert np.array_equal(bootstrap_distribution(data, corpus), expected)


def test_linear_quantiles_equal_numpy_bit_for_bit():
    from evaluators.metrics.stats import linear_quantiles

    rng = np.random.default_rng(7)
    quantiles = [(1 - 0.95) / 2, 1 - (1 - 0.95) / 2, 0.0, 1.0, 0.5, 0.1, 0.9, 0.333, 1e-9, 1 - 1e-9]
    arrays = [rng.random(n) for n in (1, 2, 3, 7, 100, 999, 1000)]
    arrays += [rng.integers(0, 5, 50).astype(float) / 7, np.array([0.5] * 10), rng.normal(size=1000) * 1e6,
               np.array([-np.inf, 0.0, 1.0, np.inf]), np.array([3.0, -0.0, 0.0, 2.5])]
    for values in arrays:
        ours = linear_quantiles(values, quantiles)
        with np.errstate(invalid="ignore"):  # inf - inf in the interpolation, on both sides
            theirs = np.quantile(values, quantiles)
        assert [float(x).hex() for x in ours] == [float(x).hex() for x in theirs], values
