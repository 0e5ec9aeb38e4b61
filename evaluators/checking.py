"""Evaluate a published number against a prediction set: the one verdict logic of the project.

``pytest -m paper_values``, the report and ``audiorepro check`` all call :func:`evaluate_entry`; nothing
else decides whether a number reproduces. Given a golden entry and a prediction set it

1. picks the **candidate protocols** (:func:`candidate_protocols`): the entry's own protocol (its first
   candidate) and the sweep — every other protocol of the family for raw model outputs, the entry's other
   candidates and the protocols that read normalised text for already-normalised text
   (:data:`NORMALISED_FORMATS`); protocols that cannot read the file (:func:`format_applicability`: a
   protocol for normalised text on raw outputs) or that an ``applicable(protocol)`` callback rejects (a
   BLEU tokeniser for another target language) are listed as ``not_applicable`` and never scored;
2. scores the set under each (through a :class:`Scorer`, which caches per set key, protocol and interval),
   picks the entry's group of a grouped score (MMAU sound/music/speech) and converts into the published
   unit; a protocol that cannot run or cannot read the items becomes an ``unavailable`` row with the
   reason, never an exception;
3. gives each row a **status** and the entry a **verdict**:

   * ``reproduces``: the value is within the entry's tolerance (half a unit of the last printed digit,
     :func:`evaluators.golden.tolerance`);
   * ``consistent``: not within tolerance, but the published value lies inside the row's 95 % interval
     (the run's noise);
   * ``differs``: outside both;
   * ``unavailable``: the protocol could not run (named reason); ``not_applicable``: not valid for the data.

   The entry's verdict is ``reproduces`` when some protocol reproduces; ``consistent`` when the entry's own
   protocol's row is consistent (or, when that protocol could not run, some other row is); ``differs`` when
   some protocol produced a value; ``unavailable`` otherwise. The **closest protocol** is the row with the
   smallest \\|Δ\\| (the entry's own protocol wins ties).

The paper_values tests additionally compare the entry's own protocol with the golden ``status``
(:func:`evaluators.golden.expected_outcome`); that is a regression rule on top of this verdict.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluators.errors import AudioreproError, ProtocolUnavailableError, UnknownProtocolError
from evaluators.golden import GoldenEntry, Predictions, to_published_unit
from evaluators.predictions.base import PredictionSet
from evaluators.protocols import all_protocols, get_protocol
from evaluators.protocols.base import Protocol, Score

#: statuses of one protocol row
ROW_STATUSES = ("reproduces", "consistent", "differs", "unavailable", "not_applicable")
#: verdicts of one published number
VERDICTS = ("reproduces", "consistent", "differs", "unavailable")
#: formats whose texts are already normalised by the benchmark: protocols that start from raw model output do
#: not apply to them, so their sweep is the entry's other candidate protocols only
NORMALISED_FORMATS = frozenset({"audiobench-score"})

#: the golden converter's default ``reason`` of an entry without predictions (not a known reason for a gap)
DEFAULT_NO_PREDICTIONS_REASON = "no public per-sample predictions for this number"

#: ``applicable(protocol) -> None`` (valid) or the reason it does not apply to these data
Applicability = Callable[[Protocol], "str | None"]


class NotReady(AudioreproError):
    """Something an entry needs is not in this checkout (a prediction format): named, never guessed."""


@dataclass
class ProtocolRow:
    """One candidate protocol's result for one entry, in the entry's published unit."""

    protocol: str
    status: str
    value: float | None = None
    interval: tuple[float, float] | None = None
    delta: float | None = None
    signature: str = ""
    n: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    reason: str | None = None
    primary: bool = False
    #: why there is no value: ``unavailable`` (cannot run here), ``no_items`` (every item skipped),
    #: ``error`` (the protocol cannot read these items), ``unit`` (no conversion into the published unit)
    failure: str | None = None

    @property
    def available(self) -> bool:
        return self.value is not None

    @property
    def delta_in_intervals(self) -> float | None:
        """Δ divided by the half-width of the row's 95 % interval (how many "noise units" away)."""
        if self.delta is None or self.interval is None:
            return None
        half = (self.interval[1] - self.interval[0]) / 2
        return None if half <= 0 or math.isnan(half) else self.delta / half

    def as_dict(self) -> dict[str, Any]:
        return {"protocol": self.protocol, "value": self.value,
                "interval": list(self.interval) if self.interval else None, "status": self.status,
                "delta": self.delta, "delta_in_intervals": self.delta_in_intervals, "signature": self.signature,
                "n": self.n, "skipped": dict(self.skipped), "reason": self.reason, "primary": self.primary}


