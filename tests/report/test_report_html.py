"""index.html: parsed back, its numbers match results.json; it is self-contained."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from evaluators.report.formatting import fmt_delta, fmt_interval, fmt_number, fmt_tolerance
from evaluators.report.html import render_html
from evaluators.report.model import Report
from evaluators.report.writer import write_report
from tests.report.report_samples import make_result


class ReportPage(HTMLParser):
    """Collects result rows (data-id → field → (data-value, text)), counts, sections and external references."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, tuple[dict[str, str], str]]] = {}
        self.counts: dict[str, str] = {}
        self.sections: list[str] = []
        self.external: list[str] = []
        self.svgs = 0
        self._row: str | None = None
        self._cell: tuple[str, dict[str, str]] | None = None
        self._count: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        for key in ("src", "href"):
            if attributes.get(key, "").startswith(("http:", "https:", "//")):
                self.external.append(attributes[key])
        if tag == "link" or (tag == "script" and "src" in attributes):
            self.external.append(f"<{tag}>")
        if tag == "svg":
            self.svgs += 1
        if tag == "section":
            self.sections.append(attributes.get("id", ""))
        if tag == "tr" and "data-id" in attributes:
            self._row = attributes["data-id"]
            self.rows[self._row] = {}
        if tag == "td" and self._row and "data-field" in attributes:
            self._cell, self._text = (attributes["data-field"], attributes), []
        if tag == "span" and "data-count" in attributes:
            self._count, self._text = attributes["data-count"], []

    def handle_data(self, data):
        if self._cell or self._count:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "td" and self._cell:
            field, attributes = self._cell
            self.rows[self._row][field] = (attributes, "".join(self._text).strip())
            self._cell = None
        if tag == "span" and self._count:
            self.counts[self._count] = "".join(self._text).strip()
            self._count = None
        if tag == "tr":
            self._row = None


def parse(html: str) -> ReportPage:
    page = ReportPage()
    page.feed(html)
    page.close()
    return page


def test_numbers_in_html_match_results_json(sample_report, tmp_path):
    write_report(sample_report, tmp_path)
    results = json.loads((tmp_path / "results.json").read_text())
    page = parse((tmp_path / "index.html").read_text())

    assert set(page.rows) == {r["id"] for r in results["results"]}
    for expected in results["results"]:
        row = page.rows[expected["id"]]
        for field in ("published", "value", "delta", "tolerance"):
            attributes, text = row[field]
            if expected[field] is None:
                assert "data-value" not in attributes and text == "—"
            else:
                assert float(attributes["data-value"]) == expected[field]
        assert row["published"][1] == fmt_number(expected["published"])
        assert row["value"][1] == fmt_number(expected["value"])
        assert row["delta"][1] == fmt_delta(expected["delta"])
        assert row["tolerance"][1] == fmt_tolerance(expected["tolerance"])
        attributes, text = row["interval"]
        assert text == fmt_interval(expected["interval"])
        if expected["interval"]:
            assert [float(attributes["data-low"]), float(attributes["data-high"])] == expected["interval"]
        assert row["protocol"][1] == (expected["protocol"] or "—")
        assert row["id"][1] == expected["id"]
        if expected["status"] in ("reproduces", "differs"):  # measured rows show the verdict over all candidates
            assert row["verdict"][1] == expected["verdict"]
            assert row["closest_protocol"][1] == expected["closest_protocol"]
        else:
            assert "verdict" not in row and "closest_protocol" not in row
    assert {r["verdict"] for r in results["results"]} == {"reproduces", "consistent", None}
    for status, count in results["counts"].items():
        assert page.counts[status] == str(count)


def test_page_is_self_contained_with_plots(sample_report, tmp_path):
    html = render_html(sample_report, history=[{"timestamp": "2026-11-25T02:00:00+00:00", "counts": {"reproduces": 1}},
                                               {"timestamp": "2026-11-26T02:00:00+00:00", "counts": {"reproduces": 2}}])
    page = parse(html)
    assert page.external == []
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    for section in ("summary", "changes", "not-reproduced", "published-vs-reproduced", "papers", "protocol-sweep",
                    "skips", "determinism", "trend"):
        assert section in page.sections
    # two published-vs-reproduced charts (asr, mcq), two protocol-spread charts, the trend
    assert page.svgs == 5
    assert "tiny-whisper" in html and "max_abs_logit_delta" in html
    anchors = set(re.findall(r'href="#([^"]+)"', html))
    targets = set(re.findall(r'id="([^"]+)"', html))
    assert anchors and anchors <= targets  # every table-of-contents link lands somewhere
    assert {"papers", "trend", "paper-mmau"} <= anchors


def test_sections_omitted_when_empty(tmp_path):
    page = parse(render_html(Report(results=[make_result("a", "no_predictions")])))
    assert "determinism" not in page.sections and "trend" not in page.sections
    assert "published-vs-reproduced" not in page.sections and "citations" not in page.sections
    assert page.svgs == 0


def test_text_is_escaped():
    html = render_html(Report(results=[make_result("a<b>", "differs", reason="<script>alert(1)</script>",
                                                   model="M&M")]))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert parse(html).rows["a<b>"]["model"][1] == "M&M"


def test_citation_section(sample_report):
    sample_report.citations = [{"model": "SALMONN-7B", "dataset": "LibriSpeech", "split": "test-clean",
                                "metric": "WER", "values": [
                                    {"id": "salmonn/ls", "paper": "SALMONN", "value": 2.1, "unit": "percent",
                                     "source": "Table 3"},
                                    {"id": "audiobench/ls", "paper": "AudioBench", "value": 55.58, "unit": "percent",
                                     "source": "Table 2"}]},
                               {"model": "X", "dataset": "Y", "split": "Z", "metric": "W",
                                "values": [{"id": "only", "paper": "P", "value": 1.0}]}]
    html = render_html(sample_report)
    assert "citations" in parse(html).sections
    assert "salmonn/ls" in html and "only" not in re.sub(r"<[^>]+>", " ", html).split()


def test_rendering_is_deterministic(sample_report):
    assert render_html(sample_report) == render_html(sample_report)


def test_data_warning_shown():
    report = Report(results=[make_result("a", "no_predictions", prediction_file="audiobench/x.json")],
                    run={"data_dir": None})
    assert 'id="data-warning"' in render_html(report)
    assert 'id="data-warning"' not in render_html(Report(results=[make_result("a")], run={"data_dir": "/d"}))
