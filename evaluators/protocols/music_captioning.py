"""Music-captioning protocols (protocols.md §10: MusicCaps, Song Describer).

Reproduces:

* ``MC-JW`` — jaeeewon/project-multimodal ``dist_eval/eval_mc.py`` (+ ``dist_eval/musiccaps.py``):
  trailing ``</s>`` removed (no skip in the HEAD version), sacreBLEU ``Tokenizer13a`` on both sides,
  corpus BLEU (13a, case-sensitive, ``force=True``); ``MC-JW/ROUGE-L`` is the mean ``rouge_score``
  ROUGE-L F-measure (stemmer on) of the same ``Tokenizer13a`` output (13a unescapes ``&amp;`` etc.;
  argument order swapped in the repo, which leaves F unchanged); ``</s>`` is tested with
  ``infer.endswith("</s>")`` on the raw output (``</s>\n`` and ``</S>`` are not an EOS);
  ``MC-JW/normalize`` replaces 13a by the repo's alternative ``normalize`` (lowercase, delete ASCII
  punctuation except ``'`` and ``-``); ``/eos-skip`` variants skip outputs without ``</s>`` (the runs
  behind the 4.31 / 22.65 numbers);
* ``MC-CMI/<metric>`` — nicolaus625/CMI-bench ``evaluate.py::music_captioning`` (MusicCaps, SDD): raw
  strings, per-item nltk ``sentence_bleu`` over **characters** (``BLEU``) and with weights (0,0,0,1)
  (``BLEU-4``), nltk METEOR over ``wordpunct_tokenize`` tokens, ``rouge_score`` ROUGE-L **recall**,
  each averaged; ``MC-CMI/BERTScore`` (roberta-large recall) is registered, unavailable offline.
"""

from __future__ import annotations

import dataclasses
import re
import string

from evaluators.metrics.bleu import BLEU
from evaluators.metrics.captions import BERTSCORE_UNAVAILABLE, BertScoreRecall, CharBleu, NltkMeteor, RougeLScore
from evaluators.protocols.base import Prepared, Protocol, Source, Step
from evaluators.protocols.registry import register
from evaluators.text.cleanup import ends_with_eos_raw, remove_final_eos
from evaluators.text.tokenizers import get_tokenizer


def _skip_missed_eos(prepared: Prepared) -> str | None:
    """eval_mc.py's commented-out skip: ``infer.endswith("</s>")`` on the raw output (case-sensitive)."""
    return None if ends_with_eos_raw(prepared.hypothesis) else "missed_eos"


def _tok13a(text: str) -> str:
    return get_tokenizer("13a")(text)


_KEEP = "'-"
_NORMALIZE_PUNCT = re.compile("[" + re.escape("".join(c for c in string.punctuation if c not in _KEEP)) + "]")


def jw_mc_normalize(text: str) -> str:
    """eval_mc.py ``normalize``: lowercase and delete ASCII punctuation except ``'`` and ``-``."""
    return _NORMALIZE_PUNCT.sub("", text.lower())


_JW_SOURCE = Source("jaeeewon/project-multimodal", "dist_eval/eval_mc.py",
                    commit="d9e5d172c6cfd426ce1a85f989ecb2a968c5d733",
                    note="+ dist_eval/musiccaps.py: is_audioset_eval rows, reference = caption")
_EOS_STEP = Step("strip-eos", "hyp", remove_final_eos, "if it ends with </s>: infer[:-4].strip() (no skip)")
_TOK13A_STEP = Step("tok-13a", "both", _tok13a, "sacreBLEU Tokenizer13a on both sides")
_SKIP_STEP = Step("skip-missed-eos", "skip", _skip_missed_eos, "output must end with </s>")

MC_JW = register(Protocol(
    id="MC-JW", family="music-captioning",
    title="MusicCaps BLEU (sacreBLEU 13a on 13a-tokenised text), jaeeewon eval_mc.py",
    sources=(_JW_SOURCE,),
    steps=(_EOS_STEP, _TOK13A_STEP),
    metric=BLEU("13a"),
    params={"eos": "strip-no-skip", "pre_tok": "13a", "case": "mixed"},
    libraries=("sacrebleu",), spec="protocols.md §10.1"))

