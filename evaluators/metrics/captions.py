"""Caption metrics: the COCO caption toolkit (pycocoevalcap), NLTK METEOR, character BLEU, ROUGE-L.

Audio and music captioning papers report BLEU, METEOR, ROUGE-L, CIDEr(-D), SPICE and SPIDEr, but
under names that hide very different computations (protocols.md §9–§10): pycocoevalcap's Java
METEOR 1.5 and NLTK's METEOR differ by a factor of two on the same captions, BLEU may be over words
(PTB tokens, 13a) or characters, ROUGE-L may be an F-measure or a recall. Each is a separate metric
here, computed with the library the published code used:

* PTB tokenisation, BLEU-1..4, METEOR 1.5, ROUGE-L and CIDEr-D: ``pycocoevalcap`` (salaniz, 1.2),
  which runs Java for the tokeniser and METEOR. One METEOR JVM (≈7 s to start) serves the process.
* NLTK METEOR: ``nltk.translate.meteor_score`` with WordNet from Debian (``wordnet_data``).
* character BLEU (CMI-Bench): ``nltk.translate.bleu_score.sentence_bleu`` on raw strings.
* ROUGE-L F or recall with stemming: ``rouge_score``.

Per-item sufficient statistics, so the corpus value and bootstrap intervals are array operations:

* COCO BLEU-n: ``(testlen, closest reflen, guess_1..4, correct_1..4)``; the corpus value is
  pycocoevalcap's ``BleuScorer.compute_score(option="closest")`` formula;
* METEOR 1.5: the 23 statistics the jar prints for a segment (lengths, function words, matches of
  the exact/stem/synonym/paraphrase stages, chunks, word matches); they add up over items and the
  score formula of Meteor's ``MeteorScorer`` (language ``en``, task ``default``: α 0.85, β 0.2,
  γ 0.6, δ 0.75, stage weights 1.0/0.6/0.8/0.6) turns any sum into a value — the same number the
  jar's ``EVAL`` returns for the whole set;
* ROUGE-L, NLTK METEOR, char BLEU: ``(item score, 1)`` (the published value is a mean of items);
* CIDEr-D: ``(item score, 1)``; item scores depend on document frequencies of the whole reference
  set, so the value is exact and the bootstrap resamples item scores with the frequencies fixed.

SPICE (and SPIDEr = (CIDEr-D + SPICE)/2) cannot run offline: pycocoevalcap's SPICE needs the
Stanford CoreNLP 3.6.0 jars, which it downloads on first use and no package ships.
"""

from __future__ import annotations

import atexit
import functools
import math
import shutil
import subprocess
import threading
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from evaluators.errors import MetricUnavailableError, NotEnoughItemsError
from evaluators.metrics.base import Metric, SetStatistics, ratio_aggregate
from evaluators.versions import library_version

SPICE_UNAVAILABLE = ("SPICE needs Stanford CoreNLP 3.6.0 (stanford-corenlp-3.6.0.jar and -models.jar), which "
                     "pycocoevalcap downloads on first use; no package ships them and there is no network")


BERTSCORE_UNAVAILABLE = ("BERTScore with roberta-large needs the model weights from the Hugging Face hub (~1.4 GB); "
                         "offline they cannot be loaded, and another backbone would be a different number")


class CaptionMetricUnavailable(MetricUnavailableError):
    """A caption metric cannot run here (no Java, no WordNet, no punkt data); the reason says what is missing."""


def java_unavailable_reason() -> str | None:
    if shutil.which("java") is None:
        return ("needs a Java runtime on PATH for pycocoevalcap (PTB tokeniser, METEOR 1.5): "
                "apt-get install openjdk-17-jre-headless (make system-deps)")
    return None


def _pycocoevalcap_dir() -> Path:
    import pycocoevalcap

    return Path(next(iter(pycocoevalcap.__path__)))


# -- PTB tokenisation (Java) -----------------------------------------------------------------------

_PTB_CACHE: dict[str, str] = {}
_PTB_LOCK = threading.Lock()


