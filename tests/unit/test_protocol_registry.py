"""The lazy protocol registry: its id -> module index is complete and exact, and a lookup imports one module."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from evaluators.protocols import all_protocols, get_protocol, registry

REPO_ROOT = Path(__file__).resolve().parents[2]


def _run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter (nothing imported yet) from the repository root."""
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True,
                            check=True, env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"})
    return result.stdout


def test_index_names_the_module_that_registers_each_protocol() -> None:
    registered = {protocol.id: registry.REGISTERED_BY[protocol.id].rsplit(".", 1)[-1]
                  for protocol in all_protocols()}
    missing = sorted(set(registered) - set(registry.PROTOCOL_MODULES))
    assert not missing, f"add these ids to PROTOCOL_INDEX in evaluators/protocols/registry.py: {missing}"
    stale = sorted(set(registry.PROTOCOL_MODULES) - set(registered))
    assert not stale, f"PROTOCOL_INDEX names ids no module registers: {stale}"
    wrong = {pid: (registry.PROTOCOL_MODULES[pid], module) for pid, module in registered.items()
             if registry.PROTOCOL_MODULES[pid] != module}
    assert not wrong, f"index module vs registering module: {wrong}"


def test_index_has_no_duplicate_ids() -> None:
    ids = [pid for ids in registry.PROTOCOL_INDEX.values() for pid in ids]
    assert len(ids) == len(set(ids))


def test_lookup_imports_only_the_indexed_module() -> None:
    out = _run_python(
        "import sys, json\n"
        "from evaluators.protocols import get_protocol\n"
        "protocol = get_protocol('asr-ab')\n"
        "print(json.dumps([protocol.id, sorted(m for m in sys.modules if m.startswith('evaluators.protocols.'))]))")
    protocol_id, modules = json.loads(out)
    assert protocol_id == "ASR-AB"
    assert modules == ["evaluators.protocols.asr", "evaluators.protocols.base", "evaluators.protocols.registry"]


HEAVY = ("matplotlib", "nltk", "sklearn", "scipy", "sqlite3", "http", "sacrebleu", "sacremoses", "rouge_score",
         "torch", "transformers", "evaluators.report", "evaluators.judges.cache", "evaluators.judges.backends")


def test_listing_every_protocol_imports_no_heavy_module() -> None:
    out = _run_python(
        "import sys, json, contextlib, io\n"
        "from evaluators.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['protocols'])\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({HEAVY!r}))))")
    assert json.loads(out) == []


def test_describing_one_protocol_does_not_import_numpy_or_its_normalisers() -> None:
    out = _run_python(
        "import sys, json, contextlib, io\n"
        "from evaluators.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['protocols', 'ASR-AB'])\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'numpy', 'whisper_normalizer', 'jiwer', 'rapidfuzz', 'importlib_metadata'})))")
    assert json.loads(out) == []


def test_unknown_id_still_lists_close_matches() -> None:
    from evaluators.errors import UnknownProtocolError

    with pytest.raises(UnknownProtocolError, match="ASR-AB"):
        get_protocol("ASR-ABB")
