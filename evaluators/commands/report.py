"""``audiorepro report [results.json ...]``: re-render the reproduction report from saved results.

Several files are merged (later files win for the same golden id). The rendering goes to ``--out``
(default: the directory of the first file); ``history.jsonl`` there is read for the trend plot but
not extended (a re-render is not a run). ``--check`` turns the command into the nightly gate:

* exit 0: every measured number has the status its golden entry expects;
* exit 1: a number changed status against its golden expectation (listed);
* exit 2: the results file is missing or invalid (the run did not produce a report);
* exit 3: no status change, but results with status ``error``, tests that failed without a result,
  or no published number measured at all (no data, nothing collected): a gate never passes on nothing;
* exit 4: no status change, but the pytest run did not complete (interrupted, internal or usage error:
  pytest exit status 2, 3 or 4), so the results are partial.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evaluators.atomic import check_writable
from evaluators.report.formatting import fmt_delta, fmt_number, status_label
from evaluators.report.model import CHECKED_STATUSES, Report, merge_reports
from evaluators.report.schema import load_results
from evaluators.report.writer import HTML_NAME, MARKDOWN_NAME, write_report

EXIT_OK, EXIT_CHANGED, EXIT_ERRORS, EXIT_INCOMPLETE = 0, 1, 3, 4
#: pytest exit statuses of a run that did not finish (interrupted, internal error, usage error)
INCOMPLETE_PYTEST_STATUSES = (2, 3, 4)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="re-render the report from results.json (and check it)",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="*", type=Path, default=[Path("reports/results.json")],
                        help="results.json file(s) or report directories (default: reports/results.json)")
    parser.add_argument("--out", type=Path, help="output directory (default: the first file's directory)")
    parser.add_argument("--check", action="store_true",
                        help="only check: exit 1 when a number changed status against its golden expectation")
    parser.set_defaults(func=run)


def results_path(path: Path) -> Path:
    """A report directory stands for its ``results.json``."""
    return path / "results.json" if path.is_dir() else path


def run(args: argparse.Namespace) -> int:
    args.results = [results_path(path) for path in args.results]
    report = merge_reports(load_results(path) for path in args.results)
    if args.check:
        return check(report)
    out_dir = args.out or args.results[0].parent
    check_writable(out_dir, folder=True)
    write_report(report, out_dir, append_history=False)
    counts = report.counts()
    print(f"wrote {out_dir / HTML_NAME} and {out_dir / MARKDOWN_NAME}: {counts['reproduces']} reproduce, "
          f"{counts['differs']} differ, {counts['changed']} changed vs golden expectation")
    return 0


def check(report: Report) -> int:
    """The nightly gate: distinct exit codes for status changes and for errors."""
    counts = report.counts()
    changes = report.expectation_changes()
    print(f"{counts['total']} published numbers: {counts['reproduces']} reproduce, {counts['differs']} differ, "
          f"{counts['no_predictions']} without predictions, {counts['unavailable']} unavailable, "
          f"{counts['error']} errors")
    if changes:
        print(f"\n{len(changes)} changed status against the golden expectation:", file=sys.stderr)
        for r in changes:
            print(f"  {r.id}: expected {status_label(r.expected_status)}, now {status_label(r.status)} "
                  f"(published {fmt_number(r.published)}, reproduced {fmt_number(r.value)}, Δ {fmt_delta(r.delta)})"
                  + (f": {r.reason}" if r.reason else ""), file=sys.stderr)
        return EXIT_CHANGED
    exit_status = report.run.get("pytest_exit_status")
    if exit_status in INCOMPLETE_PYTEST_STATUSES:
        print(f"\nthe pytest run did not complete (exit status {exit_status}): the results are partial",
              file=sys.stderr)
        return EXIT_INCOMPLETE
    errors = [r for r in report.results if r.status == "error"]
    broken = [note for note in report.notes if "without attaching a result" in note]
    if not errors and not broken and not any(r.status in CHECKED_STATUSES for r in report.results):
        print("\nno published number was measured (" + (report.data_warning() or "no result was recorded")
              + "): the gate does not pass on no data", file=sys.stderr)
        return EXIT_ERRORS
    if errors or broken:
        print(f"\nno status change, but {len(errors)} results are errors and {len(broken)} tests failed "
              "without a result:", file=sys.stderr)
        for r in errors:
            print(f"  {r.id}: {r.reason}", file=sys.stderr)
        for note in broken:
            print(f"  {note}", file=sys.stderr)
        return EXIT_ERRORS
    print("no status changed against the golden expectations")
    return EXIT_OK
