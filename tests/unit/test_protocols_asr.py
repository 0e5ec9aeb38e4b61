"""ASR protocols: every hand-computed example of protocols.md §2 as an exact value, plus skips and signatures."""

from __future__ import annotations

import pytest

from evaluators.predictions.base import PredictionSet
from evaluators.protocols import all_protocols, get_protocol
from evaluators.protocols.asr import jw_protocol, jw_strict_protocol

ASR_IDS = {"ASR-JW", "ASR-JW-STRICT", "ASR-NOTA", "ASR-QWEN2", "ASR-QWEN1", "ASR-AB", "ASR-AB-IMDA4", "ASR-FAIRSEQ",
           "ASR-FAIRSEQ-13A", "ASR-CMI", "ASR-COVOST"}


def score(protocol_id: str, hypotheses: list[str], references: list[str], metadata: list[dict] | None = None):
    return get_protocol(protocol_id).score(PredictionSet.from_pairs(hypotheses, references, metadata=metadata))


@pytest.mark.parametrize(("protocol_id", "hypothesis", "reference", "expected"), [
    ("ASR-JW", "Well-known, it's 5 o'clock.</s>", "WELL KNOWN IT'S FIVE O'CLOCK", 3 / 5),
    ("ASR-JW", "he hoped there would be stew for dinner.</s>", "HE HOPED THERE WOULD BE STEW FOR DINNER", 0.0),
    ("ASR-JW-STRICT", 'Here is the transcription: "The villages will save us."</s>', "THE VILLAGES WILL SAVE US", 0.0),
    ("ASR-NOTA", "it costs 20", "It costs twenty dollars.", 0.25),
    ("ASR-NOTA", "mister smith paid $20", "Mr. Smith paid twenty dollars.", 0.0),
    ("ASR-QWEN2", "it costs 20", "It costs twenty dollars.", 0.0),
    ("ASR-QWEN1", "He hoped , there would be stew.", "he hoped there would be stew", 2 / 6),
    ("ASR-AB", "I saw 5 cats.", "I saw five cats", 0.0),
    ("ASR-AB", "He had 21 colored balloons, uh", "HE HAD TWENTY ONE COLOURED BALLOONS", 0.0),
    ("ASR-AB", "It's 2 o'clock", "it is twenty clock", 0.0),
    ("ASR-AB", "[noise]", "hello", 1.0),
    ("ASR-FAIRSEQ", "hello world", "Hello, world", 0.5),
    ("ASR-FAIRSEQ-13A", "hello world", "Hello, world", 0.0),
    ("ASR-CMI", "The lyrics of the song are: I've got two tickets!", "I've got 2 tickets", 0.0),
    ("ASR-CMI", "Here are the lyrics: hello", "hello world", 2.5),
    ("ASR-COVOST", "it's a well-known fact", "It's a well-known fact.", 0.0),
    ("ASR-COVOST", "its a wellknown fact", "It's a well-known fact.", 0.5),
])
def test_spec_examples(protocol_id: str, hypothesis: str, reference: str, expected: float) -> None:
    result = score(protocol_id, [hypothesis], [reference])
    assert result.value == pytest.approx(expected, abs=1e-12)
    assert result.n == 1


def test_asr_jw_processed_texts() -> None:
    detail = score("ASR-JW", ["Well-known, it's 5 o'clock.</s>"], ["WELL KNOWN IT'S FIVE O'CLOCK"]).items[0]
    assert detail.hypothesis == "wellknown its 5 oclock"
    assert detail.references == ("well known its five oclock",)
    assert detail.stats == (3.0, 5.0)


def test_asr_jw_skips_missed_eos_and_gigaspeech_tag_only_references() -> None:
    result = score("ASR-JW", ["a b</s>", "cut off", "x</s>", "<NOISE></s>"],
                   ["A B", "CUT OFF", "<MUSIC>", "<NOISE> <MUSIC>"], metadata=[{"dataset": "GigaSpeech"}] * 4)
    # eval_wer.py (db 5): "<MUSIC>" is skipped; "<NOISE> <MUSIC>" leaves a space: scored (empty after the chain)
    assert result.skipped == {"empty_answer": 1, "missed_eos": 1}
    assert result.n == 2 and result.value == pytest.approx(0 / 2)


def test_asr_jw_scores_tag_only_references_outside_gigaspeech() -> None:
    # LibriSpeech: no tag rule; punctuation goes first, so "[MUSIC]" is the word "music"
    result = score("ASR-JW", ["music</s>", "x</s>"], ["[MUSIC]", "<MUSIC>"])
    assert result.skipped == {} and result.n == 2
    assert result.value == pytest.approx((0 + 1) / 1)


def test_asr_jw_without_eos_skip_counts_every_item() -> None:
    protocol = jw_protocol("ASR-JW-NOSKIP-TEST", skip_eos=False)
    result = protocol.score(PredictionSet.from_pairs(["a b</s>", "cut off"], ["A B", "CUT OF"]))
    assert result.n == 2 and result.value == pytest.approx(1 / 4)
    assert "skip_missed_eos:no" in protocol.signature()


