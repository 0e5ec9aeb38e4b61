"""Overlapped speech recognition (LibriMix, 2 speakers): OSR-JW and OSR-CPWER (protocols.md §5).

* ``OSR-JW`` reproduces jaeeewon/project-multimodal ``dist_eval/eval_osr.py`` (SALMONN-13B on
  Libri2Mix test, 22.1 % over 2683/3000 mixtures): skip outputs that do not end in ``</s>``
  (``missed_eos``); drop the marker; strip ``.`` from both ends and split on ``.``; skip unless
  exactly two segments (``not_two_segments``); normalise each segment (uppercase, keep ``A–Z``,
  apostrophe and space, collapse whitespace); pair the segments with the two references under the
  minimum total edit distance (tie keeps order); corpus WER over all kept pairs. References are used
  as given (uppercase LibriSpeech transcripts; jiwer's default transform only splits words).
* ``OSR-CPWER`` scores the same outputs with fgnt/meeteval ``meeteval/wer/wer/cp.py::cp_word_error_rate``
  (cpWER, Hungarian speaker assignment) and **no skip**: a one-segment output is one stream (the
  missing speaker's words are deletions), three segments are three streams (the extra one is
  inserted). No public SALMONN code says how free text becomes speaker streams, so the segmentation
  is a parameter: ``period`` (OSR-JW's split, the default), ``line`` (one stream per line) or
  ``single`` (the whole output is one stream). Streams that are empty after normalisation are
  dropped: they hold no words, so errors are unchanged, and outputs like ``A. . B.`` stay under
  meeteval's 20-stream limit; an output that still has more than 20 streams is skipped as
  ``more_than_20_streams`` (meeteval refuses it) and counted.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from evaluators.errors import ItemInputError
from evaluators.metrics.osr import MEETEVAL_MAX_STREAMS, CpWER, PairedStreamWER, join_streams, split_streams
from evaluators.protocols.base import Prepared, Protocol, Source, Step
from evaluators.protocols.registry import register
from evaluators.text.cleanup import EOS

JW_OSR = Source("jaeeewon/project-multimodal", "dist_eval/eval_osr.py", "d9e5d172c6cfd426ce1a85f989ecb2a968c5d733",
                note="scoring of SALMONN LibriMix outputs (Libri2Mix wav16k/max test mix_clean, 3000 mixtures)")
JW_LIBRIMIX = Source("jaeeewon/project-multimodal", "dist_eval/librimix.py", "d9e5d172c6cfd426ce1a85f989ecb2a968c5d733",
                     note="references: the two LibriSpeech transcripts of the mixture's source utterances")
MEETEVAL_CP = Source("fgnt/meeteval", "meeteval/wer/wer/cp.py::cp_word_error_rate",
                     "badcd3c7cf82f98d2ac1f292801fbe6e9093ee2f",
                     note="v0.4.3 (our pin): cpWER, called through the installed meeteval package")

_NOT_SPEECH = re.compile(r"[^A-Z' ]")
SEGMENTATIONS = ("period", "line", "single")


def ends_with_eos_exactly(text: str) -> bool:
    """jaeeewon's test ``infer.endswith("</s>")`` (no whitespace allowed after the marker)."""
    return text.endswith(EOS)


def remove_final_eos(text: str) -> str:
    """jaeeewon's ``infer[:-4].strip()`` when the output ends with ``</s>``; other text unchanged."""
    return text[: -len(EOS)].strip() if text.endswith(EOS) else text


def period_segments(text: str) -> list[str]:
    """OSR-JW's speaker split: strip ``.`` from both ends, split on every ``.`` (``?``/``!`` do not split)."""
    return text.strip(".").split(".")


def line_segments(text: str) -> list[str]:
    return text.splitlines() or [""]


def single_segment(text: str) -> list[str]:
    return [text]


SEGMENTERS: dict[str, Callable[[str], list[str]]] = {
    "period": period_segments, "line": line_segments, "single": single_segment}


def normalize_segment(text: str) -> str:
    """OSR-JW normaliser: uppercase, delete every char that is not ``A–Z``, apostrophe or space, collapse spaces."""
    return " ".join(_NOT_SPEECH.sub("", text.upper()).split())