def ptb_tokenize(texts: Sequence[str]) -> list[str]:
    """pycocoevalcap ``PTBTokenizer``: lowercase PTB tokens without the COCO punctuation tokens.

    One Java call tokenises every text not seen before in this process; empty texts stay empty.
    """
    reason = java_unavailable_reason()
    if reason:
        raise CaptionMetricUnavailable(reason)
    from pycocoevalcap.tokenizer.ptbtokenizer import PTBTokenizer

    with _PTB_LOCK:
        todo = sorted({text for text in texts if text.strip() and text not in _PTB_CACHE})
        if todo:
            tokenized = PTBTokenizer().tokenize({index: [{"caption": text}] for index, text in enumerate(todo)})
            if len(tokenized) != len(todo):
                raise RuntimeError(f"PTB tokeniser returned {len(tokenized)} lines for {len(todo)} captions")
            for index, text in enumerate(todo):
                _PTB_CACHE[text] = tokenized[index][0]
        return [_PTB_CACHE[text] if text.strip() else "" for text in texts]


# -- batch metrics ---------------------------------------------------------------------------------

class BatchMetric(Metric):
    """A metric whose statistics are computed for all items at once (Java calls, corpus statistics)."""

    batched = True

    def set_stats(self, prepared: Sequence[Any]) -> SetStatistics:
        return SetStatistics(self.batch_stats([p.hypothesis for p in prepared], [p.references for p in prepared],
                                              [p.item.metadata for p in prepared]))

    def batch_stats(self, hypotheses: Sequence[str], references: Sequence[Sequence[str]],
                    metadata: Sequence[Mapping[str, Any]]) -> np.ndarray:
        return np.asarray([self.item_stats(h, r, m) for h, r, m in zip(hypotheses, references, metadata,
                                                                       strict=True)], dtype=float)

    def item_stats(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> Sequence[float]:
        return self.batch_stats([hypothesis], [references], [metadata])[0]


class MeanScore(BatchMetric):
    """Mean of per-item scores; statistics ``(score, 1)``."""

    stat_names = ("score", "items")
    direction = "higher"

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return ratio_aggregate(stats, "corpus")


class CocoBleu(BatchMetric):
    """pycocoevalcap BLEU-n (``closest`` reference length) on PTB-tokenised text, 0..1."""

    unit = "fraction"
    direction = "higher"
    stat_names = ("testlen", "reflen", "guess_1", "guess_2", "guess_3", "guess_4",
                  "correct_1", "correct_2", "correct_3", "correct_4")

    def __init__(self, order: int = 4, tokenize: bool = True):
        if not 1 <= order <= 4:
            raise ValueError("BLEU order must be 1..4")
        self.order = order
        self.tokenize = tokenize
        self.name = f"coco-bleu-{order}"

    def unavailable_reason(self) -> str | None:
        return java_unavailable_reason() if self.tokenize else None

    def batch_stats(self, hypotheses, references, metadata) -> np.ndarray:
        from pycocoevalcap.bleu.bleu_scorer import cook_refs, cook_test

        hyps, refs = _tokenized(hypotheses, references, self.tokenize)
        rows = []
        for hyp, item_refs in zip(hyps, refs, strict=True):
            comps = cook_test(hyp, cook_refs(item_refs, n=4), eff="closest", n=4)
            rows.append([comps["testlen"], comps["reflen"], *comps["guess"], *comps["correct"]])
        return np.asarray(rows, dtype=float).reshape(len(rows), 10)

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        tiny, small = 1e-15, 1e-9
        totals = np.asarray(stats, dtype=float).sum(axis=-2)
        testlen, reflen = totals[..., 0], totals[..., 1]
        product = np.ones(testlen.shape)
        for k in range(self.order):
            product = product * (totals[..., 6 + k] + tiny) / (totals[..., 2 + k] + small)
        bleu = product ** (1.0 / self.order)
        ratio = (testlen + tiny) / (reflen + small)
        return np.where(ratio < 1, bleu * np.exp(1 - 1 / ratio), bleu)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "tok": "ptb" if self.tokenize else "split", "reflen": "closest"}


# -- METEOR 1.5 (Java) -----------------------------------------------------------------------------

