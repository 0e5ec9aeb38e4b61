"""Multiple-choice protocols: every hand-computed example of protocols.md §11, item by item."""

from __future__ import annotations

import pytest

from evaluators.errors import PredictionFormatError, ProtocolUnavailableError
from evaluators.metrics.choice import (
    air_alignment_prompt,
    air_gold_letter,
    air_response_letter,
    answered_rate,
    audiobench_mmau_match,
    choices_from_metadata,
    mmau_match,
    mucho_extract,
)
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.protocols import get_protocol
from evaluators.protocols.mcq import breakdown

PEOPLE = ["Man", "Woman", "Child", "Robot"]
VOICES = ["A child", "A woman", "An adult man", "A teenager"]
MUCHO_OPTIONS = ["Four on the floor.", "Off-beat syncopation.", "Scat singing.", "E-guitar playing a simple melody."]


def mcq_set(rows, **common_metadata):
    """rows: (prediction, answer, choices[, extra metadata])"""
    items = []
    for index, row in enumerate(rows):
        prediction, answer, choices, *extra = row
        metadata = {"choices": choices, **common_metadata, **(extra[0] if extra else {})}
        items.append(PredictionItem(str(index), prediction, (answer,), metadata=metadata))
    return PredictionSet("hand-made", "hand-made.json", tuple(items))


# -- §11.2 MMAU ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("prediction", "answer", "choices", "correct"), [
    ("The speaker is a man.", "Man", PEOPLE, True),
    ("(A) Man", "Man", PEOPLE, True),
    ("A woman, not a man", "Man", PEOPLE, False),
    ("Man or robot", "Man", PEOPLE, False),
    ("", "Man", PEOPLE, False),
    ("The voice belongs to a woman", "A woman", VOICES, True),
    ("woman", "A woman", VOICES, False),
])
def test_mmau_examples(prediction, answer, choices, correct):
    assert mmau_match(prediction, answer, choices) is correct
    score = get_protocol("MCQ-MMAU").score(mcq_set([(prediction, answer, choices)]))
    assert score.value == (1.0 if correct else 0.0)
    assert score.n == 1 and score.skipped == {}


def test_mmau_accuracy_and_groups():
    rows = [("The speaker is a man.", "Man", PEOPLE, {"task": "speech", "difficulty": "easy"}),
            ("Man or robot", "Man", PEOPLE, {"task": "speech", "difficulty": "hard"}),
            ("The voice belongs to a woman", "A woman", VOICES, {"task": "sound", "difficulty": "easy"}),
            ("woman", "A woman", VOICES, {"task": "sound", "difficulty": "easy"})]
    protocol = get_protocol("MCQ-MMAU")
    score = protocol.score(mcq_set(rows, **{"sub-category": "x"}))
    assert score.value == 0.5 and score.n == 4
    assert score.interval.method == "wilson" and score.interval.contains(0.5)
    assert {name: group.value for name, group in score.groups.items()} == {"speech": 0.5, "sound": 0.5}
    by_key = breakdown(protocol, mcq_set(rows, **{"sub-category": "x"}))
    assert {name: group.value for name, group in by_key["difficulty"].items()} == {"easy": 2 / 3, "hard": 0.0}
    assert by_key["sub-category"]["x"].n == 4
    assert answered_rate(score.stats) == 1.0


def test_mmau_choices_as_python_literal_string():
    score = get_protocol("MCQ-MMAU").score(mcq_set([("a man", "Man", str(PEOPLE))]))
    assert score.value == 1.0
    assert choices_from_metadata({"choices": "['a', 'b']"}) == ["a", "b"]


def test_missing_choices_names_file_and_item():
    items = (PredictionItem("q-17", "Man", ("Man",), metadata={}),)
    with pytest.raises(PredictionFormatError, match=r"mmau\.json, item q-17, field 'choices'"):
        get_protocol("MCQ-MMAU").score(PredictionSet("mmau", "mmau.json", items))


def test_malformed_choices_string_is_a_clear_error():
    with pytest.raises(ValueError, match="not a Python list literal"):
        choices_from_metadata({"choices": "[unclosed"})


# -- §11.3 AudioBench MMAU -------------------------------------------------------------------------

@pytest.mark.parametrize(("prediction", "correct"), [
    ("The speaker is a man.", True),
    ("(A) Man", True),   # the prediction keeps its label: only references/choices lose 4 chars
    ("Man or robot", False),
    ("", False),
])
def test_audiobench_mmau_drops_label_prefix(prediction, correct):
    labelled = [f"({letter}) {text}" for letter, text in zip("ABCD", PEOPLE, strict=True)]
    assert audiobench_mmau_match(prediction, "(A) Man", labelled) is correct
    score = get_protocol("MCQ-AB-MMAU").score(mcq_set([(prediction, "(A) Man", labelled)]))
    assert score.value == float(correct)


# -- §11.1 AIR-Bench -------------------------------------------------------------------------------

@pytest.mark.parametrize(("response", "letter"), [
    ("B", "B"),
    ("The answer is C.", "C"),
    ("C. Dog barking", "C"),
    ("Answer: D", "A"),
    ("I think it's B", None),
    ("", None),
    ("None", None),
    ("  \nB\n", "B"),
])
def test_air_letter_examples(response, letter):
    assert air_response_letter(response) == letter


