"""Corpus BLEU as per-item sufficient statistics, computed by sacreBLEU itself (protocols.md §1.4–1.5).

Reproduces mjpost/sacrebleu ``sacrebleu/metrics/bleu.py`` (``BLEU``, ``compute_bleu``) by *using* it:

* per item, sacreBLEU's own ``BLEU._extract_corpus_statistics`` gives the row
  ``(hyp_len, ref_len, matches_1..N, totals_1..N)`` (N = 4), i.e. the same tokenisation, n-gram
  clipping and closest-reference-length rule as ``sacrebleu.corpus_bleu``;
* the corpus value of a 2-D statistics array is sacreBLEU's ``BLEU.compute_bleu`` on the column sums,
  so it equals ``sacrebleu.corpus_bleu(hyps, [refs], tokenize=T).score`` exactly;
* a 3-D array (a batch of bootstrap resamples) is scored by :func:`bleu_from_totals`, the same
  formula vectorised with numpy (brevity penalty, the smoothing methods ``exp`` / ``floor`` /
  ``add-k`` / ``none``, the "no match at any order → 0" early stop and the ``log(0)`` floor), so
  intervals cost array operations and never re-tokenise text.

The tokeniser can be fixed (``tokenize="char"``) or chosen per item from the item's target language
(:class:`LanguageBLEU`: Qwen's ``ja → ja-mecab, zh → zh, else 13a``); tokenisers that need a
download (``flores101``/``flores200``/``spm``) raise ``TokenizerUnavailableError`` when used.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from evaluators.errors import ItemInputError
from evaluators.metrics.base import Metric
from evaluators.text.tokenizers import NEEDS_DOWNLOAD, get_tokenizer, tokenizer_signature
from evaluators.versions import library_version

if TYPE_CHECKING:
    from sacrebleu.metrics.bleu import BLEU as SacreBLEU


@cache
def _sacrebleu_bleu() -> type[SacreBLEU]:
    """sacreBLEU's ``BLEU`` class, imported when a BLEU is first computed (not when protocols are declared)."""
    from sacrebleu.metrics.bleu import BLEU

    return BLEU

MAX_NGRAM_ORDER = 4
SMOOTH_METHODS = ("exp", "floor", "add-k", "none")
#: sacreBLEU's floor for ``log(0)`` (``sacrebleu.utils.my_log``)
_LOG_ZERO = -9999999999.0


def stat_names(max_ngram_order: int = MAX_NGRAM_ORDER) -> tuple[str, ...]:
    """Column names of a BLEU statistics row, in sacreBLEU's order."""
    return (("hyp_len", "ref_len") + tuple(f"matches_{n}" for n in range(1, max_ngram_order + 1))
            + tuple(f"totals_{n}" for n in range(1, max_ngram_order + 1)))


