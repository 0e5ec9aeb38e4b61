"""The ± values judge-based papers print, recomputed the way each one computes them (protocols.md §12.3-4).

* SAKURA (paper/README; inferred from the numbers, no code in the repository): a 95 % Wald half-width
  ``1.96·sqrt(p(1−p)/n)`` with n = 500 per track and hop, printed ×100 with one decimal. The "Average"
  column applies the same formula to the *averaged* accuracy with n = 500 (not 2,000, and not the mean
  of the four track intervals).
* jaeeewon/project-multimodal (``dist_eval/eval_sakura.py``): ``1.96·sqrt(p(1−p)/n + 1e−9)`` with
  n = correct + incorrect + failed, and the average interval is the *mean of the four track intervals*.

The Wald half-width itself comes from :func:`evaluators.metrics.stats.wald_half_width`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from evaluators.metrics.stats import wald_half_width

SAKURA_N = 500


def sakura_plus_minus(accuracy_percent: float, n: int = SAKURA_N) -> float:
    """The ± SAKURA prints next to an accuracy (both in percent), rounded to one decimal."""
    return round(100 * wald_half_width(accuracy_percent / 100, n), 1)


def sakura_average_plus_minus(track_accuracies_percent: Sequence[float], n: int = SAKURA_N) -> float:
    """SAKURA's "Average" ±: the Wald half-width of the mean accuracy with the per-track n."""
    mean = sum(track_accuracies_percent) / len(track_accuracies_percent)
    return sakura_plus_minus(mean, n)


def jw_half_width(accuracy: float, n: int) -> float:
    """jaeeewon's interval half-width (fraction): ``1.96·sqrt(p(1−p)/n + 1e−9)``."""
    return 1.96 * math.sqrt(accuracy * (1 - accuracy) / n + 1e-9)


def jw_average_half_width(accuracies: Sequence[float], ns: Sequence[int]) -> float:
    """jaeeewon's "Average" interval: the mean of the per-track half-widths."""
    widths = [jw_half_width(p, n) for p, n in zip(accuracies, ns, strict=True)]
    return sum(widths) / len(widths)
