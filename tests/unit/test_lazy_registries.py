"""Formats and commands registered by name: duplicate names refused, modules imported only when used."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from pathlib import Path

import pytest

from evaluators.cli import command_names
from evaluators.lazy import LazyFunction
from evaluators.predictions import FORMATS, Format, register_format
from evaluators.versions import library_version

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_register_format_refuses_a_duplicate_name() -> None:
    with pytest.raises(ValueError, match="registered twice"):
        register_format(Format("audiobench-raw", "another", lambda data: False, lambda path: None))
    assert FORMATS["audiobench-raw"].description.startswith("AudioBench raw log")


def test_register_format_accepts_the_same_object_again() -> None:
    assert register_format(FORMATS["mmau"]) is FORMATS["mmau"]


def test_lazy_function_imports_on_first_call() -> None:
    function = LazyFunction("evaluators.predictions.audiobench:looks_like_aggregate")
    assert function({"bleu": 33.9}) is True
    with pytest.raises(ValueError, match="module:attribute"):
        LazyFunction("no_colon")


@pytest.mark.parametrize("name", ["jiwer", "whisper-normalizer", "Whisper_Normalizer", "sacrebleu", "nltk",
                                  "rapidfuzz", "num2words", "numpy"])
def test_library_version_agrees_with_importlib_metadata(name: str) -> None:
    assert library_version(name) == importlib.metadata.version(name)


def test_library_version_of_a_missing_distribution() -> None:
    assert library_version("no-such-distribution-audiorepro") == "absent"


def test_every_command_module_registers_its_own_name() -> None:
    import argparse
    import importlib

    for name in command_names():
        subparsers = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"evaluators.commands.{name}").register(subparsers)
        assert list(subparsers.choices) == [name]


def test_running_a_command_imports_only_its_module() -> None:
    code = ("import sys, json, contextlib, io\n"
            "from evaluators.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    main(['protocols', 'ASR-AB'])\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('evaluators.commands.'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"}).stdout
    assert json.loads(out) == ["evaluators.commands.protocols"]


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from evaluators.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in command_names())