def bleu_from_totals(totals: np.ndarray, *, smooth_method: str = "exp", smooth_value: float | None = None,
                     max_ngram_order: int = MAX_NGRAM_ORDER) -> np.ndarray:
    """BLEU (0–100) of summed statistics ``totals[..., 2 + 2N]``, vectorised over leading axes.

    Follows ``sacrebleu.metrics.bleu.BLEU.compute_bleu`` (no effective order) step by step:
    brevity penalty ``exp(1 − r/h)`` when ``h < r`` (0 when ``h = 0``); score 0 when no n-gram of any
    order matches; orders from the first one with no n-grams on get precision 0; a zero-match order
    gets ``100 / (2^k · total)`` under ``exp`` smoothing (k counts zero-match orders so far),
    ``100 · floor / total`` under ``floor``; ``add-k`` adds k to matches and totals of orders ≥ 2;
    ``log(0)`` is floored at −9999999999 as in ``sacrebleu.utils.my_log``.
    """
    if smooth_method not in SMOOTH_METHODS:
        raise ValueError(f"unknown smooth_method {smooth_method!r}; expected one of {SMOOTH_METHODS}")
    if smooth_value is None:
        smooth_value = _sacrebleu_bleu().SMOOTH_DEFAULTS[smooth_method]
    totals = np.asarray(totals, dtype=float)
    order = max_ngram_order
    if totals.shape[-1] != 2 + 2 * order:
        raise ValueError(f"BLEU statistics need {2 + 2 * order} columns, got {totals.shape[-1]}")
    sys_len, ref_len = totals[..., 0], totals[..., 1]
    correct = totals[..., 2:2 + order].copy()
    total = totals[..., 2 + order:].copy()
    any_match = (correct > 0).any(axis=-1)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        bp = np.where(sys_len < ref_len, np.where(sys_len > 0, np.exp(1 - ref_len / np.where(sys_len > 0, sys_len, 1)),
                                                  0.0), 1.0)
        if smooth_method == "add-k":
            correct[..., 1:] += smooth_value
            total[..., 1:] += smooth_value
        # sacreBLEU stops at the first order without n-grams; those orders keep precision 0
        reached = np.cumprod(total > 0, axis=-1).astype(bool)
        zero = (correct == 0) & reached
        safe_total = np.where(total > 0, total, 1.0)
        precision = np.where(reached, 100.0 * correct / safe_total, 0.0)
        if smooth_method == "exp":
            halvings = np.cumsum(zero, axis=-1)
            precision = np.where(zero, 100.0 / (np.power(2.0, halvings) * safe_total), precision)
        elif smooth_method == "floor":
            precision = np.where(zero, 100.0 * smooth_value / safe_total, precision)
        log_p = np.where(precision > 0, np.log(np.where(precision > 0, precision, 1.0)), _LOG_ZERO)
        score = bp * np.exp(log_p.sum(axis=-1) / order)
    return np.where(any_match, score, 0.0)


