"""``audiorepro compare``: paired comparisons on the same items.

* ``audiorepro compare A B --protocol P``: two runs on the same items under one protocol — Δ = A − B with a
  paired-bootstrap 95 % interval and a two-sided p-value (the same resampled items on both sides, like
  sacreBLEU's paired bootstrap). Is B really better than A, or is the gap noise?
* ``audiorepro compare A --protocols P1 P2``: one run under two protocols — Δ = P1 − P2 with its interval
  and p-value, and the items whose value changes between the two protocols, largest |Δ| first (``--top N``).

Values are in the protocol's unit (error rates and accuracies as fractions, BLEU 0–100). ``--json`` prints
one object. Items are matched by id; two runs must hold the same ids.
"""

from __future__ import annotations

import argparse
import json
import math

from evaluators.commands._scoring import reference_option
from evaluators.errors import AudioreproError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("compare", help="paired bootstrap: two runs under one protocol, or one run "
                                   "under two protocols", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", metavar="FILE", help="one run (with --protocols) or two (with --protocol)")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--protocol", help="compare two runs under this protocol")
    which.add_argument("--protocols", nargs=2, metavar=("P1", "P2"), help="compare two protocols on one run")
    parser.add_argument("--format", dest="fmt", default=None, help="prediction format of the files (default: detect)")
    parser.add_argument("--references", metavar="FILE", help="reference file of plain-text or Kaldi runs")
    parser.add_argument("--top", type=int, default=10, help="items with the largest |Δ| to list (default 10)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def _value(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):
        return "n/a"
    return f"{value:.6f}" if unit == "fraction" else f"{value:.2f}"


def _short(text: str | None, limit: int = 200) -> str:
    if text is None:
        return "(skipped)"
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


def run(args: argparse.Namespace) -> int:
    from evaluators.comparison import compare_protocols, compare_runs
    from evaluators.predictions import load_predictions
    from evaluators.protocols import get_protocol

    if args.protocol and len(args.files) != 2:
        raise AudioreproError(f"--protocol compares two runs: give two files, got {len(args.files)}")
    if args.protocols and len(args.files) != 1:
        raise AudioreproError(f"--protocols compares two protocols on one run: give one file, got {len(args.files)}")
    if args.top < 0:
        raise AudioreproError(f"--top must be 0 or more, got {args.top}")
    protocols = [get_protocol(pid) for pid in ([args.protocol] if args.protocol else args.protocols)]
    for protocol in protocols:
        if protocol.unavailable:
            raise AudioreproError(f"{protocol.id} is unavailable: {protocol.unavailable}")
    sets = [load_predictions(path, args.fmt, **reference_option(args)) for path in args.files]
    if args.protocol:
        comparison = compare_runs(sets[0], sets[1], protocols[0])
    else:
        comparison = compare_protocols(sets[0], protocols[0], protocols[1])
    if args.json:
        print(json.dumps(comparison.as_dict(args.top), indent=2, ensure_ascii=False))
        return 0
    data = comparison.as_dict(args.top)
    unit = comparison.unit
    for side in ("a", "b"):
        info = data[side]
        print(f"{side.upper()}: {info['label']} under {info['protocol']} = {_value(info['value'], unit)} "
              f"(n={info['n']}, skipped {sum(info['skipped'].values())})")
    interval = data["interval"]
    interval_text = f"[{_value(interval[0], unit)}, {_value(interval[1], unit)}]" if interval else "n/a"
    print(f"Δ = A − B = {_value(data['delta'], unit)} {unit}, 95% interval {interval_text} "
          f"({data['interval_method']}), p = {data['p_value']:.4g}, {data['items']} paired items")
    print(f"{data['items_changed']} item(s) change" + (f"; top {len(data['top_changes'])} by |Δ|:"
                                                       if data["top_changes"] else ""))
    for change in data["top_changes"]:
        delta = _value(change["delta"], unit) if change["delta"] is not None else "skipped on one side"
        side_a = change["skipped_a"] or _value(change["a"], unit)
        side_b = change["skipped_b"] or _value(change["b"], unit)
        print(f"[{change['id']}] Δ {delta}  (A {side_a}, B {side_b})")
        print(f"    A: {_short(change['hypothesis_a'])}\n    B: {_short(change['hypothesis_b'])}\n"
              f"    ref: {_short(' | '.join(change['references']))}")
    return 0
