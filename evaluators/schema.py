"""JSON Schema validators for the project's own file formats (golden files, run manifests).

One validator per schema file, built once per process (checking the schema itself first), so every
reader reports schema errors the same way: sorted by location, then message (:func:`schema_errors`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any


@cache
def validator(schema_path: Path) -> Any:
    """The JSON Schema validator of ``schema_path`` (jsonschema imported on first use)."""
    import jsonschema

    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def schema_errors(schema_path: Path, data: Any) -> Iterator[Any]:
    """``data``'s violations of the schema, in a stable order (location, then message)."""
    errors = validator(schema_path).iter_errors(data)
    yield from sorted(errors, key=lambda e: (list(map(str, e.absolute_path)), e.message))


def field_and_message(error: Any, field_name: str | None) -> tuple[str | None, str]:
    """The field a schema error is about and a short message, as our one-line errors print them.

    ``required`` names the missing field itself (``missing (required)``); ``additionalProperties`` names the
    unknown field (``unknown field (...)``); any other error keeps ``field_name`` and jsonschema's message.
    """
    message = error.message
    if error.validator == "required":
        match = re.match(r"'([^']+)' is a required property", message)
        if match:
            return (f"{field_name}.{match.group(1)}" if field_name else match.group(1)), "missing (required)"
    elif error.validator == "additionalProperties":
        match = re.search(r"\('([^']+)'", message)
        if match:
            field_name = f"{field_name}.{match.group(1)}" if field_name else match.group(1)
        return field_name, f"unknown field ({message})"
    return field_name, message
