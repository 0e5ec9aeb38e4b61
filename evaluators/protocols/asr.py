"""ASR word-error-rate protocols (protocols.md §2): one per repository that published a WER.

Each protocol reproduces the scoring code of one public repository (cited in ``sources``):

* ``ASR-JW``        jaeeewon/project-multimodal ``dist_eval/eval_wer.py``
* ``ASR-JW-STRICT`` jaeeewon/project-multimodal ``dist_eval/_eval_wer_postprocess.py``
* ``ASR-NOTA``      nota-github/audiolm-evaluator ``metrics.py::compute_wer`` + ``evaluate_salmonn.py``
* ``ASR-QWEN2``     QwenLM/Qwen2-Audio ``eval_audio/evaluate_asr.py`` (one value per ``source``)
* ``ASR-QWEN1``     QwenLM/Qwen-Audio ``eval_audio/evaluate_asr.py`` (one value per ``source``)
* ``ASR-AB``        AudioLLMs/AudioBench ``text_normalizer/preprocess_text.py::preprocess_text_asr`` +
                    ``librispeech_test_clean.py::compute_score``; ``ASR-AB-IMDA4`` its IMDA part 4 variant;
                    ``ASR-AB-SCORED`` the compute step alone, for AudioBench's already-normalised score files
* ``ASR-FAIRSEQ``   facebookresearch/fairseq ``fairseq/scoring/wer.py`` (defaults; ``ASR-FAIRSEQ-13A``
                    with ``--wer-tokenizer 13a --wer-lowercase --wer-remove-punct``)
* ``ASR-CMI``       nicolaus625/CMI-bench ``evaluate.py::compute_wer_cer`` (macro mean)
* ``ASR-COVOST``    the CoVoST 2 paper's text rule (no public code; see its title)

All values are fractions (a paper's 2.24 % is 0.0224). Empty references: every protocol keeps such an
item as the original code does (its hypothesis tokens count as insertions, its reference adds nothing to
the denominator). JW and CMI call ``jiwer`` 4.0.0 (our pin, and the version of the period those
repositories were run in), which scores an empty reference too: a per-sample ``jiwer.wer`` of an empty
reference is its number of insertions, and a corpus with no reference token at all is Σinsertions
(:class:`~evaluators.metrics.wer.JiwerErrorRate`); jiwer 3.x raised instead. The builders here are reused
by the CER (``cer.py``) and PER (``per.py``) protocols.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from evaluators.metrics.wer import ErrorRate, JiwerErrorRate, whitespace_tokens
from evaluators.predictions.base import PredictionItem
from evaluators.protocols.base import Prepared, Protocol, Source, Step
from evaluators.protocols.registry import register
from evaluators.text import cleanup
from evaluators.text.evaltok import EvaluationTokenizer
from evaluators.text.jiwer_chains import jiwer_chars, jiwer_words, jw_chain, remove_kaldi_non_words
from evaluators.text.memo import RunMemo
from evaluators.text.normalizers import NUMBER_RUNS, audiobench_asr, wn_basic, wn_en

JW = "jaeeewon/project-multimodal"
JW_COMMIT = "d9e5d172c6cfd426ce1a85f989ecb2a968c5d733"
NOTA = "nota-github/audiolm-evaluator"
NOTA_COMMIT = "c63eb3bb2ca06bd0c69392e0540b681b2da9dfb5"
QWEN2 = "QwenLM/Qwen2-Audio"
QWEN2_COMMIT = "595360e82b5839c1507492ec83cae5bda6d5c7d4"
QWEN1 = "QwenLM/Qwen-Audio"
QWEN1_COMMIT = "b50fb958438081d36e1a14e93dbbc2f329c7f10e"
AUDIOBENCH = "AudioLLMs/AudioBench"
AUDIOBENCH_COMMIT = "e991641d4beaa7c07913c481af05447619f0e9f5"
#: last change of fairseq/scoring/wer.py and tokenizer.py
FAIRSEQ_COMMIT = "c9a8bea83ffbcc1dfb55fefc8fa33c6557aa1751"
CMI = "nicolaus625/CMI-bench"
CMI_COMMIT = "4c15f410bf0c7ff59d654b2a96f3295f3dec5aa5"
WHISPER = Source("openai/whisper", "whisper/normalizers/english.py",
                 "c0d2f624c09dc18e709e37c2ad90c039a4eb72a2", "WN-EN")

#: Qwen2-Audio ``ds_collections``: dataset name → language (``fluers_zh`` is spelled so in the repo)
QWEN2_DATASET_LANGUAGES = {"librispeech": "en", "cv15_en": "en", "aishell2": "zh", "cv15_zh": "zh",
                           "fluers_zh": "zh", "fleurs_zh": "zh", "cv15_yue": "yue", "cv15_fr": "fr"}
QWEN1_DATASET_LANGUAGES = {"librispeech": "en", "aishell1": "zh", "aishell2": "zh"}
CHARACTER_LANGUAGES = frozenset({"zh", "yue"})
QWEN2_NORMALIZERS = "en=WN-EN+WN-BASIC;zh=CN-TN;yue=zhconv+WN-BASIC;other=WN-BASIC"


# --- shared step builders -----------------------------------------------------------------------------

def strip_step(target: str = "both") -> Step:
    return Step("strip", target, str.strip, "str.strip() as the repository does on load")


def skip_missed_eos() -> Step:
    def apply(prepared: Prepared) -> str | None:
        return None if cleanup.ends_with_eos(prepared.hypothesis) else "missed_eos"

    return Step("skip_missed_eos", "skip", apply, "skip outputs that do not end with </s> (hit max_new_tokens)")


#: metadata keys that name an item's dataset (the first present one is used)
DATASET_KEYS = ("dataset", "dataset_name", "source", "task")


def is_gigaspeech(item: PredictionItem) -> bool:
    """True when the item's metadata names GigaSpeech (``dataset``, ``dataset_name``, ``source`` or ``task``)."""
    return any("gigaspeech" in str(item.metadata.get(key, "")).lower() for key in DATASET_KEYS)


