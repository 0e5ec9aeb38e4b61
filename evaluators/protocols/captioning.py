"""Audio-captioning protocols (protocols.md §9: AudioCaps, Clotho, WavCaps).

Reproduces:

* ``AAC-JW-COCO/<metric>`` — jaeeewon/project-multimodal ``dist_eval/eval_aac.py``: an output is kept
  only when its raw text ends with ``</s>`` (``infer.endswith("</s>")``: ``</s> `` and ``</S>`` are
  skipped), then ``infer[:-4].strip()``; jiwer normalisation (lowercase, RemovePunctuation,
  RemoveKaldiNonWords, collapse spaces, strip) on both sides, **one reference per item**; texts empty
  after it are scored as empty, as the script writes them; then pycocoevalcap ``COCOEvalCap``
  (PTB tokeniser, BLEU-1..4, METEOR 1.5, ROUGE-L, CIDEr-D; SPICE/SPIDEr unavailable offline).
  ``AAC-JW-COCO`` itself names the headline SPIDEr, unavailable;
* ``AAC-QWEN-COCO/<metric>`` — QwenLM/Qwen-Audio ``eval_audio/evaluate_caption.py`` (+ the
  ``audio-captioning/caption-evaluation-tools`` copy of coco-caption): all references per clip, no
  pre-normalisation; ``AAC-QWEN-COCO`` names SPIDEr, unavailable;
* ``AAC-NOTA-CIDERD`` — nota-github/audiolm-evaluator ``metrics.py::compute_spider``: CIDEr-D only,
  whitespace tokens (no PTB, no lowercasing), first reference, ×100, at least 2 items;
* ``AAC-AB-METEOR`` — AudioLLMs/AudioBench ``audiocaps_test.py`` / ``wavcaps_test.py`` through HF
  ``evaluate``'s ``meteor``: mean nltk METEOR over ``word_tokenize`` tokens (needs NLTK punkt data,
  unavailable offline — named error);
* ``AAC-NLTK-METEOR`` — the nltk ``single_meteor_score`` mean that jaeeewon's ``eval_aac.py`` also
  prints (same EOS skip and normalisation as AAC-JW-COCO, whitespace tokens).

Metrics that need Java or WordNet raise ``ProtocolUnavailableError`` naming what to install.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable

from evaluators.metrics.captions import (
    SPICE_UNAVAILABLE,
    BatchMetric,
    CocoBleu,
    CocoCiderD,
    CocoMeteor,
    CocoRougeL,
    NltkMeteor,
)
from evaluators.protocols.base import Prepared, Protocol, Source, Step
from evaluators.protocols.registry import register
from evaluators.text.cleanup import ends_with_eos_raw, remove_final_eos

# -- jaeeewon (AudioCaps, one reference per row) ---------------------------------------------------

@functools.cache
def _jw_normaliser() -> Callable[[str], str]:
    """jaeeewon's ``jiwer.Compose`` chain, built (and jiwer imported) when a caption is first scored."""
    import jiwer

    return jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveKaldiNonWords(),
                          jiwer.RemoveMultipleSpaces(), jiwer.Strip()])


def jw_normalise(text: str) -> str:
    """jaeeewon ``eval_aac.py`` T: lowercase → RemovePunctuation → RemoveKaldiNonWords → collapse spaces → strip."""
    return _jw_normaliser()(text)


def _skip_missed_eos(prepared: Prepared) -> str | None:
    """``eval_aac.py`` keeps a row only when its raw output ``endswith("</s>")``: case-sensitive, and nothing
    (not even whitespace) may follow the marker."""
    return None if ends_with_eos_raw(prepared.hypothesis) else "missed_eos"


def _first_reference(prepared: Prepared) -> Prepared:
    return Prepared(prepared.hypothesis, prepared.references[:1], prepared.item)


_JW_SOURCE = Source("jaeeewon/project-multimodal", "dist_eval/eval_aac.py",
                    commit="d9e5d172c6cfd426ce1a85f989ecb2a968c5d733",
                    note="each AudioCaps (youtube_id, caption) row is an item with that one caption as reference")
_JW_STEPS = (Step("skip-missed-eos", "skip", _skip_missed_eos,
                  "the raw output must end with </s> (case-sensitive, nothing after it)"),
             Step("strip-eos", "hyp", remove_final_eos, "infer[:-4].strip()"),
             Step("one-reference", "item", _first_reference, "the row's caption is the only reference"),
             Step("jiwer-normalise", "both", jw_normalise,
                  "lowercase, RemovePunctuation, RemoveKaldiNonWords, collapse spaces, strip"))
_COCO_SOURCE = Source("salaniz/pycocoevalcap", "eval.py", commit="ad63453cfab57a81a02b2949b17a91fab1c3df77",
                      note="PTBTokenizer (stanford-corenlp-3.4.1), Bleu(4), Meteor (meteor-1.5.jar), Rouge, Cider")
_QWEN_SOURCE = Source("QwenLM/Qwen-Audio", "eval_audio/evaluate_caption.py",
                      commit="b50fb958438081d36e1a14e93dbbc2f329c7f10e",
                      note="Clotho; coco-caption copy from audio-captioning/caption-evaluation-tools; all 5 references")

