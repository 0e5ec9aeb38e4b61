"""Word (and character) error rate as per-item sufficient statistics ``(edits, reference length)``.

Edit distance is unit-cost Levenshtein over token sequences (protocols.md §0.2); ``editdistance``
and jiwer's rapidfuzz alignment give the same total, and rapidfuzz's C implementation over token
lists is what makes scoring thousands of items cheap. Corpus rate = Σedits / Σreference tokens;
macro rate = mean of per-item rates (items with an empty reference are left out of the mean).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from evaluators.metrics.base import Metric, ratio_aggregate

if TYPE_CHECKING:
    import numpy as np


def whitespace_tokens(text: str) -> list[str]:
    return text.split()


@cache
def _levenshtein_distance() -> Callable[[Sequence[str], Sequence[str]], int]:
    """rapidfuzz's token-sequence Levenshtein, imported on first use (not when protocols are declared)."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Unit-cost Levenshtein distance between two token sequences."""
    return _levenshtein_distance()(reference, hypothesis)


class ErrorRate(Metric):
    """Edits / reference tokens, with a pluggable tokenisation (words, characters, phones).

    With several references (rare for ASR) the first is used; overlapped speech has its own metric.
    """

    unit = "fraction"
    direction = "lower"
    stat_names = ("edits", "ref_tokens")

    def __init__(self, name: str = "wer", tokenize: Callable[[str], Sequence[str]] = whitespace_tokens,
                 token_unit: str = "word"):
        self.name = name
        self.tokenize = tokenize
        self.token_unit = token_unit

    def item_stats(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> tuple[int, int]:
        ref_tokens = self.tokenize(references[0] if references else "")
        hyp_tokens = self.tokenize(hypothesis)
        return edit_distance(ref_tokens, hyp_tokens), len(ref_tokens)

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return ratio_aggregate(stats, aggregation)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "unit": self.token_unit}


class JiwerErrorRate(ErrorRate):
    """:class:`ErrorRate` with jiwer 4's rule for references without a token.

    jiwer 4.0 (``process_words``) no longer raises on an empty reference: with ``H + S + D = 0`` reference
    tokens over the sentences it was given, it returns the number of insertions as the "rate" (0 when the
    hypothesis is empty as well). So a corpus whose references are all empty scores Σinsertions, and a
    per-sample call (CMI-bench's ``jiwer.wer(reference, prediction)``) scores such an item its hypothesis
    length. Otherwise the value is Σedits / Σreference tokens, as :class:`ErrorRate`'s.
    """

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        import numpy as np

        stats = np.asarray(stats, dtype=float)
        num, den = stats[..., 0], stats[..., 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            if aggregation == "corpus":
                total_num, total_den = num.sum(axis=-1), den.sum(axis=-1)
                return np.where(total_den > 0, total_num / np.where(total_den > 0, total_den, 1), total_num)
            if aggregation == "macro":
                rates = np.where(den > 0, num / np.where(den > 0, den, 1), num)
                count = num.shape[-1]
                return rates.mean(axis=-1) if count else np.full(num.shape[:-1], np.nan)
        return ratio_aggregate(stats, aggregation)

    def signature_fields(self) -> dict[str, str]:
        return {**super().signature_fields(), "empty_ref": "jiwer4-insertions"}

