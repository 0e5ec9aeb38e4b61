"""Judge prompts: rendered text pinned by snapshots, and the whitespace facts of each source checked."""

from __future__ import annotations

import dataclasses

import pytest

from evaluators.judges import templates as t
from evaluators.judges.specs import SPECS
from evaluators.predictions.base import PredictionItem

pytestmark = pytest.mark.judge

#: one fixed, invented item per protocol (question, answers, output)
FIXED_ITEMS = {
    "J-SAKURA": PredictionItem("s1", "The speaker is a woman.</s>", (" (b) female",),
                               prompt="What is the gender of the speaker? (a) male (b) female (c) child (d) robot"),
    "J-SQQA-JW": PredictionItem("q1", "Paris is the capital of France.</s>",
                                ("Paris is the capital and largest city of France.", "It is on the Seine."),
                                prompt="Please answer the question in detail.",
                                metadata={"question": "what is the capital of france"}),
    "J-SF-JW": PredictionItem("f1", "date=tomorrow</s>; place_name=the office</s>",
                              ("date=tomorrow; place_name=office",)),
    "J-AB-SCALE": PredictionItem("a1", "A dog barks twice.", ("A dog is barking.",),
                                 prompt="What can be heard in the audio?"),
    "MCQ-AIR-GPT": PredictionItem("m1", "It is probably a dog barking.", ("Dog",), prompt="What animal is heard?",
                                  metadata={"choices": ["Cat", "Dog", "Cow", "Bird"], "task_name": "Animal_Sound",
                                            "dataset_name": "vocalsound"}),
    "J-AIR-CHAT": PredictionItem("c1", "Rain is falling.", ("It is raining heavily.",), prompt="What is the weather?",
                                 metadata={"meta_info": "Heavy rain on a roof.", "task_name": "sound_QA"}),
}
_PROTOCOL_OF = {"J-SAKURA-JW-DIST": "J-SAKURA", "J-SAKURA-JW-EVAL": "J-SAKURA", "J-AB-BINARY": "J-AB-SCALE",
                "J-AB-SCALE-GPT4O": "J-AB-SCALE", "J-AB-BINARY-GPT4O": "J-AB-SCALE", "ER-AB-JUDGE": "J-AB-SCALE"}


@pytest.mark.parametrize("protocol_id", sorted(SPECS))
def test_rendered_prompts_match_snapshot(protocol_id: str, snapshot) -> None:
    spec = SPECS[protocol_id]
    item = FIXED_ITEMS[_PROTOCOL_OF.get(protocol_id, protocol_id)]
    calls = spec.calls(item)
    assert not isinstance(calls, str)
    rendered = [{"tag": call.tag, "messages": [list(m) for m in spec.render(call)]} for call in calls]
    assert {"template": spec.template.name, "hash": spec.template.hash, "calls": rendered} == snapshot


def test_sakura_official_whitespace_is_the_sources() -> None:
    user, system = t.SAKURA_OFFICIAL.user, t.SAKURA_OFFICIAL.system
    assert user.startswith("\n    You will be given a question")
    assert user.endswith('Judgement: <Your judgement, either "correct" or "incorrect">\n    ')
    assert "\"happy\".\n    \n    Now here is the question" in user          # the blank line holds 4 spaces
    assert "before making a decision.\n\n    Considering" in user             # this one is empty
    assert "[MODEL_GENERATED_RESPONSE]\n\n    Carefully" in user
    first, second = system.split("\n")
    assert first.endswith("generated response. ")
    assert second == " " * 23 + "You have to determine whether the model generated answer is correct."


