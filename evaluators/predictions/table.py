"""CSV and TSV runs (``csv``): one row per item with ``id``, ``prediction`` and ``reference`` columns.

The first row is the header. Required columns: ``id``, ``prediction``, and ``reference`` or ``references``
(several references joined by `` ||| `` in one cell); an optional ``prompt`` column is the instruction. Every
other column is kept as item metadata under its header name (``source``, ``target_language``, ``choices``...,
see docs/prediction-format.md). ``.csv`` files are comma-separated, ``.tsv`` files tab-separated, read with
Python's ``csv`` module (quoted cells may hold the delimiter and newlines).

Detection is strict: a ``.csv``/``.tsv`` file whose header holds ``id``, ``prediction`` and a reference
column. Errors name the file, the row (its line in the file) and the column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from evaluators.errors import PredictionFormatError
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import MAX_FIELD_CHARS, count_empty, read_text
from evaluators.predictions.text_pairs import TextSample

DELIMITERS = {".csv": ",", ".tsv": "\t"}
#: separator of several references in one ``references`` cell
REFERENCE_SEPARATOR = " ||| "


def _header(sample: TextSample) -> list[str] | None:
    delimiter = DELIMITERS.get(sample.path.suffix.lower())
    if delimiter is None:
        return None
    first = next(csv.reader(io.StringIO(sample.text), delimiter=delimiter), None)
    return [name.strip() for name in first] if first else None


def looks_like_table(sample: object) -> bool:
    if not isinstance(sample, TextSample):
        return False
    header = _header(sample)
    return bool(header) and {"id", "prediction"} <= set(header) and bool({"reference", "references"} & set(header))


def load_table(path: str | Path, *, data: object = None) -> PredictionSet:
    """Read a CSV/TSV run (module docstring)."""
    path = Path(path)
    delimiter = DELIMITERS.get(path.suffix.lower())
    if delimiter is None:
        raise PredictionFormatError(path, "a table run must be named .csv (comma) or .tsv (tab)")
    reader = csv.reader(io.StringIO(read_text(path), newline=""), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise PredictionFormatError(path, f"not valid {path.suffix[1:].upper()}: {error}",
                                    item=f"line {reader.line_num}") from None
    if not rows:
        raise PredictionFormatError(path, "no header row (the file is empty)")
    header = [name.strip() for name in rows[0]]
    for required in ("id", "prediction"):
        if required not in header:
            raise PredictionFormatError(path, f"missing column (header: {', '.join(header)})", field=required)
    has_one, has_many = "reference" in header, "references" in header
    if has_one == has_many:
        raise PredictionFormatError(path, "give exactly one of the columns 'reference' and 'references'",
                                    field="reference")
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise PredictionFormatError(path, "column appears twice in the header", field=duplicates[0])
    items = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        where = f"row {number}"
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise PredictionFormatError(path, f"{len(row)} cells, the header has {len(header)}", item=where)
        record = dict(zip(header, row, strict=True))
        for name, value in record.items():
            if len(value) > MAX_FIELD_CHARS:
                raise PredictionFormatError(path, f"cell has {len(value)} characters, above the {MAX_FIELD_CHARS} "
                                                  "limit", item=where, field=name)
        item_id = record["id"].strip()
        if not item_id:
            raise PredictionFormatError(path, "empty id", item=where, field="id")
        if item_id in seen:
            raise PredictionFormatError(path, f"duplicate id {item_id!r} (first in row {seen[item_id]})", item=where,
                                        field="id")
        seen[item_id] = number
        references = ((record["reference"],) if has_one
                      else tuple(part.strip() for part in record["references"].split(REFERENCE_SEPARATOR)))
        metadata = {name: value for name, value in record.items()
                    if name not in ("id", "prediction", "reference", "references", "prompt")}
        items.append(PredictionItem(id=item_id, prediction=record["prediction"], references=references,
                                    prompt=record.get("prompt") or None, metadata=metadata))
    if not items:
        raise PredictionFormatError(path, "no rows below the header")
    return PredictionSet(name=path.stem, source=str(path), items=tuple(items),
                         metadata={"format": "csv", "empty_predictions": count_empty(i.prediction for i in items)})
