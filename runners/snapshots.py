"""Frozen generations as readable JSON, compared with a diff that names item, batch size and step.

A snapshot holds, per batch size and item, the generated token ids, the text and the top-k
log-probabilities of each step (rounded). Token ids and text must match exactly; log-probs within
``DTYPE_TOLERANCE`` (run-to-run noise of the last rounded digit must not fail a test, a real
drift must). Snapshot sets live in ``golden/snapshots/<platform class>/`` with a
``provenance.json`` beside them (where each snapshot was taken and checked, ``runners.provenance``);
syrupy stores and refreshes them (``pytest --snapshot-update``) through
``syrupy_extension(platform_class)``. A failure explains itself (``explain_lines``, ``runners.explain``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from runners.base import Generation

SNAPSHOT_ROOT = Path(__file__).resolve().parent.parent / "golden" / "snapshots"
NON_SNAPSHOT_FILES = frozenset({"provenance.json", "known_divergences.json"})
LOGPROB_DIGITS = 3
LOGPROB_TOLERANCE = 0.01
# Half precision moves log-probs run to run on a GPU with identical tokens: on an H200, tiny.en in
# fp16 at batch size 1 moved one step's log-prob by 0.023 between two processes; on an H100,
# Whisper base moved by up to 0.031 in fp16 and 0.124 in bf16 (translation, batch size 2) between
# two processes. Tolerances follow those measurements and the formats' resolution (fp16 has 10
# mantissa bits, bf16 7): about twice the largest run-to-run move seen.
DTYPE_TOLERANCE = {"fp32": LOGPROB_TOLERANCE, "fp16": 0.05, "bf16": 0.25}


def tolerance_for(platform: str) -> float:
    """Log-prob tolerance of a platform class (``cuda-bf16`` -> the bf16 tolerance)."""
    return DTYPE_TOLERANCE.get(platform.rsplit("-", 1)[-1], LOGPROB_TOLERANCE)


def log_softmax(scores: np.ndarray) -> np.ndarray:
    scores = scores.astype(np.float64)
    finite = np.isfinite(scores)
    top = np.max(scores[finite]) if np.any(finite) else 0.0
    shifted = np.where(finite, scores - top, -np.inf)
    return shifted - np.log(np.sum(np.exp(shifted[finite])))


def generation_record(generation: Generation, top_k: int = 3) -> dict[str, Any]:
    """Text, token ids and, per step, the top-k ``[token id, log-prob]`` pairs (log-probs rounded)."""
    steps = []
    for row in generation.scores:
        logprobs = log_softmax(row)
        order = np.argsort(-logprobs, kind="stable")[:top_k]
        steps.append([[int(token), round(float(logprobs[token]), LOGPROB_DIGITS)] for token in order])
    return {"text": generation.text, "token_ids": list(generation.token_ids), "top_k": steps}


def snapshot_document(runs: Mapping[int, Sequence[Generation]], *, model: str, max_new_tokens: int,
                      top_k: int = 3) -> dict[str, Any]:
    """The snapshot of one model: ``{"model", "max_new_tokens", "runs": {"bs<N>": {item: record}}}``."""
    return {"model": model, "max_new_tokens": max_new_tokens, "top_k": top_k,
            "runs": {f"bs{size}": {g.id: generation_record(g, top_k) for g in runs[size]} for size in sorted(runs)}}


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(item) for item in value), default=0)
    if isinstance(value, dict):
        return 99
    return 0


def _compact(value: Any, indent: int) -> str:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = ",\n".join(f"{pad}  {json.dumps(key, ensure_ascii=False)}: {_compact(item, indent + 2)}"
                           for key, item in value.items())
        return "{\n" + inner + "\n" + pad + "}"
    if isinstance(value, list) and value and _depth(value) > 2:
        inner = ",\n".join(f"{pad}  {_compact(item, indent + 2)}" for item in value)
        return "[\n" + inner + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def dumps(document: Any) -> str:
    """JSON with one line per top-k step and token ids on one line: readable in a review diff."""
    return _compact(document, 0) + "\n"


@dataclass(frozen=True)
class Mismatch:
    """One difference between a snapshot and a new run.

    ``kind``: ``token`` (a different token at ``step``), ``scores`` (same tokens, a log-prob moved
    by ``delta`` beyond the tolerance, or the top-k ids changed), ``text`` (same tokens, other
    text) or ``structure`` (an item, batch size or header field missing or changed).
    ``margin`` is the snapshot's top-1 minus top-2 log-prob at ``step`` (token changes only).
    """

    message: str
    kind: str
    item: str | None = None
    batch_size: str | None = None
    step: int | None = None
    margin: float | None = None
    delta: float | None = None


@dataclass(frozen=True)
class SnapshotOutcome:
    """``identical``, ``within tolerance`` or ``mismatch``; the largest log-prob move over matching top-k steps."""

    outcome: str
    max_abs_logprob_delta: float
    mismatches: tuple[Mismatch, ...]

    def as_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "max_abs_logprob_delta": round(self.max_abs_logprob_delta, 4),
                "mismatches": len(self.mismatches)}


def _step_delta(expected: list[list[float]], actual: list[list[float]]) -> float | None:
    """Largest |Δ log-prob| of one step's top-k, matched by token id; None when the top-k really changed.

    The chosen (top-1) token must be the same. Below it, ranks may swap (two candidates tied, e.g.
    both at -3.105 in fp16) and a candidate may cross the top-k boundary; such a candidate is
    compared with the other run's lowest top-k log-prob, so a tie at the boundary costs only its gap.
    None when the top-1 differs, or when a candidate appears in one top-k with a log-prob the other
    run's boundary cannot account for (it then moved further than any boundary tie, see the caller).
    """
    if not expected or not actual or int(expected[0][0]) != int(actual[0][0]):
        return None
    old = {int(token): float(value) for token, value in expected}
    new = {int(token): float(value) for token, value in actual}
    deltas = [abs(old[token] - new[token]) for token in old.keys() & new.keys()]
    old_floor, new_floor = min(old.values()), min(new.values())
    # a candidate that left the top-k is now at most new_floor: it moved by at least (value - new_floor)
    deltas += [max(0.0, value - new_floor) for token, value in old.items() if token not in new]
    deltas += [max(0.0, value - old_floor) for token, value in new.items() if token not in old]
    return max(deltas, default=0.0)


def _swap_gap(expected: list[list[float]], actual: list[list[float]]) -> float | None:
    """The snapshot's log-prob gap at the first rank whose token changed (how near that tie was)."""
    for rank, (e, a) in enumerate(zip(expected, actual, strict=False)):
        if int(e[0]) != int(a[0]):
            if rank == 0:
                return _margin(expected)
            return round(float(expected[rank - 1][1]) - float(expected[rank][1]), LOGPROB_DIGITS)
    return None


