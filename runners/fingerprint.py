"""Environment fingerprint and platform class of a determinism run.

A snapshot of greedy tokens and scores is only expected to repeat on the same kind of platform:
the same device type and dtype (``cpu-fp32``, ``cuda-bf16``, ...) select the snapshot set, and the
fingerprint (device name, driver, CUDA, torch, transformers, dtype) of each snapshot is stored in
its ``provenance.json`` (``runners.provenance``) so that a mismatch can be judged against what
actually changed (``runners.explain``).
"""

from __future__ import annotations

import platform
import subprocess
from pathlib import Path
from typing import Any

from evaluators.atomic import write_text_atomically


def device_type(device: str) -> str:
    return "cuda" if str(device).startswith("cuda") else "cpu"


def platform_class(device: str, dtype: str) -> str:
    """``<device type>-<dtype>``: the key of a snapshot set (``cpu-fp32``, ``cuda-bf16``)."""
    return f"{device_type(device)}-{dtype}"


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _nvidia_driver() -> str | None:
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=20, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip().splitlines()[0] if out.stdout.strip() else None


def environment_fingerprint(device: str, dtype: str) -> dict[str, Any]:
    """What can change generated tokens: hardware, driver, CUDA, library versions, dtype, threads."""
    import torch
    import transformers

    info: dict[str, Any] = {
        "platform_class": platform_class(device, dtype),
        "dtype": dtype,
        "torch": torch.__version__,
        "transformers": transformers.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    if device_type(device) == "cuda":
        index = torch.device(device).index or 0
        props = torch.cuda.get_device_properties(index)
        info |= {"device_name": torch.cuda.get_device_name(index), "driver": _nvidia_driver(),
                 "cuda": torch.version.cuda, "cudnn": torch.backends.cudnn.version(),
                 "compute_capability": f"{props.major}.{props.minor}",
                 "tf32_matmul": torch.backends.cuda.matmul.allow_tf32}
    else:
        info |= {"device_name": _cpu_name(), "driver": None, "torch_threads": torch.get_num_threads()}
    return info


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename (never a half-written file)."""
    write_text_atomically(Path(path), text)


def fingerprint_differences(recorded: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """Human-readable ``key: recorded -> current`` lines for the keys that differ (thread count ignored)."""
    keys = sorted((set(recorded) | set(current)) - {"torch_threads"})
    return [f"{key}: {recorded.get(key)!r} -> {current.get(key)!r}" for key in keys
            if recorded.get(key) != current.get(key)]
