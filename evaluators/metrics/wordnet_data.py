"""NLTK's WordNet corpus built from Debian's WordNet 3.0 packages, for METEOR offline.

NLTK METEOR (``nltk.translate.meteor_score``) needs the ``wordnet`` corpus, which NLTK normally
downloads at run time. No PyPI package ships it, but Debian's ``wordnet-base`` and
``wordnet-sense-index`` install the WordNet 3.0 database files (dependencies.md §4). This module
copies them — copies, not symlinks: NLTK 3.10's path check rejects links that leave the corpus
root — into ``$NLTK_DATA/corpora/wordnet/`` and writes the ``lexnames`` file NLTK also needs
(the 45 lexicographer files of WordNet 3.0, listed in the ``lexnames(5WN)`` manual page).

The copy is written to a temporary folder next to the target and renamed into place, so an
interrupted run never leaves a half-built corpus. Usage::

    python -m evaluators.metrics.wordnet_data            # into $NLTK_DATA (or .cache/nltk_data)
    python -m evaluators.metrics.wordnet_data --check    # exit 1 when the corpus is not usable
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

#: where Debian installs the database files of wordnet-base and wordnet-sense-index
DEBIAN_WORDNET_DIR = Path("/usr/share/wordnet")
#: files NLTK's WordNet reader opens (``lexnames`` is written by us)
REQUIRED_FILES = ("data.adj", "data.adv", "data.noun", "data.verb", "index.adj", "index.adv", "index.noun",
                  "index.verb", "adj.exc", "adv.exc", "noun.exc", "verb.exc", "index.sense")
#: optional files copied when present
OPTIONAL_FILES = ("cntlist.rev", "cntlist", "sentidx.vrb", "sents.vrb", "frames.vrb")
REPO_ROOT = Path(__file__).resolve().parents[2]

#: WordNet 3.0 lexicographer files: number, name, syntactic category (1 noun, 2 verb, 3 adj, 4 adv)
LEXNAMES: tuple[tuple[int, str, int], ...] = tuple(
    (number, name, {"adj": 3, "adv": 4, "noun": 1, "verb": 2}[name.split(".")[0]])
    for number, name in enumerate((
        "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact",
        "noun.attribute", "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling",
        "noun.food", "noun.group", "noun.location", "noun.motive", "noun.object", "noun.person",
        "noun.phenomenon", "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
        "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body", "verb.change",
        "verb.cognition", "verb.communication", "verb.competition", "verb.consumption", "verb.contact",
        "verb.creation", "verb.emotion", "verb.motion", "verb.perception", "verb.possession", "verb.social",
        "verb.stative", "verb.weather", "adj.ppl")))


class WordNetSetupError(RuntimeError):
    """The Debian WordNet files are missing (install ``wordnet-base wordnet-sense-index``)."""


def lexnames_text() -> str:
    """The ``lexnames`` file: ``NN<TAB>name<TAB>category`` per line."""
    return "".join(f"{number:02d}\t{name}\t{category}\n" for number, name, category in LEXNAMES)


def default_nltk_data() -> Path:
    """``$NLTK_DATA`` (first entry) when set, else the repository's ``.cache/nltk_data``."""
    value = os.environ.get("NLTK_DATA", "").split(os.pathsep)[0]
    return Path(value) if value else REPO_ROOT / ".cache" / "nltk_data"


def corpus_dir(nltk_data: Path | None = None) -> Path:
    return (nltk_data or default_nltk_data()) / "corpora" / "wordnet"


def is_installed(nltk_data: Path | None = None) -> bool:
    """True when every file NLTK needs is in ``<nltk_data>/corpora/wordnet``."""
    target = corpus_dir(nltk_data)
    return all((target / name).is_file() for name in (*REQUIRED_FILES, "lexnames"))


def install(nltk_data: Path | None = None, source: Path = DEBIAN_WORDNET_DIR, *, force: bool = False) -> Path:
    """Copy the Debian WordNet files into ``<nltk_data>/corpora/wordnet`` (atomically) and write lexnames."""
    target = corpus_dir(nltk_data)
    if is_installed(nltk_data) and not force:
        return target
    missing = [name for name in REQUIRED_FILES if not (source / name).is_file()]
    if missing:
        raise WordNetSetupError(
            f"WordNet files missing in {source}: {', '.join(missing)}; install the Debian packages "
            "`apt-get install --no-install-recommends wordnet-base wordnet-sense-index` (make system-deps)")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".wordnet-", dir=target.parent))
    try:
        for name in REQUIRED_FILES + OPTIONAL_FILES:
            if (source / name).is_file():
                shutil.copyfile(source / name, staging / name)
        (staging / "lexnames").write_text(lexnames_text(), encoding="ascii")
        if target.exists():
            old = target.with_name(f".wordnet-old-{os.getpid()}")
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            staging.rename(target)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not is_installed(nltk_data):   # another process may have finished the same install first
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def use_nltk_data(nltk_data: Path | None = None) -> Path:
    """Put ``nltk_data`` (default: :func:`default_nltk_data`) first on NLTK's search path."""
    import nltk

    path = nltk_data or default_nltk_data()
    if str(path) not in nltk.data.path:
        nltk.data.path.insert(0, str(path))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluators.metrics.wordnet_data", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nltk-data", type=Path, default=None, help="NLTK data folder (default: $NLTK_DATA)")
    parser.add_argument("--source", type=Path, default=DEBIAN_WORDNET_DIR, help="Debian WordNet folder")
    parser.add_argument("--force", action="store_true", help="rebuild even when already installed")
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when not installed")
    parser.add_argument("--if-available", action="store_true",
                        help="do nothing, silently, when the Debian WordNet files are not installed (what `make` runs: "
                             "the tests that need WordNet then skip with the reason)")
    args = parser.parse_args(argv)
    if args.if_available and not args.check and not (args.source / "data.noun").is_file():
        return 0
    if args.check:
        ok = is_installed(args.nltk_data)
        print(f"WordNet for NLTK {'present' if ok else 'MISSING'} in {corpus_dir(args.nltk_data)}")
        return 0 if ok else 1
    try:
        target = install(args.nltk_data, args.source, force=args.force)
    except WordNetSetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"WordNet for NLTK ready in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
