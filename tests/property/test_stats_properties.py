"""Properties of the intervals: they contain the point estimate, shrink with n, stay in [0, 1]
(Wilson), and the bootstrap is a pure function of (statistics, seed)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluators.metrics.base import ratio_aggregate
from evaluators.metrics.stats import bootstrap_interval, paired_bootstrap, wald_interval, wilson_interval


def corpus(stats):
    return ratio_aggregate(stats, "corpus")


counts = st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n)))


@given(counts)
def test_wilson_contains_the_estimate_and_stays_in_unit_range(count):
    correct, n = count
    interval = wilson_interval(correct, n)
    assert 0.0 <= interval.low <= correct / n <= interval.high <= 1.0


@given(counts)
def test_wald_contains_the_estimate(count):
    correct, n = count
    assert wald_interval(correct / n, n).contains(correct / n)


@given(counts, st.integers(min_value=2, max_value=50))
def test_intervals_shrink_with_n_at_the_same_accuracy(count, factor):
    correct, n = count
    small, large = wilson_interval(correct, n), wilson_interval(correct * factor, n * factor)
    assert large.half_width < small.half_width
    assert wald_interval(correct / n, n * factor).half_width <= wald_interval(correct / n, n).half_width


item_rows = st.lists(st.tuples(st.integers(0, 20), st.integers(1, 20)), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(item_rows, st.integers(min_value=0, max_value=2**32 - 1))
def test_bootstrap_is_deterministic_and_contains_the_corpus_value(rows, seed):
    stats = np.asarray(rows, dtype=float)
    first = bootstrap_interval(stats, corpus, resamples=200, seed=seed)
    assert bootstrap_interval(stats, corpus, resamples=200, seed=seed) == first
    assert first.contains(float(corpus(stats)))
    assert first.low >= (stats[:, 0] / stats[:, 1]).min() - 1e-12
    assert first.high <= (stats[:, 0] / stats[:, 1]).max() + 1e-12


@settings(max_examples=30, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=60), st.integers(min_value=0, max_value=1000))
def test_bootstrap_accuracy_contains_the_estimate(outcomes, seed):
    stats = np.asarray([[float(ok), 1.0] for ok in outcomes])
    interval = bootstrap_interval(stats, corpus, resamples=200, seed=seed)
    assert 0.0 <= interval.low <= float(corpus(stats)) <= interval.high <= 1.0


@settings(max_examples=30, deadline=None)
@given(item_rows, st.integers(min_value=0, max_value=1000))
def test_paired_bootstrap_is_antisymmetric(rows, seed):
    a = np.asarray(rows, dtype=float)
    b = a[::-1].copy()
    ab = paired_bootstrap(a, b, corpus, resamples=100, seed=seed)
    ba = paired_bootstrap(b, a, corpus, resamples=100, seed=seed)
    assert ab.difference == -ba.difference
    assert np.isclose(ab.interval.low, -ba.interval.high) and np.isclose(ab.interval.high, -ba.interval.low)
    assert ab.p_value == ba.p_value
