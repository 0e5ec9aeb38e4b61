"""Shared helpers for judge tests: a scripted judge (a test double for the outside LLM service)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from evaluators.judges.backends.base import JudgeBackend
from evaluators.judges.decoding import JudgeRequest


class ScriptedJudge(JudgeBackend):
    """Answers each request with ``answer(user_message)``; counts calls. Stands in for a judge service."""

    kind = "scripted"

    def __init__(self, answer: Callable[[str], str], model: str = "scripted-judge", revision: str = "r1"):
        super().__init__(model, revision)
        self.answer = answer
        self.calls: list[JudgeRequest] = []

    def complete(self, request: JudgeRequest) -> str:
        self.calls.append(request)
        return self.answer(request.messages[-1][1])


@pytest.fixture
def scripted_judge() -> type[ScriptedJudge]:
    return ScriptedJudge