def test_air_failures_leave_the_denominator():
    choices = ["Dog barking", "Cat meowing", "Rain", "Car horn"]
    rows = [("B", "Cat meowing", choices, {"task_name": "Sound_AQA"}),
            ("The answer is C.", "Rain", choices, {"task_name": "Sound_AQA"}),
            ("Answer: D", "Car horn", choices, {"task_name": "Sound_AQA"}),   # read as A → wrong
            ("I think it's B", "Cat meowing", choices, {"task_name": "Sound_AQA"})]  # failure → skipped
    score = get_protocol("MCQ-AIR").score(mcq_set(rows))
    assert score.value == pytest.approx(2 / 3)
    assert score.n == 3 and score.skipped == {"no_option_letter": 1}
    assert score.groups["Sound_AQA"].n == 3


def test_air_gold_must_be_an_option():
    assert air_gold_letter("Rain", ["Dog", "Cat", "Rain", "Car"]) == "C"
    assert air_gold_letter("Cat", ["Dog", "Cat"]) == "B"
    with pytest.raises(PredictionFormatError, match="none of the options"):
        get_protocol("MCQ-AIR").score(mcq_set([("A", "Horse", ["Dog", "Cat"])]))


def test_air_alignment_prompt_layout():
    prompt = air_alignment_prompt("What is heard?", "a dog", ["Dog", "Cat", "Rain", "Car"])
    assert prompt.startswith('There is a question "What is heard?", and one response is "a dog". Among')
    assert prompt.endswith("The following lines are the options.\nA. Dog\nB. Cat\nC. Rain\nD. Car\n"
                           "To reiterate, the response you provide to me must be a single letter, either A, B, C, "
                           "or D.")
    two = air_alignment_prompt("Q", "R", ["Yes", "No"])
    assert "\nA. Yes\nB. No\nTo reiterate" in two and "C." not in two


def test_air_gpt_alignment_is_unavailable_offline():
    protocol = get_protocol("MCQ-AIR-GPT")
    assert "judge" in protocol.unavailable
    with pytest.raises(ProtocolUnavailableError, match="MCQ-AIR-GPT is unavailable"):
        protocol.score(mcq_set([("B", "Cat", ["Dog", "Cat"])]))


@pytest.mark.parametrize(("protocol_id", "family"), [("SV-AIR", "speaker"), ("G-AIR", "gender")])
def test_air_task_aliases_score_like_mcq_air(protocol_id, family):
    protocol = get_protocol(protocol_id)
    assert protocol.family == family
    rows = [("B", "Two", ["One", "Two", "Three", "Four"]), ("It is D", "Four", ["One", "Two", "Three", "Four"])]
    assert protocol.score(mcq_set(rows)).value == get_protocol("MCQ-AIR").score(mcq_set(rows)).value == 1.0


# -- §11.4 MuChoMusic ------------------------------------------------------------------------------

@pytest.mark.parametrize(("output", "index"), [
    ("The correct answer is: B", 1),
    ("A", 0),
    ("(C) Scat singing.", 2),
    ("scat singing.", 2),
    ("Bass and Drums", -1),
    ("I don't know", -1),
    ("Drums", 3),
    ("Question: ... The correct answer is: Option A The correct answer is: C", 2),
])
def test_mucho_examples(output, index):
    assert mucho_extract(output, MUCHO_OPTIONS) == index


def test_mucho_accuracy_and_instruction_following_rate():
    rows = [("The correct answer is: B", MUCHO_OPTIONS[1], MUCHO_OPTIONS),
            ("scat singing.", MUCHO_OPTIONS[2], MUCHO_OPTIONS),
            ("Bass and Drums", MUCHO_OPTIONS[0], MUCHO_OPTIONS),     # unanswered → wrong
            ("A", MUCHO_OPTIONS[3], MUCHO_OPTIONS)]                  # answered, wrong
    score = get_protocol("MCQ-MUCHO").score(mcq_set(rows))
    assert score.value == 0.5 and score.n == 4
    assert answered_rate(score.stats) == 0.75


def test_mucho_answer_index_metadata_wins():
    rows = [("A", "ignored", MUCHO_OPTIONS, {"answer_index": 0})]
    assert get_protocol("MCQ-MUCHO").score(mcq_set(rows)).value == 1.0


def test_signatures_name_the_extraction_rule():
    assert "extract:mmau-token-set|" in get_protocol("MCQ-MMAU").signature()
    assert "extract:air-first-or-second-last-char" in get_protocol("MCQ-AIR").signature()


def test_air_groups_by_task_and_dataset_and_drops_rows_without_task():
    choices = ["Dog", "Cat"]
    rows = [("A", "Dog", choices, {"task_name": "Animal_Sound", "dataset_name": "VocalSound"}),
            ("B", "Dog", choices, {"task_name": "Animal_Sound", "dataset_name": "ESC50"}),
            ("A", "Dog", choices, {"task_name": None, "dataset_name": "ESC50"})]
    score = get_protocol("MCQ-AIR").score(mcq_set(rows))
    assert {name: group.value for name, group in score.groups.items()} == {"Animal_Sound_VocalSound": 1.0,
                                                                            "Animal_Sound_ESC50": 0.0}
    assert score.skipped == {"task_name_none": 1} and score.value == 0.5


def test_mucho_ifr_protocol():
    rows = [("The correct answer is: B", MUCHO_OPTIONS[1], MUCHO_OPTIONS),
            ("Bass and Drums", MUCHO_OPTIONS[0], MUCHO_OPTIONS),
            ("I don't know", MUCHO_OPTIONS[0], MUCHO_OPTIONS),
            ("A", MUCHO_OPTIONS[3], MUCHO_OPTIONS)]
    score = get_protocol("MCQ-MUCHO/IFR").score(mcq_set(rows))
    assert score.value == 0.5 and score.interval.method == "wilson"
