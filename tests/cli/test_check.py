"""``audiorepro check``: verdicts of a hand-made run, JSON fields, exit codes, bad input, the acceptance run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluators.cli import main

WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet".split()


def write_run(folder: Path, *, errors: int = 21, task: str | None = "asr", model: str = "salmonn-13b") -> Path:
    """100 ten-word utterances with ``errors`` one-word substitutions: corpus WER ``errors`` / 1000."""
    lines = []
    for index in range(100):
        hypothesis = list(WORDS)
        if index < errors:
            hypothesis[3] = "kilo"
        lines.append(json.dumps({"id": f"utt{index}", "prediction": " ".join(hypothesis),
                                 "reference": " ".join(WORDS)}))
    (folder / "hyp.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = folder / "run.yaml"
    task_line = f"    task: {task}\n" if task else ""
    manifest.write_text(f"model: {model}\npredictions:\n  - file: hyp.jsonl\n    dataset: librispeech\n"
                        f"    split: test-clean\n{task_line}", encoding="utf-8")
    return manifest


def test_reproduces_and_consistent_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(write_run(tmp_path)), "--json"]) == 0
    records = {record["entry"]: record for record in json.loads(capsys.readouterr().out)}
    paper = records["salmonn-2024/salmonn-13b/librispeech-test-clean/wer"]
    assert paper["verdict"] == "reproduces" and paper["unit"] == "percent" and paper["published"] == 2.1
    reproducing = [row for row in paper["results"] if row["status"] == "reproduces"]
    assert reproducing and all(row["value"] == pytest.approx(2.1) for row in reproducing)
    assert paper["closest_protocol"] in {row["protocol"] for row in reproducing}
    assert {"protocol", "value", "interval", "status"} <= set(paper["results"][0])
    repro = records["salmonn-repro-jaeeewon/salmonn-13b/librispeech-test-clean/wer"]  # 2.24 %: inside the noise
    assert repro["verdict"] == "consistent"
    assert not any(record["metric"] == "per" for record in records.values())  # task: asr


def test_differs_exit_1_with_closest_protocol_and_delta(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(write_run(tmp_path, errors=90))]) == 1
    out = capsys.readouterr().out
    assert "salmonn-2024/salmonn-13b/librispeech-test-clean/wer: published 2.1 percent → DIFFERS, closest" in out
    assert "Δ +6.9" in out


def test_unavailable_entries_do_not_pass(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(write_run(tmp_path, task=None)), "--json"]) == 1
    records = json.loads(capsys.readouterr().out)
    per = [record for record in records if record["metric"] == "per"]
    assert per and all(record["verdict"] == "unavailable" for record in per)


@pytest.mark.parametrize(("args", "message"), [
    (["--against", "salmon-13b"], "model 'salmon-13b' has no published number"),
    (["--model", "nobody"], "model 'nobody' has no published number"),
])
def test_bad_model_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                       message: str) -> None:
    assert main(["check", str(write_run(tmp_path)), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("audiorepro: error: ") and message in err and err.count("\n") == 1


def test_against_and_all_models_exclude_each_other(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check", str(write_run(tmp_path)), "--against", "salmonn-7b", "--all-models"])
    assert caught.value.code == 2


def test_no_matching_number_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = write_run(tmp_path)
    manifest.write_text(manifest.read_text().replace("test-clean", "dev-clean"), encoding="utf-8")
    assert main(["check", str(manifest)]) == 2
    assert "no published number of salmonn-13b for librispeech dev-clean" in capsys.readouterr().err


def test_all_models_places_the_run_among_every_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", str(write_run(tmp_path)), "--all-models", "--json"])
    models = {record["model"] for record in json.loads(capsys.readouterr().out)}
    assert {"salmonn-13b", "salmonn-7b", "qwen-audio"} <= models


def test_acceptance_salmonn_7b_audiobench_log(require_data_dir: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    log = require_data_dir / "audiobench/a24087b/salmonn_7b/librispeech_test_clean.json"
    manifest = tmp_path / "run.yaml"
    manifest.write_text(f"model: salmonn-7b\npredictions:\n  - file: {log}\n    dataset: librispeech\n"
                        "    split: test-clean\n", encoding="utf-8")
    main(["check", str(manifest), "--json"])
    records = {record["entry"]: record for record in json.loads(capsys.readouterr().out)}
    own = records["audiobench-2024/salmonn-7b/librispeech-test-clean/wer"]
    assert own["verdict"] == "reproduces" and own["closest_protocol"] == "ASR-AB"

    assert main(["check", str(manifest), "--against", "salmonn-13b"]) == 1
    out = capsys.readouterr().out
    paper = "salmonn-2024/salmonn-13b/librispeech-test-clean/wer"
    line = next(line for line in out.splitlines() if line.startswith(paper))
    assert "published 2.1 percent" in line and "DIFFERS, closest ASR-" in line and "(Δ +" in line
