"""Validation of ``results.json`` against the committed JSON Schema (``results.schema.json``).

Reading a report always validates it, so ``audiorepro report`` and ``audiorepro diff`` fail with the
file and the JSON path of the first problem instead of rendering a half-understood file.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from evaluators.report.model import Report, ReportFormatError

SCHEMA_PATH = Path(__file__).with_name("results.schema.json")


@cache
def results_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate_results(data: Any, path: object = "results.json") -> None:
    """Raise :class:`ReportFormatError` naming ``path`` and the JSON location of the first schema violation."""
    validator = jsonschema.Draft202012Validator(results_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if errors:
        error = errors[0]
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        result_id = _result_id(data, error.absolute_path)
        item = f" (result {result_id!r})" if result_id else ""
        raise ReportFormatError(path, f"does not match results.schema.json at {where}{item}: {error.message}")


def _result_id(data: Any, location: Any) -> str | None:
    parts = list(location)
    if len(parts) >= 2 and parts[0] == "results" and isinstance(parts[1], int):
        try:
            return data["results"][parts[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            return None
    return None


def load_results(path: str | Path) -> Report:
    """Read and validate a ``results.json``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportFormatError(path, "no such file (run `make report` or `pytest -m paper_values` first)") from None
    except OSError as error:
        raise ReportFormatError(path, f"cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise ReportFormatError(path, f"not UTF-8 text (byte offset {error.start})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReportFormatError(path, f"not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}") \
            from None
    except (RecursionError, ValueError) as error:  # nesting or an integer Python will not convert
        raise ReportFormatError(path, f"not valid JSON: {type(error).__name__}: {str(error)[:120]}") from None
    validate_results(data, path)
    try:
        return Report.from_dict(data)
    except (TypeError, ValueError) as error:
        raise ReportFormatError(path, f"cannot build the report: {error}") from None
