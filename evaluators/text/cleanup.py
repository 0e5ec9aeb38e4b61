"""Output clean-up before normalisation: end-of-sequence markers and special tags.

SALMONN (Vicuna) outputs stored by jaeeewon/project-multimodal keep the ``</s>`` end-of-sequence
string when the model stopped by itself; an output without it hit ``max_new_tokens``
(protocols.md §0.1, §1.8). Several protocols skip such "missed EOS" outputs; others just remove
the marker.
"""

from __future__ import annotations

import re

EOS = "</s>"
BOS = "<s>"


def ends_with_eos(text: str, eos: str = EOS) -> bool:
    """True when the raw output ends with the end-of-sequence string (after trailing whitespace)."""
    return text.rstrip().endswith(eos)


def ends_with_eos_raw(text: str, eos: str = EOS) -> bool:
    """jaeeewon's ``infer.endswith("</s>")`` on the raw output: no whitespace allowed after the marker,
    case-sensitive (``dist_eval/eval_er.py``, ``eval_mc.py``; ``eval_ke.py`` lower-cases first)."""
    return text.endswith(eos)


def remove_final_eos(text: str, eos: str = EOS) -> str:
    """jaeeewon's ``if infer.endswith("</s>"): infer = infer[:-4].strip()``: other text is left as it is
    (not even stripped)."""
    return text[: -len(eos)].strip() if text.endswith(eos) else text


def strip_trailing_eos(text: str, eos: str = EOS) -> str:
    """Remove one trailing ``</s>`` (if present) and strip surrounding whitespace."""
    text = text.strip()
    if text.endswith(eos):
        text = text[: -len(eos)]
    return text.strip()


# --- Qwen-Audio / Qwen2-Audio (eval_audio/evaluate_asr.py::remove_sp) ------------------------------------

QWEN_PUNCS = "!,.?;:"
_QWEN_SPECIAL_TAG = re.compile(r"<\|.*?\|>")
_WHITESPACE_RUN = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(f" ?([{re.escape(QWEN_PUNCS)}])")


