"""The generic JSON Lines format (``generic-jsonl``) for users' own runs and ``audiorepro infer``.

One JSON object per line (blank lines ignored), fields:

* ``id`` (required): a non-empty string or an integer, unique in the file;
* ``prediction`` (required): the raw model output, a string (``null`` or ``""`` is an empty output,
  kept and counted in the set metadata as ``empty_predictions``);
* ``reference`` (a string) **or** ``references`` (a list of strings), exactly one of them; an empty
  ``references: []`` says the item has no reference yet (``audiorepro infer`` without references
  writes it, and reads it back); protocols that need a reference skip such items;
* ``prompt`` (optional): the instruction given to the model, a string or ``null``;
* ``metadata`` (optional): an object with anything else (task, audio path, choices...).

Any other top-level field is an error (put it under ``metadata``), so a typo such as ``refrence``
fails loudly instead of dropping the reference. The full description, with an example, is in
``docs/prediction-format.md``. :func:`write_generic_jsonl` writes this format atomically.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from evaluators.errors import PredictionFormatError
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import (
    MAX_FIELD_CHARS,
    count_empty,
    read_jsonl_numbered,
    require_id,
    require_record,
    require_str,
)

FIELDS = ("id", "prediction", "reference", "references", "prompt", "metadata")


def looks_like_record(record: object) -> bool:
    """A first line of a generic JSONL file: an object with ``id``, ``prediction`` and a reference field."""
    return (isinstance(record, dict) and "id" in record and "prediction" in record
            and ("reference" in record or "references" in record) and set(record) <= set(FIELDS))


def _references(path: Path, record: Mapping[str, Any], item: object) -> tuple[str, ...]:
    has_one, has_many = "reference" in record, "references" in record
    if has_one and has_many:
        raise PredictionFormatError(path, "give either 'reference' or 'references', not both", item=item,
                                    field="references")
    if has_one:
        return (require_str(path, record, "reference", item),)
    if not has_many:
        raise PredictionFormatError(path, "missing field ('reference' or 'references')", item=item,
                                    field="reference")
    values = record["references"]
    if not isinstance(values, list):
        raise PredictionFormatError(path, "expected a list of strings", item=item, field="references")
    for position, value in enumerate(values):
        if not isinstance(value, str):
            raise PredictionFormatError(path, f"reference {position} is a {type(value).__name__}, not a string",
                                        item=item, field="references")
        if len(value) > MAX_FIELD_CHARS:
            raise PredictionFormatError(path, f"reference {position} has {len(value)} characters, above the "
                                              f"{MAX_FIELD_CHARS} limit", item=item, field="references")
    return tuple(values)


def load_generic_jsonl(path: str | Path, *, data: object = None, name: str | None = None) -> PredictionSet:
    """Read a generic JSONL prediction file. Errors name the line (``item line N``) and the field."""
    path = Path(path)
    if data is None:
        numbered = read_jsonl_numbered(path)
    elif isinstance(data, list):
        numbered = list(enumerate(data, start=1))
    else:
        raise PredictionFormatError(path, f"expected JSON Lines records, got {type(data).__name__}")
    items = []
    seen: dict[str, int] = {}
    for line, record in numbered:
        where = f"line {line}"
        record = require_record(path, record, where)
        unknown = sorted(set(record) - set(FIELDS))
        if unknown:
            raise PredictionFormatError(path, f"unknown field(s) {', '.join(map(repr, unknown))}; known: "
                                              f"{', '.join(FIELDS)} (put extra information under 'metadata')",
                                        item=where, field=unknown[0])
        item_id = require_id(path, record, "id", where)
        if item_id in seen:
            raise PredictionFormatError(path, f"duplicate id {item_id!r} (first on line {seen[item_id]})",
                                        item=where, field="id")
        seen[item_id] = line
        prediction = require_str(path, record, "prediction", where, allow_none=True)
        references = _references(path, record, where)
        prompt = require_str(path, record, "prompt", where) if record.get("prompt") is not None else None
        metadata = record.get("metadata")
        metadata = {} if metadata is None else metadata  # [] "" 0 are errors, not "no metadata"
        if not isinstance(metadata, Mapping):
            raise PredictionFormatError(path, f"expected an object, got {type(metadata).__name__}", item=where,
                                        field="metadata")
        items.append(PredictionItem(id=item_id, prediction=prediction, references=references, prompt=prompt,
                                    metadata=metadata))
    if not items:
        raise PredictionFormatError(path, "no records (the file is empty)")
    return PredictionSet(name=name or path.stem, source=str(path), items=tuple(items),
                         metadata={"format": "generic-jsonl",
                                   "empty_predictions": count_empty(item.prediction for item in items)})


def item_record(item: PredictionItem) -> dict[str, Any]:
    """The generic JSONL record of one item (``reference`` when it has exactly one)."""
    record: dict[str, Any] = {"id": item.id, "prediction": item.prediction}
    if len(item.references) == 1:
        record["reference"] = item.references[0]
    else:
        record["references"] = list(item.references)
    if item.prompt is not None:
        record["prompt"] = item.prompt
    metadata = {key: (list(value) if isinstance(value, tuple) else value) for key, value in item.metadata.items()}
    if metadata:
        record["metadata"] = metadata
    return record


def write_generic_jsonl(items: Iterable[PredictionItem] | PredictionSet, path: str | Path) -> Path:
    """Write items as generic JSONL via a temp file + rename: the file is complete or absent."""
    import tempfile  # (imports random: not paid by the readers, which every format detection loads)

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".part", delete=False)
    temp = Path(handle.name)
    try:
        with handle:
            for item in items:
                handle.write(json.dumps(item_record(item), ensure_ascii=False) + "\n")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return path
