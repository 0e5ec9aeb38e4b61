"""Progress bars are drawn on a terminal and stay quiet in CI logs and pipes."""

from __future__ import annotations

import io

import pytest

from evaluators.progress import counter, progress, progress_enabled


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("AUDIOREPRO_PROGRESS", raising=False)


def test_bar_on_a_terminal():
    stream = FakeTerminal()
    assert list(progress(range(5), desc="scoring", stream=stream)) == [0, 1, 2, 3, 4]
    assert "scoring" in stream.getvalue() and "0/5" in stream.getvalue()  # leave=False clears the bar at the end


def test_quiet_when_not_a_terminal():
    stream = io.StringIO()
    assert not progress_enabled(stream)
    assert list(progress(iter("abc"), desc="judging", stream=stream)) == ["a", "b", "c"]
    assert stream.getvalue() == ""


@pytest.mark.parametrize("value", ["true", "True", "1"])
def test_quiet_in_ci_even_on_a_terminal(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    stream = FakeTerminal()
    assert list(progress(range(3), total=3, desc="inference", stream=stream)) == [0, 1, 2]
    assert stream.getvalue() == ""


def test_forced_on_and_off(monkeypatch):
    monkeypatch.setenv("AUDIOREPRO_PROGRESS", "0")
    assert not progress_enabled(FakeTerminal())
    monkeypatch.setenv("AUDIOREPRO_PROGRESS", "1")
    monkeypatch.setenv("CI", "true")
    assert progress_enabled(io.StringIO())


def test_early_break_closes_the_bar():
    stream = FakeTerminal()
    for index in progress(range(100), stream=stream):
        if index == 2:
            break
    assert list(progress([], stream=stream)) == []


def test_counter_for_callback_driven_work():
    stream = FakeTerminal()
    with counter(3, desc="judging", stream=stream) as bar:
        for _ in range(3):
            bar.advance()
    assert "judging" in stream.getvalue() and "0/3" in stream.getvalue()


def test_counter_quiet_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    stream = FakeTerminal()
    with counter(2, desc="judging", stream=stream) as bar:
        bar.advance(2)
    assert stream.getvalue() == ""