def remove_sp(text: str, language: str) -> str:
    """Qwen ``remove_sp``: ``<|...|>`` tags → space, collapse whitespace, delete one space before
    ``! , . ? ; :``, left-strip spaces; for ``zh`` delete all whitespace (protocols.md §2.4 step 1)."""
    text = _QWEN_SPECIAL_TAG.sub(" ", text)
    text = _WHITESPACE_RUN.sub(" ", text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = text.lstrip(" ")
    if language == "zh":
        text = _WHITESPACE_RUN.sub("", text)
    return text


# --- nota-github/audiolm-evaluator (evaluate_salmonn.py) ---------------------------------------------

#: Llama-3's end-of-text token, nota's configured ``end_sym`` (salmonn_eval_config.yaml)
NOTA_END_SYM = "<|end_of_text|>"


def cut_at_end_symbol(text: str, end_sym: str = NOTA_END_SYM) -> str:
    """Keep the text before the first ``end_sym`` (the whole text when it is absent)."""
    return text.split(end_sym, 1)[0]


# --- jaeeewon/project-multimodal dist_eval/_eval_wer_postprocess.py (ASR-JW-STRICT) -------------------

STRICT_CATEGORIES = ("no_eos", "garbage_prefix_v1", "garbage_prefix_v4", "speech_tagged", "sorry_rejected",
                     "garbage_prefix_v2", "garbage_prefix_v3", "too_long", "valid", "invalid")
_PREFIX_V1 = "The transcription of the given speech is:"
_PREFIX_V4 = "The transcription of the speech is:"


def _after_prefix(text: str, prefix: str) -> str:
    return text[len(prefix):].strip().split("\n")[0]


def classify_strict(hypothesis: str, reference: str) -> tuple[str, str]:
    """ASR-JW-STRICT: the first matching rule's category and the (possibly rewritten) hypothesis.

    Rules in order (protocols.md §2.2): no EOS; the two garbage prefixes (prefix dropped, first line
    kept); ``<Speech>…</Speech>``; ``I'm sorry``; ``: "…"``; ``is "…"`` (up to the *last* quote);
    more than 10 characters longer/shorter than the reference; ends with ``</s>`` → valid.
    """
    text = hypothesis
    if not (text.endswith(BOS) or text.endswith(EOS)):
        return "no_eos", text
    if text.startswith(_PREFIX_V1):
        return "garbage_prefix_v1", _after_prefix(text, _PREFIX_V1)
    if text.startswith(_PREFIX_V4):
        return "garbage_prefix_v4", _after_prefix(text, _PREFIX_V4)
    if "<Speech>" in text and "</Speech>" in text:
        start = text.index("<Speech>") + len("<Speech>")
        end = text.find("</Speech>", start)
        if end != -1:
            return "speech_tagged", text[start:end].strip()
    if text.startswith("I'm sorry"):
        return "sorry_rejected", text
    if ': "' in text:
        start = text.index(': "') + len(': "')
        end = text.find('"', start)
        return "garbage_prefix_v2", text[start:end] if end != -1 else text[start:]
    if 'is "' in text:
        start = text.index('is "') + len('is "')
        end = text.rfind('"')
        return "garbage_prefix_v3", text[start:end] if end >= start else text[start:]
    if abs(len(reference) - len(text)) > 10:
        return "too_long", text
    if text.endswith(EOS):
        return "valid", text
    return "invalid", text


# --- nicolaus625/CMI-bench evaluate.py::compute_wer_cer (ASR-CMI) --------------------------------------

CMI_PREFIX_PATTERNS = (r".*? lyrics .*?are.*?:", r".*? content .*?is.*?:", r".*? transcription .*?is.*?:",
                       r".*? text .*?is.*?:")
#: the same patterns as (keyword, then word, then ":") triples, for :func:`delete_prefix_matches`
_CMI_PREFIXES = ((" lyrics ", "are"), (" content ", "is"), (" transcription ", "is"), (" text ", "is"))


def delete_prefix_matches(text: str, keyword: str, word: str) -> str:
    """``re.sub(r".*?" + keyword + r".*?" + word + r".*?:", "", text)`` in linear time.

    The regex costs O(L²) on a line without a match (each start position scans to the line end: a
    200,000-character runaway output took 1,108 s). Its matches are simple to state: ``.`` stops at a
    newline, and a lazy ``.*?`` prefix can start anywhere, so from a search position the regex matches
    iff the rest of that line holds ``keyword``, then ``word``, then ``:`` (each first occurrence after
    the previous one); the match runs from the search position to that colon. If it does not match
    there, it matches nowhere else on the line. So: per line, three ``str.find`` calls per match.
    The property tests compare this with the regex on random texts.
    """
    pieces: list[str] = []
    position, length = 0, len(text)
    while position < length:
        line_end = text.find("\n", position)
        line_end = length if line_end == -1 else line_end
        first = text.find(keyword, position, line_end)
        second = text.find(word, first + len(keyword), line_end) if first != -1 else -1
        colon = text.find(":", second + len(word), line_end) if second != -1 else -1
        if colon == -1:  # no match from here to the end of the line: keep the line (and its newline)
            pieces.append(text[position:line_end + 1])
            position = line_end + 1
        else:  # the match [position, colon] is deleted; the search goes on after it
            position = colon + 1
    return "".join(pieces)


def strip_cmi_prefixes(prediction: str) -> str:
    """Delete CMI-bench's answer-prefix regex matches (then ``<s>``, ``</s>``), stripping after each."""
    for keyword, word in _CMI_PREFIXES:
        prediction = delete_prefix_matches(prediction, keyword, word).strip()
    for tag in (BOS, EOS):
        prediction = prediction.replace(tag, "").strip()
    return prediction
