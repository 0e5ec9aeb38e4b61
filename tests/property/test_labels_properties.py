"""Properties of the free-text → label rules (protocols.md §7, §13, §14)."""

from __future__ import annotations

import string

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import f1_score

from evaluators.metrics.labels import (
    MacroF1,
    cmi_label_set,
    cmi_normalise,
    cmi_substring_correct,
    ltuas_gender,
    parse_yes_no,
)
from evaluators.predictions.base import PredictionSet
from evaluators.protocols import get_protocol

labels = st.lists(st.text(alphabet=string.ascii_letters + "-_ .'#", min_size=1, max_size=10).filter(
    lambda text: any(char.isalpha() for char in text)), min_size=2, max_size=6, unique=True)
texts = st.text(max_size=40)


@given(texts)
def test_cmi_normalise_is_idempotent_and_removes_separators(text):
    once = cmi_normalise(text)
    assert cmi_normalise(once) == once
    assert not any(char in once for char in "_- .'#")


@given(labels, texts, st.data())
def test_cmi_correct_implies_gold_present_and_no_other_label(golds, response, data):
    try:
        label_set = cmi_label_set(golds)
    except ValueError:
        return   # colliding labels are refused, tested in the unit tests
    gold = data.draw(st.sampled_from(golds))
    if cmi_substring_correct(response, gold, label_set):
        normalised = cmi_normalise(response)
        assert cmi_normalise(gold) in normalised
        assert all(label not in normalised for label in label_set - {cmi_normalise(gold)})


@given(labels, st.data())
def test_cmi_gold_alone_is_correct_unless_another_label_is_inside_it(golds, data):
    try:
        label_set = cmi_label_set(golds)
    except ValueError:
        return
    gold = data.draw(st.sampled_from(golds))
    inside = any(label in cmi_normalise(gold) for label in label_set - {cmi_normalise(gold)})
    assert cmi_substring_correct(gold.upper(), gold, label_set) is (not inside)


@given(texts)
def test_yes_no_parse_is_case_insensitive_and_a_whole_word(text):
    answer = parse_yes_no(text)
    assert parse_yes_no(text.upper()) == answer == parse_yes_no(text.lower())
    if answer is not None:
        assert answer in text.lower()


@given(texts)
def test_ltuas_gender_is_female_iff_the_substring_occurs(text):
    assert (ltuas_gender(text) == "female") is ("female" in text.lower())


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["female", "male"]), st.sampled_from(["female", "male"])), min_size=1,
                max_size=30))
def test_macro_f1_matches_sklearn(pairs):
    metric = MacroF1(("female", "male"), lambda hyp, meta: hyp, "identity")
    stats = np.array([metric.item_stats(pred, [gold], {}) for gold, pred in pairs])
    gold, pred = zip(*pairs, strict=True)
    assert np.isclose(float(metric.aggregate(stats)), f1_score(gold, pred, average="macro"))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(texts, st.sampled_from(["neu", "hap", "exc", "sad", "ang", "fru"])), min_size=1,
                max_size=15))
def test_label_accuracies_are_fractions(rows):
    predictions = PredictionSet.from_pairs([text + "</s>" for text, _ in rows], [code for _, code in rows])
    for protocol_id in ("ER-JW", "ER-QWEN-EXACT", "LBL-CMI-SUBSTR"):
        score = get_protocol(protocol_id).score(predictions)
        if score.value is not None:
            assert 0.0 <= score.value <= 1.0
            assert score.interval.low <= score.value <= score.interval.high
