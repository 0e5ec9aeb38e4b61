"""Batch invariance: greedy tokens of every item at batch size b equal its batch-size-1 tokens.

Each case runs the sweep harness (``runners.sweep``) and fails with the list of changed items, the
first divergent step and the reference margin there. Cases that are known to diverge on a platform
class (e.g. right padding of a decoder-only model) are strict xfails with the measured divergence
(``golden/snapshots/<class>/known_divergences.json``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _determinism_runs import SMALL_PLAN, cached_sweep

from evaluators.verdict import attach_determinism
from runners.explain import explain_changed_case
from runners.fingerprint import atomic_write_text, environment_fingerprint, platform_class

pytestmark = pytest.mark.determinism

# (model, padding side); dtype comes from the platform (conftest.pytest_generate_tests).
INVARIANCE_CASES_CPU = [
    ("tiny-whisper", "left"),
    ("tiny-qwen2-audio", "left"),
    ("tiny-qwen2-audio", "right"),
    ("tiny.en", "left"),
    ("base", "left"),
    ("base-lid", "left"),
    ("base-translate", "left"),
]
INVARIANCE_CASES_GPU = INVARIANCE_CASES_CPU + [("qwen2-audio-4l-512", "left")]

# On CUDA: every clip at every position of batches of 2, 4 and 8 (each with different neighbours).
GPU_PLAN = {"items": 8, "batch_sizes": (2, 4, 8), "arrangement": "rotate"}


def write_measurement(report_dir: Path, device: str, dtype: str, key: str, result) -> None:
    """Keep the measured table and every case (reports/determinism/<class>/<case>.json) for docs/determinism.md."""
    document = {"fingerprint": environment_fingerprint(device, dtype), "case": key, **result.as_dict()}
    atomic_write_text(report_dir / "determinism" / platform_class(device, dtype) / f"{key}.json",
                      json.dumps(document, indent=1) + "\n")


def attach_to_report(request: pytest.FixtureRequest, device: str, dtype: str, model: str, padding_side: str,
                     result) -> None:
    """One row per batch size for the report's Determinism section (``evaluators.verdict.attach_determinism``)."""
    for row in result.summary():
        attach_determinism(request.node.user_properties, {
            "model": model, "platform": platform_class(device, dtype), "dtype": dtype, "padding": padding_side,
            "batch_size": row.batch_size, "items_changed": row.items_changed, "n_items": row.items,
            "cases_changed": row.cases_changed, "n_cases": row.cases, "max_abs_logit_delta": row.max_abs_score_delta,
            "min_margin": row.min_margin_at_divergence, "min_reference_margin": row.min_reference_margin,
            "metric": result.metric_name, "metric_bs1": row.metric_bs1, "metric_bs": row.metric,
            "nonfinite_cases": row.cases_nonfinite})


def changed_cases_message(result, platform: str) -> str:
    """What a user reads when batching changed tokens: each case with its kind, then the drift elsewhere."""
    changed = result.changed_cases()
    lines = [f"{len(changed)}/{len(result.cases)} cases changed tokens against batch size 1 (same process and "
             f"environment: only the batch differs):"]
    for case in changed[:6]:
        d = case.divergence
        lines.append(f"  item {case.item_id} bs {case.batch_size} pos {case.position}: first divergent step "
                     f"{d.first_divergent_step}, token {d.reference_token} -> {d.other_token}: "
                     f"{explain_changed_case(d.reference_margin, platform)}")
    kept = [case for case in result.cases if case.divergence.identical]
    if kept:
        lines.append(f"  elsewhere: {len(kept)} cases kept their tokens; largest |Δscore| "
                     f"{max(case.divergence.max_abs_score_delta for case in kept):.3g}")
    return "\n".join(lines)


def test_batch_invariance(dtype, invariance_case, device, use_gpu, small_sweep, data_dir, report_dir, request):
    model, padding_side = invariance_case
    if use_gpu:
        result = cached_sweep(model, device, dtype, padding_side, str(data_dir), GPU_PLAN["items"],
                              GPU_PLAN["batch_sizes"], GPU_PLAN["arrangement"])
        expected_sizes = list(GPU_PLAN["batch_sizes"])
    else:
        result = small_sweep(model, dtype, padding_side)
        expected_sizes = list(SMALL_PLAN["batch_sizes"])
    write_measurement(report_dir, device, dtype, f"{model}-{padding_side}", result)
    attach_to_report(request, device, dtype, model, padding_side, result)
    summary = result.summary()
    assert [row.batch_size for row in summary] == expected_sizes
    changed = result.changed_cases()
    assert not changed, changed_cases_message(result, platform_class(device, dtype))
    # Identical tokens give identical texts, hence the task metric cannot move.
    # (Non-finite scores are reported in the measurement, not failed: random fp16 models overflow.)
    assert all(row.metric == row.metric_bs1 for row in summary)
