"""Story diversity and following rates (protocols.md §15, following rules of §12.1–12.2)."""

from __future__ import annotations

import pytest

from evaluators.metrics.story import StoryDiversity, sf_slot_values, story_tokens, wer_at_least
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.protocols import get_protocol


def story(distinct: int, total: int) -> str:
    """A story of ``total`` tokens using ``distinct`` different words, with punctuation and EOS."""
    words = [f"w{i % distinct}" for i in range(total)]
    return "  " + ", ".join(words).capitalize() + ".</s>"


def test_story_tokens_normalisation():
    assert story_tokens(" Once upon a time, the DOG's ball... </s>") == ["once", "upon", "a", "time", "the", "dogs",
                                                                          "ball"]
    assert story_tokens("A-B c</s>  ") == ["ab", "c"]


def test_story_diversity_two_denominators_and_following_rate():
    outputs = [story(40, 60), story(30, 50), story(10, 49)]   # the third has 49 tokens: not followed
    predictions = PredictionSet.from_pairs(outputs, [""] * 3)
    assert get_protocol("STORY-JW").score(predictions).value == pytest.approx((40 + 30) / 3)
    assert get_protocol("STORY-JW/followed").score(predictions).value == pytest.approx((40 + 30) / 2)
    follow = get_protocol("STORY-JW-FOLLOW").score(predictions)
    assert follow.value == pytest.approx(2 / 3) and follow.interval.method == "wilson"


def test_story_diversity_reported_counts_reproduce_the_printed_values():
    # eval_story.py: 364261 distinct tokens over 4408 followed of 4411 stories → 82.58 and 82.64
    assert round(364261 / 4411, 2) == 82.58 and round(364261 / 4408, 2) == 82.64
    metric = StoryDiversity("all")
    import numpy as np
    stats = np.array([[364261, 4408, 4411]])
    assert round(float(metric.aggregate(stats)), 2) == 82.58
    assert round(float(StoryDiversity("followed").aggregate(stats)), 2) == 82.64


def test_story_diversity_rejects_unknown_denominator():
    with pytest.raises(ValueError):
        StoryDiversity("some")


def test_wer_threshold_rule():
    assert not wer_at_least("what is the capital of france", "what is the capital of france")
    assert not wer_at_least("what is the capital of france", "what is a capital of france")   # 1/6 < 0.3
    assert wer_at_least("what is the capital of france", "paris is a capital of france")   # 2/6 ≥ 0.3


def test_follow_question_wer30_paper_rule():
    items = (PredictionItem("transcribed", "What is the capital of France?</s>", ("Paris",),
                            metadata={"question": "What is the capital of France?"}),
             PredictionItem("answered", "The capital of France is Paris.</s>", ("Paris",),
                            metadata={"question": "What is the capital of France?"}),
             PredictionItem("from-prompt", "Paris.", ("Paris",), prompt="Where is the Louvre?"),
             PredictionItem("no-question", "Paris.", ("Paris",)))
    score = get_protocol("FOLLOW-QUESTION-WER30").score(PredictionSet("sqqa", "sqqa.json", items))
    assert [d.value for d in score.items] == [0.0, 1.0, 1.0, None]
    assert score.value == pytest.approx(2 / 3) and score.skipped == {"no_question_text": 1}


def test_follow_sqqa_as_coded_compares_with_the_answers():
    # the output transcribes the question: the paper rule says "not followed", the coded rule "followed"
    item = PredictionItem("q", "what is the capital of france</s>", ("Paris is the capital.; It is in Europe.",),
                          metadata={"question": "what is the capital of france"})
    predictions = PredictionSet("sqqa", "sqqa.json", (item,))
    assert get_protocol("FOLLOW-SQQA-JW").score(predictions).value == 1.0
    assert get_protocol("FOLLOW-QUESTION-WER30").score(predictions).value == 0.0
    echo = PredictionSet.from_pairs(["paris is the capital.</s>"], ["Paris is the capital."])
    assert get_protocol("FOLLOW-SQQA-JW").score(echo).value == 0.0


def test_sf_slot_values_and_following():
    assert sf_slot_values("date=Tomorrow</s>; place_name=the office") == ["tomorrow", "the office"]
    assert sf_slot_values("time=five = pm; ") == ["five"]
    items = (PredictionItem("copied", "date=wake me up tomorrow at five</s>", ("date=tomorrow",),
                            metadata={"transcript": "wake me up tomorrow at five"}),
             PredictionItem("slot", "date=tomorrow</s>", ("date=tomorrow",),
                            metadata={"transcript": "wake me up tomorrow at five"}),
             PredictionItem("none", "date=tomorrow", ("date=tomorrow",)))
    score = get_protocol("FOLLOW-SF-JW").score(PredictionSet("sf", "sf.json", items))
    assert [d.value for d in score.items] == [0.0, 1.0, None]
    assert score.skipped == {"no_transcript_text": 1}
