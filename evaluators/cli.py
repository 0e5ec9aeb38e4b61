"""The ``audiorepro`` command line.

Each sub-command lives in the module of the same name in ``evaluators.commands`` and exposes
``register(subparsers)``, which adds its parser and sets ``func`` (called with the parsed
arguments, returning an exit code). Adding a module adds a command.

Only the module of the command being run is imported (``audiorepro protocols`` never imports the
report's matplotlib or the judges' HTTP client); ``audiorepro --help``, no command or an unknown
one imports them all to list every command.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from evaluators import __version__
from evaluators.errors import AudioreproError

COMMANDS_PACKAGE = "evaluators.commands"


def command_names() -> list[str]:
    """Every command: the public ``*.py`` modules of the package (listing its directory imports nothing)."""
    import evaluators.commands as commands

    return sorted(name[:-3] for directory in commands.__path__ for name in os.listdir(directory)
                  if name.endswith(".py") and not name.startswith("_"))


def _requested_command(argv: Sequence[str], names: Sequence[str]) -> str | None:
    """The command named on the command line (the first argument that is not an option), if it exists."""
    for argument in argv:
        if not argument.startswith("-"):
            return argument if argument in names else None
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv`` naming a command, only that command's module is imported."""
    parser = argparse.ArgumentParser(
        prog="audiorepro",
        description="Recompute published audio-LLM numbers from real predictions under named protocols.")
    parser.add_argument("--version", action="version", version=f"audiorepro {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    names = command_names()
    requested = _requested_command(argv, names) if argv is not None else None
    for name in [requested] if requested else names:
        importlib.import_module(f"{COMMANDS_PACKAGE}.{name}").register(subparsers)
    return parser


#: exit status of a run stopped by Ctrl-C (128 + SIGINT), of an error in audiorepro itself
EXIT_INTERRUPTED, EXIT_INTERNAL = 130, 70
DEBUG_ENV = "AUDIOREPRO_DEBUG"


def describe_os_error(error: OSError) -> str:
    """``<file>: <what>`` for a failed file operation (the OS message, not a traceback)."""
    what = error.strerror or str(error)
    names = [str(name) for name in (error.filename, error.filename2) if name is not None]
    return f"{' -> '.join(names)}: {what}" if names else what


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. The error boundary: whatever goes wrong is one line on stderr, never a traceback.

    * ``AudioreproError`` (bad input, named file/item/field) and ``OSError`` (a file that cannot be read
      or written): ``audiorepro: error: ...``, exit 2;
    * Ctrl-C: ``audiorepro: interrupted``, exit 130 (work already committed, e.g. cached judge replies, stays);
    * anything else is a bug of audiorepro: one line naming it, exit 70; ``AUDIOREPRO_DEBUG=1`` re-raises it
      with its traceback.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # e.g. `audiorepro protocols | head`
        return 0
    except AudioreproError as error:
        _print_error(f"audiorepro: error: {error}")
        return 2
    except OSError as error:
        _print_error(f"audiorepro: error: {describe_os_error(error)}")
        return 2
    except KeyboardInterrupt:
        _print_error("audiorepro: interrupted")
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001  (the boundary: a bug is reported, not dumped)
        if os.environ.get(DEBUG_ENV):
            raise
        _print_error(f"audiorepro: internal error: {type(error).__name__}: {error} "
                     f"(a bug in audiorepro; {DEBUG_ENV}=1 shows the traceback)")
        return EXIT_INTERNAL


def _print_error(line: str) -> None:
    """One line on stderr, printable whatever the input held (lone surrogates, odd bytes)."""
    sys.stderr.write(line.encode("utf-8", "backslashreplace").decode("utf-8") + "\n")


if __name__ == "__main__":
    sys.exit(main())
