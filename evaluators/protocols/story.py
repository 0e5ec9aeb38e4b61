"""Story telling and instruction-following protocols (protocols.md §15, following rules of §12.1–12.2).

Reproduces:

* ``STORY-JW`` — jaeeewon/project-multimodal ``dist_eval/eval_story.py``: distinct tokens of stories
  with ≥ 50 tokens, summed and divided by all stories (``diversity_total``, 82.58 reported);
  ``STORY-JW/followed`` divides by followed stories (82.64); ``STORY-JW-FOLLOW`` is the following
  rate (4408/4411);
* ``FOLLOW-QUESTION-WER30`` — the SALMONN paper's definition for spoken-query QA and slot filling:
  an output with WER < 30 % against the spoken question transcript merely transcribed it (not
  followed). jaeeewon's scripts state this rule but code other comparisons, reproduced as
  ``FOLLOW-SQQA-JW`` (``dist_eval/eval_sqqa.py``: some gold answer has WER ≥ 0.3 against the output)
  and ``FOLLOW-SF-JW`` (``dist_eval/eval_sf.py``: some predicted slot value has WER ≥ 0.3 against
  the transcript).

Where the spoken text lives: ``metadata["question"]`` (SQQA) or ``metadata["transcript"]`` (SF), else
the item's ``prompt``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from evaluators.metrics.story import (
    FollowingRate,
    StoryDiversity,
    sf_slot_values,
    story_followed,
    story_tokens,
    wer_at_least,
)
from evaluators.protocols.base import Prepared, Protocol, Source, Step
from evaluators.protocols.registry import register
from evaluators.text.cleanup import EOS, strip_trailing_eos

_STORY_SOURCE = Source("jaeeewon/project-multimodal", "dist_eval/eval_story.py",
                       commit="d9e5d172c6cfd426ce1a85f989ecb2a968c5d733",
                       note="AudioCaps-Story-test; tokens = lowercase, ASCII punctuation deleted, split")

STORY_JW = register(Protocol(
    id="STORY-JW", family="story",
    title="SALMONN story diversity: distinct tokens of ≥50-token stories / all stories (jaeeewon eval_story.py)",
    sources=(_STORY_SOURCE,), steps=(),
    metric=StoryDiversity("all"),
    params={"min_tokens": 50, "denominator": "all"},
    spec="protocols.md §15"))

STORY_JW_FOLLOWED = register(dataclasses.replace(
    STORY_JW, id="STORY-JW/followed",
    title="SALMONN story diversity over followed stories only (jaeeewon eval_story.py diversity_followed)",
    metric=StoryDiversity("followed"), params={"min_tokens": 50, "denominator": "followed"}))


def _story_rule(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> bool:
    return story_followed(story_tokens(hypothesis))


STORY_JW_FOLLOW = register(Protocol(
    id="STORY-JW-FOLLOW", family="story",
    title="SALMONN story following rate: normalised story has ≥ 50 tokens (jaeeewon eval_story.py)",
    sources=(_STORY_SOURCE,), steps=(),
    metric=FollowingRate(_story_rule, "story-at-least-50-tokens"),
    params={"min_tokens": 50}, spec="protocols.md §15", interval_method="wilson"))


# -- WER-based following rules (SQQA / SF) ---------------------------------------------------------

def _spoken_text(item_metadata: Mapping[str, Any], prompt: str | None, key: str) -> str | None:
    value = item_metadata.get(key)
    if value is None:
        value = prompt
    return value if isinstance(value, str) and value.strip() else None


def _spoken_text_step(key: str, name: str, doc: str) -> Step:
    """Skip an item without its spoken text (``metadata[key]``, else the prompt); give the rule that text as
    ``metadata["_spoken"]``."""

    def apply(prepared: Prepared) -> Prepared | str:
        item = prepared.item
        text = _spoken_text(item.metadata, item.prompt, key)
        if text is None:
            return f"no_{key}_text"
        return dataclasses.replace(prepared, item=dataclasses.replace(item, metadata={**item.metadata,
                                                                                       "_spoken": text}))

    return Step(name, "item", apply, f"{doc}; items without it are skipped, the rule reads it as metadata['_spoken']")


def _question_rule(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> bool:
    return wer_at_least(metadata["_spoken"], hypothesis)


_PAPER_SOURCE = Source("jaeeewon/project-multimodal", "dist_eval/eval_sqqa.py",
                       commit="d9e5d172c6cfd426ce1a85f989ecb2a968c5d733",
                       note="the script's comment states the paper rule (WER against the spoken question < 30 % = "
                            "not followed); the SALMONN paper defines it, its repository has no scorer")

FOLLOW_QUESTION_WER30 = register(Protocol(
    id="FOLLOW-QUESTION-WER30", family="story",
    title="SALMONN following rate for SQQA/SF: followed iff WER(spoken question, output) ≥ 30 %",
    sources=(_PAPER_SOURCE,),
    steps=(_spoken_text_step("question", "need-question-text", "the spoken question transcript"),
           Step("strip-eos", "hyp", strip_trailing_eos, "remove a trailing </s>")),
    metric=FollowingRate(_question_rule, "wer-vs-question-at-least-0.3"),
    params={"spoken": "question", "threshold": 0.3},
    spec="protocols.md §12.1 (following rate, paper definition)", interval_method="wilson"))


def _sqqa_jw_rule(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> bool:
    answers = [answer for reference in references for answer in reference.lower().split("; ")]
    return any(wer_at_least(answer, hypothesis) for answer in answers)


def _drop_one_trailing_eos(text: str) -> str:
    return text[: -len(EOS)].strip() if text.endswith(EOS) else text


FOLLOW_SQQA_JW = register(Protocol(
    id="FOLLOW-SQQA-JW", family="story",
    title="WikiQA SQQA following rate as coded: some gold answer has WER ≥ 0.3 vs the output (eval_sqqa.py)",
    sources=(Source("jaeeewon/project-multimodal", "dist_eval/eval_sqqa.py",
                    commit="d9e5d172c6cfd426ce1a85f989ecb2a968c5d733",
                    note="answers = all candidate sentences, lowercased, split on '; '"),),
    steps=(Step("strip-eos", "hyp", _drop_one_trailing_eos, "remove a trailing </s> (then strip)"),),
    metric=FollowingRate(_sqqa_jw_rule, "some-answer-wer-at-least-0.3"),
    params={"threshold": 0.3, "compare": "answers"},
    spec="protocols.md §12.1 (following rate, as coded)", interval_method="wilson"))


def _sf_jw_rule(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> bool:
    return any(wer_at_least(metadata["_spoken"], value) for value in sf_slot_values(hypothesis))


FOLLOW_SF_JW = register(Protocol(
    id="FOLLOW-SF-JW", family="story",
    title="SLURP SF following rate as coded: some predicted slot value has WER ≥ 0.3 vs the transcript (eval_sf.py)",
    sources=(Source("jaeeewon/project-multimodal", "dist_eval/eval_sf.py",
                    commit="d9e5d172c6cfd426ce1a85f989ecb2a968c5d733",
                    note="values = output without </s>, lowercased, split '; ', part after '='"),),
    steps=(_spoken_text_step("transcript", "need-transcript", "the SLURP transcript"),),
    metric=FollowingRate(_sf_jw_rule, "some-value-wer-at-least-0.3"),
    params={"spoken": "transcript", "threshold": 0.3, "compare": "slot-values"},
    spec="protocols.md §12.2 (following rate, as coded)", interval_method="wilson"))
