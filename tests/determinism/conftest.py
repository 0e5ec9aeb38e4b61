"""Fixtures of the determinism suite: device, dtype per platform, cached runners, snapshots.

Without ``--gpu`` everything runs on the CPU in float32 and only the ``cpu-fp32`` snapshot set is
compared. With ``--gpu`` the same tests run on ``cuda`` for fp32, bf16 and fp16 and compare with
the ``cuda-<dtype>`` sets. Batch-invariance cases that are known to diverge on a platform class are
listed, with the measured divergence, in ``golden/snapshots/<class>/known_divergences.json`` and
become strict xfails, so a change in either direction is noticed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _determinism_runs import SMALL_PLAN, cached_runner, cached_sweep

from runners.fingerprint import environment_fingerprint, platform_class, write_fingerprint
from runners.snapshots import SNAPSHOT_ROOT, syrupy_extension

CPU_DTYPES = ("fp32",)
GPU_DTYPES = ("fp32", "bf16", "fp16")
_USED_PLATFORMS: set[tuple[str, str]] = set()


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
    """syrupy's ``snapshot`` stored under ``golden/snapshots/<platform class>/`` as readable JSON."""
    platform = platform_class(device, dtype)
    _USED_PLATFORMS.add((device, dtype))
    return snapshot.use_extension(syrupy_extension(platform, fingerprint=environment_fingerprint(device, dtype)))


@pytest.fixture(scope="session", autouse=True)
def _write_fingerprints(request: pytest.FixtureRequest):  # noqa: ANN202
    """On ``--snapshot-update``, record the environment beside each snapshot set that was written."""
    yield
    if not request.config.getoption("update_snapshots", default=False):
        return
    for device_name, dtype in sorted(_USED_PLATFORMS):
        target = Path(SNAPSHOT_ROOT) / platform_class(device_name, dtype) / "fingerprint.json"
        write_fingerprint(target, environment_fingerprint(device_name, dtype))
