"""Output clean-up before normalisation: end-of-sequence markers and special tags.

SALMONN (Vicuna) outputs stored by jaeeewon/project-multimodal keep the ``</s>`` end-of-sequence
string when the model stopped by itself; an output without it hit ``max_new_tokens``
(protocols.md §0.1, §1.8). Several protocols skip such "missed EOS" outputs; others just remove
the marker.
"""

from __future__ import annotations

EOS = "</s>"
BOS = "<s>"


def ends_with_eos(text: str, eos: str = EOS) -> bool:
    """True when the raw output ends with the end-of-sequence string (after trailing whitespace)."""
    return text.rstrip().endswith(eos)


def strip_trailing_eos(text: str, eos: str = EOS) -> str:
    """Remove one trailing ``</s>`` (if present) and strip surrounding whitespace."""
    text = text.strip()
    if text.endswith(eos):
        text = text[: -len(eos)]
    return text.strip()
