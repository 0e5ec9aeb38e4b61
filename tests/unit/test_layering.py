"""Imports go one way: judges (and the score type) never import the protocol registry above them."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "evaluators"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_judges_module_imports_the_protocols() -> None:
    offenders = {str(path.relative_to(PACKAGE)): sorted(m for m in imported_modules(path)
                                                         if m.startswith("evaluators.protocols"))
                 for path in (PACKAGE / "judges").rglob("*.py")}
    assert {path: modules for path, modules in offenders.items() if modules} == {}


def test_score_module_imports_the_protocols_only_for_type_checking() -> None:
    source = (PACKAGE / "score.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    top_level = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert not [node for node in top_level if isinstance(node, ast.ImportFrom)
                and (node.module or "").startswith("evaluators.protocols")]


def test_score_is_the_same_class_from_both_modules() -> None:
    from evaluators.protocols.base import ItemDetail as ProtocolItemDetail
    from evaluators.protocols.base import Score as ProtocolScore
    from evaluators.score import ItemDetail, Score

    assert ProtocolScore is Score and ProtocolItemDetail is ItemDetail
