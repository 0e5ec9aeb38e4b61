"""Run facts: the commit comes from git (or GITHUB_SHA in Actions); outside a checkout it is None."""

from __future__ import annotations

import re
from pathlib import Path

from evaluators.report.run import git_commit, now_utc, run_facts

REPO = Path(__file__).resolve().parents[2]


def test_commit_from_git_and_from_github(monkeypatch, tmp_path):
    monkeypatch.delenv("GITHUB_SHA", raising=False)
    assert re.fullmatch(r"[0-9a-f]{40}", git_commit(REPO) or "")
    assert git_commit(tmp_path) is None  # not a git checkout
    monkeypatch.setenv("GITHUB_SHA", "f" * 40)
    assert git_commit(tmp_path) == "f" * 40


def test_run_facts(monkeypatch):
    monkeypatch.setenv("CI", "true")
    facts = run_facts(exit_status=1, data_dir="/data", cwd=REPO)
    assert facts["pytest_exit_status"] == 1 and facts["data_dir"] == "/data" and facts["ci"] is True
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", now_utc())
