"""What each judge protocol asks the judge, and how its official script turns replies into a number.

A :class:`JudgeSpec` is the judge-side recipe of one protocol id (protocols.md §12):

* ``calls(item)`` — the prompts for one item (one for SAKURA and AudioBench, one per candidate answer
  for WikiQA SQQA, one per slot for SLURP, two for AIR-Bench chat: original and swapped positions);
* ``decide(item, replies)`` — the item's verdict by the official rule, plus whether every reply
  was understood (``parsed``);
* ``aggregate(stats)`` — the official number from per-item ``(numerator, denominator, ...)`` rows,
  shaped ``(..., n, k)`` so the bootstrap can resample them.

Unparsable replies are handled as each official script does (SAKURA and jaeeewon keep them in the
denominator as wrong, AudioBench rates them 0, AIR-Bench leaves them out), and are always counted
separately in the result (``unparsed``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from evaluators.judges import parsing
from evaluators.judges.decoding import DecodingConfig
from evaluators.judges.errors import JudgeInputError
from evaluators.judges.templates import (
    AB_BINARY_GPT4O,
    AB_BINARY_LLAMA,
    AB_SCALE_GPT4O,
    AB_SCALE_LLAMA,
    AIR_CHAT,
    SAKURA_JW_DIST,
    SAKURA_JW_EVAL,
    SAKURA_OFFICIAL,
    SF_JW,
    SQQA_JW,
    Message,
    PromptTemplate,
    sqqa_sentence,
)
from evaluators.metrics.base import ratio_aggregate
from evaluators.predictions.base import PredictionItem

#: the judge settings jaeeewon/project-multimodal sends to its vLLM-served Qwen3-8B (dist_eval/qwen3.py since
#: c804f8c, the revision of the SQQA and SF judging)
JW_QWEN3_DECODING = DecodingConfig(max_tokens=1024, seed=42, extra={"chat_template_kwargs": {"enable_thinking": False}})
#: dist_eval/qwen3.py at 68cb85c, which judged the SALMONN SAKURA rows: max_tokens only (no seed; Qwen3's
#: chat template thinks by default)
JW_QWEN3_DECODING_68CB85C = DecodingConfig(max_tokens=1024)


@dataclass(frozen=True)
class ItemVerdict:
    """One item's judging: official outcome, statistics row, replies and what was extracted."""

    id: str
    outcome: str
    stats: tuple[float, ...]
    parsed: bool
    replies: tuple[str, ...] = ()
    explanation: str | None = None
    group: str | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "detail", MappingProxyType(dict(self.detail)))

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "outcome": self.outcome, "stats": list(self.stats), "parsed": self.parsed,
                "explanation": self.explanation, "group": self.group, "replies": list(self.replies),
                "detail": dict(self.detail)}


@dataclass(frozen=True)
class Call:
    """One prompt of an item: a tag (``answer-0``, ``ref-first``...) and the template's values."""

    tag: str
    values: Mapping[str, str]


def item_question(protocol_id: str, item: PredictionItem) -> str:
    """The question shown to the judge: ``metadata["question"]``, else the item's prompt."""
    question = item.metadata.get("question", item.prompt)
    if not isinstance(question, str) or not question:
        raise JudgeInputError(protocol_id, item.id, "no question: set metadata['question'] or the item prompt")
    return question


def item_reference(protocol_id: str, item: PredictionItem) -> str:
    if not item.references:
        raise JudgeInputError(protocol_id, item.id, "no reference answer")
    return item.references[0]


