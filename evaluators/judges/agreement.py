"""Judge–judge agreement: do two judges (or two runs of one) reach the same verdicts on the same items?

When two judges scored the same items (gpt-4o vs Qwen3-8B on SAKURA, a re-run at another
temperature), the accuracy gap alone hides how often they disagree item by item. This module
reports the raw agreement and Cohen's kappa (``sklearn.metrics.cohen_kappa_score``) on the items
both judged, and the confusion counts, so "the numbers match" can be told apart from "the verdicts
match".
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from evaluators.judges.specs import ItemVerdict
from evaluators.score import Score


def outcome_label(verdict: ItemVerdict) -> str:
    """The official outcome (``correct``/``incorrect``/``unparsed``; for ratings: the rating)."""
    if "rating" in verdict.detail:
        return f"{verdict.detail['rating']:g}" if verdict.parsed else "unparsed"
    return verdict.outcome


@dataclass(frozen=True)
class Agreement:
    """Agreement of two judgings on their shared items."""

    n: int
    raw: float | None
    kappa: float | None
    confusion: dict[tuple[str, str], int]
    only_in_first: int
    only_in_second: int

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n, "raw": self.raw, "kappa": self.kappa,
                "confusion": {f"{a}|{b}": count for (a, b), count in sorted(self.confusion.items())},
                "only_in_first": self.only_in_first, "only_in_second": self.only_in_second}


def _verdicts(score: Score) -> list[ItemVerdict]:
    """The judged items' verdicts (each judged item's notes; skipped items have none)."""
    return [detail.notes for detail in score.items if isinstance(detail.notes, ItemVerdict)]


def agreement(first: Score, second: Score, label: Callable[[ItemVerdict], str] = outcome_label) -> Agreement:
    """Raw agreement and Cohen's kappa of two judge protocols' scores over the item ids they share.

    Kappa is ``None`` when it is undefined (both judges gave one and the same label to every item).
    """
    from sklearn.metrics import cohen_kappa_score

    a = {verdict.id: label(verdict) for verdict in _verdicts(first)}
    b = {verdict.id: label(verdict) for verdict in _verdicts(second)}
    shared = [item_id for item_id in a if item_id in b]
    labels_a = [a[item_id] for item_id in shared]
    labels_b = [b[item_id] for item_id in shared]
    confusion = Counter(zip(labels_a, labels_b, strict=True))
    raw = (sum(x == y for x, y in zip(labels_a, labels_b, strict=True)) / len(shared)) if shared else None
    kappa: float | None = None
    if shared and len(set(labels_a) | set(labels_b)) > 1:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            value = float(cohen_kappa_score(labels_a, labels_b))
        kappa = None if math.isnan(value) else value
    return Agreement(len(shared), raw, kappa, dict(confusion), len(set(a) - set(b)), len(set(b) - set(a)))
