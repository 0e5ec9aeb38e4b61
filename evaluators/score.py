"""A protocol's result on a prediction set (:class:`Score`) and its per-item details (:class:`ItemDetail`).

Kept apart from ``evaluators.protocols`` so that code below the protocols — the judges, the report —
can produce or read scores without importing the protocol registry (``evaluators.protocols.base``
re-exports both names).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from evaluators.metrics.stats import Interval
    from evaluators.protocols.base import Protocol


@dataclass(frozen=True)
class ItemDetail:
    """Per-item outcome: processed texts, statistics and value, or the reason it was skipped."""

    id: str
    hypothesis: str | None
    references: tuple[str, ...]
    stats: tuple[float, ...] = ()
    value: float | None = None
    skipped: str | None = None
    #: what the metric recorded about the item beyond its statistics (an LLM judge's verdict: outcome, replies,
    #: explanation); an object with ``as_dict()`` or a mapping
    notes: Any = None

    def as_dict(self) -> dict[str, Any]:
        out = {"id": self.id, "hypothesis": self.hypothesis, "references": list(self.references),
               "stats": list(self.stats), "value": self.value, "skipped": self.skipped}
        if self.notes is not None:
            out["notes"] = self.notes.as_dict() if hasattr(self.notes, "as_dict") else dict(self.notes)
        return out


@dataclass(frozen=True, eq=False)
class Score:
    """A protocol's result on one prediction set."""

    protocol: str
    value: float | None
    unit: str
    direction: str
    n: int
    skipped: Mapping[str, int]
    signature: str
    items: tuple[ItemDetail, ...] = ()
    stats: np.ndarray | None = None
    interval: Interval | None = None
    aggregation: str = "corpus"
    available: bool = True
    unavailable_reason: str | None = None
    groups: Mapping[str, Score] = field(default_factory=dict)
    #: what the metric reports beside the value (an LLM judge: model, decoding, template, verdict counts,
    #: unparsed replies, calls made and cache hits, the further numbers the official script prints)
    extras: Mapping[str, Any] = field(default_factory=dict)

    @property
    def n_skipped(self) -> int:
        return sum(self.skipped.values())

    def as_dict(self, *, items: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "protocol": self.protocol, "value": self.value, "unit": self.unit,
            "direction": self.direction, "n": self.n, "skipped": dict(self.skipped),
            "signature": self.signature, "aggregation": self.aggregation,
            "interval": self.interval.as_dict() if self.interval else None,
            "available": self.available, "unavailable_reason": self.unavailable_reason,
        }
        if self.extras:
            out["extras"] = dict(self.extras)
        if self.groups:
            out["groups"] = {name: score.as_dict() for name, score in self.groups.items()}
        if items:
            out["items"] = [detail.as_dict() for detail in self.items]
        return out

    @classmethod
    def unavailable(cls, protocol: Protocol, reason: str) -> Score:
        return cls(protocol=protocol.id, value=None, unit=protocol.metric.unit,
                   direction=protocol.metric.direction, n=0, skipped={}, signature=protocol.signature(),
                   aggregation=protocol.aggregation, available=False, unavailable_reason=reason)
