"""jiwer transforms as the repositories chain them (protocols.md §1.6, §2.1), checked against jiwer itself."""

from __future__ import annotations

import string

import jiwer
import pytest

from evaluators.text import jiwer_chains as jc


@pytest.mark.parametrize(("text", "expected"), [
    ("well-known", "wellknown"), ("o'clock", "oclock"), ("a <b> $c$ +d=", "a <b> $c$ +d="),
    ("[x] /y/ 'z'", "x y z"), ("«quoted»—dash", "quoteddash"),
])
def test_remove_punctuation_deletes_p_category_only(text: str, expected: str) -> None:
    assert jc.remove_punctuation(text) == expected == jiwer.RemovePunctuation()(text)


def test_remove_punctuation_ascii_is_jiwer_2_3() -> None:
    assert jc.remove_punctuation_ascii("a<b>$c+d=e^f|g~h") == "abcdefgh"
    assert jc.remove_punctuation_ascii(string.punctuation) == ""


@pytest.mark.parametrize(("text", "expected"), [
    ("<COMMA> HELLO [laughter] <MUSIC>", "hello laughter"),
    ("he ate stew for dinner.</s>", "he ate stew for dinner"),
    ("Well-known, it's 5 o'clock.</s>", "wellknown its 5 oclock"),
    ("WELL KNOWN IT'S FIVE O'CLOCK", "well known its five oclock"),
    ("  spaced   out  ", "spaced out"),
])
def test_jw_chain_examples(text: str, expected: str) -> None:
    assert jc.jw_chain(text) == expected
    assert jc.jw_chain(text) == jc.jiwer_reference_chain(jc.JW_CHAIN_NAMES)(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("<COMMA> HELLO [laughter] <MUSIC>", "comma hello laughter music"),
    ("he ate stew for dinner.</s>", "he ate stew for dinners"),
])
def test_jiwer_2_3_punctuation_gives_other_results(text: str, expected: str) -> None:
    old_chain = jc.compose(jc.to_lower, jc.remove_punctuation_ascii, jc.remove_kaldi_non_words,
                           jc.remove_multiple_spaces, jc.strip)
    assert old_chain(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("won't can't let's", "will not can not let us"), ("john's", "john is"), ("they'd've", "they would have"),
    ("no apostrophe", "no apostrophe"),
])
def test_expand_common_english_contractions(text: str, expected: str) -> None:
    assert jc.expand_common_english_contractions(text) == expected
    assert jiwer.ExpandCommonEnglishContractions()(text) == expected


@pytest.mark.parametrize(("text", "expected"), [("a [x] b <y> c", "a  b  c"), ("a [x", "a [x"), ("<>", "")])
def test_remove_kaldi_non_words_keeps_surrounding_spaces(text: str, expected: str) -> None:
    assert jc.remove_kaldi_non_words(text) == expected == jiwer.RemoveKaldiNonWords()(text)


@pytest.mark.parametrize("text", ["a  b", " a b ", "a\tb", "a \t b", "", "   ", "x\n\ny"])
def test_tokenisation_equals_jiwer_defaults(text: str) -> None:
    words = jiwer.transformations.wer_default(text)
    assert jc.jiwer_words(text) == (words[0] if words else [])
    assert jc.jiwer_chars(text) == jiwer.transformations.cer_default(text)[0]


def test_single_tab_stays_inside_a_word_like_jiwer() -> None:
    assert jc.jiwer_words("a\tb c") == ["a\tb", "c"]


def test_audiobench_chain_matches_jiwer_compose() -> None:
    text = "it's  <unk> a [noise]  won't-stop, (ok)"
    assert jc.audiobench_chain(text) == jc.jiwer_reference_chain(jc.AUDIOBENCH_CHAIN_NAMES)(text)
