"""Emotion and free-text → label protocols: the examples of protocols.md §7, item by item."""

from __future__ import annotations

import pytest

from evaluators.errors import PredictionFormatError, ProtocolUnavailableError
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.protocols import get_protocol


def one(prediction: str, reference: str, item_id: str = "Ses05F_impro01_F000", **metadata) -> PredictionSet:
    return PredictionSet("t", "t.json", (PredictionItem(item_id, prediction, (reference,), metadata=metadata),))


# -- §7.1 ER-JW ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("gold", "output", "value", "skipped"), [
    ("exc", "Happy</s>", 1.0, {}),
    ("exc", "Happy.</s>", 0.0, {}),
    ("exc", "happy</s>", 0.0, {}),
    ("fru", "Happy</s>", None, {"gold_label_outside_four_classes": 1}),
    ("exc", "Happy", None, {"missed_eos": 1}),
    ("neu", "Neutral</s>", 1.0, {}),
    ("hap", " Happy </s>", 1.0, {}),
    ("ang", "Angry</s>", 1.0, {}),
    ("sad", "Neutral</s>", 0.0, {}),
])
def test_er_jw_examples(gold, output, value, skipped):
    score = get_protocol("ER-JW").score(one(output, gold))
    assert score.value == value
    assert score.skipped == skipped


def test_er_jw_skips_gold_before_eos_and_counts_reasons():
    items = [PredictionItem(f"Ses05M_script0{i}", out, (gold,)) for i, (gold, out) in enumerate([
        ("exc", "Happy</s>"), ("neu", "Happy</s>"), ("xxx", "Happy"), ("sad", "Sad"), ("ang", "Angry</s>")])]
    items.append(PredictionItem("Ses01F_impro01_F000", "Happy</s>", ("hap",)))
    score = get_protocol("ER-JW").score(PredictionSet("t", "t.json", tuple(items)))
    assert score.value == pytest.approx(2 / 3) and score.n == 3
    assert score.skipped == {"gold_label_outside_four_classes": 1, "missed_eos": 1, "not_session_5": 1}
    assert score.interval.method == "wilson"


def test_er_jw_session_metadata():
    assert get_protocol("ER-JW").score(one("Happy</s>", "hap", item_id="x", session=4)).skipped == \
        {"not_session_5": 1}
    assert get_protocol("ER-JW").score(one("Happy</s>", "hap", item_id="x", session="5")).value == 1.0


def test_er_jw_unknown_gold_code_names_file_and_item():
    with pytest.raises(PredictionFormatError, match=r"t\.json, item Ses05F_impro01_F000, field 'references'.*joy"):
        get_protocol("ER-JW").score(one("Happy</s>", "joy"))


# -- §7.2 ER-QWEN-EXACT ----------------------------------------------------------------------------

@pytest.mark.parametrize(("protocol_id", "response", "value"), [
    ("ER-QWEN-EXACT", " neutral", 1.0),
    ("ER-QWEN-EXACT", "Neutral", 0.0),
    ("ER-QWEN-EXACT", "neutral.", 0.0),
    ("ER-QWEN-EXACT", "neutral ", 0.0),      # lstrip only: a trailing space stays
    ("ER-QWEN1-EXACT", "neutral ", 1.0),     # Qwen-Audio strips at decode
    ("ER-QWEN1-EXACT", "Neutral", 0.0),
])
def test_qwen_exact_examples(protocol_id, response, value):
    assert get_protocol(protocol_id).score(one(response, "neutral")).value == value


def test_qwen_exact_equals_sklearn_accuracy():
    from sklearn.metrics import accuracy_score

    gts = ["neutral", "joy", "anger", "neutral", "sadness"]
    responses = [" neutral", "joy.", "anger", "Neutral", " sadness"]
    predictions = PredictionSet.from_pairs(responses, gts)
    expected = accuracy_score(gts, [r.lstrip() for r in responses])
    assert get_protocol("ER-QWEN-EXACT").score(predictions).value == pytest.approx(expected) == 0.6


# -- §7.5 LBL-CMI-SUBSTR ---------------------------------------------------------------------------

GENRES = ["blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock"]


def test_cmi_substring_uses_the_label_set_of_the_whole_file():
    golds = GENRES + ["rock", "hiphop"]
    outputs = ["<s> Blues</s>", "classical music", "country", "disco!", "hip-hop", "Jazz.", "metal rock",
               "POP", "reggae", "Rock.", "rock", "This is hip-hop music."]
    score = get_protocol("LBL-CMI-SUBSTR").score(PredictionSet.from_pairs(outputs, golds))
    assert [d.value for d in score.items] == [1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1]
    assert score.value == pytest.approx(11 / 12)
    assert "cmi-substring-10-labels" in score.signature


def test_cmi_label_set_changes_the_verdict():
    # with only {rock, blues} in the file, 'rock and pop' is correct: 'pop' is not a label here
    predictions = PredictionSet.from_pairs(["rock and pop", "blues"], ["rock", "blues"])
    assert get_protocol("LBL-CMI-SUBSTR").score(predictions).value == 1.0
    predictions = PredictionSet.from_pairs(["rock and pop", "blues", "pop"], ["rock", "blues", "pop"])
    assert get_protocol("LBL-CMI-SUBSTR").score(predictions).value == pytest.approx(2 / 3)


def test_cmi_colliding_labels_are_an_error_naming_the_file():
    predictions = PredictionSet("x", "gtzan.json", (PredictionItem("0", "a", ("hip-hop",)),
                                                     PredictionItem("1", "a", ("hiphop",))))
    with pytest.raises(PredictionFormatError, match="gtzan.json.*collide"):
        get_protocol("LBL-CMI-SUBSTR").score(predictions)


# -- §7.3, §7.4: need a judge / an embedding model -------------------------------------------------

@pytest.mark.parametrize(("protocol_id", "needs"), [("ER-AB-JUDGE", "judge"), ("ER-LTUAS-EMBED", "embedding")])
def test_unavailable_emotion_protocols(protocol_id, needs):
    protocol = get_protocol(protocol_id)
    assert needs in protocol.unavailable
    assert protocol.describe()["available"] is False
    with pytest.raises(ProtocolUnavailableError, match=f"{protocol_id} is unavailable"):
        protocol.score(one("happy", "hap"))
