"""``audiorepro sweep``: one row per protocol of the family, values as fractions, unavailable rows kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluators.cli import main
from evaluators.errors import AudioreproError
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


def _st_file(path: Path, source: str | None, *, references: int = 1) -> Path:
    rows = [("Ich mag Katzen.", "Ich mag Katzen."), ("Das Wetter ist heute schön.", "Heute ist das Wetter schön.")]
    with path.open("w", encoding="utf-8") as handle:
        for index, (hypothesis, reference) in enumerate(rows):
            record = {"id": str(index), "prediction": hypothesis, "references": [reference] * references}
            if source:
                record["metadata"] = {"source": source}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def test_st_sweep_scores_only_protocols_of_the_pair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", str(_st_file(tmp_path / "de.jsonl", "covost2_en_de_test")), "--task", "st", "--json"]) == 0
    rows = {row["protocol"]: row for row in json.loads(capsys.readouterr().out)}
    scored = {pid for pid, row in rows.items() if row["status"] == "ok"}
    assert {"ST-QWEN", "ST-COVOST", "ST-JW-DE/no-skip"} <= scored
    assert not any("JA" in pid or "ZH" in pid or pid == "ST-AB/zh-tok" for pid in scored)
    assert rows["ST-JW-JA/ja-mecab"]["status"] == "not_applicable" and rows["ST-JW-JA/ja-mecab"]["value"] is None


def test_st_sweep_with_pair_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", str(_st_file(tmp_path / "x.jsonl", None)), "--task", "st", "--pair", "en-de"]) == 0
    out = capsys.readouterr().out
    assert "language pair en-de (from explicit)" in out and "ST-QWEN/de" in out


def test_a_failing_protocol_is_an_unavailable_row(tmp_path: Path) -> None:
    """The sweep's scoring call turns a protocol that cannot read the file into a row with the reason."""
    from evaluators.commands._scoring import score_or_unavailable, status_of
    from evaluators.predictions import load_predictions
    from evaluators.protocols import get_protocol

    predictions = load_predictions(_st_file(tmp_path / "two-refs.jsonl", "covost2_en_de_test", references=2))
    row = score_or_unavailable(get_protocol("ST-COVOST"), predictions)
    assert status_of(row) == "unavailable" and "expected 1 reference" in row.unavailable_reason
    with pytest.raises(AudioreproError, match="expected 1 reference"):  # `score` (strict) reports it instead
        score_or_unavailable(get_protocol("ST-COVOST"), predictions, strict=True)


def test_score_refuses_a_protocol_of_another_pair(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _st_file(tmp_path / "x.jsonl", None)
    assert main(["score", str(path), "--protocol", "ST-JW-JA", "--pair", "en-de"]) == 2
    assert "built for target ja, not de" in capsys.readouterr().err
    assert main(["score", str(path), "--protocol", "ST-QWEN", "--pair", "en-de", "--json"]) == 0
    assert "target_language:de" in json.loads(capsys.readouterr().out)["signature"]


def test_qwen_en_ja_results_sweep_only_japanese_protocols(fixtures_dir: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = fixtures_dir / "predictions" / "qwen2-audio" / "covost2_en_ja_test.json"
    assert main(["sweep", str(path), "--task", "st", "--json"]) == 0
    rows = {row["protocol"]: row for row in json.loads(capsys.readouterr().out)}
    scored = {pid for pid, row in rows.items() if row["status"] == "ok"}
    assert {"ST-QWEN", "ST-JW-JA", "ST-JW-JA/ja-mecab"} <= scored
    assert not any(pid.startswith(("ST-JW-ZH", "ST-JW-DE")) or pid == "ST-AB/zh-tok" for pid in scored)
    assert "ja=ja-mecab" in rows["ST-QWEN"]["signature"]
