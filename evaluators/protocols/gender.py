"""Gender recognition protocols (protocols.md §14).

Reproduces:

* ``G-LTUAS`` / ``G-LTUAS-F1`` — LTU-AS ``eval_voxceleb_gender.py`` (copy in nicolaus625/CMI-bench
  ``eval/LTU_AS/eval/``): lowercase both sides, predicted label = ``female`` if the substring
  ``female`` occurs, else ``male``; accuracy and macro-F1 (``sklearn``);
* ``G-SAKURA`` — SAKURA Gender track (ckyang1124/SAKURA ``evaluation/llm_judge.py``), judged by
  J-SAKURA — registered, unavailable without a judge backend;
* ``G-AB`` — AudioBench ``iemocap_gender_test.py`` / ``voxceleb_gender_test.py`` judged by
  J-AB-BINARY — registered, unavailable without a judge backend;
* ``G-AIR`` (AIR-Bench gender MCQ) is registered in ``mcq.py`` with MCQ-AIR's rule.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from evaluators.metrics.labels import Accuracy, MacroF1, ltuas_gender
from evaluators.protocols.base import Prepared, Protocol, Source, Step
from evaluators.protocols.mcq import check_step
from evaluators.protocols.registry import register

GENDERS = ("female", "male")


def _check_gender_label(prepared: Prepared) -> None:
    if not prepared.references or prepared.references[0] not in GENDERS:
        raise ValueError(f"the reference must be female or male (after lowercasing), got {prepared.references[:1]!r}")


def _ltuas_correct(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> bool:
    return ltuas_gender(hypothesis) == references[0]


def _ltuas_predict(hypothesis: str, metadata: Mapping[str, Any]) -> str:
    return ltuas_gender(hypothesis)


_LTUAS_SOURCE = Source("nicolaus625/CMI-bench", "eval/LTU_AS/eval/eval_voxceleb_gender.py",
                       commit="4c15f410bf0c7ff59d654b2a96f3295f3dec5aa5",
                       note="copy of LTU-AS; 'female' substring → female, else male; sklearn accuracy / f1 macro")
_LTUAS_STEPS = (Step("lowercase", "both", lambda text: text.lower().strip(), "lowercase both sides"),
                check_step("check-label", "references", _check_gender_label, "reference is female or male"))

G_LTUAS = register(Protocol(
    id="G-LTUAS", family="gender",
    title="LTU-AS VoxCeleb gender accuracy: 'female' substring rule (eval_voxceleb_gender.py)",
    sources=(_LTUAS_SOURCE,), steps=_LTUAS_STEPS,
    metric=Accuracy(_ltuas_correct, "female-substring-else-male"),
    params={"case": "lower", "rule": "female-substring"},
    spec="protocols.md §14 (G-LTUAS)", interval_method="wilson"))

G_LTUAS_F1 = register(dataclasses.replace(
    G_LTUAS, id="G-LTUAS-F1",
    title="LTU-AS VoxCeleb gender macro-F1: 'female' substring rule (eval_voxceleb_gender.py)",
    metric=MacroF1(GENDERS, _ltuas_predict, "female-substring-else-male"),
    interval_method="bootstrap"))
