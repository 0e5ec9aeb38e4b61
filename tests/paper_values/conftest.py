"""Shared machinery of the paper_values tests: resolve data files, load and score once per worker.

A prediction set is loaded once per (file, format, options) and scored once per protocol in each
pytest-xdist worker (module-level caches below), so a file checked by several golden entries (MMAU
sub-scores, answer-key revisions) and the protocol sweep cost one pass each. The sweep scores without
per-item details or intervals (``details=False, interval=False``); the entry's own protocol keeps its
95 % interval.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from evaluators.golden import GoldenEntry, Predictions
from evaluators.predictions import FORMATS, load_predictions
from evaluators.predictions.base import PredictionSet
from evaluators.protocols import get_protocol
from evaluators.protocols.base import Score

_SETS: dict[tuple[Any, ...], PredictionSet] = {}
_SCORES: dict[tuple[Any, ...], Score] = {}


class NotReady(Exception):
    """Something the entry needs is not in this checkout yet (a format or protocol): skip, naming it."""


def resolve_file(data_dir: Path, relative: str) -> Path:
    """The verified path of a data-dir file (exists, sha256 as in the manifest)."""
    from evaluators import sources

    return sources.resolve(data_dir, relative)


def _key(predictions: Predictions) -> tuple[Any, ...]:
    return (predictions.file, predictions.format, tuple(sorted(predictions.options.items())))


def load_set(data_dir: Path, predictions: Predictions) -> PredictionSet:
    if predictions.format not in FORMATS:
        raise NotReady(f"prediction format {predictions.format!r} not registered yet "
                       f"(known: {', '.join(sorted(FORMATS))})")
    key = _key(predictions)
    if key not in _SETS:
        path = resolve_file(data_dir, predictions.file)
        options = predictions.loader_options(lambda rel: resolve_file(data_dir, rel))
        _SETS[key] = load_predictions(path, predictions.format, **options)
    return _SETS[key]


def score_set(data_dir: Path, predictions: Predictions, protocol_id: str, *, interval: bool) -> Score:
    """Score once per worker; an interval-less score is reused only by the sweep."""
    key = (*_key(predictions), protocol_id, interval)
    if key not in _SCORES:
        protocol = get_protocol(protocol_id)
        _SCORES[key] = protocol.score(load_set(data_dir, predictions), interval=interval, details=False)
    return _SCORES[key]


def score_group(entry: GoldenEntry) -> str | None:
    """The group of a grouped score that holds the entry's number (MMAU sound/music/speech), if any."""
    if entry.dataset_key.startswith("mmau-"):
        part = entry.dataset_key.removeprefix("mmau-")
        return None if part == "average" else part
    return None


def pick(score: Score, entry: GoldenEntry) -> Score:
    group = score_group(entry)
    if group is None:
        return score
    if group not in score.groups:
        raise LookupError(f"{score.protocol} has no group {group!r} (groups: {', '.join(sorted(score.groups))})")
    return score.groups[group]


@pytest.fixture(scope="session")
def paper_scoring() -> Any:
    """This module's helpers (``load_set``, ``score_set``, ``pick``, ...) for the test modules.

    (A namespace, not ``sys.modules[__name__]``: every conftest module of the suite is named ``conftest``.)
    """
    return SimpleNamespace(resolve_file=resolve_file, load_set=load_set, score_set=score_set, pick=pick,
                           score_group=score_group, NotReady=NotReady)
