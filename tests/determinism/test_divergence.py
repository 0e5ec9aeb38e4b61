"""The divergence analysis on hand-made generations, and the harness property on a real tiny model."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from runners.base import AudioInput, Generation
from runners.divergence import compare, score_delta, top2_margin
from runners.sweep import batch_plan, run_sweep

pytestmark = pytest.mark.determinism


def generation(tokens, rows, name="a"):
    return Generation(id=name, text="", token_ids=tuple(tokens), scores=np.array(rows, dtype=np.float32))


def test_identical_generations_report_no_divergence():
    ref = generation([0, 2], [[3.0, 1.0, 0.5], [0.0, 1.0, 2.0]])
    result = compare(ref, ref)
    assert result.identical and result.first_divergent_step is None
    assert result.max_abs_score_delta == 0.0
    assert result.min_reference_margin == pytest.approx(1.0)  # step 1: 2.0 - 1.0


def test_flip_reports_step_margin_and_drift():
    # step 0 agrees (drift 0.25); at step 1 the reference prefers token 2 by 0.1, the batched run flips to 1
    ref = generation([0, 2, 1], [[3.0, 1.0, 0.5], [0.0, 1.9, 2.0], [0.0, 5.0, 0.0]])
    other = generation([0, 1, 1], [[3.25, 1.0, 0.5], [0.0, 2.05, 2.0], [0.0, 5.0, 0.0]])
    result = compare(ref, other)
    assert not result.identical
    assert result.first_divergent_step == 1
    assert (result.reference_token, result.other_token) == (2, 1)
    assert result.reference_margin == pytest.approx(0.1, abs=1e-6)
    assert result.max_abs_score_delta == pytest.approx(0.25)
    assert result.compared_steps == 2  # the step after the flip has another prefix: not compared


def test_early_end_is_a_divergence_at_the_shorter_length():
    ref = generation([4, 5], [[0.0] * 6, [0.0] * 6])
    other = generation([4], [[0.0] * 6])
    result = compare(ref, other)
    assert result.first_divergent_step == 1 and result.other_token is None and result.reference_token == 5


@pytest.mark.parametrize(("a", "b", "expected"), [
    ([1.0, -math.inf], [1.5, -math.inf], 0.5),        # equal suppression masks: compared on finite entries
    ([1.0, -math.inf], [1.0, 0.0], math.inf),          # a token suppressed in one run only
    ([-math.inf, -math.inf], [-math.inf, -math.inf], 0.0),
])
def test_score_delta_handles_suppressed_tokens(a, b, expected):
    assert score_delta(np.array(a), np.array(b)) == expected


def test_nan_scores_are_flagged_even_when_tokens_agree():
    ref = generation([1], [[0.0, 1.0, -math.inf]])
    overflowed = generation([1], [[math.nan, math.nan, math.nan]])
    result = compare(ref, overflowed)
    assert result.identical and result.nonfinite_scores
    assert not compare(ref, ref).nonfinite_scores  # -inf (a suppressed token) is not an overflow


def test_top2_margin():
    assert top2_margin(np.array([0.5, 3.0, -math.inf, 2.5])) == pytest.approx(0.5)
    assert top2_margin(np.array([1.0, -math.inf])) == math.inf


@pytest.mark.parametrize(("count", "size", "arrangement", "expected"), [
    (4, 2, "chunk", [(0, 1), (2, 3)]),
    (5, 2, "chunk", [(0, 1), (2, 3), (4,)]),
    (4, 2, "rotate", [(0, 1), (2, 3), (1, 2), (3, 0)]),
    (3, 3, "rotate", [(0, 1, 2), (1, 2, 0), (2, 0, 1)]),
])
def test_batch_plan(count, size, arrangement, expected):
    assert batch_plan(count, size, arrangement) == expected


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 7), min_size=1, max_size=6),
       st.integers(0, 2**31 - 1))
def test_compare_with_itself_never_diverges(tokens, seed):
    rows = np.random.default_rng(seed).normal(size=(len(tokens), 8))
    g = generation(tokens, rows)
    result = compare(g, g)
    assert result.identical and result.max_abs_score_delta == 0.0


@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), seconds=st.floats(0.3, 2.0))
def test_harness_reports_no_divergence_for_a_model_run_twice_at_bs1(runner_factory, device, seed, seconds):
    """Property of the harness on a real (tiny, random) model: the same input twice at bs 1 never diverges."""
    wave = np.random.default_rng(seed).normal(scale=0.1, size=int(seconds * 16_000)).astype(np.float32)
    item = AudioInput(id="noise", waveform=wave)
    runner = runner_factory("tiny-whisper", device, "fp32")
    first = runner.generate([item], 6)[0]
    result = run_sweep(runner, [item], batch_sizes=(), references={"noise": first})
    second = runner.generate([item], 6)[0]
    assert compare(first, second).identical
    assert compare(first, second).max_abs_score_delta == 0.0
    assert result.cases == [] and result.summary() == []
