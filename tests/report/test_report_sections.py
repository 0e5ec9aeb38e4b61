"""One report model, two renderings: sections are computed once and both pages render the same ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluators.report import writer
from evaluators.report.html import render_html
from evaluators.report.markdown import render_markdown
from evaluators.report.model import Report
from evaluators.report.sections import build_sections

#: the Report methods that decide what a section holds
SECTION_QUERIES = ("not_reproduced", "by_paper", "per_paper_counts", "prediction_sets", "skip_reasons")


def test_rendering_sections_equals_rendering_the_report(sample_report: Report) -> None:
    sections = build_sections(sample_report)
    assert render_markdown(sections) == render_markdown(sample_report)
    assert render_html(sections) == render_html(sample_report)


def test_writer_computes_each_section_once(sample_report: Report, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    calls: dict[str, int] = dict.fromkeys(SECTION_QUERIES, 0)
    for name in SECTION_QUERIES:
        original = getattr(Report, name)

        def counting(self, *args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Report, name, counting)
    writer.write_report(sample_report, tmp_path, append_history=False)
    assert (tmp_path / writer.MARKDOWN_NAME).read_text() and (tmp_path / writer.HTML_NAME).read_text()
    # build_sections asks each query once (by_paper a second time inside per_paper_counts); neither rendering
    # asks again (each used to ask on its own: by_paper 6 times, the others twice)
    assert calls == {**dict.fromkeys(SECTION_QUERIES, 1), "by_paper": 2}


def test_both_renderings_show_the_same_failures_and_papers(sample_report: Report) -> None:
    sections = build_sections(sample_report)
    markdown, html = render_markdown(sections), render_html(sections)
    for failure in sections.failures:
        assert f"`{failure.result.id}`" in markdown and f"<code>{failure.result.id}</code>" in html
    for paper in sections.papers:
        assert f"### {paper.paper}" in markdown and f">{paper.paper}</h3>" in html
    for sweep in sections.sweeps:
        for row in sweep.rows:
            assert row.protocol in markdown and row.protocol in html