def _margin(step: list[list[float]] | None) -> float | None:
    if not step or len(step) < 2:
        return None
    return round(float(step[0][1]) - float(step[1][1]), LOGPROB_DIGITS)


def find_mismatches(expected: Mapping[str, Any], actual: Mapping[str, Any],
                    tolerance: float = LOGPROB_TOLERANCE) -> list[Mismatch]:
    """Every difference, naming batch size, item and first divergent step (at most one per item)."""
    problems: list[Mismatch] = []
    for key in ("model", "max_new_tokens", "top_k"):
        if expected.get(key) != actual.get(key):
            problems.append(Mismatch(f"{key}: snapshot {expected.get(key)!r}, now {actual.get(key)!r}", "structure"))
    expected_runs, actual_runs = expected.get("runs", {}), actual.get("runs", {})
    for run in sorted(set(expected_runs) | set(actual_runs), key=lambda k: int(k[2:]) if k[2:].isdigit() else 0):
        size = run[2:]
        if run not in actual_runs or run not in expected_runs:
            state = "missing now" if run not in actual_runs else "not in snapshot"
            problems.append(Mismatch(f"batch size {size}: {state}", "structure", batch_size=size))
            continue
        old, new = expected_runs[run], actual_runs[run]
        for item in sorted(set(old) | set(new)):
            if item not in old or item not in new:
                state = "missing now" if item not in new else "new item"
                problems.append(Mismatch(f"item {item}, batch size {size}: {state}", "structure", item=item,
                                         batch_size=size))
                continue
            mismatch = _compare_item(item, size, old[item], new[item], tolerance)
            if mismatch:
                problems.append(mismatch)
    return problems