def test_sakura_reimplementations_differ_from_official_only_in_whitespace() -> None:
    def squash(text: str) -> str:
        return " ".join(text.split())

    for template in (t.SAKURA_JW_DIST, t.SAKURA_JW_EVAL):
        assert squash(template.user) == squash(t.SAKURA_OFFICIAL.user)
        assert template.hash != t.SAKURA_OFFICIAL.hash
    assert squash(t.SAKURA_JW_EVAL.system or "") == squash(t.SAKURA_OFFICIAL.system or "")
    # works.py at 68cb85c: SAKURA's user text byte for byte; a '#' and 21 spaces open the system's second line
    assert t.SAKURA_JW_DIST.user == t.SAKURA_OFFICIAL.user
    assert t.SAKURA_JW_DIST.system.split("\n")[1] == "#" + " " * 21 + "You have to determine whether the model " \
        "generated answer is correct."
    assert t.SAKURA_JW_EVAL.user.startswith("\nYou will") and t.SAKURA_JW_EVAL.user.endswith("\"incorrect\">\n")
    assert t.SAKURA_JW_EVAL.system.split("\n")[0].endswith("response.")


def test_sakura_substitution_order_follows_each_source() -> None:
    # A response that itself contains [GROUND_TRUTH_ANSWER]: the official order (question, response,
    # ground truth) substitutes it, the jaeeewon eval order (ground truth before response) does not.
    values = {"question": "Q?", "ground_truth": "(a) x", "response": "I pick [GROUND_TRUTH_ANSWER]"}
    assert "Model generated response: I pick (a) x" in t.SAKURA_OFFICIAL.fill(values)
    assert "Model generated response: I pick [GROUND_TRUTH_ANSWER]" in t.SAKURA_JW_EVAL.fill(values)


def test_audiobench_indentation_and_trailing_spaces() -> None:
    llama, gpt4o = t.AB_BINARY_LLAMA.user, t.AB_BINARY_GPT4O.user
    assert llama.startswith(" " * 8 + "[Reference Answer]\n" + " " * 8 + "{reference}\n\n")
    assert gpt4o.startswith(" " * 12 + "[Reference Answer]")
    assert llama.endswith("Rating: (int)") and not llama.endswith("\n")
    assert "Please give a score of 0 or 1. \n" in llama
    assert "compared to the reference. \n" in llama
    assert "please rate as 0.\n" in t.AB_SCALE_LLAMA.user
    assert t.AB_SCALE_LLAMA.fill({"reference": "{x}", "prediction": "p", "question": "q"}).count("{x}") == 1


def test_sqqa_and_sf_prompts() -> None:
    sentence = t.sqqa_sentence('who said "hi"', "an answer", "my output")
    assert sentence == '{"Question": "who said "hi"", "Standard Answer": "an answer", "My Answer": "my output"}'
    user = t.SQQA_JW.fill({"sentence": sentence})
    assert user.startswith("\nNext I will give you") and user.endswith("\nYour response is: \n")
    assert "question and answer: \n" + sentence + "\n" in user
    assert t.SF_JW.system.startswith("\nyou will be given two slots") and t.SF_JW.system.endswith("text.\n")
    rendered = t.SF_JW.fill({"our_slot": "a", "golden_slot": "b", "slot_type": "date"})
    assert rendered.endswith("- **our_slot**: `a`\n- **golden_slot**: `b`\n- **slot_type**: `date`\n")


def test_air_chat_is_one_user_message() -> None:
    messages = t.AIR_CHAT.render({"audio": "A", "question": "Q", "assistant1": "R", "assistant2": "M"})
    assert [role for role, _ in messages] == ["user"]
    assert messages[0][1].startswith("You are a helpful and precise assistant for checking the quality of the "
                                     "answer.\n[Detailed Audio Description]\nA\n[Question]\nQ\n")
    assert messages[0][1].endswith("The two scores are separated by a space.")


def test_template_hash_changes_with_any_character() -> None:
    edited = dataclasses.replace(t.SAKURA_OFFICIAL, user=t.SAKURA_OFFICIAL.user.rstrip(" "))
    assert edited.hash != t.SAKURA_OFFICIAL.hash
    assert len({template.hash for template in t.TEMPLATES.values()}) == len(t.TEMPLATES)


def test_missing_value_is_named() -> None:
    with pytest.raises(KeyError, match="ground_truth"):
        t.SAKURA_OFFICIAL.fill({"question": "q", "response": "r"})