MC_JW_ROUGE = register(Protocol(
    id="MC-JW/ROUGE-L", family="music-captioning",
    title="MusicCaps ROUGE-L F (rouge_score, stemmer), mean over items, jaeeewon eval_mc.py",
    sources=(_JW_SOURCE,), steps=(_EOS_STEP, _TOK13A_STEP),
    metric=RougeLScore("fmeasure"),
    params={"eos": "strip-no-skip", "pre_tok": "13a"}, libraries=("rouge-score",), spec="protocols.md §10.1"))

MC_JW_NORMALIZE = register(dataclasses.replace(
    MC_JW, id="MC-JW/normalize",
    title="MusicCaps BLEU after eval_mc.py normalize (lowercase, no punctuation but ' and -), sacreBLEU 13a",
    steps=(_EOS_STEP, Step("normalize", "both", jw_mc_normalize, "lowercase, delete punctuation except ' -")),
    params={"eos": "strip-no-skip", "pre_norm": "lower-punct-keep-apostrophe-hyphen"}))

MC_JW_EOS_SKIP = register(dataclasses.replace(
    MC_JW, id="MC-JW/eos-skip", steps=(_SKIP_STEP,) + MC_JW.steps,
    title=MC_JW.title + ", outputs without </s> skipped",
    params={**MC_JW.params, "eos": "skip-missed"}))
MC_JW_ROUGE_EOS_SKIP = register(dataclasses.replace(
    MC_JW_ROUGE, id="MC-JW/ROUGE-L/eos-skip", steps=(_SKIP_STEP,) + MC_JW_ROUGE.steps,
    title=MC_JW_ROUGE.title + ", outputs without </s> skipped",
    params={**MC_JW_ROUGE.params, "eos": "skip-missed"}))
MC_JW_NORMALIZE_EOS_SKIP = register(dataclasses.replace(
    MC_JW_NORMALIZE, id="MC-JW/normalize/eos-skip", steps=(_SKIP_STEP,) + MC_JW_NORMALIZE.steps,
    title=MC_JW_NORMALIZE.title + ", outputs without </s> skipped",
    params={**MC_JW_NORMALIZE.params, "eos": "skip-missed"}))


# -- CMI-Bench -------------------------------------------------------------------------------------

_CMI_SOURCE = Source("nicolaus625/CMI-bench", "evaluate.py", commit="4c15f410bf0c7ff59d654b2a96f3295f3dec5aa5",
                     note="music_captioning(): raw response vs correct_answer, each score averaged over items")


def _wordpunct(text: str) -> list[str]:
    from nltk.tokenize import wordpunct_tokenize

    return wordpunct_tokenize(text)


def _cmi(protocol_id: str, title: str, metric, params: dict, **extra) -> Protocol:
    return register(Protocol(id=protocol_id, family="music-captioning", title=title, sources=(_CMI_SOURCE,), steps=(),
                        metric=metric, params={"text": "raw", **params}, spec="protocols.md §10.2", **extra))


MC_CMI_BLEU = _cmi("MC-CMI/BLEU", "CMI-Bench music captioning BLEU: nltk sentence_bleu over characters, mean",
                   CharBleu(), {"weights": "0.25x4"}, libraries=("nltk",))
MC_CMI_BLEU4 = _cmi("MC-CMI/BLEU-4", "CMI-Bench music captioning 'BLEU-4': char sentence_bleu weights (0,0,0,1)",
                    CharBleu((0.0, 0.0, 0.0, 1.0)), {"weights": "0,0,0,1"}, libraries=("nltk",))
MC_CMI_METEOR = _cmi("MC-CMI/METEOR", "CMI-Bench music captioning METEOR: nltk meteor_score on wordpunct tokens",
                     NltkMeteor(_wordpunct, "wordpunct"), {}, libraries=("nltk",))
MC_CMI_ROUGE = _cmi("MC-CMI/ROUGE-L", "CMI-Bench music captioning ROUGE-L recall (rouge_score, stemmer), mean",
                    RougeLScore("recall"), {}, libraries=("rouge-score",))
MC_CMI_BERTSCORE = _cmi(
    "MC-CMI/BERTScore", "CMI-Bench music captioning BERTScore recall (roberta-large, layer 17, no idf/baseline)",
    BertScoreRecall(), {"model": "roberta-large", "layer": 17}, libraries=("bert-score",),
    unavailable=BERTSCORE_UNAVAILABLE)
MC_CMI = register(dataclasses.replace(
    MC_CMI_BLEU, id="MC-CMI", title="CMI-Bench music captioning (headline: character BLEU, mean over items)"))
