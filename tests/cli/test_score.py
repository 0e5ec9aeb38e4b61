"""``audiorepro score``: one protocol, text or JSON, per-item details, unknown ids and unavailable protocols."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluators.cli import main
from evaluators.commands.score import EXIT_UNAVAILABLE
from evaluators.protocols import registry
from evaluators.protocols.asr import fairseq_protocol
from evaluators.text.evaltok import EvaluationTokenizer

SMALL = "asr/audiobench_raw_small.json"


def test_json_value_and_items(fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(fixtures_dir / SMALL), "--protocol", "ASR-AB", "--json", "--items"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["value"] == pytest.approx(4 / 18)
    assert record["n"] == 4 and record["available"] is True and record["reason"] is None
    assert [item["hypothesis"] for item in record["items"]][-1] == "empty"
    assert record["items"][1]["references"] == ["i saw five cats"]


def test_text_output(fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(fixtures_dir / SMALL), "--protocol", "asr-fairseq"]) == 0
    out = capsys.readouterr().out
    assert "1.055556" in out and "4 kept of 4" in out and "proto:ASR-FAIRSEQ|" in out


def test_unknown_protocol_suggests_close_ids(fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(fixtures_dir / SMALL), "--protocol", "ASR-ABB"]) == 2
    assert "ASR-AB" in capsys.readouterr().err


def test_unavailable_protocol_is_reported_with_its_reason(fixtures_dir: Path, capsys: pytest.CaptureFixture[str],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    protocol = fairseq_protocol("ASR-FAIRSEQ-TEST-OFFLINE", EvaluationTokenizer("none"))
    object.__setattr__(protocol, "unavailable", "needs a download")
    monkeypatch.setitem(registry._REGISTRY, protocol.id, protocol)
    assert main(["score", str(fixtures_dir / SMALL), "--protocol", protocol.id, "--json"]) == EXIT_UNAVAILABLE
    record = json.loads(capsys.readouterr().out)
    assert record["available"] is False and record["reason"] == "needs a download" and record["value"] is None
