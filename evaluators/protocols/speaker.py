"""Speaker verification protocols (protocols.md §13).

Reproduces:

* ``SV-JW`` — jaeeewon/project-multimodal ``dist_eval/eval_sv.py`` (+ ``voxceleb1.py``): every
  VoxCeleb1 test file is fed alone, so every item's truth is "yes"; keep ``status == completed``,
  lowercase, remove a final ``</s>`` and strip (only then: the raw ``" yes"`` is wrong), correct iff the
  rest is exactly ``yes``;
* ``SV-YESNO`` — SALMONN's pair task as built by bytedance/SALMONN ``dataset.py`` (utterance A,
  1600 zero samples, utterance B; prompt ``Do you only hear the same person talking? Answer yes or
  no.``; label ``Yes``/``No``), scored by reading the first whole word *yes* or *no* of a free-text
  answer — the SALMONN repository has no scoring code, so this rule is ours and named as such;
* ``SV-AIR`` (AIR-Bench speaker-number MCQ) is registered in ``mcq.py`` with MCQ-AIR's rule.

:func:`salmonn_sv_waveform` builds the SV input exactly as SALMONN's dataset does, so inference
runners feed the model what it was trained on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from evaluators.metrics.choice import ChoiceAccuracy
from evaluators.metrics.labels import Accuracy, parse_yes_no
from evaluators.protocols.base import Prepared, Protocol, Source, Step
from evaluators.protocols.mcq import check_step
from evaluators.protocols.registry import register
from evaluators.text.cleanup import remove_final_eos, strip_trailing_eos

SALMONN_SV_PROMPT = "Do you only hear the same person talking? Answer yes or no."
SALMONN_SV_GAP_SAMPLES = 1600   # fixed, whatever the sampling rate
MAX_SECONDS = 30


def salmonn_sv_waveform(first: np.ndarray, *others: np.ndarray, sampling_rate: int = 16000) -> np.ndarray:
    """SALMONN ``dataset.py`` input: the first utterance, then for each further one 1600 zeros and it;
    stereo keeps channel 0; padded with zeros to ≥ 1 s and truncated to 30 s (both in file samples)."""

    def mono(audio: np.ndarray) -> np.ndarray:
        audio = np.asarray(audio, dtype=float)
        return audio[:, 0] if audio.ndim == 2 else audio

    audio = mono(first)
    for other in others:
        audio = np.concatenate((audio, np.zeros(SALMONN_SV_GAP_SAMPLES), mono(other)))
    if len(audio) < sampling_rate:
        audio = np.concatenate((audio, np.zeros(sampling_rate - len(audio))))
    return audio[: sampling_rate * MAX_SECONDS]


# -- SV-JW -----------------------------------------------------------------------------------------

def _skip_not_completed(prepared: Prepared) -> str | None:
    status = prepared.item.metadata.get("status")
    return None if status is None or status == "completed" else "status_not_completed"


def _jw_clean(text: str) -> str:
    """eval_sv.py: lowercase; only when it then ends with ``</s>`` is the marker cut and the rest stripped
    (``" yes"`` and ``"yes</s>\n"`` stay as they are and are wrong)."""
    return remove_final_eos(text.lower())


def _is_yes(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> bool:
    return hypothesis == "yes"


SV_JW = register(Protocol(
    id="SV-JW", family="speaker",
    title="VoxCeleb1 single-file 'same speaker?' accuracy, truth always yes (jaeeewon dist_eval/eval_sv.py)",
    sources=(Source("jaeeewon/project-multimodal", "dist_eval/eval_sv.py",
                    commit="d9e5d172c6cfd426ce1a85f989ecb2a968c5d733",
                    note="+ dist_eval/voxceleb1.py: each test wav alone, so the truth is 'yes' for every item"),),
    steps=(Step("keep-completed", "skip", _skip_not_completed, "metadata status must be 'completed' when present"),
           Step("lowercase-strip-eos", "hyp", _jw_clean,
                "lowercase; if it ends with </s>: cut it and strip (else unchanged)")),
    metric=Accuracy(_is_yes, "equals-yes"),
    params={"truth": "always-yes", "case": "lower", "eos": "strip"},
    spec="protocols.md §13 (SV-JW)", interval_method="wilson"))


# -- SV-YESNO --------------------------------------------------------------------------------------

def _check_yes_no_label(prepared: Prepared) -> None:
    if not prepared.references or prepared.references[0].strip().lower() not in ("yes", "no"):
        raise ValueError(f"the label must be Yes or No, got {prepared.references[:1]!r}")


def _decide_yes_no(hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> tuple[bool, bool]:
    answer = parse_yes_no(hypothesis)
    return answer == references[0].strip().lower(), answer is not None


SV_YESNO = register(Protocol(
    id="SV-YESNO", family="speaker",
    title="SALMONN-style speaker verification pairs: first whole-word yes/no of the answer vs the Yes/No label",
    sources=(Source("bytedance/SALMONN", "dataset.py", commit="a58bba799a2eec05df09df102553f5c623808c12",
                    note="input = A + 1600 zeros + B (expand_wav), label Yes/No; the scoring rule (first "
                         "whole-word yes/no, none → wrong) is audiorepro's, as SALMONN publishes no scorer"),),
    steps=(check_step("check-label", "references", _check_yes_no_label, "label is Yes or No"),
           Step("strip-eos", "hyp", strip_trailing_eos, "remove a trailing </s>")),
    metric=ChoiceAccuracy(_decide_yes_no, "first-whole-word-yes-no"),
    params={"unparsed": "wrong"},
    spec="protocols.md §13 (SV-SALMONN-DATA)", interval_method="wilson"))
