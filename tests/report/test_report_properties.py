"""Property tests: any results (odd text, NaN, huge or tiny numbers) give a valid results.json, a markdown
table per paper whose rows keep their cell count, and an HTML page whose numbers read back exactly."""

from __future__ import annotations

import json
import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluators.checking import VERDICTS
from evaluators.report import html as html_module
from evaluators.report.markdown import render_markdown
from evaluators.report.model import NOT_MEASURED_STATUSES, Report
from evaluators.report.schema import validate_results
from evaluators.verdict import STATUSES, PaperValueResult, SweepValue
from tests.report.test_report_html import parse

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
numbers = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True, width=64),
                    st.floats(min_value=-1e6, max_value=1e6))


@st.composite
def results(draw) -> list[PaperValueResult]:
    out = []
    for index in range(draw(st.integers(min_value=1, max_value=6))):
        low, high = sorted([draw(st.floats(-1e3, 1e3)), draw(st.floats(-1e3, 1e3))])
        out.append(PaperValueResult(
            id=f"p{index}/{draw(text)}", paper=draw(st.sampled_from(["A | B", "C\nD", "<E>", "F & G"])),
            model=draw(text), task=draw(text), dataset=draw(text), split=draw(text), metric=draw(text),
            published=draw(st.floats(-1e6, 1e6)), unit=draw(st.sampled_from(["percent", "fraction", ""])),
            direction="lower", status=draw(st.sampled_from(STATUSES)),
            expected_status=draw(st.sampled_from(["reproduces", "differs", "unknown"])),
            protocol=draw(st.one_of(st.none(), text)), value=draw(numbers), delta=draw(numbers),
            tolerance=draw(numbers), interval=draw(st.one_of(st.none(), st.just((low, high)))),
            reason=draw(text), prediction_file=draw(st.one_of(st.none(), text)),
            sweep=[SweepValue(draw(text), draw(numbers))] if draw(st.booleans()) else [],
            verdict=draw(st.sampled_from([*VERDICTS, None])), closest_protocol=draw(st.one_of(st.none(), text)),
            skipped={draw(text): draw(st.integers(0, 10))} if draw(st.booleans()) else {}))
    return out


@pytest.fixture
def no_charts(monkeypatch):
    """Charts are tested elsewhere; here they would only slow the examples down."""
    monkeypatch.setattr(html_module.plots, "published_vs_reproduced", lambda rows: [])
    monkeypatch.setattr(html_module.plots, "protocol_spread", lambda rows: None)
    monkeypatch.setattr(html_module.plots, "trend", lambda history: None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=results())
def test_any_results_render_consistently(no_charts, rows):
    report = Report(results=rows)
    data = json.loads(report.to_json())
    validate_results(data)

    page = parse(html_module.render_html(report))
    assert set(page.rows) == {row["id"] for row in data["results"]}
    for expected in data["results"]:
        for field in ("published", "value", "delta", "tolerance"):
            attributes, _ = page.rows[expected["id"]][field]
            if expected[field] is None:
                assert "data-value" not in attributes
            else:
                assert float(attributes["data-value"]) == expected[field]
                assert math.isfinite(expected[field])
        measured = expected["status"] not in NOT_MEASURED_STATUSES
        assert {"verdict", "closest_protocol"} <= set(page.rows[expected["id"]]) or not measured
        assert measured or "verdict" not in page.rows[expected["id"]]

    markdown = render_markdown(report)
    for line in markdown.splitlines():
        if line.startswith("| `p"):  # a result row of a per-paper table: no stray pipe split a cell
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            assert len(cells) in (7, 14), line  # not measured; measured (with verdict, closest protocol)
