"""Reading and validating the project's own YAML file formats (golden files, run manifests).

:func:`read_yaml` turns an unreadable, non-UTF-8 or malformed file into one short message; one JSON
Schema validator per schema file is built once per process (checking the schema itself first), so every
reader reports schema errors the same way: sorted by location, then message (:func:`schema_errors`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import yaml


def read_yaml(path: Path, error: Callable[[str], Exception], loader: Any = yaml.SafeLoader) -> Any:
    """Parse the YAML file ``path``; a problem raises ``error(message)`` (read error, not UTF-8, bad YAML)."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except OSError as problem:
        raise error(f"cannot read: {problem.strerror or problem}") from None
    except UnicodeDecodeError as problem:
        raise error(f"not UTF-8 text (byte offset {problem.start})") from None
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise error(f"not valid YAML{where}: {getattr(problem, 'problem', problem)}") from None


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