def test_asr_jw_strict_include_set_is_a_parameter() -> None:
    hyps = ["hello</s>", "I'm sorry, no</s>", "cut off"]
    refs = ["HELLO", "HELLO", "CUT OFF"]
    default = get_protocol("ASR-JW-STRICT").score(PredictionSet.from_pairs(hyps, refs))
    assert default.skipped == {"no_eos": 1, "sorry_rejected": 1} and default.n == 1
    everything = jw_strict_protocol(include=("valid", "sorry_rejected", "no_eos"), protocol_id="ASR-JW-STRICT-ALL")
    result = everything.score(PredictionSet.from_pairs(hyps, refs))
    assert result.n == 3 and result.skipped == {}
    assert "include:no_eos+sorry_rejected+valid" in everything.signature()
    with pytest.raises(ValueError, match="unknown ASR-JW-STRICT categories"):
        jw_strict_protocol(include=("nonsense",))


def test_asr_nota_cuts_at_end_symbol() -> None:
    assert score("ASR-NOTA", ["hello world<|end_of_text|>garbage words"], ["Hello world"]).value == 0.0


def test_asr_qwen2_groups_by_source_and_language() -> None:
    metadata = [{"source": "librispeech"}, {"source": "librispeech"}, {"source": "aishell2"}]
    result = score("ASR-QWEN2", ["it costs 20", "a b", "今天天气真好"],
                   ["It costs twenty dollars.", "a c", "今天天气很好。"], metadata)
    assert set(result.groups) == {"librispeech", "aishell2"}
    assert result.groups["librispeech"].value == pytest.approx(1 / 5)
    assert result.groups["aishell2"].value == pytest.approx(1 / 6)  # CER: 。 became a space
    assert result.value == pytest.approx(2 / 11)


def test_asr_qwen_language_from_metadata_lang() -> None:
    result = score("ASR-QWEN1", ["今天天气真好"], ["今天天气很好。"], [{"lang": "zh", "source": "x"}])
    assert result.value == pytest.approx(2 / 7)


def test_asr_ab_empty_output_becomes_the_word_empty() -> None:
    detail = score("ASR-AB", ["[noise] uh"], ["hello there"]).items[0]
    assert detail.hypothesis == "empty"
    assert detail.stats == (2.0, 2.0)


def test_asr_cmi_is_a_macro_mean() -> None:
    result = score("ASR-CMI", ["a b", "x"], ["a c", "x y z w"])
    assert result.value == pytest.approx((1 / 2 + 3 / 4) / 2)
    assert result.aggregation == "macro"


def test_every_asr_protocol_is_registered_cited_and_signed() -> None:
    protocols = {p.id: p for p in all_protocols("asr")}
    assert ASR_IDS <= set(protocols)
    for protocol in protocols.values():
        assert protocol.sources and all(source.repo and source.path for source in protocol.sources)
        assert protocol.spec.startswith("protocols.md §2")
        assert protocol.aggregation in ("corpus", "macro")
        signature = protocol.signature()
        assert signature.startswith(f"proto:{protocol.id}|") and f"agg:{protocol.aggregation}" in signature
        for field in signature.split("|"):
            key, _, value = field.partition(":")
            assert key and value, field


def test_asr_covost_says_it_is_text_only() -> None:
    protocol = get_protocol("ASR-COVOST")
    assert "TEXT ONLY" in protocol.title and protocol.params["text_only"] is True


def test_asr_ab_memo_is_dropped_after_a_run() -> None:
    protocol = get_protocol("ASR-AB")
    protocol.score(PredictionSet.from_pairs(["A b"], ["a B"]))
    assert all(memo._cache is None for memo in protocol.memos)



@pytest.mark.parametrize("protocol_id", ["ASR-NOTA", "ASR-QWEN2", "ASR-QWEN1", "ASR-FAIRSEQ", "ASR-COVOST"])
def test_corpus_protocols_keep_empty_references_like_the_original(protocol_id: str) -> None:
    result = score(protocol_id, ["a b", "extra words"], ["a c", ""])
    assert result.skipped == {} and result.n == 2
    assert result.value == pytest.approx((1 + 2) / 2)


@pytest.mark.parametrize(("protocol_id", "expected"), [("ASR-JW", (1 + 2) / 2), ("ASR-CMI", (1 / 2 + 2) / 2)])
def test_jiwer4_protocols_score_empty_references(protocol_id: str, expected: float) -> None:
    # jiwer 4.0.0: an empty reference is scored, its insertions count (per sample: the "rate" is their number)
    result = score(protocol_id, ["a b</s>", "extra words</s>"], ["a c", "!!"])
    assert result.skipped == {} and result.n == 2
    assert result.value == pytest.approx(expected)


def test_jiwer4_corpus_of_empty_references_is_the_insertion_count() -> None:
    assert score("ASR-JW", ["x y</s>"], [""]).value == 2.0
    assert score("ASR-JW", ["</s>"], [""]).value == 0.0
