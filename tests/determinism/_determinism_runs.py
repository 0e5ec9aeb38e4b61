"""Runners and sweeps of the determinism tests, each built once per test session (module-level caches)."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def cached_runner(model: str, device: str, dtype: str, padding_side: str = "left"):  # noqa: ANN201
    import pytest

    from runners.ct2_whisper import ModelPackageUnavailableError
    from runners.items import make_runner

    try:
        return make_runner(model, device=device, dtype=dtype, padding_side=padding_side)
    except ModelPackageUnavailableError as error:
        pytest.skip(str(error))


# The CPU plan: few clips, chunked batches. Snapshots use it on every platform (so the cpu and cuda
# sets are comparable), and CPU batch-invariance and transcription tests reuse the very same runs.
SMALL_PLAN = {"items": 4, "batch_sizes": (2, 4), "arrangement": "chunk"}
MAX_NEW_TOKENS = {"tiny-whisper": 8, "tiny-qwen2-audio": 8, "tiny.en": 16, "qwen2-audio-4l-512": 16, "base": 16,
                  "base-lid": 1, "base-translate": 16}


@cache
def cached_sweep(model: str, device: str, dtype: str, padding_side: str, data_dir: str, items: int,
                 batch_sizes: tuple[int, ...], arrangement: str):  # noqa: ANN201
    from runners.items import workload
    from runners.sweep import run_sweep

    job = workload(model)
    inputs = job.items(Path(data_dir), limit=items)
    return run_sweep(cached_runner(model, device, dtype, padding_side), inputs, batch_sizes=batch_sizes,
                     arrangement=arrangement, max_new_tokens=MAX_NEW_TOKENS.get(model, job.max_new_tokens),
                     task_metric=job.metric(), metric_name=job.metric_name)
