"""The metric interface: per-item sufficient statistics, aggregated over any subset of items.

Modelled on sacreBLEU's ``metrics/base.py``: a metric extracts per-item statistics once (edits and
reference length for WER, n-gram matches and totals for BLEU, correct and total for accuracy), and
the corpus value, macro value, bootstrap intervals and paired protocol-vs-protocol tests are array
operations over those statistics. Text is never re-normalised to compute an interval.

``aggregate`` receives an array of shape ``(..., n_items, n_stats)`` and returns shape ``(...)``,
so the same function scores the corpus (2-D input) and a whole batch of bootstrap resamples (3-D).
numpy is imported by the functions that compute, not by declaring a metric.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

AGGREGATIONS = ("corpus", "macro")


class Metric(ABC):
    """A metric over prepared (hypothesis, references) pairs."""

    #: short name used in signatures, e.g. ``wer`` or ``bleu``
    name: str = ""
    #: ``fraction`` (0..1 error rates and accuracies), ``percent`` or ``bleu`` (0..100)
    unit: str = "fraction"
    #: ``lower`` or ``higher`` is better
    direction: str = "lower"
    #: names of the columns returned by :meth:`item_stats`
    stat_names: tuple[str, ...] = ()

    @abstractmethod
    def item_stats(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> Sequence[float]:
        """Sufficient statistics of one item (a row of ``stat_names``)."""

    @abstractmethod
    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray | float:
        """Metric value of the items in ``stats`` (shape ``(..., n, k)``)."""

    def item_value(self, row: Sequence[float]) -> float | None:
        """The metric of one item alone (for per-item details); ``None`` where undefined."""
        import numpy as np

        value = float(self.aggregate(np.asarray([row], dtype=float), "corpus"))
        return None if math.isnan(value) else value

    def signature_fields(self) -> dict[str, str]:
        """Fields this metric adds to a protocol signature (tokeniser, smoothing, ...)."""
        return {}


def ratio_aggregate(stats: np.ndarray, aggregation: str) -> np.ndarray:
    """Aggregate ``(numerator, denominator)`` columns: corpus = Σnum/Σden, macro = mean(num/den).

    Items whose denominator is zero are left out of the macro mean (their rate is undefined); the
    corpus value is NaN when the total denominator is zero.
    """
    import numpy as np

    stats = np.asarray(stats, dtype=float)
    num, den = stats[..., 0], stats[..., 1]
    if aggregation == "corpus":
        total_num, total_den = num.sum(axis=-1), den.sum(axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(total_den > 0, total_num / np.where(total_den > 0, total_den, 1), np.nan)
    if aggregation == "macro":
        valid = den > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            rates = np.where(valid, num / np.where(valid, den, 1), 0.0)
        count = valid.sum(axis=-1)
        return np.where(count > 0, rates.sum(axis=-1) / np.maximum(count, 1), np.nan)
    raise ValueError(f"unknown aggregation {aggregation!r}; expected one of {AGGREGATIONS}")
