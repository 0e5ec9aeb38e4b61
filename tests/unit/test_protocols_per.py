"""PER-JW (protocols.md §4)."""

from __future__ import annotations

import pytest

from evaluators.predictions.base import PredictionSet
from evaluators.protocols import get_protocol


def test_spec_example() -> None:
    result = get_protocol("PER-JW").score(PredictionSet.from_pairs(["HH AH0 L OW0</s>"], ["HH AH0 L OW1"]))
    assert result.value == pytest.approx(0.25)
    assert result.items[0].hypothesis == "hh ah0 l ow0"
    assert result.items[0].references == ("hh ah0 l ow1",)


def test_only_completed_items_with_eos_are_counted() -> None:
    predictions = PredictionSet.from_pairs(
        ["HH AH0</s>", "HH AH0</s>", "HH AH0", "L OW1</s>"], ["HH AH0", "HH AH0", "HH AH0", "L OW0"],
        metadata=[{"status": "completed"}, {"status": "failed"}, {"status": "completed"}, {}])
    result = get_protocol("PER-JW").score(predictions)
    assert result.skipped == {"missed_eos": 1, "not_completed": 1}
    assert result.n == 2 and result.value == pytest.approx(1 / 4)


def test_signature_names_phone_unit_and_eos_skip() -> None:
    protocol = get_protocol("PER-JW")
    assert protocol.family == "per"
    assert "unit:phone" in protocol.signature() and "skip_missed_eos:yes" in protocol.signature()
    assert protocol.sources[0].path == "dist_eval/eval_per.py"
