"""Say what kind of determinism failure a mismatch is, and whether the environment can explain it.

A changed greedy token means little by itself: a near tie (top-1 and top-2 almost equal) flips
under any kernel change, a token chosen by a wide margin does not. So every token change is
classified against the score drift that its platform class was **measured** to produce with
identical tokens (``MEASURED_DRIFT``, from ``docs/determinism.md``):

* **near-tie flip**: the reference margin at the first divergent step is at most that drift;
* **large-margin change (likely a regression)**: the margin is larger, no measured source of noise
  reaches it;
* **drift**: same tokens, a log-prob moved past the tolerance (within the measured drift or not).

The environment is then judged with measured facts only: a change of device model is looked up
in the snapshots' provenance (snapshots of this class taken on the old model and checked on the
new one, ``runners.provenance``), and library/CUDA/driver changes, never measured here, are named
as unmeasured rather than blamed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from runners.fingerprint import fingerprint_differences
from runners.provenance import DEVICE_MODEL_KEYS, device_change_facts, device_model
from runners.snapshots import Mismatch

#: Largest |Δ score| with identical tokens measured for real-weight Whisper (tiny.en, base) per platform
#: class, over batch sizes 2-8 against batch size 1, and where (docs/determinism.md has the tables).
MEASURED_DRIFT: dict[str, tuple[float, str]] = {
    "cpu-fp32": (6.0e-5, "Whisper base translation, batch size 4 vs 1, Intel Xeon, torch 2.13.0+cpu"),
    "cuda-fp32": (7.1e-4, "Whisper base transcription, batch size 2 vs 1, NVIDIA H100 80GB HBM3, torch 2.11.0+cu130"),
    "cuda-fp16": (0.078, "Whisper base, batch sizes 2-8 vs 1, NVIDIA H100 80GB HBM3, torch 2.11.0+cu130"),
    "cuda-bf16": (0.625, "Whisper base, batch sizes 2-8 vs 1, NVIDIA H100 80GB HBM3, torch 2.11.0+cu130"),
}
NEAR_TIE = "near-tie flip"
LARGE_MARGIN = "large-margin change (likely a regression)"
DRIFT = "drift"


def measured_drift(platform: str) -> tuple[float, str]:
    """The measured drift of a class (the fp32 CUDA figure for an unknown CUDA class, CPU's otherwise)."""
    if platform in MEASURED_DRIFT:
        return MEASURED_DRIFT[platform]
    return MEASURED_DRIFT["cuda-fp32" if platform.startswith("cuda") else "cpu-fp32"]


def classify(mismatch: Mismatch, platform: str) -> str | None:
    """``near-tie flip``, ``large-margin change (likely a regression)``, ``drift`` or None (structure/text)."""
    drift, _source = measured_drift(platform)
    if mismatch.kind == "token" or (mismatch.kind == "scores" and mismatch.margin is not None):
        if mismatch.margin is None:  # the snapshot has no step there (one run stopped earlier)
            return LARGE_MARGIN
        return NEAR_TIE if mismatch.margin <= drift else LARGE_MARGIN
    if mismatch.kind == "scores":
        return DRIFT
    return None


def explain_mismatch(mismatch: Mismatch, platform: str, tolerance: float) -> str | None:
    """One sentence: the kind and the numbers that decide it."""
    kind = classify(mismatch, platform)
    drift, source = measured_drift(platform)
    dtype = platform.rsplit("-", 1)[-1]
    if kind == NEAR_TIE:
        return (f"{kind}: the snapshot's margin there (top-1 minus top-2 log-prob) is {mismatch.margin:.3g}, "
                f"at most the {drift:.3g} that {dtype} scores were measured to move ({source})")
    if kind == LARGE_MARGIN:
        margin = "no snapshot step there" if mismatch.margin is None else f"the snapshot's margin there is " \
            f"{mismatch.margin:.3g}, {mismatch.margin / drift:.0f}x"
        return (f"{kind}: {margin} the largest drift measured for {dtype} ({drift:.3g}, {source}); "
                f"noise of that size cannot flip it")
    if kind == DRIFT:
        within = "within" if (mismatch.delta or 0.0) <= drift else "beyond"
        return (f"{kind}: same tokens, log-prob moved by {mismatch.delta:.3g} > tolerance {tolerance}, "
                f"{within} the {drift:.3g} measured for {dtype} ({source})")
    return None


def environment_verdict(recorded: Mapping[str, Any] | None, current: Mapping[str, Any], kinds: Sequence[str],
                        provenance: Mapping[str, Any], worst_margin: float | None,
                        worst_delta: float | None) -> list[str]:
    """Whether the environment differences can explain mismatches of ``kinds``, with measured facts.

    ``worst_margin`` is the largest snapshot margin among the token changes, ``worst_delta`` the
    largest log-prob move among the drifts: a measured device-model change explains them only if
    it moved scores at least that far.
    """
    if not recorded:
        return ["environment: the snapshot has no recorded fingerprint, so nothing can be said about it"]
    changes = fingerprint_differences(dict(recorded), dict(current))
    if not changes:
        if LARGE_MARGIN in kinds:
            return ["environment: identical to the snapshot's; it cannot explain a large-margin change: "
                    "look at the code (model loading, pre-processing, generation settings)"]
        return ["environment: identical to the snapshot's: run-to-run nondeterminism of the kernels is "
                "the only measured source left (between two processes on one GPU: fp16 moved up to 0.031, bf16 0.124)"]
    device_keys = {line.split(":", 1)[0] for line in changes} & DEVICE_MODEL_KEYS
    software = [line for line in changes if line.split(":", 1)[0] not in DEVICE_MODEL_KEYS]
    lines = []
    if device_keys:
        source, target = device_model(recorded), device_model(current)
        facts = device_change_facts(provenance, source, target)
        if facts is None:
            lines.append(f"environment: device model {source} -> {target}, never checked for this class: "
                         "whether it explains this is not measured")
        else:
            reach = facts.max_abs_logprob_delta
            explains = ((worst_margin is None or worst_margin <= reach)
                        and (worst_delta is None or worst_delta <= reach)
                        and not facts.mismatched)
            verdict = "it can explain this" if explains else "it does not explain this"
            lines.append(f"environment: device model {source} -> {target}; {facts.sentence()}: {verdict}")
    if software:
        lines.append("environment: unmeasured software changes (" + "; ".join(software) + "): they change "
                     "kernels and can explain anything; check them before re-taking the snapshot")
    return lines


def explain_changed_case(reference_margin: float | None, platform: str) -> str:
    """Kind of a batch-invariance token change (same process and environment: only the batch differs)."""
    drift, _source = measured_drift(platform)
    if reference_margin is not None and reference_margin <= drift:
        return f"{NEAR_TIE} (margin {reference_margin:.3g} <= measured {platform} drift {drift:.3g})"
    margin = "no reference step" if reference_margin is None else f"margin {reference_margin:.3g}"
    return f"{LARGE_MARGIN} ({margin} > measured {platform} drift {drift:.3g})"