class JudgeSpec(ABC):
    """The judge recipe of one protocol id."""

    protocol_id: str = ""
    template: PromptTemplate
    default_model: str = ""
    default_decoding: DecodingConfig = DecodingConfig()
    #: the number is ``ratio × scale`` (1 for accuracies as fractions, 20 or 100 for AudioBench)
    scale: float = 1.0
    unit: str = "fraction"
    #: how unparsable replies enter the official number (goes into the signature)
    unparsed_rule: str = ""
    #: ``binary``: stats are (correct, counted) and Wald/Wilson intervals apply; else bootstrap
    kind: str = "binary"
    stat_names: tuple[str, ...] = ("numerator", "denominator")
    #: when set, a call the backend fails on (after its retries) gets this reply instead of aborting
    backend_error_reply: str | None = None
    #: which binomial interval is the headline one (``wald`` where the source prints Wald ±)
    interval_style: str = "wilson"
    notes: str = ""

    @abstractmethod
    def calls(self, item: PredictionItem) -> list[Call] | str:
        """The prompts for ``item``, or a skip reason."""

    @abstractmethod
    def decide(self, item: PredictionItem, replies: Sequence[str]) -> ItemVerdict:
        """The official verdict of ``item`` from its replies (same order as :meth:`calls`)."""

    def render(self, call: Call) -> tuple[Message, ...]:
        """The chat messages of one call (the template's rendering, unless the source builds them itself)."""
        return self.template.render(call.values)

    def aggregate(self, stats: np.ndarray) -> np.ndarray:
        """Official value of items ``stats`` (shape ``(..., n, k)``): Σnum/Σden × scale."""
        return ratio_aggregate(stats, "corpus") * self.scale

    def extras(self, verdicts: Sequence[ItemVerdict]) -> dict[str, Any]:
        """Further numbers the official script prints (success rate, following rate, ...)."""
        return {}


def _group(item: PredictionItem, *keys: str) -> str | None:
    parts = [str(item.metadata[key]) for key in keys if item.metadata.get(key) not in (None, "")]
    return "-".join(parts) or None


# -- SAKURA (§12.3, §12.4) --------------------------------------------------------------------------------

class SakuraSpec(JudgeSpec):
    """SAKURA judging: one call per item; accuracy = correct / all items (invalid counted as wrong)."""

    def __init__(self, protocol_id: str, template: PromptTemplate, decision: str, default_model: str,
                 default_decoding: DecodingConfig, notes: str = ""):
        self.protocol_id = protocol_id
        self.template = template
        self.decision = decision
        self.default_model = default_model
        self.default_decoding = default_decoding
        self.unparsed_rule = f"invalid-counts-wrong({decision})"
        self.stat_names = ("correct", "total")
        self.interval_style = "wald"
        self.notes = notes

    def calls(self, item: PredictionItem) -> list[Call]:
        return [Call("judge", {"question": item_question(self.protocol_id, item),
                               "ground_truth": item_reference(self.protocol_id, item),
                               "response": item.prediction})]

    def decide(self, item: PredictionItem, replies: Sequence[str]) -> ItemVerdict:
        extracted = parsing.extract_sakura_judgement(replies[0])
        decide = parsing.sakura_decision_official if self.decision == "lower-strip" else parsing.sakura_decision_exact
        label = decide(extracted.judgement)
        outcome = "unparsed" if label == "invalid" else label
        return ItemVerdict(item.id, outcome, (1.0 if label == "correct" else 0.0, 1.0), label != "invalid",
                           tuple(replies), extracted.explanation, _group(item, "track", "hop"),
                           {"judgement": extracted.judgement, "regex_matched": extracted.matched})

    def extras(self, verdicts: Sequence[ItemVerdict]) -> dict[str, Any]:
        """The accuracy as the source prints it (percent; SAKURA one decimal with its Wald ±, jaeeewon's
        evaluation script two decimals)."""
        from evaluators.judges.intervals import sakura_plus_minus

        if not verdicts:
            return {}
        percent = 100 * sum(v.stats[0] for v in verdicts) / len(verdicts)
        if self.protocol_id == "J-SAKURA-JW-EVAL":
            return {"printed": round(percent, 2)}
        return {"printed": round(percent, 1), "printed_plus_minus": sakura_plus_minus(percent, len(verdicts))}


# -- WikiQA SQQA (§12.1) ----------------------------------------------------------------------------------

def _without_eos(text: str) -> str:
    return text[:-4].strip() if text.endswith("</s>") else text


def sqqa_candidates(references: Sequence[str]) -> list[str]:
    """WikiQA candidate answers as works.py::eval_wikiqa_sqqa_judge takes them: each reference lowercased and
    split on ``"; "`` (the builder stores all candidates of a question in one ``answer`` string)."""
    return [answer for reference in references for answer in reference.lower().split("; ")]


