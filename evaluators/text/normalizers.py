"""Whisper normalisers (WN-EN, WN-BASIC) and the AudioBench ASR normaliser built on them.

* ``WN-EN`` reproduces openai/whisper ``whisper/normalizers/english.py::EnglishTextNormalizer``
  (protocols.md §1.1) as copied by AudioLLMs/AudioBench ``text_normalizer/whisper_english.py``,
  QwenLM/Qwen2-Audio ``eval_audio/whisper_normalizer/english.py`` and nota audiolm-evaluator.
  The number normaliser, the British→American spelling map and the symbol/diacritic removal are
  taken from the ``whisper-normalizer`` package. Its ``EnglishTextNormalizer`` is **not** used as a
  whole: version 0.1.15 adds four replacement rules that openai/whisper and every copy above lack
  (``kinda``→``kind of``, ``sorta``, ``dunno``, ``cause``→``because``); with them, 10 of AudioBench's
  2,617 normalised LibriSpeech test-clean predictions are not reproduced. :data:`WHISPER_REPLACERS`
  is openai/whisper's list; the package variant stays available as ``WhisperEnglishNormalizer(
  replacers=PACKAGE_REPLACERS)`` so the difference can be shown.
* ``WN-BASIC`` is ``BasicTextNormalizer(remove_diacritics=False, split_letters=False)`` of the
  package (§1.2), identical to openai/whisper's ``basic.py``.
* ``audiobench_asr`` reproduces AudioLLMs/AudioBench ``src/dataset_src/text_normalizer/
  preprocess_text.py::preprocess_text_asr`` (§2.6) and its code-switch / IMDA part 4 variants.

Speed without changing results: every regex substitution is guarded by a literal its pattern
needs (no apostrophe → no contraction rule can match), the number normaliser is skipped for text
that has no digit and no number word (it then only re-joins whitespace) and otherwise run only on
the runs of words it can change, AudioBench's digit and contraction tables are applied in one pass
each, and ASCII text takes a translate-table path for the symbol removal. ``whisper-normalizer`` is
imported when a normaliser is first built, not when the module is (describing a protocol needs none).
``audiobench_asr_reference`` is the step-by-step rendering with the package's own classes and
jiwer's ``Compose``; tests check both paths agree on the real AudioBench files and on generated
strings.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from functools import cache
from typing import TYPE_CHECKING

from evaluators.text import jiwer_chains
from evaluators.text.memo import RunCache

if TYPE_CHECKING:
    from whisper_normalizer.basic import BasicTextNormalizer

#: openai/whisper ``EnglishTextNormalizer.replacers``, in order (regex, replacement)
WHISPER_REPLACERS: tuple[tuple[str, str], ...] = (
    # common contractions
    (r"\bwon't\b", "will not"), (r"\bcan't\b", "can not"), (r"\blet's\b", "let us"),
    (r"\bain't\b", "aint"), (r"\by'all\b", "you all"), (r"\bwanna\b", "want to"),
    (r"\bgotta\b", "got to"), (r"\bgonna\b", "going to"), (r"\bi'ma\b", "i am going to"),
    (r"\bimma\b", "i am going to"), (r"\bwoulda\b", "would have"), (r"\bcoulda\b", "could have"),
    (r"\bshoulda\b", "should have"), (r"\bma'am\b", "madam"),
    # titles and prefixes
    (r"\bmr\b", "mister "), (r"\bmrs\b", "missus "), (r"\bst\b", "saint "), (r"\bdr\b", "doctor "),
    (r"\bprof\b", "professor "), (r"\bcapt\b", "captain "), (r"\bgov\b", "governor "),
    (r"\bald\b", "alderman "), (r"\bgen\b", "general "), (r"\bsen\b", "senator "),
    (r"\brep\b", "representative "), (r"\bpres\b", "president "), (r"\brev\b", "reverend "),
    (r"\bhon\b", "honorable "), (r"\basst\b", "assistant "), (r"\bassoc\b", "associate "),
    (r"\blt\b", "lieutenant "), (r"\bcol\b", "colonel "), (r"\bjr\b", "junior "),
    (r"\bsr\b", "senior "), (r"\besq\b", "esquire "),
    # perfect tenses
    (r"'d been\b", " had been"), (r"'s been\b", " has been"), (r"'d gone\b", " had gone"),
    (r"'s gone\b", " has gone"), (r"'d done\b", " had done"), (r"'s got\b", " has got"),
    # general contractions
    (r"n't\b", " not"), (r"'re\b", " are"), (r"'s\b", " is"), (r"'d\b", " would"),
    (r"'ll\b", " will"), (r"'t\b", " not"), (r"'ve\b", " have"), (r"'m\b", " am"),
)
#: the four rules ``whisper-normalizer`` 0.1.15 adds (at its positions) — not in openai/whisper
_PACKAGE_EXTRA = {r"\bwanna\b": ((r"\bkinda\b", "kind of"), (r"\bsorta\b", "sort of"),
                                 (r"\bdunno\b", "do not know")),
                  r"\bshoulda\b": ((r"\bcause\b", "because"),)}
PACKAGE_REPLACERS: tuple[tuple[str, str], ...] = tuple(
    rule for pattern, replacement in WHISPER_REPLACERS
    for rule in ((pattern, replacement), *_PACKAGE_EXTRA.get(pattern, ())))

_KEEP_NUMERIC_SYMBOLS = ".%$¢€£"
_BRACKETS = re.compile(r"[<\[][^>\]]*[>\]]")
_PARENTHESES = re.compile(r"\(([^)]+?)\)")
#: WN-EN step 3's words (``\\b(hmm|mm|mhm|mmm|uh|um)\\b``): on a word of letters alone, the rule deletes
#: exactly a word equal to one of them
WHISPER_FILLER_WORDS = ("hmm", "mm", "mhm", "mmm", "uh", "um")
_FILLERS = re.compile(r"\b(" + "|".join(WHISPER_FILLER_WORDS) + r")\b")
_SPACE_APOSTROPHE = re.compile(r"\s+'")
_DIGIT_COMMA = re.compile(r"(\d),(\d)")
_PERIOD = re.compile(r"\.([^0-9]|$)")
_PREFIX_SYMBOL = re.compile(r"[.$¢€£]([^0-9])")
_SUFFIX_PERCENT = re.compile(r"([^0-9])%")
_WHITESPACE = re.compile(r"\s+")
_ANY_DIGIT = re.compile(r"\d")
# EnglishNumberNormalizer's digit rules with lookarounds (see FastNumberNormalizer.preprocess / postprocess)
_LETTER_THEN_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])")
_DIGIT_THEN_LETTER = re.compile(r"(?<=[0-9])(?=[a-z])")
_DIGIT_SPACE_SUFFIX = re.compile(r"(?<=[0-9])\s+(?=(?:st|nd|rd|th|s)\b)")
_ONE = re.compile(r"\b1(?=s?\b)")
#: ``process_words`` output per run of words, kept for one scoring run only (a protocol enters
#: ``NUMBER_RUNS.run()``): LibriSpeech's 5,234 texts call it 12,560 times on 127 distinct runs
NUMBER_RUNS = RunCache()


def _literal(pattern: str) -> str:
    """The literal text a replacer pattern needs in the string (``\\bmr\\b`` → ``mr``)."""
    return pattern.replace(r"\b", "")


def _ascii_symbol_table(keep: str) -> dict[int, str]:
    """For ASCII text, ``remove_symbols_and_diacritics`` maps each P*/S* char (not kept) to a space."""
    return {cp: " " for cp in range(128)
            if chr(cp) not in keep and unicodedata.category(chr(cp))[0] in "MSP"}


_ASCII_SYMBOLS = _ascii_symbol_table(_KEEP_NUMERIC_SYMBOLS)


def remove_symbols_keep_numeric(text: str) -> str:
    """WN-EN step 7: drop diacritics, symbols/punctuation → space, except ``. % $ ¢ € £``."""
    if text.isascii():  # NFKD is the identity and no ASCII char is a combining mark
        return text.translate(_ASCII_SYMBOLS)
    from whisper_normalizer.basic import remove_symbols_and_diacritics

    return remove_symbols_and_diacritics(text, keep=_KEEP_NUMERIC_SYMBOLS)


class FastNumberNormalizer:
    """whisper's ``EnglishNumberNormalizer``, run only where it can change the text.

    Without any ``\\d`` digit (every digit rule of the normaliser uses ``\\d`` or ``[0-9]``) and
    without any word of its vocabulary (number words, ``and``, ``point``, currency words,
    ``percent``, ``o``/``oh`` ...), every word is passed through unchanged and the output is
    ``" ".join(text.split())`` — which is returned without running it. Otherwise its word-level
    state machine runs only on the runs of non-inert words (see ``__call__``).
    """

    def __init__(self) -> None:
        from whisper_normalizer.english import EnglishNumberNormalizer

        self.slow = EnglishNumberNormalizer()
        self.vocabulary = frozenset(self.slow.words)

    def needed(self, text: str) -> bool:
        return _ANY_DIGIT.search(text) is not None or not self.vocabulary.isdisjoint(text.split())

    def inert(self, word: str) -> bool:
        """A word ``process_words`` can only pass through: no digit and not in its vocabulary."""
        return word not in self.vocabulary and _ANY_DIGIT.search(word) is None

    def __call__(self, text: str) -> str:
        if not self.needed(text):
            return " ".join(text.split())
        # ``process_words`` only on the runs of non-inert words. Exact, because at an inert word the
        # state machine flushes any pending number (with its prefix) and resets; a pending prefix with
        # no number only survives a word that is followed by a vocabulary word or a number; and
        # ``prev``/``next`` are only tested for membership in vocabulary subsets, which an inert word
        # and ``None`` (a run's edge) both fail.
        return self.postprocess(" ".join(self.process_runs(self.preprocess(text).split())))

    def preprocess(self, text: str) -> str:
        """``EnglishNumberNormalizer.preprocess`` with constant replacements (no per-match template expansion).

        Without ``half`` its ``and a half`` split leaves the text whole (or empty if blank); the three digit rules
        need an ASCII digit and are rewritten with lookarounds that make the same edits: a space between a letter
        and a digit (either order), whitespace removed between a digit and ``st nd rd th s`` (each adjacency is
        matched once either way, as a pair's chars can never start or end another pair).
        """
        if "half" in text:
            return self.slow.preprocess(text)
        if not text.strip():
            return ""
        if _ASCII_DIGITS.isdisjoint(text):
            return text
        text = _LETTER_THEN_DIGIT.sub(" ", text)
        text = _DIGIT_THEN_LETTER.sub(" ", text)
        return _DIGIT_SPACE_SUFFIX.sub("", text)

    def postprocess(self, text: str) -> str:
        """``EnglishNumberNormalizer.postprocess``: its currency rules need ``$ € £`` (the package's code runs
        then); otherwise only ``\\b1(s?)\\b`` → ``one\\1`` can apply, done as ``1`` → ``one`` before ``s?\\b``."""
        if "$" in text or "€" in text or "£" in text:
            return self.slow.postprocess(text)
        return _ONE.sub("one", text) if "1" in text else text

    def process_runs(self, words: list[str], active: Collection[str] | None = None) -> list[str]:
        """``words`` with every maximal run of non-inert words replaced by ``process_words``' output for it.
        ``active``: the non-inert words among them, when the caller knows them (each distinct word is
        classified once otherwise)."""
        if active is None:
            distinct = set(words)
            active = self.vocabulary.intersection(distinct).union(
                [word for word in distinct if not word.isalpha() and _ANY_DIGIT.search(word)])
        if not active:
            return words
        flags = list(map(active.__contains__, words))
        # no two adjacent (one occurrence, or no True pair): every run is one word; if each of those maps to
        # itself (a lone "and"), the output is the input
        if flags.count(True) == 1 or not any(map(operator.and_, flags, flags[1:])):
            if all(self.process_run([word]) == (word,) for word in active):
                return words  # (the same list: callers may test ``is``)
        output: list[str] = []
        run: list[str] = []
        for word in words:
            if word in active:
                run.append(word)
                continue
            if run:
                output.extend(self.process_run(run))
                run = []
            output.append(word)
        if run:
            output.extend(self.process_run(run))
        return output

    def process_run(self, run: list[str]) -> tuple[str, ...]:
        """``process_words`` on a run of words (its output depends on the run alone), memoised inside
        ``NUMBER_RUNS.run()``; words come from ``str.split()``, so the space-joined run is a faithful key."""
        table = NUMBER_RUNS.table
        if table is None:
            return tuple(w for w in self.slow.process_words(run) if w is not None)
        key = " ".join(run)
        try:
            return table[key]
        except KeyError:
            value = table[key] = tuple(w for w in self.slow.process_words(run) if w is not None)
            return value


class WhisperEnglishNormalizer:
    """``WN-EN`` — openai/whisper ``EnglishTextNormalizer`` (protocols.md §1.1).

    ``remove_symbols=False`` gives AudioBench's ``IMDAPART4TextNormalizer`` (same steps without the
    symbol/diacritic removal, used for IMDA part 4 code-switch sets).
    """

    def __init__(self, replacers: Sequence[tuple[str, str]] = WHISPER_REPLACERS, *, remove_symbols: bool = True):
        self.replacers = tuple((re.compile(p), r, _literal(p)) for p, r in replacers)
        self.remove_symbols = remove_symbols
        from whisper_normalizer.english import EnglishSpellingNormalizer

        self.standardize_numbers = FastNumberNormalizer()
        self.standardize_spellings = EnglishSpellingNormalizer()

    def __call__(self, text: str) -> str:
        return self.after_numbers(self.standardize_numbers(self.before_numbers(text)))

    def before_numbers(self, text: str) -> str:
        """Steps 1-8 (lowercase … symbol removal): what the number normaliser receives."""
        s = text.lower()
        if "[" in s or "<" in s:
            s = _BRACKETS.sub("", s)
        if "(" in s:
            s = _PARENTHESES.sub("", s)
        s = _FILLERS.sub("", s)
        if "'" in s:
            s = _SPACE_APOSTROPHE.sub("'", s)
        s = self.replace(s)
        if "," in s:
            s = _DIGIT_COMMA.sub(r"\1\2", s)
        if "." in s:
            s = _PERIOD.sub(r" \1", s)
        if self.remove_symbols:
            s = remove_symbols_keep_numeric(s)
        return s

    def replace(self, s: str) -> str:
        """The replacer rules in order (contractions, titles, perfect tenses)."""
        for pattern, replacement, literal in self.replacers:
            if literal in s:
                s = pattern.sub(replacement, s)
        return s

    def after_numbers(self, s: str) -> str:
        """Steps 10-12 on the number normaliser's output: spellings, leftover symbols, whitespace."""
        spellings = self.standardize_spellings.mapping  # EnglishSpellingNormalizer.__call__, as a list
        s = " ".join([spellings.get(word, word) for word in s.split()])
        if any(symbol in s for symbol in ".$¢€£"):
            s = _PREFIX_SYMBOL.sub(r" \1", s)
        if "%" in s:
            s = _SUFFIX_PERCENT.sub(r"\1 ", s)
        return _WHITESPACE.sub(" ", s)


