"""Frozen generations as readable JSON, compared with a diff that names item, batch size and step.

A snapshot holds, per batch size and item, the generated token ids, the text and the top-k
log-probabilities of each step (rounded). Token ids and text must match exactly; log-probs within
``DTYPE_TOLERANCE`` (run-to-run noise of the last rounded digit must not fail a test, a real
drift must). Snapshot sets live in ``golden/snapshots/<platform class>/`` with a
``fingerprint.json`` beside them; syrupy stores and refreshes them (``pytest --snapshot-update``)
through ``syrupy_extension(platform_class)``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from runners.base import Generation

SNAPSHOT_ROOT = Path(__file__).resolve().parent.parent / "golden" / "snapshots"
NON_SNAPSHOT_FILES = frozenset({"fingerprint.json", "known_divergences.json"})
LOGPROB_DIGITS = 3
LOGPROB_TOLERANCE = 0.01
# Half precision moves log-probs run to run on a GPU with identical tokens: on an H200, tiny.en in
# fp16 at batch size 1 moved one step's log-prob by 0.023 between two processes. Tolerances follow
# the formats' resolution (fp16 has 10 mantissa bits, bf16 7).
DTYPE_TOLERANCE = {"fp32": LOGPROB_TOLERANCE, "fp16": 0.05, "bf16": 0.1}


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


def _step_mismatch(expected: list[list[float]], actual: list[list[float]], tolerance: float) -> str | None:
    if [int(pair[0]) for pair in expected] != [int(pair[0]) for pair in actual]:
        return f"top-k ids {[p[0] for p in expected]} -> {[p[0] for p in actual]}"
    worst = max((abs(float(a[1]) - float(e[1])) for e, a in zip(expected, actual, strict=True)), default=0.0)
    if worst > tolerance:
        return f"log-prob moved by {worst:.4f} (> {tolerance})"
    return None


def compare_documents(expected: Mapping[str, Any], actual: Mapping[str, Any],
                      tolerance: float = LOGPROB_TOLERANCE) -> list[str]:
    """Every difference, one line each, naming batch size, item and first divergent step."""
    problems: list[str] = []
    for key in ("model", "max_new_tokens", "top_k"):
        if expected.get(key) != actual.get(key):
            problems.append(f"{key}: snapshot {expected.get(key)!r}, now {actual.get(key)!r}")
    expected_runs, actual_runs = expected.get("runs", {}), actual.get("runs", {})
    for run in sorted(set(expected_runs) | set(actual_runs), key=lambda k: int(k[2:]) if k[2:].isdigit() else 0):
        size = run[2:]
        if run not in actual_runs or run not in expected_runs:
            problems.append(f"batch size {size}: {'missing now' if run not in actual_runs else 'not in snapshot'}")
            continue
        old, new = expected_runs[run], actual_runs[run]
        for item in sorted(set(old) | set(new)):
            if item not in old or item not in new:
                problems.append(f"item {item}, batch size {size}: {'missing now' if item not in new else 'new item'}")
                continue
            problems.extend(_compare_item(item, size, old[item], new[item], tolerance))
    return problems


def _compare_item(item: str, size: str, old: Mapping[str, Any], new: Mapping[str, Any], tolerance: float) -> list[str]:
    where = f"item {item}, batch size {size}"
    old_ids, new_ids = list(old.get("token_ids", [])), list(new.get("token_ids", []))
    for step in range(max(len(old_ids), len(new_ids))):
        a = old_ids[step] if step < len(old_ids) else None
        b = new_ids[step] if step < len(new_ids) else None
        if a != b:
            return [f"{where}: first divergent step {step}: token {a} -> {b}; "
                    f"text {old.get('text')!r} -> {new.get('text')!r}"]
    if old.get("text") != new.get("text"):
        return [f"{where}: same tokens, text {old.get('text')!r} -> {new.get('text')!r} (tokenizer changed?)"]
    for step, (e, a) in enumerate(zip(old.get("top_k", []), new.get("top_k", []), strict=False)):
        mismatch = _step_mismatch(e, a, tolerance)
        if mismatch:
            return [f"{where}: same tokens, first divergent step {step} in scores: {mismatch}"]
    return []


def _parse(data: Any) -> Any:
    return json.loads(data) if isinstance(data, str) else data


def syrupy_extension(platform: str, root: Path = SNAPSHOT_ROOT, fingerprint: Mapping[str, Any] | None = None) -> type:
    """A syrupy ``JSONSnapshotExtension`` storing under ``<root>/<platform>/<test file>/<test name>.json``.

    ``matches`` uses ``compare_documents`` (exact tokens, tolerant log-probs) and the failure diff
    starts with its lines, followed by the fingerprint differences when the environment changed.
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
                return not compare_documents(_parse(snapshot_data), _parse(serialized_data), tolerance_for(platform))
            except (json.JSONDecodeError, TypeError, AttributeError):
                return bool(serialized_data == snapshot_data)

        def diff_lines(self, serialized_data: Any, snapshot_data: Any) -> Iterable[str]:
            try:
                lines = compare_documents(_parse(snapshot_data), _parse(serialized_data), tolerance_for(platform))
            except (json.JSONDecodeError, TypeError, AttributeError):
                lines = []
            yield f"determinism snapshot mismatch on platform class {platform}:"
            yield from (f"  {line}" for line in lines)
            recorded_path = root / platform / "fingerprint.json"
            if current and recorded_path.is_file():
                from runners.fingerprint import fingerprint_differences

                changes = fingerprint_differences(json.loads(recorded_path.read_text(encoding="utf-8")), current)
                if changes:
                    yield "  environment changed since the snapshot was taken: " + "; ".join(changes)
            if not lines:
                yield from super().diff_lines(serialized_data, snapshot_data)

    DeterminismSnapshotExtension.__name__ = f"DeterminismSnapshotExtension_{platform.replace('-', '_')}"
    return DeterminismSnapshotExtension