class SqqaSpec(JudgeSpec):
    protocol_id = "J-SQQA-JW"
    template = SQQA_JW
    default_model = "Qwen/Qwen3-8B"
    default_decoding = JW_QWEN3_DECODING
    unparsed_rule = "no-marker-counts-wrong"
    stat_names = ("correct", "total")
    notes = ("one judge call per candidate answer (all WikiQA candidate sentences, label ignored; a reference "
             "holding several joined by '; ' is split, as works.py does); OR over answers")

    def calls(self, item: PredictionItem) -> list[Call] | str:
        question = item_question(self.protocol_id, item)
        if not item.references:
            raise JudgeInputError(self.protocol_id, item.id, "no candidate answers")
        output = _without_eos(item.prediction)
        return [Call(f"answer-{index}", {"sentence": sqqa_sentence(question, answer, output)})
                for index, answer in enumerate(sqqa_candidates(item.references))]

    def decide(self, item: PredictionItem, replies: Sequence[str]) -> ItemVerdict:
        correct = parsing.sqqa_official_correct(tuple(replies))
        readable = [parsing.sqqa_reply_readable(reply) for reply in replies]
        outcome = "correct" if correct else ("incorrect" if any(readable) else "unparsed")
        reasons = [reason for reason in map(parsing.sqqa_reason, replies) if reason]
        return ItemVerdict(item.id, outcome, (float(correct), 1.0), all(readable), tuple(replies),
                           " | ".join(reasons) or None, _group(item, "group"), {"followed": self._followed(item)})

    @staticmethod
    def _followed(item: PredictionItem) -> bool | None:
        """jaeeewon's "following" test as coded: some gold answer has ``jiwer.wer(answer, output) ≥ 0.3``."""
        import jiwer

        output = _without_eos(item.prediction)
        answers = [answer for answer in sqqa_candidates(item.references) if answer.strip()]
        if not answers or not output.strip():
            return None
        return any(jiwer.wer(answer, output) >= 0.3 for answer in answers)

    def extras(self, verdicts: Sequence[ItemVerdict]) -> dict[str, Any]:
        followed = [v.detail.get("followed") for v in verdicts if v.detail.get("followed") is not None]
        return {"following_rate": (sum(followed) / len(followed)) if followed else None}


# -- SLURP slot filling (§12.2) ---------------------------------------------------------------------------

class SlotFillingSpec(JudgeSpec):
    protocol_id = "J-SF-JW"
    template = SF_JW
    default_model = "Qwen/Qwen3-8B"
    default_decoding = JW_QWEN3_DECODING
    unparsed_rule = "only-exact-Yes-counts"
    stat_names = ("yes", "slots")
    notes = ("gold slot i paired with predicted slot i (zip); micro accuracy over judged slots; replies that say "
             "yes inexactly are counted No (as eval_sf.py) and reported as extras['near_misses']")

    @staticmethod
    def pairs(item: PredictionItem) -> list[tuple[list[str], list[str]]] | str:
        gold = [slot.split("=") for slot in item.reference.lower().split("; ") if slot]
        predicted = [[value.strip() for value in slot.split("=")]
                     for slot in item.prediction.replace("</s>", "").lower().split("; ") if slot]
        pairs = list(zip(gold, predicted, strict=False))
        if any(len(g) < 2 or len(p) < 2 for g, p in pairs):
            return "slot without '=' (the official script raises IndexError)"
        return pairs

    def calls(self, item: PredictionItem) -> list[Call] | str:
        if not item.references:
            raise JudgeInputError(self.protocol_id, item.id, "no gold slots")
        pairs = self.pairs(item)
        if isinstance(pairs, str):
            return pairs
        if not pairs:
            return "no slot pairs"
        return [Call(f"slot-{index}", {"our_slot": p[1], "golden_slot": g[1], "slot_type": g[0]})
                for index, (g, p) in enumerate(pairs)]

    def decide(self, item: PredictionItem, replies: Sequence[str]) -> ItemVerdict:
        yes = sum(parsing.sf_official_yes(reply) for reply in replies)
        readable = all(parsing.sf_reply_readable(reply) for reply in replies)
        return ItemVerdict(item.id, "scored" if readable else "unparsed", (float(yes), float(len(replies))),
                           readable, tuple(replies), None, None,
                           {"unreadable_replies": sum(not parsing.sf_reply_readable(r) for r in replies),
                            "near_miss_yes": sum(parsing.sf_near_miss_yes(r) for r in replies)})

    def extras(self, verdicts: Sequence[ItemVerdict]) -> dict[str, Any]:
        """Near-misses (``Yes.``, ``yes``, ``Yes\n``): counted No as eval_sf.py does, and reported here with
        the accuracy they would give if read as Yes."""
        near = sum(v.detail.get("near_miss_yes", 0) for v in verdicts)
        slots = sum(v.stats[1] for v in verdicts)
        yes = sum(v.stats[0] for v in verdicts)
        return {"near_misses": near, "accuracy_if_near_misses_were_yes": (yes + near) / slots if slots else None}


