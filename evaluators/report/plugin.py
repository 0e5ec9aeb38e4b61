"""pytest plugin: collect every ``paper_values`` result and write the reproduction report.

Registered from the root ``conftest.py`` (``pytest_plugins = ["evaluators.report.plugin"]``).

* Results travel in ``report.user_properties`` (see :mod:`evaluators.verdict`), so they reach the
  controller under pytest-xdist; they are collected in ``pytest_runtest_logreport`` and written once,
  at ``pytest_sessionfinish``, on the controller (never on an xdist worker).
* The report goes to ``--report-dir`` (default ``reports/``): ``results.json``, ``report.md``,
  ``index.html`` and one more line in ``history.jsonl``.
* A run without any paper_values or determinism test that completed (pytest exit 0 or 1), or that
  was not a report run (explicit test paths, no ``-m paper_values``; e.g. ``pytest tests/unit -x``),
  writes nothing and leaves an existing report alone. Every report run records its own status, even
  with no result at all (collection error, interrupt, nothing collected, every test failing): a
  previous night's ``results.json`` must never be graded as this run's.
* A report that cannot be written fails the run (exit status 1 instead of 0).
* The Determinism section belongs to the determinism run (``combine_with_previous``): a run with
  determinism records and no paper_values test (``pytest -m determinism``) replaces only that
  section of the existing report and adds no history line; a paper_values run without determinism
  records keeps the previous Determinism section, labelled with the run it came from.
* ``paper_values`` tests that skip without attaching a result are listed with their skip reason.
* Citation groups attached under ``CITATION_PROPERTY_KEY`` feed the side-by-side view; without them the
  plugin asks ``evaluators.golden.comparison_groups`` itself.
* Importing the plugin is cheap (no matplotlib): every pytest process of the suite loads it.
"""

from __future__ import annotations

import inspect
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from evaluators.errors import AudioreproError
from evaluators.report.model import Report, sanitize
from evaluators.report.run import run_facts
from evaluators.verdict import (
    CITATION_PROPERTY_KEY,
    DETERMINISM_PROPERTY_KEY,
    USER_PROPERTY_KEY,
    YOUR_RUN_PROPERTY_KEY,
    PaperValueResult,
)

PLUGIN_NAME = "audiorepro-report"
#: pytest exit statuses of a run that ran to its end (all passed / some failed)
_COMPLETED_STATUSES = (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED)
#: outcome precedence when the phases of one test disagree (teardown error beats a passed call)
_RANK = {None: 0, "passed": 1, "skipped": 1, "xfailed": 1, "xpassed": 1, "failed": 2, "error": 3}


@dataclass
class _TestState:
    properties: list[tuple[str, Any]] = field(default_factory=list)
    outcome: str | None = None
    skip_reason: str = ""
    paper_values: bool = False


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        text = str(longrepr[2])
    else:
        text = str(longrepr or "")
    return text.removeprefix("Skipped: ").strip()


def _phase_outcome(report: pytest.TestReport) -> str | None:
    xfail = hasattr(report, "wasxfail")
    if report.failed:
        return "failed" if report.when == "call" else "error"
    if report.skipped:
        return "xfailed" if xfail else "skipped"
    if report.when == "call":
        return "xpassed" if xfail else "passed"
    return None