@cache
def wn_en_normalizer() -> WhisperEnglishNormalizer:
    return WhisperEnglishNormalizer()


@cache
def wn_basic_normalizer() -> BasicTextNormalizer:
    from whisper_normalizer.basic import BasicTextNormalizer

    return BasicTextNormalizer(remove_diacritics=False, split_letters=False)


def wn_en(text: str) -> str:
    """``WN-EN`` (openai/whisper EnglishTextNormalizer)."""
    return wn_en_normalizer()(text)


def wn_basic(text: str) -> str:
    """``WN-BASIC`` (openai/whisper BasicTextNormalizer, diacritics kept; a trailing space can remain)."""
    return wn_basic_normalizer()(text)


# --- AudioBench (AudioLLMs/AudioBench src/dataset_src/text_normalizer/preprocess_text.py) -------------

#: ``normalize_text`` digit → word table: whole-token 0–20 and the tens, in AudioBench's order
AUDIOBENCH_DIGIT_WORDS: tuple[tuple[str, str], ...] = (
    ("0", "zero"), ("1", "one"), ("2", "two"), ("3", "three"), ("4", "four"), ("5", "five"),
    ("6", "six"), ("7", "seven"), ("8", "eight"), ("9", "nine"), ("10", "ten"), ("11", "eleven"),
    ("12", "twelve"), ("13", "thirteen"), ("14", "fourteen"), ("15", "fifteen"), ("16", "sixteen"),
    ("17", "seventeen"), ("18", "eighteen"), ("19", "nineteen"), ("20", "twenty"), ("30", "thirty"),
    ("40", "forty"), ("50", "fifty"), ("60", "sixty"), ("70", "seventy"), ("80", "eighty"), ("90", "ninety"),
)
#: ``normalize_text`` contraction table (22 entries, whole words), in AudioBench's order
AUDIOBENCH_CONTRACTIONS: tuple[tuple[str, str], ...] = (
    ("i'm", "i am"), ("you're", "you are"), ("he's", "he is"), ("she's", "she is"), ("it's", "it is"),
    ("we're", "we are"), ("they're", "they are"), ("i've", "i have"), ("you've", "you have"),
    ("we've", "we have"), ("they've", "they have"), ("isn't", "is not"), ("aren't", "are not"),
    ("wasn't", "was not"), ("weren't", "were not"), ("hasn't", "has not"), ("haven't", "have not"),
    ("hadn't", "had not"), ("doesn't", "does not"), ("don't", "do not"), ("didn't", "did not"),
    ("that's", "that is"),
)
#: ``remove_parentheses``: a bracketed span whose content has none of ``( ) \\ n [ ]``
AUDIOBENCH_BRACKETS_PATTERN = r"(\[|\(|\{|\<)[^\(\)\\n\[\]]*(\]|\)|\}|\>)"
#: ``remove_non_speech_elements``
AUDIOBENCH_FILLER_WORDS = ("uh", "umm", "um", "er", "ah")
AUDIOBENCH_FILLERS_PATTERN = r"\b(" + "|".join(AUDIOBENCH_FILLER_WORDS) + r")\b"
HAN_PATTERN = r"[\u4e00-\u9fff]"