# -- AudioBench (§12.5, §7.3) -----------------------------------------------------------------------------

#: removed from accent/gender references before judging (AudioBench ``voxceleb_accent_test.py`` and
#: the IMDA gender/accent files: ``reference.replace(prefix, '')``); set it as ``metadata["reference_prefix"]``
AUDIOBENCH_ACCENT_PREFIX = "From the audio, I guess the speaker is from "


class AudioBenchSpec(JudgeSpec):
    """AudioBench judge: rating = float(last token), failures rated 0 and kept; score = mean × scale.

    An item whose ``metadata["reference_prefix"]`` is set has that text removed from its reference
    (``str.replace``), as AudioBench's accent/gender datasets do before judging (their logs already
    store the stripped reference).
    """

    def __init__(self, protocol_id: str, template: PromptTemplate, scale: float, default_model: str,
                 default_decoding: DecodingConfig, notes: str = "", backend_error_reply: str | None = None):
        self.protocol_id = protocol_id
        self.backend_error_reply = backend_error_reply
        self.template = template
        self.scale = scale
        self.unit = "percent"
        self.default_model = default_model
        self.default_decoding = default_decoding
        self.unparsed_rule = "failed-parse-rated-0"
        self.kind = "binary" if scale == 100 else "scale"
        self.stat_names = ("rating", "count")
        self.notes = notes

    def calls(self, item: PredictionItem) -> list[Call]:
        reference = item_reference(self.protocol_id, item)
        prefix = item.metadata.get("reference_prefix")
        if isinstance(prefix, str) and prefix:
            reference = reference.replace(prefix, "")
        return [Call("judge", {"reference": reference, "prediction": item.prediction,
                               "question": item_question(self.protocol_id, item)})]

    def decide(self, item: PredictionItem, replies: Sequence[str]) -> ItemVerdict:
        rating = parsing.audiobench_rating(replies[0])
        return ItemVerdict(item.id, "scored" if rating.success else "unparsed", (rating.rating, 1.0), rating.success,
                           tuple(replies), parsing.audiobench_explanation(replies[0]), _group(item, "task_type"),
                           {"rating": rating.rating, "success": int(rating.success)})

    def extras(self, verdicts: Sequence[ItemVerdict]) -> dict[str, Any]:
        if not verdicts:
            return {"success_rate": None}
        return {"success_rate": sum(v.parsed for v in verdicts) / len(verdicts)}


# -- AIR-Bench chat (§12.6) -------------------------------------------------------------------------------

AIR_CATEGORIES = {"speech_QA": "speech", "speech_dialogue_QA": "speech", "sound_QA": "sound",
                  "sound_generation_QA": "sound", "music_QA": "music", "music_generation_analysis_QA": "music",
                  "speech_and_sound_QA": "speech_and_sound", "speech_and_music_QA": "speech_and_music"}


#: cal_score.py's categories, in its order
AIR_CATEGORY_ORDER = ("speech", "sound", "music", "speech_and_sound", "speech_and_music")
#: the Chat leaderboard's columns (README): "Mixed Audio" = mean of speech_and_sound and speech_and_music
AIR_LEADERBOARD_COLUMNS = ("Speech", "Sound", "Music", "Mixed Audio")
_AIR_ORDER_STATS = ("model_ref_first", "ok_ref_first", "model_model_first", "ok_model_first")