COCO_METRICS: dict[str, BatchMetric] = {
    "BLEU-1": CocoBleu(1), "BLEU-2": CocoBleu(2), "BLEU-3": CocoBleu(3), "BLEU-4": CocoBleu(4),
    "METEOR": CocoMeteor(), "ROUGE-L": CocoRougeL(), "CIDEr": CocoCiderD(),
}


def _coco_family(prefix: str, title: str, sources: tuple[Source, ...], steps: tuple[Step, ...],
                 params: dict, spec: str) -> dict[str, Protocol]:
    registered: dict[str, Protocol] = {}
    for name, metric in COCO_METRICS.items():
        registered[name] = register(Protocol(
            id=f"{prefix}/{name}", family="captioning", title=f"{title}: {name} (pycocoevalcap)",
            sources=sources, steps=steps, metric=metric, params=params, libraries=("pycocoevalcap",),
            spec=spec))
    for name in ("SPICE", "SPIDEr"):
        headline = name == "SPIDEr"
        registered[name] = register(Protocol(
            id=prefix if headline else f"{prefix}/{name}", family="captioning",
            title=f"{title}: {name}" + (" = (CIDEr-D + SPICE) / 2" if headline else " (pycocoevalcap spice-1.0.jar)"),
            sources=sources, steps=steps, metric=COCO_METRICS["CIDEr"], params=params,
            libraries=("pycocoevalcap",), spec=spec, unavailable=SPICE_UNAVAILABLE))
    return registered


AAC_JW_COCO = _coco_family(
    "AAC-JW-COCO", "AudioCaps captioning, jaeeewon eval_aac.py (single reference per row)",
    (_JW_SOURCE, _COCO_SOURCE), _JW_STEPS,
    {"eos": "skip-missed", "norm": "jiwer-lower-punct-kaldi", "refs": "one-per-item"}, "protocols.md §9.1")

AAC_QWEN_COCO = _coco_family(
    "AAC-QWEN-COCO", "Clotho captioning, Qwen-Audio evaluate_caption.py (all references)",
    (_QWEN_SOURCE, _COCO_SOURCE), (Step("strip", "hyp", str.strip, "the decoded response is stripped"),),
    {"norm": "none", "refs": "all"}, "protocols.md §9.2")


# -- nota CIDEr-D ----------------------------------------------------------------------------------

AAC_NOTA_CIDERD = register(Protocol(
    id="AAC-NOTA-CIDERD", family="captioning",
    title="nota-github audiolm-evaluator compute_spider: CIDEr-D ×100 on whitespace tokens (no SPICE)",
    sources=(Source("nota-github/audiolm-evaluator", "metrics.py", commit="c63eb3bb2ca06bd0c69392e0540b681b2da9dfb5",
                    note="compute_spider returns CIDEr-D only; str.split tokens, first reference, ×100"),),
    steps=(Step("one-reference", "item", _first_reference, "first reference only"),),
    metric=CocoCiderD(tokenize=False, scale=100.0, min_items=2),
    params={"tok": "split", "case": "as-is", "scale": 100, "refs": "first"},
    libraries=("pycocoevalcap",), spec="protocols.md §9.3"))


# -- NLTK METEOR -----------------------------------------------------------------------------------

def _nltk_word_tokenize(text: str) -> list[str]:
    from nltk.tokenize import word_tokenize

    return word_tokenize(text)


def _whitespace(text: str) -> list[str]:
    return text.split()


AAC_AB_METEOR = register(Protocol(
    id="AAC-AB-METEOR", family="captioning",
    title="AudioBench AudioCaps/WavCaps METEOR: HF evaluate 'meteor' = mean nltk METEOR over word_tokenize tokens",
    sources=(Source("AudioLLMs/AudioBench", "src/dataset_src/audiocaps_test.py",
                    commit="e991641d4beaa7c07913c481af05447619f0e9f5",
                    note="also wavcaps_test.py; evaluate.load('meteor') → nltk single_meteor_score(alpha 0.9, "
                         "beta 3, gamma 0.5)"),
             Source("huggingface/evaluate", "metrics/meteor/meteor.py", "b3f3c02ce2d972bc0e59e346b3318ca2f537e060")),
    steps=(),
    metric=NltkMeteor(_nltk_word_tokenize, "nltk-word_tokenize", needs_punkt=True),
    params={"refs": "all"}, libraries=("nltk",), spec="protocols.md §9.4"))

AAC_NLTK_METEOR = register(Protocol(
    id="AAC-NLTK-METEOR", family="captioning",
    title="NLTK single_meteor_score mean on jaeeewon-normalised whitespace tokens (eval_aac.py)",
    sources=(Source("nltk/nltk", "nltk/translate/meteor_score.py", "a915791ad501d41dbb7e3c13c4877a734505eaab",
                    note="single_meteor_score (file unchanged since this commit through the stored history)"),
             _JW_SOURCE),
    steps=_JW_STEPS,
    metric=NltkMeteor(_whitespace, "whitespace"),
    params={"eos": "skip-missed", "norm": "jiwer-lower-punct-kaldi", "refs": "one-per-item"},
    libraries=("nltk",), spec="protocols.md §9.5"))

AAC_NLTK_METEOR_RAW = register(dataclasses.replace(
    AAC_NLTK_METEOR, id="AAC-NLTK-METEOR/raw",
    title="NLTK single_meteor_score mean on whitespace tokens of the texts as given (no clean-up)",
    steps=(), params={"norm": "none", "refs": "all"}))