# One pass each instead of one ``re.sub`` per table entry. Exact: every pattern is a whole token
# between word boundaries, two matches can never overlap (digit tokens are separated by non-word
# characters; each contraction is ``word'word`` and no second half is a first half), and no
# replacement contains a digit or an apostrophe, so it cannot create or destroy another match.
_AB_DIGITS = re.compile(r"\b(" + "|".join(digit for digit, _ in AUDIOBENCH_DIGIT_WORDS) + r")\b")
_AB_DIGIT_WORDS = dict(AUDIOBENCH_DIGIT_WORDS)
_AB_CONTRACTION_WORDS = dict(AUDIOBENCH_CONTRACTIONS)
_AB_BRACKETS = re.compile(AUDIOBENCH_BRACKETS_PATTERN)
_AB_FILLERS = re.compile(AUDIOBENCH_FILLERS_PATTERN)


# Compiled on first use: each costs milliseconds to compile and most runs never need it (a contraction survives
# WN-EN rarely; Han characters only matter to the code-switch variants).
@cache
def _ab_contractions() -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(c for c, _ in AUDIOBENCH_CONTRACTIONS) + r")\b")


@cache
def _han_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a run of Han characters, a Han character followed by another)"""
    return re.compile(r"([\u4e00-\u9fff]+)"), re.compile(r"([\u4e00-\u9fff])(?=[\u4e00-\u9fff])")


_ASCII_DIGITS = frozenset("0123456789")


def audiobench_digits_to_words(text: str) -> str:
    """AudioBench ``normalize_text`` part 1: whole-token ``0``–``20``, ``30``…``90`` → words."""
    if _ASCII_DIGITS.isdisjoint(text):
        return text
    return _AB_DIGITS.sub(lambda match: _AB_DIGIT_WORDS[match.group(1)], text)


def audiobench_expand_contractions(text: str) -> str:
    """AudioBench ``normalize_text`` part 2: the 22 whole-word contractions."""
    if "'" not in text:
        return text
    return _ab_contractions().sub(lambda match: _AB_CONTRACTION_WORDS[match.group(1)], text)


def audiobench_remove_brackets(text: str) -> str:
    """AudioBench ``remove_parentheses``."""
    if not any(ch in text for ch in "[({<"):
        return text
    return _AB_BRACKETS.sub("", text)


def audiobench_remove_fillers(text: str) -> str:
    """AudioBench ``remove_non_speech_elements`` (``uh umm um er ah`` as whole words)."""
    return _AB_FILLERS.sub("", text)


def space_han_characters(text: str) -> str:
    """AudioBench ``separate_and_space_chinese``: a space between consecutive Han chars (U+4E00–U+9FFF).

    A Han char next to a Latin letter or digit gets no space (``欢nlp模`` stays one token).
    """
    han_run, han_pair = _han_patterns()
    if not han_run.search(text):
        return text
    return han_pair.sub(r"\1 ", text)


def audiobench_asr(text: str, *, variant: str = "en") -> str:
    """AudioBench ``preprocess_text_asr`` (``variant="en"``), ``..._code_switch_chinese`` (``"zh"``)
    or ``..._code_imda_part4`` (``"imda4"``). Empty results stay empty (the caller maps them to
    ``empty``)."""
    if variant == "en":
        plain = _plain_audiobench_en(text.lower())
        if plain is not None:
            return plain
    normalizer = _imda4_normalizer() if variant == "imda4" else wn_en_normalizer()
    return _audiobench_after_english(normalizer(text.lower()), variant)


def _audiobench_after_english(text: str, variant: str) -> str:
    """``preprocess_text_asr`` after its Whisper English normaliser."""
    text = audiobench_digits_to_words(text)
    text = audiobench_expand_contractions(text)
    text = audiobench_remove_brackets(text)
    text = jiwer_chains.audiobench_chain(text)
    text = audiobench_remove_fillers(text).strip()
    if variant in ("zh", "imda4"):
        text = space_han_characters(text)
    if variant == "imda4":
        text = _WHITESPACE.sub(" ", text)
    elif variant not in ("en", "zh"):
        raise ValueError(f"unknown AudioBench ASR variant {variant!r}; expected en, zh or imda4")
    return text


#: text the plain path takes: ASCII lowercase letters, digits, apostrophes, spaces and ``. , ? ! " : ; -``
#: (LibriSpeech-style transcripts, written sentences, ARPAbet phone strings such as ``ah0 n d``)
_PLAIN_TEXT = re.compile(r"[a-z0-9' .,?!\":;-]*")
_PLAIN_TEXT_NO_DIGIT = re.compile(r"[a-z' .,?!\":;-]*")
_PLAIN_WORDS = re.compile(r"[a-z0-9 ]*")
_PLAIN_WORD = re.compile(r"[a-z0-9]+")
#: key of the plain path's tables inside ``NUMBER_RUNS`` (the number runs' keys are strings)
_PLAIN_TABLES = ("plain-tables",)
#: the number normaliser's postprocessing (cents, ``1`` → ``one``) needs one of these in its input
_POSTPROCESSED = re.compile("[$€£1]")


class PlainAudiobenchEnglish:
    """``audiobench_asr(text, variant="en")`` for lowercase ASCII text of letters, digits, spaces and a little
    punctuation (``' . , ? ! " : ; -``), computed token by token (each distinct token once per scoring run)
    instead of string by string.

    Exact, because on such text every step is local to a space-separated token except where a guard
    sends the text to the string path (``__call__`` returns ``None``) and the number normaliser, which runs
    on the joined text as :class:`FastNumberNormalizer` does:

    * WN-EN's filler, replacer and symbol steps: no pattern of theirs contains a space except the six
      perfect-tense rules (``'d been`` ...), \\b at a token's edge sees a space or the string's end alike,
      and no step deletes a space. Guards: a token after the first starting with an apostrophe once fillers
      are gone (``\\s+'`` would join it to the previous one), a perfect-tense head (``'d ``, ``'s ``) together
      with a tail (``been`` ...) or a rule whose replacement makes one (``gotta`` → ``got to``), and ``half``
      (the number normaliser's ``and a half`` rule spans words). Steps 6-7 are token-local too: ``(\\d),(\\d)``
      cannot span a space, and ``\\.([^0-9]|$)`` at a token's end gives one space either way (the space it
      consumes is put back, and ``$`` at a token's end adds the same one space).
    * The number normaliser: its preprocessing (only with a digit), then ``process_words`` on the runs of
      non-inert words (vocabulary words and words with a digit), then its postprocessing (only with a digit
      or with ``$ € £ 1`` in the output) — what :class:`FastNumberNormalizer` computes.
    * If the result is still ``a-z0-9`` words (``1st``, ``20``), the rest (spelling map, AudioBench's
      digit/contraction/bracket rules, jiwer's chain, fillers) only maps each word alone; a spelling whose
      American form is not plain, or any other output (``$5``), finishes on the string path from there.

    ``tests/property/test_normalizer_properties.py`` compares it with the step-by-step reference on
    generated plain text, and ``tests/unit/test_asr_ab_real_data.py`` on every real text.
    """

    def __init__(self, english: WhisperEnglishNormalizer) -> None:
        self.english = english
        self.numbers = english.standardize_numbers
        self.spellings = english.standardize_spellings.mapping
        cross = [literal for _, _, literal in english.replacers if " " in literal]
        tails = {literal.split(" ", 1)[1] for literal in cross}
        heads = {literal.split(" ", 1)[0] + " " for literal in cross}
        tails |= {literal for _, replacement, literal in english.replacers
                  if any(tail in replacement for tail in tails)}
        self.cross_head = re.compile("|".join(map(re.escape, sorted(heads))) or "(?!)")
        self.cross_tail = re.compile("|".join(map(re.escape, sorted(tails))) or "(?!)")
        # a token of letters alone can only meet the ``\\bword\\b`` rules, and only one equal to it; every
        # other rule needs an apostrophe (checked here, so a new kind of rule disables the shortcut)
        word_rules = {literal for pattern, _, literal in english.replacers
                      if pattern.pattern == rf"\b{literal}\b" and literal.isalpha()}
        apostrophe_rules = all("'" in literal for _, _, literal in english.replacers if literal not in word_rules)
        self.word_rules = frozenset(word_rules) if apostrophe_rules else None
        self.whisper_fillers = frozenset(WHISPER_FILLER_WORDS)
        self.audiobench_fillers = frozenset(AUDIOBENCH_FILLER_WORDS)

    def __call__(self, text: str) -> str | None:
        """The normalised text, or ``None`` when ``text`` needs the string path."""
        if "half" in text:
            return None
        digits = False  # (no step before the number normaliser adds one)
        if not _PLAIN_TEXT_NO_DIGIT.fullmatch(text):
            if not _PLAIN_TEXT.fullmatch(text):
                return None
            digits = True
        apostrophe = "'" in text  # (the perfect-tense heads and every flagged token have one)
        if apostrophe and self.cross_head.search(text) and self.cross_tail.search(text):
            return None
        tables = self._tables()
        tokens = text.split(" ")
        pieces = list(map(tables.tokens.get, tokens))
        if None in pieces:
            pieces = [self._token(token, tables) if piece is None else piece
                      for token, piece in zip(tokens, pieces, strict=True)]
        if apostrophe and tables.flagged and not tables.flagged.isdisjoint(tokens[1:]):
            return None
        if digits:
            words = self.numbers.preprocess(" ".join(pieces)).split()
            active = self.numbers.vocabulary.intersection(words).union(
                [word for word in set(words) if not word.isalpha()])  # has a digit: a kept "." precedes one
        else:  # preprocessing changes nothing without a digit or "half"
            words = " ".join(pieces).split()
            active = self.numbers.vocabulary.intersection(words)
        numbered = self.numbers.process_runs(words, active)  # ``words`` itself when nothing changes
        if numbered is not words or digits:
            numbers = " ".join(numbered)
            if _POSTPROCESSED.search(numbers):
                numbers = self.numbers.postprocess(numbers)
            if not _PLAIN_WORDS.fullmatch(numbers):
                return _audiobench_after_english(self.english.after_numbers(numbers), "en")
            words = numbers.split()
        finished = list(map(tables.words.get, words))
        if None in finished:
            finished = [self._word(word, tables) if done is None else done
                        for word, done in zip(words, finished, strict=True)]
            if None in finished:
                return _audiobench_after_english(self.english.after_numbers(" ".join(words)), "en")
        return " ".join(finished).strip()

    @staticmethod
    def _tables() -> _PlainTables:
        """This scoring run's tables (in ``NUMBER_RUNS``), or fresh ones outside a run."""
        run_table = NUMBER_RUNS.table
        if run_table is None:
            return _PlainTables()
        tables = run_table.get(_PLAIN_TABLES)
        if tables is None:
            tables = run_table[_PLAIN_TABLES] = _PlainTables()
        return tables

    def _token(self, token: str, tables: _PlainTables) -> str:
        """The token after WN-EN steps 3-8; one that starts with an apostrophe once fillers are removed is
        also remembered in ``flagged`` (after the first token, ``\\s+'`` would join it to the previous one)."""
        if token.isalpha() and self.word_rules is not None:  # letters alone: fillers and rules are whole-word
            s = "" if token in self.whisper_fillers else token
            piece = remove_symbols_keep_numeric(self.english.replace(s)) if s in self.word_rules else s
        else:
            s = _FILLERS.sub("", token)
            if s.startswith("'"):
                tables.flagged.add(token)
            s = self.english.replace(s)
            if "," in s:
                s = _DIGIT_COMMA.sub(r"\1\2", s)
            if "." in s:
                s = _PERIOD.sub(r" \1", s)
            piece = remove_symbols_keep_numeric(s)
        tables.tokens[token] = piece
        return piece

    def _word(self, word: str, tables: _PlainTables) -> str | None:
        """A word after the spelling map, AudioBench's digit table and fillers rule (``None``, and not kept: a
        spelling that is not ``a-z0-9`` alone, which sends the text to the string path). On such a word both
        \\b rules are whole-word: it has no inner word boundary."""
        spelled = self.spellings.get(word, word)
        if not _PLAIN_WORD.fullmatch(spelled):
            return None
        spelled = _AB_DIGIT_WORDS.get(spelled, spelled)
        done = tables.words[word] = "" if spelled in self.audiobench_fillers else spelled
        return done


class _PlainTables:
    """Per-run memo of :class:`PlainAudiobenchEnglish`: token → piece, flagged tokens, word → finished word."""

    __slots__ = ("tokens", "flagged", "words")

    def __init__(self) -> None:
        self.tokens: dict[str, str] = {}
        self.flagged: set[str] = set()
        self.words: dict[str, str] = {}


@cache
def _plain_english() -> PlainAudiobenchEnglish:
    return PlainAudiobenchEnglish(wn_en_normalizer())


def _plain_audiobench_en(text: str) -> str | None:
    return _plain_english()(text)


@cache
def _imda4_normalizer() -> WhisperEnglishNormalizer:
    return WhisperEnglishNormalizer(remove_symbols=False)


def audiobench_asr_reference(text: str, *, variant: str = "en",
                             english: Callable[[str], str] | None = None) -> str:
    """The straightforward rendering of ``preprocess_text_asr``: no guards, no shortcuts.

    Uses whisper-normalizer's ``EnglishNumberNormalizer`` / ``EnglishSpellingNormalizer`` /
    ``remove_symbols_and_diacritics`` step by step, one ``re.sub`` per table entry and the real
    ``jiwer.Compose``. Kept as the oracle for the fast path (tests, ``benchmarks/bench_asr_ab.py``).
    """
    english = english or _reference_english(remove_symbols=variant != "imda4")
    text = english(text.lower())
    for digit, word in AUDIOBENCH_DIGIT_WORDS:
        text = re.sub(r"\b" + digit + r"\b", word, text)
    for contraction, expanded in AUDIOBENCH_CONTRACTIONS:
        text = re.sub(r"\b" + contraction + r"\b", expanded, text)
    text = re.sub(AUDIOBENCH_BRACKETS_PATTERN, "", text)
    text = _reference_jiwer_chain()(text)
    text = re.sub(AUDIOBENCH_FILLERS_PATTERN, "", text).strip()
    if variant in ("zh", "imda4"):
        parts = re.split(r"([\u4e00-\u9fff]+)", text)
        text = "".join(" ".join(part) if re.match(r"[\u4e00-\u9fff]+", part) else part for part in parts)
    if variant == "imda4":
        text = re.sub(r"\s+", " ", text)
    return text


@cache
def _reference_jiwer_chain() -> Callable[[str], str]:
    return jiwer_chains.jiwer_reference_chain(jiwer_chains.AUDIOBENCH_CHAIN_NAMES)


@cache
def _reference_english(remove_symbols: bool = True) -> Callable[[str], str]:
    from whisper_normalizer.basic import remove_symbols_and_diacritics
    from whisper_normalizer.english import EnglishNumberNormalizer, EnglishSpellingNormalizer

    numbers = EnglishNumberNormalizer()
    spellings = EnglishSpellingNormalizer()

    def english(s: str) -> str:
        s = s.lower()
        s = re.sub(r"[<\[][^>\]]*[>\]]", "", s)
        s = re.sub(r"\(([^)]+?)\)", "", s)
        s = re.sub(r"\b(hmm|mm|mhm|mmm|uh|um)\b", "", s)
        s = re.sub(r"\s+'", "'", s)
        for pattern, replacement in WHISPER_REPLACERS:
            s = re.sub(pattern, replacement, s)
        s = re.sub(r"(\d),(\d)", r"\1\2", s)
        s = re.sub(r"\.([^0-9]|$)", r" \1", s)
        if remove_symbols:
            s = remove_symbols_and_diacritics(s, keep=_KEEP_NUMERIC_SYMBOLS)
        s = numbers(s)
        s = spellings(s)
        s = re.sub(r"[.$¢€£]([^0-9])", r" \1", s)
        s = re.sub(r"([^0-9])%", r"\1 ", s)
        return re.sub(r"\s+", " ", s)

    return english


def wn_en_reference(text: str) -> str:
    """WN-EN step by step with no shortcuts (the oracle for :func:`wn_en`)."""
    return _reference_english(True)(text)
