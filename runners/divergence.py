"""Token-by-token comparison of one item's generation against its batch-size-1 reference.

A batched run either produces the same greedy tokens as the reference or not; when not, the first
divergent step and the reference's top-1/top-2 score margin at that step tell *why* (a margin of
1e-4 is a near tie that any kernel change can flip; a margin of 5 is a bug). Even when every token
matches, the scores can drift, so the largest |Δscore| over the steps where both runs had the same
prefix (and were therefore computing the same distribution) is reported too.

Scores are the processed next-token scores (see ``runners.base``); entries that are ``-inf`` in
both runs (suppressed tokens) are equal, an entry finite in one run and not the other counts as an
infinite difference.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from runners.base import Generation


@dataclass(frozen=True)
class Divergence:
    """How a generation differs from its reference.

    ``first_divergent_step`` is None when the token ids are identical. ``max_abs_score_delta`` is
    taken over the steps where both prefixes agree (up to and including the divergent step).
    ``reference_margin`` is the reference's top-1 minus top-2 score at the divergent step (None
    when identical or when the reference has no step there); ``min_reference_margin`` is the
    smallest such margin over the compared steps, i.e. how close the reference came to a flip.
    ``nonfinite_scores`` is True when either run produced NaN or +inf scores (e.g. a half-precision
    overflow): then "identical" only means both argmaxes agreed on garbage.
    """

    identical: bool
    first_divergent_step: int | None
    reference_token: int | None
    other_token: int | None
    reference_margin: float | None
    max_abs_score_delta: float
    min_reference_margin: float | None
    compared_steps: int
    nonfinite_scores: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def top2_margin(scores: np.ndarray) -> float:
    """Top-1 minus top-2 of one step's scores (inf when fewer than two finite candidates)."""
    finite = scores[np.isfinite(scores)]
    if finite.size < 2:
        return float("inf")
    top = np.partition(finite, finite.size - 2)[-2:]
    return float(top[1] - top[0])


def score_delta(a: np.ndarray, b: np.ndarray) -> float:
    """max |a - b| over entries, treating equal infinities as equal and unequal finiteness as inf."""
    if a.size == 0:
        return 0.0
    both_finite = np.isfinite(a) & np.isfinite(b)
    if np.any(np.isfinite(a) != np.isfinite(b)) or np.any((~both_finite) & (a != b)):
        return float("inf")
    if not np.any(both_finite):
        return 0.0
    return float(np.max(np.abs(a[both_finite].astype(np.float64) - b[both_finite].astype(np.float64))))


def first_difference(reference: tuple[int, ...], other: tuple[int, ...]) -> int | None:
    """Index of the first differing token (or of the end of the shorter sequence), None if equal."""
    for step, (a, b) in enumerate(zip(reference, other, strict=False)):
        if a != b:
            return step
    if len(reference) != len(other):
        return min(len(reference), len(other))
    return None


def has_nonfinite(scores: np.ndarray) -> bool:
    """NaN or +inf anywhere (-inf is a legitimately suppressed token)."""
    return bool(np.isnan(scores).any() or np.isposinf(scores).any())


def compare(reference: Generation, other: Generation) -> Divergence:
    """Compare ``other`` with ``reference`` token by token (see ``Divergence``)."""
    if reference.scores.shape[1:] != other.scores.shape[1:]:
        raise ValueError(f"item {reference.id}: vocabularies differ "
                         f"({reference.scores.shape[1:]} vs {other.scores.shape[1:]})")
    step = first_difference(reference.token_ids, other.token_ids)
    common = min(len(reference.token_ids), len(other.token_ids))
    last = common if step is None else min(step + 1, common)
    deltas = [score_delta(reference.scores[t], other.scores[t]) for t in range(last)]
    margins = [top2_margin(reference.scores[t]) for t in range(last)]
    ref_margin = None
    if step is not None and step < len(reference.token_ids):
        ref_margin = top2_margin(reference.scores[step])
    return Divergence(
        identical=step is None,
        first_divergent_step=step,
        reference_token=None if step is None or step >= len(reference.token_ids) else reference.token_ids[step],
        other_token=None if step is None or step >= len(other.token_ids) else other.token_ids[step],
        reference_margin=ref_margin,
        max_abs_score_delta=max(deltas, default=0.0),
        min_reference_margin=min(margins, default=None),
        compared_steps=last,
        nonfinite_scores=has_nonfinite(reference.scores) or has_nonfinite(other.scores),
    )
