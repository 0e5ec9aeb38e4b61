"""report.md: GitHub-flavoured markdown with counts, per-paper tables, the failing list and skips by reason."""

from __future__ import annotations

import re

import pytest

from evaluators.report.markdown import cell, render_markdown, table
from evaluators.report.model import Report
from tests.report.report_samples import make_result


def table_rows(markdown: str, header_start: str) -> list[list[str]]:
    """Rows of the first table whose header starts with ``header_start`` (unescaped pipes split cells)."""
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows


def test_headline_and_counts(sample_report):
    md = render_markdown(sample_report)
    assert md.startswith("# audiorepro reproduction report\n")
    assert "**1 of 2 measured published numbers reproduce** (4 checked; 0 contradict" in md
    counts = {row[0]: row[1] for row in table_rows(md, "| status | numbers |")}
    assert counts["✅ reproduces"] == "1" and counts["⚠️ unavailable"] == "1" and counts["total"] == "4"
    assert "commit `0123456789ab`" in md


def test_per_paper_table_has_every_column(sample_report):
    md = render_markdown(sample_report)
    assert "### AudioBench 2024" in md and "### MMAU" in md and "### AIR-Bench" in md
    header = ("| id | model | task | dataset | metric | published | reproduced | Δ | tolerance | interval | protocol | "
              "status | verdict | closest protocol |")
    row = table_rows(md, header)[0]
    assert row == ["`audiobench-2024/salmonn-7b/librispeech-test-clean/wer`", "SALMONN-7B", "asr",
                   "LibriSpeech / test-clean", "WER", "55.58", "55.5812", "+0.0012", "±0.005", "[54.9, 56.25]",
                   "ASR-AB", "✅ reproduces", "reproduces", "ASR-AB"]
    mmau = table_rows(md.split("### MMAU")[1], header)[0]
    assert mmau[0] == "`mmau/qwen2-audio-instruct/test-mini/avg`" and mmau[-3:] == ["❌ differs", "consistent",
                                                                                    "MCQ-AB-MMAU"]
    not_measured = table_rows(md, "| id | model | task | dataset | metric | published | status |")[0]
    assert not_measured == ["`air-bench/salmonn/chat`", "SALMONN-7B", "chat", "LibriSpeech / test-clean",
                            "GPT-4 score", "6.16", "⚠️ unavailable"]


def test_failing_list_sweep_skips_and_determinism(sample_report):
    md = render_markdown(sample_report)
    failing = md.split("## Does not reproduce")[1].split("##")[0]
    assert "`mmau/qwen2-audio-instruct/test-mini/avg` (differs): published 49.2 percent, reproduced 47.13 under " \
           "`MCQ-MMAU` (Δ -2.07, tolerance ±0.05, 95 % interval [44, 50.25]). Within noise: the published value lies " \
           "inside the 95 % interval. answer key revised after publication \\| see MANIFEST" in failing
    per_paper = table_rows(md, "| paper | reproduces | differs |")
    assert per_paper[0] == ["AIR-Bench", "0", "0", "0", "1", "0", "1"]
    sweep = table_rows(md, "| protocol | value | n | skipped | signature |")
    assert sweep[0][:3] == ["**ASR-AB**", "55.5812", "2620"]
    assert sweep[1][:4] == ["ASR-JW", "12.3456", "2620", "empty hypothesis: 3"]
    assert sweep[2][1] == "unavailable: needs a download"
    assert "<summary>1 × unavailable: needs an LLM judge (GPT-4)</summary>" in md
    assert "## Determinism" in md and "| test | model | dtype | batch_size | items_changed |" in md


def test_status_change_section():
    md = render_markdown(Report(results=[make_result("a", "differs", "reproduces", reason="WER rose")]))
    assert table_rows(md, "| id | expected | now |")[0][:3] == ["`a`", "reproduces", "❌ differs"]


def test_cells_escape_pipes_and_newlines():
    assert cell("a|b\nc") == "a\\|b c"
    assert cell(None) == "—"
    assert table(["x"], [["1"]]) == ["| x |", "|---|", "| 1 |"]


def test_citation_side_by_side(sample_report):
    sample_report.citations = [{
        "model": "salmonn-7b", "dataset": "librispeech", "split": "test-clean", "metric": "wer", "unit": "percent",
        "values": [{"id": "salmonn-2024/ls", "paper": "SALMONN", "value": 2.1, "printed": "2.1", "unit": "percent",
                    "source": "Table 3", "status": "unknown", "test_data": None},
                   {"id": "audiobench-2024/ls", "paper": "AudioBench", "value": 0.5558, "unit": "fraction",
                    "source": "Table 2", "status": "reproduces"}],
        "rows": [{"id": "audiobench-2024/ls", "value_in_group_unit": 55.58, "test_data": "different",
                  "eval_code": "AudioLLMs/AudioBench", "protocol": "ASR-AB", "quotes": None,
                  "remeasures": "salmonn-2024/ls"}]}]
    rows = table_rows(render_markdown(sample_report), "| number | paper |")
    assert rows[0] == ["**salmonn-7b** librispeech / test-clean — wer", "SALMONN", "2.1", "percent", "—", "—", "—",
                       "unknown", "`salmonn-2024/ls`", "Table 3"]
    assert rows[1] == ["″", "AudioBench", "0.5558", "fraction", "55.58", "different", "AudioLLMs/AudioBench · ASR-AB",
                       "reproduces", "`audiobench-2024/ls`", "Table 2 re-measures salmonn-2024/ls"]


def test_renders_as_github_markdown_tables(sample_report):
    """A CommonMark + GFM-tables renderer turns every table (also those folded in <details>) into HTML tables."""
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py (comes with rich) not installed")
    html = markdown_it.MarkdownIt("commonmark").enable("table").render(render_markdown(sample_report))
    ids = re.findall(r"<td><code>([^<]+)</code></td>", html)
    for result in sample_report.results:
        assert result.id in ids  # every number appears in a rendered table cell
    assert re.search(r"<summary>1 numbers not measured[^<]*</summary>\s*<table>", html)  # folded, still a table
    tables = re.findall(r"<table>(.*?)</table>", html, re.S)
    assert len(tables) >= 6
    for rendered in tables:  # no escaped pipe split a cell: every row has as many cells as the header
        header = len(re.findall(r"<th[\s>]", rendered))
        rows = re.findall(r"<tr>(.*?)</tr>", rendered.split("</thead>")[1], re.S)
        assert rows and all(len(re.findall(r"<td[\s>]", row)) == header for row in rows)


def test_html_from_results_is_escaped_everywhere():
    """Issue 14, finding 14: report.md interpolated ``<script>`` verbatim (index.html escaped it)."""
    evil = "<script>alert(1)</script>"
    results = [make_result("a", "differs", "reproduces", reason=evil, paper=f"Paper {evil}", model=evil),
               make_result("b", "no_predictions", reason=evil)]
    report = Report(results=results, notes=[f"note {evil}"], skipped_tests=[{"test": f"t[{evil}]", "reason": evil}],
                    run={"pytest_args": ["-k", evil]},
                    determinism=[{"test": "d", "model": evil}])
    md = render_markdown(report)
    assert "<script" not in md and "</script" not in md
    assert md.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 7
