"""jiwer's text transforms, as each repository chains them, rewritten as fast single-pass functions.

Reproduces the behaviour of jitsi/jiwer ``jiwer/transforms.py`` and ``jiwer/transformations.py``
(protocols.md §1.6) for the versions our protocols pin:

* :func:`remove_punctuation` — ``RemovePunctuation`` of jiwer ≥ 2.5: every character whose Unicode
  general category starts with ``P`` is deleted (replaced by the empty string). jiwer does this
  with one ``str.replace`` per punctuation code point (~800 calls per string); a single
  ``str.translate`` deletes the same characters.
* :func:`remove_punctuation_ascii` — ``RemovePunctuation`` of jiwer ≤ 2.3: the 32 characters of
  ``string.punctuation`` (which include the *symbols* ``< > $ + = ^ | ~``).
* :func:`remove_kaldi_non_words`, :func:`expand_common_english_contractions`,
  :func:`remove_multiple_spaces` — the same regexes, compiled once, and skipped when the literal
  that every match needs is absent (a skipped substitution could not have matched, so the result
  is identical).
* :func:`jiwer_words` / :func:`jiwer_chars` — jiwer's default WER tokenisation (collapse runs of
  ≥ 2 whitespace characters, strip, split on the single space) and CER tokenisation (strip, every
  character a token).

``tests/unit/test_text_jiwer_chains.py`` checks every function against the real jiwer transform
on many generated strings (hypothesis), so the speed-up can never change a number.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache

TextTransform = Callable[[str], str]


class _PunctuationTable(dict):
    """``str.translate`` table deleting every P-category code point (jiwer ≥ 2.5 semantics).

    Filled as code points are met (``str.translate`` looks each one up; ``__missing__`` classifies it
    once) instead of classifying all 1.1 million code points up front, which took longer than a whole
    ``audiorepro score`` run of the other steps.
    """

    def __missing__(self, code_point: int) -> int | None:
        value = None if unicodedata.category(chr(code_point)).startswith("P") else code_point
        self[code_point] = value
        return value


@cache
def _punctuation_table() -> dict[int, int | None]:
    return _PunctuationTable()


_ASCII_PUNCTUATION_TABLE = {ord(ch): None for ch in string.punctuation}
_MULTIPLE_SPACES = re.compile(r"\s\s+")
_KALDI_NON_WORD = re.compile(r"[<\[][^>\]]*[>\]]")
#: jiwer's ExpandCommonEnglishContractions, in its order (each needs an apostrophe to match)
_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in (
        (r"won't", "will not"), (r"can't", "can not"), (r"let's", "let us"),
        (r"n't", " not"), (r"'re", " are"), (r"'s", " is"), (r"'d", " would"),
        (r"'ll", " will"), (r"'t", " not"), (r"'ve", " have"), (r"'m", " am"),
    ))


def remove_punctuation(text: str) -> str:
    """jiwer ≥ 2.5 ``RemovePunctuation``: delete every Unicode P-category character (no space left)."""
    return text.translate(_punctuation_table())


def remove_punctuation_ascii(text: str) -> str:
    """jiwer ≤ 2.3 ``RemovePunctuation``: delete the 32 ASCII ``string.punctuation`` characters."""
    return text.translate(_ASCII_PUNCTUATION_TABLE)


def remove_kaldi_non_words(text: str) -> str:
    """jiwer ``RemoveKaldiNonWords``: delete ``[...]`` / ``<...>`` spans (surrounding spaces stay)."""
    if "[" not in text and "<" not in text:
        return text
    return _KALDI_NON_WORD.sub("", text)


def expand_common_english_contractions(text: str) -> str:
    """jiwer ``ExpandCommonEnglishContractions`` (unanchored: ``john's`` → ``john is``)."""
    if "'" not in text:
        return text
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def remove_multiple_spaces(text: str) -> str:
    """jiwer ``RemoveMultipleSpaces``: a run of two or more whitespace characters becomes one space."""
    return _MULTIPLE_SPACES.sub(" ", text)


def to_lower(text: str) -> str:
    return text.lower()


def strip(text: str) -> str:
    return text.strip()


def compose(*transforms: TextTransform) -> TextTransform:
    """Apply ``transforms`` left to right (jiwer ``Compose`` for strings)."""

    def chain(text: str) -> str:
        for transform in transforms:
            text = transform(text)
        return text

    chain.__doc__ = " → ".join(getattr(t, "__name__", repr(t)) for t in transforms)
    return chain


def jiwer_words(text: str) -> list[str]:
    """jiwer's default WER tokenisation (``wer_default``): collapse, strip, split on single spaces.

    In printable ASCII text the space is the only whitespace character, so that is ``str.split()``.
    """
    if text.isascii() and text.isprintable():
        return text.split()
    return [word for word in remove_multiple_spaces(text).strip().split(" ") if word]


def jiwer_chars(text: str) -> list[str]:
    """jiwer's default CER tokenisation (``cer_default``): strip, then every character (spaces too)."""
    return list(text.strip())


#: jaeeewon/project-multimodal ``dist_eval/eval_wer.py`` (ASR-JW, PER-JW): the same chain on both sides
jw_chain: TextTransform = compose(to_lower, remove_punctuation, remove_kaldi_non_words,
                                  remove_multiple_spaces, strip)
#: AudioLLMs/AudioBench ``text_normalizer/preprocess_text.py::all_jiwer_process``
audiobench_chain: TextTransform = compose(remove_multiple_spaces, expand_common_english_contractions,
                                          remove_kaldi_non_words, remove_punctuation)


def jiwer_reference_chain(names: Sequence[str]) -> Callable[[str], str]:
    """The *real* jiwer ``Compose`` of the named transforms (for tests and the naive benchmark path)."""
    import jiwer

    return jiwer.Compose([getattr(jiwer, name)() for name in names])


JW_CHAIN_NAMES = ("ToLowerCase", "RemovePunctuation", "RemoveKaldiNonWords", "RemoveMultipleSpaces", "Strip")
AUDIOBENCH_CHAIN_NAMES = ("RemoveMultipleSpaces", "ExpandCommonEnglishContractions", "RemoveKaldiNonWords",
                          "RemovePunctuation")
