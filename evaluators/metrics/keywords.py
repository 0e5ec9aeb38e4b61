"""Keyword (keyphrase) extraction scores (protocols.md §8).

Two very different public scorers:

* jaeeewon/project-multimodal ``dist_eval/eval_ke.py`` (KE-JW): per document, at most 3 credits;
  a multi-word prediction earns one credit per gold phrase that *contains* it, a one-word
  prediction earns one iff it *equals* a gold phrase; corpus value Σcredits / Σmin(#gold, 3);
* memray/OpenNMT-kpg-release ``onmt/keyphrase/eval.py`` (KE-ONMT): Porter-stemmed phrase matching
  (exact, or partial by n-gram Jaccard / BLEU with a Hungarian assignment), then P/R/F1 at a cutoff
  (an integer k, ``"k"`` = number of targets, ``"M"`` = all predictions), per document.

Statistics: KE-JW keeps ``(credits, slots)`` per document (a corpus ratio); KE-ONMT keeps the
document's score and a 1 (a mean over documents).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import numpy as np

from evaluators.metrics.base import Metric, ratio_aggregate
from evaluators.text.cleanup import EOS

# -- KE-JW -----------------------------------------------------------------------------------------

KE_JW_CAP = 3


def ke_jw_clean_phrase(phrase: str) -> str:
    """jaeeewon ``pp``: strip; drop a leading ``and ``; drop a trailing ``.``; ``-`` → space."""
    phrase = phrase.strip()
    if phrase.startswith("and "):
        phrase = phrase[4:].strip()
    if phrase.endswith("."):
        phrase = phrase[:-1].strip()
    return phrase.replace("-", " ")


def ke_jw_gold(keyphrases: str) -> list[str]:
    """Gold list: ``pp`` of each piece of ``keyphrases.lower().split("; ")``."""
    return [ke_jw_clean_phrase(piece) for piece in keyphrases.lower().split("; ")]


def ke_jw_predictions(output: str) -> list[str]:
    """Prediction list: lowercase, remove a trailing ``</s>`` (and strip), split on ``,``, ``pp`` each."""
    output = output.lower()
    if output.endswith(EOS):
        output = output[: -len(EOS)].strip()
    return [ke_jw_clean_phrase(piece) for piece in output.split(",")]


def ke_jw_credits(predictions: Sequence[str], gold: Sequence[str], cap: int = KE_JW_CAP) -> tuple[int, int]:
    """``(min(credits, cap), min(#gold, cap))`` of one document.

    >>> ke_jw_credits(["neural networks"], ["neural networks", "recurrent neural networks", "learning"])
    (2, 3)
    """
    credits = 0
    for phrase in predictions:
        if len(phrase.split()) > 1:
            credits += sum(phrase in target for target in gold)
        else:
            credits += int(phrase in gold)
    return min(credits, cap), min(len(gold), cap)


class KeJwAccuracy(Metric):
    """KE-JW: per-document ``(credits, slots)``; value Σcredits/Σslots. The reference is the gold
    keyphrases joined by ``; `` (Inspec ``keyphrases`` as the jaeeewon builder stores them)."""

    name = "ke-jw-accuracy"
    unit = "fraction"
    direction = "higher"
    stat_names = ("credits", "slots")

    def item_stats(self, hypothesis: str, references: Sequence[str],
                   metadata: Mapping[str, Any]) -> tuple[int, int]:
        return ke_jw_credits(ke_jw_predictions(hypothesis), ke_jw_gold(references[0]))

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return ratio_aggregate(stats, aggregation)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "cap": str(KE_JW_CAP), "match": "substring-multiword-exact-single"}


# -- KE-ONMT ---------------------------------------------------------------------------------------

MATCH_TYPES = ("exact", "ngram", "mixed", "bleu")
MEASURES = ("correct", "P", "R", "F1", "P_hard", "F1_hard")


@cache
def _porter_stem() -> Callable[[str], str]:
    """NLTK's Porter stemmer, imported on first use: importing nltk pulls in scipy and scikit-learn."""
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer().stem


def stem_words(words: Sequence[str]) -> list[str]:
    """OpenNMT-kpg ``stem_word_list``: Porter stem of each stripped word (no lowercasing)."""
    stem = _porter_stem()
    return [stem(word.strip()) for word in words]


def _gram_set(words: Sequence[str], whole: bool) -> set[str]:
    grams = set(words) | {f"{words[i]}_{words[i + 1]}" for i in range(len(words) - 1)}
    if whole:
        grams.add("_".join(words))
    return grams


def match_scores(targets: Sequence[Sequence[str]], predictions: Sequence[Sequence[str]], match: str = "exact",
                 stem: bool = True) -> np.ndarray:
    """Match vector (``exact``: 0/1 per prediction) or similarity matrix (partial: predictions × targets)."""
    if match not in MATCH_TYPES:
        raise ValueError(f"match must be one of {MATCH_TYPES}, got {match!r}")
    if stem:
        targets = [stem_words(words) for words in targets]
        predictions = [stem_words(words) for words in predictions]
    if match == "exact":
        return np.array([float(any(list(pred) == list(target) for target in targets)) for pred in predictions])
    matrix = np.zeros((len(predictions), len(targets)))
    if match == "bleu":
        from nltk.translate.bleu_score import sentence_bleu
    for i, pred in enumerate(predictions):
        for j, target in enumerate(targets):
            if match == "bleu":
                matrix[i, j] = sentence_bleu([list(target)], list(pred), weights=(0.7, 0.3, 0.0))
                continue
            pred_set, target_set = _gram_set(pred, match == "mixed"), _gram_set(target, match == "mixed")
            union = pred_set | target_set
            matrix[i, j] = len(pred_set & target_set) / len(union) if union else 0.0
    return matrix


def scores_at(scores: np.ndarray, n_predictions: int, n_targets: int, cutoff: int | str) -> dict[str, float]:
    """OpenNMT-kpg ``run_classic_metrics`` for one cutoff: correct, P, R, F1, hard P and F1."""
    if n_targets == 0:
        return dict.fromkeys(MEASURES, 0.0)
    k = n_targets if cutoff == "k" else n_predictions if cutoff == "M" else int(cutoff)
    kept = min(n_predictions, k)
    top = scores[:kept]
    if top.ndim == 2:   # partial: optimal one-to-one assignment of the kept predictions to targets
        if kept:
            from scipy.optimize import linear_sum_assignment

            rows, cols = linear_sum_assignment(-top)
            top = top[rows, cols]
        else:
            top = np.zeros(0)
    matched = float(top.sum())
    precision = matched / kept if kept else 0.0
    recall = matched / n_targets
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    hard_precision = matched / k if kept else 0.0
    hard_f1 = 2 * hard_precision * recall / (hard_precision + recall) if hard_precision + recall > 0 else 0.0
    return {"correct": float(int(matched)), "P": precision, "R": recall, "F1": f1, "P_hard": hard_precision,
            "F1_hard": hard_f1}


def split_phrases(text: str, separators: str = ",;") -> list[list[str]]:
    """Phrases of a free-text list (split on any separator), each as whitespace words; empties dropped."""
    for separator in separators[1:]:
        text = text.replace(separator, separators[0])
    phrases = []
    for piece in text.split(separators[0]):
        piece = piece.strip().rstrip(".").strip()
        if piece:
            phrases.append(piece.split())
    return phrases


def valid_unique_predictions(predictions: Sequence[Sequence[str]]) -> list[Sequence[str]]:
    """OpenNMT-kpg ``kp_evaluate.py::evaluate`` filtering of one document's predictions, in order.

    ``validate_phrases`` drops an empty phrase and one with a ``.`` or ``,`` word; ``if_present_duplicate_phrases``
    flags a phrase whose lowercased Porter stems, joined by ``_``, equal an earlier phrase's (valid or
    not); only valid, non-duplicate phrases are scored (``learning, learning`` counts once).
    """
    seen: set[str] = set()
    kept = []
    for words in predictions:
        key = "_".join(stem_words([word.lower() for word in words]))
        duplicate = key in seen
        seen.add(key)
        valid = bool(words) and not any(word in (".", ",") for word in words)
        if valid and not duplicate:
            kept.append(words)
    return kept


class KeyphraseAtK(Metric):
    """One OpenNMT-kpg score (``measure@cutoff``) per document, averaged over documents.

    Targets: the references when there are several, else the one reference split on ``;``.
    Predictions: the hypothesis split on ``,`` and ``;`` (in order), then filtered as OpenNMT-kpg's
    evaluation does (:func:`valid_unique_predictions`).
    """

    unit = "fraction"
    direction = "higher"
    stat_names = ("score", "documents")

    def __init__(self, cutoff: int | str, measure: str = "F1", match: str = "exact"):
        if measure not in MEASURES:
            raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
        if not (cutoff in ("k", "M") or (isinstance(cutoff, int) and cutoff > 0)):
            raise ValueError(f"cutoff must be a positive integer, 'k' or 'M', got {cutoff!r}")
        self.cutoff = cutoff
        if match not in MATCH_TYPES:
            raise ValueError(f"match must be one of {MATCH_TYPES}, got {match!r}")
        self.measure = measure
        self.match_type = match
        self.name = f"{measure}@{cutoff}"

    def item_stats(self, hypothesis: str, references: Sequence[str],
                   metadata: Mapping[str, Any]) -> tuple[float, float]:
        target_text = list(references) if len(references) > 1 else [references[0]] if references else []
        targets = [words for text in target_text for words in split_phrases(text, ";")]
        predictions = valid_unique_predictions(split_phrases(hypothesis))
        scores = match_scores(targets, predictions, self.match_type)
        return scores_at(scores, len(predictions), len(targets), self.cutoff)[self.measure], 1.0

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return ratio_aggregate(stats, "corpus")

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "match": self.match_type, "stem": "porter", "dups": "dropped"}


# -- KE-ONMT ranking measures (run_advanced_metrics) ------------------------------------------------

RANKING_MEASURES = ("AUC", "AP", "MRR", "SADR", "nDCG", "alpha-nDCG@5", "alpha-nDCG@10")


def _dcg(gains: Sequence[float]) -> float:
    return sum(gain / math.log2(index + 2) for index, gain in enumerate(gains))


def alpha_ndcg(targets: Sequence[Sequence[str]], predictions: Sequence[Sequence[str]], k: int,
               alpha: float = 0.5) -> float:
    """OpenNMT-kpg α-nDCG@k: a prediction is relevant when its stem set contains or is contained in a
    target's; a target already covered by earlier predictions discounts the gain by (1 − α)^times."""
    if not targets:
        return 0.0
    k = min(k, len(targets))
    preds = [set(stem_words(words)) for words in predictions[:k]]
    tgts = [set(stem_words(words)) for words in targets]
    relevant = np.zeros((len(tgts), len(preds)))
    gains = []
    for p_index, pred in enumerate(preds):
        match, novelty = 0.0, 0.0
        for t_index, target in enumerate(tgts):
            if target.issubset(pred) or pred.issubset(target):
                relevant[t_index, p_index] = 1.0
                match = 1.0
                if p_index > 0 and relevant[t_index, :p_index].sum() > novelty:
                    novelty = relevant[t_index, :p_index].sum()
        gains.append(match * (1 - alpha) ** novelty)
    return _dcg(gains) / _dcg([1.0] * len(tgts))


def ranking_scores(matches: Sequence[float], targets: Sequence[Sequence[str]],
                   predictions: Sequence[Sequence[str]]) -> dict[str, float]:
    """OpenNMT-kpg ``run_advanced_metrics`` of one document from its match vector (in prediction order)."""
    from sklearn.metrics import auc

    n_targets = len(targets)
    corrects, precisions, recalls = [], [], []
    total = 0.0
    for index, score in enumerate(matches):
        total += float(score)
        corrects.append(total)
        precisions.append(total / (index + 1))
        recalls.append(total / n_targets if n_targets else 0.0)
    curve_p = [1.0] + precisions + [0.0]
    curve_r = [0.0] + recalls + [recalls[-1] if recalls else 0.0]
    hits = [(index, float(score)) for index, score in enumerate(matches) if score != 0.0]
    average_precision = sum(precisions[index] for index, _ in hits) / n_targets if n_targets else 0.0
    mrr = sum(score / (index + 1) for index, score in hits) / len(hits) if hits else 0.0
    sadr_gain = sum(1.0 if index + 1 <= n_targets else 1.0 / math.log2(index - n_targets + 3) for index, _ in hits)
    return {"AUC": float(auc(curve_r, curve_p)), "AP": average_precision, "MRR": mrr,
            "SADR": sadr_gain / n_targets if n_targets else 0.0,
            "nDCG": _dcg(matches) / _dcg([1.0] * n_targets) if n_targets else 0.0,
            "alpha-nDCG@5": alpha_ndcg(targets, predictions, 5),
            "alpha-nDCG@10": alpha_ndcg(targets, predictions, 10)}


class KeyphraseRanking(Metric):
    """One OpenNMT-kpg ranking measure (exact stemmed matches) per document, averaged over documents."""

    unit = "fraction"
    direction = "higher"
    stat_names = ("score", "documents")

    def __init__(self, measure: str):
        if measure not in RANKING_MEASURES:
            raise ValueError(f"measure must be one of {RANKING_MEASURES}, got {measure!r}")
        self.measure = measure
        self.name = measure

    def item_stats(self, hypothesis: str, references: Sequence[str],
                   metadata: Mapping[str, Any]) -> tuple[float, float]:
        target_text = list(references) if len(references) > 1 else [references[0]] if references else []
        targets = [words for text in target_text for words in split_phrases(text, ";")]
        predictions = valid_unique_predictions(split_phrases(hypothesis))
        matches = match_scores(targets, predictions, "exact").tolist()
        return ranking_scores(matches, targets, predictions)[self.measure], 1.0

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return ratio_aggregate(stats, "corpus")

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "match": "exact", "stem": "porter", "dups": "dropped"}
