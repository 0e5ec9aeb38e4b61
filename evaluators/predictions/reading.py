"""Careful reading of prediction files: every failure names the file, the item and the field.

Importers use these helpers so that malformed JSON, non-UTF-8 bytes, missing fields, wrong types
and oversized files all raise one ``PredictionFormatError`` before anything is returned: a set is
either loaded whole or not at all.
"""

from __future__ import annotations

import json
import math
import re
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
        if path.is_dir():
            raise PredictionFormatError(path, "is a directory, not a file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise PredictionFormatError(path, f"file is {size} bytes, above the {MAX_FILE_BYTES}-byte limit")
        data = path.read_bytes()
    except FileNotFoundError:
        raise PredictionFormatError(path, "file not found") from None
    except OSError as error:  # unreadable, a symlink loop, a name too long, ...
        raise PredictionFormatError(path, f"cannot read: {error.strerror or error}") from None
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


#: JSON nested deeper than this is refused (real prediction files nest 2-4 levels; Python's parser
#: would hit its recursion limit around 1,000 and crash)
MAX_JSON_DEPTH = 200
#: a ``\uD800``-``\uDFFF`` escape: the only way JSON text can carry a lone UTF-16 surrogate
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` (a scan of the text, in linear time)."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    # a JSON string (skipped whole) or a bracket; compiled here: this scan only runs on text that failed to parse
    for match in re.finditer(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


_CONTAINERS = frozenset({list, dict})


def _data_depth_exceeds(data: Any, limit: int) -> bool:
    """Whether parsed JSON nests lists/objects deeper than ``limit`` — the same depth as its text's brackets
    outside strings, found without scanning the text: an iterative walk over the containers only (``json``
    builds plain ``list``/``dict``; a container none of whose children is one is passed over in C)."""
    stack = [(data, 1)] if type(data) in _CONTAINERS else []
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            return True
        children = value.values() if type(value) is dict else value
        if _CONTAINERS.isdisjoint(map(type, children)):
            continue
        stack.extend((child, depth + 1) for child in children if type(child) in _CONTAINERS)
    return False


class _NonFinite(Exception):
    def __init__(self, name: str):
        self.name = name


def _refuse_constant(name: str) -> Any:
    """``parse_constant``: Python's ``NaN``/``Infinity``/``-Infinity`` extension is refused, not read."""
    raise _NonFinite(name)


def _first_lone_surrogate(data: Any, where: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """Location (keys/indices) of the first string holding a lone surrogate, or None."""
    stack: list[tuple[Any, tuple[Any, ...]]] = [(data, where)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return at
        elif isinstance(value, dict):
            for key, inner in reversed(list(value.items())):
                stack.append((inner, (*at, key)))
                stack.append((key, (*at, key)))
        elif isinstance(value, list):
            stack.extend((inner, (*at, index)) for index, inner in reversed(list(enumerate(value))))
    return None


def _loads(path: str | Path, text: str, item: object = None) -> Any:
    """``json.loads`` with every way it can fail turned into a ``PredictionFormatError``.

    Besides syntax errors and repeated keys: nesting beyond :data:`MAX_JSON_DEPTH`, integers longer
    than Python converts (``sys.get_int_max_str_digits``), ``NaN``/``Infinity`` (not JSON; no public file has
    them) and lone surrogates (a ``\\ud800`` escape without its pair: not text, they crash printing, Java
    and MeCab later).
    """
    location = {"item": item} if item is not None else {}
    if not text.strip():
        raise PredictionFormatError(path, "empty: no JSON in it", **location)
    # Nesting beyond the limit is the error reported first. It is found by walking the parsed containers
    # when the text parses (much cheaper than scanning the text), else by scanning the text.
    may_be_deep = text.count("[") + text.count("{") > MAX_JSON_DEPTH
    failure: Exception | None = None
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_constant=_refuse_constant)
    except (ValueError, RecursionError, _NonFinite, _DuplicateKey) as error:
        failure, data = error, None
    if may_be_deep and (_json_depth_exceeds(text, MAX_JSON_DEPTH) if failure is not None
                        else _data_depth_exceeds(data, MAX_JSON_DEPTH)):
        raise PredictionFormatError(path, f"JSON nested deeper than {MAX_JSON_DEPTH} levels", **location)
    if failure is not None:
        raise _parse_error(path, failure, item) from None
    if _SURROGATE_ESCAPE.search(text):
        at = _first_lone_surrogate(data)
        if at is not None:
            field = ".".join(str(part) for part in at) or None
            raise PredictionFormatError(path, "a string holds a lone UTF-16 surrogate (\\ud800-\\udfff escape "
                                        "without its pair): not valid Unicode text", field=field, **location)
    return data


def _parse_error(path: str | Path, error: Exception, item: object) -> PredictionFormatError:
    """The one-line error for a failed ``json.loads`` of ``path`` (``item``: e.g. ``"line 3"``)."""
    location = {"item": item} if item is not None else {}
    if isinstance(error, _NonFinite):
        return PredictionFormatError(path, f"{error.name} is not a JSON number (RFC 8259): a stored value must be "
                                           "finite", **location)
    if isinstance(error, json.JSONDecodeError):
        where = f"line {error.lineno}, column {error.colno}" if item is None else f"column {error.colno}"
        return PredictionFormatError(path, f"malformed JSON: {error.msg} at {where}", **location)
    if isinstance(error, _DuplicateKey):
        return PredictionFormatError(
            path, f"duplicate key {error.key!r} in a JSON object (JSON readers keep only the last value)",
            item=item if item is not None else error.key, **({"field": error.key} if item is not None else {}))
    if isinstance(error, RecursionError):
        return PredictionFormatError(path, "JSON nested too deeply", **location)
    # e.g. "Exceeds the limit (4300 digits) for integer string conversion"
    return PredictionFormatError(path, f"malformed JSON: {error}", **location)


def parse_json(path: str | Path, text: str, item: object = None) -> Any:
    """Parse JSON text read from ``path`` (``item``: e.g. ``"line 3"`` of a JSON Lines file): syntax errors
    with line and column, repeated object keys, deep nesting, huge integers and lone surrogates refused."""
    return _loads(path, text, item)


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
        records.append((lineno, _loads(path, line, item=f"line {lineno}")))
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


def require_number(path: str | Path, record: Mapping[str, Any], field: str, item: object, *,
                   minimum: float | None = None) -> float:
    """A finite numeric field (int or float, not bool; JSON's ``NaN``/``Infinity`` refused) of ``record``,
    at least ``minimum`` when given."""
    if field not in record:
        raise PredictionFormatError(path, "missing field", item=item, field=field)
    value = record[field]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise PredictionFormatError(path, f"expected a number, got {type(value).__name__}", item=item, field=field)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise PredictionFormatError(path, f"expected a finite number, got {value!r:.40}", item=item, field=field)
    if minimum is not None and number < minimum:
        raise PredictionFormatError(path, f"expected a number >= {minimum:g}, got {value!r}", item=item, field=field)
    return number


def optional_number(path: str | Path, record: Mapping[str, Any], field: str, item: object = None, *,
                    integer: bool = False, minimum: float | None = None) -> float | int | None:
    """A field that is absent/``null`` or a finite number (an integer when ``integer``)."""
    if record.get(field) is None:
        return None
    value = require_number(path, record, field, item, minimum=minimum)
    if integer and not isinstance(record[field], int):
        raise PredictionFormatError(path, f"expected an integer, got {record[field]!r}", item=item, field=field)
    return int(value) if integer else value


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
