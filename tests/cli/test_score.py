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


def test_items_show_edits_alignment_and_raw_text_of_skipped_items(fixtures_dir: Path, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = fixtures_dir / "predictions" / "text" / "hyp.txt"
    assert main(["score", str(path), "--protocol", "ASR-AB", "--json", "--items"]) == 0
    items = {item["id"]: item for item in json.loads(capsys.readouterr().out)["items"]}
    second = items["2"]["analysis"]
    assert (second["substitutions"], second["deletions"], second["insertions"]) == (0, 1, 0)
    assert second["ref"] == "hello THERE world" and second["hyp"] == "hello ***   world"
    mixed = tmp_path / "eos.jsonl"
    mixed.write_text(json.dumps({"id": "a", "prediction": "hello world</s>", "reference": "hello world"}) + "\n"
                     + json.dumps({"id": "b", "prediction": "hello there", "reference": "hello there world"}) + "\n",
                     encoding="utf-8")
    assert main(["score", str(mixed), "--protocol", "ASR-JW-STRICT", "--items"]) == 0
    out = capsys.readouterr().out
    assert "[b] skipped: no_eos\n    raw hyp: hello there\n    raw ref: hello there world" in out
    assert "hyp: None" not in out


def test_items_show_bleu_lengths_and_brevity_penalty(fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = fixtures_dir / "predictions" / "qwen2-audio" / "covost2_en_ja_test.json"
    assert main(["score", str(path), "--protocol", "ST-QWEN", "--items"]) == 0
    assert "hyp_len=5 ref_len=5 ratio=1.000 BP=1.0000" in capsys.readouterr().out