def skip_empty_tagged_reference(*, gigaspeech_only: bool = False) -> Step:
    """jaeeewon GigaSpeech rule: a reference that is empty once ``<...>``/``[...]`` spans are deleted.

    ``eval_wer.py`` applies it to the GigaSpeech database only (``db == 5``), on the stripped raw
    reference; with ``gigaspeech_only`` the step does the same, keyed on the item's metadata, so a
    LibriSpeech ``[MUSIC]`` reference is scored (its punctuation goes first in the chain: ``music``).
    """

    def apply(prepared: Prepared) -> str | None:
        if gigaspeech_only and not is_gigaspeech(prepared.item):
            return None
        reference = prepared.references[0] if prepared.references else ""
        return "empty_answer" if remove_kaldi_non_words(reference) == "" else None

    doc = "skip references made only of <...>/[...] tags" + (
        " (GigaSpeech items only: metadata dataset/source/task names it)" if gigaspeech_only else "")
    return Step("skip_empty_answer", "skip", apply, doc)


def skip_empty_reference(tokenize: Callable[[str], Sequence[str]] = whitespace_tokens) -> Step:
    """Skip an item whose reference has no token after the transforms (jiwer ≥ 3 raises on it)."""

    def apply(prepared: Prepared) -> str | None:
        reference = prepared.references[0] if prepared.references else ""
        return None if tokenize(reference) else "empty_reference"

    return Step("skip_empty_reference", "skip", apply,
                "an empty reference has no error rate (jiwer >= 3 raises ValueError); the item is skipped")


def item_language(item: PredictionItem, datasets: Mapping[str, str], default: str) -> str:
    """Language of an item: metadata ``lang``/``language``, else its ``source`` dataset, else ``default``."""
    for key in ("lang", "language"):
        value = item.metadata.get(key)
        if isinstance(value, str) and value:
            return value
    source = item.metadata.get("source") or item.metadata.get("dataset_name")
    if isinstance(source, str) and source in datasets:
        return datasets[source]
    return default