@dataclass
class EntryVerdict:
    """Every candidate protocol's row for one published number, and the verdict over them."""

    entry: GoldenEntry
    verdict: str
    rows: list[ProtocolRow]
    closest_protocol: str | None = None
    reason: str = ""

    @property
    def primary(self) -> ProtocolRow | None:
        """The row of the entry's own protocol (``None`` when the entry names none)."""
        return next((row for row in self.rows if row.primary), None)

    @property
    def known_reason(self) -> str | None:
        """The entry's curated reason for its status (``None`` for the converter's default text)."""
        reason = self.entry.reason
        return reason if reason and reason != DEFAULT_NO_PREDICTIONS_REASON else None

    @property
    def closest(self) -> ProtocolRow | None:
        return next((row for row in self.rows if row.protocol == self.closest_protocol), None)

    def as_dict(self) -> dict[str, Any]:
        entry = self.entry
        closest = self.closest
        return {"entry": entry.id, "paper": entry.paper, "model": entry.model_key, "dataset": entry.dataset_key,
                "split": entry.split_key, "metric": entry.metric_key, "published": entry.value,
                "printed": entry.printed, "unit": entry.unit, "tolerance": entry.tolerance,
                "verdict": self.verdict, "closest_protocol": self.closest_protocol,
                "delta": closest.delta if closest else None,
                "delta_in_intervals": closest.delta_in_intervals if closest else None,
                "expected_status": entry.status, "known_reason": self.known_reason, "reason": self.reason or None,
                "results": [row.as_dict() for row in self.rows]}


# ----------------------------------------------------------------------------------------------
# scoring with a cache


class Scorer:
    """Scores prediction sets under protocols, once per (set key, protocol, interval).

    A file checked by several entries (MMAU sub-scores, answer-key revisions, several papers quoting one
    model) and the sweep then cost one pass per protocol. An interval-less score is never reused where an
    interval is asked for.
    """

    def __init__(self) -> None:
        self._scores: dict[tuple[Hashable, str, bool], Score] = {}

    def score(self, key: Hashable, predictions: PredictionSet, protocol: Protocol, *, interval: bool) -> Score:
        cache_key = (key, protocol.id, interval)
        if cache_key not in self._scores:
            self._scores[cache_key] = protocol.score(predictions, interval=interval, details=False)
        return self._scores[cache_key]


class GoldenSets:
    """Loads the public prediction set of a golden entry from the data directory, once per process."""

    def __init__(self) -> None:
        self._sets: dict[tuple[Any, ...], PredictionSet] = {}

    @staticmethod
    def key(predictions: Predictions) -> tuple[Any, ...]:
        return (predictions.file, predictions.format, tuple(sorted(predictions.options.items())))

    def load(self, data_dir: Path, predictions: Predictions) -> PredictionSet:
        """The verified set (every file checked against the manifest sha256); ``NotReady`` for a missing format."""
        from evaluators import sources
        from evaluators.predictions import FORMATS, load_predictions

        if predictions.format not in FORMATS:
            raise NotReady(f"prediction format {predictions.format!r} not registered yet "
                           f"(known: {', '.join(sorted(FORMATS))})")
        key = self.key(predictions)
        if key not in self._sets:
            path = sources.resolve(data_dir, predictions.file)
            options = predictions.loader_options(lambda rel: sources.resolve(data_dir, rel))
            self._sets[key] = load_predictions(path, predictions.format, **options)
        return self._sets[key]


# ----------------------------------------------------------------------------------------------
# candidates


def score_group(entry: GoldenEntry) -> str | None:
    """The group of a grouped score that holds the entry's number (MMAU sound/music/speech), if any."""
    if entry.dataset_key.startswith("mmau-"):
        part = entry.dataset_key.removeprefix("mmau-")
        return None if part == "average" else part
    return None


def pick(score: Score, entry: GoldenEntry) -> Score:
    """The part of ``score`` that the entry publishes (the whole score, or one group)."""
    group = score_group(entry)
    if group is None:
        return score
    if group not in score.groups:
        raise LookupError(f"{score.protocol} has no group {group!r} (groups: {', '.join(sorted(score.groups))})")
    return score.groups[group]


def reads_normalised_text(protocol: Protocol) -> bool:
    """A protocol whose input is text already normalised by the benchmark (ASR-AB-SCORED)."""
    return protocol.params.get("input") == "audiobench-normalised"


