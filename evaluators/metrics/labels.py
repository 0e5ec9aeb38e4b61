"""Free text → label decisions, and the accuracy / macro-F1 metrics computed over them.

Classification tasks (emotion, genre, gender, speaker verification) are scored by turning a free-text
output into a label decision with a rule taken from public code, then counting. The rules differ a
lot between repositories — exact string equality (Qwen, jaeeewon), "the gold label is a substring
and no other label is" (CMI-Bench), "female if the word female occurs" (LTU-AS) — and each is a
small pure function here, named after the code it reproduces (protocols.md §7, §13, §14).

Metrics keep per-item sufficient statistics, as every metric in this package does:

* :class:`Accuracy` — ``(correct, total)``; corpus value Σcorrect/Σtotal; Wilson intervals apply.
* :class:`MacroF1` — per-class ``(tp, fp, fn)`` columns; the value is the mean F1 over the classes
  that occur in the gold labels or the predictions, as ``sklearn.metrics.f1_score(average="macro")``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from evaluators.metrics.base import Metric, ratio_aggregate

#: decides whether one prepared item is correct: ``judge(hypothesis, references, metadata)``
Judge = Callable[[str, Sequence[str], Mapping[str, Any]], bool]


class Accuracy(Metric):
    """Share of items a rule calls correct; statistics ``(correct, total)``.

    ``rule`` is a short description that goes into the signature (``exact``, ``cmi-substring``...).
    """

    unit = "fraction"
    direction = "higher"
    stat_names = ("correct", "total")

    def __init__(self, judge: Judge, rule: str, name: str = "accuracy"):
        self.judge = judge
        self.rule = rule
        self.name = name

    def item_stats(self, hypothesis: str, references: Sequence[str],
                   metadata: Mapping[str, Any]) -> tuple[float, float]:
        return (1.0 if self.judge(hypothesis, references, metadata) else 0.0), 1.0

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return ratio_aggregate(stats, aggregation)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "match": self.rule}


def never_scored(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> bool:
    """The rule of an :class:`Accuracy` whose protocol is registered as unavailable (a judge or an
    embedding model decides correctness): ``Protocol.score`` refuses such a protocol first."""
    raise RuntimeError("an unavailable protocol is never scored")


def exact_match(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> bool:
    """Correct iff the hypothesis equals one of the references exactly (``accuracy_score`` semantics)."""
    return hypothesis in references


class MacroF1(Metric):
    """Macro-averaged F1 over a fixed label set, from per-class ``(tp, fp, fn)`` counts.

    ``predict(hypothesis, metadata)`` maps the output to a label; the gold label is the first
    reference. A class that occurs neither in the gold labels nor in the predictions of the items
    being aggregated is left out of the mean (sklearn's ``labels=None`` behaviour).
    """

    unit = "fraction"
    direction = "higher"

    def __init__(self, labels: Sequence[str], predict: Callable[[str, Mapping[str, Any]], str], rule: str,
                 name: str = "macro-f1"):
        if len(set(labels)) != len(labels) or not labels:
            raise ValueError(f"labels must be distinct and non-empty, got {labels!r}")
        self.labels = tuple(labels)
        self.predict = predict
        self.rule = rule
        self.name = name
        self.stat_names = tuple(f"{kind}_{label}" for label in self.labels for kind in ("tp", "fp", "fn"))

    def item_stats(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> list[float]:
        gold = references[0] if references else ""
        if gold not in self.labels:
            raise ValueError(f"gold label {gold!r} is not one of {self.labels}")
        predicted = self.predict(hypothesis, metadata)
        row: list[float] = []
        for label in self.labels:
            row += [float(predicted == label and gold == label), float(predicted == label and gold != label),
                    float(predicted != label and gold == label)]
        return row

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        if aggregation != "corpus":
            raise ValueError("macro-F1 is defined on the pooled counts only (aggregation 'corpus')")
        stats = np.asarray(stats, dtype=float)
        counts = stats.sum(axis=-2).reshape(stats.shape[:-2] + (len(self.labels), 3))
        tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
        denominator = 2 * tp + fp + fn
        present = denominator > 0
        f1 = np.where(present, 2 * tp / np.where(present, denominator, 1), 0.0)
        n_present = present.sum(axis=-1)
        return np.where(n_present > 0, f1.sum(axis=-1) / np.maximum(n_present, 1), np.nan)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "labels": "+".join(self.labels), "match": self.rule}


# -- IEMOCAP (jaeeewon/project-multimodal dist_eval/eval_er.py, protocols.md §7.1) ----------------

#: IEMOCAP consensus codes kept by the 4-class convention, with "excited" merged into "happy"
IEMOCAP_FOUR_CLASS: Mapping[str, str] = {"neu": "Neutral", "hap": "Happy", "exc": "Happy", "sad": "Sad",
                                         "ang": "Angry"}
#: IEMOCAP codes whose items are skipped
IEMOCAP_EXCLUDED = frozenset({"xxx", "oth", "fru", "sur", "fea", "dis"})


def iemocap_label(code: str) -> str | None:
    """The 4-class label of an IEMOCAP code (``exc`` → ``Happy``), ``None`` for excluded codes.

    A reference that already is one of the four labels is returned as it is. Unknown codes raise
    ``ValueError``.
    """
    code = code.strip()
    if code in IEMOCAP_FOUR_CLASS:
        return IEMOCAP_FOUR_CLASS[code]
    if code in IEMOCAP_EXCLUDED:
        return None
    if code in set(IEMOCAP_FOUR_CLASS.values()):
        return code
    raise ValueError(f"unknown IEMOCAP label code {code!r}; expected one of "
                     f"{sorted(IEMOCAP_FOUR_CLASS) + sorted(IEMOCAP_EXCLUDED)}")


# -- CMI-Bench (nicolaus625/CMI-bench evaluate.py::get_multiclass_acc, protocols.md §7.5) ----------

def cmi_normalise(text: str) -> str:
    """CMI-Bench ``normalise``: delete ``_ - ' space .``, ``#`` → ``♯``, lowercase (in that order)."""
    for char in ("_", "-"):
        text = text.replace(char, "")
    text = text.replace("#", "\u266f")
    for char in ("'", " ", "."):
        text = text.replace(char, "")
    return text.lower()


def cmi_label_set(golds: Iterable[str]) -> frozenset[str]:
    """Normalised set of all gold answers of a file; distinct answers must stay distinct."""
    distinct = set(golds)
    normalised = frozenset(cmi_normalise(gold) for gold in distinct)
    if len(normalised) != len(distinct):
        raise ValueError(f"gold labels collide after CMI normalisation: {sorted(distinct)}")
    return normalised


def cmi_substring_correct(response: str, gold: str, label_set: Iterable[str]) -> bool:
    """Correct iff the normalised gold is in the normalised response and no other label is.

    >>> cmi_substring_correct("Rock.", "rock", {"rock", "pop"})
    True
    >>> cmi_substring_correct("This is hip-hop music.", "hiphop", {"hiphop", "pop"})
    False
    """
    response_norm = cmi_normalise(response)
    gold_norm = cmi_normalise(gold)
    if gold_norm not in response_norm:
        return False
    return all(label not in response_norm for label in label_set if label != gold_norm)


# -- LTU-AS gender (eval_voxceleb_gender.py, protocols.md §14) -------------------------------------

def ltuas_gender(prediction: str) -> str:
    """LTU-AS rule: ``female`` if the lowercased text contains ``female``, else ``male``."""
    return "female" if "female" in prediction.lower() else "male"


# -- yes / no answers (speaker verification, §13) --------------------------------------------------

_YES_NO = re.compile(r"\b(yes|no)\b", re.IGNORECASE)


def parse_yes_no(text: str) -> str | None:
    """The first whole word ``yes`` or ``no`` in a free-text answer (lowercased), else ``None``.

    >>> parse_yes_no("Yes, it is the same speaker.")
    'yes'
    >>> parse_yes_no("No. Two different people are talking.")
    'no'
    >>> parse_yes_no("Nobody knows") is None
    True
    """
    match = _YES_NO.search(text)
    return match.group(1).lower() if match else None
