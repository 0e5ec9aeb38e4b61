"""Properties of the multiple-choice extractors (protocols.md §11).

* MMAU's token-set rule ignores case, whitespace and punctuation between words;
* no extractor credits an option whose words/text are absent from the output;
* surrounding whitespace never changes AIR-Bench or MuChoMusic extraction;
* every MCQ accuracy lies in [0, 1].
"""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluators.metrics.choice import LETTERS, air_response_letter, mmau_match, mmau_tokens, mucho_extract
from evaluators.predictions.base import PredictionSet
from evaluators.protocols import get_protocol

words = st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=8)
phrases = st.lists(words, min_size=1, max_size=4).map(" ".join)
option_lists = st.lists(phrases, min_size=2, max_size=4, unique_by=lambda text: mmau_tokens(text))
separators = st.sampled_from([" ", "  ", "\t", ", ", ". ", "! ", " - ", "; ", "\n", " (", ") "])


@st.composite
def mmau_cases(draw):
    choices = draw(option_lists)
    answer = draw(st.sampled_from(choices))
    tokens = draw(st.lists(st.one_of(words, st.sampled_from(choices)), max_size=6))
    return choices, answer, tokens


def join_with(tokens, seps):
    out = ""
    for index, token in enumerate(tokens):
        out += token + (seps[index % len(seps)] if seps else " ")
    return out


@given(mmau_cases(), st.lists(separators, min_size=1, max_size=5), st.sampled_from([str.upper, str.lower, str.title]))
def test_mmau_is_stable_under_case_whitespace_and_punctuation(case, seps, recase):
    choices, answer, tokens = case
    plain = " ".join(tokens)
    variant = recase(join_with(tokens, seps)) + "."
    assert mmau_match(plain, answer, choices) == mmau_match(variant, answer, choices)


@given(mmau_cases())
def test_mmau_never_credits_an_answer_whose_words_are_absent(case):
    choices, answer, tokens = case
    prediction = " ".join(tokens)
    if mmau_match(prediction, answer, choices):
        assert mmau_tokens(answer) <= mmau_tokens(prediction)


lower_text = st.text(alphabet=string.ascii_lowercase + " .,!?'-", max_size=40)
lower_options = st.lists(st.text(alphabet=string.ascii_lowercase + " ", min_size=1, max_size=12), min_size=2,
                         max_size=4)


@given(lower_text, lower_options)
def test_mucho_never_picks_an_option_whose_text_is_absent(output, options):
    picked = mucho_extract(output, options)
    if picked != -1:   # no capital letters here: only the substring path can answer
        assert options[picked].strip() in output.lower().strip()


@given(st.text(max_size=40), lower_options, st.sampled_from(["", " ", "\n", "  \t"]))
def test_mucho_ignores_surrounding_whitespace(output, options, pad):
    assert mucho_extract(pad + output + pad, options) == mucho_extract(output, options)


@given(st.text(max_size=40), st.sampled_from(["", " ", "\n", " \n "]))
def test_air_letter_is_stable_under_surrounding_whitespace_and_is_a_letter_of_the_response(response, pad):
    letter = air_response_letter(response)
    assert air_response_letter(pad + response + pad) == letter
    if letter is not None:
        assert letter in LETTERS and letter in response


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(lower_text, st.integers(0, 3)), min_size=1, max_size=12),
       st.sampled_from(["MCQ-MMAU", "MCQ-MUCHO", "MCQ-AIR"]))
def test_mcq_accuracy_is_a_fraction(rows, protocol_id):
    choices = ["dog barking", "cat meowing", "rain falling", "car horn"]
    predictions = PredictionSet.from_pairs([text for text, _ in rows], [choices[gold] for _, gold in rows],
                                           metadata=[{"choices": choices}] * len(rows))
    score = get_protocol(protocol_id).score(predictions)
    if score.value is not None:
        assert 0.0 <= score.value <= 1.0
        assert 0.0 <= score.interval.low <= score.value <= score.interval.high <= 1.0
