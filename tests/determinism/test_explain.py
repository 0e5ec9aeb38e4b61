"""Failures that explain themselves: one test per kind, asserting the exact text a user reads.

Kinds (``runners.explain``): a near-tie flip, a large-margin change (likely a regression), a drift
of the scores with the same tokens; then whether the environment can explain it: a device-model
change measured in the snapshots' provenance, unmeasured software changes, or no change at all.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from runners.base import Generation
from runners.divergence import compare
from runners.provenance import (
    device_change_facts,
    may_overwrite,
    record_check,
    record_taken,
    snapshot_key,
)
from runners.snapshots import explain_lines, snapshot_outcome
from runners.sweep import SweepCase, SweepResult

pytestmark = pytest.mark.determinism

H200 = {"device_name": "NVIDIA H200", "compute_capability": "9.0", "torch": "2.11.0+cu130", "dtype": "fp16"}
H100 = {**H200, "device_name": "NVIDIA H100 80GB HBM3"}


def document(second_step: list[list[float]]) -> dict:
    """One item, two steps; the second step's top-3 is given (the generated token is its first id)."""
    record = {"text": "ab", "token_ids": [5, second_step[0][0]],
              "top_k": [[[5, -0.01], [6, -5.2], [7, -6.0]], second_step]}
    return {"model": "m", "max_new_tokens": 2, "top_k": 3,
            "runs": {"bs1": {"clip-a": record, "clip-b": copy.deepcopy(record)}}}


def flipped(expected: dict, token: int, text: str = "ac") -> dict:
    actual = copy.deepcopy(expected)
    record = actual["runs"]["bs1"]["clip-a"]
    record["token_ids"][1], record["text"] = token, text
    step = record["top_k"][1]
    record["top_k"][1] = [pair for pair in step if pair[0] == token] + [pair for pair in step if pair[0] != token]
    actual["runs"]["bs1"]["clip-b"]["top_k"][0][0][1] = -0.012  # a little drift elsewhere
    return actual


def provenance_h100_checked(delta: float) -> dict:
    data: dict = {}
    for name in ("a", "b"):
        record_taken(data, name, H200)
        record_check(data, name, H100, {"outcome": "within tolerance" if delta else "identical",
                                        "max_abs_logprob_delta": delta}, "2026-11-26")
    return data


def test_near_tie_flip_on_a_measured_gpu_change():
    expected = document([[9, -0.69], [8, -0.70], [7, -3.0]])  # margin 0.01 < fp16 drift 0.078
    lines = explain_lines(expected, flipped(expected, 8), "cuda-fp16", recorded=H200, current=H100,
                          provenance=provenance_h100_checked(0.023))
    assert lines == [
        "determinism snapshot mismatch on platform class cuda-fp16:",
        "  item clip-a, batch size 1: first divergent step 1: token 9 -> 8; text 'ab' -> 'ac'",
        "    near-tie flip: the snapshot's margin there (top-1 minus top-2 log-prob) is 0.01, at most the 0.078 "
        "that fp16 scores were measured to move (Whisper base, batch sizes 2-8 vs 1, NVIDIA H100 80GB HBM3, "
        "torch 2.11.0+cu130)",
        "  elsewhere: 1 item run(s) kept their tokens; largest log-prob drift 0.002 (tolerance 0.05)",
        "  environment: device model NVIDIA H200 -> NVIDIA H100 80GB HBM3; measured on 2 snapshot(s) of this class "
        "taken on NVIDIA H200 and checked on NVIDIA H100 80GB HBM3: tokens identical, log-probs moved by at most "
        "0.023: it can explain this",
    ]


def test_large_margin_change_is_called_a_likely_regression():
    expected = document([[9, -0.05], [8, -3.05], [7, -4.0]])  # margin 3.0
    lines = explain_lines(expected, flipped(expected, 8), "cuda-fp16", recorded=H200, current=H100,
                          provenance=provenance_h100_checked(0.023))
    assert lines[2] == ("    large-margin change (likely a regression): the snapshot's margin there is 3, 38x the "
                        "largest drift measured for fp16 (0.078, Whisper base, batch sizes 2-8 vs 1, NVIDIA H100 80GB "
                        "HBM3, torch 2.11.0+cu130); noise of that size cannot flip it")
    assert lines[-1].endswith("log-probs moved by at most 0.023: it does not explain this")


def test_drift_with_the_same_tokens():
    expected = document([[9, -0.05], [8, -3.05], [7, -4.0]])
    actual = copy.deepcopy(expected)
    actual["runs"]["bs1"]["clip-a"]["top_k"][1][0][1] = -0.14  # moved 0.09 > tolerance 0.05
    lines = explain_lines(expected, actual, "cuda-fp16", recorded=H200, current=H200)
    assert lines[1:3] == [
        "  item clip-a, batch size 1: same tokens, first divergent step 1 in scores: log-prob moved by 0.0900 (> 0.05)",
        "    drift: same tokens, log-prob moved by 0.09 > tolerance 0.05, beyond the 0.078 measured for fp16 "
        "(Whisper base, batch sizes 2-8 vs 1, NVIDIA H100 80GB HBM3, torch 2.11.0+cu130)"]
    assert lines[-1] == ("  environment: identical to the snapshot's: run-to-run nondeterminism of the kernels is "
                         "the only measured source left (between two processes on one GPU: fp16 moved up to 0.031, "
                         "bf16 0.124)")