def compare_documents(expected: Mapping[str, Any], actual: Mapping[str, Any],
                      tolerance: float = LOGPROB_TOLERANCE) -> list[str]:
    """Every difference, one line each, naming batch size, item and first divergent step."""
    return [mismatch.message for mismatch in find_mismatches(expected, actual, tolerance)]


def max_logprob_delta(expected: Mapping[str, Any], actual: Mapping[str, Any]) -> float:
    """Largest |Δ log-prob| over every step whose top-k ids agree, all items and batch sizes."""
    worst = 0.0
    for run, old_items in expected.get("runs", {}).items():
        new_items = actual.get("runs", {}).get(run, {})
        for item, old in old_items.items():
            new = new_items.get(item)
            if not new:
                continue
            for e, a in zip(old.get("top_k", []), new.get("top_k", []), strict=False):
                delta = _step_delta(e, a)
                if delta is not None:
                    worst = max(worst, delta)
    return round(worst, LOGPROB_DIGITS + 1)


def snapshot_outcome(expected: Mapping[str, Any], actual: Mapping[str, Any],
                     tolerance: float = LOGPROB_TOLERANCE) -> SnapshotOutcome:
    """Compare a run with its snapshot: the outcome, the largest same-top-k log-prob move and the mismatches."""
    mismatches = tuple(find_mismatches(expected, actual, tolerance))
    if mismatches:
        outcome = "mismatch"
    elif dumps(dict(expected)) == dumps(dict(actual)):
        outcome = "identical"
    else:
        outcome = "within tolerance"
    return SnapshotOutcome(outcome, max_logprob_delta(expected, actual), mismatches)


def _compare_item(item: str, size: str, old: Mapping[str, Any], new: Mapping[str, Any],
                  tolerance: float) -> Mismatch | None:
    where = f"item {item}, batch size {size}"
    old_ids, new_ids = list(old.get("token_ids", [])), list(new.get("token_ids", []))
    old_steps = old.get("top_k", [])
    for step in range(max(len(old_ids), len(new_ids))):
        a = old_ids[step] if step < len(old_ids) else None
        b = new_ids[step] if step < len(new_ids) else None
        if a != b:
            return Mismatch(f"{where}: first divergent step {step}: token {a} -> {b}; "
                            f"text {old.get('text')!r} -> {new.get('text')!r}", "token", item, size, step,
                            margin=_margin(old_steps[step] if step < len(old_steps) else None))
    if old.get("text") != new.get("text"):
        return Mismatch(f"{where}: same tokens, text {old.get('text')!r} -> {new.get('text')!r} (tokenizer changed?)",
                        "text", item, size)
    for step, (e, a) in enumerate(zip(old_steps, new.get("top_k", []), strict=False)):
        delta = _step_delta(e, a)
        if delta is None:
            return Mismatch(f"{where}: same tokens, first divergent step {step} in scores: "
                            f"top-k ids {[p[0] for p in e]} -> {[p[0] for p in a]}", "scores", item, size, step,
                            margin=_swap_gap(e, a))
        if delta > tolerance:
            return Mismatch(f"{where}: same tokens, first divergent step {step} in scores: "
                            f"log-prob moved by {delta:.4f} (> {tolerance})", "scores", item, size, step,
                            delta=delta)
    return None


def _parse(data: Any) -> Any:
    return json.loads(data) if isinstance(data, str) else data