def air_leaderboard(stats: np.ndarray) -> dict[str, np.ndarray]:
    """The Chat leaderboard columns and their "Average" from per-item category-blocked statistics.

    Per category (cal_score.py): the model's mean score over parsed replies, in each order, then the two
    orders averaged (README: "swap the positions ... and then calculate the final score"); "Mixed Audio"
    is the mean of speech_and_sound and speech_and_music; "Average" the mean of the four columns. Where
    a category has no parsed reply in an order, cal_score.py divides by zero; here that category is NaN and
    is left out of the means (the number stays defined on partial data, and the NaN column shows why).
    """
    stats = np.asarray(stats, dtype=float)
    blocks = stats.reshape(stats.shape[:-1] + (len(AIR_CATEGORY_ORDER), len(_AIR_ORDER_STATS)))
    totals = blocks.sum(axis=-3)   # (..., category, 4)
    with np.errstate(divide="ignore", invalid="ignore"):
        ref_first = np.where(totals[..., 1] > 0, totals[..., 0] / np.where(totals[..., 1] > 0, totals[..., 1], 1),
                             np.nan)
        model_first = np.where(totals[..., 3] > 0, totals[..., 2] / np.where(totals[..., 3] > 0, totals[..., 3], 1),
                               np.nan)
    category = (ref_first + model_first) / 2
    columns = {"Speech": category[..., 0], "Sound": category[..., 1], "Music": category[..., 2],
               "Mixed Audio": _nanmean(np.stack([category[..., 3], category[..., 4]], axis=-1))}
    columns["Average"] = _nanmean(np.stack([columns[name] for name in AIR_LEADERBOARD_COLUMNS], axis=-1))
    return columns