def tokens_as_text(tokens: Iterable[str]) -> str:
    """Tokens (which never contain whitespace) joined by spaces, for a whitespace-token metric."""
    return " ".join(tokens)


# --- ASR-JW / PER-JW ----------------------------------------------------------------------------------

def jw_protocol(protocol_id: str = "ASR-JW", *, family: str = "asr", skip_eos: bool = True,
                script: str = "dist_eval/eval_wer.py", spec: str = "protocols.md §2.1",
                extra_steps: Sequence[Step] = (), title: str = "", token_unit: str = "word") -> Protocol:
    steps: list[Step] = [strip_step(), *extra_steps]
    if skip_eos:
        steps.append(skip_missed_eos())
    steps += [skip_empty_tagged_reference(gigaspeech_only=True),
              Step("jiwer_chain", "both", jw_chain,
                   "lowercase → RemovePunctuation (P-category) → RemoveKaldiNonWords → collapse spaces → strip")]
    return Protocol(
        id=protocol_id, family=family,
        title=title or f"jaeeewon/project-multimodal {script}: jiwer chain on both sides, corpus WER",
        sources=(Source(JW, script, JW_COMMIT),), steps=tuple(steps),
        metric=JiwerErrorRate("per" if token_unit == "phone" else "wer", jiwer_words, token_unit),
        aggregation="corpus",
        params={"skip_missed_eos": skip_eos, "punct": "jiwer>=2.5 P-category deleted", "lc": True,
                "kaldi_tags": "removed", "tag_only_ref": "skipped-gigaspeech-only", "empty_ref": "jiwer4-scored"},
        libraries=("jiwer",), spec=spec)


ASR_JW = register(jw_protocol())


# --- ASR-JW-STRICT ------------------------------------------------------------------------------------

#: categories whose (possibly rewritten) hypothesis is a transcript: enter the WER by default
STRICT_DEFAULT_INCLUDE = ("valid", "garbage_prefix_v1", "garbage_prefix_v2", "garbage_prefix_v3",
                          "garbage_prefix_v4", "speech_tagged")


def jw_strict_protocol(include: Collection[str] = STRICT_DEFAULT_INCLUDE,
                       protocol_id: str = "ASR-JW-STRICT") -> Protocol:
    unknown = set(include) - set(cleanup.STRICT_CATEGORIES)
    if unknown:
        raise ValueError(f"unknown ASR-JW-STRICT categories {sorted(unknown)}; known: {cleanup.STRICT_CATEGORIES}")
    included = tuple(c for c in cleanup.STRICT_CATEGORIES if c in include)

    def classify(prepared: Prepared) -> Prepared | str:
        reference = prepared.references[0] if prepared.references else ""
        category, hypothesis = cleanup.classify_strict(prepared.hypothesis, reference)
        if category not in included:
            return category
        return Prepared(hypothesis, prepared.references, prepared.item)

    steps = (strip_step(),
             Step("classify_strict", "item", classify,
                  "first matching rule of §2.2; categories outside the include-set are skipped by name"),
             skip_empty_tagged_reference(),
             Step("jiwer_chain", "both", jw_chain, "the ASR-JW chain"),
             skip_empty_reference(jiwer_words))
    return Protocol(
        id=protocol_id, family="asr",
        title="jaeeewon/project-multimodal dist_eval/_eval_wer_postprocess.py: strict output classifier "
              "(unused by the repo) + ASR-JW chain",
        sources=(Source(JW, "dist_eval/_eval_wer_postprocess.py", JW_COMMIT),
                 Source(JW, "dist_eval/eval_wer.py", JW_COMMIT)),
        steps=steps, metric=ErrorRate("wer", jiwer_words), aggregation="corpus",
        params={"include": included, "punct": "jiwer>=2.5 P-category deleted", "lc": True},
        libraries=("jiwer",), spec="protocols.md §2.2")


ASR_JW_STRICT = register(jw_strict_protocol())


# --- ASR-NOTA -----------------------------------------------------------------------------------------

