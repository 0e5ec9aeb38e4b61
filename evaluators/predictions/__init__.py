"""Prediction sets and the importers that read published formats into them.

``load_predictions(path, fmt=None, **options)`` picks the importer by name, or detects it from the
file's content. Importers register themselves in ``FORMATS`` below; each one either returns a whole
``PredictionSet`` or raises ``PredictionFormatError`` naming file, item and field.

Every format has a ``kind``:

* ``predictions`` — model outputs with their references: ``load_predictions`` returns a ``PredictionSet``;
* ``references`` — a benchmark's questions and answers without outputs (MMAU answer key, SAKURA
  metadata): ``load_references`` returns the format's own reference object, which predictions are
  joined to (``load_predictions(..., answer_key=...)`` / ``metadata=...``);
* ``aggregate`` — a stored number without per-item data (AudioBench ``*_bleu_score.json``):
  ``read_aggregate_score`` returns it; it can never be recomputed.

``load_predictions`` refuses the last two with a message that says which function to use, so a file
of references is never scored as if it held predictions. Detection is strict: exactly one format
must recognise a file, otherwise the error lists the candidates.

Formats are registered by name with ``"module:function"`` references: a format's module
(``audiobench.py``, ``sakura.py``, ...) is imported when its sniffer or loader first runs, so naming
the formats (``--format`` help) imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluators.errors import PredictionFormatError
from evaluators.lazy import LazyFunction
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import parse_json, read_text
from evaluators.predictions.text_pairs import STRUCTURED_SUFFIXES, TextSample

KINDS = ("predictions", "references", "aggregate")


@dataclass(frozen=True)
class Format:
    """A prediction-file format: a name, a content sniffer and a loader (and what kind of data it holds)."""

    name: str
    description: str
    detect: Callable[[Any], bool]
    load: Callable[..., Any]
    kind: str = "predictions"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"format {self.name!r}: kind must be one of {KINDS}, got {self.kind!r}")


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> Format:
    """Add a format; a name registered twice is a programming error (as for protocols)."""
    if fmt.name in FORMATS and FORMATS[fmt.name] is not fmt:
        raise ValueError(f"prediction format {fmt.name!r} registered twice")
    FORMATS[fmt.name] = fmt
    return fmt


def _lazy(module: str, function: str) -> LazyFunction:
    return LazyFunction(f"{__name__}.{module}:{function}")


@dataclass(frozen=True)
class JsonLinesSample:
    """What detection sees of a JSON Lines file: its first record (the file is not one JSON document)."""

    first: Any


def _generic_detect(data: Any) -> bool:
    from evaluators.predictions import generic

    if isinstance(data, JsonLinesSample):
        return generic.looks_like_record(data.first)
    return generic.looks_like_record(data)  # a one-line JSONL file is also a single JSON object


def _generic_load(path: Path, *, data: Any = None, **options: Any) -> PredictionSet:
    from evaluators.predictions import generic

    # detection's sample is not the whole file: the loader re-reads it line by line (line numbers in errors)
    if isinstance(data, (JsonLinesSample, dict)):
        data = None
    return generic.load_generic_jsonl(path, data=data, **options)


def _cmi_detect(data: Any) -> bool:
    from evaluators.predictions import cmi_bench

    if isinstance(data, JsonLinesSample):
        return cmi_bench.looks_like_results([data.first])
    return cmi_bench.looks_like_results(data)


def _cmi_load(path: Path, *, data: Any = None, **options: Any) -> PredictionSet:
    from evaluators.predictions import cmi_bench

    return cmi_bench.load_cmi_bench(path, data=None if isinstance(data, JsonLinesSample) else data, **options)


register_format(Format("audiobench-raw", "AudioBench raw log: JSON list of {text, answer, model_prediction}",
                       _lazy("audiobench", "looks_like_raw_log"), _lazy("audiobench", "load_raw_log")))
register_format(Format("audiobench-score", "AudioBench *_wer_score.json: {wer, sample_wer: [{reference, "
                       "prediction, wer}]} (texts after AudioBench's normaliser)",
                       _lazy("audiobench", "looks_like_score_file"), _lazy("audiobench", "load_score_file")))
register_format(Format("audiobench-aggregate", "AudioBench aggregate-only score file, e.g. {\"bleu\": 33.9}",
                       _lazy("audiobench", "looks_like_aggregate"), _lazy("audiobench", "read_aggregate_score"),
                       kind="aggregate"))
register_format(Format("mmau", "MMAU result list: JSON list of MMAU items with model_prediction/model_output",
                       _lazy("mmau", "looks_like_results"), _lazy("mmau", "load_mmau")))
register_format(Format("mmau-answer-key", "MMAU answer key (mmau-test-mini.json): items without model outputs",
                       _lazy("mmau", "looks_like_answer_key"), _lazy("mmau", "load_answer_key"), kind="references"))
register_format(Format("cmi-bench", "CMI-Bench results: JSON list (or JSONL) of {question, response, "
                       "correct_answer, audioid, other}", _cmi_detect, _cmi_load))
register_format(Format("sakura-metadata", "SAKURA data/<Track>/metadata.json: questions and answers per audio",
                       _lazy("sakura", "looks_like_metadata"), _lazy("sakura", "load_metadata"), kind="references"))
register_format(Format("sakura-predictions", "SAKURA prediction file: {attribute, type, results: {key: "
                       "{instruction, response, label}}}",
                       _lazy("sakura", "looks_like_predictions"), _lazy("sakura", "load_prediction_file")))
register_format(Format("sakura-judgements", "SAKURA llm_judge.py output: {judge_model, ..., results: {key: "
                       "{Explanation, Judgement, instruction, response, label}}}",
                       _lazy("sakura", "looks_like_judgements"), _lazy("sakura", "load_judgements")))
register_format(Format("qwen2-audio-eval", "Qwen2-Audio eval_audio results: JSON list of {gt, response, source, "
                       "audio_path}", _lazy("qwen_eval", "looks_like_results"), _lazy("qwen_eval", "load_qwen_eval")))
register_format(Format("text-lines", "plain text: hyp.txt and ref.txt (references=), one item per line",
                       _lazy("text_pairs", "looks_like_lines"), _lazy("text_pairs", "load_lines")))
register_format(Format("kaldi-text", "Kaldi text files: '<utt-id> <text>' per line, hypotheses joined by id to the "
                       "references= file", _lazy("text_pairs", "looks_like_kaldi"), _lazy("text_pairs", "load_kaldi")))
register_format(Format("csv", "CSV/TSV with a header: id, prediction, reference|references, prompt?, metadata "
                       "columns", _lazy("table", "looks_like_table"), _lazy("table", "load_table")))
register_format(Format("generic-jsonl", "generic JSON Lines: {id, prediction, reference|references, prompt?, "
                       "metadata?} per line (docs/prediction-format.md)", _generic_detect, _generic_load))

_USE_INSTEAD = {
    "references": "it holds references without model outputs; use load_references() and join predictions to it",
    "aggregate": "it holds only a stored aggregate, no per-item data; use "
                 "evaluators.predictions.audiobench.read_aggregate_score()",
}


def sniff(path: str | Path) -> Any:
    """What detection looks at: the parsed JSON document, a ``JsonLinesSample`` for JSON Lines, or a
    ``TextSample`` for a file that is not JSON and not named ``.json``/``.jsonl`` (text pairs, Kaldi, CSV/TSV)."""
    path = Path(path)
    text = read_text(path)
    if path.suffix.lower() in (".csv", ".tsv"):
        return TextSample(path, text)
    try:
        return parse_json(path, text)
    except PredictionFormatError:
        first = _first_line_object(path, text)
        if first is not None:
            return JsonLinesSample(first)
        if path.suffix.lower() in STRUCTURED_SUFFIXES:
            raise
        return TextSample(path, text)


def _first_line_object(path: Path, text: str) -> dict[str, Any] | None:
    """The first non-blank line as a JSON object, if the text has several lines and it is one.

    A first line that is JSON but not acceptable (a lone surrogate, deep nesting) raises its own error:
    it says more than the whole file's "extra data"."""
    lines = [line for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return None
    try:
        first = parse_json(path, lines[0], item="line 1")
    except PredictionFormatError as error:
        if "malformed JSON" in str(error) or "empty" in str(error):
            return None
        raise
    return first if isinstance(first, dict) else None


def detect_format(path: str | Path, data: Any = None) -> Format:
    """The one format that recognises the file; none or several raise ``PredictionFormatError``."""
    path = Path(path)
    data = sniff(path) if data is None else data
    matches = [fmt for fmt in FORMATS.values() if fmt.detect(data)]
    if not matches:
        known = ", ".join(sorted(FORMATS))
        raise PredictionFormatError(path, "format not recognised (fields missing or unexpected); name it with fmt= "
                                          f"(CLI: --format) to see which field is wrong, one of: {known}")
    if len(matches) > 1:
        raise PredictionFormatError(path, "format is ambiguous (" + ", ".join(f.name for f in matches)
                                    + "); name it with fmt= (CLI: --format)")
    return matches[0]


def _named(path: Path, fmt: str) -> Format:
    if fmt not in FORMATS:
        raise PredictionFormatError(path, f"unknown format {fmt!r}; known: {', '.join(sorted(FORMATS))}")
    return FORMATS[fmt]


def load_predictions(path: str | Path, fmt: str | None = None, **options: Any) -> PredictionSet:
    """Load a prediction file with the named format, or detect the format from its content."""
    path = Path(path)
    if fmt is not None:
        chosen, data = _named(path, fmt), None
    else:
        data = sniff(path)
        chosen = detect_format(path, data)
    if chosen.kind != "predictions":
        raise PredictionFormatError(path, f"this is a {chosen.name} file, not predictions: {_USE_INSTEAD[chosen.kind]}")
    if data is None or isinstance(data, TextSample):
        loaded = chosen.load(path, **options)
    else:
        loaded = chosen.load(path, data=data, **options)
    if not len(loaded):
        raise PredictionFormatError(path, "no items: an empty prediction set has no score")
    return loaded


def load_references(path: str | Path, fmt: str | None = None, **options: Any) -> Any:
    """Load a reference-only file (MMAU answer key, SAKURA metadata) into its format's reference object."""
    path = Path(path)
    chosen = _named(path, fmt) if fmt is not None else detect_format(path)
    if chosen.kind != "references":
        raise PredictionFormatError(path, f"this is a {chosen.name} file ({chosen.kind}), not references")
    return chosen.load(path, **options)


__all__ = ["FORMATS", "Format", "JsonLinesSample", "TextSample", "PredictionItem", "PredictionSet", "detect_format",
           "load_predictions", "load_references", "register_format", "sniff"]