class ReportCollector:
    """Collects results from test reports and writes the report at the end of the session."""

    def __init__(self, config: pytest.Config):
        self.config = config
        self.tests: dict[str, _TestState] = {}
        self.written: list[Path] = []
        self.summary: str | None = None
        self.failure: str | None = None

    # -------------------------------------------------------------- collecting
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        state = self.tests.setdefault(report.nodeid, _TestState())
        if report.user_properties:
            state.properties = list(report.user_properties)  # cumulative per item: the latest phase has all
        if "paper_values" in report.keywords:
            state.paper_values = True
        outcome = _phase_outcome(report)
        if _RANK.get(outcome, 0) > _RANK.get(state.outcome, 0):
            state.outcome = outcome
        if report.skipped and not hasattr(report, "wasxfail"):
            state.skip_reason = _skip_reason(report)

    def build_report(self, exit_status: int | None = None) -> Report:
        results: list[PaperValueResult] = []
        determinism: list[dict[str, Any]] = []
        skipped_tests: list[dict[str, str]] = []
        citations: list[dict[str, Any]] = []
        your_run: list[dict[str, Any]] = []
        notes: list[str] = []
        for nodeid, state in self.tests.items():
            attached = False
            for key, value in state.properties:
                if key == USER_PROPERTY_KEY:
                    attached = True
                    try:
                        result = PaperValueResult.from_dict(value)
                    except (TypeError, ValueError) as error:
                        notes.append(f"{nodeid}: attached result could not be read: {error}")
                        continue
                    result.test, result.outcome = nodeid, state.outcome
                    results.append(result)
                elif key == CITATION_PROPERTY_KEY and isinstance(value, dict):
                    attached = True
                    citations.append(sanitize(value))
                elif key == YOUR_RUN_PROPERTY_KEY and isinstance(value, dict):
                    attached = True
                    your_run.append({**sanitize(value), "test": nodeid, "outcome": state.outcome})
                elif key == DETERMINISM_PROPERTY_KEY:
                    attached = True
                    row = sanitize(value) if isinstance(value, dict) else {"value": sanitize(value)}
                    determinism.append({"test": nodeid, **row} if "test" not in row else row)
            if state.paper_values and not attached and state.outcome == "skipped":
                skipped_tests.append({"test": nodeid, "reason": state.skip_reason})
            elif state.paper_values and not attached and state.outcome in ("failed", "error"):
                notes.append(f"{nodeid}: {state.outcome} without attaching a result")
        ids: dict[str, str] = {}
        for result in results:
            if result.id in ids:
                notes.append(f"result id {result.id!r} attached by both {ids[result.id]} and {result.test}")
            ids[result.id] = result.test or ""
        data_dir = self.config.getoption("--data-dir", default=None) or _data_dir_from_env()
        if not results and exit_status == pytest.ExitCode.NO_TESTS_COLLECTED:
            notes.append("pytest collected no tests: no published number was checked")
        run = run_facts(exit_status=exit_status, data_dir=str(data_dir) if data_dir else None,
                        cwd=self.config.rootpath)
        run["pytest_args"] = [str(arg) for arg in self.config.invocation_params.args]  # tells a partial run (-k)
        report = Report(results=results, determinism=determinism, skipped_tests=skipped_tests, notes=notes, run=run,
                        your_run=your_run)
        if citations:  # attached by the citation tests (richer: value in the group's unit, audit fields)
            report.citations = sorted(citations, key=lambda g: (str(g.get("model")), str(g.get("dataset")),
                                                                str(g.get("split")), str(g.get("metric"))))
        elif results:
            report.citations = citation_groups(report.notes)
        return report

    # -------------------------------------------------------------- writing
    def report_dir(self) -> Path:
        value = (self.config.getoption("--report-dir", default=None) or os.environ.get("AUDIOREPRO_REPORT_DIR")
                 or "reports")
        return Path(value).expanduser()

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        report = self.build_report(int(exitstatus))
        touched = any(state.paper_values for state in self.tests.values())
        if report.is_empty() and not touched and (int(exitstatus) in _COMPLETED_STATUSES
                                                  or not _meant_to_report(self.config)):
            return  # e.g. `pytest tests/unit`: not a report run
        from evaluators.report.writer import HTML_NAME, write_report  # matplotlib only when there is a report

        out_dir = self.report_dir()
        try:
            report, append_history = combine_with_previous(report, out_dir)
            self.written = write_report(report, out_dir, append_history=append_history)
        except (OSError, AudioreproError) as error:
            self._fail(session, f"audiorepro report NOT written to {out_dir}: {error}")
            return
        except Exception as error:  # noqa: BLE001  (a report bug must not turn the test run into an internal error)
            self._fail(session, f"audiorepro report NOT written to {out_dir}: {type(error).__name__}: {error}")
            return
        counts = report.counts()
        self.summary = (f"audiorepro report: {out_dir / HTML_NAME} — {counts['reproduces']} reproduce, "
                        f"{counts['differs']} differ, {counts['no_predictions']} without predictions, "
                        f"{counts['unavailable']} unavailable, {counts['error']} errors; "
                        f"{counts['changed']} changed vs golden expectation")
        if report.determinism:
            self.summary += f"; {len(report.determinism)} determinism records"
        if report.your_run:
            self.summary += f"; your {report.your_run_summary()}"
        if report.data_warning():
            self.summary += f"\naudiorepro report: {report.data_warning()}"

    def _fail(self, session: pytest.Session, message: str) -> None:
        """A run whose report could not be written has not done its job: it must not exit 0."""
        self.failure = message
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.summary:
            terminalreporter.write_line(self.summary)
        if self.failure:
            terminalreporter.write_line(self.failure, red=True)


