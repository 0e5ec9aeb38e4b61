"""Audio-captioning metrics and protocols (protocols.md §9), with the real Java and WordNet back ends.

Java (pycocoevalcap PTB tokeniser, METEOR 1.5) and WordNet (NLTK METEOR) come from Debian packages
(``make system-deps`` + ``make wordnet``). Without them these tests skip locally with the reason;
under CI (``CI=true``) a missing back end is a failure, never a skip.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

from evaluators.errors import ProtocolUnavailableError
from evaluators.metrics import wordnet_data
from evaluators.metrics.captions import (
    CocoBleu,
    CocoCiderD,
    CocoMeteor,
    CocoRougeL,
    java_unavailable_reason,
    meteor_jar,
    nltk_meteor,
    ptb_tokenize,
    sum_meteor_stats,
    wordnet_unavailable_reason,
)
from evaluators.predictions.base import PredictionSet
from evaluators.protocols import get_protocol
from evaluators.protocols.captioning import jw_normalise

IN_CI = os.environ.get("CI", "").lower() == "true"


def _prepare_wordnet() -> str | None:
    if wordnet_unavailable_reason() is not None and wordnet_data.DEBIAN_WORDNET_DIR.is_dir():
        try:
            wordnet_data.install()
        except (wordnet_data.WordNetSetupError, OSError):
            pass
    return wordnet_unavailable_reason()


JAVA_REASON = java_unavailable_reason()
WORDNET_REASON = _prepare_wordnet()
needs_java = pytest.mark.skipif(JAVA_REASON is not None and not IN_CI, reason=f"no Java: {JAVA_REASON}")
needs_wordnet = pytest.mark.skipif(WORDNET_REASON is not None and not IN_CI, reason=f"no WordNet: {WORDNET_REASON}")


def test_ci_has_java_and_wordnet():
    """The caption tests must run in CI: .ci/run installs Java and WordNet (make system-deps, make wordnet)."""
    if not IN_CI:
        pytest.skip("only enforced under CI=true")
    assert JAVA_REASON is None, JAVA_REASON
    assert WORDNET_REASON is None, WORDNET_REASON


# -- jaeeewon normalisation and PTB tokenisation ---------------------------------------------------

@pytest.mark.parametrize(("text", "normalised"), [
    ("A dog barks.", "a dog barks"),
    ("Birds  chirp, [noise] loudly!", "birds chirp noise loudly"),
    ("<unk> A car passes", "a car passes"),
])
def test_jw_normalise(text, normalised):
    assert jw_normalise(text) == normalised


@needs_java
@pytest.mark.parametrize(("caption", "tokens"), [
    ("A dog barks.", "a dog barks"),
    ("A cat meows!", "a cat meows"),
    ("It's raining -- hard...", "it 's raining hard"),
    ("", ""),
])
def test_ptb_tokeniser_lowercases_and_drops_punctuation(caption, tokens):
    assert ptb_tokenize([caption]) == [tokens]


# -- CIDEr-D (§9.1, §9.3) --------------------------------------------------------------------------

CIDER_PAIRS = (["a dog barks</s>", "a cat meows</s>"], ["a dog barks", "a bird sings"])


@needs_java
def test_jw_cider_d_example():
    score = get_protocol("AAC-JW-COCO/CIDEr").score(PredictionSet.from_pairs(*CIDER_PAIRS))
    assert [round(d.value, 10) for d in score.items] == [7.5, 0.0]
    assert score.value == pytest.approx(3.75)
    assert score.unit == "score" and score.interval.contains(3.75)


def test_nota_cider_d_prints_375():
    hyps = [h.replace("</s>", "") for h in CIDER_PAIRS[0]]
    score = get_protocol("AAC-NOTA-CIDERD").score(PredictionSet.from_pairs(hyps, CIDER_PAIRS[1]))
    assert f"{score.value:.4f}" == "375.0000"


def test_nota_needs_two_items_and_keeps_case():
    with pytest.raises(ValueError, match="at least 2 items"):
        get_protocol("AAC-NOTA-CIDERD").score(PredictionSet.from_pairs(["a dog"], ["a dog"]))
    upper = get_protocol("AAC-NOTA-CIDERD").score(PredictionSet.from_pairs(["a dog barks", "a cat meows"],
                                                                           ["A dog barks", "a bird sings"]))
    assert upper.value < 375.0   # 'A' ≠ 'a': no lowercasing of references


def test_cider_d_equals_pycocoevalcap_and_identical_is_maximal():
    from pycocoevalcap.cider.cider import Cider

    hyps = ["a man speaks while birds sing", "rain falls on a roof", "a car passes by"]
    refs = [["a man talks and birds chirp"], ["heavy rain falls on a metal roof"], ["a car drives past"]]
    metric = CocoCiderD(tokenize=False)
    stats = metric.batch_stats(hyps, refs, [{}] * 3)
    expected, per_item = Cider().compute_score(dict(enumerate(refs)), {i: [h] for i, h in enumerate(hyps)})
    assert metric.aggregate(stats) == pytest.approx(expected)
    assert stats[:, 0] == pytest.approx(per_item)
    identical = metric.batch_stats([r[0] for r in refs], refs, [{}] * 3)
    assert (identical[:, 0] >= stats[:, 0]).all()


# -- ROUGE-L (COCO) --------------------------------------------------------------------------------

@pytest.mark.parametrize(("hypothesis", "references", "value"), [
    ("a dog barks", ["a dog barks loudly"], 0.8356),
    ("a dog barks", ["a dog", "the dog barks loudly at night"], 0.8299),
])
def test_coco_rouge_l_examples(hypothesis, references, value):
    metric = CocoRougeL(tokenize=False)
    assert round(float(metric.aggregate(metric.batch_stats([hypothesis], [references], [{}]))), 4) == value


@needs_java
def test_qwen_coco_rouge_l_uses_all_references():
    predictions = PredictionSet.from_pairs(["A dog barks."], [("A dog.", "The dog barks loudly at night.")])
    assert round(get_protocol("AAC-QWEN-COCO/ROUGE-L").score(predictions).value, 4) == 0.8299


# -- BLEU (COCO) -----------------------------------------------------------------------------------

def test_coco_bleu_aggregate_equals_pycocoevalcap_and_handles_resample_batches():
    from pycocoevalcap.bleu.bleu import Bleu

    hyps = ["a dog is barking loudly", "the quick brown fox runs", "rain falls on a metal roof", "a"]
    refs = [["the dog barks", "a dog barking"], ["a fast brown fox is running away"],
            ["rain is falling on the roof", "heavy rain on metal"], ["a b"]]
    expected, _ = Bleu(4).compute_score(dict(enumerate(refs)), {i: [h] for i, h in enumerate(hyps)}, verbose=0)
    for order in range(1, 5):
        metric = CocoBleu(order, tokenize=False)
        stats = metric.batch_stats(hyps, refs, [{}] * 4)
        assert float(metric.aggregate(stats)) == pytest.approx(expected[order - 1], rel=1e-12)
        batch = np.stack([stats, stats[[0, 0, 1, 2]]])
        assert metric.aggregate(batch)[0] == pytest.approx(expected[order - 1], rel=1e-12)


# -- METEOR 1.5 (Java) -----------------------------------------------------------------------------

METEOR_PAIRS = [("a dog barks", ["a dog barks"]), ("a dog is barking loudly", ["the dog barks", "a dog barking"]),
                ("the quick brown fox runs", ["a fast brown fox is running away"]),
                ("rain falls on a metal roof", ["rain is falling on the roof", "heavy rain on metal"])]


@needs_java
def test_meteor_identical_pair_is_one_and_corpus_value_equals_the_jar():
    jar = meteor_jar()
    stats = np.array([jar.stats(h, r) for h, r in METEOR_PAIRS])
    per_item, corpus = jar.evaluate(stats)
    assert per_item[0] == 1.0                      # METEOR 1.5 on 'a dog barks' / 'a dog barks' (§9.1)
    metric = CocoMeteor(tokenize=False)
    assert float(metric.aggregate(stats)) == pytest.approx(corpus, abs=1e-12)
    for index, value in enumerate(per_item):
        assert float(metric.aggregate(stats[[index]])) == pytest.approx(value, abs=1e-12)
    # a perfect segment's chunk is zeroed before summing, as the jar does
    assert sum_meteor_stats(stats)[20] == stats[:, 20].sum() - 1


@needs_java
def test_jw_coco_meteor_protocol_runs_the_whole_chain():
    predictions = PredictionSet.from_pairs(["A dog barks.</s>", "a cat meows", "Birds chirp</s>"],
                                           ["a dog barks", "a cat meows", "birds sing"])
    score = get_protocol("AAC-JW-COCO/METEOR").score(predictions)
    assert score.skipped == {"missed_eos": 1} and score.n == 2
    assert score.items[0].value == 1.0
    assert 0 < score.value < 1 and score.interval is not None


# -- NLTK METEOR (§9.4, §9.5) ----------------------------------------------------------------------

@needs_wordnet
def test_nltk_meteor_identical_pair():
    assert round(nltk_meteor([["a", "dog", "barks"]], ["a", "dog", "barks"]), 5) == 0.98148
    score = get_protocol("AAC-NLTK-METEOR").score(PredictionSet.from_pairs(["A dog barks.</s>"], ["a dog barks"]))
    assert round(score.value, 5) == 0.98148


@needs_wordnet
def test_audiobench_meteor_example_on_token_lists():
    # word_tokenize("A dog barks.") = A dog barks . ; the period is an unmatched reference token
    assert round(nltk_meteor([["A", "dog", "barks", "."]], ["a", "dog", "barks"], 0.9, 3, 0.5), 4) == 0.7550


@needs_wordnet
def test_nltk_meteor_uses_wordnet_synonyms():
    # 'car' and 'auto' share the WordNet synset car.n.01: only the synonym stage can match them (nltk looks
    # up synonyms of the *stemmed* leftovers, so 'automobile' → 'automobil' would not match)
    synonym = nltk_meteor([["a", "auto", "passes"]], ["a", "car", "passes"])
    assert synonym == nltk_meteor([["a", "car", "passes"]], ["a", "car", "passes"])
    assert synonym > nltk_meteor([["a", "dog", "passes"]], ["a", "car", "passes"])


def test_audiobench_meteor_needs_punkt_and_says_so():
    protocol = get_protocol("AAC-AB-METEOR")
    from evaluators.metrics.captions import punkt_unavailable_reason

    if punkt_unavailable_reason() is None:
        pytest.skip("NLTK punkt_tab data is installed here")
    with pytest.raises(ProtocolUnavailableError, match="AAC-AB-METEOR is unavailable: .*punkt"):
        protocol.score(PredictionSet.from_pairs(["a dog"], ["a dog"]))


# -- SPICE / SPIDEr --------------------------------------------------------------------------------

@pytest.mark.parametrize("protocol_id", ["AAC-JW-COCO", "AAC-JW-COCO/SPICE", "AAC-QWEN-COCO",
                                         "AAC-QWEN-COCO/SPICE"])
def test_spice_and_spider_are_unavailable_by_name(protocol_id):
    protocol = get_protocol(protocol_id)
    assert "CoreNLP 3.6.0" in protocol.unavailable and protocol.describe()["available"] is False
    with pytest.raises(ProtocolUnavailableError, match=f"{protocol_id} is unavailable"):
        protocol.score(PredictionSet.from_pairs(["a dog barks</s>"], ["a dog barks"]))


def test_every_coco_metric_is_registered_for_both_families():
    for prefix in ("AAC-JW-COCO", "AAC-QWEN-COCO"):
        for name in ("BLEU-1", "BLEU-2", "BLEU-3", "BLEU-4", "METEOR", "ROUGE-L", "CIDEr", "SPICE"):
            assert get_protocol(f"{prefix}/{name}").family == "captioning"


@pytest.mark.parametrize("family", ["emotion", "keywords", "speaker", "gender", "captioning", "music-captioning",
                                    "mcq", "story"])
def test_signatures_never_hide_a_protocol_parameter_behind_a_metric_field(family):
    """A metric field with the same name as a protocol parameter would overwrite it in the signature."""
    from evaluators.protocols import all_protocols
    from evaluators.protocols.base import _format_param

    for protocol in all_protocols(family):
        fields = protocol.metric.signature_fields()
        clashes = {key: (value, fields[key]) for key, value in protocol.params.items()
                   if key in fields and fields[key] != _format_param(value)}
        assert not clashes, f"{protocol.id}: {clashes}"
        assert protocol.signature().startswith(f"proto:{protocol.id}|")
