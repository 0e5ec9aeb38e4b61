"""``pytest -m paper_values --run RUN``: one test per (entry × protocol) and the "Your run" report section."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from evaluators.report.html import render_html
from evaluators.report.markdown import render_markdown
from evaluators.report.model import Report
from evaluators.report.schema import validate_results
from tests.cli.test_check import write_run

ROOT = Path(__file__).resolve().parents[2]


def run_pytest(*args: str, report_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AUDIOREPRO_REPORT_DIR": str(report_dir)}
    env.pop("AUDIOREPRO_RUN", None)
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-m", "paper_values",
                           "tests/paper_values/test_your_run.py", "--report-dir", str(report_dir), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_run_option_adds_tests_and_the_your_run_section(tmp_path: Path) -> None:
    manifest = write_run(tmp_path)  # salmonn-13b, LibriSpeech test-clean, WER 2.1 %, task asr
    report_dir = tmp_path / "report"
    done = run_pytest("--run", str(manifest), "-rA", report_dir=report_dir)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    own = "hyp.jsonl::salmonn-2024/salmonn-13b/librispeech-test-clean/wer::ASR-JW"
    assert f"test_your_run[{own}]" in done.stdout
    data = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    validate_results(data)
    rows = [row for row in data["your_run"] if row["entry"] == "salmonn-2024/salmonn-13b/librispeech-test-clean/wer"]
    assert rows and all(row["verdict"] == "reproduces" for row in rows)
    assert {row["protocol"] for row in rows if row["status"] == "reproduces"} >= {"ASR-AB"}
    assert next(row for row in rows if row["primary"])["protocol"] == "ASR-JW"
    html = (report_dir / "index.html").read_text(encoding="utf-8")
    assert '<section id="your-run"><h2>Your run</h2>' in html and "salmonn-2024/salmonn-13b" in html
    assert "## Your run" in (report_dir / "report.md").read_text(encoding="utf-8")


def test_without_run_nothing_is_collected(tmp_path: Path) -> None:
    done = run_pytest(report_dir=tmp_path / "report")
    assert "1 deselected" in done.stdout and "passed" not in done.stdout


def test_a_bad_run_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "run.yaml"
    bad.write_text("model: salmonn-13b\npredictions:\n  - file: missing.jsonl\n    dataset: librispeech\n"
                   "    split: test-clean\n", encoding="utf-8")
    done = run_pytest("--run", str(bad), report_dir=tmp_path / "report")
    assert done.returncode == 4
    assert "--run" in done.stderr and "prediction 0, field 'file'" in done.stderr and "does not exist" in done.stderr


def test_the_section_is_computed_once_for_both_renderings() -> None:
    record = {"entry": "paper/m/d/wer", "protocol": "ASR-AB", "primary": True, "published": 2.1, "printed": "2.1",
              "unit": "percent", "value": 2.3, "interval": [1.9, 2.7], "delta": 0.2, "status": "consistent",
              "verdict": "consistent", "closest_protocol": "ASR-AB", "file": "/runs/hyp.jsonl", "run_model": "m"}
    report = Report(your_run=[record])
    assert not report.is_empty()
    headers, rows = report.your_run_table()
    assert rows == [["paper/m/d/wer", "ASR-AB *", "2.1 percent", "2.3", "[1.9, 2.7]", "+0.2", "consistent",
                     "consistent", "ASR-AB", "—"]]
    markdown, html = render_markdown(report), render_html(report)
    for cell in rows[0]:
        assert cell in markdown and cell in html
    again = Report.from_dict(json.loads(report.to_json()))
    assert again.your_run == report.your_run
