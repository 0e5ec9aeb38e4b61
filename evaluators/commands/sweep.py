"""``audiorepro sweep FILE --task asr``: score one prediction file under every protocol of a task family.

Loads FILE with the named ``--format`` (or detects it) and prints a side-by-side table: protocol,
value (error rates as fractions), items kept, items skipped by reason, 95 % interval and signature.
Protocols that cannot run here, or cannot read this file, are listed as unavailable with the reason
(one protocol never aborts the sweep). For translation (``--task st``) only protocols valid for the
file's language pair are scored — the pair comes from ``--pair en-ja``, else the items' ``source``
(``covost2_en_ja``) or ``target_language`` metadata — and the others are listed as not applicable.
``--json`` prints a JSON list with one object per protocol (``protocol, value, n, skipped, signature,
available, status, reason, interval`` ...). The spread of the values is the point: it shows how much of
a gap between two published numbers the choice of evaluation protocol alone can explain.
"""

from __future__ import annotations

import argparse
import json

from evaluators.commands._scoring import (
    format_interval,
    format_skipped,
    format_value,
    not_applicable,
    reference_option,
    score_or_unavailable,
    score_record,
)
from evaluators.errors import AudioreproError
from evaluators.predictions import FORMATS, load_predictions
from evaluators.progress import progress
from evaluators.protocols import all_protocols
from evaluators.protocols.registry import families


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sweep", help="score a prediction file under every protocol of a task family",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="prediction file")
    parser.add_argument("--task", required=True, help="task family: asr, cer, per, st, ... (`audiorepro protocols`)")
    parser.add_argument("--format", dest="fmt", default=None, help=f"prediction format (default: detect); "
                        f"known: {', '.join(sorted(FORMATS))}")
    parser.add_argument("--references", metavar="FILE", help="reference file of a plain-text or Kaldi run "
                        "(default: ref.txt next to hyp.txt)")
    parser.add_argument("--pair", metavar="SRC-TGT", help="language pair of a translation file, e.g. en-ja "
                        "(default: from the items' source or target_language metadata)")
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from evaluators.language_pair import parse_pair, protocol_filter

    protocols = all_protocols(args.task)
    if not protocols:
        raise AudioreproError(f"no protocols for task family {args.task!r}; known: {', '.join(families())}")
    pair = parse_pair(args.pair) if args.pair else None
    predictions = load_predictions(args.file, args.fmt, **reference_option(args))
    selection = protocol_filter(predictions, pair)
    scores = []
    for protocol in progress(protocols, desc=f"{args.task} protocols", unit="protocol"):
        reason = selection.applicable(protocol)
        if reason:
            scores.append(not_applicable(protocol, reason))
        else:
            scores.append(score_or_unavailable(selection.adapt(protocol), predictions))
    if not any(score.available and score.n for score in scores):
        raise AudioreproError(f"{args.file}: no {args.task} protocol kept any of its {len(predictions)} items "
                              "(or all are unavailable or not applicable here): there is no value to compare")
    if args.json:
        print(json.dumps([score_record(score) for score in scores], indent=2, ensure_ascii=False))
        return 0
    rows = [(score.protocol, format_value(score), str(score.n),
             format_skipped(score.skipped) if score.available else (score.unavailable_reason or ""),
             format_interval(score), score.signature) for score in scores]
    header = ("protocol", "value", "n", "skipped", "95% interval", "signature")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(5)]
    pair_text = f", language pair {selection.info.describe()}" if args.task == "st" else ""
    print(f"{predictions.name}: {len(predictions)} items, task {args.task}{pair_text}")
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row[:5], widths, strict=True)) + "  " + row[5])
    return 0
