"""Overlapped-speech WER: several speaker streams on each side, scored under the best speaker pairing.

An overlapped-speech item has one reference per speaker (``PredictionItem.references``) and a
hypothesis that a protocol has already split into speaker streams. The hypothesis travels through
the pipeline as **one string with one stream per line** (:func:`join_streams` /
:func:`split_streams`), so the generic ``Protocol``/``Metric`` interface (one hypothesis string per
item) carries it unchanged and the per-item details show the streams.

Two pairings, both as per-item statistics ``(errors, reference words, ...)`` so corpus aggregation
(Σerrors / Σwords) and bootstrap intervals work as for plain WER:

* :class:`PairedStreamWER` — jaeeewon/project-multimodal ``dist_eval/eval_osr.py`` (protocols.md
  §5.1): as many hypothesis streams as references; try the pairings in ``itertools.permutations``
  order (identity first) and keep the first with the minimum total word edit distance ("swap if
  w1 > w2", so a tie keeps the original order). Words are split as jiwer's default transform does
  (collapse runs of whitespace, strip, split on single spaces).
* :class:`CpWER` — fgnt/meeteval ``meeteval/wer/wer/cp.py::cp_word_error_rate`` (§5.2), called
  directly: Hungarian assignment of reference to hypothesis streams, padding the shorter side with
  empty streams, so extra hypothesis streams are insertions and missing ones deletions.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from evaluators.metrics.base import Metric, ratio_aggregate
from evaluators.metrics.wer import edit_distance

#: separates speaker streams inside one hypothesis string
STREAM_SEPARATOR = "\n"
#: meeteval refuses more streams than this on either side ("Are you sure?")
MEETEVAL_MAX_STREAMS = 20

_MULTIPLE_WHITESPACE = re.compile(r"\s\s+")


def join_streams(streams: Iterable[str]) -> str:
    """One hypothesis string holding each stream on its own line (streams must not contain newlines)."""
    streams = list(streams)
    for stream in streams:
        if STREAM_SEPARATOR in stream:
            raise ValueError(f"a speaker stream cannot contain the stream separator: {stream!r}")
    return STREAM_SEPARATOR.join(streams)


def split_streams(hypothesis: str) -> list[str]:
    """The speaker streams of a hypothesis built by :func:`join_streams` (``""`` is one empty stream)."""
    return hypothesis.split(STREAM_SEPARATOR)


def jiwer_words(text: str) -> list[str]:
    """Words as jiwer's default WER transform yields them: collapse ``\\s\\s+``, strip, split on spaces."""
    return [word for word in _MULTIPLE_WHITESPACE.sub(" ", text).strip().split(" ") if word]


def best_pairing(references: Sequence[Sequence[str]], hypotheses: Sequence[Sequence[str]]
                 ) -> tuple[tuple[int, ...], int]:
    """Hypothesis order (a permutation) with the least total edit distance, and that distance.

    Permutations are tried in ``itertools.permutations`` order and only a strictly smaller total
    replaces the current best, so on a tie the identity (the order the model produced) is kept.
    """
    if len(references) != len(hypotheses):
        raise ValueError(f"{len(hypotheses)} hypothesis streams for {len(references)} references; this "
                         f"pairing needs the same number (use cpWER for unequal counts)")
    best_order: tuple[int, ...] = tuple(range(len(hypotheses)))
    best_errors: int | None = None
    for order in itertools.permutations(range(len(hypotheses))):
        errors = sum(edit_distance(ref, hypotheses[index]) for ref, index in zip(references, order, strict=True))
        if best_errors is None or errors < best_errors:
            best_order, best_errors = order, errors
    return best_order, int(best_errors or 0)


class PairedStreamWER(Metric):
    """OSR-JW pairing: min total edit distance over permutations of equally many streams (§5.1)."""

    name = "osr-wer"
    unit = "fraction"
    direction = "lower"
    stat_names = ("errors", "ref_words", "swapped")

    def item_stats(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> tuple[int, ...]:
        refs = [jiwer_words(ref) for ref in references]
        hyps = [jiwer_words(stream) for stream in split_streams(hypothesis)]
        order, errors = best_pairing(refs, hyps)
        swapped = int(order != tuple(range(len(order))))
        return errors, sum(len(ref) for ref in refs), swapped

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return ratio_aggregate(stats, aggregation)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": "wer", "pairing": "min-permutation-tie-keeps-order", "words": "jiwer-default"}


class CpWER(Metric):
    """Concatenated minimum-permutation WER computed by meeteval (§5.2)."""

    name = "cpwer"
    unit = "fraction"
    direction = "lower"
    stat_names = ("errors", "ref_words", "insertions", "deletions", "substitutions", "missed_speakers",
                  "falarm_speakers")

    def item_stats(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> tuple[int, ...]:
        from meeteval.wer.wer.cp import cp_word_error_rate

        streams = split_streams(hypothesis)
        if max(len(streams), len(references)) > MEETEVAL_MAX_STREAMS:
            raise ValueError(f"meeteval's cpWER accepts at most {MEETEVAL_MAX_STREAMS} streams per side; got "
                             f"{len(streams)} hypothesis and {len(references)} reference streams")
        result = cp_word_error_rate(list(references), streams, reference_sort=False, hypothesis_sort=False)
        return (result.errors, result.length, result.insertions, result.deletions, result.substitutions,
                result.missed_speaker, result.falarm_speaker)

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return ratio_aggregate(stats, aggregation)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": "cpwer", "pairing": "hungarian"}
