"""Shared machinery of the paper_values tests: one prediction-set loader and one scorer per worker.

Loading, scoring, candidate protocols, the sweep and the verdict live in the library
(:mod:`evaluators.checking`), so ``audiorepro check`` and these tests give the same verdicts. This file
only keeps one :class:`~evaluators.checking.GoldenSets` and one :class:`~evaluators.checking.Scorer`
per pytest-xdist worker, so a file checked by several golden entries (MMAU sub-scores, answer-key
revisions) and the protocol sweep cost one pass each.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from evaluators.checking import GoldenSets, NotReady, Scorer

_SETS = GoldenSets()
_SCORER = Scorer()


@pytest.fixture(scope="session")
def paper_scoring() -> Any:
    """The worker's set loader and scorer (a namespace: every conftest module of the suite is named ``conftest``)."""
    return SimpleNamespace(sets=_SETS, scorer=_SCORER, NotReady=NotReady)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without ``--run`` there is no run to check: deselect test_your_run's placeholder."""
    if config.getoption("--run"):
        return
    placeholder = [item for item in items if item.nodeid.endswith("test_your_run[no-run]")]
    if placeholder:
        config.hook.pytest_deselected(items=placeholder)
        items[:] = [item for item in items if item not in placeholder]
