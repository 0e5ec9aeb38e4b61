"""``audiorepro compare``: paired bootstrap of two runs under one protocol, and of two protocols on one run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluators.cli import main

WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet".split()


def run_file(path: Path, wrong: set[int], *, ids: range = range(60), shout: bool = False) -> Path:
    """Ten-word utterances; items in ``wrong`` have one substituted word; ``shout`` upper-cases everything."""
    with path.open("w", encoding="utf-8") as handle:
        for index in ids:
            words = list(WORDS)
            if index in wrong:
                words[2] = "kilo"
            text = " ".join(words)
            handle.write(json.dumps({"id": f"u{index}", "prediction": text.upper() if shout else text,
                                     "reference": " ".join(WORDS)}) + "\n")
    return path


def test_two_runs_paired_difference_interval_and_p_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = run_file(tmp_path / "a.jsonl", wrong=set(range(0, 60, 2)))   # WER 30/600 = 5 %
    b = run_file(tmp_path / "b.jsonl", wrong={0})                     # WER 1/600
    assert main(["compare", str(a), str(b), "--protocol", "ASR-AB", "--json", "--top", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["a"]["value"] == pytest.approx(30 / 600) and data["b"]["value"] == pytest.approx(1 / 600)
    assert data["delta"] == pytest.approx(29 / 600)
    low, high = data["interval"]
    assert 0 < low < data["delta"] < high and data["p_value"] < 0.01
    assert data["items_changed"] == 29 and len(data["top_changes"]) == 3
    assert data["top_changes"][0]["delta"] == pytest.approx(0.1)


def test_identical_runs_differ_by_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = run_file(tmp_path / "a.jsonl", wrong={1, 5})
    assert main(["compare", str(a), str(a), "--protocol", "ASR-AB", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["delta"] == 0 and data["interval"] == [0, 0] and data["p_value"] == 1 and data["items_changed"] == 0


def test_two_protocols_on_one_run_list_the_items_that_change(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    a = run_file(tmp_path / "a.jsonl", wrong={3}, shout=True)  # upper case: ASR-AB lower-cases, ASR-FAIRSEQ does not
    assert main(["compare", str(a), "--protocols", "ASR-AB", "ASR-FAIRSEQ"]) == 0
    out = capsys.readouterr().out
    assert "A: ASR-AB under ASR-AB = 0.001667" in out and "B: ASR-FAIRSEQ under ASR-FAIRSEQ = 1.000000" in out
    assert "60 item(s) change; top 10 by |Δ|:" in out and "p = 0.00" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--protocol", "ASR-AB"], "give two files, got 1"),
    (["--protocols", "ASR-AB", "ST-QWEN"], "gives fraction and ST-QWEN gives bleu"),
    (["--protocols", "ASR-AB", "ASR-ABX"], "unknown protocol id 'ASR-ABX'"),
], ids=["one-file", "scales", "unknown"])
def test_bad_arguments_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                           message: str) -> None:
    a = run_file(tmp_path / "a.jsonl", wrong={1})
    assert main(["compare", str(a), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("audiorepro: error: ") and message in err and err.count("\n") == 1


def test_runs_on_different_items_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = run_file(tmp_path / "a.jsonl", wrong=set())
    b = run_file(tmp_path / "b.jsonl", wrong=set(), ids=range(1, 61))
    assert main(["compare", str(a), str(b), "--protocol", "ASR-AB"]) == 2
    assert "must hold the same items: 1 id(s) only in the first (u0), 1 only in the second (u60)" in \
        capsys.readouterr().err
