"""``audiorepro data verify|pack``: check the data directory; rebuild the shipped (permissively licensed) copies.

``verify``: every manifest file's size and sha256 in the data directory (``--data-dir``, else
``$AUDIOREPRO_DATA``, else the download cache). Exit status 0 when every checked file is present and intact,
1 otherwise (each problem is listed).

``pack`` (maintainers): rewrite ``evaluators/data/shipped/`` from a data directory — the xz-compressed copy
of every manifest file whose licence is Apache-2.0 or CC BY (``sources.redistributable``), nothing else.
"""

from __future__ import annotations

import argparse

from evaluators import sources


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("data", help="inspect the public prediction data directory", description=__doc__)
    actions = parser.add_subparsers(dest="data_command", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="check each manifest file's sha256 in the data directory")
    verify.add_argument("files", nargs="*", metavar="FILE", help="only these manifest paths (default: all)")
    verify.add_argument("--data-dir", default=None,
                        help=f"data directory (default: ${sources.DATA_ENV}, then the cache)")
    verify.set_defaults(func=run_verify)
    pack = actions.add_parser("pack", help="rebuild evaluators/data/shipped/ from a data directory (maintainers)")
    pack.add_argument("--data-dir", required=True, help="a data directory holding every redistributable file")
    pack.set_defaults(func=run_pack)


def run_verify(args: argparse.Namespace) -> int:
    data_dir = sources.locate_data_dir(args.data_dir)
    if data_dir is None:
        raise sources.MissingDataError(
            f"no data directory: pass --data-dir, set ${sources.DATA_ENV}, or run `audiorepro fetch`")
    results = sources.verify(data_dir, args.files or None)
    bad = [result for result in results if result.status != "ok"]
    for result in bad:
        print(f"{result.status:>8}  {result.entry.file}  ({result.entry.origin}) {result.detail}")
    print(f"{len(results) - len(bad)} of {len(results)} files ok in {data_dir}")
    return 1 if bad else 0


def run_pack(args: argparse.Namespace) -> int:
    data_dir = sources.locate_data_dir(args.data_dir)
    packed = sources.pack_shipped(data_dir)
    size = sum((sources.SHIPPED_DIR / (entry.file + sources.SHIPPED_SUFFIX)).stat().st_size for entry in packed)
    print(f"{len(packed)} redistributable files packed into {sources.SHIPPED_DIR} ({size / 1e6:.1f} MB compressed)")
    return 0