def combine_with_previous(report: Report, out_dir: Path) -> tuple[Report, bool]:
    """The report to write and whether it adds a history line; the Determinism section is the determinism run's.

    * determinism records only (no paper_values test ran): the previous report's results, skips,
      citations and run facts stay, its Determinism section is replaced, no history line;
    * paper_values results and no determinism records: the previous Determinism section stays
      (with the facts of the run that produced it);
    * both, or no previous report: this run alone.
    """
    import json

    from evaluators.report.writer import RESULTS_NAME

    determinism_only = bool(report.determinism) and not report.results and not report.skipped_tests
    path = Path(out_dir) / RESULTS_NAME
    if not path.is_file() or (report.determinism and not determinism_only):
        return report, not determinism_only
    try:
        previous = Report.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, KeyError) as error:
        raise AudioreproError(f"{path}: the existing report could not be read ({error}); "
                              "it was left alone rather than replaced by a determinism-only report") from None
    if determinism_only:
        facts = {"generated_at": report.generated_at, **{k: v for k, v in report.run.items() if k != "determinism_run"}}
        previous.determinism = report.determinism
        previous.run = {**previous.run, "determinism_run": facts}
        previous.notes = previous.notes + [note for note in report.notes if note not in previous.notes]
        return previous, False
    if previous.determinism and not report.determinism:
        report.determinism = previous.determinism
        report.run = {**report.run, "determinism_run": previous.run.get("determinism_run")
                      or {"generated_at": previous.generated_at, **previous.run}}
    return report, True


def citation_groups(notes: list[str]) -> list[dict[str, Any]] | None:
    """``evaluators.golden.comparison_groups`` over every golden entry, or None when the registry lacks it."""
    try:
        from evaluators import golden
    except ImportError:
        return None
    group_entries = getattr(golden, "comparison_groups", None)
    load = next((getattr(golden, name) for name in ("load_all", "load_golden", "load_entries")
                 if callable(getattr(golden, name, None))), None)
    if group_entries is None or load is None:
        return None
    try:
        if "min_papers" in inspect.signature(group_entries).parameters:
            return sanitize(list(group_entries(load(), min_papers=2)))  # only where papers can disagree
        return sanitize(list(group_entries(load())))
    except Exception as error:  # noqa: BLE001  (a broken registry must not lose the report)
        notes.append(f"citation view omitted: evaluators.golden failed: {type(error).__name__}: {error}")
        return None


def _meant_to_report(config: pytest.Config) -> bool:
    """Whether a run that ended early (no result) was a report run: ``-m paper_values``, a paper_values
    path, or no test paths at all (``make test``/``make report``). ``pytest tests/unit -x`` is not."""
    if "paper_values" in (config.getoption("markexpr", default="") or ""):
        return True
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        return True
    return any("paper_values" in str(arg) for arg in config.args)


def _data_dir_from_env() -> str | None:
    """Where the data came from when no --data-dir was given (AUDIOREPRO_DATA or the fetch cache)."""
    try:
        from evaluators.sources import data_dir_from_env
    except ImportError:
        return None
    try:
        found = data_dir_from_env()
    except AudioreproError:  # a missing $AUDIOREPRO_DATA: the data tests already fail on it
        return None
    return str(found) if found else None


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def pytest_configure(config: pytest.Config) -> None:
    if not _is_xdist_worker(config) and not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(ReportCollector(config), PLUGIN_NAME)
