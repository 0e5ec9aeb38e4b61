"""``PER-JW`` — phone error rate, jaeeewon/project-multimodal ``dist_eval/eval_per.py`` (protocols.md §4).

LibriSpeech test-clean phone transcriptions (``LS_testclean_pr.json``, Montreal Forced Aligner
output posted by the SALMONN authors in bytedance/SALMONN issue #103) are the references. Only
samples whose ``status`` is ``completed`` are counted (an item without a ``status`` in its metadata
is kept); then exactly ASR-JW: skip outputs without ``</s>``, the jiwer chain on both sides, corpus
rate over phone tokens. Lowercasing does not change phone identity and stress digits survive.
"""

from __future__ import annotations

from evaluators.protocols.asr import jw_protocol
from evaluators.protocols.base import Prepared, Step
from evaluators.protocols.registry import register


def _skip_not_completed(prepared: Prepared) -> str | None:
    status = prepared.item.metadata.get("status")
    return None if status in (None, "completed") else "not_completed"


PER_JW = register(jw_protocol(
    "PER-JW", family="per", script="dist_eval/eval_per.py", spec="protocols.md §4", token_unit="phone",
    extra_steps=(Step("skip_not_completed", "skip", _skip_not_completed, "only status == completed is counted"),),
    title="jaeeewon/project-multimodal dist_eval/eval_per.py: status==completed, missed-EOS skip, ASR-JW jiwer "
          "chain, corpus phone error rate"))
