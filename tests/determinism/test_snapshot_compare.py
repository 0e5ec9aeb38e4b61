"""Snapshot documents: readable layout, exact tokens, tolerant log-probs, diffs naming item/batch size/step."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from runners.base import Generation
from runners.fingerprint import fingerprint_differences, platform_class
from runners.snapshots import compare_documents, dumps, snapshot_document, tolerance_for

pytestmark = pytest.mark.determinism


def document():
    scores = np.log(np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]], dtype=np.float32))
    runs = {1: [Generation("clip-a", "ab", (0, 2), scores)], 4: [Generation("clip-a", "ab", (0, 2), scores)]}
    return snapshot_document(runs, model="m", max_new_tokens=2, top_k=2)


def test_document_holds_tokens_text_and_rounded_top_k():
    doc = document()
    record = doc["runs"]["bs1"]["clip-a"]
    assert record["token_ids"] == [0, 2] and record["text"] == "ab"
    assert record["top_k"][0] == [[0, round(float(np.log(0.7)), 3)], [1, round(float(np.log(0.2)), 3)]]


def test_layout_is_one_line_per_step():
    text = dumps(document())
    assert '"token_ids": [0, 2]' in text
    assert "[[0, -0.357], [1, -1.609]]" in text
    assert json.loads(text) == document()


def test_identical_documents_match():
    assert compare_documents(document(), document()) == []


def test_token_change_names_item_batch_size_and_step():
    changed = copy.deepcopy(document())
    changed["runs"]["bs4"]["clip-a"]["token_ids"] = [0, 1]
    changed["runs"]["bs4"]["clip-a"]["text"] = "aa"
    assert compare_documents(document(), changed) == [
        "item clip-a, batch size 4: first divergent step 1: token 2 -> 1; text 'ab' -> 'aa'"]


def test_small_log_prob_noise_passes_and_drift_fails():
    noisy = copy.deepcopy(document())
    noisy["runs"]["bs1"]["clip-a"]["top_k"][1][0][1] += 0.004
    assert compare_documents(document(), noisy) == []
    drifted = copy.deepcopy(document())
    drifted["runs"]["bs1"]["clip-a"]["top_k"][1][0][1] += 0.05
    problems = compare_documents(document(), drifted)
    assert problems == ["item clip-a, batch size 1: same tokens, first divergent step 1 in scores: "
                        "log-prob moved by 0.0500 (> 0.01)"]
    assert compare_documents(document(), drifted, tolerance_for("cuda-bf16")) == []


def test_missing_items_and_runs_are_reported():
    fewer = copy.deepcopy(document())
    del fewer["runs"]["bs4"]
    fewer["runs"]["bs1"]["clip-b"] = fewer["runs"]["bs1"]["clip-a"]
    assert compare_documents(document(), fewer) == ["item clip-b, batch size 1: new item", "batch size 4: missing now"]


@pytest.mark.parametrize(("device_name", "dtype_name", "expected"), [
    ("cpu", "fp32", "cpu-fp32"), ("cuda", "bf16", "cuda-bf16"), ("cuda:3", "fp16", "cuda-fp16")])
def test_platform_class(device_name, dtype_name, expected):
    assert platform_class(device_name, dtype_name) == expected


def test_fingerprint_differences_ignore_thread_count():
    old = {"torch": "2.13.0", "torch_threads": 2, "device_name": "x"}
    new = {"torch": "2.14.0", "torch_threads": 8, "device_name": "x"}
    assert fingerprint_differences(old, new) == ["torch: '2.13.0' -> '2.14.0'"]


def test_tied_candidates_below_the_chosen_token_may_swap():
    """fp16 on an H100: ranks 2 and 3 tied at -3.105 swapped between two processes; tokens are unchanged."""
    expected = document()
    expected["runs"]["bs1"]["clip-a"]["top_k"][0] = [[0, -1.3], [7, -3.105], [9, -3.105]]
    swapped = copy.deepcopy(expected)
    swapped["runs"]["bs1"]["clip-a"]["top_k"][0] = [[0, -1.31], [9, -3.104], [7, -3.106]]
    assert compare_documents(expected, swapped, 0.05) == []
    crossed = copy.deepcopy(expected)  # 9 dropped just below the boundary, 4 entered at the same value
    crossed["runs"]["bs1"]["clip-a"]["top_k"][0] = [[0, -1.3], [7, -3.105], [4, -3.106]]
    assert compare_documents(expected, crossed, 0.05) == []
    jumped = copy.deepcopy(expected)  # 4 entered far above where 9 was: a real change
    jumped["runs"]["bs1"]["clip-a"]["top_k"][0] = [[0, -1.3], [4, -1.5], [7, -3.105]]
    assert compare_documents(expected, jumped, 0.05) == [
        "item clip-a, batch size 1: same tokens, first divergent step 0 in scores: log-prob moved by 1.6050 (> 0.05)"]
