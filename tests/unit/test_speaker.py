"""Speaker verification (protocols.md §13): SV-JW examples, yes/no parsing, SALMONN's SV input."""

from __future__ import annotations

import numpy as np
import pytest

from evaluators.errors import PredictionFormatError
from evaluators.metrics.choice import answered_rate
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.protocols import get_protocol
from evaluators.protocols.speaker import SALMONN_SV_PROMPT, salmonn_sv_waveform


@pytest.mark.parametrize(("output", "value"), [
    ("Yes</s>", 1.0), ("Yes.</s>", 0.0), ("no</s>", 0.0), ("YES", 1.0), ("yes </s>", 1.0), ("Yes, same.</s>", 0.0),
])
def test_sv_jw_examples(output, value):
    assert get_protocol("SV-JW").score(PredictionSet.from_pairs([output], ["yes"])).value == value


def test_sv_jw_keeps_completed_items_only():
    items = (PredictionItem("a", "Yes</s>", ("yes",), metadata={"status": "completed"}),
             PredictionItem("b", "Yes</s>", ("yes",), metadata={"status": "failed"}),
             PredictionItem("c", "no</s>", ("yes",), metadata={"status": "completed"}))
    score = get_protocol("SV-JW").score(PredictionSet("vox", "vox.json", items))
    assert score.value == 0.5 and score.skipped == {"status_not_completed": 1}


def test_sv_yes_no_free_text():
    outputs = ["Yes, it is the same person.</s>", "No. Two different speakers.", "I can't tell.", "yes"]
    labels = ["Yes", "No", "No", "No"]
    score = get_protocol("SV-YESNO").score(PredictionSet.from_pairs(outputs, labels))
    assert [d.value for d in score.items] == [1.0, 1.0, 0.0, 0.0]
    assert score.value == 0.5
    assert answered_rate(score.stats) == 0.75


def test_sv_yes_no_label_must_be_yes_or_no():
    with pytest.raises(PredictionFormatError, match="item 0, field 'references'"):
        get_protocol("SV-YESNO").score(PredictionSet.from_pairs(["yes"], ["maybe"]))


def test_salmonn_sv_waveform_layout():
    first, second = np.ones(16000), 2 * np.ones(4000)
    audio = salmonn_sv_waveform(first, second)
    assert len(audio) == 16000 + 1600 + 4000
    assert (audio[:16000] == 1).all() and (audio[16000:17600] == 0).all() and (audio[17600:] == 2).all()


def test_salmonn_sv_waveform_pads_to_one_second_and_truncates_to_thirty():
    short = salmonn_sv_waveform(np.ones(100), np.ones(100), sampling_rate=8000)
    assert len(short) == 8000 and (short[1800:] == 0).all()   # the 1600-sample gap is fixed, not 0.1 s at 8 kHz
    long = salmonn_sv_waveform(np.ones(16000 * 20), np.ones(16000 * 20))
    assert len(long) == 16000 * 30
    stereo = salmonn_sv_waveform(np.stack([np.ones(16000), np.zeros(16000)], axis=1))
    assert (stereo == 1).all()
    assert SALMONN_SV_PROMPT.endswith("Answer yes or no.")


def test_sv_air_is_registered_as_mcq():
    assert get_protocol("SV-AIR").metric.rule == get_protocol("MCQ-AIR").metric.rule
