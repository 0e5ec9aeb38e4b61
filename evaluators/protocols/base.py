"""A protocol is data: an id, the public code it reproduces, ordered steps, parameters, a metric.

``Protocol.score`` runs the steps on every item of a ``PredictionSet``:

1. *skip* steps decide whether an item is scored at all (missed EOS, no kana, not two speakers);
   a skipped item leaves numerator **and** denominator, and its reason is counted;
2. *transform* steps rewrite the hypothesis, the references, or both (EOS removal, normalisers);
3. the metric turns each kept item into sufficient statistics;
4. the statistics are aggregated (corpus or macro, stated explicitly) and given a 95 % interval.

The result is a ``Score`` whose **signature** names the protocol and every parameter that can
change the number, like sacreBLEU's ``nrefs:1|case:mixed|tok:13a|...``. Two scores with different
signatures are never compared silently.

numpy and the interval code are imported when a set is scored, not when protocols are declared, so
describing a protocol (``audiorepro protocols ASR-AB``) does not pay for them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from evaluators import __version__
from evaluators.errors import ItemInputError, PredictionFormatError, ProtocolUnavailableError
from evaluators.metrics.base import Metric
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.score import ItemDetail, Score
from evaluators.versions import library_version

if TYPE_CHECKING:
    import numpy as np

    from evaluators.metrics.stats import Interval

#: skip reason of an item that carries no reference at all
NO_REFERENCE = "no_reference"
StepTarget = Literal["hyp", "ref", "both", "skip", "item"]


@dataclass(frozen=True)
class Source:
    """Public code a protocol reproduces: repository, path (and function), commit if pinned."""

    repo: str
    path: str
    commit: str | None = None
    note: str = ""

    def __str__(self) -> str:
        at = f"@{self.commit[:12]}" if self.commit else ""
        return f"{self.repo}{at} {self.path}"


@dataclass(frozen=True)
class Prepared:
    """An item after the transform steps: what the metric sees."""

    hypothesis: str
    references: tuple[str, ...]
    item: PredictionItem


@dataclass(frozen=True)
class Step:
    """One ordered step of a protocol.

    * ``target="hyp" | "ref" | "both"``: ``apply(text) -> text`` rewrites that side.
    * ``target="skip"``: ``apply(prepared) -> reason | None``; a reason removes the item.
    * ``target="item"``: ``apply(prepared) -> prepared`` for steps that need both sides or metadata.
    """

    name: str
    target: StepTarget
    apply: Callable[..., Any]
    doc: str = ""

    def run(self, prepared: Prepared) -> Prepared | str:
        """Apply the step; returns the new ``Prepared`` or a skip reason."""
        if self.target == "skip":
            reason = self.apply(prepared)
            return reason if reason else prepared
        if self.target == "item":
            return self.apply(prepared)
        hyp, refs = prepared.hypothesis, prepared.references
        if self.target in ("hyp", "both"):
            hyp = self.apply(hyp)
        if self.target in ("ref", "both"):
            refs = tuple(self.apply(ref) for ref in refs)
        return Prepared(hyp, refs, prepared.item)


def _format_param(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "+".join(str(v) for v in value) or "none"
    return str(value)


@dataclass(frozen=True)
class Protocol:
    """A named, cited evaluation protocol (ids from ``docs/protocols.md``)."""

    id: str
    family: str
    title: str
    sources: tuple[Source, ...]
    steps: tuple[Step, ...]
    metric: Metric
    aggregation: str = "corpus"
    params: Mapping[str, Any] = field(default_factory=dict)
    libraries: tuple[str, ...] = ()
    spec: str = ""
    #: metadata key whose values split the items into separately reported groups (e.g. ``source``)
    group_by: str | None = None
    #: set when the protocol cannot run offline: the reason, reported as "unavailable"
    unavailable: str | None = None
    #: interval method: ``bootstrap`` for corpus metrics, ``wilson`` for accuracies, ``none``
    interval_method: str = "bootstrap"

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(self, "steps", tuple(self.steps))
        if not self.sources:
            raise ValueError(f"protocol {self.id} must cite the public code it reproduces")

    # -- description -------------------------------------------------------------------------
    def signature(self) -> str:
        """sacreBLEU-style signature: protocol id, parameters, aggregation and library versions."""
        fields: dict[str, str] = {"proto": self.id}
        fields.update({key: _format_param(value) for key, value in self.params.items()})
        fields.update(self.metric.signature_fields())
        fields["agg"] = self.aggregation
        for lib in self.libraries:
            fields[lib] = library_version(lib)
        fields["audiorepro"] = __version__
        return "|".join(f"{key}:{value}" for key, value in fields.items())

    def describe(self) -> dict[str, Any]:
        return {"id": self.id, "family": self.family, "title": self.title,
                "sources": [str(source) for source in self.sources],
                "steps": [step.name for step in self.steps], "params": dict(self.params),
                "metric": self.metric.name, "aggregation": self.aggregation, "spec": self.spec,
                "available": self.unavailable is None, "unavailable_reason": self.unavailable}

    # -- scoring -----------------------------------------------------------------------------
    def prepare(self, item: PredictionItem) -> Prepared | str:
        """Run the steps on one item: the prepared item, or the reason it is skipped.

        An item without any reference (generic-jsonl ``references: []``, e.g. ``audiorepro infer`` output
        before references are joined) is skipped as ``no_reference``: every protocol scores against one.
        """
        if not item.references:
            return NO_REFERENCE
        prepared = Prepared(item.prediction, tuple(item.references), item)
        for step in self.steps:
            result = step.run(prepared)
            if isinstance(result, str):
                return result
            prepared = result
        return prepared

    def score(self, predictions: PredictionSet | Sequence[PredictionItem], *, interval: bool = True,
              details: bool = True) -> Score:
        """Score a prediction set. Raises ``ProtocolUnavailableError`` when it cannot run here."""
        if self.unavailable:
            raise ProtocolUnavailableError(self.id, self.unavailable)
        import numpy as np

        items = tuple(predictions)
        rows: list[Sequence[float]] = []
        kept: list[PredictionItem] = []
        skipped: Counter[str] = Counter()
        item_details: list[ItemDetail] = []
        for item in items:
            prepared = self.prepare(item)
            if isinstance(prepared, str):
                skipped[prepared] += 1
                if details:
                    item_details.append(ItemDetail(item.id, None, (), skipped=prepared))
                continue
            try:
                row = tuple(float(x) for x in self.metric.item_stats(prepared.hypothesis, prepared.references,
                                                                      item.metadata))
            except ItemInputError as error:
                raise PredictionFormatError(getattr(predictions, "source", "predictions"), str(error), item=item.id,
                                            field=error.field) from None
            rows.append(row)
            kept.append(item)
            if details:
                item_details.append(ItemDetail(item.id, prepared.hypothesis, prepared.references, row,
                                               self.metric.item_value(row)))
        stats = np.asarray(rows, dtype=float).reshape(len(rows), len(self.metric.stat_names) or -1) \
            if rows else np.zeros((0, len(self.metric.stat_names)))
        groups: dict[str, Score] = {}
        if self.group_by:
            by_group: dict[str, list[int]] = {}
            for index, item in enumerate(kept):
                by_group.setdefault(str(item.metadata.get(self.group_by, "")), []).append(index)
            for name, indices in by_group.items():
                groups[name] = self._make_score(stats[indices], Counter(), (), interval)
        return self._make_score(stats, skipped, tuple(item_details), interval, groups)

    def aggregate(self, stats: np.ndarray) -> np.ndarray | float:
        return self.metric.aggregate(stats, self.aggregation)

    def _make_score(self, stats: np.ndarray, skipped: Counter[str], item_details: tuple[ItemDetail, ...],
                    interval: bool, groups: Mapping[str, Score] | None = None) -> Score:
        n = stats.shape[0]
        value: float | None = float(self.aggregate(stats)) if n else None
        if value is not None and math.isnan(value):
            value = None
        ci = self._interval(stats, value) if interval and n else None
        return Score(protocol=self.id, value=value, unit=self.metric.unit, direction=self.metric.direction,
                     n=n, skipped=dict(sorted(skipped.items())), signature=self.signature(),
                     items=item_details, stats=stats, interval=ci, aggregation=self.aggregation,
                     groups=dict(groups or {}))

    def _interval(self, stats: np.ndarray, value: float | None) -> Interval | None:
        if value is None or self.interval_method == "none":
            return None
        from evaluators.metrics.stats import bootstrap_interval, wilson_interval

        if self.interval_method == "wilson":
            return wilson_interval(float(stats[:, 0].sum()), int(stats[:, 1].sum()))
        return bootstrap_interval(stats, self.aggregate)
