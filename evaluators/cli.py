"""The ``audiorepro`` command line.

Each sub-command lives in its own module of ``evaluators.commands`` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` (called with the parsed
arguments, returning an exit code). Adding a module adds a command.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from evaluators import __version__
from evaluators.errors import AudioreproError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="audiorepro",
        description="Recompute published audio-LLM numbers from real predictions under named protocols.")
    parser.add_argument("--version", action="version", version=f"audiorepro {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    import evaluators.commands as commands

    for module in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not module.name.startswith("_"):
            importlib.import_module(f"{commands.__name__}.{module.name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except AudioreproError as error:
        print(f"audiorepro: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `audiorepro protocols | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
