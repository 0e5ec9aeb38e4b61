"""Property tests: parsers never raise on arbitrary replies, and every item is accounted for."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluators.judges import parsing
from evaluators.judges.backends.base import JudgeBackend
from evaluators.judges.decoding import JudgeRequest
from evaluators.judges.templates import SAKURA_OFFICIAL
from evaluators.predictions.base import PredictionItem
from tests.judges.judging import judged

pytestmark = pytest.mark.judge

#: replies assembled from verdict-like fragments and arbitrary text
FRAGMENTS = ["Explanation: ", "Judgement: ", "Judgment: ", "correct", "incorrect", "Correct", "**", "Rating: ", "4",
             "4.", "8 6", " ", "\n", "\n\n", '"', "{", "}", '{"Correct": True, "Reason": "', "Yes", "No"]
NOISY = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5), max_size=12).map("".join)


class ListJudge(JudgeBackend):
    """Replies from a list, in request order (a stand-in for the judge service)."""

    kind = "list"

    def __init__(self, replies: list[str]):
        super().__init__("list-judge")
        self.replies = list(replies)

    def complete(self, request: JudgeRequest) -> str:
        return self.replies.pop(0)


@settings(max_examples=200, deadline=None)
@given(NOISY)
def test_parsers_never_raise(reply: str) -> None:
    extracted = parsing.extract_sakura_judgement(reply)
    assert parsing.sakura_decision_official(extracted.judgement) in ("correct", "incorrect", "invalid")
    rating = parsing.audiobench_rating(reply)
    assert rating.success or rating.rating == 0.0
    scores = parsing.air_scores(reply)
    assert scores.parsed is (scores.first is not None)
    assert isinstance(parsing.sqqa_official_correct([reply]), bool)


@settings(max_examples=40, deadline=None)
@given(st.lists(NOISY, min_size=1, max_size=8))
def test_every_item_is_counted_once(replies: list[str]) -> None:
    items = [PredictionItem(f"i{i}", "x", ("(a) y",), prompt="Q? (a) y (b) z") for i in range(len(replies))]
    result = judged("J-SAKURA", items, ListJudge(replies), interval=False)
    assert sum(result.extras["counts"].values()) == result.n == len(replies)
    assert result.extras["unparsed"] == result.extras["counts"].get("unparsed", 0)
    assert 0.0 <= result.value <= 1.0
    assert result.value == pytest.approx(result.extras["counts"].get("correct", 0) / len(replies))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=40))
def test_fill_changes_only_the_placeholders(question: str, truth: str, response: str) -> None:
    values = {"question": question, "ground_truth": truth, "response": response}
    filled = SAKURA_OFFICIAL.fill(values)
    head, tail = SAKURA_OFFICIAL.user.split("Question: [QUESTION]\n")
    assert filled.startswith(head)
    assert filled.endswith(tail.split("[MODEL_GENERATED_RESPONSE]")[-1])
