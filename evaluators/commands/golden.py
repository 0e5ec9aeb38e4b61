"""``audiorepro golden``: validate golden paper-value files, or list their entries.

* ``audiorepro golden validate [PATH ...]`` checks files against ``golden/schema.json`` and the registry's
  rules (default: every file of ``golden/papers``): also finite tolerances, bounded metrics inside their
  unit's range, registered protocol ids and formats, no duplicate YAML keys or aliases, and at least one
  file. A bad file gives an error naming file, entry id and field and exit status 2.
* ``audiorepro golden list [--filter TEXT] [--status S] [--json]`` prints entries whose id, model, dataset or
  paper contains TEXT.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from evaluators.errors import GoldenFormatError
from evaluators.golden import PAPERS_DIR, check_references, golden_files, load_all


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("golden", help="validate or list golden paper values", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="golden_command", metavar="ACTION")
    validate = actions.add_parser("validate", help="check golden files against the schema")
    validate.add_argument("paths", nargs="*", type=Path, help=f"files or folders (default: {PAPERS_DIR})")
    validate.set_defaults(func=run_validate)
    listing = actions.add_parser("list", help="list golden entries")
    listing.add_argument("--filter", default="", help="only entries whose id/model/dataset/paper contains this")
    listing.add_argument("--status", choices=("reproduces", "differs", "unknown"), help="only this expected status")
    listing.add_argument("--with-predictions", action="store_true", help="only entries that name a prediction set")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=run_list)
    parser.set_defaults(func=lambda args: parser.print_help() or 2)


def _expand(paths: list[Path]) -> list[Path]:
    """Files of the given paths; a folder without golden files is an error (validating nothing is not "ok")."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = golden_files(path)
            if not found:
                raise GoldenFormatError(path, "no golden files (*.yaml) in this folder")
            files.extend(found)
        else:
            files.append(path)
    return files


def run_validate(args: argparse.Namespace) -> int:
    files = _expand(args.paths) if args.paths else None
    entries = load_all(files)
    check_references(entries)
    count = len(files) if files is not None else len(golden_files())
    print(f"ok: {len(entries)} entries in {count} files")
    return 0


def run_list(args: argparse.Namespace) -> int:
    needle = args.filter.lower()
    rows = [e for e in load_all()
            if (not needle or any(needle in str(v).lower() for v in (e.id, e.model, e.dataset, e.paper)))
            and (args.status is None or e.status == args.status)
            and (not args.with_predictions or e.predictions is not None)]
    if args.json:
        print(json.dumps([e.as_dict() for e in rows], indent=2, ensure_ascii=False))
        return 0
    width = max((len(e.id) for e in rows), default=10)
    for e in rows:
        print(f"{e.id:<{width}}  {e.printed:>20} {e.unit:<8} {e.status}")
    print(f"\n{len(rows)} entries")
    return 0
