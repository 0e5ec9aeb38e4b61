"""Peak memory of the 95 % bootstrap interval of a corpus metric over 10k, 100k and 1M items.

Scoring a prediction set ends with a bootstrap interval (1,000 resamples of the items' statistics);
it drew all indices at once, ``1,000 × n`` integers (issue 14, finding 16: 100,000 items peaked at
1.2 GB, 200,000 at 2.3 GB). It now draws at most about 1 M resampled items per chunk (same random
stream, so the same interval). Measured in the same run with ``tracemalloc`` (numpy reports its
buffers to it), on WER-like statistics ``(errors, reference words)`` per item:

* **all at once**: the former computation (indices of every resample first) — run only up to
  ``--baseline-max`` items (default 100,000; at 1M items it needs 8 GB for the indices alone);
* **chunked**: ``evaluators.metrics.stats.bootstrap_interval`` as ASR-AB's scoring calls it.

The two intervals are checked equal where both run.

    .venv/bin/python benchmarks/bench_bootstrap_memory.py [--baseline-max 100000]
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc

import numpy as np

from evaluators.metrics.base import ratio_aggregate
from evaluators.metrics.stats import DEFAULT_RESAMPLES, DEFAULT_SEED, bootstrap_interval

SIZES = (10_000, 100_000, 1_000_000)


def corpus(stats: np.ndarray) -> np.ndarray:
    return ratio_aggregate(stats, "corpus")


def all_at_once(stats: np.ndarray) -> tuple[float, float]:
    """The former bootstrap: every resample's indices drawn in one array, aggregated 100 rows at a time."""
    n = stats.shape[0]
    indices = np.random.default_rng(DEFAULT_SEED).integers(0, n, size=(DEFAULT_RESAMPLES, n))
    values = np.empty(DEFAULT_RESAMPLES)
    for start in range(0, DEFAULT_RESAMPLES, 100):
        values[start:start + 100] = corpus(stats[indices[start:start + 100]])
    low, high = np.quantile(values, [0.025, 0.975])
    return float(low), float(high)


def peak(function, *args):  # noqa: ANN001, ANN201
    tracemalloc.start()
    tracemalloc.reset_peak()
    start = time.perf_counter()
    result = function(*args)
    elapsed = time.perf_counter() - start
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, top / 2**20, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-max", type=int, default=100_000)
    args = parser.parse_args(argv)
    print(f"{'items':>9} {'stats MB':>9} {'chunked peak MB':>16} {'s':>6} {'all-at-once peak MB':>20} {'s':>6} "
          f"{'ratio':>7}")
    for n in SIZES:
        rng = np.random.default_rng(n)
        stats = np.stack([rng.integers(0, 5, n), rng.integers(1, 20, n)], axis=1).astype(float)
        interval, ours, ours_s = peak(bootstrap_interval, stats, corpus)
        row = f"{n:>9} {stats.nbytes / 2**20:>9.1f} {ours:>16.1f} {ours_s:>6.1f}"
        if n <= args.baseline_max:
            (low, high), theirs, theirs_s = peak(all_at_once, stats)
            if (low, high) != (interval.low, interval.high):
                print(f"INTERVALS DIFFER at {n} items", file=sys.stderr)
                return 1
            row += f" {theirs:>20.1f} {theirs_s:>6.1f} {theirs / ours:>6.1f}x"
        else:
            row += f" {'(not run: ' + format(DEFAULT_RESAMPLES * n * 8 / 2**30, '.0f') + ' GB)':>20}"
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
