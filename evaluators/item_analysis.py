"""Why one item scores what it scores: the numbers behind ``audiorepro score --items``.

* error rates (WER, CER, PER, MER): substitutions, deletions and insertions of the minimum edit alignment
  of the protocol's own tokens (the metric's tokeniser on the processed texts), and the alignment itself
  as two padded lines (``REF``/``HYP``, ``***`` for a missing token, upper case for an error); S + D + I is
  the edit count the score uses;
* BLEU: the item's hypothesis and reference lengths in the metric's tokens, their ratio and the brevity
  penalty ``exp(1 − r/h)`` (``h < r``; 0 when ``h = 0``) — sentence-level; the corpus BP is over the sums.

Other metrics have no analysis (``None``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from rapidfuzz.distance import Levenshtein

from evaluators.metrics.base import Metric
from evaluators.metrics.bleu import BLEU
from evaluators.metrics.wer import ErrorRate

#: placeholder of a missing token in an alignment
GAP = "***"


def alignment(reference: Sequence[str], hypothesis: Sequence[str]) -> dict[str, Any]:
    """S, D, I and the aligned ``ref``/``hyp`` lines of a minimum edit alignment (reference → hypothesis)."""
    ref_cells: list[str] = []
    hyp_cells: list[str] = []
    counts = {"substitutions": 0, "deletions": 0, "insertions": 0, "hits": 0}
    for op in Levenshtein.opcodes(list(reference), list(hypothesis)):
        refs = list(reference[op.src_start:op.src_end])
        hyps = list(hypothesis[op.dest_start:op.dest_end])
        if op.tag == "equal":
            counts["hits"] += len(refs)
            pairs = list(zip(refs, hyps, strict=True))
        elif op.tag == "replace":
            counts["substitutions"] += len(refs)
            pairs = [(r.upper(), h.upper()) for r, h in zip(refs, hyps, strict=True)]
        elif op.tag == "delete":
            counts["deletions"] += len(refs)
            pairs = [(r.upper(), GAP) for r in refs]
        else:
            counts["insertions"] += len(hyps)
            pairs = [(GAP, h.upper()) for h in hyps]
        for ref_token, hyp_token in pairs:
            width = max(len(ref_token), len(hyp_token))
            ref_cells.append(ref_token.ljust(width))
            hyp_cells.append(hyp_token.ljust(width))
    return {**counts, "ref": " ".join(ref_cells).rstrip(), "hyp": " ".join(hyp_cells).rstrip()}


def bleu_lengths(stats: Sequence[float]) -> dict[str, Any]:
    """Lengths, length ratio and brevity penalty of one item's BLEU statistics ``(hyp_len, ref_len, ...)``."""
    hyp_len, ref_len = float(stats[0]), float(stats[1])
    if hyp_len >= ref_len:
        penalty = 1.0
    else:
        penalty = math.exp(1 - ref_len / hyp_len) if hyp_len > 0 else 0.0
    return {"hyp_len": int(hyp_len), "ref_len": int(ref_len),
            "length_ratio": hyp_len / ref_len if ref_len else None, "brevity_penalty": penalty}


def analyse(metric: Metric, hypothesis: str, references: Sequence[str], stats: Sequence[float]) -> dict | None:
    """The analysis of one kept item under ``metric`` (module docstring), or ``None`` for other metrics."""
    if isinstance(metric, ErrorRate):
        reference = references[0] if references else ""
        return {"kind": "edits", "token_unit": metric.token_unit,
                **alignment(metric.tokenize(reference), metric.tokenize(hypothesis))}
    if isinstance(metric, BLEU) and len(stats) >= 2:
        return {"kind": "bleu", **bleu_lengths(stats)}
    return None


__all__ = ["GAP", "alignment", "analyse", "bleu_lengths"]
