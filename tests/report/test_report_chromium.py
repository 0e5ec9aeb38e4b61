"""index.html in a real browser: headless Chromium renders it, saves a screenshot, and logs no page errors.

Chromium comes from the Debian package (``make system-deps``; ``.ci/run`` installs it). Without it the
tests skip with that reason. Page errors are read back from the DOM: the page's own script writes every
``error`` event and ``console.error`` call into ``#page-errors`` (``--dump-dom``), and the browser's
stderr is searched for console messages (``--enable-logging=stderr``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from evaluators.report.html import render_html
from evaluators.report.writer import write_report

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def find_chromium() -> str | None:
    for candidate in (os.environ.get("AUDIOREPRO_CHROMIUM"), *CANDIDATES, shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium not installed (Debian package `chromium`: run `make system-deps` as root)")


def chromium(page: Path | str, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
               *extra, page if isinstance(page, str) else page.resolve().as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def page_errors(dom: str) -> str:
    match = re.search(r'<div id="page-errors">(.*?)</div>', dom, re.S)
    assert match, "the page's error box is missing from the DOM"
    return match.group(1).strip()


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line and ("ERROR" in line or "Uncaught" in line)]


def test_report_renders_in_chromium_without_errors(sample_report, tmp_path):
    out = tmp_path / "reports"
    write_report(sample_report, out)
    screenshot = out / "index.png"
    shot = chromium(out / "index.html", tmp_path / "profile", f"--screenshot={screenshot}", "--window-size=1280,2000")
    assert screenshot.is_file(), f"no screenshot; chromium exit {shot.returncode}: {shot.stderr[-2000:]}"
    assert screenshot.read_bytes().startswith(PNG_MAGIC) and screenshot.stat().st_size > 20_000
    assert console_errors(shot.stderr) == []

    dump = chromium(out / "index.html", tmp_path / "profile", "--dump-dom", "--virtual-time-budget=3000")
    assert dump.returncode == 0, dump.stderr[-2000:]
    assert 'data-rendered="yes"' in dump.stdout, "the page script did not run to DOMContentLoaded"
    assert page_errors(dump.stdout) == ""
    assert console_errors(dump.stderr) == []
    assert dump.stdout.count("<svg") == 5 and 'data-id="mmau/qwen2-audio-instruct/test-mini/avg"' in dump.stdout


def test_a_broken_page_is_detected(sample_report, tmp_path):
    """The check can fail: a script error on the page shows up in the DOM and in the console log."""
    html = render_html(sample_report).replace("</body>", "<script>undefinedFunction();</script></body>")
    page = tmp_path / "broken.html"
    page.write_text(html)
    dump = chromium(page, tmp_path / "profile", "--dump-dom", "--virtual-time-budget=3000")
    assert "undefinedFunction is not defined" in page_errors(dump.stdout)
    assert any("undefinedFunction is not defined" in line for line in console_errors(dump.stderr))


WIDTH_PROBE = """<script>document.addEventListener('DOMContentLoaded', function () {
  var width = document.documentElement.clientWidth, wide = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var outside = e.getBoundingClientRect().right > width + 1 && !e.closest('figure');
    if (outside) { wide.push(e.tagName + '.' + e.className); }
  });
  var p = document.createElement('pre'); p.id = 'too-wide'; p.textContent = wide.slice(0, 10).join(' ');
  document.body.appendChild(p);
});</script>"""


def test_page_fits_a_1280_pixel_window(sample_report, tmp_path):
    """Long ids, signatures and source URLs wrap instead of widening the page."""
    long_url = "https://huggingface.co/spaces/" + "x" * 150 + "/results.csv"
    paper = "AudioBench: A Universal Benchmark for Audio Large Language Models (NAACL 2025)"
    sample_report.citations = [{"model": "qwen2-audio-7b-instruct", "dataset": "librispeech", "split": "test-clean",
                                "metric": "wer", "values": [
        {"id": "audiobench-2024/qwen2-audio-7b-instruct/librispeech-test-clean/wer", "paper": paper, "value": 1.0,
         "unit": "percent", "source": long_url, "printed": "0.03201041234390915", "status": "reproduces"},
        {"id": "b", "paper": "Q", "value": 2.0, "unit": "percent", "source": long_url}],
        "rows": [{"id": "b", "value_in_group_unit": 2.0, "test_data": "different",
                  "eval_code": "github:OFA-Sys/" + "z" * 60, "protocol": "ASR-AB-IMDA4",
                  "remeasures": "audiobench-2024/qwen2-audio-7b-instruct/librispeech"}]}]
    sample_report.run["pytest_args"] = ["-m", "paper_values", "--report-dir", "/tmp/" + "r" * 150]
    page = tmp_path / "probe.html"
    page.write_text(render_html(sample_report).replace("</body>", WIDTH_PROBE + "</body>"))
    dump = chromium(page, tmp_path / "profile", "--dump-dom", "--window-size=1280,2000", "--virtual-time-budget=3000")
    match = re.search(r'<pre id="too-wide">(.*?)</pre>', dump.stdout, re.S)
    assert match, dump.stderr[-2000:]
    assert match.group(1).strip() == ""


def test_rows_filter_by_text_from_the_address(sample_report, tmp_path):
    write_report(sample_report, tmp_path)
    url = (tmp_path / "index.html").resolve().as_uri() + "?q=qwen2"
    dump = chromium(url, tmp_path / "profile", "--dump-dom", "--virtual-time-budget=3000")
    rows = dict(re.findall(r'<tr data-id="([^"]+)" data-status="[^"]+"( hidden="")?>', dump.stdout))
    assert rows == {"audiobench-2024/salmonn-7b/librispeech-test-clean/wer": ' hidden=""',
                    "mmau/qwen2-audio-instruct/test-mini/avg": "",
                    "mmau/salmonn/test-mini/avg": ' hidden=""', "air-bench/salmonn/chat": ' hidden=""'}
    assert '<span id="filter-count" class="muted">1 rows shown</span>' in dump.stdout
    assert page_errors(dump.stdout) == ""
