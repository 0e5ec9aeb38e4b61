"""Scoring a judge protocol in the tests: bind the judge for the call, score, read each item's verdict."""

from __future__ import annotations

from evaluators.judges.specs import ItemVerdict
from evaluators.protocols import get_protocol
from evaluators.score import Score


def judged(protocol_id: str, predictions, backend, cache=None, *, decoding=None, interval: bool = True) -> Score:
    """``predictions`` scored under ``protocol_id`` with ``backend`` (and ``cache``) as its judge."""
    return get_protocol(protocol_id).with_judge(backend, cache, decoding=decoding).score(predictions,
                                                                                         interval=interval)


def item_verdicts(score: Score) -> list[ItemVerdict]:
    """The verdicts of the judged items, in order (skipped items have none)."""
    return [detail.notes for detail in score.items if detail.notes is not None]


def verdicts(score: Score) -> dict[str, str]:
    """Item id → official outcome."""
    return {verdict.id: verdict.outcome for verdict in item_verdicts(score)}