METEOR_STATS = 23
#: Meteor 1.5 ``-l en`` default task parameters and exact/stem/synonym/paraphrase weights
METEOR_ALPHA, METEOR_BETA, METEOR_GAMMA, METEOR_DELTA = 0.85, 0.20, 0.60, 0.75
METEOR_WEIGHTS = (1.0, 0.6, 0.8, 0.6)


class MeteorJar:
    """A long-lived ``meteor-1.5.jar -stdio -l en -norm`` process, as pycocoevalcap starts it."""

    def __init__(self) -> None:
        reason = java_unavailable_reason()
        if reason:
            raise CaptionMetricUnavailable(reason)
        folder = _pycocoevalcap_dir() / "meteor"
        self.process = subprocess.Popen(["java", "-jar", "-Xmx2G", "meteor-1.5.jar", "-", "-", "-stdio", "-l", "en",
                                         "-norm"], cwd=folder, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.lock = threading.Lock()

    def _ask(self, line: str, answers: int = 1) -> list[str]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write((line + "\n").encode("utf-8"))
        self.process.stdin.flush()
        out = []
        for _ in range(answers):
            reply = self.process.stdout.readline().decode("utf-8").strip()
            if not reply:
                raise RuntimeError("METEOR jar closed its output (Java crashed?)")
            out.append(reply)
        return out

    def stats(self, hypothesis: str, references: Sequence[str]) -> list[float]:
        """The 23 segment statistics for one hypothesis against its references (pycocoevalcap ``_stat``)."""
        hypothesis = hypothesis.replace("|||", "").replace("  ", " ")
        with self.lock:
            reply = self._ask(" ||| ".join(("SCORE", " ||| ".join(references), hypothesis)))[0]
        values = [float(value) for value in reply.split()]
        if len(values) != METEOR_STATS:
            raise RuntimeError(f"unexpected METEOR statistics line: {reply!r}")
        return values

    def evaluate(self, stats: Sequence[Sequence[float]]) -> tuple[list[float], float]:
        """The jar's own ``EVAL``: per-segment scores and the corpus score (pycocoevalcap ``compute_score``)."""
        line = "EVAL" + "".join(" ||| " + " ".join(f"{value:.1f}" for value in row) for row in stats)
        with self.lock:
            replies = self._ask(line, len(stats) + 1)
        return [float(value) for value in replies[:-1]], float(replies[-1])

    def close(self) -> None:
        if self.process.poll() is None:
            if self.process.stdin:
                self.process.stdin.close()
            self.process.kill()
            self.process.wait()


_METEOR: MeteorJar | None = None
_METEOR_LOCK = threading.Lock()


def meteor_jar() -> MeteorJar:
    """The process-wide METEOR JVM (started on first use, closed at exit)."""
    global _METEOR
    with _METEOR_LOCK:
        if _METEOR is None or _METEOR.process.poll() is not None:
            _METEOR = MeteorJar()
            atexit.register(_METEOR.close)
        return _METEOR


def meteor_from_stats(stats: np.ndarray) -> np.ndarray:
    """Meteor 1.5 score of summed segment statistics (shape ``(..., 23)``), as ``MeteorScorer`` computes it."""
    stats = np.asarray(stats, dtype=float)
    test_len, ref_len, test_function, ref_function = (stats[..., i] for i in range(4))
    test_matches = np.zeros(stats.shape[:-1])
    ref_matches = np.zeros(stats.shape[:-1])
    for stage, weight in enumerate(METEOR_WEIGHTS):
        base = 4 + 4 * stage
        test_matches = test_matches + weight * (METEOR_DELTA * stats[..., base]
                                                + (1 - METEOR_DELTA) * stats[..., base + 2])
        ref_matches = ref_matches + weight * (METEOR_DELTA * stats[..., base + 1]
                                              + (1 - METEOR_DELTA) * stats[..., base + 3])
    chunks, test_word_matches, ref_word_matches = stats[..., 20], stats[..., 21], stats[..., 22]
    test_weighted_len = METEOR_DELTA * (test_len - test_function) + (1 - METEOR_DELTA) * test_function
    ref_weighted_len = METEOR_DELTA * (ref_len - ref_function) + (1 - METEOR_DELTA) * ref_function
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(test_weighted_len > 0, test_matches / test_weighted_len, 0.0)
        recall = np.where(ref_weighted_len > 0, ref_matches / ref_weighted_len, 0.0)
        denominator = METEOR_ALPHA * precision + (1 - METEOR_ALPHA) * recall
        f_mean = np.where(denominator > 0, precision * recall / np.where(denominator > 0, denominator, 1), 0.0)
        average_matches = (test_word_matches + ref_word_matches) / 2
        fragmentation = np.where(average_matches > 0, chunks / np.where(average_matches > 0, average_matches, 1),
                                 0.0)
    # a perfect, single-chunk match has no fragmentation penalty
    perfect = (test_len == test_word_matches) & (ref_len == ref_word_matches) & (chunks == 1)
    fragmentation = np.where(perfect, 0.0, fragmentation)
    penalty = METEOR_GAMMA * fragmentation ** METEOR_BETA
    return f_mean * (1 - penalty)


def sum_meteor_stats(stats: np.ndarray) -> np.ndarray:
    """Sum segment statistics over items (axis −2) as the jar's ``EVAL`` does: scoring a perfect
    single-chunk segment sets its chunk count to 0 before it is added to the total."""
    stats = np.asarray(stats, dtype=float)
    perfect = (stats[..., 0] == stats[..., 21]) & (stats[..., 1] == stats[..., 22]) & (stats[..., 20] == 1)
    chunks = np.where(perfect, 0.0, stats[..., 20])
    totals = stats.sum(axis=-2)
    totals[..., 20] = chunks.sum(axis=-1)
    return totals


class CocoMeteor(BatchMetric):
    """pycocoevalcap METEOR 1.5 (Java, ``-l en -norm``, paraphrase table), 0..1."""

    name = "coco-meteor-1.5"
    unit = "fraction"
    direction = "higher"
    stat_names = tuple(f"meteor_{i}" for i in range(METEOR_STATS))

    def __init__(self, tokenize: bool = True):
        self.tokenize = tokenize

    def unavailable_reason(self) -> str | None:
        return java_unavailable_reason()

    def batch_stats(self, hypotheses, references, metadata) -> np.ndarray:
        hyps, refs = _tokenized(hypotheses, references, self.tokenize)
        jar = meteor_jar()
        return np.asarray([jar.stats(hyp, item_refs) for hyp, item_refs in zip(hyps, refs, strict=True)],
                          dtype=float).reshape(len(hyps), METEOR_STATS)

    def aggregate(self, stats: np.ndarray, aggregation: str = "corpus") -> np.ndarray:
        return meteor_from_stats(sum_meteor_stats(stats))

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "tok": "ptb" if self.tokenize else "split", "lang": "en", "meteor_norm": "yes"}


