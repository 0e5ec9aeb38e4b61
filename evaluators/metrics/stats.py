"""Uncertainty of a score: Wald and Wilson intervals for accuracies, bootstrap for corpus metrics.

All bootstrap functions resample *items* (rows of the per-item statistics) with a fixed seed, so
the same input always gives the same interval, and they never touch text: the metric's
``aggregate`` is applied to resampled statistics (see ``evaluators.metrics.base``).

Conventions reproduced from published work:
* SAKURA's ± values are 95 % Wald intervals ``1.96·sqrt(p(1−p)/n)`` with n = 500 (protocols.md §12.3).
* jaeeewon's SAKURA scripts add 1e−9 under the root: ``1.96·sqrt(p(1−p)/n + 1e−9)`` (§12.4).
* Bootstrap percentile intervals follow sacreBLEU's ``estimate_ci`` (1,000 resamples by default).
* Agreement between a list of published values and reproduced ones: Lin's concordance correlation
  coefficient with population statistics, as jaeeewon reports it for SAKURA (§12.4).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Z_95 = 1.959963984540054  # two-sided 95 % normal quantile
DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 12345
_CHUNK = 100  # resamples evaluated at once, at most
#: resampled items held at once (indices and gathered statistics of a chunk): memory stays bounded by
#: this, not by resamples × items (100,000 items used to peak at 1.2 GB, 200,000 at 2.3 GB)
_CHUNK_ITEMS = 1 << 20


@dataclass(frozen=True)
class Interval:
    """A confidence interval around a point estimate."""

    low: float
    high: float
    level: float = 0.95
    method: str = ""

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def as_dict(self) -> dict[str, float | str]:
        return {"low": self.low, "high": self.high, "level": self.level, "method": self.method}


def wald_interval(p: float, n: int, z: float = Z_95, *, clip: bool = False) -> Interval:
    """Normal-approximation interval ``p ± z·sqrt(p(1−p)/n)``.

    Unclipped by default (its half-width is the ± papers print); with ``clip`` the bounds are cut to
    [0, 1] (method ``wald-clipped`` when a bound was cut), so a reported range never leaves the possible
    values of an accuracy.
    """
    if n <= 0:
        raise ValueError("n must be positive")
    half = z * math.sqrt(max(p * (1 - p), 0.0) / n)
    if clip and (p - half < 0.0 or p + half > 1.0):
        return Interval(max(0.0, p - half), min(1.0, p + half), method="wald-clipped")
    return Interval(p - half, p + half, method="wald")


def wald_half_width(p: float, n: int, z: float = 1.96, epsilon: float = 0.0) -> float:
    """The ± a paper prints for accuracy ``p`` (fraction) with ``n`` items; SAKURA uses z = 1.96.

    ``epsilon`` is added under the square root (jaeeewon's scripts use 1e−9).
    """
    if n <= 0:
        raise ValueError("n must be positive")
    return z * math.sqrt(max(p * (1 - p), 0.0) / n + epsilon)


def wilson_interval(correct: float, n: int, z: float = Z_95) -> Interval:
    """Wilson score interval for ``correct`` successes out of ``n``; stays inside [0, 1]."""
    if n <= 0:
        raise ValueError("n must be positive")
    if not 0 <= correct <= n:
        raise ValueError(f"correct must lie in [0, n]; got {correct} of {n}")
    p = correct / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # exact at the ends (rounding would otherwise leave 0 or 1 just outside the interval)
    low = 0.0 if correct == 0 else min(p, max(0.0, centre - half))
    high = 1.0 if correct == n else max(p, min(1.0, centre + half))
    return Interval(low, high, method="wilson")


def _resample_chunks(n: int, resamples: int, seed: int) -> Iterator[tuple[int, np.ndarray]]:
    """``(first resample, indices of shape (rows, n))`` chunk by chunk, never more than
    :data:`_CHUNK_ITEMS` indices (at least one resample) at once.

    The generator draws the rows in order, so the indices are exactly those of one
    ``rng.integers(0, n, size=(resamples, n))`` call: intervals do not change with the chunking.
    """
    rng = np.random.default_rng(seed)
    rows = max(1, min(_CHUNK, _CHUNK_ITEMS // max(n, 1)))
    for start in range(0, resamples, rows):
        yield start, rng.integers(0, n, size=(min(rows, resamples - start), n))


class _Gather:
    """``stats[chunk]`` (the resampled rows, shape ``chunk.shape + stats.shape[1:]``) written into one reused
    buffer with ``np.take``: the same array as fancy indexing, about three times faster on (n, 2) statistics
    and without allocating every chunk. The aggregate consumes each chunk before the next one is gathered."""

    def __init__(self, stats: np.ndarray):
        self.stats = stats
        self.buffer: np.ndarray | None = None

    def __call__(self, chunk: np.ndarray) -> np.ndarray:
        if self.buffer is None or self.buffer.shape[0] < chunk.shape[0]:
            self.buffer = np.empty(chunk.shape + self.stats.shape[1:], dtype=self.stats.dtype)
        out = self.buffer[:chunk.shape[0]]
        # indices come from ``rng.integers(0, n)``: always in range, so ``clip`` changes none of them, and it
        # lets numpy write into ``out`` directly (``raise`` checks bounds through a temporary; ~3x slower)
        return np.take(self.stats, chunk, axis=0, out=out, mode="clip")


def bootstrap_distribution(stats: np.ndarray, aggregate: Callable[[np.ndarray], np.ndarray], *,
                           resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED) -> np.ndarray:
    """Metric values of ``resamples`` item-level resamples of ``stats`` (shape ``(n, k)``)."""
    stats = np.asarray(stats, dtype=float)
    n = stats.shape[0]
    if n == 0:
        return np.full(resamples, np.nan)
    values = np.empty(resamples)
    gather = _Gather(stats)
    for start, chunk in _resample_chunks(n, resamples, seed):
        values[start:start + len(chunk)] = aggregate(gather(chunk))
    return values


def linear_quantiles(values: np.ndarray, quantiles: Sequence[float]) -> list[float]:
    """``np.quantile(values, quantiles)`` (its default ``linear`` method) for 1-D values without NaN.

    The same float operations in the same order as numpy 2's ``_quantile`` — virtual index ``(n − 1)·q``,
    its floor and the next index (both the last one at or past the end), ``γ = index − floor``, then
    ``a + (b − a)·γ``, or ``b − (b − a)·(1 − γ)`` where ``γ ≥ 0.5`` — so the same bits, without
    ``np.quantile``'s call to ``np.unique``, which imports ``numpy.ma`` (a sizeable share of a short
    ``audiorepro score`` run). ``tests/unit/test_stats.py`` compares the two.
    """
    ordered = np.sort(np.asarray(values, dtype=float))
    n = ordered.shape[0]
    if n == 0:
        raise ValueError("quantiles of an empty array")
    result = []
    for q in quantiles:
        virtual = (n - 1) * q
        if virtual >= n - 1:
            previous = following = n - 1
            gamma = virtual + 1  # numpy's index there is -1
        elif virtual < 0:
            previous = following = 0
            gamma = virtual
        else:
            previous = math.floor(virtual)
            following = previous + 1
            gamma = virtual - previous
        low, high = float(ordered[previous]), float(ordered[following])
        difference = high - low
        result.append(high - difference * (1 - gamma) if gamma >= 0.5 else low + difference * gamma)
    return result


def bootstrap_interval(stats: np.ndarray, aggregate: Callable[[np.ndarray], np.ndarray], *,
                       resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                       level: float = 0.95) -> Interval:
    """Percentile bootstrap interval of a corpus metric (WER, BLEU, ...) resampling items."""
    values = bootstrap_distribution(stats, aggregate, resamples=resamples, seed=seed)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return Interval(math.nan, math.nan, level, method="bootstrap")
    alpha = (1 - level) / 2
    low, high = linear_quantiles(values, (alpha, 1 - alpha))
    return Interval(float(low), float(high), level, method=f"bootstrap-{resamples}")


@dataclass(frozen=True)
class PairedComparison:
    """Paired bootstrap of the difference ``a − b`` of two protocols on the same items."""

    difference: float
    interval: Interval
    p_value: float

    @property
    def significant(self) -> bool:
        return not self.interval.contains(0.0)


def paired_bootstrap(stats_a: np.ndarray, stats_b: np.ndarray,
                     aggregate_a: Callable[[np.ndarray], np.ndarray],
                     aggregate_b: Callable[[np.ndarray], np.ndarray] | None = None, *,
                     resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                     level: float = 0.95) -> PairedComparison:
    """Difference of two scores over the *same* items, with the same resampled items on both sides.

    The p-value is the two-sided share of resampled differences on the other side of zero (with
    the usual +1 correction), as in Koehn (2004) paired bootstrap resampling.
    """
    aggregate_b = aggregate_b or aggregate_a
    stats_a = np.asarray(stats_a, dtype=float)
    stats_b = np.asarray(stats_b, dtype=float)
    if stats_a.shape[0] != stats_b.shape[0]:
        raise ValueError(f"paired bootstrap needs the same items: {stats_a.shape[0]} vs {stats_b.shape[0]}")
    if stats_a.shape[0] == 0:
        raise ValueError("paired bootstrap needs at least one item")
    diff = float(aggregate_a(stats_a) - aggregate_b(stats_b))
    diffs = np.empty(resamples)
    gather_a, gather_b = _Gather(stats_a), _Gather(stats_b)
    for start, chunk in _resample_chunks(stats_a.shape[0], resamples, seed):
        diffs[start:start + len(chunk)] = aggregate_a(gather_a(chunk)) - aggregate_b(gather_b(chunk))
    diffs = diffs[~np.isnan(diffs)]
    if diffs.size == 0:
        return PairedComparison(diff, Interval(math.nan, math.nan, level, method="paired-bootstrap"), math.nan)
    alpha = (1 - level) / 2
    low, high = linear_quantiles(diffs, (alpha, 1 - alpha))
    below = np.count_nonzero(diffs <= 0)
    above = np.count_nonzero(diffs >= 0)
    p_value = min(1.0, 2 * (min(below, above) + 1) / (diffs.size + 1))
    interval = Interval(float(low), float(high), level, method=f"paired-bootstrap-{resamples}")
    return PairedComparison(diff, interval, p_value)


def concordance_correlation(x: Sequence[float], y: Sequence[float]) -> float:
    """Lin's CCC ``2·cov(x, y) / (var x + var y + (mean x − mean y)²)`` with population (ddof 0) moments.

    >>> round(concordance_correlation([1, 2, 3], [2, 3, 4]), 4)
    0.5714
    """
    a = np.asarray(x, dtype=float)
    b = np.asarray(y, dtype=float)
    if a.shape != b.shape or a.ndim != 1 or a.size == 0:
        raise ValueError(f"need two non-empty lists of the same length, got {a.shape} and {b.shape}")
    covariance = float(np.mean((a - a.mean()) * (b - b.mean())))
    denominator = float(a.var() + b.var() + (a.mean() - b.mean()) ** 2)
    return 2 * covariance / denominator if denominator else float("nan")


def paired_scores(score_a: Any, aggregate_a: Callable[[np.ndarray], np.ndarray], score_b: Any,
                  aggregate_b: Callable[[np.ndarray], np.ndarray] | None = None, *,
                  resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                  level: float = 0.95) -> tuple[PairedComparison, int]:
    """Paired bootstrap of two protocols' scores of one prediction set, on the items both kept.

    ``score_a``/``score_b`` are ``Score`` objects computed with per-item details (their ``items`` carry
    id, statistics and skip reason); ``aggregate_*`` are the protocols' ``aggregate``. Items skipped by
    either protocol are left out, so both sides see exactly the same items. Returns the comparison and
    the number of shared items.
    """
    rows_a = {detail.id: detail.stats for detail in score_a.items if detail.skipped is None}
    rows_b = {detail.id: detail.stats for detail in score_b.items if detail.skipped is None}
    if not rows_a or not rows_b:
        raise ValueError("both scores need per-item details (score with details=True) and kept items")
    shared = [item_id for item_id in rows_a if item_id in rows_b]
    if not shared:
        raise ValueError("the two scores share no kept item")
    stats_a = np.asarray([rows_a[item_id] for item_id in shared], dtype=float)
    stats_b = np.asarray([rows_b[item_id] for item_id in shared], dtype=float)
    comparison = paired_bootstrap(stats_a, stats_b, aggregate_a, aggregate_b, resamples=resamples, seed=seed,
                                  level=level)
    return comparison, len(shared)
