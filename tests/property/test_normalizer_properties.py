"""Normalisers on arbitrary text: they never crash, the fast paths equal the reference paths, and
idempotence holds exactly where it was found to hold.

Idempotence was checked for every Unicode code point alone and in context (``c``, ``a c b``,
``cc``, ``1 c 2``) and with hypothesis: WN-BASIC, CN-TN and the ASR-JW jiwer chain are idempotent;
WN-EN and ASR-AB are not (``1%`` → ``one `` → ``one``; ``O0`` → ``zero zero`` → ``00``), which is
why normalised AudioBench text cannot be re-scored with ASR-AB.
"""

from __future__ import annotations

import jiwer
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluators.protocols.asr import cmi_clean, covost_text, qwen2_normalize
from evaluators.text import jiwer_chains as jc
from evaluators.text.cleanup import classify_strict, remove_sp, strip_cmi_prefixes
from evaluators.text.cn_tn import cn_tn
from evaluators.text.evaltok import EvaluationTokenizer
from evaluators.text.normalizers import (
    NUMBER_RUNS,
    FastNumberNormalizer,
    audiobench_asr,
    audiobench_asr_reference,
    wn_basic,
    wn_en,
    wn_en_reference,
)

PIECES = ["one", "two", "twenty", "first", "hundred", "and", "a", "half", "point", "five", "oh", "o", "dollars",
          "cents", "percent", "per", "cent", "minus", "double", "mr", "dr.", "st", "it's", "won't", "can't",
          "i'm", "they've", "don't", "'s", "n't", "colour", "uh", "um", "er", "ah", "hmm", "[noise]", "<unk>",
          "(aside)", "{x}", "1", "2", "10", "21", "1,000", "3.5", "$20", "£3", "€", "¢", "%", "5th", "1990s",
          ".", ",", "!", "?", "-", "'", '"', "—", "…", "café", "naïve", "ß", "æ", "İ", "ﬁ", "½", "²", "我", "喜欢",
          "3个", "％", "。", "，", "<s>", "</s>", "<|en|>", "\n", "\t", "  ", "O2O", "年", "月", "日"]
SEPARATORS = st.sampled_from([" ", "", "  ", "\n", ", ", "-"])
MIXED = st.lists(st.tuples(st.sampled_from(PIECES) | st.text(max_size=3), SEPARATORS), max_size=14).map(
    lambda parts: "".join(piece + sep for piece, sep in parts))
ANY_TEXT = st.text(max_size=40) | MIXED
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(ANY_TEXT)
def test_normalisers_never_crash(text: str) -> None:
    for function in (wn_en, wn_basic, cn_tn, jc.jw_chain, jc.audiobench_chain, cmi_clean, covost_text,
                     strip_cmi_prefixes):
        assert isinstance(function(text), str)
    for variant in ("en", "zh", "imda4"):
        assert isinstance(audiobench_asr(text, variant=variant), str)
    for language in ("en", "zh", "yue", "fr"):
        assert isinstance(qwen2_normalize(remove_sp(text, language), language), str)
    assert classify_strict(text, "reference")[0]


@SETTINGS
@given(ANY_TEXT)
def test_evaltok_never_crashes(text: str) -> None:
    for name in ("none", "13a", "intl", "zh", "char"):
        tokenizer = EvaluationTokenizer(name, lowercase=True, punctuation_removal=True, character_tokenization=True)
        assert isinstance(tokenizer.tokens(text), list)


@SETTINGS
@given(ANY_TEXT)
def test_fast_paths_equal_reference_paths(text: str) -> None:
    assert wn_en(text) == wn_en_reference(text)
    for variant in ("en", "zh", "imda4"):
        assert audiobench_asr(text, variant=variant) == audiobench_asr_reference(text, variant=variant)
    numbers = FastNumberNormalizer()
    assert numbers(text) == numbers.slow(text)


