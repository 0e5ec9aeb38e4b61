"""Multiple-choice protocols (protocols.md §11): MMAU, AudioBench's MMAU copy, AIR-Bench, MuChoMusic.

Reproduces:

* ``MCQ-MMAU`` — Sakshi113/MMAU ``evaluation.py`` (token-set string match; accuracy overall and per
  task, difficulty and sub-category). Where ``evaluation.py`` crashes, this keeps returning a number:
  its ``diff_metrics``/``task_metrics`` dicts only know ``easy``/``medium``/``hard`` and
  ``sound``/``music``/``speech``, so an answer key with ``Hard`` labels (1c6af99) or another task raises
  ``KeyError`` there; here such labels are groups of their own and the overall accuracy is unchanged;
* ``MCQ-AB-MMAU`` — AudioLLMs/AudioBench ``src/dataset_src/eval_methods/string_match.py::mmau_string_match``;
* ``MCQ-AIR`` — OFA-Sys/AIR-Bench ``score_foundation.py`` (failures excluded from the denominator),
  and ``MCQ-AIR-GPT``, the same after the GPT alignment of ``align_in_foundation.py`` (needs a judge);
* ``MCQ-MUCHO`` — mulab-mir/muchomusic ``muchomusic_eval/scoring.py::extract_responses`` + ``compare_answers``.

Item layout expected from the importers: ``prediction`` = the model output, ``references[0]`` =
the text of the right option, ``metadata["choices"]`` = the option texts in displayed order (a list,
or the Python-list literal some files store). Grouping keys are the benchmarks' own field names
(``task``, ``difficulty``, ``sub-category`` for MMAU; ``task_name`` + ``dataset_name`` for AIR-Bench).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from evaluators.errors import ItemInputError
from evaluators.metrics.choice import (
    AnsweredRate,
    ChoiceAccuracy,
    air_gold_letter,
    air_response_letter,
    audiobench_mmau_match,
    choice_letters,
    choices_from_metadata,
    mmau_match,
    mmau_tokens,
    mucho_extract,
)
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.protocols.base import Prepared, Protocol, Score, Source, Step
from evaluators.protocols.registry import register

#: MMAU's breakdowns (field names of the MMAU JSON)
MMAU_BREAKDOWNS = ("task", "difficulty", "sub-category")


def check_step(name: str, field: str, check: Callable[[Prepared], None], doc: str) -> Step:
    """A step that validates an item and leaves it unchanged; a ``ValueError`` becomes ``ItemInputError`` on
    ``field``, which ``Protocol.score`` reports naming the file and the item."""

    def apply(prepared: Prepared) -> Prepared:
        try:
            check(prepared)
        except ItemInputError:
            raise
        except ValueError as error:
            raise ItemInputError(str(error), field=field) from None
        return prepared

    return Step(name, "item", apply, doc)


def _require_choices(prepared: Prepared) -> None:
    choices_from_metadata(prepared.item.metadata)
    if not prepared.references:
        raise ValueError("no reference (the text of the right option)")


CHECK_CHOICES = check_step("check-choices", "choices", _require_choices,
                           "the item carries its option texts and the right option's text")


# -- MMAU ------------------------------------------------------------------------------------------

def _decide_mmau(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> tuple[bool, bool]:
    choices = choices_from_metadata(metadata)
    return mmau_match(hypothesis, references[0], choices), bool(mmau_tokens(hypothesis))


def _decide_ab_mmau(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> tuple[bool, bool]:
    choices = choices_from_metadata(metadata)
    return audiobench_mmau_match(hypothesis, references[0], choices), bool(mmau_tokens(hypothesis))


MCQ_MMAU = register(Protocol(
    id="MCQ-MMAU", family="mcq",
    title="MMAU test-mini/test string match (Sakshi113/MMAU evaluation.py)",
    sources=(Source("Sakshi113/MMAU", "evaluation.py", commit="74682927cf7f434cc9ed585b1f8a5e6150381e91",
                    note="tokens = set of \\b\\w+\\b in lowercased text; answer tokens ⊆ output tokens and no "
                         "token that only a wrong choice has"),),
    steps=(CHECK_CHOICES,),
    metric=ChoiceAccuracy(_decide_mmau, "mmau-token-set"),
    params={"tokens": "word-set-lower", "empty": "wrong"},
    spec="protocols.md §11.2", group_by="task", interval_method="wilson"))

MCQ_AB_MMAU = register(Protocol(
    id="MCQ-AB-MMAU", family="mcq",
    title="AudioBench mmau_mini string match (MMAU's rule after dropping the '(A) ' prefixes)",
    sources=(Source("AudioLLMs/AudioBench", "src/dataset_src/eval_methods/string_match.py",
                    commit="e991641d4beaa7c07913c481af05447619f0e9f5", note="mmau_string_match"),),
    steps=(CHECK_CHOICES,),
    metric=ChoiceAccuracy(_decide_ab_mmau, "mmau-token-set-drop4"),
    params={"tokens": "word-set-lower", "label_prefix": "drop-4-chars", "empty": "wrong"},
    spec="protocols.md §11.3", group_by="task", interval_method="wilson"))


# -- AIR-Bench Foundation --------------------------------------------------------------------------

def _require_air_gold(prepared: Prepared) -> None:
    _require_choices(prepared)
    metadata = prepared.item.metadata
    air_gold_letter(prepared.references[0], choices_from_metadata(metadata), choice_letters(metadata))


def _skip_air_failure(prepared: Prepared) -> str | None:
    return None if air_response_letter(prepared.hypothesis) else "no_option_letter"


def _decide_air(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> tuple[bool, bool]:
    letter = air_response_letter(hypothesis)
    gold = air_gold_letter(references[0], choices_from_metadata(metadata), choice_letters(metadata))
    return letter == gold, letter is not None


def _add_air_task(prepared: Prepared) -> Prepared:
    """score_foundation.py groups items by ``task_name + '_' + dataset_name``: that key becomes the item's
    ``air_task`` metadata (the protocol's ``group_by``), unless the item already carries one."""
    item = prepared.item
    task, dataset = item.metadata.get("task_name"), item.metadata.get("dataset_name")
    if task is None or "air_task" in item.metadata:
        return prepared
    key = f"{task}_{dataset}" if dataset is not None else str(task)
    return dataclasses.replace(prepared, item=dataclasses.replace(item, metadata={**item.metadata, "air_task": key}))


def _skip_task_name_none(prepared: Prepared) -> str | None:
    """score_foundation.py drops rows whose task_name is None before counting anything."""
    metadata = prepared.item.metadata
    return "task_name_none" if "task_name" in metadata and metadata["task_name"] is None else None


_AIR_SOURCE = Source("OFA-Sys/AIR-Bench", "score_foundation.py", commit="983247666e2a25519b5c122810c2bcd91f26fd8d",
                     note="first char A-D, else second-to-last char; failures leave the denominator")

MCQ_AIR = register(Protocol(
    id="MCQ-AIR", family="mcq",
    title="AIR-Bench Foundation letter extraction (OFA-Sys/AIR-Bench score_foundation.py)",
    sources=(_AIR_SOURCE,),
    steps=(Step("skip-task-name-none", "skip", _skip_task_name_none, "rows without task_name are dropped"),
           Step("air-task-key", "item", _add_air_task, "group key task_name + '_' + dataset_name"),
           check_step("check-gold-option", "references", _require_air_gold,
                      "answer_gt equals one of the options (the original exits otherwise)"),
           Step("skip-no-letter", "skip", _skip_air_failure,
                "response.strip() without newlines: p[0] or p[-2] must be A-D; empty/'None' fails")),
    metric=ChoiceAccuracy(_decide_air, "air-first-or-second-last-char"),
    params={"failures": "excluded", "gpt_alignment": False},
    spec="protocols.md §11.1", group_by="air_task", interval_method="wilson"))

SV_AIR = register(dataclasses.replace(
    MCQ_AIR, id="SV-AIR", family="speaker",
    title="AIR-Bench 'Speaker number verification' (4-option MCQ scored as MCQ-AIR)",
    spec="protocols.md §13 (SV-AIR) → §11.1"))

G_AIR = register(dataclasses.replace(
    MCQ_AIR, id="G-AIR", family="gender",
    title="AIR-Bench 'Speaker gender recognition' (MCQ scored as MCQ-AIR)",
    spec="protocols.md §14 (G-AIR) → §11.1"))


# -- MuChoMusic ------------------------------------------------------------------------------------

def mucho_gold_index(references: Sequence[str], metadata: Mapping[str, Any]) -> int:
    """Displayed position of the right option: ``metadata["answer_index"]`` or the reference's position."""
    choices = choices_from_metadata(metadata)
    if "answer_index" in metadata:
        index = metadata["answer_index"]
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(choices):
            raise ValueError(f"answer_index must be an integer from 0 to {len(choices) - 1} (a position among the "
                             f"{len(choices)} options), got {index!r}")
        return index
    if references[0] not in choices:
        raise ValueError(f"the right option {references[0]!r} is none of the options {choices!r}")
    return choices.index(references[0])


def _require_mucho_gold(prepared: Prepared) -> None:
    _require_choices(prepared)
    mucho_gold_index(prepared.references, prepared.item.metadata)


def _decide_mucho(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> tuple[bool, bool]:
    picked = mucho_extract(hypothesis, choices_from_metadata(metadata))
    return picked == mucho_gold_index(references, metadata), picked != -1


MCQ_MUCHO = register(Protocol(
    id="MCQ-MUCHO", family="mcq",
    title="MuChoMusic answer extraction (mulab-mir/muchomusic muchomusic_eval/scoring.py)",
    sources=(Source("mulab-mir/muchomusic", "muchomusic_eval/scoring.py",
                    commit="d3c9a423d006c545b86472c0c1cfacce7058cfc5",
                    note="extract_responses + compare_answers; unanswered (-1) counts as wrong"),),
    steps=(check_step("check-gold-option", "references", _require_mucho_gold,
                      "the right option is one of the displayed options"),),
    metric=ChoiceAccuracy(_decide_mucho, "mucho-single-letter-else-substring"),
    params={"prefix": "The correct answer is:", "unanswered": "wrong"},
    spec="protocols.md §11.4", interval_method="wilson"))


MCQ_MUCHO_IFR = register(dataclasses.replace(
    MCQ_MUCHO, id="MCQ-MUCHO/IFR",
    title="MuChoMusic instruction-following rate: 1 − unanswered/N (muchomusic_eval/scoring.py compare_answers)",
    metric=AnsweredRate(_decide_mucho, "mucho-single-letter-else-substring", "instruction-following-rate")))


# -- breakdowns ------------------------------------------------------------------------------------

def breakdown(protocol: Protocol, predictions: PredictionSet | Sequence[PredictionItem],
              keys: Iterable[str] = MMAU_BREAKDOWNS) -> dict[str, dict[str, Score]]:
    """Per-group scores for several metadata keys (MMAU: task, difficulty, sub-category)."""
    return {key: dataclasses.replace(protocol, group_by=key).score(predictions, details=False).groups
            for key in keys}
