"""``audiorepro fetch``: download the public prediction files named by the manifest into the user cache.

Each file comes from the raw file of the exact repository commit in ``evaluators/data/manifest.yaml``,
is checked against its sha256 and only then renamed into place. Files already present and intact are
skipped. Offline, it stops with a message naming the file, its origin and what to do instead.
"""

from __future__ import annotations

import argparse
import json

from evaluators import sources


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("fetch", help="download public prediction files (by the manifest) into the cache",
                                   description=__doc__)
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help="manifest paths to fetch (default: every file); see --list")
    parser.add_argument("--cache-dir", default=None,
                        help=f"where files go (default: ${sources.CACHE_ENV} or "
                             "~/.cache/audiorepro/public-predictions)")
    parser.add_argument("--list", action="store_true", help="list the manifest (file, bytes, origin, licence) and exit")
    parser.add_argument("--json", action="store_true", help="with --list: print JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.list:
        entries = sources.manifest() if not args.files else [sources.manifest_entry(f) for f in args.files]
        if args.json:
            print(json.dumps([entry.as_dict() | {"url": entry.url} for entry in entries], indent=2))
            return 0
        for entry in entries:
            print(f"{entry.file}\t{entry.bytes}\t{entry.origin}\t{entry.license}")
        print(f"\n{len(entries)} files")
        return 0
    cache_dir = args.cache_dir if args.cache_dir is not None else sources.default_cache_dir()
    results = sources.fetch(args.files or None, cache_dir)
    downloaded = sum(result.status == "downloaded" for result in results)
    for result in results:
        print(f"{result.status:>10}  {result.path}")
    print(f"{downloaded} downloaded, {len(results) - downloaded} already present in {cache_dir}")
    return 0
