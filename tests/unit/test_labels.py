"""Free-text → label rules and the accuracy / macro-F1 metrics (evaluators/metrics/labels.py)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import f1_score

from evaluators.metrics.labels import (
    Accuracy,
    MacroF1,
    cmi_label_set,
    cmi_normalise,
    cmi_substring_correct,
    exact_match,
    iemocap_label,
    ltuas_gender,
    parse_yes_no,
)

GTZAN = ["blues", "classical", "country", "disco", "hip-hop", "jazz", "metal", "pop", "reggae", "rock"]


@pytest.mark.parametrize(("text", "normalised"), [
    ("Hip-Hop", "hiphop"),
    ("lip_trill", "liptrill"),
    ("C# major", "c\u266fmajor"),
    ("This is hip-hop music.", "thisishiphopmusic"),
    ("rock 'n' roll", "rocknroll"),
    ("<s> Classical</s>", "<s>classical</s>"),
])
def test_cmi_normalise(text, normalised):
    assert cmi_normalise(text) == normalised


@pytest.mark.parametrize(("response", "gold", "correct"), [
    # protocols.md §7.5 says this is wrong because 'pop' is inside; it is not: "hiphop" has no "pop"
    # substring (h-i-p-h-o-p), and CMI-Bench's own rule scores it correct
    ("This is hip-hop music.", "hip-hop", True),
    ("hiphop", "hip-hop", True),
    ("hip-hop, maybe pop", "hip-hop", False),
    ("Rock.", "rock", True),
    ("<s> Classical</s>", "classical", True),
    ("<s> Classical</s>", "blues", False),
    ("rock or metal", "rock", False),
    ("Jazz", "jazz", True),
])
def test_cmi_substring_examples(response, gold, correct):
    assert cmi_substring_correct(response, gold, cmi_label_set(GTZAN)) is correct


def test_cmi_label_set_refuses_colliding_labels():
    with pytest.raises(ValueError, match="collide"):
        cmi_label_set(["hip-hop", "hiphop"])
    assert cmi_label_set(["lip_trill", "belt", "belt"]) == frozenset({"liptrill", "belt"})


@pytest.mark.parametrize(("code", "label"), [
    ("neu", "Neutral"), ("hap", "Happy"), ("exc", "Happy"), ("sad", "Sad"), ("ang", "Angry"),
    ("fru", None), ("xxx", None), ("oth", None), ("sur", None), ("fea", None), ("dis", None),
    ("Happy", "Happy"),
])
def test_iemocap_mapping(code, label):
    assert iemocap_label(code) == label


def test_iemocap_unknown_code():
    with pytest.raises(ValueError, match="unknown IEMOCAP label code 'joy'"):
        iemocap_label("joy")


@pytest.mark.parametrize(("prediction", "label"), [
    ("The speaker is a woman", "male"),   # protocols.md §14: wrong for a female reference
    ("FEMALE", "female"),
    ("female voice", "female"),
    ("male", "male"),
    ("", "male"),
])
def test_ltuas_gender(prediction, label):
    assert ltuas_gender(prediction) == label


@pytest.mark.parametrize(("text", "answer"), [
    ("Yes", "yes"), ("yes.", "yes"), ("No</s>", "no"), ("No, they are different people.", "no"),
    ("I think yes", "yes"), ("Nobody", None), ("Yesterday", None), ("", None), ("YES, no doubt", "yes"),
])
def test_parse_yes_no(text, answer):
    assert parse_yes_no(text) == answer


def test_accuracy_metric_statistics():
    metric = Accuracy(exact_match, "exact")
    rows = np.array([metric.item_stats(h, [r], {}) for h, r in [("a", "a"), ("b", "a"), ("a", "a")]])
    assert rows.tolist() == [[1, 1], [0, 1], [1, 1]]
    assert metric.aggregate(rows) == pytest.approx(2 / 3)
    assert metric.signature_fields() == {"metric": "accuracy", "match": "exact"}


@pytest.mark.parametrize(("gold", "predicted"), [
    (["female", "male", "female", "male", "female"], ["female", "female", "male", "male", "female"]),
    (["female"] * 4, ["male"] * 4),
    (["male", "male", "female"], ["male", "male", "female"]),
    (["female", "male"], ["female", "female"]),
])
def test_macro_f1_equals_sklearn(gold, predicted):
    metric = MacroF1(("female", "male"), lambda hyp, meta: hyp, "identity")
    stats = np.array([metric.item_stats(p, [g], {}) for g, p in zip(gold, predicted, strict=True)])
    assert float(metric.aggregate(stats)) == pytest.approx(f1_score(gold, predicted, average="macro"))
    batch = np.stack([stats, stats[::-1]])     # the bootstrap passes 3-D batches
    assert metric.aggregate(batch).shape == (2,)


def test_macro_f1_rejects_unknown_gold_and_macro_aggregation():
    metric = MacroF1(("female", "male"), lambda hyp, meta: hyp, "identity")
    with pytest.raises(ValueError, match="not one of"):
        metric.item_stats("male", ["unknown"], {})
    with pytest.raises(ValueError, match="corpus"):
        metric.aggregate(np.zeros((1, 6)), "macro")
    with pytest.raises(ValueError, match="distinct"):
        MacroF1(("a", "a"), lambda hyp, meta: hyp, "identity")
