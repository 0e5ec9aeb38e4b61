"""CMI-Bench result lists (nicolaus625/CMI-bench ``model/results/<model>/<model>_<task>.jsonl``).

Despite the ``.jsonl`` name, each published file holds **one pretty-printed JSON list**; real JSON
Lines (one object per line) are read too. Each item has ``question`` (the prompt), ``response`` (the
raw model output; SALMONN's keep ``<s>``/``</s>``, clean-up is a protocol step), ``correct_answer``
(the reference; a number such as an EMO valence is stored as a string), ``audioid`` (the audio path)
and ``other`` (free-form, usually empty).

**Ids and duplicates.** The id is the ``audioid``. Several tasks legitimately ask more than one
question about the same audio (DSing: one song file, several lyric lines; SDD: several captions per
track), so with ``duplicates="number"`` (default) the second and later occurrences of an audioid get
``#2``, ``#3``… appended, in file order; the files keep the same order across models, so the ids line
up between models. The set metadata counts them (``duplicate_audioids``: occurrences beyond the
first). ``duplicates="error"`` refuses any repeated audioid instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from evaluators.errors import PredictionFormatError
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import (
    count_empty,
    read_json,
    read_jsonl,
    read_text,
    require_list,
    require_record,
    require_str,
)

FIELDS = ("question", "response", "correct_answer", "audioid")
DUPLICATE_POLICIES = ("number", "error")
_NAME = re.compile(r"^(?P<model>[A-Za-z0-9.\-]+?)_(?P<task>.+)$")


def looks_like_results(data: object) -> bool:
    return (isinstance(data, list) and bool(data) and isinstance(data[0], dict)
            and all(name in data[0] for name in FIELDS))


def _read_records(path: Path) -> list[Any]:
    """The item list: a JSON list, or JSON Lines when the file is not one JSON document."""
    text = read_text(path)
    if text.lstrip().startswith("["):
        return require_list(path, read_json(path))
    return read_jsonl(path)


def load_cmi_bench(path: str | Path, *, data: object = None, duplicates: str = "number",
                   model: str | None = None, task: str | None = None) -> PredictionSet:
    """Read a CMI-Bench result file. ``model``/``task`` default to the ``<model>_<task>`` file name."""
    if duplicates not in DUPLICATE_POLICIES:
        raise ValueError(f"duplicates must be one of {DUPLICATE_POLICIES}, got {duplicates!r}")
    path = Path(path)
    records = require_list(path, data) if data is not None else _read_records(path)
    seen: dict[str, int] = {}
    first_index: dict[str, int] = {}
    items = []
    for index, record in enumerate(records):
        record = require_record(path, record, index)
        question = require_str(path, record, "question", index)
        response = require_str(path, record, "response", index, allow_none=True)
        answer = require_str(path, record, "correct_answer", index)
        audioid = require_str(path, record, "audioid", index, allow_empty=False)
        occurrence = seen.get(audioid, 0) + 1
        seen[audioid] = occurrence
        if occurrence > 1 and duplicates == "error":
            raise PredictionFormatError(path, f"duplicate audioid {audioid!r} (first at index {first_index[audioid]}); "
                                              "pass duplicates='number' to number repeats",
                                        item=index, field="audioid")
        first_index.setdefault(audioid, index)
        item_id = audioid if occurrence == 1 else f"{audioid}#{occurrence}"
        metadata = {"audioid": audioid, "occurrence": occurrence, "other": record.get("other"), "index": index}
        items.append(PredictionItem(id=item_id, prediction=response, references=(answer,), prompt=question,
                                    metadata=metadata))
    match = _NAME.match(path.stem)
    set_metadata = {
        "format": "cmi-bench",
        "model": model if model is not None else (match["model"] if match else None),
        "task": task if task is not None else (match["task"] if match else None),
        "duplicate_audioids": sum(count - 1 for count in seen.values()),
        "empty_predictions": count_empty(item.prediction for item in items),
    }
    return PredictionSet(name=path.stem, source=str(path), items=tuple(items), metadata=set_metadata)