def format_applicability(protocol: Protocol, fmt: str | None) -> str | None:
    """``None`` when the protocol can read a file of format ``fmt``, else why not (raw vs normalised text)."""
    if fmt is None:
        return None
    if reads_normalised_text(protocol) and fmt not in NORMALISED_FORMATS:
        return (f"it scores text already normalised by AudioBench ({', '.join(sorted(NORMALISED_FORMATS))} files); "
                f"this is a {fmt} file of raw model outputs")
    return None


def candidate_protocols(entry: GoldenEntry, fmt: str | None, *, sweep: bool = True) -> list[Protocol]:
    """The entry's own protocol first, then the sweep (see the module docstring). Unknown ids are left out.

    For already-normalised text the sweep is the entry's other candidates and the family's protocols that
    read normalised text; for raw outputs every other protocol of the family (those that read normalised
    text are then listed as not applicable by :func:`format_applicability`).
    """
    if not entry.protocols:
        return []
    primary = get_protocol(entry.protocols[0])
    if not sweep:
        return [primary]
    if fmt in NORMALISED_FORMATS:
        others = []
        for protocol_id in entry.protocols[1:]:
            try:
                others.append(get_protocol(protocol_id))
            except UnknownProtocolError:
                continue
        others += [protocol for protocol in all_protocols(primary.family)
                   if reads_normalised_text(protocol) and protocol not in others and protocol.id != primary.id]
    else:
        others = [protocol for protocol in all_protocols(primary.family) if protocol.id != primary.id]
    return [primary, *others]


# ----------------------------------------------------------------------------------------------
# rows and verdicts


def row_status(entry: GoldenEntry, value: float, interval: tuple[float, float] | None) -> str:
    """``reproduces`` within tolerance, ``consistent`` inside the interval, else ``differs``."""
    if abs(value - entry.value) <= entry.tolerance:
        return "reproduces"
    if interval is not None and interval[0] <= entry.value <= interval[1]:
        return "consistent"
    return "differs"


def score_row(entry: GoldenEntry, protocol: Protocol, score: Callable[[], Score], *,
              primary: bool = False) -> ProtocolRow:
    """Score one protocol for one entry; every way it can fail becomes an ``unavailable`` row with the reason."""
    if protocol.unavailable:
        return ProtocolRow(protocol.id, "unavailable", signature=protocol.signature(), reason=protocol.unavailable,
                           primary=primary, failure="unavailable")
    try:
        result = pick(score(), entry)
    except ProtocolUnavailableError as error:
        return ProtocolRow(protocol.id, "unavailable", signature=protocol.signature(), reason=error.reason,
                           primary=primary, failure="unavailable")
    except Exception as error:  # noqa: BLE001  (a protocol that cannot read these items must not abort the sweep)
        return ProtocolRow(protocol.id, "unavailable", signature=protocol.signature(), primary=primary,
                           reason=f"cannot score these items: {type(error).__name__}: {error}", failure="error")
    if result.value is None:
        return ProtocolRow(protocol.id, "unavailable", signature=result.signature, n=0, skipped=dict(result.skipped),
                           reason=f"kept no item (skipped: {dict(result.skipped)})", primary=primary,
                           failure="no_items")
    try:
        value = to_published_unit(result.value, result.unit, entry.unit)
        interval = None
        if result.interval is not None and not math.isnan(result.interval.low):
            interval = (to_published_unit(result.interval.low, result.unit, entry.unit),
                        to_published_unit(result.interval.high, result.unit, entry.unit))
    except ValueError as error:
        return ProtocolRow(protocol.id, "unavailable", signature=result.signature, n=result.n,
                           skipped=dict(result.skipped), reason=str(error), primary=primary, failure="unit")
    return ProtocolRow(protocol.id, row_status(entry, value, interval), value=value, interval=interval,
                       delta=value - entry.value, signature=result.signature, n=result.n,
                       skipped=dict(result.skipped), primary=primary)


def decide(entry: GoldenEntry, rows: list[ProtocolRow]) -> EntryVerdict:
    """The verdict over the rows (rules in the module docstring) and the closest protocol."""
    measured = [row for row in rows if row.available]
    closest = min(measured, key=lambda row: (abs(row.delta or 0.0), not row.primary), default=None)
    primary = next((row for row in rows if row.primary), None)
    if any(row.status == "reproduces" for row in measured):
        verdict = "reproduces"
        closest = min((row for row in measured if row.status == "reproduces"),
                      key=lambda row: (not row.primary, abs(row.delta or 0.0)))
    elif primary is not None and primary.status == "consistent":
        verdict = "consistent"
    elif (primary is None or not primary.available) and any(row.status == "consistent" for row in measured):
        verdict = "consistent"
    elif measured:
        verdict = "differs"
    else:
        verdict = "unavailable"
    reason = ""
    if verdict == "unavailable":
        reasons = [f"{row.protocol}: {row.reason}" for row in rows if row.reason]
        reason = "; ".join(reasons) if reasons else "no candidate protocol is recorded for this entry"
    return EntryVerdict(entry, verdict, rows, closest.protocol if closest else None, reason)


