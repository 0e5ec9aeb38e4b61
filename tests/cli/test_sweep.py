"""``audiorepro sweep``: one row per protocol of the family, values as fractions, unavailable rows kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluators.cli import main
from evaluators.protocols import all_protocols

REQUIRED_KEYS = {"protocol", "value", "n", "skipped", "signature", "available", "reason", "interval"}


def sweep_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    assert main(["sweep", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_has_a_row_per_asr_protocol(fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = sweep_json(capsys, str(fixtures_dir / "asr" / "audiobench_raw_small.json"), "--task", "asr")
    assert [row["protocol"] for row in rows] == [p.id for p in all_protocols("asr")]
    for row in rows:
        assert REQUIRED_KEYS <= set(row)
        assert row["signature"].startswith(f"proto:{row['protocol']}|")
    by_id = {row["protocol"]: row for row in rows}
    assert by_id["ASR-AB"]["value"] == pytest.approx(4 / 18)
    assert by_id["ASR-AB"]["n"] == 4 and by_id["ASR-AB"]["available"] is True
    assert by_id["ASR-FAIRSEQ"]["value"] == pytest.approx(19 / 18)
    assert by_id["ASR-JW"]["value"] is None and by_id["ASR-JW"]["skipped"] == {"missed_eos": 4}


def test_table_lists_values_skips_and_signatures(fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", str(fixtures_dir / "asr" / "audiobench_raw_small.json"), "--task", "asr"]) == 0
    out = capsys.readouterr().out
    assert "0.222222" in out and "missed_eos=4" in out and "proto:ASR-AB|" in out


def test_other_families_and_unknown_family(fixtures_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = sweep_json(capsys, str(fixtures_dir / "asr" / "audiobench_raw_small.json"), "--task", "cer")
    assert {row["protocol"] for row in rows} == {p.id for p in all_protocols("cer")}
    assert main(["sweep", str(fixtures_dir / "asr" / "audiobench_raw_small.json"), "--task", "nonsense"]) == 2
    assert "no protocols for task family 'nonsense'" in capsys.readouterr().err


def test_bad_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"text": "t", "answer": 3, "model_prediction": "x"}]', encoding="utf-8")
    assert main(["sweep", str(bad), "--task", "asr", "--format", "audiobench-raw"]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "item 0" in err and "answer" in err


def test_real_audiobench_file_gives_the_published_asr_ab_value(require_data_dir: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    path = require_data_dir / "audiobench" / "a24087b" / "salmonn_7b" / "librispeech_test_clean.json"
    rows = sweep_json(capsys, str(path), "--task", "asr")
    by_id = {row["protocol"]: row for row in rows}
    assert set(by_id) == {p.id for p in all_protocols("asr")}
    assert round(by_id["ASR-AB"]["value"], 6) == 0.555834
    assert by_id["ASR-AB"]["n"] == 2617