class CocoRougeL(MeanScore):
    """pycocoevalcap ROUGE-L: F(β = 1.2) of the max LCS precision and max LCS recall over references."""

    name = "coco-rouge-l"
    unit = "fraction"

    def __init__(self, tokenize: bool = True):
        self.tokenize = tokenize

    def unavailable_reason(self) -> str | None:
        return java_unavailable_reason() if self.tokenize else None

    def batch_stats(self, hypotheses, references, metadata) -> np.ndarray:
        from pycocoevalcap.rouge.rouge import Rouge

        hyps, refs = _tokenized(hypotheses, references, self.tokenize)
        scorer = Rouge()
        return np.asarray([[scorer.calc_score([hyp], item_refs), 1.0] for hyp, item_refs in zip(hyps, refs,
                                                                                               strict=True)],
                          dtype=float).reshape(len(hyps), 2)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "tok": "ptb" if self.tokenize else "split", "beta": "1.2"}


class CocoCiderD(MeanScore):
    """pycocoevalcap CIDEr(-D): σ = 6, ×10, document frequencies from the references of the whole set.

    ``scale`` multiplies item scores (nota-github prints ×100); ``min_items`` refuses sets too small
    for a document frequency (nota needs at least 2 items).
    """

    unit = "score"

    def __init__(self, tokenize: bool = True, scale: float = 1.0, min_items: int = 1):
        self.tokenize = tokenize
        self.scale = scale
        self.min_items = min_items
        self.name = "coco-cider-d" if scale == 1.0 else f"coco-cider-d-x{scale:g}"

    def unavailable_reason(self) -> str | None:
        return java_unavailable_reason() if self.tokenize else None

    def batch_stats(self, hypotheses, references, metadata) -> np.ndarray:
        from pycocoevalcap.cider.cider import Cider

        if len(hypotheses) < self.min_items:
            raise NotEnoughItemsError(f"CIDEr-D here needs at least {self.min_items} items kept (its document "
                                      f"frequencies come from the set), got {len(hypotheses)}")
        if not hypotheses:
            return np.zeros((0, 2))
        hyps, refs = _tokenized(hypotheses, references, self.tokenize)
        _, scores = Cider().compute_score({i: list(r) for i, r in enumerate(refs)},
                                          {i: [h] for i, h in enumerate(hyps)})
        return np.column_stack([np.asarray(scores, dtype=float) * self.scale, np.ones(len(hyps))])

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "tok": "ptb" if self.tokenize else "split", "sigma": "6", "n": "4"}


