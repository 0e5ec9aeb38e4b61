"""``EVALTOK`` — fairseq's ``EvaluationTokenizer`` (protocols.md §1.3).

Reproduces facebookresearch/fairseq ``fairseq/scoring/tokenizer.py::EvaluationTokenizer``, copied
as ``eval_audio/evaluate_tokenizer.py`` by QwenLM/Qwen-Audio and QwenLM/Qwen2-Audio and inlined in
nota-github/audiolm-evaluator ``metrics.py``. Those copies import ``sacrebleu.tokenizers.TOKENIZERS``
(sacreBLEU 1.x only); the tokenisers themselves are taken here from the installed sacreBLEU 2.x via
:func:`evaluators.text.tokenizers.get_tokenizer`, which gives the same output (§0.3).

Order inside :meth:`EvaluationTokenizer.tokenize`:

1. the sacreBLEU tokeniser (``none`` = identity);
2. punctuation removal: split on the single space, drop every token whose characters are *all*
   Unicode P-category — the empty token too, so runs of spaces collapse — and re-join;
3. character tokenisation: spaces become ``▁`` (U+2581), a space between every character;
4. lowercase (after punctuation removal).

Callers split the result on whitespace.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from evaluators.text.tokenizers import check_tokenizer, get_tokenizer

SPACE = " "
SPACE_ESCAPE = "\u2581"


def is_punctuation_token(token: str) -> bool:
    """True when every character is Unicode P-category (vacuously true for the empty token)."""
    return all(unicodedata.category(ch)[0] == "P" for ch in token)


def remove_punctuation_tokens(text: str) -> str:
    """Drop the space-separated tokens made only of punctuation (``hoped,`` stays whole)."""
    return SPACE.join(token for token in text.split(SPACE) if not is_punctuation_token(token))


@dataclass(frozen=True)
class EvaluationTokenizer:
    """fairseq ``EvaluationTokenizer(tokenizer_type, lowercase, punctuation_removal, character_tokenization)``."""

    tokenizer_type: str = "13a"
    lowercase: bool = False
    punctuation_removal: bool = False
    character_tokenization: bool = False

    def __post_init__(self) -> None:
        check_tokenizer(self.tokenizer_type)  # fail early on an unknown or unavailable tokeniser

    def tokenize(self, text: str) -> str:
        tokenized = get_tokenizer(self.tokenizer_type)(text)
        if self.punctuation_removal:
            tokenized = remove_punctuation_tokens(tokenized)
        if self.character_tokenization:
            tokenized = SPACE.join(tokenized.replace(SPACE, SPACE_ESCAPE))
        if self.lowercase:
            tokenized = tokenized.lower()
        return tokenized

    __call__ = tokenize

    def tokens(self, text: str) -> list[str]:
        """``tokenize(text).split()``, as every caller does."""
        return self.tokenize(text).split()

    def signature(self) -> str:
        """Compact description for protocol signatures (no ``|`` or ``:``, which separate signature fields)."""
        return (f"tok={self.tokenizer_type},lc={'yes' if self.lowercase else 'no'}"
                f",punct={'removed' if self.punctuation_removal else 'kept'}"
                f",char={'yes' if self.character_tokenization else 'no'}")