def test_unmeasured_software_change_is_named_not_blamed():
    expected = document([[9, -0.05], [8, -3.05], [7, -4.0]])
    newer = {**H200, "torch": "2.12.0+cu130"}
    lines = explain_lines(expected, flipped(expected, 8), "cuda-fp16", recorded=H200, current=newer)
    assert lines[-1] == ("  environment: unmeasured software changes (torch: '2.11.0+cu130' -> '2.12.0+cu130'): they "
                         "change kernels and can explain anything; check them before re-taking the snapshot")


def test_unchecked_device_model_says_so():
    expected = document([[9, -0.69], [8, -0.70], [7, -3.0]])
    lines = explain_lines(expected, flipped(expected, 8), "cuda-fp16", recorded=H200, current=H100, provenance={})
    assert lines[-1] == ("  environment: device model NVIDIA H200 -> NVIDIA H100 80GB HBM3, never checked for this "
                         "class: whether it explains this is not measured")


def test_same_environment_cannot_explain_a_large_margin_change():
    expected = document([[9, -0.05], [8, -3.05], [7, -4.0]])
    lines = explain_lines(expected, flipped(expected, 8), "cpu-fp32", recorded=H200, current=H200)
    assert lines[-1] == ("  environment: identical to the snapshot's; it cannot explain a large-margin change: look at "
                         "the code (model loading, pre-processing, generation settings)")


def test_outcomes_identical_within_tolerance_mismatch():
    expected = document([[9, -0.05], [8, -3.05], [7, -4.0]])
    assert snapshot_outcome(expected, copy.deepcopy(expected), 0.05).outcome == "identical"
    nudged = copy.deepcopy(expected)
    nudged["runs"]["bs1"]["clip-a"]["top_k"][1][1][1] = -3.07
    outcome = snapshot_outcome(expected, nudged, 0.05)
    assert (outcome.outcome, outcome.max_abs_logprob_delta) == ("within tolerance", 0.02)
    assert snapshot_outcome(expected, flipped(expected, 8), 0.05).outcome == "mismatch"


def test_update_never_overwrites_another_device_models_snapshot():
    data: dict = {}
    key = snapshot_key("test_runner_snapshots.py", "test_generation_snapshot[fp16-base]")
    assert key == "test_runner_snapshots/test_generation_snapshot[fp16-base]"
    assert may_overwrite(None, H100)  # new snapshot
    record_taken(data, key, H200)
    assert may_overwrite(data[key], H200)
    assert not may_overwrite(data[key], H100)
    assert may_overwrite(data[key], H100, replace_device=True)
    record_check(data, key, H100, {"outcome": "mismatch", "max_abs_logprob_delta": 0.3}, "2026-11-26")
    facts = device_change_facts(data, "NVIDIA H200", "NVIDIA H100 80GB HBM3")
    assert (facts.snapshots, facts.mismatched, facts.max_abs_logprob_delta) == (1, 1, 0.3)
    assert data[key]["taken_on"]["device_name"] == "NVIDIA H200"  # the check did not re-take it


def generation(item: str, tokens: tuple[int, ...], scores: list[list[float]]) -> Generation:
    return Generation(item, "x", tokens, np.array(scores, dtype=np.float32))


def test_batch_invariance_message_names_the_kind():
    from test_batch_invariance import changed_cases_message

    reference = generation("a", (0, 1), [[5.0, 4.99, 0.0], [0.0, 9.0, 1.0]])
    near = generation("a", (1, 1), [[4.99, 5.0, 0.0], [0.0, 9.0, 1.0]])
    far_ref = generation("b", (0,), [[9.0, 1.0, 0.0]])
    far = generation("b", (2,), [[0.0, 1.0, 9.0]])
    same = generation("c", (0,), [[9.0, 1.0, 0.0]])
    result = SweepResult(runner={}, max_new_tokens=2, references={"a": reference, "b": far_ref, "c": same})
    result.cases = [SweepCase("a", 2, 0, ("b",), "x", compare(reference, near)),
                    SweepCase("b", 2, 1, ("a",), "x", compare(far_ref, far)),
                    SweepCase("c", 2, 0, ("a",), "x", compare(same, same))]
    assert changed_cases_message(result, "cuda-bf16").splitlines() == [
        "2/3 cases changed tokens against batch size 1 (same process and environment: only the batch differs):",
        "  item a bs 2 pos 0: first divergent step 0, token 0 -> 1: near-tie flip (margin 0.01 <= measured "
        "cuda-bf16 drift 0.625)",
        "  item b bs 2 pos 1: first divergent step 0, token 0 -> 2: large-margin change (likely a regression) "
        "(margin 8 > measured cuda-bf16 drift 0.625)",
        "  elsewhere: 1 cases kept their tokens; largest |Δscore| 0",
    ]