_NOTA_TOKENIZER = EvaluationTokenizer("13a", lowercase=True, punctuation_removal=True)


def _nota_hypothesis(text: str) -> str:
    return cleanup.cut_at_end_symbol(text).lower()


ASR_NOTA = register(Protocol(
    id="ASR-NOTA", family="asr",
    title="nota-github/audiolm-evaluator metrics.py::compute_wer: WN-EN, EVALTOK(13a, lower, punct), corpus WER",
    sources=(Source(NOTA, "metrics.py", NOTA_COMMIT, "compute_wer"),
             Source(NOTA, "evaluate_salmonn.py", NOTA_COMMIT, "cut at end_sym, lowercase"), WHISPER),
    steps=(Step("cut_end_sym_lower", "hyp", _nota_hypothesis, f"keep text before {cleanup.NOTA_END_SYM}, lowercase"),
           Step("wn_en", "both", wn_en, "openai/whisper EnglishTextNormalizer"),
           Step("evaltok", "both", _NOTA_TOKENIZER.tokenize, _NOTA_TOKENIZER.signature())),
    metric=ErrorRate("wer", whitespace_tokens), aggregation="corpus",
    params={"end_sym": "llama3 end_of_text", "norm": "WN-EN", "evaltok": _NOTA_TOKENIZER.signature()},
    libraries=("whisper-normalizer", "sacrebleu"), spec="protocols.md §2.3"))


# --- ASR-QWEN2 / ASR-QWEN1 (and their CER variants) -----------------------------------------------------

_QWEN_PUNCT_TOKENIZER = EvaluationTokenizer("none", lowercase=True, punctuation_removal=True)
_QWEN1_TOKENIZER = EvaluationTokenizer("none", lowercase=True, punctuation_removal=False)


def qwen2_normalize(text: str, language: str) -> str:
    """Qwen2-Audio step 2: en → WN-EN then WN-BASIC; zh → CN-TN; yue → zhconv + WN-BASIC; else WN-BASIC."""
    if language == "yue":
        import zhconv

        text = zhconv.convert(text, "zh-cn")
    if language == "en":
        text = wn_en(text)
    if language == "zh":
        from evaluators.text.cn_tn import cn_tn

        return cn_tn(text)
    return wn_basic(text)


def qwen_tokens(text: str, language: str, tokenizer: EvaluationTokenizer) -> list[str]:
    """EVALTOK tokens; for zh/yue the characters of the concatenated tokens."""
    items = tokenizer.tokenize(text).split()
    if language in CHARACTER_LANGUAGES:
        return list("".join(items))
    return items