def require_references(count: int) -> Callable[[Prepared], Prepared]:
    """An item step that rejects items without exactly ``count`` speaker references, naming the item."""

    def check(prepared: Prepared) -> Prepared:
        if len(prepared.references) != count:
            raise ItemInputError(f"overlapped speech needs {count} speaker references, got {len(prepared.references)}",
                                 field="references")
        return prepared

    return check


def _skip_missed_eos(prepared: Prepared) -> str | None:
    return None if ends_with_eos_exactly(prepared.hypothesis) else "missed_eos"


def _skip_not_two_segments(prepared: Prepared) -> str | None:
    return None if len(period_segments(prepared.hypothesis)) == 2 else "not_two_segments"


def _jw_streams(text: str) -> str:
    return join_streams(normalize_segment(segment) for segment in period_segments(text))


def make_osr_jw() -> Protocol:
    """``OSR-JW`` (§5.1)."""
    return Protocol(
        id="OSR-JW", family="osr",
        title="LibriMix 2-speaker WER as in jaeeewon/project-multimodal dist_eval/eval_osr.py: EOS skip, "
              "period split, exactly-two-segments skip, min-permutation pairing, corpus WER",
        sources=(JW_OSR, JW_LIBRIMIX),
        steps=(
            Step("two-references", "item", require_references(2), "each mixture has its two speakers' transcripts"),
            Step("skip-missed-eos", "skip", _skip_missed_eos, "skip outputs that do not end with </s>"),
            Step("remove-eos", "hyp", remove_final_eos, "drop the final </s> and strip"),
            Step("skip-not-two-segments", "skip", _skip_not_two_segments,
                 "strip '.' at both ends, split on '.'; skip unless exactly 2 segments"),
            Step("split-normalize", "hyp", _jw_streams,
                 "one stream per segment: uppercase, keep A-Z, apostrophe and space, collapse whitespace"),
        ),
        metric=PairedStreamWER(), aggregation="corpus",
        params={"eos": "skip-missed", "split": "period", "segments": "exactly-2", "norm": "upper-az-apostrophe",
                "refs": "as-given"},
        libraries=(), spec="protocols.md §5.1")


def _cpwer_streams(segmentation: str) -> Callable[[str], str]:
    segmenter = SEGMENTERS[segmentation]

    def streams(text: str) -> str:
        normalised = [normalize_segment(segment) for segment in segmenter(text)]
        return join_streams([stream for stream in normalised if stream] or [""])

    return streams


def _skip_too_many_streams(prepared: Prepared) -> str | None:
    too_many = len(split_streams(prepared.hypothesis)) > MEETEVAL_MAX_STREAMS
    return "more_than_20_streams" if too_many else None


def make_osr_cpwer(segmentation: str = "period", protocol_id: str | None = None) -> Protocol:
    """``OSR-CPWER`` (§5.2) with the given free-text → speaker-stream segmentation."""
    if segmentation not in SEGMENTERS:
        raise ValueError(f"unknown segmentation {segmentation!r}; expected one of {SEGMENTATIONS}")
    return Protocol(
        id=protocol_id or ("OSR-CPWER" if segmentation == "period" else f"OSR-CPWER/{segmentation}"),
        family="osr",
        title=f"LibriMix 2-speaker cpWER (fgnt/meeteval meeteval/wer/wer/cp.py) of SALMONN outputs split into "
              f"speaker streams by {segmentation!r}, OSR-JW normalisation, no skips",
        sources=(MEETEVAL_CP, JW_OSR, JW_LIBRIMIX),
        steps=(
            Step("remove-eos", "hyp", remove_final_eos, "drop a final </s> (outputs without it are kept)"),
            Step("split-normalize", "hyp", _cpwer_streams(segmentation),
                 f"{segmentation} segmentation; OSR-JW normalisation; drop empty streams"),
            Step("skip-too-many-streams", "skip", _skip_too_many_streams,
                 "meeteval refuses more than 20 streams; such outputs are counted as skipped"),
        ),
        metric=CpWER(), aggregation="corpus",
        params={"eos": "remove", "split": segmentation, "norm": "upper-az-apostrophe", "empty_streams": "dropped",
                "refs": "as-given"},
        libraries=("meeteval",), spec="protocols.md §5.2")


OSR_JW = register(make_osr_jw())
OSR_CPWER = register(make_osr_cpwer("period"))
OSR_CPWER_LINE = register(make_osr_cpwer("line"))
OSR_CPWER_SINGLE = register(make_osr_cpwer("single"))