class BLEU(Metric):
    """sacreBLEU corpus BLEU with a fixed tokeniser, as per-item statistics (see the module docstring).

    ``nrefs`` is the number of references every item must have (sacreBLEU's ``nrefs`` signature
    field); an item with another count is an input error, not something to silently truncate.
    """

    name = "bleu"
    unit = "bleu"
    direction = "higher"

    def __init__(self, tokenize: str = "13a", *, lowercase: bool = False, smooth_method: str = "exp",
                 smooth_value: float | None = None, max_ngram_order: int = MAX_NGRAM_ORDER, nrefs: int = 1):
        if smooth_method not in SMOOTH_METHODS:
            raise ValueError(f"unknown smooth_method {smooth_method!r}; expected one of {SMOOTH_METHODS}")
        self.tokenize = tokenize
        self.lowercase = lowercase
        self.smooth_method = smooth_method
        self.smooth_value = smooth_value
        self.max_ngram_order = max_ngram_order
        self.nrefs = nrefs
        self.stat_names = stat_names(max_ngram_order)
        self._sacrebleu: dict[str, SacreBLEU] = {}

    # -- statistics ------------------------------------------------------------------------------
    def sacrebleu_metric(self, tokenize: str) -> SacreBLEU:
        """sacreBLEU's ``BLEU`` object for ``tokenize`` (refused by name when it needs a download)."""
        if tokenize not in self._sacrebleu:
            get_tokenizer(tokenize)  # raises TokenizerUnavailableError before sacreBLEU tries to download
            self._sacrebleu[tokenize] = _sacrebleu_bleu()(
                lowercase=self.lowercase, tokenize=tokenize, smooth_method=self.smooth_method,
                smooth_value=self.smooth_value, max_ngram_order=self.max_ngram_order, effective_order=False,
                force=True)
        return self._sacrebleu[tokenize]

    def tokenizer_for(self, metadata: Mapping[str, Any]) -> str:
        """The sacreBLEU tokeniser name used for an item (fixed here; per language in subclasses)."""
        return self.tokenize

    def item_stats(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> list[int]:
        references = list(references)
        if len(references) != self.nrefs:
            raise ItemInputError(f"BLEU is configured for nrefs={self.nrefs} but the item has {len(references)} "
                                 "reference(s)", field="references")
        metric = self.sacrebleu_metric(self.tokenizer_for(metadata))
        return metric._extract_corpus_statistics([hypothesis], [[ref] for ref in references])[0]

    # -- aggregation -----------------------------------------------------------------------------
    def from_totals(self, totals: np.ndarray) -> np.ndarray:
        """Vectorised BLEU of summed statistics (any leading shape)."""
        return bleu_from_totals(totals, smooth_method=self.smooth_method, smooth_value=self.smooth_value,
                                max_ngram_order=self.max_ngram_order)

    def sacrebleu_value(self, totals: Sequence[float]) -> float:
        """sacreBLEU's own ``compute_bleu`` on one row of summed statistics."""
        order = self.max_ngram_order
        row = [int(round(x)) for x in totals]
        return _sacrebleu_bleu().compute_bleu(correct=row[2:2 + order], total=row[2 + order:], sys_len=row[0],
                                      ref_len=row[1], smooth_method=self.smooth_method,
                                      smooth_value=self.smooth_value, effective_order=False,
                                      max_ngram_order=order).score

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray | float:
        """``corpus``: BLEU of the summed statistics (sacreBLEU itself for a 2-D array, the vectorised
        formula for a batch of resamples); ``macro``: mean of per-item BLEU (no effective order)."""
        stats = np.asarray(stats, dtype=float)
        if aggregation == "corpus":
            if stats.shape[-2] == 0:
                return np.full(stats.shape[:-2], np.nan) if stats.ndim > 2 else float("nan")
            totals = stats.sum(axis=-2)
            if stats.ndim == 2:
                return self.sacrebleu_value(totals)
            return self.from_totals(totals)
        if aggregation == "macro":
            per_item = self.from_totals(stats)
            with np.errstate(invalid="ignore"):
                return per_item.mean(axis=-1) if per_item.shape[-1] else np.full(per_item.shape[:-1], np.nan)
        raise ValueError(f"unknown aggregation {aggregation!r}; expected 'corpus' or 'macro'")

    # -- description -----------------------------------------------------------------------------
    def tok_signature(self) -> str:
        """sacreBLEU's ``tok:`` value; the plain name for tokenisers that cannot be built offline."""
        return _tok_signature(self.tokenize)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "nrefs": str(self.nrefs), "case": "lc" if self.lowercase else "mixed",
                "eff": "no", "tok": self.tok_signature(), "smooth": self.smooth_method,
                "sacrebleu": library_version("sacrebleu")}


def _tok_signature(name: str) -> str:
    if name in NEEDS_DOWNLOAD:
        return name
    return tokenizer_signature(name)


class LanguageBLEU(BLEU):
    """BLEU whose tokeniser depends on each item's target language (ST-QWEN, ST-COVOST).

    ``language_of(metadata)`` returns the item's target language; ``by_language`` maps a language to
    a tokeniser and ``default`` covers every other language. The corpus value over items of several
    languages mixes tokenisations, so protocols using this metric report per-source groups.
    """

    def __init__(self, by_language: Mapping[str, str], default: str, language_of: Callable[[Mapping[str, Any]], str],
                 **kwargs: Any):
        super().__init__(default, **kwargs)
        self.by_language = dict(by_language)
        self.default = default
        self.language_of = language_of

    def tokenizer_for(self, metadata: Mapping[str, Any]) -> str:
        return self.by_language.get(self.language_of(metadata), self.default)

    def tok_signature(self) -> str:
        rules = [f"{lang}={_tok_signature(tok)}" for lang, tok in sorted(self.by_language.items())]
        return "+".join(rules + [f"else={_tok_signature(self.default)}"])
