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
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import numpy as np

    from evaluators.metrics.stats import Interval

#: ``aggregate(stats)`` of a protocol: its metric with the protocol's aggregation
Aggregate = Callable[["np.ndarray"], "np.ndarray | float"]


class SetStatistics(NamedTuple):
    """What a batched metric computes for all kept items at once."""

    #: one statistics row per kept item, in order
    stats: np.ndarray
    #: one note per kept item (an LLM judge's verdict: outcome, replies, explanation), or ``None``
    notes: Sequence[Any] | None = None
    #: facts of the whole run, reported once (calls made, cache hits)
    run: Mapping[str, Any] | None = None

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
    #: ``True`` when the statistics need all kept items at once (Java scorers, corpus document frequencies,
    #: an LLM judge's concurrent calls): ``Protocol.score`` then calls :meth:`set_stats`, not :meth:`item_stats`
    batched: bool = False

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

    # -- hooks of ``Protocol.score`` (the one scoring loop); the defaults suit a per-item metric ------------
    def unavailable_reason(self) -> str | None:
        """Why the metric cannot run here (no Java, no WordNet, no judge backend), or ``None``; checked before
        any item is prepared."""
        return None

    def for_items(self, items: Sequence[Any]) -> Metric:
        """The metric bound to set-level data of the raw items (CMI-Bench's label set of the whole file);
        raises ``ItemInputError`` when the set cannot provide it."""
        return self

    def set_stats(self, prepared: Sequence[Any]) -> SetStatistics:
        """Statistics rows of all kept items at once (``batched`` metrics), optional per-item notes and facts
        of the run. ``prepared`` holds the protocol's prepared items (``hypothesis``, ``references``, ``item``).
        """
        raise NotImplementedError(f"{type(self).__name__} is not a batched metric")

    def count(self, stats: np.ndarray) -> int:
        """The ``n`` reported for these statistics: the number of items, unless the metric counts other units
        (an LLM judge's counted answers)."""
        return int(stats.shape[0])

    def summary(self, stats: np.ndarray, notes: Sequence[Any]) -> Mapping[str, Any]:
        """What the score reports beside the value, from the items' notes (only for metrics that keep notes).

        A key ``unavailable_reason`` withholds the value (the official script would abort on these items).
        """
        return {}

    def intervals(self, stats: np.ndarray, value: float, method: str,
                  aggregate: Aggregate) -> tuple[Interval | None, dict[str, Interval]]:
        """The headline 95 % interval of ``value`` and any further named intervals.

        ``method`` is the protocol's: ``wilson`` for (correct, total) accuracies, ``bootstrap`` (percentile,
        resampling items) for everything else, ``none`` for no interval.
        """
        if method == "none":
            return None, {}
        from evaluators.metrics.stats import bootstrap_interval, wilson_interval

        if method == "wilson":
            return wilson_interval(float(stats[:, 0].sum()), int(stats[:, 1].sum())), {}
        return bootstrap_interval(stats, aggregate), {}


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
