"""AudioBench raw evaluation logs (AudioLLMs/AudioBench ``log/<model>/<dataset>.json``).

A raw log is a JSON list, one object per test item, in dataset order, with ``text`` (the
instruction paraphrase used), ``answer`` (reference), ``model_prediction`` (raw model output) and
optionally ``task_type``. Items have no ids; AudioBench keeps the same order across models, so the
index is the id.
"""

from __future__ import annotations

from pathlib import Path

from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import read_json, require_list, require_record, require_str

RAW_LOG_FIELDS = ("text", "answer", "model_prediction")


def looks_like_raw_log(data: object) -> bool:
    return (isinstance(data, list) and bool(data) and isinstance(data[0], dict)
            and all(field in data[0] for field in RAW_LOG_FIELDS))


def load_raw_log(path: str | Path, *, data: object = None) -> PredictionSet:
    """Read an AudioBench raw log into a ``PredictionSet`` (id = item index)."""
    path = Path(path)
    records = require_list(path, read_json(path) if data is None else data)
    items = []
    for index, record in enumerate(records):
        record = require_record(path, record, index)
        prompt = require_str(path, record, "text", index)
        answer = require_str(path, record, "answer", index)
        prediction = require_str(path, record, "model_prediction", index)
        metadata = {"task_type": record.get("task_type"), "index": index}
        items.append(PredictionItem(id=str(index), prediction=prediction, references=(answer,),
                                    prompt=prompt, metadata=metadata))
    return PredictionSet(name=path.stem, source=str(path), items=tuple(items),
                         metadata={"format": "audiobench-raw"})