def explain_lines(expected: Mapping[str, Any], actual: Mapping[str, Any], platform: str, *,
                  recorded: Mapping[str, Any] | None = None, current: Mapping[str, Any] | None = None,
                  provenance: Mapping[str, Any] | None = None) -> list[str]:
    """The failure text a user reads: each mismatch with its kind, the drift elsewhere, the environment verdict."""
    from runners.explain import classify, environment_verdict, explain_mismatch

    tolerance = tolerance_for(platform)
    mismatches = find_mismatches(expected, actual, tolerance)
    lines = [f"determinism snapshot mismatch on platform class {platform}:"]
    for mismatch in mismatches:
        lines.append(f"  {mismatch.message}")
        explanation = explain_mismatch(mismatch, platform, tolerance)
        if explanation:
            lines.append(f"    {explanation}")
    failed = {(m.item, m.batch_size) for m in mismatches}
    matched = {run: {item: record for item, record in records.items() if (item, run[2:]) not in failed}
               for run, records in expected.get("runs", {}).items()}
    count = sum(len(records) for records in matched.values())
    if count:
        delta = max_logprob_delta({"runs": matched}, actual)
        lines.append(f"  elsewhere: {count} item run(s) kept their tokens; largest log-prob drift {delta:.3g} "
                     f"(tolerance {tolerance})")
    kinds = [kind for kind in (classify(m, platform) for m in mismatches) if kind]
    margins = [m.margin for m in mismatches if m.kind == "token" and m.margin is not None]
    deltas = [m.delta for m in mismatches if m.delta is not None]
    if current:
        lines += [f"  {line}" for line in environment_verdict(
            recorded, current, kinds, provenance or {}, max(margins, default=None), max(deltas, default=None))]
    return lines


def syrupy_extension(platform: str, root: Path = SNAPSHOT_ROOT, fingerprint: Mapping[str, Any] | None = None,
                     key: str | None = None, on_compare: Any = None) -> type:
    """A syrupy ``JSONSnapshotExtension`` storing under ``<root>/<platform>/<test file>/<test name>.json``.

    ``matches`` uses ``compare_documents`` (exact tokens, tolerant log-probs); ``on_compare(outcome)``
    receives the ``SnapshotOutcome`` of each comparison. The failure diff is ``explain_lines``:
    each mismatch with its kind and the environment verdict against the fingerprint the snapshot
    ``key`` was taken on (``runners.provenance``).
    """
    from syrupy.extensions.json import JSONSnapshotExtension

    current = dict(fingerprint or {})

    class DeterminismSnapshotExtension(JSONSnapshotExtension):
        platform_class = platform

        @classmethod
        def dirname(cls, *, test_location: Any) -> str:
            return str(root / cls.platform_class / test_location.basename)

        def is_snapshot_location(self, *, location: str) -> bool:
            return Path(location).name not in NON_SNAPSHOT_FILES and super().is_snapshot_location(location=location)

        def serialize(self, data: Any, **_: Any) -> str:
            return dumps(data)

        def matches(self, *, serialized_data: Any, snapshot_data: Any) -> bool:
            try:
                outcome = snapshot_outcome(_parse(snapshot_data), _parse(serialized_data), tolerance_for(platform))
            except (json.JSONDecodeError, TypeError, AttributeError):
                return bool(serialized_data == snapshot_data)
            if on_compare is not None:
                on_compare(outcome)
            return outcome.outcome != "mismatch"

        def diff_lines(self, serialized_data: Any, snapshot_data: Any) -> Iterable[str]:
            from runners.provenance import read_provenance

            try:
                expected, actual = _parse(snapshot_data), _parse(serialized_data)
                provenance = read_provenance(platform, root)
                recorded = provenance.get(key, {}).get("taken_on") if key else None
                yield from explain_lines(expected, actual, platform, recorded=recorded, current=current,
                                         provenance=provenance)
            except (json.JSONDecodeError, TypeError, AttributeError):
                yield f"determinism snapshot mismatch on platform class {platform}:"
                yield from super().diff_lines(serialized_data, snapshot_data)

    DeterminismSnapshotExtension.__name__ = f"DeterminismSnapshotExtension_{platform.replace('-', '_')}"
    return DeterminismSnapshotExtension
