"""Multiple-choice answer extraction: which option did a free-text output pick? (protocols.md §11)

Each benchmark ships its own rule, and the rules disagree on ordinary outputs (``Answer: D`` is A
for AIR-Bench, D for MuChoMusic and wrong for MMAU). Every rule here is a small pure function named
after the file it reproduces:

* MMAU (Sakshi113/MMAU ``evaluation.py``) and AudioBench's copy of it
  (``eval_methods/string_match.py::mmau_string_match``): a *token-set* match — the answer's word
  tokens must all appear in the output and no token that only a wrong choice has may appear;
* AIR-Bench Foundation (OFA-Sys/AIR-Bench ``score_foundation.py``): the first character, or the
  second-to-last one (``The answer is A.``), must be a letter A–D; anything else is a failure;
* MuChoMusic (mulab-mir/muchomusic ``muchomusic_eval/scoring.py::extract_responses``): exactly one
  capital A–D anywhere in the text after the prompt's last ``The correct answer is:``, else the
  first option whose text is a substring of the output, else unanswered (−1).

:class:`ChoiceAccuracy` turns a rule into per-item statistics ``(correct, total, answered)``:
the first two columns are an accuracy (Wilson interval applies), the third counts items for which
the rule found any answer (MuChoMusic's instruction-following rate).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from evaluators.metrics.base import Metric, ratio_aggregate

LETTERS = ("A", "B", "C", "D")


def choices_from_metadata(metadata: Mapping[str, Any], key: str = "choices") -> list[str]:
    """The option texts of an item, from ``metadata[key]`` (a list, or a Python-list literal string).

    Raises ``ValueError`` when they are missing or malformed; protocols turn it into an error that
    names the item.
    """
    if key not in metadata:
        raise ValueError(f"item metadata has no {key!r} (the option texts of the question)")
    value = metadata[key]
    if isinstance(value, str):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError) as error:
            raise ValueError(f"{key!r} is a string that is not a Python list literal: {value[:80]!r}") from error
    if not isinstance(value, (list, tuple)) or not all(isinstance(choice, str) for choice in value):
        raise ValueError(f"{key!r} must be a list of option strings, got {value!r}")
    if not value:
        raise ValueError(f"{key!r} is empty: a multiple-choice item needs its option texts")
    return list(value)


# -- MMAU ------------------------------------------------------------------------------------------

_WORD = re.compile(r"\b\w+\b")


def mmau_tokens(text: str) -> frozenset[str]:
    """Set of ``\\b\\w+\\b`` matches of the lowercased text (MMAU's ``tokenize``)."""
    return frozenset(_WORD.findall(text.lower()))


def mmau_match(prediction: str, answer: str, choices: Sequence[str]) -> bool:
    """MMAU string match: every answer token is in the prediction, no wrong-choice-only token is.

    >>> mmau_match("The speaker is a man.", "Man", ["Man", "Woman", "Child", "Robot"])
    True
    >>> mmau_match("Man or robot", "Man", ["Man", "Woman", "Child", "Robot"])
    False
    """
    predicted = mmau_tokens(prediction)
    if not predicted:
        return False
    answer_tokens = mmau_tokens(answer)
    wrong_only: set[str] = set()
    for choice in choices:
        choice_tokens = mmau_tokens(choice)
        if choice_tokens != answer_tokens:
            wrong_only |= choice_tokens - answer_tokens
    return answer_tokens <= predicted and predicted.isdisjoint(wrong_only)


def audiobench_mmau_match(prediction: str, answer: str, choices: Sequence[str]) -> bool:
    """AudioBench ``mmau_string_match``: MMAU's rule after dropping the first 4 characters
    (the ``(A) `` label) of the reference and of every choice."""
    return mmau_match(prediction, answer[4:], [choice[4:] for choice in choices])


# -- AIR-Bench Foundation --------------------------------------------------------------------------

def air_response_letter(response: str) -> str | None:
    """AIR-Bench ``score_foundation.py`` extraction: the chosen letter, or ``None`` (a failure).

    >>> air_response_letter("The answer is C.")
    'C'
    >>> air_response_letter("Answer: D")
    'A'
    >>> air_response_letter("I think it's B") is None
    True
    """
    text = response.strip().replace("\n", "")
    if not text or text == "None":
        return None
    if text[0] in LETTERS:
        return text[0]
    if len(text) > 1 and text[-2] in LETTERS:
        return text[-2]
    return None


def air_gold_letter(answer: str, choices: Sequence[str], letters: Sequence[str] | None = None) -> str:
    """The letter of the first option (A, B, C, D order) whose text equals ``answer``.

    ``letters`` names each option's letter when some are missing (AIR-Bench rows with a null
    ``choice_c`` but a ``choice_d``: score_foundation.py compares ``answer_gt`` with each field, so the
    fourth option stays D); by default the options are A, B, C, D in order.
    """
    letters = LETTERS if letters is None else tuple(letters)
    if len(letters) < len(choices) or any(letter not in LETTERS for letter in letters):
        raise ValueError(f"choice letters {list(letters)!r} do not name the {len(choices)} options with A-D")
    for letter, choice in zip(letters, choices, strict=False):
        if choice == answer:
            return letter
    raise ValueError(f"answer {answer!r} is none of the options {list(choices)!r}")


def choice_letters(metadata: Mapping[str, Any]) -> list[str] | None:
    """``metadata["choice_letters"]`` (the letter of each option) when present, else ``None``."""
    value = metadata.get("choice_letters")
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or not all(isinstance(letter, str) for letter in value):
        raise ValueError(f"'choice_letters' must be a list of letters, got {value!r}")
    return list(value)


def air_alignment_prompt(question: str, response: str, choices: Sequence[str]) -> str:
    """The user message of AIR-Bench's optional GPT alignment step (``align_in_foundation.py``).

    The C/D lines appear only when both options exist, as in the original. Scoring with this
    prompt needs a judge backend (MCQ-AIR-GPT).
    """
    if len(choices) < 2:
        raise ValueError("AIR-Bench alignment needs at least options A and B")
    template = ('There is a question "QUESTION", and one response is "ANSWER". Among the following choices, '
                "which option best matches this response? You may only response with the letter of the option. "
                "If the letter of an option has already appeared in the Answer, then simply return that letter. "
                "If there are no matching options, then choose one at random. The following lines are the options.")
    # same substitution order as the original (response first, then question)
    content = template.replace("ANSWER", response).replace("QUESTION", question)
    content += f"\nA. {choices[0]}\nB. {choices[1]}"
    if len(choices) >= 4:
        content += f"\nC. {choices[2]}\nD. {choices[3]}"
    return content + "\nTo reiterate, the response you provide to me must be a single letter, either A, B, C, or D."


# -- MuChoMusic ------------------------------------------------------------------------------------

MUCHO_PREFIX = "The correct answer is:"


def mucho_extract(output: str, options: Sequence[str], prefix: str = MUCHO_PREFIX) -> int:
    """MuChoMusic ``extract_responses`` for one output: the option index picked, or −1.

    >>> mucho_extract("(C) Scat singing.", ["Four on the floor.", "Off-beat.", "Scat singing.", "E-guitar."])
    2
    >>> mucho_extract("Bass and Drums", ["Four on the floor.", "Off-beat.", "Scat singing.", "E-guitar."])
    -1
    """
    text = output.split(prefix)[-1].strip()
    letters = set(LETTERS) & set(text)
    if len(letters) == 1:
        return LETTERS.index(letters.pop())
    lowered = text.lower().strip()
    for index, option in enumerate(options):
        if option.lower().strip() in lowered:
            return index
    return -1


# -- the metric ------------------------------------------------------------------------------------

#: ``decide(hypothesis, references, metadata) -> (correct, answered)``
Decision = Callable[[str, Sequence[str], Mapping[str, Any]], tuple[bool, bool]]


class ChoiceAccuracy(Metric):
    """Accuracy of an extraction rule, statistics ``(correct, total, answered)``."""

    unit = "fraction"
    direction = "higher"
    stat_names = ("correct", "total", "answered")

    def __init__(self, decide: Decision, rule: str, name: str = "accuracy"):
        self.decide = decide
        self.rule = rule
        self.name = name

    def item_stats(self, hypothesis: str, references: Sequence[str],
                   metadata: Mapping[str, Any]) -> tuple[float, float, float]:
        correct, answered = self.decide(hypothesis, references, metadata)
        return float(correct), 1.0, float(answered)

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return ratio_aggregate(stats, aggregation)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "extract": self.rule}


class AnsweredRate(Metric):
    """Share of items for which an extraction rule found any option (MuChoMusic's instruction-following
    rate, IFR = 1 − unanswered/N); statistics ``(answered, total)``."""

    unit = "fraction"
    direction = "higher"
    stat_names = ("answered", "total")

    def __init__(self, decide: Decision, rule: str, name: str = "answered-rate"):
        self.decide = decide
        self.rule = rule
        self.name = name

    def item_stats(self, hypothesis: str, references: Sequence[str],
                   metadata: Mapping[str, Any]) -> tuple[float, float]:
        return float(self.decide(hypothesis, references, metadata)[1]), 1.0

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return ratio_aggregate(stats, aggregation)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "extract": self.rule}


def answered_rate(stats: np.ndarray) -> float:
    """Share of items for which the rule found an answer (MuChoMusic IFR) from ChoiceAccuracy stats."""
    stats = np.asarray(stats, dtype=float)
    total = stats[:, 1].sum()
    return float(stats[:, 2].sum() / total) if total else float("nan")
