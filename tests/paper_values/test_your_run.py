"""``pytest -m paper_values --run RUN``: your own run against every matching published number.

One test per (file of the run, matched golden entry, candidate protocol), planned at collection from the
run manifest (or directory) without scoring. Each test takes its row from the entry's verdict
(:class:`evaluators.run_check.RunChecker`, i.e. :func:`evaluators.checking.evaluate_entry`: the same
verdict logic as ``audiorepro check`` and the golden tests) and attaches it for the report's "Your run"
section, then:

* the entry's own protocol: passes when the entry's verdict is ``reproduces`` or ``consistent``, fails when
  it ``differs`` (with closest protocol and Δ), skips when no protocol can run (``unavailable``);
* every other candidate protocol: passes when its row reproduces or is consistent, xfails (not strict)
  when it differs — the sweep is information, not a gate — and skips when it is unavailable or not
  applicable to the data, naming the reason.

Without ``--run`` the tests of this module are deselected (nothing to check).
"""

from __future__ import annotations

from typing import Any

import pytest

from evaluators.errors import AudioreproError
from evaluators.run_check import PASSING_VERDICTS, PlannedCheck, RunChecker
from evaluators.verdict import attach_your_run

pytestmark = pytest.mark.paper_values

_CHECKERS: dict[str, RunChecker] = {}


def checker_for(config: pytest.Config) -> RunChecker | None:
    """The run of ``--run`` (loaded once per process); a bad run is a usage error naming the problem."""
    path = config.getoption("--run")
    if not path:
        return None
    if path not in _CHECKERS:
        from evaluators.run_manifest import load_run

        try:
            _CHECKERS[path] = RunChecker(load_run(path))
        except AudioreproError as error:
            raise pytest.UsageError(f"--run {path}: {error}") from None
    return _CHECKERS[path]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "planned" not in metafunc.fixturenames:
        return
    checker = checker_for(metafunc.config)
    if checker is None:
        metafunc.parametrize("planned", [None], ids=["no-run"])  # deselected in conftest.py
        return
    try:
        plan = checker.plan()
    except AudioreproError as error:
        raise pytest.UsageError(f"--run {metafunc.config.getoption('--run')}: {error}") from None
    if not plan:
        raise pytest.UsageError(f"--run {checker.run.source}: no published number of {checker.compared_with} "
                                "matches any file of the run (dataset and split keys: `audiorepro golden list`)")
    metafunc.parametrize("planned", plan, ids=[check.id for check in plan])


def _record(planned: PlannedCheck, verdict: Any, row: Any, run_model: str) -> dict[str, Any]:
    """What the report's "Your run" section shows for one test."""
    entry = verdict.entry
    measured = row.as_dict() if row is not None else {"status": "unavailable", "reason": verdict.reason}
    return {"entry": entry.id, "paper": entry.paper, "model": entry.model_key, "dataset": entry.dataset_key,
            "split": entry.split_key, "metric": entry.metric_key, "published": entry.value, "printed": entry.printed,
            "unit": entry.unit, **measured, "protocol": planned.protocol, "primary": planned.primary,
            "verdict": verdict.verdict, "closest_protocol": verdict.closest_protocol,
            "file": str(planned.prediction.file), "run_model": run_model}


def test_your_run(planned: PlannedCheck | None, request: pytest.FixtureRequest) -> None:
    checker = checker_for(request.config)
    assert checker is not None and planned is not None
    verdict = checker.verdict(planned.prediction, planned.entry)
    row = next((row for row in verdict.rows if row.protocol == planned.protocol), None)
    attach_your_run(request.node.user_properties, _record(planned, verdict, row, checker.run.model))
    where = f"{planned.entry.id} (published {planned.entry.printed} {planned.entry.unit})"
    if planned.primary:
        closest = verdict.closest
        detail = (f"{where}: verdict {verdict.verdict}" + (f", closest {closest.protocol} {closest.value:.6g} "
                                                           f"(Δ {closest.delta:+.4g})" if closest else ""))
        if verdict.verdict == "unavailable":
            pytest.skip(f"{detail}: {verdict.reason}")
        assert verdict.verdict in PASSING_VERDICTS, detail
        return
    assert row is not None
    if row.status in ("unavailable", "not_applicable"):
        pytest.skip(f"{planned.protocol} on {where}: {row.status.replace('_', ' ')}: {row.reason}")
    if row.status == "differs":
        pytest.xfail(f"{planned.protocol} on {where}: {row.value:.6g} (Δ {row.delta:+.4g}) differs")
