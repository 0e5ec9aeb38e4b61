"""Where each snapshot was taken, and on which device models it was checked since.

``golden/snapshots/<platform class>/provenance.json`` maps each snapshot (``<test file>/<test
name>``) to the environment fingerprint it was **taken** on and, per device model (``NVIDIA H200``,
``NVIDIA H100 80GB HBM3``, a CPU model), the outcome of the last **check** there::

    {"test_runner_snapshots/test_generation_snapshot[fp16-tiny.en]": {
        "taken_on": {"device_name": "NVIDIA H200", "torch": "2.11.0+cu130", ...},
        "checked_on": {"NVIDIA H100 80GB HBM3": {"outcome": "within tolerance",
                                                 "max_abs_logprob_delta": 0.023, "date": "2026-11-26", ...}}}}

Why per snapshot: the snapshots of one class can come from different GPU models (new models are
added where a GPU is lent), so one fingerprint per folder would claim a false origin, and a
``--snapshot-update`` on another GPU model would silently replace the set of the GPU it was taken
on. The checks are the measured facts that say whether a change of device model explains a
mismatch (``runners.explain``) and feed the report's per-GPU-model agreement table.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluators.errors import AudioreproError
from runners.fingerprint import atomic_write_text
from runners.snapshots import SNAPSHOT_ROOT

PROVENANCE_NAME = "provenance.json"
#: fingerprint keys that identify the device model rather than the software
DEVICE_MODEL_KEYS = frozenset({"device_name", "compute_capability"})


class ProvenanceError(AudioreproError, ValueError):
    """A provenance file that is not the documented JSON object."""


def snapshot_key(test_file: str, test_name: str) -> str:
    """``test_runner_snapshots/test_generation_snapshot[fp16-tiny.en]``: the snapshot file without ``.json``."""
    return f"{Path(test_file).stem}/{test_name}"


def provenance_path(platform: str, root: Path = SNAPSHOT_ROOT) -> Path:
    return Path(root) / platform / PROVENANCE_NAME


def read_provenance(platform: str, root: Path = SNAPSHOT_ROOT) -> dict[str, dict[str, Any]]:
    """The provenance of every snapshot of a class (empty when the class has none yet)."""
    path = provenance_path(platform, root)
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ProvenanceError(f"{path}: malformed JSON: {error.msg}") from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) and isinstance(v.get("taken_on"), dict)
                                             for v in data.values()):
        raise ProvenanceError(f"{path}: expected {{snapshot: {{'taken_on': {{...}}, 'checked_on': {{...}}}}}}")
    return data


def write_provenance(platform: str, data: Mapping[str, Any], root: Path = SNAPSHOT_ROOT) -> None:
    atomic_write_text(provenance_path(platform, root), json.dumps(dict(sorted(data.items())), indent=2,
                                                                  sort_keys=True) + "\n")


def device_model(fingerprint: Mapping[str, Any]) -> str:
    return str(fingerprint.get("device_name") or "unknown device")


def _software(fingerprint: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("torch", "transformers", "cuda", "cudnn", "driver", "python")
    return {key: fingerprint.get(key) for key in keys if fingerprint.get(key) is not None}


def may_overwrite(entry: Mapping[str, Any] | None, current: Mapping[str, Any], replace_device: bool = False) -> bool:
    """Whether ``--snapshot-update`` may rewrite a snapshot: it is new, or taken on this device model, or forced."""
    if entry is None or replace_device:
        return True
    return device_model(entry.get("taken_on", {})) == device_model(current)


def record_taken(data: dict[str, Any], key: str, fingerprint: Mapping[str, Any]) -> None:
    """The snapshot ``key`` was (re)written on ``fingerprint``: earlier checks described another snapshot."""
    data[key] = {"taken_on": dict(fingerprint), "checked_on": {}}


def record_check(data: dict[str, Any], key: str, fingerprint: Mapping[str, Any], outcome: Mapping[str, Any],
                 date: str) -> None:
    """The snapshot ``key`` was compared on ``fingerprint``'s device model with ``outcome``."""
    entry = data.get(key)
    if entry is None:
        return
    entry.setdefault("checked_on", {})[device_model(fingerprint)] = {**dict(outcome), "date": date,
                                                                      **_software(fingerprint)}


@dataclass(frozen=True)
class DeviceChangeFacts:
    """What was measured when snapshots of a class taken on ``source`` were checked on ``target``."""

    source: str
    target: str
    snapshots: int
    mismatched: int
    max_abs_logprob_delta: float

    def sentence(self) -> str:
        tokens = "tokens identical" if not self.mismatched else f"{self.mismatched} of them mismatched"
        return (f"measured on {self.snapshots} snapshot(s) of this class taken on {self.source} and checked on "
                f"{self.target}: {tokens}, log-probs moved by at most {self.max_abs_logprob_delta:.3g}")


def device_change_facts(data: Mapping[str, Any], source: str, target: str) -> DeviceChangeFacts | None:
    """Checks on ``target`` of the snapshots taken on ``source`` (None when no such check exists)."""
    count = mismatched = 0
    worst = 0.0
    for entry in data.values():
        if device_model(entry.get("taken_on", {})) != source:
            continue
        check = entry.get("checked_on", {}).get(target)
        if not check:
            continue
        count += 1
        mismatched += check.get("outcome") == "mismatch"
        worst = max(worst, float(check.get("max_abs_logprob_delta") or 0.0))
    if not count:
        return None
    return DeviceChangeFacts(source, target, count, mismatched, worst)


def agreement_rows(platforms: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One row per snapshot and device model it was taken or checked on, for the report's GPU-model table."""
    rows = []
    for platform, data in sorted(platforms.items()):
        for key, entry in sorted(data.items()):
            taken = device_model(entry.get("taken_on", {}))
            rows.append({"platform": platform, "snapshot": key, "device_model": taken, "role": "taken",
                         "outcome": "reference", "max_abs_logprob_delta": 0.0,
                         "torch": entry.get("taken_on", {}).get("torch")})
            for device, check in sorted(entry.get("checked_on", {}).items()):
                rows.append({"platform": platform, "snapshot": key, "device_model": device, "role": "checked",
                             "outcome": check.get("outcome"),
                             "max_abs_logprob_delta": check.get("max_abs_logprob_delta"),
                             "torch": check.get("torch"), "date": check.get("date")})
    return rows
