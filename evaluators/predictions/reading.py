"""Careful reading of prediction files: every failure names the file, the item and the field.

Importers use these helpers so that malformed JSON, non-UTF-8 bytes, missing fields, wrong types
and oversized files all raise one ``PredictionFormatError`` before anything is returned: a set is
either loaded whole or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evaluators.errors import PredictionFormatError

#: refuse single prediction files above this size (bytes): they are not prediction sets
MAX_FILE_BYTES = 512 * 1024 * 1024
#: refuse a single text field above this many characters (a runaway generation is ~10k)
MAX_FIELD_CHARS = 1_000_000


def read_text(path: str | Path) -> str:
    """The file's text as UTF-8; non-UTF-8 bytes and huge files are reported with their position."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PredictionFormatError(path, "file not found") from None
    if size > MAX_FILE_BYTES:
        raise PredictionFormatError(path, f"file is {size} bytes, above the {MAX_FILE_BYTES}-byte limit")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PredictionFormatError(
            path, f"not valid UTF-8: byte 0x{data[error.start]:02x} at offset {error.start} (line {line})") from None


def read_json(path: str | Path) -> Any:
    """Parse a JSON file; a syntax error is reported with line and column."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise PredictionFormatError(
            path, f"malformed JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None


def read_jsonl(path: str | Path) -> list[Any]:
    """Parse JSON Lines (blank lines ignored); a bad line is reported by its line number."""
    records = []
    for lineno, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise PredictionFormatError(path, f"malformed JSON: {error.msg} at column {error.colno}",
                                        item=f"line {lineno}") from None
    return records


def require_list(path: str | Path, data: Any, what: str = "a JSON list of items") -> list[Any]:
    if not isinstance(data, list):
        raise PredictionFormatError(path, f"expected {what}, got {type(data).__name__}")
    return data


def require_record(path: str | Path, record: Any, item: object) -> Mapping[str, Any]:
    if not isinstance(record, Mapping):
        raise PredictionFormatError(path, f"expected an object, got {type(record).__name__}", item=item)
    return record


def require_str(path: str | Path, record: Mapping[str, Any], field: str, item: object, *,
                allow_empty: bool = True, allow_none: bool = False) -> str:
    """A string field of ``record``; missing, non-string, empty (if refused) or huge values raise."""
    if field not in record:
        raise PredictionFormatError(path, "missing field", item=item, field=field)
    value = record[field]
    if value is None and allow_none:
        return ""
    if not isinstance(value, str):
        raise PredictionFormatError(path, f"expected a string, got {type(value).__name__}", item=item, field=field)
    if not allow_empty and not value.strip():
        raise PredictionFormatError(path, "empty value", item=item, field=field)
    if len(value) > MAX_FIELD_CHARS:
        raise PredictionFormatError(path, f"value has {len(value)} characters, above the {MAX_FIELD_CHARS} limit",
                                    item=item, field=field)
    return value
