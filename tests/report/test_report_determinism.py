"""The report's Determinism section: snapshot agreement per device model (GPU model as an axis)."""

from __future__ import annotations

from evaluators.report.html import render_html
from evaluators.report.markdown import device_model_agreement, render_markdown
from evaluators.report.model import Report

H100, H200 = "NVIDIA H100 80GB HBM3", "NVIDIA H200"
ROWS = [
    {"record": "snapshot", "model": "base", "platform": "cuda-fp16", "dtype": "fp16", "device_model": H200,
     "taken_on": H100, "checked_on": {}, "outcome": "within tolerance", "max_abs_logprob_delta": 0.031},
    {"record": "snapshot", "model": "tiny-whisper", "platform": "cuda-fp16", "dtype": "fp16", "device_model": H200,
     "taken_on": H200, "checked_on": {H100: {"outcome": "within tolerance", "max_abs_logprob_delta": 0.004}},
     "outcome": "identical", "max_abs_logprob_delta": 0.0},
    {"model": "base", "platform": "cuda-fp16", "batch_size": 8, "cases_changed": 0},
]


def test_agreement_pivot_has_one_column_per_device_model():
    headers, rows = device_model_agreement(ROWS)
    assert headers == ["model", "platform", H100, H200]
    assert rows == [
        ["base", "cuda-fp16", "reference", "within tolerance (Δ 0.031) (this run)"],
        ["tiny-whisper", "cuda-fp16", "within tolerance (Δ 0.004) (recorded)", "reference; identical (this run)"],
    ]


def test_markdown_and_html_show_the_pivot_and_the_other_records():
    report = Report(determinism=[dict(row) for row in ROWS])
    markdown = render_markdown(report)
    assert "### Snapshots across device models" in markdown
    assert f"| model | platform | {H100} | {H200} |" in markdown
    assert "| base | cuda-fp16 | 8 | 0 |" in markdown  # the batch-invariance row, in its own table
    html = render_html(report, [])
    assert "Snapshots across device models" in html and "within tolerance (Δ 0.031) (this run)" in html
