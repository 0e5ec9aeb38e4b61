"""``docs/protocols.md``: its generated catalogue is current and every registered protocol is documented."""

from __future__ import annotations

import re
from pathlib import Path

from evaluators.protocols import all_protocols
from evaluators.protocols.catalogue import BEGIN, END, catalogue_markdown, replace_catalogue

DOC = Path(__file__).resolve().parents[2] / "docs" / "protocols.md"


def test_catalogue_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert text == replace_catalogue(text), (
        "docs/protocols.md's catalogue is stale: python -m evaluators.protocols.catalogue --write docs/protocols.md")


def test_every_protocol_has_an_entry_and_every_entry_a_protocol() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"^#### `([^`]+)`$", text, flags=re.MULTILINE))
    assert documented == {protocol.id for protocol in all_protocols()}


def test_sections_cited_by_protocols_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    headings = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)[ .]", text, flags=re.MULTILINE))
    for protocol in all_protocols():
        for number in re.findall(r"§(\d+(?:\.\d+)?)", protocol.spec):
            assert number in headings or number.split(".")[0] in headings, (protocol.id, number)


def test_catalogue_block_has_markers() -> None:
    block = catalogue_markdown()
    assert block.startswith(BEGIN) and block.endswith(END)