def qwen_protocol(protocol_id: str, *, generation: int, family: str = "asr", language: str | None = None,
                  default_language: str = "en", spec: str = "protocols.md §2.4") -> Protocol:
    """Qwen-Audio (``generation=1``) or Qwen2-Audio (``2``) ``evaluate_asr.py``.

    ``language=None``: per item from metadata (``lang``, or the ``source`` dataset), else
    ``default_language``. Items are grouped by ``source``, one value per source as the repo prints.

    Divergence: ``compute_wer`` prints ``ref_items[0]`` for its first item (a debug line), so the original
    raises ``IndexError`` when the first reference of a source is empty after normalisation; here that
    item is scored like any other empty reference (its hypothesis tokens are insertions).
    """
    datasets = QWEN2_DATASET_LANGUAGES if generation == 2 else QWEN1_DATASET_LANGUAGES
    tokenizer = _QWEN_PUNCT_TOKENIZER if generation == 2 else _QWEN1_TOKENIZER

    def prepare(prepared: Prepared) -> Prepared:
        lang = language or item_language(prepared.item, datasets, default_language)

        def one(text: str) -> str:
            text = cleanup.remove_sp(text, lang)
            if generation == 2:
                text = qwen2_normalize(text, lang)
            return tokens_as_text(qwen_tokens(text, lang, tokenizer))

        return Prepared(one(prepared.hypothesis), tuple(one(r) for r in prepared.references), prepared.item)

    repo, commit = (QWEN2, QWEN2_COMMIT) if generation == 2 else (QWEN1, QWEN1_COMMIT)
    sources = [Source(repo, "eval_audio/evaluate_asr.py", commit, "remove_sp + compute_wer"),
               Source(repo, "eval_audio/evaluate_tokenizer.py", commit, "EVALTOK")]
    norm = "none (tags removed only)"
    libraries: tuple[str, ...] = ("sacrebleu", "editdistance")
    if generation == 2:
        sources += [Source(repo, "eval_audio/whisper_normalizer/english.py", commit, "WN-EN"),
                    Source(repo, "eval_audio/cn_tn.py", commit, "CN-TN")]
        norm = {"en": "WN-EN+WN-BASIC", "zh": "CN-TN", "yue": "zhconv+WN-BASIC", None: QWEN2_NORMALIZERS}.get(
            language, "WN-BASIC")
        libraries = ("whisper-normalizer", "zhconv", "sacrebleu", "editdistance")
    unit = "char" if language in CHARACTER_LANGUAGES else ("word" if language else "word(en,fr)/char(zh,yue)")
    return Protocol(
        id=protocol_id, family=family,
        title=f"{repo} eval_audio/evaluate_asr.py: remove_sp, {'normalise, ' if generation == 2 else ''}"
              f"EVALTOK(none, lower{', punct' if generation == 2 else ''}), Σ edits / Σ ref tokens per source",
        sources=tuple(sources),
        steps=(Step("remove_sp_normalize_tokenize", "item", prepare,
                    f"remove_sp → {norm} → {tokenizer.signature()} (zh/yue: characters)"),),
        metric=ErrorRate("cer" if language in CHARACTER_LANGUAGES else "wer", whitespace_tokens, unit),
        aggregation="corpus",
        params={"lang": language or f"per item (default {default_language})", "norm": norm,
                "evaltok": tokenizer.signature()},
        libraries=libraries, spec=spec, group_by="source")


ASR_QWEN2 = register(qwen_protocol("ASR-QWEN2", generation=2))
ASR_QWEN1 = register(qwen_protocol("ASR-QWEN1", generation=1, spec="protocols.md §2.5"))


# --- ASR-AB -------------------------------------------------------------------------------------------

def _audiobench_normalizer(variant: str) -> RunMemo:
    def normalize(text: str) -> str:
        return audiobench_asr(text, variant=variant) or "empty"

    normalize.__name__ = f"audiobench_asr_{variant}"
    # preprocess_text_asr lowercases first, so texts equal up to case normalise identically
    return RunMemo(normalize, key=str.lower)


def audiobench_protocol(protocol_id: str, *, variant: str = "en", family: str = "asr",
                        script: str = "src/dataset_src/librispeech_test_clean.py",
                        spec: str = "protocols.md §2.6", title: str = "") -> Protocol:
    normalize = _audiobench_normalizer(variant)
    function = {"en": "preprocess_text_asr", "zh": "preprocess_text_asr_code_switch_chinese",
                "imda4": "preprocess_text_asr_code_imda_part4"}[variant]
    return Protocol(
        id=protocol_id, family=family,
        title=title or f"AudioLLMs/AudioBench text_normalizer/preprocess_text.py::{function} + "
                       f"{script.rsplit('/', 1)[-1]}::compute_score: Σ(S+D+I) / Σ(S+D+H)",
        sources=(Source(AUDIOBENCH, "src/dataset_src/text_normalizer/preprocess_text.py", AUDIOBENCH_COMMIT,
                        function),
                 Source(AUDIOBENCH, script, AUDIOBENCH_COMMIT, "compute_score"),
                 Source(AUDIOBENCH, "src/dataset_src/text_normalizer/whisper_english.py", AUDIOBENCH_COMMIT,
                        "WN-EN copy")),
        steps=(Step(f"audiobench_{function}", "both", normalize,
                    "lower → WN-EN → digits 0-20/tens → words → 22 contractions → bracket spans → jiwer "
                    "(collapse, contractions, Kaldi tags, P-category punctuation) → fillers → strip; "
                    "empty → 'empty'"),),
        metric=ErrorRate("wer" if variant == "en" else "mer", jiwer_words,
                         "word" if variant == "en" else "word+han-char"),
        aggregation="corpus",
        params={"variant": variant, "empty": "empty", "measures": "jiwer S+D+I / S+D+H"},
        libraries=("jiwer", "whisper-normalizer"), spec=spec, memos=(normalize, NUMBER_RUNS))