def _tokenized(hypotheses: Sequence[str], references: Sequence[Sequence[str]],
               tokenize: bool) -> tuple[list[str], list[list[str]]]:
    if not tokenize:
        return list(hypotheses), [list(refs) for refs in references]
    flat = list(hypotheses) + [ref for refs in references for ref in refs]
    tokens = ptb_tokenize(flat)
    hyps = tokens[: len(hypotheses)]
    refs: list[list[str]] = []
    position = len(hypotheses)
    for item_refs in references:
        refs.append(tokens[position: position + len(item_refs)])
        position += len(item_refs)
    return hyps, refs


# -- NLTK METEOR -----------------------------------------------------------------------------------

def wordnet_unavailable_reason() -> str | None:
    """``None`` when NLTK finds the WordNet corpus, else what to do."""
    from evaluators.metrics import wordnet_data

    wordnet_data.use_nltk_data()
    try:
        import nltk

        nltk.data.find("corpora/wordnet")
        nltk.data.find("corpora/wordnet/lexnames")
    except LookupError:
        return ("needs NLTK's WordNet corpus: apt-get install wordnet-base wordnet-sense-index, then "
                "`make wordnet` (python -m evaluators.metrics.wordnet_data)")
    return None


def punkt_unavailable_reason() -> str | None:
    """``None`` when NLTK's punkt sentence model (``word_tokenize``) is present, else why not."""
    from evaluators.metrics import wordnet_data

    wordnet_data.use_nltk_data()
    try:
        import nltk

        nltk.data.find("tokenizers/punkt_tab/english/")
    except LookupError:
        return ("needs NLTK's punkt_tab sentence model for word_tokenize, which nltk.download fetches at run "
                "time; no offline source is available (a tokeniser without it would split differently)")
    return None


def nltk_meteor(references: Sequence[Sequence[str]], hypothesis: Sequence[str], alpha: float = 0.9,
                beta: float = 3.0, gamma: float = 0.5) -> float:
    """``nltk.translate.meteor_score.meteor_score`` (best over references) on token lists."""
    from nltk.translate.meteor_score import meteor_score

    return float(meteor_score([list(ref) for ref in references], list(hypothesis), alpha=alpha, beta=beta,
                              gamma=gamma))


class NltkMeteor(MeanScore):
    """Mean NLTK METEOR (exact, Porter stem, WordNet synonym stages) with a named tokeniser."""

    unit = "fraction"

    def __init__(self, tokenize: Callable[[str], list[str]], tokenizer_name: str, *, needs_punkt: bool = False):
        self.tokenize = tokenize
        self.tokenizer_name = tokenizer_name
        self.needs_punkt = needs_punkt
        self.name = "nltk-meteor"

    def unavailable_reason(self) -> str | None:
        """Every missing piece at once (WordNet, and punkt where the tokeniser needs it), ``None`` when none."""
        reasons = [wordnet_unavailable_reason(), punkt_unavailable_reason() if self.needs_punkt else None]
        return "; and ".join(reason for reason in reasons if reason) or None

    def item_stats(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> list[float]:
        return [nltk_meteor([self.tokenize(ref) for ref in references], self.tokenize(hypothesis)), 1.0]

    def batch_stats(self, hypotheses, references, metadata) -> np.ndarray:
        return np.asarray([self.item_stats(h, r, m) for h, r, m in zip(hypotheses, references, metadata,
                                                                       strict=True)], dtype=float).reshape(-1, 2)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "tok": self.tokenizer_name, "alpha": "0.9", "beta": "3", "gamma": "0.5",
                "nltk": library_version("nltk")}


