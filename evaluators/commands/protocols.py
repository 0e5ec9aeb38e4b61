"""``audiorepro protocols``: list every registered protocol with the public code it reproduces."""

from __future__ import annotations

import argparse
import json

from evaluators.protocols import all_protocols, get_protocol


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("protocols", help="list protocols with their sources",
                                   description=__doc__)
    parser.add_argument("protocol", nargs="?", help="show one protocol in full (steps, parameters, signature)")
    parser.add_argument("--family", help="only this task family (asr, st, ...)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.protocol:
        protocol = get_protocol(args.protocol)
        info = protocol.describe() | {"signature": protocol.signature()}
        if args.json:
            print(json.dumps(info, indent=2, ensure_ascii=False))
        else:
            for key, value in info.items():
                print(f"{key:>18}: {value}")
        return 0
    protocols = all_protocols(args.family)
    if args.json:
        print(json.dumps([p.describe() for p in protocols], indent=2, ensure_ascii=False))
        return 0
    width = max((len(p.id) for p in protocols), default=10)
    for p in protocols:
        status = "" if p.unavailable is None else "  [unavailable offline]"
        print(f"{p.id:<{width}}  {p.family:<9} {p.sources[0]}{status}")
    print(f"\n{len(protocols)} protocols")
    return 0
