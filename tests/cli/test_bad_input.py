"""Bad input ends in one line ``audiorepro: error: <file>[, item][, field]: <what>`` (exit 2), never a traceback.

Issue 14, findings 11-13: each case below ended in a Python traceback (exit 1), was silently accepted,
or failed only after the expensive work. The commands run in-process through ``evaluators.cli.main``;
any exception escaping it, or its internal-error line (exit 70), fails the test.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from evaluators.cli import main
from evaluators.predictions import load_predictions
from evaluators.predictions.generic import load_generic_jsonl

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "predictions"


def run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int | str, str]:
    """(exit status, stderr) of one in-process command; argparse's own exit is reported as its code."""
    try:
        status: int | str = main(argv)
    except SystemExit as error:
        status = int(error.code or 0)
    return status, capsys.readouterr().err


def assert_one_error_line(status: int | str, err: str, *needles: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert status == 2, err
    assert "Traceback" not in err and "internal error" not in err
    assert lines and (lines[-1].startswith("audiorepro: error: ") or ": error: argument " in lines[-1]), err
    for needle in needles:
        assert needle in lines[-1], (needle, lines[-1])


def jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def record(index: int, **fields: object) -> dict[str, object]:
    return {"id": f"i{index}", "prediction": "a cat", "reference": "a cat", **fields}


def _mcq(tmp: Path, answer_index: str) -> Path:
    path = tmp / "mcq.jsonl"
    path.write_text('{"id": "q", "prediction": "(a) dog", "reference": "(a) dog", "metadata": '
                    f'{{"choices": ["(a) dog", "(b) cat"], "answer_index": {answer_index}}}}}\n', encoding="utf-8")
    return path


# Each case: tmp_path -> (argv, words the error line must contain). "{f}" in the words is the input file.
CASES: dict[str, Callable[[Path], tuple[list[str], tuple[str, ...]]]] = {
    "a directory": lambda t: (["score", str(t), "--protocol", "ASR-AB"], (str(t), "is a directory")),
    "a symlink loop": lambda t: (os.symlink(t / "loop", t / "loop") or
                                 ["score", str(t / "loop"), "--protocol", "ASR-AB"], ("loop", "cannot read")),
    "a 300-character name": lambda t: (["score", str(t / ("x" * 300)), "--protocol", "ASR-AB"], ("cannot read",)),
    "JSON nested 50,000 deep": lambda t: ((t / "deep.json").write_text("[" * 50_000 + "]" * 50_000) and
                                          ["score", str(t / "deep.json"), "--protocol", "ASR-AB"],
                                          ("deep.json", "nested deeper")),
    "a 5,000-digit integer": lambda t: ((t / "big.jsonl").write_text(
        '{"id": 1' + "0" * 5000 + ', "prediction": "a", "reference": "a"}\n') and
        ["score", str(t / "big.jsonl"), "--protocol", "ASR-AB"], ("big.jsonl", "4300 digits")),
    "a lone surrogate printed with --items": lambda t: ((t / "s.jsonl").write_text(
        '{"id": "x", "prediction": "a\\ud800", "reference": "a"}\n{"id": "y", "prediction": "b", "reference": "b"}\n')
        and ["score", str(t / "s.jsonl"), "--protocol", "ASR-AB", "--items"],
        ("s.jsonl", "item line 1", "'prediction'", "surrogate")),
    "a lone surrogate for COCO/Java": lambda t: ((t / "s.jsonl").write_text(
        '{"id": "x", "prediction": "a dog", "references": ["\\udfff a dog"]}\n') and
        ["score", str(t / "s.jsonl"), "--protocol", "AAC-QWEN-COCO/CIDEr"], ("s.jsonl", "surrogate")),
    "a lone surrogate for MeCab": lambda t: ((t / "s.jsonl").write_text(
        '{"id": "x", "prediction": "\\ud800猫", "reference": "猫"}\n') and
        ["score", str(t / "s.jsonl"), "--protocol", "ST-JW-JA/ja-mecab"], ("s.jsonl", "surrogate")),
    "CIDEr-D on 1 item": lambda t: (["score", str(jsonl(t / "one.jsonl", [record(0)])), "--protocol",
                                     "AAC-NOTA-CIDERD"], ("one.jsonl", "at least 2 items")),
    "a captioning sweep that skips every item": lambda t: (
        ["sweep", str(jsonl(t / "c.jsonl", [{"id": f"c{i}", "prediction": "a dog", "references": []}
                                            for i in range(3)])), "--task", "captioning"],
        ("c.jsonl", "no captioning")),
    "2 references for a 1-reference BLEU": lambda t: (
        ["score", str(jsonl(t / "r.jsonl", [{"id": "a", "prediction": "x y", "references": ["x y", "x z"]}])),
         "--protocol", "MC-JW"], ("r.jsonl", "item a", "'references'", "nrefs=1 but the item has 2")),
    "answer_index null": lambda t: (["score", str(_mcq(t, "null")), "--protocol", "MCQ-MUCHO"],
                                    ("mcq.jsonl", "item q", "answer_index", "got None")),
    "answer_index Infinity": lambda t: (["score", str(_mcq(t, "Infinity")), "--protocol", "MCQ-MUCHO"],
                                        ("mcq.jsonl", "Infinity is not a JSON number")),
    "a non-UTF-8 results.json": lambda t: ((t / "results.json").write_bytes(b"\xff{}") and
                                           ["report", "--check", str(t / "results.json")],
                                           ("results.json", "not UTF-8")),
    "a non-UTF-8 results.json to diff": lambda t: ((t / "results.json").write_bytes(b"\xff{}") and
                                                   ["diff", str(t / "results.json"), str(t / "results.json")],
                                                   ("results.json", "not UTF-8")),
    "a non-UTF-8 golden YAML": lambda t: ((t / "g.yaml").write_bytes(b"file: g\n\xff\n") and
                                          ["golden", "validate", str(t / "g.yaml")], ("g.yaml", "not UTF-8")),
    "judge under a protocol no LLM judges": lambda t: (
        ["judge", str(jsonl(t / "p.jsonl", [record(0)])), "--protocol", "ASR-AB", "--base-url", "http://x/v1"],
        ("ASR-AB is not scored by an LLM judge", "J-SAKURA", "ER-AB-JUDGE")),
    "judge: an item without a question (named before any call)": lambda t: (
        ["judge", str(jsonl(t / "q.jsonl", [{"id": "a", "prediction": "x", "references": ["y"]}])), "--protocol",
         "J-SAKURA", "--base-url", "http://127.0.0.1:9/v1"], ("q.jsonl", "item a", "no question")),
    "judge --concurrency 0": lambda t: (["judge", "p.json", "--protocol", "J-SAKURA", "--base-url", "http://x/v1",
                                         "--concurrency", "0"], ("--concurrency",)),
    "judge --retries -1": lambda t: (["judge", "p.json", "--protocol", "J-SAKURA", "--base-url", "http://x/v1",
                                      "--retries", "-1"], ("--retries",)),
    "judge --timeout 0": lambda t: (["judge", "p.json", "--protocol", "J-SAKURA", "--base-url", "http://x/v1",
                                     "--timeout", "0"], ("--timeout",)),
    "judge --cache a directory": lambda t: (
        ["judge", str(jsonl(t / "p.jsonl", [record(0)])), "--protocol", "J-SAKURA", "--base-url",
         "http://127.0.0.1:9/v1", "--cache", str(t)], (str(t), "is a directory")),
    "judge --cache a non-SQLite file": lambda t: (
        (t / "cache.sqlite").write_text("plain text, not a database " * 20) and
        ["judge", str(jsonl(t / "p.jsonl", [record(0)])), "--protocol", "J-SAKURA", "--base-url",
         "http://127.0.0.1:9/v1", "--cache", str(t / "cache.sqlite")], ("cache.sqlite", "not a judgement cache")),
    "judge --output unwritable (before any call)": lambda t: (
        ["judge", str(jsonl(t / "p.jsonl", [record(0)])), "--protocol", "J-SAKURA", "--base-url",
         "http://127.0.0.1:9/v1", "--output", str(t / "p.jsonl" / "out.json")], ("out.json", "is a file")),
    "report --out a file": lambda t: (jsonl(t / "f.jsonl", [{}]) and
                                      ["report", "--out", str(t / "f.jsonl"), str(_results(t))],
                                      ("f.jsonl", "not a folder")),
    "fetch --cache-dir unwritable": lambda t: (jsonl(t / "f.jsonl", [{}]) and
                                               ["fetch", "--cache-dir", str(t / "f.jsonl" / "sub"), "no/such/file"],
                                               ("f.jsonl",)),
    "an empty prediction file": lambda t: (["score", str(jsonl(t / "e.jsonl", [])), "--protocol", "ASR-AB"],
                                           ("e.jsonl", "empty")),
    "every item skipped": lambda t: (
        ["score", str(jsonl(t / "n.jsonl", [{"id": "a", "prediction": "x", "references": []}])), "--protocol",
         "ASR-AB"], ("n.jsonl", "kept no item")),
    "infer with an unknown model": lambda t: (["infer", "--model", "no-such-model", "--manifest",
                                               str(_manifest(t)), "-o", str(t / "o.jsonl")], ("no-such-model",)),
    "infer with a directory manifest": lambda t: (["infer", "--model", "tiny-whisper", "--manifest", str(t),
                                                   "-o", str(t / "o.jsonl")], (str(t), "is a directory")),
    "infer --batch-size 0": lambda t: (["infer", "--model", "tiny-whisper", "--manifest", str(_manifest(t)),
                                        "--batch-size", "0", "-o", str(t / "o.jsonl")], ("--batch-size",)),
    "infer --max-new-tokens beyond the model": lambda t: (
        ["infer", "--model", "tiny-whisper", "--manifest", str(_manifest(t)), "--max-new-tokens", "100",
         "-o", str(t / "o.jsonl")], ("--max-new-tokens 100", "60 tokens")),
}


def _results(folder: Path) -> Path:
    from evaluators.report.model import Report
    from evaluators.report.writer import write_report

    write_report(Report(), folder / "rep")
    return folder / "rep" / "results.json"


def _manifest(folder: Path) -> Path:
    import wave

    with wave.open(str(folder / "c.wav"), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(16_000)
        handle.writeframes(b"\x01\x00" * 4000)
    return jsonl(folder / "m.jsonl", [{"id": "c", "audio": "c.wav"}])


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_error_line(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv, needles = CASES[case](tmp_path)
    status, err = run_cli(argv, capsys)
    assert_one_error_line(status, err, *needles)


def test_an_unreadable_file_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    path = jsonl(tmp_path / "locked.jsonl", [record(0)])

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)  # chmod 000 does not stop root
    status, err = run_cli(["score", str(path), "--protocol", "ASR-AB"], capsys)
    assert_one_error_line(status, err, "locked.jsonl", "Permission denied")


def test_a_non_utf8_history_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = _results(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "history.jsonl").write_bytes(b"\xff\n")
    status, err = run_cli(["report", "--out", str(tmp_path / "out"), str(results)], capsys)
    assert_one_error_line(status, err, "history.jsonl", "not UTF-8")


def test_a_bug_is_one_line_too_and_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import evaluators.commands.protocols as protocols_command

    def broken(args: object) -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(protocols_command, "run", broken)
    status, err = run_cli(["protocols"], capsys)
    assert status == 70 and err.strip().startswith("audiorepro: internal error: ZeroDivisionError: a bug")
    monkeypatch.setenv("AUDIOREPRO_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["protocols"])


# --- finding 12: accepted silently before, refused with a named error now -------------------------------------

def _score_file(tmp: Path, wer: str) -> Path:
    path = tmp / "x_wer_score.json"
    path.write_text('{"wer": 0.1, "sample_wer": [{"reference": "a b", "prediction": "a b", "wer": ' + wer + "}]}",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("wer", ["NaN", "Infinity", "-7"])
def test_stored_wer_must_be_a_finite_non_negative_number(tmp_path: Path, wer: str) -> None:
    with pytest.raises(Exception, match="field 'wer': expected a number >= 0|(NaN|Infinity) is not a JSON number"):
        load_predictions(_score_file(tmp_path, wer), "audiobench-score")


def test_a_raw_log_with_a_score_file_of_another_order_is_refused(tmp_path: Path) -> None:
    raw = json.loads((FIXTURES / "audiobench" / "librispeech_mini.json").read_text(encoding="utf-8"))
    score = json.loads((FIXTURES / "audiobench" / "librispeech_mini_wer_score.json").read_text(encoding="utf-8"))
    score["sample_wer"] = score["sample_wer"][1:] + score["sample_wer"][:1]  # same length, other order
    shuffled = tmp_path / "shuffled_wer_score.json"
    shuffled.write_text(json.dumps(score), encoding="utf-8")
    assert len(raw) == len(score["sample_wer"]) >= 3
    with pytest.raises(Exception, match="does not hold this log's items in this order"):
        load_predictions(FIXTURES / "audiobench" / "librispeech_mini.json", "audiobench-raw", score_file=shuffled)
    joined = load_predictions(FIXTURES / "audiobench" / "librispeech_mini.json", "audiobench-raw",
                              score_file=FIXTURES / "audiobench" / "librispeech_mini_wer_score.json")
    assert len(joined) == len(raw)


@pytest.mark.parametrize("metadata", ["[]", '""', "0", "false"])
def test_metadata_that_is_not_an_object_is_refused(tmp_path: Path, metadata: str) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text('{"id": "a", "prediction": "x", "reference": "x", "metadata": ' + metadata + "}\n",
                    encoding="utf-8")
    with pytest.raises(Exception, match="item line 1, field 'metadata': expected an object"):
        load_generic_jsonl(path)


@pytest.mark.parametrize("answer_index", ["-1", "99", "1.9", "true"])
def test_answer_index_outside_the_options_is_refused(tmp_path: Path, answer_index: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    status, err = run_cli(["score", str(_mcq(tmp_path, answer_index)), "--protocol", "MCQ-MUCHO"], capsys)
    assert_one_error_line(status, err, "mcq.jsonl", "item q", "answer_index must be an integer from 0 to 1")


@pytest.mark.parametrize("choices", ["[]", '"[]"'])
def test_mmau_items_without_options_are_refused(tmp_path: Path, choices: str) -> None:
    items = json.loads((FIXTURES / "mmau" / "results.json").read_text(encoding="utf-8"))
    items[0]["choices"] = json.loads(choices)
    path = tmp_path / "results.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    with pytest.raises(Exception, match="item 0, field 'choices': no options"):
        load_predictions(path, "mmau")


def test_an_answer_key_join_with_zero_overlap_is_refused(tmp_path: Path) -> None:
    items = json.loads((FIXTURES / "mmau" / "results.json").read_text(encoding="utf-8"))
    for item in items:
        item["question"] = "another benchmark's question: " + item["question"]
        item.pop("id", None)
    path = tmp_path / "results.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    with pytest.raises(Exception, match="none of its .* items is in the answer key"):
        load_predictions(path, "mmau", answer_key=FIXTURES / "mmau" / "answer-key@rev2.json")


@pytest.mark.parametrize(("setting", "value"), [("temperature", '"0.0"'), ("top_p", "[0.9]"),
                                                ("max_tokens", "10.5"), ("max_tokens", '"1024"'),
                                                ("temperature", "NaN")])
def test_sakura_settings_of_the_wrong_type_are_refused(tmp_path: Path, setting: str, value: str) -> None:
    data = json.loads((FIXTURES / "sakura" / "animal_single_judgements.json").read_text(encoding="utf-8"))
    text = json.dumps({**data, setting: "PLACEHOLDER"}).replace('"PLACEHOLDER"', value)
    path = tmp_path / "animal_single_judgements.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(Exception, match=f"field '{setting}'|NaN is not a JSON number"):
        load_predictions(path, "sakura-judgements")


# --- finding 13: infer output round-trips ------------------------------------------------------------------------

def test_infer_output_without_references_reads_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = tmp_path / "o.jsonl"
    status, err = run_cli(["infer", "--model", "tiny-whisper", "--manifest", str(_manifest(tmp_path)),
                           "--max-new-tokens", "4", "-o", str(output)], capsys)
    assert status == 0, err
    assert '"references": []' in output.read_text(encoding="utf-8")
    loaded = load_generic_jsonl(output)
    assert [item.references for item in loaded] == [()]
    status, err = run_cli(["score", str(output), "--protocol", "ASR-AB"], capsys)
    assert_one_error_line(status, err, "o.jsonl", "no_reference=1")