ASR_AB = register(audiobench_protocol("ASR-AB"))
ASR_AB_IMDA4 = register(audiobench_protocol(
    "ASR-AB-IMDA4", variant="imda4", script="src/dataset_src/imda_part4_30s_asr_test.py",
    title="AudioLLMs/AudioBench preprocess_text.py::preprocess_text_asr_code_imda_part4 (WN-EN without the "
          "symbol step, Han chars spaced) + imda_part4_30s_asr_test.py::compute_score"))


ASR_AB_SCORED = register(Protocol(
    id="ASR-AB-SCORED", family="asr",
    title="AudioLLMs/AudioBench librispeech_test_clean.py::compute_score alone, on text AudioBench already "
          "normalised (the reference/prediction pairs stored in its *_wer_score.json files): jiwer default "
          "transform, Σ(S+D+I) / Σ(S+D+H)",
    sources=(Source(AUDIOBENCH, "src/dataset_src/librispeech_test_clean.py", AUDIOBENCH_COMMIT, "compute_score"),),
    steps=(),
    metric=ErrorRate("wer", jiwer_words, "word"),
    aggregation="corpus",
    params={"input": "audiobench-normalised", "measures": "jiwer S+D+I / S+D+H"},
    libraries=("jiwer",), spec="protocols.md §2.6 (compute step only)"))
"""ASR-AB's normaliser is not idempotent (it turns number words it produced back into digits and words
again), so re-normalising AudioBench's stored text changes the number; this is the compute step alone."""


# --- ASR-FAIRSEQ --------------------------------------------------------------------------------------

def fairseq_protocol(protocol_id: str, tokenizer: EvaluationTokenizer, *, family: str = "asr",
                     spec: str = "protocols.md §2.7") -> Protocol:
    flags = (f"--wer-tokenizer {tokenizer.tokenizer_type}" + (" --wer-lowercase" if tokenizer.lowercase else "")
             + (" --wer-remove-punct" if tokenizer.punctuation_removal else "")
             + (" --wer-char-level" if tokenizer.character_tokenization else ""))
    return Protocol(
        id=protocol_id, family=family,
        title=f"facebookresearch/fairseq fairseq/scoring/wer.py with {flags}: Σ editdistance / Σ ref tokens",
        sources=(Source("facebookresearch/fairseq", "fairseq/scoring/wer.py", FAIRSEQ_COMMIT, "WerScorer"),
                 Source("facebookresearch/fairseq", "fairseq/scoring/tokenizer.py", FAIRSEQ_COMMIT,
                        "EvaluationTokenizer")),
        steps=(Step("evaltok", "both", tokenizer.tokenize, tokenizer.signature()),),
        metric=ErrorRate("cer" if tokenizer.character_tokenization else "wer", whitespace_tokens,
                         "char" if tokenizer.character_tokenization else "word"),
        aggregation="corpus", params={"flags": flags.strip(), "evaltok": tokenizer.signature()},
        libraries=("sacrebleu",), spec=spec)


ASR_FAIRSEQ = register(fairseq_protocol("ASR-FAIRSEQ", EvaluationTokenizer("none")))
ASR_FAIRSEQ_13A = register(fairseq_protocol(
    "ASR-FAIRSEQ-13A", EvaluationTokenizer("13a", lowercase=True, punctuation_removal=True)))


# --- ASR-CMI ------------------------------------------------------------------------------------------

#: CMI-bench deletes ``!"#$%&\\()*+,-./:;<=>?@[\\]^_`{|}~`` (string.punctuation without the apostrophe)
CMI_DELETED = "".join(ch for ch in '!"#$%&\\()*+,-./:;<=>?@[\\]^_`{|}~')
_CMI_TABLE = str.maketrans("", "", CMI_DELETED)


