"""Music-captioning protocols (protocols.md §10): MC-JW and MC-CMI on the spec's examples."""

from __future__ import annotations

import pytest

from evaluators.errors import ProtocolUnavailableError
from evaluators.metrics.captions import char_sentence_bleu, wordnet_unavailable_reason
from evaluators.predictions.base import PredictionSet
from evaluators.protocols import get_protocol
from evaluators.protocols.music_captioning import jw_mc_normalize

MELLOW = (["a mellow piano piece with strings</s>"], ["A mellow piano piece, with soft strings."])


@pytest.mark.parametrize(("protocol_id", "value"), [
    ("MC-JW", 20.82),             # 13a keeps 'A' ≠ 'a' and splits the comma and period
    ("MC-JW/normalize", 67.32),
])
def test_mc_jw_bleu_examples(protocol_id, value):
    assert round(get_protocol(protocol_id).score(PredictionSet.from_pairs(*MELLOW)).value, 2) == value


def test_mc_jw_rouge_l_f():
    assert round(get_protocol("MC-JW/ROUGE-L").score(PredictionSet.from_pairs(*MELLOW)).value, 3) == 0.923


def test_mc_jw_eos_variants():
    predictions = PredictionSet.from_pairs(["a mellow piano piece with strings</s>", "a mellow piano"],
                                           ["A mellow piano piece, with soft strings.", "a mellow piano"])
    assert get_protocol("MC-JW").score(predictions).n == 2
    skip = get_protocol("MC-JW/eos-skip").score(predictions)
    assert skip.n == 1 and skip.skipped == {"missed_eos": 1}
    assert round(skip.value, 2) == 20.82
    assert get_protocol("MC-JW/ROUGE-L/eos-skip").score(predictions).n == 1


def test_jw_mc_normalize_keeps_apostrophe_and_hyphen():
    assert jw_mc_normalize("A lo-fi, \"chill\" track; it's calm!") == "a lo-fi chill track it's calm"


@pytest.mark.parametrize(("reference", "candidate", "bleu", "bleu4"), [
    ("calm piano", "piano calm", 0.6756, 0.4286),
    ("a calm solo piano piece", "a calm piano piece", 0.7191, 0.6565),
])
def test_cmi_character_bleu_examples(reference, candidate, bleu, bleu4):
    assert round(char_sentence_bleu(reference, candidate), 4) == bleu
    assert round(char_sentence_bleu(reference, candidate, (0, 0, 0, 1)), 4) == bleu4
    predictions = PredictionSet.from_pairs([candidate], [reference])
    assert round(get_protocol("MC-CMI/BLEU").score(predictions).value, 4) == bleu
    assert round(get_protocol("MC-CMI/BLEU-4").score(predictions).value, 4) == bleu4
    assert get_protocol("MC-CMI").score(predictions).value == get_protocol("MC-CMI/BLEU").score(predictions).value


def test_cmi_word_bleu_would_be_zero_on_the_same_pair():
    import warnings

    from nltk.translate.bleu_score import sentence_bleu

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert sentence_bleu([["calm", "piano"]], ["piano", "calm"]) < 1e-200   # nltk's "0" (no bigram match)


def test_cmi_rouge_l_recall_example():
    predictions = PredictionSet.from_pairs(["piano melody"], ["a soft piano melody plays"])
    assert get_protocol("MC-CMI/ROUGE-L").score(predictions).value == pytest.approx(0.4)


def test_cmi_scores_raw_strings_with_special_tokens():
    raw = PredictionSet.from_pairs(["<s> calm piano</s>"], ["calm piano"])
    clean = PredictionSet.from_pairs(["calm piano"], ["calm piano"])
    assert get_protocol("MC-CMI/BLEU").score(raw).value < get_protocol("MC-CMI/BLEU").score(clean).value == 1.0


@pytest.mark.skipif(wordnet_unavailable_reason() is not None, reason="no WordNet (make wordnet)")
def test_cmi_meteor_on_wordpunct_tokens():
    predictions = PredictionSet.from_pairs(["a dog barks"], ["a dog barks"])
    assert round(get_protocol("MC-CMI/METEOR").score(predictions).value, 5) == 0.98148


def test_cmi_bertscore_is_unavailable_by_name():
    with pytest.raises(ProtocolUnavailableError, match="MC-CMI/BERTScore is unavailable: .*roberta-large"):
        get_protocol("MC-CMI/BERTScore").score(PredictionSet.from_pairs(["a"], ["a"]))
