"""The charts: inline SVG with text kept as text, deterministic, nothing external."""

from __future__ import annotations

import re

import pytest

from evaluators.report import plots
from tests.report.report_samples import make_result, sample_results


@pytest.mark.parametrize(("metric", "unit", "label"), [
    ("WER", "percent", "WER (percent)"), ("WER (fraction)", "fraction", "WER (fraction)"),
    ("accuracy (%)", "percent", "accuracy (%)"), ("BLEU", "", "BLEU"),
])
def test_metric_label(metric, unit, label):
    assert plots.metric_label(metric, unit) == label


def test_published_vs_reproduced_one_chart_per_task_and_metric():
    charts = plots.published_vs_reproduced(sample_results())
    assert [title for title, _ in charts] == ["asr — WER (percent)", "mcq — accuracy (percent)"]
    title, svg = charts[0]
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "audiobench-2024/salmonn-7b/librispeech-test-clean/wer" in svg  # row labels are <text>, not paths
    assert not re.search(r'(?:href|src)="https?:', svg)
    assert plots.published_vs_reproduced(sample_results()) == charts  # byte-identical re-render


def test_long_ids_are_shortened_in_the_middle():
    label = plots._label(make_result("x" * 40 + "/" + "y" * 40))
    assert len(label) == 64 and label.startswith("xxx") and label.endswith("yyy") and "…" in label


def test_protocol_spread_and_trend():
    results = sample_results()[:1]
    svg = plots.protocol_spread(results)
    assert "ASR-AB" in svg and "ASR-JW" in svg and "ASR-NOTA" not in svg  # unavailable protocols have no bar
    assert plots.protocol_spread([make_result("a", "no_predictions")]) is None
    assert plots.trend([]) is None
    trend = plots.trend([{"timestamp": "2026-11-25T03:17:00+00:00", "counts": {"reproduces": 14, "differs": 9}},
                         {"timestamp": "2026-11-26T03:17:00+00:00", "counts": {"reproduces": 15, "differs": 9}}])
    assert "2026-11-26" in trend and "reproduces" in trend
