"""``audiorepro infer``: manifests, deterministic shards, merge in manifest order, generic-jsonl output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest

from evaluators.cli import main
from evaluators.errors import PredictionFormatError
from evaluators.predictions import load_predictions
from evaluators.predictions.base import PredictionItem
from runners.infer import merge_shards, read_manifest, sakura_manifest, shard

pytestmark = pytest.mark.determinism
ROOT = Path(__file__).resolve().parents[2]


def write_noise(path: Path, seconds: float, seed: int) -> None:
    samples = (np.random.default_rng(seed).normal(scale=0.1, size=int(seconds * 16_000)) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(16_000)
        handle.writeframes(samples.tobytes())


@pytest.fixture
def manifest(tmp_path):
    lines = []
    for index in range(3):
        write_noise(tmp_path / f"clip{index}.wav", 0.5 + 0.3 * index, index)
        lines.append(json.dumps({"id": f"c{index}", "audio": f"clip{index}.wav", "prompt": "Transcribe.",
                                 "reference": f"words {index}", "metadata": {"set": "noise"}}))
    path = tmp_path / "manifest.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("line", "message"), [
    ('{"id": "a"}', "line 1, field 'audio': missing or not a string"),
    ('{"id": "a", "audio": "x.wav", "refrence": "typo"}', "unknown field(s) ['refrence']"),
    ('{"id": "a", "audio": "x.wav"}\n{"id": "a", "audio": "y.wav"}', "line 2, field 'id': duplicate id 'a'"),
    ("[1, 2]", "line 1: expected a JSON object"),
    ('{"id": "a", "audio": "x.wav", "references": "one"}', "field 'references': expected a string or a list"),
])
def test_bad_manifest_names_file_line_and_field(tmp_path, line, message):
    path = tmp_path / "m.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(PredictionFormatError) as info:
        read_manifest(path)
    assert str(info.value).startswith(str(path)) and message in str(info.value)


def test_relative_audio_paths_resolve_against_the_manifest(manifest):
    entries = read_manifest(manifest)
    assert [e.id for e in entries] == ["c0", "c1", "c2"]
    assert entries[1].audio == manifest.parent / "clip1.wav" and entries[1].references == ("words 1",)


@pytest.mark.parametrize("world", [1, 2, 3, 5])
def test_shards_cover_the_manifest_and_merge_back_in_order(world):
    ids = [f"i{n}" for n in range(7)]
    parts = [[PredictionItem(id=i, prediction=i.upper(), references=("r",)) for i in shard(ids, rank, world)]
             for rank in range(world)]
    assert sorted(i.id for part in parts for i in part) == sorted(ids)
    assert [item.id for item in merge_shards(parts, ids)] == ids


def test_merge_refuses_missing_or_doubled_items():
    item = PredictionItem(id="a", prediction="", references=("r",))
    with pytest.raises(ValueError, match="missing"):
        merge_shards([[item]], ["a", "b"])
    with pytest.raises(ValueError, match="two ranks"):
        merge_shards([[item], [item]], ["a"])


def test_infer_writes_generic_jsonl_that_the_importer_reads(manifest, tmp_path):
    out = tmp_path / "runs" / "pred.jsonl"
    assert main(["infer", "--model", "tiny-whisper", "--manifest", str(manifest), "-o", str(out),
                 "--batch-size", "2", "--max-new-tokens", "4"]) == 0
    predictions = load_predictions(out)
    assert [item.id for item in predictions.items] == ["c0", "c1", "c2"]
    first = predictions.items[0]
    assert first.references == ("words 0",) and first.prompt == "Transcribe."
    assert first.metadata["batch_size"] == 2 and first.metadata["runner_runner"] == "tiny-whisper"
    assert predictions.items[2].metadata["batch_size"] == 1  # the last, partial batch
    assert not list(out.parent.glob(".*.part"))  # no temp file left behind


def test_sakura_manifest_takes_the_clips_present(require_data_dir):
    entries = sakura_manifest(require_data_dir / "sakura" / "Animal", "multi")
    assert len(entries) == 8
    assert all(e.audio.is_file() and e.prompt and len(e.references) == 1 for e in entries)
    assert {e.metadata["hop"] for e in entries} == {"multi"}


@pytest.mark.slow
def test_torchrun_shards_merge_to_the_single_process_file(manifest, tmp_path):
    """Two ranks under torchrun (gloo on CPU) write the same file as one process."""
    common = ["infer", "--model", "tiny-whisper", "--manifest", str(manifest), "--max-new-tokens", "4"]
    single, sharded = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert main([*common, "-o", str(single)]) == 0
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
                    "-m", "evaluators.cli", *common, "-o", str(sharded)], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)
    assert sharded.read_text(encoding="utf-8") == single.read_text(encoding="utf-8")
