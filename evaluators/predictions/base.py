"""The one in-memory form of a prediction file: a ``PredictionSet`` of ``PredictionItem``s.

Every importer (AudioBench logs, MMAU result lists, CMI-Bench, SAKURA, the generic JSONL) produces
this type, and every protocol consumes it, so a protocol never knows which group published the file.
A set is validated when it is built: ids are unique, predictions and references are strings.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from evaluators.errors import PredictionFormatError


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class PredictionItem:
    """One model output with what it is scored against.

    ``references`` holds one or more reference texts (several for captioning, two speakers for
    overlapped speech). ``metadata`` keeps everything else the source file carries (choices, task,
    source split, audio path) for protocols that need it.
    """

    id: str
    prediction: str
    references: tuple[str, ...]
    prompt: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "references", tuple(self.references))
        object.__setattr__(self, "metadata", _frozen(self.metadata))

    @property
    def reference(self) -> str:
        """The first (usually the only) reference."""
        return self.references[0] if self.references else ""


@dataclass(frozen=True)
class PredictionSet:
    """An ordered, validated collection of ``PredictionItem``s read from one source."""

    name: str
    source: str
    items: tuple[PredictionItem, ...]
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        items = tuple(self.items)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "metadata", _frozen(self.metadata))
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            if not isinstance(item.prediction, str):
                raise PredictionFormatError(
                    self.source, f"prediction must be a string, got {type(item.prediction).__name__}",
                    item=item.id, field="prediction")
            for ref in item.references:
                if not isinstance(ref, str):
                    raise PredictionFormatError(
                        self.source, f"reference must be a string, got {type(ref).__name__}",
                        item=item.id, field="references")
            if item.id in seen:
                raise PredictionFormatError(
                    self.source, f"duplicate id {item.id!r} (first at index {seen[item.id]})",
                    item=index, field="id")
            seen[item.id] = index

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[PredictionItem]:
        return iter(self.items)

    def __getitem__(self, index: int) -> PredictionItem:
        return self.items[index]

    @property
    def predictions(self) -> list[str]:
        return [item.prediction for item in self.items]

    @property
    def references(self) -> list[tuple[str, ...]]:
        return [item.references for item in self.items]

    @classmethod
    def from_pairs(cls, predictions: Sequence[str], references: Sequence[str | Sequence[str]],
                   *, name: str = "in-memory", ids: Sequence[str] | None = None,
                   metadata: Sequence[Mapping[str, Any]] | None = None) -> PredictionSet:
        """Build a set from parallel lists (tests, benchmarks, library users)."""
        if len(predictions) != len(references):
            raise PredictionFormatError(
                name, f"{len(predictions)} predictions but {len(references)} references")
        ids = list(ids) if ids is not None else [str(i) for i in range(len(predictions))]
        metadata = list(metadata) if metadata is not None else [{} for _ in predictions]
        items = []
        for item_id, pred, ref, meta in zip(ids, predictions, references, metadata, strict=True):
            refs = (ref,) if isinstance(ref, str) else tuple(ref)
            items.append(PredictionItem(id=item_id, prediction=pred, references=refs, metadata=meta))
        return cls(name=name, source=name, items=tuple(items))
