"""Fixtures of the report tests: a hand-built report (no real predictions needed)."""

from __future__ import annotations

import pytest

from evaluators.report.model import Report
from tests.report.report_samples import sample_results


@pytest.fixture
def sample_report() -> Report:
    return Report(results=sample_results(),
                  determinism=[{"test": "tests/determinism/test_x.py::test_bs", "model": "tiny-whisper",
                                "dtype": "fp32", "batch_size": 8, "items_changed": 0, "n_items": 6,
                                "max_abs_logit_delta": 1.9e-06, "first_divergent_step": None}],
                  run={"git_commit": "0123456789abcdef", "pytest_exit_status": 0},
                  generated_at="2026-11-26T06:00:00+00:00")
