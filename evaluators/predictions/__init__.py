"""Prediction sets and the importers that read published formats into them.

``load_predictions(path, fmt=None)`` picks the importer by name, or detects it from the file's
content. Importers register themselves in ``FORMATS`` below; each one either returns a whole
``PredictionSet`` or raises ``PredictionFormatError`` naming file, item and field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluators.errors import PredictionFormatError
from evaluators.predictions import audiobench
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import read_json


@dataclass(frozen=True)
class Format:
    """A prediction-file format: a name, a content sniffer and a loader."""

    name: str
    description: str
    detect: Callable[[Any], bool]
    load: Callable[..., PredictionSet]


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


register_format(Format("audiobench-raw", "AudioBench raw log: list of {text, answer, model_prediction}",
                       audiobench.looks_like_raw_log, audiobench.load_raw_log))


def load_predictions(path: str | Path, fmt: str | None = None, **options: Any) -> PredictionSet:
    """Load a prediction file with the named format, or detect the format from its content."""
    path = Path(path)
    if fmt is not None:
        if fmt not in FORMATS:
            raise PredictionFormatError(path, f"unknown format {fmt!r}; known: {', '.join(sorted(FORMATS))}")
        return FORMATS[fmt].load(path, **options)
    if path.suffix == ".jsonl":
        data: Any = None
    else:
        data = read_json(path)
    for candidate in FORMATS.values():
        if data is not None and candidate.detect(data):
            return candidate.load(path, data=data, **options)
    raise PredictionFormatError(path, "format not recognised; pass one of: " + ", ".join(sorted(FORMATS)))


__all__ = ["FORMATS", "Format", "PredictionItem", "PredictionSet", "load_predictions", "register_format"]
