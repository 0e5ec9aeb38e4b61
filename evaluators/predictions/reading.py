"""Careful reading of prediction files: every failure names the file, the item and the field.

Importers use these helpers so that malformed JSON, non-UTF-8 bytes, missing fields, wrong types
and oversized files all raise one ``PredictionFormatError`` before anything is returned: a set is
either loaded whole or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
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


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook``: a JSON object must not repeat a key (``json`` would keep the last silently)."""
    record = dict(pairs)
    if len(record) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return record


def parse_json(path: str | Path, text: str) -> Any:
    """Parse JSON text read from ``path``: syntax errors with line and column, repeated object keys refused."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as error:
        raise PredictionFormatError(
            path, f"malformed JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    except _DuplicateKey as duplicate:
        raise PredictionFormatError(
            path, f"duplicate key {duplicate.key!r} in a JSON object (JSON readers keep only the last value)",
            item=duplicate.key) from None


def read_json(path: str | Path) -> Any:
    """Parse a JSON file; a syntax error is reported with line and column, a repeated key by name."""
    return parse_json(path, read_text(path))


def read_jsonl(path: str | Path) -> list[Any]:
    """Parse JSON Lines (blank lines ignored); a bad line is reported by its line number."""
    return [record for _, record in read_jsonl_numbered(path)]


def read_jsonl_numbered(path: str | Path) -> list[tuple[int, Any]]:
    """``(line number, record)`` for each non-blank line of a JSON Lines file."""
    records = []
    # split on "\n" only: str.splitlines() would also split inside JSON strings holding U+2028/U+0085
    for lineno, line in enumerate(read_text(path).split("\n"), start=1):
        if not line.strip():
            continue
        try:
            records.append((lineno, json.loads(line, object_pairs_hook=_unique_keys)))
        except json.JSONDecodeError as error:
            raise PredictionFormatError(path, f"malformed JSON: {error.msg} at column {error.colno}",
                                        item=f"line {lineno}") from None
        except _DuplicateKey as duplicate:
            raise PredictionFormatError(path, f"duplicate key {duplicate.key!r} in the line's JSON object",
                                        item=f"line {lineno}", field=duplicate.key) from None
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


def require_object(path: str | Path, data: Any, what: str = "a JSON object") -> Mapping[str, Any]:
    """The top level of a file that must be a JSON object."""
    if not isinstance(data, Mapping):
        raise PredictionFormatError(path, f"expected {what}, got {type(data).__name__}")
    return data


def require_number(path: str | Path, record: Mapping[str, Any], field: str, item: object) -> float:
    """A numeric field (int or float, not bool) of ``record``."""
    if field not in record:
        raise PredictionFormatError(path, "missing field", item=item, field=field)
    value = record[field]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PredictionFormatError(path, f"expected a number, got {type(value).__name__}", item=item, field=field)
    return float(value)


def require_id(path: str | Path, record: Mapping[str, Any], field: str, item: object) -> str:
    """An item id: a non-empty string, or an integer (converted to its decimal string)."""
    if field not in record:
        raise PredictionFormatError(path, "missing field", item=item, field=field)
    value = record[field]
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise PredictionFormatError(path, f"expected a non-empty string or an integer, got {value!r:.80}",
                                    item=item, field=field)
    if len(value) > MAX_FIELD_CHARS:
        raise PredictionFormatError(path, f"value has {len(value)} characters, above the {MAX_FIELD_CHARS} limit",
                                    item=item, field=field)
    return value


def count_empty(predictions: Iterable[str]) -> int:
    """How many predictions are empty or whitespace only.

    Importers keep empty outputs (a model that says nothing is real data and most protocols score it
    as wrong) and record this count in the set metadata as ``empty_predictions``.
    """
    return sum(1 for prediction in predictions if not prediction.strip())
