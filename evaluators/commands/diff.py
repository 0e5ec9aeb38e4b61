"""``audiorepro diff old.json new.json``: list the published numbers whose status changed between two runs.

Also lists numbers added or removed and values that moved without changing status. Exit status 1
when any status changed (for the nightly job), 0 otherwise, 2 when a file is missing or invalid.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from evaluators.commands._arguments import non_negative_float
from evaluators.commands.report import results_path
from evaluators.report.diff import diff_reports, render_diff
from evaluators.report.schema import load_results


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("diff", help="what changed status between two results.json files",
                                   description=__doc__)
    parser.add_argument("old", type=Path, help="the earlier results.json (or its report directory)")
    parser.add_argument("new", type=Path, help="the later results.json (or its report directory)")
    parser.add_argument("--json", action="store_true", help="print the differences as JSON")
    parser.add_argument("--value-tolerance", type=non_negative_float, default=1e-9,
                        help="ignore value changes up to this size (default 1e-9)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    old, new = (results_path(path) for path in (args.old, args.new))
    diff = diff_reports(load_results(old), load_results(new), value_tolerance=args.value_tolerance)
    if args.json:
        print(json.dumps(diff.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(render_diff(diff, str(old), str(new)), end="")
    return 1 if diff.has_status_changes else 0
