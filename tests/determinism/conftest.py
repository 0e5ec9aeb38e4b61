"""Fixtures of the determinism suite: device, dtype per platform, cached runners, snapshots.

Without ``--gpu`` everything runs on the CPU in float32 and only the ``cpu-fp32`` snapshot set is
compared. With ``--gpu`` the same tests run on ``cuda`` for fp32, bf16 and fp16 and compare with
the ``cuda-<dtype>`` sets. Batch-invariance cases that are known to diverge on a platform class are
listed, with the measured divergence, in ``golden/snapshots/<class>/known_divergences.json`` and
become strict xfails, so a change in either direction is noticed.

Snapshots and device models (``runners.provenance``): every comparison is attached to the report
with the device model it ran on and the ones the snapshot was taken and checked on. With
``--snapshot-update`` a snapshot is (re)written only on the device model it was taken on (or when
it is new); on another model it is compared, the check is recorded in ``provenance.json``, and a
mismatch fails the test instead of replacing the snapshot, unless ``--snapshot-replace-device``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from _determinism_runs import SMALL_PLAN, cached_runner, cached_sweep

from evaluators.verdict import attach_determinism
from runners.fingerprint import environment_fingerprint, platform_class
from runners.provenance import (
    device_model,
    may_overwrite,
    read_provenance,
    record_check,
    record_taken,
    snapshot_key,
    write_provenance,
)
from runners.snapshots import SNAPSHOT_ROOT, syrupy_extension

CPU_DTYPES = ("fp32",)
GPU_DTYPES = ("fp32", "bf16", "fp16")


def known_divergences(platform: str) -> dict[str, str]:
    path = SNAPSHOT_ROOT / platform / "known_divergences.json"
    if not path.is_file():
        return {}
    return {key: value["measured"] for key, value in json.loads(path.read_text(encoding="utf-8")).items()}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "dtype" not in metafunc.fixturenames:
        return
    gpu = metafunc.config.getoption("--gpu")
    dtypes = CPU_DTYPES
    if gpu:
        from runners.base import supported_dtypes

        available = supported_dtypes("cuda")
        # without any CUDA device keep all three: the ``device`` fixture then skips with the reason
        dtypes = tuple(d for d in GPU_DTYPES if d in available) if len(available) > 1 else GPU_DTYPES
    if "invariance_case" not in metafunc.fixturenames:
        metafunc.parametrize("dtype", dtypes)
        return
    cases = metafunc.module.INVARIANCE_CASES_GPU if gpu else metafunc.module.INVARIANCE_CASES_CPU
    params = []
    for dtype in dtypes:
        known = known_divergences(platform_class("cuda" if gpu else "cpu", dtype))
        for case in cases:
            key = "-".join(str(part) for part in case)
            marks = []
            if key in known:
                marks.append(pytest.mark.xfail(strict=True, reason=f"known divergence: {known[key]}"))
            params.append(pytest.param(dtype, case, id=f"{dtype}-{key}", marks=marks))
    metafunc.parametrize(("dtype", "invariance_case"), params)


@pytest.fixture(scope="session")
def device(use_gpu: bool) -> str:
    if not use_gpu:
        return "cpu"
    import torch

    if not torch.cuda.is_available():
        pytest.skip("--gpu given but torch sees no CUDA device")
    return "cuda"


@pytest.fixture(scope="session")
def runner_factory():  # noqa: ANN201
    """``runner_factory(model, device, dtype, padding_side)``: one loaded runner per combination, per session."""
    return cached_runner


@pytest.fixture(scope="session")
def small_sweep(data_dir: Path | None, device: str):  # noqa: ANN201
    """``small_sweep(model, dtype, padding_side="left")``: the SMALL_PLAN sweep, run once per session."""
    if data_dir is None:
        pytest.skip("no data directory: the determinism runs use the SAKURA clips (set AUDIOREPRO_DATA)")

    def run(model: str, dtype: str, padding_side: str = "left"):  # noqa: ANN202
        return cached_sweep(model, device, dtype, padding_side, str(data_dir), SMALL_PLAN["items"],
                            SMALL_PLAN["batch_sizes"], SMALL_PLAN["arrangement"])

    return run


@pytest.fixture
def determinism_snapshot(snapshot, device: str, dtype: str, request: pytest.FixtureRequest):  # noqa: ANN001, ANN201
    """syrupy's ``snapshot`` stored under ``golden/snapshots/<platform class>/`` as readable JSON.

    Guards the device model of each snapshot (see the module docstring) and attaches the outcome
    to the report's determinism section.
    """
    platform = platform_class(device, dtype)
    current = environment_fingerprint(device, dtype)
    key = snapshot_key(request.node.path.name, request.node.name)
    entry = read_provenance(platform).get(key)
    taken_on = device_model(entry["taken_on"]) if entry else None
    update = bool(request.config.getoption("update_snapshots", default=False))
    guarded = update and not may_overwrite(entry, current, request.config.getoption("--snapshot-replace-device"))
    outcomes: list = []
    asserted: list[bool] = []

    class RecordingExtension(syrupy_extension(platform, fingerprint=current, key=key, on_compare=outcomes.append)):
        def serialize(self, data, **options):  # noqa: ANN001, ANN003, ANN201
            asserted.append(True)  # the test reached its snapshot assertion
            return super().serialize(data, **options)

    extension = RecordingExtension
    if guarded:
        class GuardedExtension(extension):  # compares, never asks syrupy to write: the snapshot stays as taken
            def matches(self, *, serialized_data, snapshot_data):  # noqa: ANN001, ANN202
                super().matches(serialized_data=serialized_data, snapshot_data=snapshot_data)
                return True

        extension = GuardedExtension
    yield snapshot.use_extension(extension)
    outcome = outcomes[-1] if outcomes else None
    model = request.node.callspec.params.get("model", request.node.name) if hasattr(request.node, "callspec") \
        else request.node.name
    if asserted:
        attach_determinism(request.node.user_properties, {
            "record": "snapshot", "model": model, "platform": platform, "dtype": dtype,
            "device_model": device_model(current), "taken_on": taken_on or device_model(current),
            "checked_on": {name: {key: check.get(key) for key in ("outcome", "max_abs_logprob_delta")}
                           for name, check in (entry or {}).get("checked_on", {}).items()},
            "outcome": outcome.outcome if outcome else "taken now",
            "max_abs_logprob_delta": outcome.max_abs_logprob_delta if outcome else 0.0})
    if not update or not asserted:
        return
    provenance = read_provenance(platform)
    if entry is None or outcome is None or (outcome.outcome == "mismatch" and not guarded):
        record_taken(provenance, key, current)  # new, or rewritten by syrupy on its own device model
    elif outcome is not None:
        record_check(provenance, key, current, outcome.as_dict(), date.today().isoformat())
    write_provenance(platform, provenance)
    if guarded and outcome is not None and outcome.outcome == "mismatch":
        pytest.fail(f"{key}: NOT overwritten: taken on {taken_on}, this run is on {device_model(current)} "
                    f"(pass --snapshot-replace-device to replace it); the mismatch, recorded in provenance.json:\n"
                    + "\n".join(f"  {m.message}" for m in outcome.mismatches[:6]), pytrace=False)
