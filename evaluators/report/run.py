"""Facts that identify a run: commit, versions, machine, pytest exit status, data directory, time."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evaluators import __version__


def git_commit(cwd: Path | None = None) -> str | None:
    """The checked-out commit (``GITHUB_SHA`` in GitHub Actions), or None outside a git checkout."""
    if os.environ.get("GITHUB_SHA"):
        return os.environ["GITHUB_SHA"]
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=5,
                             check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and commit else None


def run_facts(*, exit_status: int | None = None, data_dir: str | None = None, cwd: Path | None = None,
              ) -> dict[str, Any]:
    """What identifies a run: commit, versions, machine, pytest exit status, data directory."""
    return {
        "git_commit": git_commit(cwd),
        "audiorepro_version": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pytest_exit_status": exit_status,
        "data_dir": data_dir,
        "ci": os.environ.get("CI", "").lower() == "true",
    }


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
