"""docs/prediction-format.md lists every item-metadata key a protocol, metric or judge reads."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READERS = ("evaluators/protocols", "evaluators/metrics", "evaluators/judges")
#: literal keys in ``metadata.get("k")``, ``metadata["k"]``, ``"k" in ...metadata``, ``group_by="k"``,
#: ``_group(item, "k", ...)`` and the story rule's ``spoken`` parameter
PATTERNS = (r"metadata(?:\.get\(|\[)\"([A-Za-z_]+)\"",
            r"\"([A-Za-z_]+)\" (?:not )?in (?:item\.|prepared\.item\.)?metadata",
            r"group_by=\"([A-Za-z_]+)\"", r"_group\(item, ((?:\"[a-z_]+\"(?:, )?)+)\)",
            r"\"spoken\": \"([a-z_]+)\"")
#: keys that protocols write for themselves, not read from files
INTERNAL = {"_spoken"}


def keys_read() -> set[str]:
    keys: set[str] = set()
    for folder in READERS:
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for pattern in PATTERNS:
                for match in re.findall(pattern, text):
                    keys.update(re.findall(r"[A-Za-z_]+", match))
    return keys - INTERNAL


def test_every_metadata_key_read_is_documented() -> None:
    docs = (ROOT / "docs" / "prediction-format.md").read_text(encoding="utf-8")
    section = docs.split("## Item metadata that protocols read", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([A-Za-z_]+)`", section.split("|---|", 1)[1]))
    keys = keys_read()
    assert {"source", "choices", "status", "task_name"} <= keys  # the scan finds what it should
    assert keys - documented == set()