@SETTINGS
@given(ANY_TEXT)
def test_fast_jiwer_transforms_equal_jiwer(text: str) -> None:
    assert jc.remove_punctuation(text) == jiwer.RemovePunctuation()(text)
    assert jc.remove_kaldi_non_words(text) == jiwer.RemoveKaldiNonWords()(text)
    assert jc.expand_common_english_contractions(text) == jiwer.ExpandCommonEnglishContractions()(text)
    assert jc.remove_multiple_spaces(text) == jiwer.RemoveMultipleSpaces()(text)
    assert jc.jw_chain(text) == jc.jiwer_reference_chain(jc.JW_CHAIN_NAMES)(text)
    assert jc.audiobench_chain(text) == jc.jiwer_reference_chain(jc.AUDIOBENCH_CHAIN_NAMES)(text)
    words = jiwer.transformations.wer_default(text)
    assert jc.jiwer_words(text) == (words[0] if words else [])


@SETTINGS
@given(ANY_TEXT)
def test_idempotent_normalisers(text: str) -> None:
    for function in (wn_basic, cn_tn, jc.jw_chain):
        once = function(text)
        assert function(once) == once


@pytest.mark.parametrize(("function", "text", "once", "twice"), [
    (wn_en, "1%", "one ", "one"),
    (audiobench_asr, "O0", "zero zero", "00"),
])
def test_wn_en_and_asr_ab_are_not_idempotent(function, text: str, once: str, twice: str) -> None:
    assert function(text) == once
    assert function(once) == twice


_VOCABULARY = sorted(FastNumberNormalizer().vocabulary)
NUMBER_HEAVY = st.lists(st.sampled_from(_VOCABULARY) | st.sampled_from(["x", "cat", "$", "£5", "1", "2.5", "07", "s",
                                                                         "th", "a", "half", "$x", "¢3", "%", "ah1",
                                                                         "1a", "x2y", "1s", "10th", "1\t", "nd",
                                                                         "1st", "st", "rd"]),
                        max_size=16).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(NUMBER_HEAVY)
def test_number_normaliser_runs_equal_whole_text_on_number_heavy_text(text: str) -> None:
    numbers = FastNumberNormalizer()
    assert numbers(text) == numbers.slow(text)


#: lowercase transcripts of letters, digits, apostrophes, spaces and . , ? ! " : ; - (the plain path of ASR-AB's
#: normaliser: transcripts, written sentences, phone strings), with the words its guards are about: perfect
#: tenses across a space, fillers before apostrophes, "and a half", numbers, digit/suffix pairs
PLAIN_PIECES = ["he'd", "she's", "it's", "been", "gone", "done", "got", "gotta", "'s", "'d", "'", "''", "uh", "um",
                "uh'", "mm's", "hmm", "er", "ah", "umm", "and", "a", "half", "one", "two", "twenty", "first", "oh",
                "o", "point", "five", "hundred", "dollars", "cents", "percent", "double", "mr", "st", "won't", "can't",
                "let's", "y'all", "ma'am", "i'ma", "wanna", "colour", "neighbour", "theatre", "cause", "kinda", "x",
                "second", "third", "sixteenth", "thirty", "eleven", "zero", "one one", "and one", "ah0", "eh1",
                "iy0 s", "1", "2", "10", "21", "0", "s", "st", "th", "nd", "1s", "o0", "100", "sil", "2nd", "mr.",
                "3.5", ".5", "1,000", "5,", "a.", ".", "..", "?", '"', "-", "uh,", "st.", "dr.", "u.s.", "etc."]
PLAIN_CHARACTERS = "abcdefghijklmnopqrstuvwxyz'0123456789.,?!\":;-"
PLAIN_TEXT = st.lists(st.tuples(st.sampled_from(PLAIN_PIECES) | st.text(PLAIN_CHARACTERS, max_size=5),
                                st.sampled_from([" ", "  ", "", "'"])), max_size=14).map(
    lambda parts: "".join(piece + sep for piece, sep in parts))


@settings(max_examples=600, deadline=None)
@given(PLAIN_TEXT)
def test_plain_transcripts_equal_the_reference_path(text: str) -> None:
    assert audiobench_asr(text) == audiobench_asr_reference(text)
    with NUMBER_RUNS.run():  # the run-scoped token and word tables give the same result
        assert audiobench_asr(text) == audiobench_asr(text) == audiobench_asr_reference(text)
