"""Conformance: each protocol gives, on adversarial inputs, what its cited code gives when run itself.

The expected values in ``fixtures/conformance/*.json`` were produced by running the cited repository's
code (at the commit each file names, with the library versions it lists) in a scratch environment
outside this repository; only the inputs and the resulting numbers are stored. Every case is one
parametrized test: a protocol that drifts from its cited code on any of these inputs fails here.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from evaluators.judges.inputs import load_air_foundation_results
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.protocols.registry import get_protocol

CONFORMANCE = Path(__file__).resolve().parents[2] / "fixtures" / "conformance"


def _cases() -> list[Any]:
    params = []
    # judge_*.json hold judge requests, checked in tests/judges/test_judge_conformance.py
    for path in sorted(set(CONFORMANCE.glob("*.json")) - set(CONFORMANCE.glob("judge_*.json"))):
        document = json.loads(path.read_text(encoding="utf-8"))
        for index, case in enumerate(document["cases"]):
            params.append(pytest.param(path.name, case, id=f"{path.stem}-{index}-{case['protocol']}"))
    return params


def _items(case: dict[str, Any], tmp_path: Path) -> PredictionSet:
    if "rows" in case:  # AIR-Bench result rows: read as the reader reads a result file
        path = tmp_path / "Foundation_result_case.jsonl"
        path.write_text("".join(json.dumps(row) + "\n" for row in case["rows"]), encoding="utf-8")
        return load_air_foundation_results(path)
    items = tuple(PredictionItem(f"item{index}", item["prediction"], tuple(item["references"]),
                                 metadata=item.get("metadata", {}))
                  for index, item in enumerate(case["items"]))
    return PredictionSet("conformance", "conformance case", items)


def _close(actual: float | None, expected: float, tolerance: float) -> bool:
    return actual is not None and math.isclose(actual, expected, rel_tol=0.0, abs_tol=tolerance)


def test_every_conformance_file_names_its_source() -> None:
    documents = sorted(CONFORMANCE.glob("*.json"))
    assert documents
    for path in documents:
        document = json.loads(path.read_text(encoding="utf-8"))
        commits = [document.get("commit")] + [repo["commit"] for repo in document.get("repos", {}).values()]
        assert all(commit and len(commit) == 40 for commit in commits if commit is not None), path.name
        assert any(commits), path.name
        assert document["how"] and "libraries" in document and document["cases"], path.name


@pytest.mark.parametrize(("file", "case"), _cases())
def test_protocol_matches_cited_code(file: str, case: dict[str, Any], tmp_path: Path) -> None:
    expected = case["expected"]
    if "error" in expected:
        pytest.fail(f"{file}: the cited code raised on this case ({expected['error']}); not a conformance case")
    protocol = get_protocol(case["protocol"])
    score = protocol.score(_items(case, tmp_path))
    tolerance = expected.get("tolerance", 1e-12)
    if "value" in expected:
        assert _close(score.value, expected["value"], tolerance), (case["protocol"], score.value, expected)
    if "n" in expected:
        assert score.n == expected["n"], (case["protocol"], score.n, expected["n"])
    if "skipped" in expected:
        assert score.n_skipped == expected["skipped"], (case["protocol"], dict(score.skipped))
    if "items" in expected:
        values = [detail.value for detail in score.items if detail.skipped is None]
        assert len(values) == len(expected["items"])
        for actual, wanted in zip(values, expected["items"], strict=True):
            assert _close(actual, wanted, tolerance), (case["protocol"], values, expected["items"])
    if "texts" in expected:  # what the cited code scored: [hypothesis, reference] of each kept item
        texts = [[detail.hypothesis, *detail.references] for detail in score.items if detail.skipped is None]
        assert texts == expected["texts"], (case["protocol"], texts, expected["texts"])
    if "groups" in expected:
        groups = {name: group.value for name, group in score.groups.items()}
        assert groups.keys() == expected["groups"].keys(), (groups, expected["groups"])
        for name, wanted in expected["groups"].items():
            assert _close(groups[name], wanted, tolerance), (name, groups, expected["groups"])
