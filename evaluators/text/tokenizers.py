"""sacreBLEU tokenisers by name, with the offline-only ones refused by a named error.

Reproduces the tokenisers of mjpost/sacrebleu ``sacrebleu/tokenizers/`` (protocols.md §1.4) by
using the package itself. ``flores101`` / ``spm`` / ``flores200`` / ``spBLEU-1K`` download a
SentencePiece model on first use; offline they cannot run, so :func:`get_tokenizer` raises
:class:`TokenizerUnavailableError` instead of silently substituting another tokeniser (a BLEU
under a different tokeniser is a different number).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable

from evaluators.errors import ProtocolUnavailableError

#: tokeniser name -> sacrebleu module.class (sacrebleu 2.x layout)
_OFFLINE = {
    "none": "tokenizer_none.NoneTokenizer",
    "13a": "tokenizer_13a.Tokenizer13a",
    "intl": "tokenizer_intl.TokenizerV14International",
    "zh": "tokenizer_zh.TokenizerZh",
    "char": "tokenizer_char.TokenizerChar",
    "ja-mecab": "tokenizer_ja_mecab.TokenizerJaMecab",
    "ko-mecab": "tokenizer_ko_mecab.TokenizerKoMecab",
}
#: tokenisers whose SentencePiece model sacreBLEU downloads at first use
NEEDS_DOWNLOAD = {
    "flores101": "sacreBLEU downloads the FLORES-101 SentencePiece model (sacrebleu_tokenizer_spm.model) at first use",
    "spm": "deprecated alias of flores101; sacreBLEU downloads its SentencePiece model at first use",
    "flores200": "sacreBLEU downloads the FLORES-200 SentencePiece model (flores200sacrebleuspm) at first use",
    "spBLEU-1K": "sacreBLEU downloads the spBLEU-1K SentencePiece model at first use",
}
TOKENIZER_NAMES = tuple(_OFFLINE) + tuple(NEEDS_DOWNLOAD)


class TokenizerUnavailableError(ProtocolUnavailableError):
    """A sacreBLEU tokeniser that needs a download this environment cannot make."""

    def __init__(self, name: str):
        super().__init__(
            f"tok:{name}",
            f"{NEEDS_DOWNLOAD[name]}; no package ships the model and the network is not used, so spBLEU "
            f"cannot be reproduced offline. Scores under another tokeniser are not comparable.")
        self.tokenizer = name


def check_tokenizer(name: str) -> None:
    """Refuse an unknown or download-only tokeniser name without importing sacreBLEU.

    Protocols are built at import time; checking the name there (and importing sacreBLEU only when
    a text is tokenised) keeps ``audiorepro protocols`` from paying sacreBLEU's import.
    """
    if name in NEEDS_DOWNLOAD:
        raise TokenizerUnavailableError(name)
    if name not in _OFFLINE:
        raise ValueError(f"unknown sacreBLEU tokeniser {name!r}; known: {', '.join(TOKENIZER_NAMES)}")


@functools.cache
def get_tokenizer(name: str) -> Callable[[str], str]:
    """The sacreBLEU tokeniser called ``name`` (a callable ``str -> str`` of space-joined tokens)."""
    check_tokenizer(name)
    module_name, class_name = _OFFLINE[name].split(".")
    module = importlib.import_module(f"sacrebleu.tokenizers.{module_name}")
    return getattr(module, class_name)()


def tokenizer_signature(name: str) -> str:
    """The ``tok:`` value sacreBLEU prints for this tokeniser (e.g. ``ja-mecab-0.996-IPA``)."""
    tokenizer = get_tokenizer(name)
    signature = getattr(tokenizer, "signature", None)
    return signature() if callable(signature) else name
