"""Emotion recognition and free-text → label protocols (protocols.md §7).

Reproduces:

* ``ER-JW`` — jaeeewon/project-multimodal ``dist_eval/eval_er.py`` (+ ``dist_eval/iemocap.py``):
  IEMOCAP Session 5, 4 classes with excited merged into happy, labels outside the four skipped,
  missed-EOS outputs skipped (``infer.endswith("</s>")`` on the raw output: ``</s>\n`` and ``</S>``
  are missed), case-sensitive exact match;
* ``ER-QWEN-EXACT`` / ``ER-QWEN1-EXACT`` — QwenLM/Qwen2-Audio and QwenLM/Qwen-Audio
  ``eval_audio/evaluate_emotion.py``: ``sklearn.metrics.accuracy_score`` (exact string equality)
  after ``lstrip`` (Qwen2-Audio) or, for Qwen-Audio, what its decode keeps: the tokens before the first
  end token (``<|endoftext|>``), decoded and ``strip``-ped; one accuracy per ``source`` (the scripts
  print ``{source} ACC_score``: the groups), the pooled value beside them;
* ``LBL-CMI-SUBSTR`` — nicolaus625/CMI-bench ``evaluate.py::get_multiclass_acc`` (GTZAN genre,
  VocalSet technique, NSynth): the gold label is a substring of the normalised response and no other
  label of the file is;
* ``ER-AB-JUDGE`` — AudioLLMs/AudioBench ``iemocap_emotion_test.py`` / ``meld_*_test.py``: an LLM
  judge (J-AB-BINARY) — registered, unavailable without a judge backend;
* ``ER-LTUAS-EMBED`` — LTU-AS ``eval_iemocap_cla.py``: nearest class by text-embedding cosine —
  registered, unavailable offline (OpenAI embeddings API or a ``bert-large-uncased`` download).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from evaluators.errors import ItemInputError
from evaluators.metrics.labels import (
    IEMOCAP_EXCLUDED,
    Accuracy,
    cmi_label_set,
    cmi_substring_correct,
    exact_match,
    iemocap_label,
    never_scored,
)
from evaluators.predictions.base import PredictionItem
from evaluators.protocols.base import Prepared, Protocol, Source, Step
from evaluators.protocols.mcq import check_step
from evaluators.protocols.registry import register
from evaluators.text.cleanup import ends_with_eos_raw, remove_final_eos

# -- ER-JW -----------------------------------------------------------------------------------------


def _skip_other_sessions(prepared: Prepared) -> str | None:
    """IEMOCAP turn names start with ``Ses0N``; only Session 5 is evaluated."""
    session = prepared.item.metadata.get("session")
    if session is not None:
        return None if str(session).strip().lstrip("0") == "5" else "not_session_5"
    turn = str(prepared.item.metadata.get("turn", prepared.item.id))
    if turn.startswith("Ses0") and not turn.startswith("Ses05"):
        return "not_session_5"
    return None


def _check_iemocap_code(prepared: Prepared) -> None:
    if not prepared.references:
        raise ValueError("no gold IEMOCAP label")
    iemocap_label(prepared.references[0])


def _skip_excluded_gold(prepared: Prepared) -> str | None:
    return "gold_label_outside_four_classes" if prepared.references[0].strip() in IEMOCAP_EXCLUDED else None


def _skip_missed_eos(prepared: Prepared) -> str | None:
    """eval_er.py: ``infer.endswith("</s>")`` on the raw output (case-sensitive, nothing stripped)."""
    return None if ends_with_eos_raw(prepared.hypothesis) else "missed_eos"


def _map_gold(prepared: Prepared) -> Prepared:
    label = iemocap_label(prepared.references[0])
    return Prepared(prepared.hypothesis, (label or "",), prepared.item)


ER_JW = register(Protocol(
    id="ER-JW", family="emotion",
    title="IEMOCAP Session 5 4-class emotion, exact match (jaeeewon dist_eval/eval_er.py)",
    sources=(Source("jaeeewon/project-multimodal", "dist_eval/eval_er.py",
                    commit="d9e5d172c6cfd426ce1a85f989ecb2a968c5d733",
                    note="+ dist_eval/iemocap.py; exc→Happy; xxx/oth/fru/sur/fea/dis skipped"),),
    steps=(Step("session-5-only", "skip", _skip_other_sessions, "IEMOCAP Session 5 only"),
           check_step("check-gold-code", "references", _check_iemocap_code, "gold is an IEMOCAP label code"),
           Step("skip-gold-outside-four", "skip", _skip_excluded_gold,
                "gold code in xxx, oth, fru, sur, fea, dis → skipped"),
           Step("skip-missed-eos", "skip", _skip_missed_eos,
                "the raw output must end with </s> (case-sensitive, no trailing whitespace)"),
           Step("strip-eos", "hyp", remove_final_eos, "infer[:-4].strip()"),
           Step("map-gold", "item", _map_gold, "neu→Neutral, hap/exc→Happy, sad→Sad, ang→Angry")),
    metric=Accuracy(exact_match, "exact-case-sensitive"),
    params={"classes": 4, "exc": "Happy", "eos": "skip-missed", "case": "sensitive"},
    spec="protocols.md §7.1", interval_method="wilson"))


# -- Qwen exact match ------------------------------------------------------------------------------

ER_QWEN_EXACT = register(Protocol(
    id="ER-QWEN-EXACT", family="emotion",
    title="Qwen2-Audio exact-match accuracy after lstrip (eval_audio/evaluate_emotion.py, MELD)",
    sources=(Source("QwenLM/Qwen2-Audio", "eval_audio/evaluate_emotion.py",
                    commit="595360e82b5839c1507492ec83cae5bda6d5c7d4",
                    note="sklearn accuracy_score(gts, responses); response.lstrip() only; also used by "
                         "evaluate_vocal_sound.py"),),
    steps=(Step("lstrip", "hyp", str.lstrip, "leading whitespace removed; a trailing space or period stays"),),
    metric=Accuracy(exact_match, "exact"),
    params={"strip": "left", "case": "sensitive"},
    spec="protocols.md §7.2", interval_method="wilson", group_by="source"))

#: Qwen-Audio's end token (``tokenizer.eod_id``); its evaluate_*.py keep the tokens before the first one
QWEN_AUDIO_END_TOKEN = "<|endoftext|>"


def _qwen1_decoded(text: str) -> str:
    """Qwen-Audio decode: the text before the first ``<|endoftext|>``, stripped."""
    return text.split(QWEN_AUDIO_END_TOKEN, 1)[0].strip()

ER_QWEN1_EXACT = register(dataclasses.replace(
    ER_QWEN_EXACT, id="ER-QWEN1-EXACT",
    title="Qwen-Audio exact-match accuracy, response stripped at decode (eval_audio/evaluate_emotion.py)",
    sources=(Source("QwenLM/Qwen-Audio", "eval_audio/evaluate_emotion.py",
                    commit="b50fb958438081d36e1a14e93dbbc2f329c7f10e",
                    note="accuracy_score; the decoded response is .strip()-ed; same rule in evaluate_aqa.py, "
                         "evaluate_vocal_sound.py, evaluate_scene.py"),),
    steps=(Step("cut-at-end-token-strip", "hyp", _qwen1_decoded,
                "tokens before the first <|endoftext|> are decoded, then stripped on both sides"),),
    params={"end_token": "cut", "strip": "both", "case": "sensitive"}))


# -- CMI-Bench substring labels --------------------------------------------------------------------

class CmiSubstringAccuracy(Accuracy):
    """CMI-Bench substring accuracy: the gold label is in the response and no other label of the file is.

    The label set is all gold answers of the scored file, so ``for_items`` binds it to the set before any item
    is scored (the signature names its size).
    """

    def __init__(self, labels: frozenset[str] = frozenset()):
        self.labels = labels
        super().__init__(self._correct, f"cmi-substring-{len(labels)}-labels" if labels else "cmi-substring")

    def _correct(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> bool:
        return cmi_substring_correct(hypothesis, references[0], self.labels)

    def for_items(self, items: Sequence[PredictionItem]) -> CmiSubstringAccuracy:
        try:
            return CmiSubstringAccuracy(cmi_label_set(item.references[0] for item in items if item.references))
        except ValueError as error:
            raise ItemInputError(str(error), field="references") from None


LBL_CMI_SUBSTR = register(Protocol(
    id="LBL-CMI-SUBSTR", family="emotion",
    title="CMI-Bench multiclass accuracy: gold label ⊂ response and no other label (evaluate.py::get_multiclass_acc)",
    sources=(Source("nicolaus625/CMI-bench", "evaluate.py", commit="4c15f410bf0c7ff59d654b2a96f3295f3dec5aa5",
                    note="get_multiclass_acc; normalise deletes _ - ' space ., # → ♯, lowercase"),),
    steps=(),
    metric=CmiSubstringAccuracy(),
    params={"labels": "all-gold-answers-of-the-file", "normalise": "cmi", "raw_response": True},
    spec="protocols.md §7.5", interval_method="wilson"))


# -- need a judge / an embedding model -------------------------------------------------------------

ER_LTUAS_EMBED = register(Protocol(
    id="ER-LTUAS-EMBED", family="emotion",
    title="LTU-AS IEMOCAP classification by nearest class-name embedding (eval_iemocap_cla.py)",
    sources=(Source("nicolaus625/CMI-bench", "eval/LTU_AS/eval/eval_iemocap_cla.py",
                    commit="4c15f410bf0c7ff59d654b2a96f3295f3dec5aa5",
                    note="copy of LTU-AS; text-embedding-ada-002 or mean-pooled bert-large-uncased"),),
    steps=(),
    metric=Accuracy(never_scored, "embedding-argmax-cosine"),
    params={"embedding": "text-embedding-ada-002|bert-large-uncased"},
    spec="protocols.md §7.4",
    unavailable="needs an embedding model: the OpenAI embeddings API (text-embedding-ada-002) or a "
                "bert-large-uncased download, neither available offline",
    interval_method="wilson"))
