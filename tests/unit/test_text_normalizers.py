"""WN-EN, WN-BASIC and AudioBench's ASR normaliser: every example of protocols.md §1.1, §1.2, §2.6."""

from __future__ import annotations

import pytest
from whisper_normalizer.basic import BasicTextNormalizer
from whisper_normalizer.english import EnglishTextNormalizer

from evaluators.text.normalizers import (
    PACKAGE_REPLACERS,
    WHISPER_REPLACERS,
    FastNumberNormalizer,
    WhisperEnglishNormalizer,
    audiobench_asr,
    audiobench_asr_reference,
    space_han_characters,
    wn_basic,
    wn_en,
    wn_en_reference,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("Mr. Smith paid $20 on the 3rd of May.", "mister smith paid $20 on the 3rd of may"),
    ("HE HAD TWENTY ONE COLOURED BALLOONS", "he had 21 colored balloons"),
    ("It's twenty-one past five, um, isn't it?", "it is 21 past 5 is not it"),
    ("I'm gonna see Dr. Who [laughter] (inaudible)", "i am going to see doctor who"),
    ("It's 2 o'clock", "it is 20 clock"),
    ("It costs twenty dollars.", "it costs $20"),
    ("I have 1 cat", "i have one cat"),
    ("one oh one", "101"),
    ("nineteen eighty four", "1984"),
    ("ten percent", "10%"),
    ("two and a half", "2.5"),
    ("the third", "the 3rd"),
    ("Mr. Smith's", "mister smith is"),
    ("O'Neil", "0 neil"),
])
def test_wn_en_examples(text: str, expected: str) -> None:
    assert wn_en(text).strip() == expected
    assert wn_en_reference(text).strip() == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Mr. Smith paid $20 on the 3rd of May.", "mr smith paid 20 on the 3rd of may "),
    ("Hello, World! Ça va?", "hello world ça va "),
])
def test_wn_basic_examples_keep_trailing_space(text: str, expected: str) -> None:
    assert wn_basic(text) == expected


def test_wn_basic_after_wn_en_removes_kept_symbols() -> None:
    assert wn_en("It costs twenty dollars.") == "it costs $20"
    assert wn_basic(wn_en("It costs twenty dollars.")) == "it costs 20"


def test_wn_basic_is_the_package_class() -> None:
    text = "Ünïcode — [tag] (aside) ½ ﬁ £5"
    assert wn_basic(text) == BasicTextNormalizer()(text)


@pytest.mark.parametrize(("text", "openai_whisper", "package"), [
    ("i kinda like it", "i kinda like it", "i kind of like it"),
    ("sorta", "sorta", "sort of"),
    ("i dunno", "i dunno", "i do not know"),
    ("the public cause", "the public cause", "the public because"),
])
def test_package_adds_four_rules_openai_whisper_lacks(text: str, openai_whisper: str, package: str) -> None:
    assert wn_en(text) == openai_whisper
    assert EnglishTextNormalizer()(text) == package
    assert WhisperEnglishNormalizer(PACKAGE_REPLACERS)(text) == package


def test_replacer_lists_differ_only_by_the_four_package_rules() -> None:
    extra = [rule for rule in PACKAGE_REPLACERS if rule not in WHISPER_REPLACERS]
    assert [pattern for pattern, _ in extra] == [r"\bkinda\b", r"\bsorta\b", r"\bdunno\b", r"\bcause\b"]
    assert [rule for rule in PACKAGE_REPLACERS if rule in WHISPER_REPLACERS] == list(WHISPER_REPLACERS)


@pytest.mark.parametrize("text", [
    "He paid twenty dollars and fifty cents for the first two", "one two three", "the cat sat",
    "$ 20 and ¢7", "1,000,000 people", "point five", "double oh seven", "minus ten", "and a half",
    "Ünïcode café, naïve résumé!", "x" * 5, "", "   ", "it's 5 o'clock", "1990s", "32nd", "I'm there",
])
def test_fast_wn_en_equals_step_by_step(text: str) -> None:
    assert wn_en(text) == wn_en_reference(text)


@pytest.mark.parametrize("text", ["the cat sat on the mat", "a b  c\td", "", "colour me happy"])
def test_number_normaliser_shortcut_only_rejoins_whitespace(text: str) -> None:
    fast = FastNumberNormalizer()
    assert not fast.needed(text)
    assert fast(text) == fast.slow(text) == " ".join(text.split())


@pytest.mark.parametrize("text", [
    "minus point and x", "minus hundred x", "minus and x y", "two and a half x", "$2 and ¢7 cents", "x minus ten y",
    "one oh one x two double five", "twenty x first y", "ten percent x per cent", "point five x point", "a b one",
    "one hundred and x and one", "$ 5 x £ y", "1st 2nd x 3 rd", "zero o x oh",
])
def test_number_normaliser_on_runs_equals_whole_text(text: str) -> None:
    fast = FastNumberNormalizer()
    assert fast(text) == fast.slow(text)


@pytest.mark.parametrize("text", ["one cat", "I saw 5", "the first", "and so", "o"])
def test_number_normaliser_runs_where_it_can_change_text(text: str) -> None:
    assert FastNumberNormalizer().needed(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("I saw 5 cats.", "i saw five cats"),
    ("I saw five cats", "i saw five cats"),
    ("HE HAD TWENTY ONE COLOURED BALLOONS", "he had 21 colored balloons"),
    ("He had 21 colored balloons, uh", "he had 21 colored balloons"),
    ("It's 2 o'clock", "it is twenty clock"),
    ("[noise]", ""),
    ("I'M SURE THAT'S FINE", "i am sure that is fine"),
    ("he paid 100 dollars", "he paid $100"),
])
def test_audiobench_examples(text: str, expected: str) -> None:
    assert audiobench_asr(text) == expected
    assert audiobench_asr_reference(text) == expected


def test_audiobench_code_switch_spaces_only_between_han_characters() -> None:
    assert audiobench_asr("我喜欢 NLP 模型", variant="zh") == "我 喜 欢 nlp 模 型"
    assert audiobench_asr("我喜欢NLP模型。", variant="zh") == "我 喜 欢nlp模 型"
    assert audiobench_asr_reference("我喜欢NLP模型。", variant="zh") == "我 喜 欢nlp模 型"


def test_audiobench_imda4_keeps_symbols_the_english_variant_removes() -> None:
    # IMDA part 4 skips WN-EN's symbol step; '+' is a symbol (Sm), which jiwer's RemovePunctuation keeps
    assert audiobench_asr("a+b", variant="imda4") == audiobench_asr_reference("a+b", variant="imda4") == "a+b"
    assert audiobench_asr("a+b") == "a b"


def test_audiobench_unknown_variant_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown AudioBench ASR variant"):
        audiobench_asr("x", variant="fr")


@pytest.mark.parametrize(("text", "expected"), [
    ("我喜欢nlp模型", "我 喜 欢nlp模 型"), ("abc", "abc"), ("中", "中"), ("中文 ok", "中 文 ok"),
])
def test_space_han_characters(text: str, expected: str) -> None:
    assert space_han_characters(text) == expected
