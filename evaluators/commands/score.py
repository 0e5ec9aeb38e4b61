"""``audiorepro score FILE --protocol ID``: score one prediction file under one named protocol.

Prints the value (error rates and accuracies as fractions), the items kept, the items skipped by
reason, the 95 % interval, per-group values where the protocol groups items (e.g. Qwen's per
``source`` WER) and the signature. ``--json`` prints the same as one JSON object; ``--items`` adds
every item's processed hypothesis/references, statistics and value; for error rates the substitutions,
deletions and insertions with the word (or character) alignment, for BLEU the item's lengths, length ratio
and brevity penalty; for a skipped item its reason and its raw prediction and references. An unavailable protocol
is reported with its reason and exit status 3. For translation, ``--pair en-ja`` names the language pair
when the items carry no ``source`` metadata (a protocol that reads the target language from ``source``
then runs with that language fixed, named in its signature); a protocol built for another pair is an error.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from evaluators.commands._scoring import (
    format_interval,
    format_skipped,
    format_value,
    reference_option,
    score_or_unavailable,
    score_record,
)
from evaluators.errors import AudioreproError
from evaluators.predictions import FORMATS, load_predictions
from evaluators.protocols import get_protocol

EXIT_UNAVAILABLE = 3


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("score", help="score a prediction file under one protocol", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="prediction file")
    parser.add_argument("--protocol", required=True, help="protocol id, e.g. ASR-AB (`audiorepro protocols`)")
    parser.add_argument("--format", dest="fmt", default=None, help=f"prediction format (default: detect); "
                        f"known: {', '.join(sorted(FORMATS))}")
    parser.add_argument("--references", metavar="FILE", help="reference file of a plain-text or Kaldi run "
                        "(default: ref.txt next to hyp.txt)")
    parser.add_argument("--pair", metavar="SRC-TGT", help="language pair of a translation file, e.g. en-ja "
                        "(default: from the items' source or target_language metadata)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument("--items", action="store_true", help="include per-item details")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    protocol = get_protocol(args.protocol)
    pair = _parse_pair(args.pair) if args.pair else None
    predictions = load_predictions(args.file, args.fmt, **reference_option(args))
    if protocol.family == "st":
        from evaluators.language_pair import protocol_filter

        selection = protocol_filter(predictions, pair)
        reason = selection.applicable(protocol)
        if reason and pair is not None:
            raise AudioreproError(f"{args.file}: {protocol.id} does not apply to this file: {reason}")
        protocol = selection.adapt(protocol)
    score = score_or_unavailable(protocol, predictions, details=args.items, strict=True)
    if args.json:
        record = score_record(score, items=args.items)
        if args.items:
            record["items"] = [item_record(detail, protocol, raw) for detail, raw in _with_raw(score, predictions)]
        print(json.dumps(record, indent=2, ensure_ascii=False))
        return 0 if score.available else EXIT_UNAVAILABLE
    print(f"{'protocol':>10}: {score.protocol}  ({protocol.title})")
    if not score.available:
        print(f"{'value':>10}: unavailable — {score.unavailable_reason}")
        return EXIT_UNAVAILABLE
    print(f"{'value':>10}: {format_value(score)} ({score.unit}, {score.aggregation}, {score.direction} is better)")
    print(f"{'n':>10}: {score.n} kept of {len(predictions)}")
    print(f"{'skipped':>10}: {format_skipped(score.skipped)}")
    print(f"{'interval':>10}: {format_interval(score)}")
    for name, group in score.groups.items():
        print(f"{'group':>10}: {name or '(none)'} = {format_value(group)} (n={group.n})")
    print(f"{'signature':>10}: {score.signature}")
    if args.items:
        for detail, raw in _with_raw(score, predictions):
            print_item(item_record(detail, protocol, raw))
    return 0


def _parse_pair(text: str) -> Any:
    """``--pair`` (imports the language-pair module only when a pair is given or a translation protocol runs)."""
    from evaluators.language_pair import parse_pair

    return parse_pair(text)


def _with_raw(score: Any, predictions: Any) -> list[tuple[Any, Any]]:
    raw = {item.id: item for item in predictions}
    return [(detail, raw.get(detail.id)) for detail in score.items]


def item_record(detail: Any, protocol: Any, raw: Any) -> dict[str, Any]:
    """One item for ``--items``: processed texts, statistics, value, skip reason, the raw texts of a skipped item
    (it never reached the metric) and the analysis (S/D/I and alignment, or BLEU lengths and brevity penalty)."""
    from evaluators.item_analysis import analyse

    record = detail.as_dict()
    if detail.skipped is not None and raw is not None:
        record["raw_prediction"] = raw.prediction
        record["raw_references"] = list(raw.references)
    elif detail.hypothesis is not None:
        record["analysis"] = analyse(protocol.metric, detail.hypothesis, detail.references, detail.stats)
    return record


def print_item(record: dict[str, Any]) -> None:
    if record["skipped"]:
        print(f"[{record['id']}] skipped: {record['skipped']}\n    raw hyp: {record.get('raw_prediction')}\n"
              f"    raw ref: {' | '.join(record.get('raw_references', []))}")
        return
    print(f"[{record['id']}] value={record['value']}\n    hyp: {record['hypothesis']}\n"
          f"    ref: {' | '.join(record['references'])}")
    analysis = record.get("analysis")
    if analysis and analysis["kind"] == "edits":
        print(f"    S={analysis['substitutions']} D={analysis['deletions']} I={analysis['insertions']} "
              f"H={analysis['hits']} ({analysis['token_unit']}s)")
        print(f"    REF: {analysis['ref']}\n    HYP: {analysis['hyp']}")
    elif analysis and analysis["kind"] == "bleu":
        ratio = analysis["length_ratio"]
        print(f"    hyp_len={analysis['hyp_len']} ref_len={analysis['ref_len']} "
              f"ratio={'n/a' if ratio is None else f'{ratio:.3f}'} BP={analysis['brevity_penalty']:.4f}")
