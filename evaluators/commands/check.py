"""``audiorepro check RUN``: which published numbers does your run reproduce, under which protocol?

RUN is a run manifest (YAML, docs/run-manifest.md) or a directory of result files whose names say
the dataset (AudioBench logs). For every golden entry of the run's model (``--against MODEL_KEY``:
another model's; ``--all-models``: every model's) on the same dataset, split and task, the predictions
are scored under every candidate protocol, each with its 95 % interval. Per entry it prints the
published value as printed, each protocol's value, interval, Δ, Δ in interval half-widths, n kept,
skipped items by reason, a status, and the verdict:

  reproduces   some protocol gives the published value within its printed rounding
  consistent   none does, but the value lies inside your run's interval under the entry's protocol
  differs      outside both
  unavailable  no protocol can run (the reason is named)

with the closest protocol and the entry's known reason. ``--json`` prints a list of objects (``entry``,
``published``, ``unit``, ``verdict``, ``closest_protocol``, ``results``: ``[{protocol, value, interval,
status}, ...]``; values in the entry's unit). Exit status: 0 when every verdict is reproduces or
consistent, 1 otherwise (something differs or cannot be checked), 2 on bad input.
"""

from __future__ import annotations

import argparse
import json
import math

from evaluators.checking import EntryVerdict, ProtocolRow


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("check", help="check your run against every matching published number",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("run", help="run manifest (.yaml) or directory of result files")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--against", metavar="MODEL_KEY", help="compare with another model's published numbers")
    target.add_argument("--all-models", action="store_true",
                        help="place the run among every model's published numbers for the same dataset and split")
    parser.add_argument("--model", metavar="MODEL_KEY", help="the run's model (overrides the manifest or folder name)")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    parser.set_defaults(func=run)


def _number(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "-"
    return f"{value:.4f}" if abs(value) < 1 else f"{value:.2f}"


def _interval(row: ProtocolRow) -> str:
    return f"[{_number(row.interval[0])}, {_number(row.interval[1])}]" if row.interval else "-"


def _print_verdict(verdict: EntryVerdict, show_model: bool) -> None:
    entry = verdict.entry
    closest = verdict.closest
    head = f"{entry.id}: published {entry.printed} {entry.unit}"
    if show_model:
        head += f" ({entry.model_key})"
    tail = f" → {verdict.verdict.upper()}"
    if closest is not None:
        tail += f", closest {closest.protocol} {_number(closest.value)} (Δ {closest.delta:+.4g}"
        units = closest.delta_in_intervals
        tail += f", {units:+.2f} half-intervals)" if units is not None else ")"
    print(head + tail)
    if verdict.known_reason:
        print(f"    known: {verdict.known_reason}")
    if verdict.reason:
        print(f"    why: {verdict.reason}")
    header = ("protocol", "value", "95% interval", "Δ", "Δ/½int", "n", "skipped", "status")
    rows = []
    for row in verdict.rows:
        skipped = ", ".join(f"{k}={v}" for k, v in row.skipped.items()) or "-"
        status = row.status + ("" if row.value is not None or not row.reason else f" ({row.reason})")
        rows.append((row.protocol + (" *" if row.primary else ""), _number(row.value), _interval(row),
                     f"{row.delta:+.4g}" if row.delta is not None else "-",
                     f"{row.delta_in_intervals:+.2f}" if row.delta_in_intervals is not None else "-",
                     str(row.n), skipped, status))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    for cells in [header, *rows]:
        print("    " + "  ".join(c.ljust(w) for c, w in zip(cells[:-1], widths, strict=True)) + "  " + cells[-1])
    for row in {id(row): row for row in (verdict.primary, closest) if row is not None and row.signature}.values():
        print(f"    signature ({row.protocol}): {row.signature}")


def run(args: argparse.Namespace) -> int:
    from evaluators.run_check import check_run
    from evaluators.run_manifest import load_run

    loaded = load_run(args.run, model=args.model)
    result = check_run(loaded, against=args.against, all_models=args.all_models)
    if args.json:
        print(json.dumps(result.as_list(), indent=2, ensure_ascii=False))
        return 0 if result.passed else 1
    print(f"run {loaded.name} ({loaded.model}) against {result.compared_with}; * = the entry's own protocol")
    for file in result.files:
        print(f"\n== {file.prediction.describe()}: {file.n_items} items, format {file.format}")
        for verdict in file.verdicts:
            _print_verdict(verdict, show_model=args.all_models or args.against is not None)
    for prediction in result.unmatched:
        print(f"\n== {prediction.describe()}: no published number of {result.compared_with} for this dataset/split")
    counts: dict[str, int] = {}
    for verdict in result.verdicts:
        counts[verdict.verdict] = counts.get(verdict.verdict, 0) + 1
    print("\n" + ", ".join(f"{count} {name}" for name, count in sorted(counts.items())))
    return 0 if result.passed else 1
