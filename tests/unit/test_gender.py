"""Gender recognition (protocols.md §14): LTU-AS substring rule, macro-F1, judge-backed variants."""

from __future__ import annotations

import pytest
from sklearn.metrics import f1_score

from evaluators.errors import PredictionFormatError, ProtocolUnavailableError
from evaluators.predictions.base import PredictionSet
from evaluators.protocols import get_protocol

OUTPUTS = ["The speaker is a woman", "Female", "a male voice", "female speaker", "MALE", "I hear a man"]
REFERENCES = ["Female", "female", "male", "male", "Male", "female"]


def test_ltuas_example_woman_is_read_as_male():
    score = get_protocol("G-LTUAS").score(PredictionSet.from_pairs(["The speaker is a woman"], ["female"]))
    assert score.value == 0.0


def test_ltuas_accuracy_and_macro_f1_match_sklearn():
    predictions = PredictionSet.from_pairs(OUTPUTS, REFERENCES)
    predicted = ["female" if "female" in o.lower() else "male" for o in OUTPUTS]
    gold = [r.lower() for r in REFERENCES]
    accuracy = get_protocol("G-LTUAS").score(predictions)
    assert accuracy.value == pytest.approx(3 / 6)
    f1 = get_protocol("G-LTUAS-F1").score(predictions)
    assert f1.value == pytest.approx(f1_score(gold, predicted, average="macro"))
    assert f1.interval is not None and f1.interval.method.startswith("bootstrap")


def test_ltuas_reference_must_be_a_gender():
    with pytest.raises(PredictionFormatError, match="female or male"):
        get_protocol("G-LTUAS").score(PredictionSet.from_pairs(["female"], ["woman"]))


@pytest.mark.parametrize("protocol_id", ["G-SAKURA", "G-AB"])
def test_judge_backed_gender_protocols_are_unavailable(protocol_id):
    protocol = get_protocol(protocol_id)
    assert "judge" in protocol.unavailable
    with pytest.raises(ProtocolUnavailableError):
        protocol.score(PredictionSet.from_pairs(["female"], ["female"]))


def test_g_air_is_registered():
    assert get_protocol("G-AIR").family == "gender"
