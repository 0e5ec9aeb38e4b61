"""Verdict parsing: one small function per public scorer, reproducing its rule exactly.

Each parser returns what the *official* script would conclude **and** whether the reply was
understood at all. A reply the official rule cannot read is counted by that rule (SAKURA and
AudioBench count it as wrong / 0, AIR-Bench leaves it out), but it is also flagged ``parsed=False``
so the count of unparsable replies is always reported, never hidden inside "incorrect".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# -- SAKURA (ckyang1124/SAKURA evaluation/llm_judge.py::extract_judgement + calculate_acc.py) -----------

SAKURA_PATTERN = re.compile(r"Explanation: (.*?)\nJudgement: (.*?)(?:\n\n|$)", re.DOTALL)
NO_EXPLANATION = "No extracted explanation"
NO_JUDGEMENT = "No extracted judgement"


@dataclass(frozen=True)
class SakuraJudgement:
    """The two fields SAKURA's regex extracts (or its "No extracted ..." placeholders)."""

    explanation: str
    judgement: str
    matched: bool


def extract_sakura_judgement(reply: str) -> SakuraJudgement:
    """SAKURA ``extract_judgement``: ``Explanation: (.*?)\\nJudgement: (.*?)(?:\\n\\n|$)`` with DOTALL.

    >>> extract_sakura_judgement("Explanation: The model chose (b).\\nJudgement: correct").judgement
    'correct'
    >>> extract_sakura_judgement("**Judgement:** correct").judgement
    'No extracted judgement'
    """
    match = SAKURA_PATTERN.search(reply)
    if match is None:
        return SakuraJudgement(NO_EXPLANATION, NO_JUDGEMENT, False)
    return SakuraJudgement(match.group(1), match.group(2), True)


def sakura_decision_official(judgement: str) -> str:
    """``calculate_acc.py``: ``judgement.lower().strip()`` is ``correct`` / ``incorrect``, else ``invalid``."""
    label = judgement.lower().strip()
    return label if label in ("correct", "incorrect") else "invalid"


def sakura_decision_exact(judgement: str) -> str:
    """jaeeewon ``dist_eval/eval_sakura.py``: the captured text compared as is (``Correct`` → failed)."""
    return judgement if judgement in ("correct", "incorrect") else "invalid"


# -- jaeeewon WikiQA SQQA (dist_eval/eval_sqqa.py) ------------------------------------------------------

SQQA_MARKER = '{"correct": true, "reason": "'
_SQQA_LENIENT = re.compile(r"""["']?correct["']?\s*:\s*(true|false)""", re.IGNORECASE)


def sqqa_official_correct(replies: list[str] | tuple[str, ...]) -> bool:
    """Replies joined by ``; ``, lowercased, split on ``; ``: correct iff a piece holds the exact marker."""
    pieces = "; ".join(replies).lower().split("; ")
    return any(SQQA_MARKER in piece for piece in pieces)


def sqqa_reply_readable(reply: str) -> bool:
    """Whether a reply states a verdict in *any* spacing/quoting (``{'Correct': True, ...}`` too).

    Used only to count unparsable replies; the official number uses :func:`sqqa_official_correct`.
    """
    return _SQQA_LENIENT.search(reply) is not None


# -- jaeeewon SLURP slot filling (dist_eval/eval_sf.py) -------------------------------------------------

def sf_official_yes(reply: str) -> bool:
    """Correct iff the reply is exactly ``Yes`` (``Yes.`` and ``yes`` count as No)."""
    return reply == "Yes"


def sf_near_miss_yes(reply: str) -> bool:
    """A reply that says yes but is not exactly ``Yes`` (``Yes.``, ``yes``, ``Yes\n``): eval_sf.py counts it as
    No; it is reported beside the number so the reader sees how many verdicts the exact test discarded."""
    return reply != "Yes" and reply.strip().rstrip(".").strip().lower() == "yes"


def sf_reply_readable(reply: str) -> bool:
    """Whether the reply is a yes/no answer in any case or with a final period."""
    return reply.strip().rstrip(".").strip().lower() in ("yes", "no")


# -- AudioBench (eval_llama3_70b.py / eval_gpt4o.py) ----------------------------------------------------

@dataclass(frozen=True)
class AudioBenchRating:
    rating: float
    success: bool


def audiobench_rating(reply: str) -> AudioBenchRating:
    """``float(reply.split()[-1])``; on any failure rating 0 and success 0 (the item stays in the mean).

    >>> audiobench_rating("Explanation: close.\\nRating: 4.")
    AudioBenchRating(rating=4.0, success=True)
    >>> audiobench_rating("Rating: **4**")
    AudioBenchRating(rating=0.0, success=False)
    """
    try:
        return AudioBenchRating(float(reply.strip().split()[-1]), True)
    except (IndexError, ValueError):
        return AudioBenchRating(0.0, False)


_AB_EXPLANATION = re.compile(r"Explanation:\s*(.*?)\s*(?:\n\s*Rating:|$)", re.DOTALL)
_SQQA_REASON = re.compile(r"""["']reason["']\s*:\s*["'](.*?)["']\s*}""", re.IGNORECASE | re.DOTALL)


def audiobench_explanation(reply: str) -> str | None:
    """The judge's ``Explanation: ...`` text before ``Rating:`` (for the report only; not used to score)."""
    match = _AB_EXPLANATION.search(reply)
    return match.group(1) if match else None


def sqqa_reason(reply: str) -> str | None:
    """The ``"Reason": "..."`` text of a WikiQA judge reply (for the report only)."""
    match = _SQQA_REASON.search(reply)
    return match.group(1) if match else None


# -- AIR-Bench chat (cal_score.py) ----------------------------------------------------------------------

@dataclass(frozen=True)
class AirScores:
    """The two integers of a ``gpt-score`` line, ``None`` when ``cal_score.py`` counts a fail."""

    first: int | None
    second: int | None

    @property
    def parsed(self) -> bool:
        return self.first is not None and self.second is not None

    @property
    def out_of_range(self) -> bool:
        """``cal_score.py`` calls ``exit(1)`` when either score exceeds 10."""
        return self.parsed and (self.first > 10 or self.second > 10)  # type: ignore[operator]


def air_scores(reply: str) -> AirScores:
    """Strip, remove newlines, split on one space; exactly two ``int``-parsable pieces, else a fail.

    >>> air_scores("8 6")
    AirScores(first=8, second=6)
    >>> air_scores("Assistant 1: 8, Assistant 2: 6")
    AirScores(first=None, second=None)
    """
    pieces = reply.strip().replace("\n", "").split(" ")
    if len(pieces) != 2:
        return AirScores(None, None)
    try:
        return AirScores(int(pieces[0]), int(pieces[1]))
    except ValueError:
        return AirScores(None, None)