def _nanmean(values: np.ndarray) -> np.ndarray:
    present = ~np.isnan(values)
    count = present.sum(axis=-1)
    total = np.where(present, values, 0.0).sum(axis=-1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


class AirChatSpec(JudgeSpec):
    """AIR-Bench chat: each item judged twice (reference first, then model first); the number is the Chat
    leaderboard's "Average" (:func:`air_leaderboard`): per category the model's mean score over parsed
    replies in each order (fails excluded, as cal_score.py), the orders averaged, "Mixed Audio" the mean of
    the two mixed categories, and the mean of the four columns. The columns are in ``extras["leaderboard"]``.
    Items whose ``task_name`` is none of cal_score.py's are not in any column (counted as
    ``extras["uncategorised"]``)."""

    protocol_id = "J-AIR-CHAT"
    template = AIR_CHAT
    default_model = "gpt-4-0125-preview"
    default_decoding = DecodingConfig(temperature=1.0, max_tokens=1024)
    unit = "score-1-10"
    unparsed_rule = "fails-excluded-per-order"
    kind = "scale"
    stat_names = tuple(f"{category}:{name}" for category in AIR_CATEGORY_ORDER for name in _AIR_ORDER_STATS)
    notes = ("positions swapped and averaged (README 'cir' run); score_chat.py's unseeded 50 % temperature-2.0 "
             "coin flip is not reproduced: every call uses the configured temperature; value = the leaderboard "
             "'Average' of Speech, Sound, Music and Mixed Audio (mean of speech_and_sound, speech_and_music)")

    def calls(self, item: PredictionItem) -> list[Call]:
        audio = item.metadata.get("meta_info")
        if not isinstance(audio, str):
            raise JudgeInputError(self.protocol_id, item.id, "metadata['meta_info'] (the audio description) is "
                                                             "missing; cal_score.py exits on such items")
        question = item_question(self.protocol_id, item)
        reference = item_reference(self.protocol_id, item)
        common = {"audio": audio, "question": question}
        return [Call("ref-first", common | {"assistant1": reference, "assistant2": item.prediction}),
                Call("model-first", common | {"assistant1": item.prediction, "assistant2": reference})]

    def decide(self, item: PredictionItem, replies: Sequence[str]) -> ItemVerdict:
        ref_first, model_first = parsing.air_scores(replies[0]), parsing.air_scores(replies[1])
        task = str(item.metadata.get("task_name", ""))
        block = (float(ref_first.second or 0), float(ref_first.parsed),
                 float(model_first.first or 0), float(model_first.parsed))
        category = AIR_CATEGORIES.get(task)
        stats: tuple[float, ...] = ()
        for name in AIR_CATEGORY_ORDER:
            stats += block if name == category else (0.0,) * len(block)
        parsed = ref_first.parsed and model_first.parsed
        outcome = "scored" if parsed else ("partial" if ref_first.parsed or model_first.parsed else "unparsed")
        return ItemVerdict(item.id, outcome, stats, parsed, tuple(replies), None, category,
                           {"ref_first": [ref_first.first, ref_first.second],
                            "model_first": [model_first.first, model_first.second],
                            "out_of_range": ref_first.out_of_range or model_first.out_of_range})

    def aggregate(self, stats: np.ndarray) -> np.ndarray:
        return air_leaderboard(stats)["Average"]

    def extras(self, verdicts: Sequence[ItemVerdict]) -> dict[str, Any]:
        leaderboard: dict[str, float | None] = {}
        if verdicts:
            stats = np.asarray([v.stats for v in verdicts], dtype=float)
            for name, value in air_leaderboard(stats).items():
                leaderboard[name] = None if np.isnan(value) else float(value)
        reference_scores = [v.detail["ref_first"][0] for v in verdicts if v.detail["ref_first"][0] is not None]
        reference_scores += [v.detail["model_first"][1] for v in verdicts if v.detail["model_first"][1] is not None]
        wins = [v.detail["ref_first"][1] > v.detail["ref_first"][0] for v in verdicts
                if v.detail["ref_first"][0] is not None]
        return {"leaderboard": leaderboard, "uncategorised": sum(v.group is None for v in verdicts),
                "reference_mean": (sum(reference_scores) / len(reference_scores)) if reference_scores else None,
                "win_rate_ref_first": (sum(wins) / len(wins)) if wins else None,
                "out_of_range_items": [v.id for v in verdicts if v.detail.get("out_of_range")]}


# -- AIR-Bench Foundation GPT alignment (§11.1) -----------------------------------------------------------

def _air_alignment_template() -> PromptTemplate:
    """The alignment message with sentinel values: pins the text (snapshot) and gives the hash."""
    from evaluators.metrics.choice import air_alignment_prompt

    return PromptTemplate(name="air-bench-foundation-align", source="OFA-Sys/AIR-Bench align_in_foundation.py",
                          user=air_alignment_prompt("QUESTION", "ANSWER", ["CHOICE_A", "CHOICE_B", "CHOICE_C",
                                                                           "CHOICE_D"]))


class AirAlignSpec(JudgeSpec):
    """AIR-Bench Foundation with the optional GPT alignment: the judge maps the free-text response to a
    letter, which ``score_foundation.py`` then reads (first character, else second-to-last); failures
    leave the denominator; groups are ``task_name + '_' + dataset_name``."""

    protocol_id = "MCQ-AIR-GPT"
    default_model = "gpt-3.5-turbo"
    default_decoding = DecodingConfig(temperature=1.0, max_tokens=1024)
    unparsed_rule = "no-letter-excluded"
    stat_names = ("correct", "answered")
    notes = ("the message is built by evaluators.metrics.choice.air_alignment_prompt (C/D lines only when both "
             "exist); the unseeded 50 % temperature-2.0 coin flip is not reproduced")

    def __init__(self) -> None:
        self.template = _air_alignment_template()

    def calls(self, item: PredictionItem) -> list[Call]:
        from evaluators.metrics.choice import air_gold_letter, choice_letters, choices_from_metadata

        try:
            choices = choices_from_metadata(item.metadata)
            air_gold_letter(item_reference(self.protocol_id, item), choices, choice_letters(item.metadata))
        except ValueError as error:
            raise JudgeInputError(self.protocol_id, item.id, str(error)) from None
        return [Call("align", {"question": item_question(self.protocol_id, item), "response": item.prediction,
                               "choices": "\x1f".join(choices)})]

    def render(self, call: Call) -> tuple[Message, ...]:
        from evaluators.metrics.choice import air_alignment_prompt

        choices = call.values["choices"].split("\x1f")
        return (("user", air_alignment_prompt(call.values["question"], call.values["response"], choices)),)

    def decide(self, item: PredictionItem, replies: Sequence[str]) -> ItemVerdict:
        from evaluators.metrics.choice import (
            air_gold_letter,
            air_response_letter,
            choice_letters,
            choices_from_metadata,
        )

        letter = air_response_letter(replies[0])
        gold = air_gold_letter(item.references[0], choices_from_metadata(item.metadata), choice_letters(item.metadata))
        outcome = "unparsed" if letter is None else ("correct" if letter == gold else "incorrect")
        task = "_".join(str(item.metadata[key]) for key in ("task_name", "dataset_name") if item.metadata.get(key))
        return ItemVerdict(item.id, outcome, (float(letter == gold), float(letter is not None)), letter is not None,
                           tuple(replies), None, task or None, {"letter": letter, "gold": gold})


# -- registry of specs ------------------------------------------------------------------------------------

_AB_LLAMA_MODEL = "casperhansen/llama-3-70b-instruct-awq"
_AB_LLAMA_DECODING = DecodingConfig(max_tokens=512)
_AB_GPT4O_DECODING = DecodingConfig(temperature=0.7, top_p=0.95, max_tokens=500,
                                    extra={"frequency_penalty": 0, "presence_penalty": 0})
_AB_GPT4O_NOTE = ("eval_gpt4o.py turns a failed API call into the reply 'empty' (rating 0, success 0); here a call "
                  "that still fails after the backend's retries does the same, and is not cached")
_AB_LLAMA_NOTE = ("AudioBench applies the Llama-3 chat template itself and posts the text to the completions API "
                  "(vLLM then adds a second BOS): OpenAICompatibleBackend(transport='completions-llama3') does the "
                  "same; the default chat transport lets the server apply the template (one BOS); the signature "
                  "names the transport that ran")

SPECS: dict[str, JudgeSpec] = {spec.protocol_id: spec for spec in (
    SakuraSpec("J-SAKURA", SAKURA_OFFICIAL, "lower-strip", "gpt-4o-2024-11-20",
               DecodingConfig(temperature=0.0, top_p=0.9),
               notes="max_tokens 1024 is recorded by llm_judge.py but not sent"),
    SakuraSpec("J-SAKURA-JW-DIST", SAKURA_JW_DIST, "exact", "Qwen/Qwen3-8B", JW_QWEN3_DECODING_68CB85C,
               notes="model response passed raw, including </s>; captured judgement compared without lower/strip; "
                     "request as works.py at 68cb85c: {model, messages, max_tokens: 1024}, no seed, thinking on "
                     "(qwen3.py got seed 42 and enable_thinking=False later, in c804f8c)"),
    SakuraSpec("J-SAKURA-JW-EVAL", SAKURA_JW_EVAL, "lower-strip", "openai/gpt-oss-20b",
               DecodingConfig(temperature=0.0, top_p=1.0, seed=42),
               notes="evaluation/sakura_exp.py prints the accuracy rounded to 2 decimals (percent)"),
    SqqaSpec(),
    SlotFillingSpec(),
    AudioBenchSpec("J-AB-SCALE", AB_SCALE_LLAMA, 20.0, _AB_LLAMA_MODEL, _AB_LLAMA_DECODING, _AB_LLAMA_NOTE),
    AudioBenchSpec("J-AB-BINARY", AB_BINARY_LLAMA, 100.0, _AB_LLAMA_MODEL, _AB_LLAMA_DECODING, _AB_LLAMA_NOTE),
    AudioBenchSpec("J-AB-SCALE-GPT4O", AB_SCALE_GPT4O, 20.0, "gpt-4o-chat", _AB_GPT4O_DECODING,
                   _AB_GPT4O_NOTE, backend_error_reply="empty"),
    AudioBenchSpec("J-AB-BINARY-GPT4O", AB_BINARY_GPT4O, 100.0, "gpt-4o-chat", _AB_GPT4O_DECODING,
                   _AB_GPT4O_NOTE, backend_error_reply="empty"),
    AudioBenchSpec("ER-AB-JUDGE", AB_BINARY_LLAMA, 100.0, _AB_LLAMA_MODEL, _AB_LLAMA_DECODING,
                   "emotion answers judged with J-AB-BINARY (protocols.md §7.3): no label mapping"),
    AirChatSpec(),
    AirAlignSpec(),
)}
