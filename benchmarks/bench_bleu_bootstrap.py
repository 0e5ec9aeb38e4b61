"""Bootstrap BLEU: vectorised aggregate over per-item statistics vs sacreBLEU recomputed per resample.

Baseline (measured in the same run): for each resample, sum the resampled rows and call sacreBLEU's
``BLEU.compute_bleu`` in Python, as ``sacrebleu.significance`` does. Ours: one numpy call per chunk of
resamples (``evaluators.metrics.bleu.BLEU.aggregate`` on a 3-D array). Both start from the same
statistics; the script checks the values agree and prints the speed ratio.

    .venv/bin/python benchmarks/bench_bleu_bootstrap.py [n_items] [resamples]
"""

from __future__ import annotations

import random
import sys
import time

import numpy as np

from evaluators.metrics.bleu import BLEU
from evaluators.metrics.stats import bootstrap_distribution


def main(n_items: int = 2000, resamples: int = 1000) -> None:
    rng = random.Random(0)
    vocab = [f"w{i}" for i in range(200)]
    metric = BLEU("13a")
    rows = []
    for _ in range(n_items):
        ref = rng.choices(vocab, k=rng.randint(5, 25))
        hyp = [w if rng.random() < 0.7 else rng.choice(vocab) for w in ref]
        rows.append(metric.item_stats(" ".join(hyp), [" ".join(ref)], {}))
    stats = np.asarray(rows, dtype=float)

    start = time.perf_counter()
    ours = bootstrap_distribution(stats, metric.aggregate, resamples=resamples)
    vectorised = time.perf_counter() - start

    start = time.perf_counter()
    baseline = bootstrap_distribution(
        stats, lambda batch: np.array([metric.sacrebleu_value(sample.sum(axis=0)) for sample in batch]),
        resamples=resamples)
    per_resample = time.perf_counter() - start

    assert np.allclose(ours, baseline, rtol=1e-12, atol=1e-12)
    print(f"{n_items} items, {resamples} resamples: vectorised {vectorised:.3f}s, "
          f"sacreBLEU per resample {per_resample:.3f}s, ratio {per_resample / vectorised:.1f}x "
          f"(max |diff| {np.abs(ours - baseline).max():.2e})")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
