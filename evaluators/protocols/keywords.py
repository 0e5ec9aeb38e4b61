"""Keyword-extraction protocols (protocols.md §8, Inspec).

Reproduces:

* ``KE-JW`` — jaeeewon/project-multimodal ``dist_eval/eval_ke.py`` (+ ``dist_eval/inspec.py``):
  no EOS skip (470/1490 = 31.54 % reported); ``KE-JW/eos-skip`` skips outputs without ``</s>``
  (466/1469 = 31.72 %, the script's commented-out ``else: continue``): the test is
  ``infer.lower().endswith("</s>")`` on the raw output, so ``</s>`` followed by whitespace is a missed
  EOS and ``</S>`` is not;
* ``KE-ONMT`` — memray/OpenNMT-kpg-release ``onmt/keyphrase/eval.py`` (+ ``onmt/keyphrase/utils.py``):
  F1 at a cutoff, per document, averaged over documents; ``KE-ONMT`` is F1@M with exact stemmed
  matching, the ``/F1@3``, ``/F1@5``, ``/F1@k`` variants change the cutoff and ``/F1@M-ngram``,
  ``/F1@M-mixed`` use partial matching with a Hungarian assignment, and ``/AUC``, ``/AP``, ``/MRR``,
  ``/SADR``, ``/nDCG``, ``/alpha-nDCG@5``, ``/alpha-nDCG@10`` are its ranking measures. OpenNMT-kpg leaves lowercasing
  to the caller: here both sides are lowercased and a trailing ``</s>`` is removed before splitting
  the output on ``,`` / ``;`` (the list format the spoken-keyword prompts produce). As in
  ``kp_evaluate.py::evaluate``, predictions that repeat an earlier one after stemming, and phrases with
  a ``.``/``,`` word, are dropped before scoring.
"""

from __future__ import annotations

import dataclasses

from evaluators.metrics.keywords import RANKING_MEASURES, KeJwAccuracy, KeyphraseAtK, KeyphraseRanking
from evaluators.protocols.base import Prepared, Protocol, Source, Step
from evaluators.protocols.registry import register
from evaluators.text.cleanup import ends_with_eos_raw, strip_trailing_eos

KE_JW = register(Protocol(
    id="KE-JW", family="keywords",
    title="Inspec keyword accuracy, ≤3 credits per abstract (jaeeewon dist_eval/eval_ke.py)",
    sources=(Source("jaeeewon/project-multimodal", "dist_eval/eval_ke.py",
                    commit="d9e5d172c6cfd426ce1a85f989ecb2a968c5d733",
                    note="+ dist_eval/inspec.py: gold = all keyphrases joined by '; '"),),
    steps=(),
    metric=KeJwAccuracy(),
    params={"eos": "strip-no-skip", "split": ",", "cap": 3},
    spec="protocols.md §8.1"))


def _skip_missed_eos(prepared: Prepared) -> str | None:
    """eval_ke.py lower-cases the raw output, then tests ``endswith("</s>")`` (nothing stripped first)."""
    return None if ends_with_eos_raw(prepared.hypothesis.lower()) else "missed_eos"


KE_JW_EOS_SKIP = register(dataclasses.replace(
    KE_JW, id="KE-JW/eos-skip",
    title="Inspec keyword accuracy, outputs without </s> skipped (jaeeewon dist_eval/eval_ke.py)",
    steps=(Step("skip-missed-eos", "skip", _skip_missed_eos,
                "the lower-cased raw output must end with </s> (no trailing whitespace)"),),
    params={"eos": "skip-missed", "split": ",", "cap": 3}))

_ONMT_SOURCE = Source("memray/OpenNMT-kpg-release", "onmt/keyphrase/eval.py",
                      commit="d16bf09e21521a6854ff3c7fe6eb271412914960",
                      note="compute_match_scores + run_classic_metrics; stem_word_list and the validity/duplicate "
                           "filter (validate_phrases, if_present_duplicate_phrases) from onmt/keyphrase/utils.py, "
                           "applied as kp_evaluate.py::evaluate does")
_ONMT_STEPS = (Step("strip-eos", "hyp", strip_trailing_eos, "remove a trailing </s>"),
               Step("lowercase", "both", str.lower, "OpenNMT-kpg expects lowercased phrases"))


def _onmt(protocol_id: str, cutoff: int | str, match: str = "exact") -> Protocol:
    return register(Protocol(
        id=protocol_id, family="keywords",
        title=f"OpenNMT-kpg F1@{cutoff} ({match} match, Porter stems), mean over documents",
        sources=(_ONMT_SOURCE,), steps=_ONMT_STEPS,
        metric=KeyphraseAtK(cutoff, "F1", match),
        params={"cutoff": cutoff, "match": match, "split": ",;", "case": "lower"},
        spec="protocols.md §8.2"))


KE_ONMT = _onmt("KE-ONMT", "M")
KE_ONMT_AT_3 = _onmt("KE-ONMT/F1@3", 3)
KE_ONMT_AT_5 = _onmt("KE-ONMT/F1@5", 5)
KE_ONMT_AT_K = _onmt("KE-ONMT/F1@k", "k")
KE_ONMT_NGRAM = _onmt("KE-ONMT/F1@M-ngram", "M", "ngram")
KE_ONMT_MIXED = _onmt("KE-ONMT/F1@M-mixed", "M", "mixed")
KE_ONMT_RANKING = {measure: register(Protocol(
    id=f"KE-ONMT/{measure}", family="keywords",
    title=f"OpenNMT-kpg {measure} (run_advanced_metrics, exact Porter-stem match), mean over documents",
    sources=(_ONMT_SOURCE,), steps=_ONMT_STEPS, metric=KeyphraseRanking(measure),
    params={"split": ",;", "case": "lower"}, spec="protocols.md §8.2")) for measure in RANKING_MEASURES}
