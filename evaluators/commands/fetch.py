"""``audiorepro fetch``: download the public prediction files named by the manifest into the user cache.

Each file comes from the raw file of the exact repository commit in ``evaluators/data/manifest.yaml``,
is checked against its sha256 and only then renamed into place. Files already present and intact are
skipped. Offline, it stops with a message naming the file, its origin and what to do instead.

``--missing`` downloads only what this machine lacks (not in the data directory, the cache or the shipped,
permissively licensed sets); ``--offline-ok`` turns "no network" into one line and exit 0, so ``make report``
can try to complete the data and still measure, offline, what ships with the package.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter

from evaluators import sources
from evaluators.atomic import check_writable
from evaluators.progress import progress


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
    parser.add_argument("--missing", action="store_true",
                        help="only files not on this machine (data directory, cache, shipped sets)")
    parser.add_argument("--data-dir", default=None,
                        help=f"with --missing: the data directory to look in first (default: ${sources.DATA_ENV})")
    parser.add_argument("--offline-ok", action="store_true",
                        help="without network, say so in one line and exit 0 instead of failing")
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
    check_writable(cache_dir, folder=True)  # before any download
    data_dir = sources.locate_data_dir(args.data_dir) if args.missing else None
    try:
        results = sources.fetch(args.files or None, cache_dir, missing_only=args.missing, data_dir=data_dir,
                                wrap=lambda entries: progress(entries, desc="fetch", unit="file"))
    except sources.FetchError as error:
        if not args.offline_ok:
            raise
        wanted = [sources.manifest_entry(f) for f in args.files] if args.files else sources.manifest()
        lacking = [e for e in wanted if not sources.available(data_dir, e.file)]
        print(f"audiorepro fetch: no download possible ({error.reason}); {len(lacking)} of {len(wanted)} public files "
              f"are not on this machine, so the numbers they back are reported as not measured. "
              f"With network, run `audiorepro fetch`.")
        return 0
    counts = Counter(result.status for result in results)
    if not args.missing:
        for result in results:
            print(f"{result.status:>10}  {result.path}")
    print(f"{counts['downloaded']} downloaded into {cache_dir}, {counts['present']} already there"
          + (f", {counts['available']} already on this machine (data directory or shipped)" if args.missing else ""))
    return 0
