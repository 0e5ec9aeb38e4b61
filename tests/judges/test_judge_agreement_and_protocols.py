"""Judge–judge agreement, and the judge protocols in the registry (listed, cited, unscorable without a judge)."""

from __future__ import annotations

import re

import pytest

from evaluators.errors import ProtocolUnavailableError
from evaluators.judges.agreement import agreement
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.protocols import all_protocols, get_protocol
from tests.judges.judging import judged

pytestmark = pytest.mark.judge

ITEMS = PredictionSet("agree", "test", tuple(
    PredictionItem(f"i{i}", f"answer {i}", ("(a) dog",), prompt="Which? (a) dog (b) cat") for i in range(6)))


def _judge_with(verdicts: list[str]):
    def answer(user: str) -> str:
        index = int(re.search(r"Model generated response: answer (\d)", user).group(1))
        return f"Explanation: x\nJudgement: {verdicts[index]}"
    return answer


def test_raw_agreement_and_kappa(scripted_judge) -> None:
    a = judged("J-SAKURA", ITEMS, scripted_judge(_judge_with(
        ["correct", "correct", "correct", "incorrect", "incorrect", "incorrect"])))
    b = judged("J-SAKURA", ITEMS, scripted_judge(_judge_with(
        ["correct", "correct", "incorrect", "incorrect", "incorrect", "correct"]), model="other-judge"))
    result = agreement(a, b)
    assert result.n == 6 and result.raw == pytest.approx(4 / 6)
    # observed 4/6, expected (3·3 + 3·3)/36 = 1/2 → kappa = (2/3 − 1/2) / (1 − 1/2) = 1/3
    assert result.kappa == pytest.approx(1 / 3)
    assert result.confusion[("correct", "incorrect")] == 1 and result.confusion[("incorrect", "correct")] == 1
    assert agreement(a, a).kappa == pytest.approx(1.0)


def test_unparsed_is_its_own_label_and_constant_labels_have_no_kappa(scripted_judge) -> None:
    same = judged("J-SAKURA", ITEMS, scripted_judge(_judge_with(["correct"] * 6)))
    garbled = judged("J-SAKURA", ITEMS, scripted_judge(lambda user: "no verdict"))
    both = agreement(same, same)
    assert both.raw == 1.0 and both.kappa is None
    mixed = agreement(same, garbled)
    assert mixed.raw == 0.0 and mixed.confusion == {("correct", "unparsed"): 6}


def test_items_judged_by_only_one(scripted_judge) -> None:
    a = judged("J-SAKURA", ITEMS, scripted_judge(_judge_with(["correct"] * 6)))
    b = judged("J-SAKURA", ITEMS.items[:4], scripted_judge(_judge_with(["correct"] * 6)))
    result = agreement(a, b)
    assert (result.n, result.only_in_first, result.only_in_second) == (4, 2, 0)


JUDGE_IDS = ["J-AB-BINARY", "J-AB-BINARY-GPT4O", "J-AB-SCALE", "J-AB-SCALE-GPT4O", "J-AIR-CHAT", "J-SAKURA",
             "J-SAKURA-JW-DIST", "J-SAKURA-JW-EVAL", "J-SF-JW", "J-SQQA-JW"]


def test_judge_protocols_are_registered_with_sources() -> None:
    assert [p.id for p in all_protocols("judge")] == JUDGE_IDS
    for protocol_id in JUDGE_IDS:
        protocol = get_protocol(protocol_id)
        assert protocol.sources and all(source.repo and source.path for source in protocol.sources)
        assert any(source.repo in protocol.title for source in protocol.sources)
        assert protocol.describe()["params"]["tpl"].split("@")[1] in protocol.signature()


@pytest.mark.parametrize("protocol_id", JUDGE_IDS)
def test_score_without_a_backend_raises_a_named_error(protocol_id: str) -> None:
    with pytest.raises(ProtocolUnavailableError, match="with_judge") as error:
        get_protocol(protocol_id).score(ITEMS)
    assert isinstance(error.value, ProtocolUnavailableError) and error.value.protocol_id == protocol_id
