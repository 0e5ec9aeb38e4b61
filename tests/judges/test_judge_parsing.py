"""Verdict parsers on hand-written judge replies, well-formed and malformed (protocols.md §12 examples)."""

from __future__ import annotations

import pytest

from evaluators.judges import parsing

pytestmark = pytest.mark.judge


@pytest.mark.parametrize(("reply", "judgement", "official", "exact"), [
    # the five verified examples of protocols.md §12.3
    ("Explanation: The model chose (b).\nJudgement: correct", "correct", "correct", "correct"),
    ("Explanation: x\nJudgement: Correct\n\nDone", "Correct", "correct", "invalid"),
    ("Explanation: x\nJudgement: correct\n", "correct", "correct", "correct"),
    ("Explanation: x\nJudgement: incorrect\nThe end", "incorrect\nThe end", "invalid", "invalid"),
    ("**Explanation:** x\n**Judgement:** correct", parsing.NO_JUDGEMENT, "invalid", "invalid"),
    ("Explanation: x\nJudgment: correct", parsing.NO_JUDGEMENT, "invalid", "invalid"),
    # more formatting noise
    ("Explanation: multi\nline reasoning\nJudgement: incorrect", "incorrect", "incorrect", "incorrect"),
    ("Explanation: x\nJudgement:  correct ", " correct ", "correct", "invalid"),
    ("Explanation: x\nJudgement: \"correct\"", "\"correct\"", "invalid", "invalid"),
    ("", parsing.NO_JUDGEMENT, "invalid", "invalid"),
    ("Judgement: correct", parsing.NO_JUDGEMENT, "invalid", "invalid"),
])
def test_sakura(reply: str, judgement: str, official: str, exact: str) -> None:
    extracted = parsing.extract_sakura_judgement(reply)
    assert extracted.judgement == judgement
    assert parsing.sakura_decision_official(extracted.judgement) == official
    assert parsing.sakura_decision_exact(extracted.judgement) == exact


def test_sakura_explanation_is_kept() -> None:
    extracted = parsing.extract_sakura_judgement("Explanation: It picks (a) Paris.\nJudgement: correct")
    assert (extracted.explanation, extracted.matched) == ("It picks (a) Paris.", True)
    missing = parsing.extract_sakura_judgement("correct")
    assert (missing.explanation, missing.matched) == (parsing.NO_EXPLANATION, False)


@pytest.mark.parametrize(("replies", "correct", "readable"), [
    # protocols.md §12.1 example: the second reply holds the marker after lowercasing
    (['{"Correct": False, "Reason": "..."}', '{"Correct": True, "Reason": "matches"}'], True, [True, True]),
    (["{'Correct': True, 'Reason': 'single quotes'}"], False, [True]),
    (['{"Correct":True,"Reason":"no spaces"}'], False, [True]),
    (['Sure! {"Correct": True, "Reason": "wrapped in text"}'], True, [True]),
    (["I think the answer is right."], False, [False]),
    (['{"Correct": False, "Reason": "no"}; {"Correct": True, "Reason": "joined"}'], True, [True]),
])
def test_sqqa(replies: list[str], correct: bool, readable: list[bool]) -> None:
    assert parsing.sqqa_official_correct(replies) is correct
    assert [parsing.sqqa_reply_readable(r) for r in replies] == readable


@pytest.mark.parametrize(("reply", "yes", "readable"), [
    ("Yes", True, True), ("No", False, True), ("Yes.", False, True), ("yes", False, True),
    (" Yes", False, True), ("Yes, it matches.", False, False), ("", False, False),
])
def test_slot_filling(reply: str, yes: bool, readable: bool) -> None:
    assert parsing.sf_official_yes(reply) is yes
    assert parsing.sf_reply_readable(reply) is readable


@pytest.mark.parametrize(("reply", "rating", "success"), [
    # the four verified examples of protocols.md §12.5
    ("Explanation: fine.\nRating: 4", 4.0, True),
    ("Explanation: fine.\nRating: 4.", 4.0, True),
    ("Explanation: fine.\nRating: **4**", 0.0, False),
    ("Explanation: fine.\nRating: 4/5", 0.0, False),
    # malformed
    ("", 0.0, False),
    ("   \n  ", 0.0, False),
    ("Rating: 3\n", 3.0, True),
    ("Rating: five", 0.0, False),
    ("Score 2 because ... final: 1", 1.0, True),
])
def test_audiobench(reply: str, rating: float, success: bool) -> None:
    assert parsing.audiobench_rating(reply) == parsing.AudioBenchRating(rating, success)


@pytest.mark.parametrize(("reply", "first", "second", "out_of_range"), [
    ("8 6", 8, 6, False),                                  # protocols.md §12.6
    ("Assistant 1: 8, Assistant 2: 6", None, None, False),  # protocols.md §12.6
    (" 7 9\n", 7, 9, False),
    ("7\n9", None, None, False),        # newline removed -> "79": one piece -> fail
    ("7  9", None, None, False),        # two spaces -> three pieces -> fail
    ("7.5 8", None, None, False),
    ("11 3", 11, 3, True),
    ("", None, None, False),
])
def test_air_chat(reply: str, first: int | None, second: int | None, out_of_range: bool) -> None:
    scores = parsing.air_scores(reply)
    assert (scores.first, scores.second, scores.out_of_range) == (first, second, out_of_range)
    assert scores.parsed is (first is not None)


def test_explanations_for_the_report() -> None:
    assert parsing.audiobench_explanation("Explanation: The reference is X.\nRating: 1") == "The reference is X."
    assert parsing.audiobench_explanation("Rating: 1") is None
    assert parsing.sqqa_reason('{"Correct": True, "Reason": "same city"}') == "same city"
    assert parsing.sqqa_reason("no dict") is None


@pytest.mark.parametrize(("reply", "near_miss"), [("Yes.", True), ("yes", True), ("Yes\n", True), (" YES ", True),
                                                  ("Yes", False), ("No", False), ("No.", False),
                                                  ("Yes, it does", False)])
def test_sf_near_miss_yes(reply: str, near_miss: bool) -> None:
    assert parsing.sf_near_miss_yes(reply) is near_miss

