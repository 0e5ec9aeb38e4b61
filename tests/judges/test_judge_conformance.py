"""Judge conformance: the requests a judge protocol sends equal what its cited code sends.

``fixtures/conformance/judge_*.json`` hold request bodies captured by running the cited judge code (with
its HTTP call replaced by a recorder) at the commit each file names.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from evaluators.judges.backends.openai_compat import OpenAICompatibleBackend
from evaluators.judges.decoding import JudgeRequest
from evaluators.judges.specs import SPECS
from evaluators.predictions.base import PredictionItem
from evaluators.protocols.registry import get_protocol
from tests.judges.judging import judged

CONFORMANCE = Path(__file__).resolve().parents[2] / "fixtures" / "conformance"


def _cases(name: str) -> list[Any]:
    document = json.loads((CONFORMANCE / name).read_text(encoding="utf-8"))
    return [pytest.param(document, case, id=f"{Path(name).stem}-{index}")
            for index, case in enumerate(document["cases"])]


def _bodies(case: dict[str, Any], model: str) -> list[dict[str, Any]]:
    """The JSON bodies the protocol's spec makes the OpenAI-compatible backend post for the case's item."""
    spec = SPECS[case["protocol"]]
    item = PredictionItem("x", case["item"]["prediction"], (case["item"]["reference"],),
                          metadata={"question": case["item"]["question"]})
    calls = spec.calls(item)
    assert not isinstance(calls, str)
    backend = OpenAICompatibleBackend("http://judge.invalid/v1", model, api_key="")
    return [json.loads(backend._payload(JudgeRequest(spec.render(call), spec.default_decoding))) for call in calls]


@pytest.mark.parametrize(("document", "case"), _cases("judge_sakura_jw_dist.json"))
def test_sakura_jw_dist_sends_what_works_py_at_68cb85c_sends(document: dict[str, Any], case: dict[str, Any]) -> None:
    expected = case["expected"]["request"]
    # prompts byte-identical, same fields (no seed, no thinking switch)
    assert _bodies(case, expected["model"]) == [expected]
    assert SPECS[case["protocol"]].default_model == expected["model"]
    assert any(source.commit == document["commit"] for source in get_protocol(case["protocol"]).sources)


@pytest.mark.parametrize(("document", "case"), _cases("judge_sqqa_jw.json"))
def test_sqqa_sends_one_request_per_candidate_as_works_py(document: dict[str, Any], case: dict[str, Any]) -> None:
    expected = case["expected"]["requests"]
    assert _bodies(case, expected[0]["model"]) == expected
    assert any(source.commit == document["commit"] for source in get_protocol(case["protocol"]).sources)


@pytest.mark.parametrize(("document", "case"), _cases("judge_air_chat.json"))
def test_air_chat_leaderboard_from_cal_score(document: dict[str, Any], case: dict[str, Any], scripted_judge) -> None:
    """cal_score.py's per-category model averages of both orders, combined as the README's leaderboard."""
    from evaluators.predictions.base import PredictionSet

    rows = {row["id"]: row for row in case["items"]}
    items = PredictionSet("air-chat", "conformance", tuple(
        PredictionItem(item_id, f"model answer {item_id}", (f"reference {item_id}",), prompt="Q?",
                       metadata={"meta_info": "audio", "task_name": row["task_name"]})
        for item_id, row in rows.items()))

    def answer(user: str) -> str:
        first = re.search(r"\[The Start of Assistant 1s Answer\]\n(.*)\n", user).group(1)
        row = rows[first.split()[-1]]
        return row["ref_first_reply"] if first.startswith("reference") else row["model_first_reply"]

    result = judged(case["protocol"], items, scripted_judge(answer))
    assert result.extras["official"]["leaderboard"] == pytest.approx(case["expected"]["leaderboard"])
    assert result.value == pytest.approx(case["expected"]["value"])
    assert any(source.commit == document["commit"] for source in get_protocol(case["protocol"]).sources)