# -- character BLEU and ROUGE-L (rouge_score) ------------------------------------------------------

def char_sentence_bleu(reference: str, candidate: str, weights: Sequence[float] = (0.25, 0.25, 0.25, 0.25)) -> float:
    """nltk ``sentence_bleu([reference], candidate)`` on raw strings, i.e. over **characters**."""
    from nltk.translate.bleu_score import sentence_bleu

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # nltk warns when an n-gram order has no match
        return float(sentence_bleu([reference], candidate, weights=tuple(weights)))


class CharBleu(MeanScore):
    """Mean of CMI-Bench's per-item character BLEU (nltk, no smoothing), 0..1."""

    unit = "fraction"

    def __init__(self, weights: Sequence[float] = (0.25, 0.25, 0.25, 0.25)):
        if not math.isclose(sum(weights), 1.0):
            raise ValueError("BLEU weights must sum to 1")
        self.weights = tuple(weights)
        self.name = "char-bleu" if self.weights == (0.25,) * 4 else "char-bleu-" + "-".join(f"{w:g}" for w in weights)

    def item_stats(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> list[float]:
        return [char_sentence_bleu(references[0], hypothesis, self.weights), 1.0]

    def batch_stats(self, hypotheses, references, metadata) -> np.ndarray:
        return np.asarray([self.item_stats(h, r, m) for h, r, m in zip(hypotheses, references, metadata,
                                                                       strict=True)], dtype=float).reshape(-1, 2)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "tok": "characters", "smooth": "none"}


class RougeLScore(MeanScore):
    """Mean ``rouge_score`` ROUGE-L (Porter stemmer on) ``fmeasure`` or ``recall``, reference as target."""

    unit = "fraction"

    def __init__(self, measure: str = "fmeasure"):
        if measure not in ("fmeasure", "recall", "precision"):
            raise ValueError(f"measure must be fmeasure, recall or precision, got {measure!r}")
        self.measure = measure
        self.name = f"rouge-l-{measure}"

    @functools.cached_property
    def scorer(self) -> Any:
        """rouge_score's scorer, built at the first item: importing rouge_score imports nltk (seconds)."""
        from rouge_score import rouge_scorer

        return rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)

    def item_stats(self, hypothesis: str, references: Sequence[str], metadata: Mapping[str, Any]) -> list[float]:
        return [float(getattr(self.scorer.score(references[0], hypothesis)["rougeL"], self.measure)), 1.0]

    def batch_stats(self, hypotheses, references, metadata) -> np.ndarray:
        return np.asarray([self.item_stats(h, r, m) for h, r, m in zip(hypotheses, references, metadata,
                                                                       strict=True)], dtype=float).reshape(-1, 2)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "stemmer": "porter", "rouge_score": "0.1.2"}


class BertScoreRecall(MeanScore):
    """CMI-Bench's BERTScore recall (``bert_score.score(..., lang="en")`` → roberta-large, layer 17, no idf,
    no baseline rescaling). Registered so the number is reported as unavailable; never computed offline."""

    name = "bertscore-recall"
    unit = "fraction"

    def unavailable_reason(self) -> str | None:
        return BERTSCORE_UNAVAILABLE

    def batch_stats(self, hypotheses, references, metadata) -> np.ndarray:
        raise CaptionMetricUnavailable(BERTSCORE_UNAVAILABLE)

    def signature_fields(self) -> dict[str, str]:
        return {"metric": self.name, "model": "roberta-large", "layer": "17", "idf": "no", "rescale": "no"}
