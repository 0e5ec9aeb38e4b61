"""Story diversity and instruction-following rates (SALMONN level-3 tasks; protocols.md §15, §12.1–12.2).

SALMONN's paper reports, next to a task score, a *following rate*: the share of outputs that did
the task instead of falling back to transcribing the audio (its "task over-fitting"). Public code
decides "followed" in three ways:

* story telling (jaeeewon ``dist_eval/eval_story.py``): the normalised story has ≥ 50 tokens;
* the paper's rule for spoken-query QA and slot filling: WER of the output against the *spoken
  question transcript* ≥ 30 % (WER < 30 % means the model merely transcribed the question);
* jaeeewon's code for SQQA (``dist_eval/eval_sqqa.py``): some gold *answer* has WER ≥ 0.3 against
  the output; for SF (``dist_eval/eval_sf.py``): some predicted slot *value* has WER ≥ 0.3 against
  the transcript. WER is ``jiwer.wer(reference, hypothesis)`` on the raw strings.

Statistics: following rates are ``(followed, total)``; story diversity keeps
``(distinct tokens if followed else 0, followed, 1)`` so both published denominators (all stories,
or followed stories) come from the same rows.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from evaluators.metrics.base import Metric, ratio_aggregate
from evaluators.text.cleanup import EOS

STORY_MIN_TOKENS = 50
FOLLOW_WER_THRESHOLD = 0.3
_PUNCTUATION = re.compile(f"[{re.escape(string.punctuation)}]")
_SPACES = re.compile(r"\s+")


def story_tokens(output: str) -> list[str]:
    """jaeeewon story tokens: strip, drop a trailing ``</s>``, lowercase, delete ASCII punctuation, split."""
    text = output.strip()
    if text.endswith(EOS):
        text = text[: -len(EOS)].strip()
    text = _PUNCTUATION.sub("", text.lower())
    return _SPACES.sub(" ", text).strip().split()


def story_followed(tokens: Sequence[str], min_tokens: int = STORY_MIN_TOKENS) -> bool:
    return len(tokens) >= min_tokens


class StoryDiversity(Metric):
    """Σ distinct tokens of followed stories / number of stories (``all``) or of followed ones."""

    unit = "count"
    direction = "higher"
    stat_names = ("distinct_if_followed", "followed", "stories")

    def __init__(self, denominator: str = "all", min_tokens: int = STORY_MIN_TOKENS):
        if denominator not in ("all", "followed"):
            raise ValueError(f"denominator must be 'all' or 'followed', got {denominator!r}")
        self.denominator = denominator
        self.min_tokens = min_tokens
        self.name = f"diversity-{denominator}"

    def item_stats(self, hypothesis: str, references: Sequence[str],
                   metadata: Mapping[str, Any]) -> tuple[int, int, int]:
        tokens = story_tokens(hypothesis)
        followed = story_followed(tokens, self.min_tokens)
        return (len(set(tokens)) if followed else 0), int(followed), 1

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        stats = np.asarray(stats, dtype=float)
        denominator = stats[..., 2] if self.denominator == "all" else stats[..., 1]
        return ratio_aggregate(np.stack([stats[..., 0], denominator], axis=-1), "corpus")

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "min_tokens": str(self.min_tokens)}


def wer_at_least(reference: str, hypothesis: str, threshold: float = FOLLOW_WER_THRESHOLD) -> bool:
    """``jiwer.wer(reference, hypothesis) >= threshold`` on the raw strings (jiwer's default transform)."""
    import jiwer

    return jiwer.wer(reference, hypothesis) >= threshold


def sf_slot_values(output: str) -> list[str]:
    """jaeeewon SF parsing: remove every ``</s>``, lowercase, split ``; ``, value = part after the first ``=``."""
    values = []
    for piece in output.replace(EOS, "").lower().split("; "):
        if piece:
            parts = [part.strip() for part in piece.split("=")]
            values.append(parts[1] if len(parts) > 1 else parts[0])
    return values


#: ``decide(hypothesis, references, metadata) -> followed``
FollowRule = Callable[[str, Sequence[str], Mapping[str, Any]], bool]


class FollowingRate(Metric):
    """Share of outputs that followed the instruction under a named rule; ``(followed, total)``."""

    unit = "fraction"
    direction = "higher"
    stat_names = ("followed", "total")

    def __init__(self, rule: FollowRule, rule_name: str):
        self.rule = rule
        self.rule_name = rule_name
        self.name = "following-rate"

    def item_stats(self, hypothesis: str, references: Sequence[str],
                   metadata: Mapping[str, Any]) -> tuple[float, float]:
        return float(self.rule(hypothesis, references, metadata)), 1.0

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return ratio_aggregate(stats, aggregation)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "follow": self.rule_name}
