"""How numbers are written in the report (shared by markdown, HTML and the HTML parser test)."""

from __future__ import annotations

import pytest

from evaluators.report.formatting import fmt_delta, fmt_interval, fmt_number, fmt_skipped, fmt_tolerance


@pytest.mark.parametrize(("value", "text"), [
    (55.58, "55.58"), (55.5812, "55.5812"), (0.645, "0.645"), (64.5, "64.5"), (100.0, "100"), (0.0, "0"),
    (-0.0000001, "-1e-07"), (5.5e-16, "5.5e-16"), (1 / 3, "0.333333"), (4 / 3, "1.3333"),
    (0.555834307918663, "0.555834"), (None, "—"),
    (float("nan"), "—"), (-2.07, "-2.07"),
])
def test_fmt_number(value, text):
    assert fmt_number(value) == text


@pytest.mark.parametrize(("value", "text"), [
    (0.0012, "+0.0012"), (-2.07, "-2.07"), (0.0, "0"), (None, "—"), (0.000051, "+0.000051")])
def test_fmt_delta(value, text):
    assert fmt_delta(value) == text


def test_fmt_interval_and_tolerance():
    assert fmt_interval((54.9, 56.25)) == "[54.9, 56.25]"
    assert fmt_interval(None) == "—"
    assert fmt_tolerance(0.005) == "±0.005"
    assert fmt_tolerance(None) == "—"
    assert fmt_tolerance(5e-16) == "±5e-16"
    assert fmt_skipped({"no eos": 2, "empty": 5}) == "empty: 5, no eos: 2"
