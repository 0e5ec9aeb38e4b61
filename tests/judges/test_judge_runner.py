"""Judge protocols scored end to end with a scripted judge: official rules, unparsed counts, groups, cache, crashes."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from evaluators.judges import JudgementCache
from evaluators.judges.decoding import DecodingConfig
from evaluators.metrics.stats import wald_half_width
from evaluators.predictions.base import PredictionItem, PredictionSet
from tests.judges.judging import item_verdicts, judged, verdicts

pytestmark = pytest.mark.judge

QUESTION = "Which animal is it? (a) dog (b) cat (c) cow (d) sheep"
SAKURA_REPLIES = {
    "A": "Explanation: picks (a).\nJudgement: correct",
    "B": "Explanation: picks (b).\nJudgement: incorrect",
    "C": "Explanation: picks (a).\nJudgement: Correct",       # valid only after .lower()
    "D": "**Explanation:** x\n**Judgement:** correct",        # unparsable
    "E": "Explanation: picks (a).\nJudgement: correct",
}


def _sakura_items() -> PredictionSet:
    tracks = ["Animal", "Animal", "Animal", "Gender", "Gender"]
    items = [PredictionItem(f"s{i}", response, ("(a) dog",), prompt=QUESTION,
                            metadata={"track": track, "hop": "single"})
             for i, (response, track) in enumerate(zip(SAKURA_REPLIES, tracks, strict=True))]
    return PredictionSet("sakura-test", "test", tuple(items))


def _sakura_answer(user: str) -> str:
    response = re.search(r"Model generated response: (.*)\n", user).group(1)
    return SAKURA_REPLIES[response]


@pytest.mark.parametrize(("protocol_id", "value", "unparsed", "counts"), [
    ("J-SAKURA", 3 / 5, 1, {"correct": 3, "incorrect": 1, "unparsed": 1}),
    ("J-SAKURA-JW-DIST", 2 / 5, 2, {"correct": 2, "incorrect": 1, "unparsed": 2}),
    ("J-SAKURA-JW-EVAL", 3 / 5, 1, {"correct": 3, "incorrect": 1, "unparsed": 1}),
])
def test_sakura_counts_invalid_as_wrong_and_reports_them(scripted_judge, protocol_id, value, unparsed, counts) -> None:
    judge = scripted_judge(_sakura_answer)
    result = judged(protocol_id, _sakura_items(), judge)
    assert result.value == pytest.approx(value)
    assert result.n == 5 and result.extras["unparsed"] == unparsed and dict(result.extras["counts"]) == counts
    # n = 5: value ± half-width leaves [0, 1]; the range is clipped (the printed ± stays the Wald half-width)
    half = wald_half_width(value, 5, z=1.959963984540054)
    assert result.interval.method == "wald-clipped"
    assert (result.interval.low, result.interval.high) == pytest.approx((max(0.0, value - half),
                                                                         min(1.0, value + half)))
    assert set(result.extras["intervals"]) == {"wald", "wilson"}
    assert result.groups["Animal-single"].value == pytest.approx(2 / 3 if protocol_id != "J-SAKURA-JW-DIST"
                                                                 else 1 / 3)
    assert result.groups["Gender-single"].n == 2
    by_id = {v.id: v for v in item_verdicts(result)}
    assert by_id["s0"].explanation == "picks (a)." and by_id["s3"].outcome == "unparsed"
    assert by_id["s3"].replies == (SAKURA_REPLIES["D"],)
    assert result.extras["official"]["printed"] == round(100 * value, 2 if protocol_id == "J-SAKURA-JW-EVAL" else 1)


def test_signature_names_judge_revision_template_and_decoding(scripted_judge) -> None:
    result = judged("J-SAKURA", _sakura_items(), scripted_judge(_sakura_answer, model="m", revision="rev7"))
    for part in ("proto:J-SAKURA", "judge:m", "rev:rev7", "backend:scripted", "tpl:sakura-official@",
                 "dec:temperature=0.0,top_p=0.9,max_tokens=unset,seed=unset", "unparsed:invalid-counts-wrong"):
        assert part in result.signature
    other = judged("J-SAKURA", _sakura_items(), scripted_judge(_sakura_answer, model="m", revision="rev7"),
                        decoding=DecodingConfig(temperature=0.5))
    assert other.signature != result.signature and "temperature=0.5" in other.signature
    assert result.as_dict()["extras"]["decoding"]["max_tokens"] is None


def test_sqqa_or_over_candidate_answers(scripted_judge) -> None:
    items = PredictionSet("sqqa", "test", (
        PredictionItem("q1", "Paris.</s>", ("Paris is the capital", "France"), prompt="Please answer the question in "
                       "detail.", metadata={"question": "what is the capital of france"}),
        PredictionItem("q2", "No idea.</s>", ("Blue",), metadata={"question": "what colour is the sky"}),
    ))
    seen: list[str] = []

    def answer(user: str) -> str:
        seen.append(user)
        if '"Standard Answer": "paris is the capital"' in user:
            return '{"Correct": True, "Reason": "same city"}'
        if '"Standard Answer": "france"' in user:
            return '{"Correct": False, "Reason": "a country"}'
        return "I cannot tell."

    result = judged("J-SQQA-JW", items, scripted_judge(answer))
    assert len(seen) == 3
    assert all('"My Answer": "Paris."' in text for text in seen[:2])           # </s> removed, answers lowercased
    assert result.value == 0.5 and result.extras["unparsed"] == 1
    assert result.extras["counts"] == {"correct": 1, "unparsed": 1}
    assert result.n == 2


def test_slot_filling_micro_over_slots_and_unpairable_items_reported(scripted_judge) -> None:
    items = PredictionSet("sf", "test", (
        PredictionItem("f1", "date=Tomorrow</s>; place_name=the office</s>", ("date=tomorrow; place_name=office",)),
        PredictionItem("f2", "time five pm</s>", ("time=five pm",)),
        PredictionItem("f3", "date=monday</s>", ("date=monday",)),
    ))
    replies = {"tomorrow": "Yes", "the office": "Yes.", "monday": "Yes"}

    def answer(user: str) -> str:
        return replies[re.search(r"our_slot\*\*: `(.*)`", user).group(1)]

    result = judged("J-SF-JW", items, scripted_judge(answer))
    assert result.value == pytest.approx(2 / 3)            # "Yes." counts as No
    assert result.n == 3 and result.extras["unparsed"] == 0
    # ... and is reported beside the number
    official = result.extras["official"]
    assert official["near_misses"] == 1 and official["accuracy_if_near_misses_were_yes"] == 1.0
    assert result.skipped == {"slot without '=' (the official script raises IndexError)": 1}


def test_audiobench_scale_failed_parse_rated_zero(scripted_judge) -> None:
    items = PredictionSet("ab", "test", tuple(
        PredictionItem(f"a{i}", prediction, ("a dog barks",), prompt="What do you hear?")
        for i, prediction in enumerate(("dog", "cat", "bird"))))
    replies = {"dog": "Explanation: ok\nRating: 4", "cat": "Explanation: ok\nRating: **5**", "bird": "Rating: 2"}

    def answer(user: str) -> str:
        return replies[re.search(r"\[Model Answer\]\n {8}(.*)\n", user).group(1)]

    result = judged("J-AB-SCALE", items, scripted_judge(answer))
    assert result.value == pytest.approx(40.0)              # (4 + 0 + 2) / 3 × 20
    assert result.extras["unparsed"] == 1 and result.extras["official"]["success_rate"] == pytest.approx(2 / 3)
    assert result.interval.method.startswith("bootstrap")
    assert result.unit == "percent"


def _air_items() -> PredictionSet:
    rows = [("i1", "speech_QA"), ("i2", "sound_QA"), ("i3", "music_QA")]
    return PredictionSet("air", "test", tuple(
        PredictionItem(item_id, f"model answer {item_id}", (f"reference {item_id}",), prompt="Q?",
                       metadata={"meta_info": "audio", "task_name": task}) for item_id, task in rows))


def _air_answer(replies: dict[tuple[str, str], str]):
    def answer(user: str) -> str:
        first = re.search(r"\[The Start of Assistant 1s Answer\]\n(.*)\n", user).group(1)
        order = "ref-first" if first.startswith("reference") else "model-first"
        return replies[(first.split()[-1], order)]
    return answer


def test_air_chat_swaps_positions_and_excludes_fails(scripted_judge) -> None:
    replies = {("i1", "ref-first"): "8 6", ("i1", "model-first"): "7 9",
               ("i2", "ref-first"): "Assistant 1: 8", ("i2", "model-first"): "5 8",
               ("i3", "ref-first"): "9 4", ("i3", "model-first"): "no scores"}
    judge = scripted_judge(_air_answer(replies))
    result = judged("J-AIR-CHAT", _air_items(), judge)
    assert len(judge.calls) == 6
    # only Speech has a parsed reply in both orders (cal_score.py would divide by zero for Sound and Music)
    assert result.value == pytest.approx((6 + 7) / 2)
    assert result.extras["official"]["leaderboard"] == {"Speech": 6.5, "Sound": None, "Music": None,
                                                        "Mixed Audio": None, "Average": 6.5}
    assert result.extras["unparsed"] == 2 and dict(result.extras["counts"]) == {"partial": 2, "scored": 1}
    assert result.groups["speech"].value == pytest.approx(6.5)
    assert result.groups["sound"].value is None              # no parsed reference-first reply in the category
    assert result.extras["official"]["win_rate_ref_first"] == pytest.approx(0.0)


def test_air_chat_value_is_the_leaderboard_average_of_four_columns(scripted_judge) -> None:
    tasks = [("s1", "speech_QA"), ("s2", "speech_dialogue_QA"), ("n1", "sound_QA"), ("m1", "music_QA"),
             ("x1", "speech_and_sound_QA"), ("y1", "speech_and_music_QA")]
    items = PredictionSet("air", "test", tuple(
        PredictionItem(item_id, f"model answer {item_id}", (f"reference {item_id}",), prompt="Q?",
                       metadata={"meta_info": "audio", "task_name": task}) for item_id, task in tasks))
    model = {"s1": (8, 6), "s2": (4, 4), "n1": (5, 7), "m1": (9, 9), "x1": (2, 4), "y1": (10, 6)}
    replies = {}
    for item_id, (ref_first_model, model_first_model) in model.items():
        replies[(item_id, "ref-first")] = f"7 {ref_first_model}"
        replies[(item_id, "model-first")] = f"{model_first_model} 7"
    result = judged("J-AIR-CHAT", items, scripted_judge(_air_answer(replies)))
    speech, sound, music = ((8 + 4) / 2 + (6 + 4) / 2) / 2, (5 + 7) / 2, 9.0
    mixed = ((2 + 4) / 2 + (10 + 6) / 2) / 2
    assert result.extras["official"]["leaderboard"] == pytest.approx(
        {"Speech": speech, "Sound": sound, "Music": music, "Mixed Audio": mixed,
         "Average": (speech + sound + music + mixed) / 4})
    assert result.value == pytest.approx((speech + sound + music + mixed) / 4)
    assert result.interval is not None and result.interval.low <= result.value <= result.interval.high


def test_air_chat_score_above_ten_makes_the_number_unavailable(scripted_judge) -> None:
    replies = {("i1", "ref-first"): "11 6", ("i1", "model-first"): "7 9", ("i2", "ref-first"): "8 8",
               ("i2", "model-first"): "5 8", ("i3", "ref-first"): "9 4", ("i3", "model-first"): "4 9"}
    result = judged("J-AIR-CHAT", _air_items(), scripted_judge(_air_answer(replies)))
    assert result.value is None and not result.available
    assert "exit(1)" in result.unavailable_reason and "i1" in result.unavailable_reason


def test_cache_rerun_makes_no_calls_and_crash_loses_nothing(scripted_judge, tmp_path: Path) -> None:
    cache_path = tmp_path / "judge.sqlite"
    calls_before_crash = 0

    def crashing(user: str) -> str:
        nonlocal calls_before_crash
        if calls_before_crash == 3:
            raise RuntimeError("judge process died")
        calls_before_crash += 1
        return _sakura_answer(user)

    with JudgementCache(cache_path) as cache, pytest.raises(RuntimeError, match="died"):
        judged("J-SAKURA", _sakura_items(), scripted_judge(crashing), cache)
    with JudgementCache(cache_path) as cache:
        assert len(cache) == 3
        judge = scripted_judge(_sakura_answer)
        first = judged("J-SAKURA", _sakura_items(), judge, cache)
        assert len(judge.calls) == 2 and first.extras["cache_hits"] == 3 and first.extras["calls_made"] == 2
    with JudgementCache(cache_path) as cache:
        judge = scripted_judge(_sakura_answer)
        again = judged("J-SAKURA", _sakura_items(), judge, cache)
        assert judge.calls == [] and again.extras["calls_made"] == 0 and again.extras["cache_hits"] == 5
        assert again.value == first.value and verdicts(again) == verdicts(first)
        # another revision, template or decoding is a different judging: it misses
        other = scripted_judge(_sakura_answer, revision="r2")
        judged("J-SAKURA", _sakura_items(), other, cache)
        assert len(other.calls) == 5
        hotter = scripted_judge(_sakura_answer)
        judged("J-SAKURA", _sakura_items(), hotter, cache, decoding=DecodingConfig(temperature=1.0))
        assert len(hotter.calls) == 5


def test_identical_prompts_are_sent_once_when_cached(scripted_judge, tmp_path: Path) -> None:
    items = PredictionSet("dup", "test", tuple(PredictionItem(f"d{i}", "A", ("(a) dog",), prompt=QUESTION)
                                               for i in range(4)))
    judge = scripted_judge(_sakura_answer)
    with JudgementCache(tmp_path / "c.sqlite") as cache:
        result = judged("J-SAKURA", items, judge, cache)
    assert len(judge.calls) == 1 and result.value == 1.0 and result.n == 4


def test_empty_prediction_set(scripted_judge) -> None:
    result = judged("J-SAKURA", PredictionSet("empty", "test", ()), scripted_judge(_sakura_answer))
    assert result.value is None and result.n == 0 and result.interval is None
    assert not math.isnan(result.extras["unparsed"])


def test_air_foundation_alignment_failures_leave_the_denominator(scripted_judge) -> None:
    choices = ["Cat", "Dog", "Cow", "Bird"]
    items = PredictionSet("air-align", "test", (
        PredictionItem("m1", "a dog", ("Dog",), prompt="Q1", metadata={"choices": choices, "task_name": "Animal",
                                                                     "dataset_name": "vs"}),
        PredictionItem("m2", "a cow", ("Dog",), prompt="Q2", metadata={"choices": choices, "task_name": "Animal",
                                                                     "dataset_name": "vs"}),
        PredictionItem("m3", "hmm", ("Yes",), prompt="Q3", metadata={"choices": ["Yes", "No"], "task_name": "SV"}),
    ))
    replies = {"a dog": "B", "a cow": "The answer is C.", "hmm": "I think it's B"}

    def answer(user: str) -> str:
        response = re.search(r'one response is "(.*?)"\.', user).group(1)
        return replies[response]

    judge = scripted_judge(answer)
    result = judged("MCQ-AIR-GPT", items, judge)
    assert "\nC. " not in judge.calls[2].messages[0][1]          # two options: no C/D lines
    assert result.value == 0.5 and result.n == 2 and result.extras["unparsed"] == 1
    assert dict(result.extras["counts"]) == {"correct": 1, "incorrect": 1, "unparsed": 1}
    assert result.groups["Animal_vs"].value == 0.5 and result.groups["SV"].value is None
    assert result.interval.method == "wilson"


def test_air_foundation_alignment_needs_the_gold_among_the_options(scripted_judge) -> None:
    from evaluators.errors import PredictionFormatError

    item = PredictionItem("bad", "x", ("Horse",), prompt="Q", metadata={"choices": ["Cat", "Dog"]})
    items = PredictionSet("air", "air_foundation.jsonl", (item,))
    judge = scripted_judge(lambda user: "A")
    with pytest.raises(PredictionFormatError, match="air_foundation.jsonl, item bad: answer 'Horse' is none of"):
        judged("MCQ-AIR-GPT", items, judge)
    assert judge.calls == []   # refused before any call


def test_audiobench_accent_prefix_removed_before_judging(scripted_judge) -> None:
    from evaluators.judges.specs import AUDIOBENCH_ACCENT_PREFIX

    item = PredictionItem("v1", "Irish, I think.", (AUDIOBENCH_ACCENT_PREFIX + "Ireland",), prompt="Accent?",
                          metadata={"reference_prefix": AUDIOBENCH_ACCENT_PREFIX})
    judge = scripted_judge(lambda user: "Rating: 1")
    result = judged("J-AB-BINARY", [item], judge)
    assert "[Reference Answer]\n        Ireland\n" in judge.calls[0].messages[0][1]
    assert result.value == 100.0


def test_judged_score_is_an_ordinary_score(scripted_judge) -> None:
    score = judged("J-SAKURA", _sakura_items(), scripted_judge(_sakura_answer))
    assert (score.protocol, score.value, score.n, score.unit) == ("J-SAKURA", 0.6, 5, "fraction")
    # an unparsed reply is counted wrong by the official rule: kept in n, reported beside the number, not skipped
    assert score.skipped == {} and score.extras["unparsed"] == 1
    assert score.extras["unparsed_rule"] == "invalid-counts-wrong(lower-strip)"
    assert score.as_dict()["interval"]["method"] == "wald-clipped"
    assert score.signature.startswith("proto:J-SAKURA|judge:scripted-judge|")
    assert "|rev:r1|backend:scripted|" in score.signature and "|agg:corpus|" in score.signature
    assert set(score.groups) == {"Animal-single", "Gender-single"}


def test_air_bench_result_files(scripted_judge, tmp_path: Path) -> None:
    import json

    from evaluators.errors import PredictionFormatError
    from evaluators.judges.inputs import load_air_chat_results, load_air_foundation_results

    chat = tmp_path / "Chat_result_test.jsonl"
    rows = [{"meta_info": "rain", "question": "Q", "answer_gt": "reference i1", "response": "model answer i1",
             "task_name": "sound_QA", "dataset_name": "d", "path": "a.wav", "uniq_id": 0},
            {"meta_info": "x", "question": "Q", "answer_gt": "r", "response": None, "task_name": "sound_QA",
             "uniq_id": 1}]
    chat.write_text("\n".join(json.dumps(row) for row in rows) + "\n")
    predictions = load_air_chat_results(chat)
    assert [item.id for item in predictions] == ["0"] and predictions.metadata["skipped_no_response"] == 1
    result = judged("J-AIR-CHAT", predictions, scripted_judge(lambda user: "8 7"))
    assert result.value == pytest.approx((7 + 8) / 2) and result.groups["sound"].n == 1

    rows[0].pop("meta_info")
    chat.write_text(json.dumps(rows[0]) + "\n")
    with pytest.raises(PredictionFormatError, match="item 0, field 'meta_info'"):
        load_air_chat_results(chat)

    foundation = tmp_path / "foundation.jsonl"
    foundation.write_text(json.dumps({"question": "Q", "choice_a": "Yes", "choice_b": "No", "choice_c": None,
                                      "choice_d": None, "answer_gt": "No", "response": "no", "task_name": "t",
                                      "dataset_name": "d"}) + "\n")
    items = load_air_foundation_results(foundation)
    assert items.items[0].metadata["choices"] == ["Yes", "No"]
    assert judged("MCQ-AIR-GPT", items, scripted_judge(lambda user: "B")).value == 1.0


def test_audiobench_gpt4o_failed_call_becomes_empty_and_is_not_cached(scripted_judge, tmp_path: Path) -> None:
    from evaluators.judges.errors import JudgeHTTPError

    def answer(user: str) -> str:
        if "blocked" in user:
            raise JudgeHTTPError(400, "content filter")
        return "Explanation: ok\nRating: 1"

    items = PredictionSet("gpt4o", "test", tuple(PredictionItem(f"g{i}", text, ("ref",), prompt="Q")
                                                 for i, text in enumerate(("fine", "blocked"))))
    with JudgementCache(tmp_path / "c.sqlite") as cache:
        result = judged("J-AB-BINARY-GPT4O", items, scripted_judge(answer), cache)
        assert len(cache) == 1
    assert result.value == 50.0 and result.extras["backend_errors"] == 1 and result.extras["unparsed"] == 1
    assert item_verdicts(result)[1].replies == ("empty",)
    with pytest.raises(JudgeHTTPError):   # the Llama judge path has no such rule: the error stops the run
        judged("J-AB-BINARY", items, scripted_judge(answer))
