"""A protocol is data: an id, the public code it reproduces, ordered steps, parameters, a metric.

``Protocol.score`` runs the steps on every item of a ``PredictionSet``:

1. *skip* steps decide whether an item is scored at all (missed EOS, no kana, not two speakers);
   a skipped item leaves numerator **and** denominator, and its reason is counted;
2. *transform* steps rewrite the hypothesis, the references, or both (EOS removal, normalisers);
3. the metric turns each kept item into sufficient statistics (a *batched* metric — Java scorers, an LLM
   judge — all kept items at once, optionally with a note per item such as a judge's verdict);
4. the statistics are aggregated (corpus or macro, stated explicitly) and given a 95 % interval.

This loop is the only code that turns items into a ``Score``: protocols differ by their steps, their
metric and its hooks (``metrics.base.Metric``), never by overriding ``score``.

The result is a ``Score`` whose **signature** names the protocol and every parameter that can
change the number, like sacreBLEU's ``nrefs:1|case:mixed|tok:13a|...``. Two scores with different
signatures are never compared silently.

numpy and the interval code are imported when a set is scored, not when protocols are declared, so
describing a protocol (``audiorepro protocols ASR-AB``) does not pay for them.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from evaluators import __version__
from evaluators.errors import ItemInputError, MetricUnavailableError, PredictionFormatError, ProtocolUnavailableError
from evaluators.metrics.base import Metric, SetStatistics
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.score import ItemDetail, Score
from evaluators.text.memo import RunCache
from evaluators.versions import library_version

if TYPE_CHECKING:
    import numpy as np

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
    * ``target="item"``: ``apply(prepared) -> prepared`` for steps that need both sides or metadata (it may
      return a skip reason instead, when the same look at the item decides both).
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
    #: run-scoped caches (memoised normalisers) that live for one ``score`` call only
    memos: tuple[RunCache, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        object.__setattr__(self, "sources", tuple(self.sources))
        object.__setattr__(self, "steps", tuple(self.steps))
        if not self.sources:
            raise ValueError(f"protocol {self.id} must cite the public code it reproduces")

    # -- description -------------------------------------------------------------------------
    def signature(self, metric: Metric | None = None) -> str:
        """sacreBLEU-style signature: protocol id, parameters, aggregation and library versions (of the metric
        as bound to the scored set or judge, when given)."""
        fields: dict[str, str] = {"proto": self.id}
        fields.update({key: _format_param(value) for key, value in self.params.items()})
        fields.update((metric or self.metric).signature_fields())
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

    def with_judge(self, backend: Any, cache: Any = None, *, decoding: Any = None) -> Protocol:
        """This judge protocol with its judge bound for the next ``score`` calls: ``backend`` (a
        ``JudgeBackend``), an optional ``JudgementCache`` and a ``DecodingConfig`` (default: the settings the
        cited code sends). Only protocols whose metric is an LLM judge can be bound."""
        bind = getattr(self.metric, "bind", None)
        if bind is None:
            raise ValueError(f"{self.id} is not scored by an LLM judge; only judge protocols take a backend")
        # a judge protocol is declared unavailable for want of a judge; bound, it has one
        return dataclasses.replace(self, metric=bind(backend, cache, decoding), unavailable=None)

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
        """Score a prediction set: the one loop that turns items into a ``Score``.

        What differs between protocols is data, not code: steps prepare or skip items (and may add metadata,
        e.g. AIR-Bench's task key), the metric gives statistics one item at a time or — ``metric.batched`` —
        for all kept items at once (Java scorers, an LLM judge's concurrent calls), ``metric.for_items`` binds
        set-level data first (CMI-Bench's label set), and ``memos`` are run-scoped normaliser caches.

        Raises ``ProtocolUnavailableError`` when the protocol or its metric cannot run here (checked before any
        work), and ``PredictionFormatError`` naming the file, the item and the field when an item (or the set)
        cannot be scored as given (a step or metric raised ``ItemInputError``).
        """
        reason = self.unavailable or self.metric.unavailable_reason()
        if reason:
            raise ProtocolUnavailableError(self.id, reason)
        source = getattr(predictions, "source", "predictions")
        items = tuple(predictions)
        try:
            metric = self.metric.for_items(items)
        except ItemInputError as error:
            raise PredictionFormatError(source, str(error), field=error.field) from None
        with ExitStack() as stack:
            for memo in self.memos:
                stack.enter_context(memo.run())
            outcomes = [self._prepare_named(item, source) for item in items]
            kept = [prepared for prepared in outcomes if not isinstance(prepared, str)]
            stats, notes, run = self._statistics(metric, kept, source)
        skipped = Counter(outcome for outcome in outcomes if isinstance(outcome, str))
        item_details: list[ItemDetail] = []
        if details:
            rows = iter(range(len(kept)))
            for item, prepared in zip(items, outcomes, strict=True):
                if isinstance(prepared, str):
                    item_details.append(ItemDetail(item.id, None, (), skipped=prepared))
                    continue
                index = next(rows)
                row = tuple(float(x) for x in stats[index])
                item_details.append(ItemDetail(item.id, prepared.hypothesis, prepared.references, row,
                                               metric.item_value(row),
                                               notes=notes[index] if notes is not None else None))
        groups: dict[str, Score] = {}
        for name, indices in self._groups(kept, notes).items():
            groups[name] = self._make_score(metric, stats[indices], Counter(), (), interval,
                                            notes=[notes[i] for i in indices] if notes is not None else None)
        return self._make_score(metric, stats, skipped, tuple(item_details), interval, groups, notes=notes, run=run)

    def _prepare_named(self, item: PredictionItem, source: str) -> Prepared | str:
        try:
            return self.prepare(item)
        except ItemInputError as error:
            raise PredictionFormatError(source, str(error), item=item.id, field=error.field) from None

    def _statistics(self, metric: Metric, kept: Sequence[Prepared], source: str) -> SetStatistics:
        """The statistics rows of the kept items (with a batched metric's per-item notes and run facts)."""
        import numpy as np

        width = len(metric.stat_names)
        if metric.batched:
            try:
                stats, notes, run = metric.set_stats(kept)
            except MetricUnavailableError as error:
                raise ProtocolUnavailableError(self.id, str(error)) from None
            except ItemInputError as error:
                raise PredictionFormatError(source, str(error), item=error.item, field=error.field) from None
            return SetStatistics(np.asarray(stats, dtype=float).reshape(len(kept), width or -1), notes, run)
        rows: list[Sequence[float]] = []
        for prepared in kept:
            try:
                rows.append(tuple(map(float, metric.item_stats(prepared.hypothesis, prepared.references,
                                                                prepared.item.metadata))))
            except ItemInputError as error:
                raise PredictionFormatError(source, str(error), item=prepared.item.id, field=error.field) from None
            except MetricUnavailableError as error:
                raise ProtocolUnavailableError(self.id, str(error)) from None
        if not rows:
            return SetStatistics(np.zeros((0, width)))
        return SetStatistics(np.asarray(rows, dtype=float).reshape(len(rows), width or -1))

    def _groups(self, kept: Sequence[Prepared], notes: Sequence[Any] | None) -> dict[str, list[int]]:
        """Indices of the kept items per group: the ``group_by`` metadata value, else the metric's per-item
        ``group`` note (an LLM judge's category); items without a group belong to none."""
        by_group: dict[str, list[int]] = {}
        if self.group_by:
            for index, prepared in enumerate(kept):
                by_group.setdefault(str(prepared.item.metadata.get(self.group_by, "")), []).append(index)
        elif notes:
            for index, note in enumerate(notes):
                group = getattr(note, "group", None)
                if group is not None:
                    by_group.setdefault(str(group), []).append(index)
            by_group = dict(sorted(by_group.items()))
        return by_group

    def aggregate(self, stats: np.ndarray) -> np.ndarray | float:
        return self.metric.aggregate(stats, self.aggregation)

    def _make_score(self, metric: Metric, stats: np.ndarray, skipped: Counter[str],
                    item_details: tuple[ItemDetail, ...], interval: bool, groups: Mapping[str, Score] | None = None,
                    *, notes: Sequence[Any] | None = None, run: Mapping[str, Any] | None = None) -> Score:
        """The score of the rows ``stats``: value, interval, count and the metric's summary of the items' notes
        (``run``: facts of the whole scoring call, reported on the top-level score only)."""
        n = stats.shape[0]

        def aggregate(rows: np.ndarray) -> np.ndarray | float:
            return metric.aggregate(rows, self.aggregation)

        value: float | None = float(aggregate(stats)) if n else None
        if value is not None and math.isnan(value):
            value = None
        summary = dict(metric.summary(stats, notes)) if notes is not None else {}
        problem = summary.pop("unavailable_reason", None)
        if problem:
            value = None
        ci, named = (metric.intervals(stats, value, self.interval_method, aggregate)
                     if interval and n and value is not None else (None, {}))
        if named:
            summary["intervals"] = {name: iv.as_dict() for name, iv in named.items()}
        summary.update(run or {})
        return Score(protocol=self.id, value=value, unit=metric.unit, direction=metric.direction,
                     n=metric.count(stats), skipped=dict(sorted(skipped.items())), signature=self.signature(metric),
                     items=item_details, stats=stats, interval=ci, aggregation=self.aggregation,
                     available=problem is None, unavailable_reason=problem, groups=dict(groups or {}),
                     extras=summary)
