"""Paired comparisons on the same items: two runs under one protocol, or one run under two protocols.

``audiorepro compare A B --protocol P`` asks whether run B is really better than run A; ``audiorepro compare A
--protocols P1 P2`` asks which items make two protocols disagree. Both score the items with per-item
statistics and compare them with the paired bootstrap of :func:`evaluators.metrics.stats.paired_bootstrap`
(the same resampled items on both sides, as sacreBLEU's paired bootstrap and Koehn 2004): the difference
``a − b``, its 95 % interval and a two-sided p-value.

Items are matched by id; two runs must hold the same ids (the error lists the differences). An item a
protocol skips on one side contributes zero statistics there (it leaves numerator and denominator, as in
the score itself), so the compared values are exactly the two scores. The per-item table lists the items
whose value changes, largest \\|Δ\\| first, with both processed hypotheses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from evaluators.errors import AudioreproError
from evaluators.metrics.stats import PairedComparison, paired_bootstrap
from evaluators.predictions.base import PredictionSet
from evaluators.protocols.base import ItemDetail, Protocol, Score


@dataclass(frozen=True)
class ItemChange:
    """One item whose value differs between the two sides."""

    id: str
    value_a: float | None
    value_b: float | None
    hypothesis_a: str | None
    hypothesis_b: str | None
    references: tuple[str, ...]
    skipped_a: str | None = None
    skipped_b: str | None = None

    @property
    def delta(self) -> float | None:
        if self.value_a is None or self.value_b is None:
            return None
        return self.value_a - self.value_b

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "a": self.value_a, "b": self.value_b, "delta": self.delta,
                "hypothesis_a": self.hypothesis_a, "hypothesis_b": self.hypothesis_b,
                "references": list(self.references), "skipped_a": self.skipped_a, "skipped_b": self.skipped_b}


@dataclass
class Comparison:
    """``a − b`` with its paired-bootstrap interval and p-value, and the items that changed."""

    label_a: str
    label_b: str
    score_a: Score
    score_b: Score
    paired: PairedComparison
    n_items: int
    changes: list[ItemChange] = field(default_factory=list)

    @property
    def unit(self) -> str:
        return self.score_a.unit

    def as_dict(self, top: int | None = None) -> dict[str, Any]:
        interval = self.paired.interval
        return {"a": {"label": self.label_a, "protocol": self.score_a.protocol, "value": self.score_a.value,
                      "n": self.score_a.n, "skipped": dict(self.score_a.skipped), "signature": self.score_a.signature},
                "b": {"label": self.label_b, "protocol": self.score_b.protocol, "value": self.score_b.value,
                      "n": self.score_b.n, "skipped": dict(self.score_b.skipped), "signature": self.score_b.signature},
                "unit": self.unit, "items": self.n_items, "delta": self.paired.difference,
                "interval": None if math.isnan(interval.low) else [interval.low, interval.high],
                "interval_method": interval.method, "p_value": self.paired.p_value,
                "items_changed": len(self.changes),
                "top_changes": [change.as_dict() for change in self.changes[:top]]}


def _details(protocol: Protocol, predictions: PredictionSet) -> tuple[Score, dict[str, ItemDetail]]:
    score = protocol.score(predictions, interval=False, details=True)
    details = {detail.id: detail for detail in score.items}
    if len(details) != len(predictions):
        raise AudioreproError(f"{protocol.id} does not report every item of {predictions.name}; a paired comparison "
                              "needs per-item statistics")
    return score, details


def _stats(score: Score, details: dict[str, ItemDetail], ids: list[str]) -> np.ndarray:
    """Per-item statistics in ``ids`` order; a skipped item is a row of zeros (left out, as in the score)."""
    width = score.stats.shape[1] if score.stats is not None and score.stats.ndim == 2 else 0
    rows = []
    for item_id in ids:
        detail = details[item_id]
        if detail.skipped is None and len(detail.stats) != width:
            raise AudioreproError(f"{score.protocol} gives no per-item statistics for item {item_id}; a paired "
                                  "comparison needs them")
        rows.append(detail.stats if detail.skipped is None else (0.0,) * width)
    return np.asarray(rows, dtype=float).reshape(len(ids), width)


def _changes(ids: list[str], a: dict[str, ItemDetail], b: dict[str, ItemDetail]) -> list[ItemChange]:
    out = []
    for item_id in ids:
        left, right = a[item_id], b[item_id]
        if left.value == right.value and left.skipped == right.skipped:
            continue
        out.append(ItemChange(item_id, left.value, right.value, left.hypothesis, right.hypothesis,
                              left.references or right.references, left.skipped, right.skipped))
    return sorted(out, key=lambda c: (c.delta is None, -abs(c.delta or 0.0), c.id))


def _compare(label_a: str, label_b: str, protocol_a: Protocol, protocol_b: Protocol, set_a: PredictionSet,
             set_b: PredictionSet, ids: list[str]) -> Comparison:
    if protocol_a.metric.unit != protocol_b.metric.unit:
        raise AudioreproError(f"{protocol_a.id} gives {protocol_a.metric.unit} and {protocol_b.id} gives "
                              f"{protocol_b.metric.unit}: a difference across scales means nothing")
    score_a, details_a = _details(protocol_a, set_a)
    score_b, details_b = _details(protocol_b, set_b)
    if score_a.value is None or score_b.value is None:
        empty = protocol_a.id if score_a.value is None else protocol_b.id
        raise AudioreproError(f"{empty} kept no item, nothing to compare")
    paired = paired_bootstrap(_stats(score_a, details_a, ids), _stats(score_b, details_b, ids),
                              protocol_a.aggregate, protocol_b.aggregate)
    return Comparison(label_a, label_b, score_a, score_b, paired, len(ids), _changes(ids, details_a, details_b))


def compare_runs(set_a: PredictionSet, set_b: PredictionSet, protocol: Protocol) -> Comparison:
    """Run A against run B on the same items under one protocol (Δ = A − B)."""
    ids_a, ids_b = [item.id for item in set_a], {item.id for item in set_b}
    only_a = [item_id for item_id in ids_a if item_id not in ids_b]
    only_b = sorted(ids_b - set(ids_a))
    if only_a or only_b:
        raise AudioreproError(f"{set_a.source} and {set_b.source} must hold the same items: {len(only_a)} id(s) only "
                              f"in the first ({', '.join(only_a[:5])}), {len(only_b)} only in the second "
                              f"({', '.join(only_b[:5])})")
    return _compare(set_a.source, set_b.source, protocol, protocol, set_a, set_b, ids_a)


def compare_protocols(predictions: PredictionSet, protocol_a: Protocol, protocol_b: Protocol) -> Comparison:
    """One run under two protocols (Δ = P1 − P2) and the items whose value changes between them."""
    return _compare(protocol_a.id, protocol_b.id, protocol_a, protocol_b, predictions, predictions,
                    [item.id for item in predictions])


__all__ = ["Comparison", "ItemChange", "compare_protocols", "compare_runs"]