def _cmi_number(word: str) -> str:
    if not word.isdigit():
        return word
    try:
        from num2words import num2words

        return num2words(int(word))
    except ValueError:  # non-decimal digits such as '²': int() fails (CMI-bench would crash); kept as is
        return word


def cmi_clean(text: str) -> str:
    """CMI-bench ``clean_string``: delete punctuation but ``'``, lowercase, newline → space, digits → words."""
    text = text.translate(_CMI_TABLE).lower().replace("\n", " ")
    return " ".join(_cmi_number(word) for word in text.split())


def cmi_protocol(protocol_id: str, *, family: str, character_level: bool, spec: str) -> Protocol:
    tokenize = jiwer_chars if character_level else jiwer_words
    return Protocol(
        id=protocol_id, family=family,
        title=f"nicolaus625/CMI-bench evaluate.py::compute_wer_cer: prefix regexes, clean_string, "
              f"jiwer.{'cer' if character_level else 'wer'} per sample, mean over samples (macro)",
        sources=(Source(CMI, "evaluate.py", CMI_COMMIT, "compute_wer_cer"),),
        steps=(Step("strip_answer_prefixes", "hyp", cleanup.strip_cmi_prefixes,
                    "delete the lyrics/content/transcription/text prefix regexes, <s>, </s>"),
               Step("clean_string", "both", cmi_clean, "ASCII punctuation except ' deleted, lower, num2words")),
        metric=JiwerErrorRate("cer" if character_level else "wer", tokenize, "char" if character_level else "word"),
        aggregation="macro",
        params={"punct": "ASCII except ' deleted", "digits": "num2words", "per_sample": "jiwer",
                "empty_ref": "jiwer4-insertions"},
        libraries=("jiwer", "num2words"), spec=spec)


ASR_CMI = register(cmi_protocol("ASR-CMI", family="asr", character_level=False, spec="protocols.md §2.8"))


# --- ASR-COVOST (text rule only) ----------------------------------------------------------------------

def covost_text(text: str) -> str:
    """CoVoST 2 paper rule: sacreBLEU 13a tokens, lowercased, P-category punctuation deleted except ``'`` and ``-``."""
    import unicodedata

    from evaluators.text.tokenizers import get_tokenizer

    tokenized = get_tokenizer("13a")(text).lower()
    return "".join(ch for ch in tokenized
                   if ch in "'-" or not unicodedata.category(ch).startswith("P"))


ASR_COVOST = register(Protocol(
    id="ASR-COVOST", family="asr",
    title="CoVoST 2 paper text rule (quoted by jaeeewon slides 251027), TEXT ONLY: no public scoring code "
          "exists; this is WER after our rendering of the rule (13a tokens, lowercase, punctuation except "
          "' and - deleted), not a reproduction of a repository",
    sources=(Source("facebookresearch/covost", "README.md (paper: arXiv 2007.10310)",
                    "4cddf32dedd6bfef86ca3a40f49b27e252650f3f",
                    "text rule only, no scoring code"),
             Source(JW, "dist_eval/eval_bleu.py", JW_COMMIT, "normalize(): the repo's rendering, used for BLEU")),
    steps=(Step("covost_text_rule", "both", covost_text, "13a → lowercase → delete P chars except ' and -"),),
    metric=ErrorRate("wer", whitespace_tokens), aggregation="corpus",
    params={"text_only": True, "tok": "13a", "lc": True, "punct": "removed except ' and -"},
    libraries=("sacrebleu",), spec="protocols.md §2.9"))


__all__ = ["ASR_AB", "ASR_CMI", "ASR_COVOST", "ASR_FAIRSEQ", "ASR_JW", "ASR_JW_STRICT", "ASR_NOTA",
           "ASR_QWEN1", "ASR_QWEN2", "audiobench_protocol", "cmi_protocol",
           "fairseq_protocol", "jw_protocol", "jw_strict_protocol", "qwen_protocol"]