def evaluate_entry(entry: GoldenEntry, predictions: PredictionSet, *, key: Hashable = None, fmt: str | None = None,
                   scorer: Scorer | None = None, sweep: bool = True, sweep_intervals: bool = False,
                   applicable: Applicability | None = None,
                   adapt: Callable[[Protocol], Protocol] | None = None) -> EntryVerdict:
    """Every candidate protocol's row for ``entry`` on ``predictions`` and the verdict (module docstring).

    ``key`` identifies the set for the scorer's cache (default: the object's id); ``fmt`` is its format name
    (decides the sweep for normalised text); the entry's own protocol always gets its 95 % interval, the
    sweep only with ``sweep_intervals``; ``applicable`` may reject protocols as ``not_applicable``; ``adapt`` may
    swap a protocol for a variant that suits the data (a fixed target language, see
    :func:`evaluators.language_pair.with_fixed_language`).
    """
    scorer = scorer or Scorer()
    key = id(predictions) if key is None else key
    rows: list[ProtocolRow] = []
    try:
        candidates = candidate_protocols(entry, fmt, sweep=sweep)
    except UnknownProtocolError as error:
        return EntryVerdict(entry, "unavailable", [], None, f"protocol not registered: {error}")
    for index, protocol in enumerate(candidates):
        primary = index == 0
        reason = format_applicability(protocol, fmt) or (applicable(protocol) if applicable is not None else None)
        if reason:
            rows.append(ProtocolRow(protocol.id, "not_applicable", signature=protocol.signature(), reason=reason,
                                    primary=primary))
            continue
        interval = primary or sweep_intervals
        protocol = adapt(protocol) if adapt is not None else protocol
        rows.append(score_row(entry, protocol, lambda p=protocol, i=interval: scorer.score(key, predictions, p,
                                                                                          interval=i),
                              primary=primary))
    return decide(entry, rows)


def match_entries(entries: Iterable[GoldenEntry], *, dataset: str, split: str, model: str | None = None,
                  task: str | None = None, pair: str | None = None) -> list[GoldenEntry]:
    """The published numbers a prediction file of ``dataset``/``split`` can be checked against.

    ``dataset`` matches a golden ``dataset_key`` exactly; with a ``pair`` (``en-ja``) ``<dataset>-<pair>``
    (``covost2`` → ``covost2-en-ja``); when neither key exists, every ``<dataset>-…`` key (a benchmark with
    sub-task entries: ``mmau`` → ``mmau-sound``, ``mmau-average``, …). ``model`` (``None``: every model)
    and ``task`` (the family of the entry's own protocol) narrow the match.
    """
    entries = list(entries)
    keys = {entry.dataset_key for entry in entries}
    if pair and f"{dataset}-{pair}" in keys:
        wanted = {f"{dataset}-{pair}"}
    elif dataset in keys:
        wanted = {dataset}
    else:
        wanted = {key for key in keys if key.startswith(dataset + "-")}
    out = []
    for entry in entries:
        if entry.dataset_key not in wanted or entry.split_key != split:
            continue
        if model is not None and entry.model_key != model:
            continue
        if task is not None and _family(entry) != task:
            continue
        out.append(entry)
    return out


def _family(entry: GoldenEntry) -> str | None:
    if not entry.protocols:
        return None
    try:
        return get_protocol(entry.protocols[0]).family
    except UnknownProtocolError:
        return None


def evaluate_entries(entries: Iterable[GoldenEntry], predictions: PredictionSet, **options: Any) -> list[EntryVerdict]:
    """:func:`evaluate_entry` for several entries sharing one set (one scorer, so each protocol runs once)."""
    options.setdefault("scorer", Scorer())
    return [evaluate_entry(entry, predictions, **options) for entry in entries]


__all__ = ["DEFAULT_NO_PREDICTIONS_REASON", "NORMALISED_FORMATS", "ROW_STATUSES", "VERDICTS", "EntryVerdict",
           "GoldenSets", "NotReady", "ProtocolRow", "Scorer", "candidate_protocols", "decide", "evaluate_entries",
           "evaluate_entry", "format_applicability", "match_entries", "pick", "reads_normalised_text", "row_status",
           "score_group", "score_row"]
