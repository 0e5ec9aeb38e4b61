"""Run a runner over a manifest and produce a ``PredictionSet`` in manifest order (``audiorepro infer``).

A manifest is JSONL, one clip per line: ``{"id", "audio", "prompt"?, "reference" | "references"?,
"metadata"?}``; ``audio`` is a 16 kHz mono WAV path, relative to the manifest's folder unless
absolute. ``sakura_manifest`` builds the same entries from a SAKURA track folder
(``metadata.json`` + the clips present under ``audio/``), with the hop's instruction as prompt and
its answer as reference, so inference feeds the SAKURA protocols directly.

Several GPUs: under ``torchrun`` (``WORLD_SIZE`` > 1) each rank takes the items ``rank, rank +
world, ...`` (a deterministic shard that depends only on the manifest order), runs them on
``cuda:LOCAL_RANK``, and rank 0 gathers the shards and merges them back into manifest order before
writing. The merged file is therefore identical for any number of ranks, up to the batch
composition effects that ``runners.sweep`` measures.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluators.errors import PredictionFormatError
from evaluators.predictions.base import PredictionItem, PredictionSet
from evaluators.predictions.reading import parse_json, read_text
from evaluators.progress import progress
from runners.audio import read_wav
from runners.base import AudioInput, Runner

MANIFEST_FIELDS = {"id", "audio", "prompt", "reference", "references", "metadata"}


@dataclass(frozen=True)
class ManifestEntry:
    """One clip to run: id, audio path, optional prompt and references, free metadata."""

    id: str
    audio: Path
    prompt: str | None = None
    references: tuple[str, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)


def read_manifest(path: str | Path) -> list[ManifestEntry]:
    """Read a JSONL manifest; errors name the file, the line and the field."""
    path = Path(path)
    lines = read_text(path).split("\n")  # names a missing, unreadable, directory or non-UTF-8 manifest
    entries: list[ManifestEntry] = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"line {number}"
        record = parse_json(path, line, item=where)
        if not isinstance(record, dict):
            raise PredictionFormatError(path, "expected a JSON object", item=where)
        unknown = set(record) - MANIFEST_FIELDS
        if unknown:
            raise PredictionFormatError(path, f"unknown field(s) {sorted(unknown)} (put them under metadata)",
                                        item=where)
        for name in ("id", "audio"):
            if not isinstance(record.get(name), (str, int)) or record.get(name) == "":
                raise PredictionFormatError(path, "missing or not a string", item=where, field=name)
        item_id = str(record["id"])
        if item_id in seen:
            raise PredictionFormatError(path, f"duplicate id {item_id!r}", item=where, field="id")
        seen.add(item_id)
        if "reference" in record and "references" in record:
            raise PredictionFormatError(path, "give reference or references, not both", item=where)
        references = record.get("references", [record["reference"]] if "reference" in record else [])
        if not isinstance(references, list) or not all(isinstance(r, str) for r in references):
            raise PredictionFormatError(path, "expected a string or a list of strings", item=where,
                                        field="references")
        prompt = record.get("prompt")
        if prompt is not None and not isinstance(prompt, str):
            raise PredictionFormatError(path, "expected a string", item=where, field="prompt")
        metadata = record.get("metadata", {})
        if not isinstance(metadata, dict):
            raise PredictionFormatError(path, "expected an object", item=where, field="metadata")
        audio = Path(str(record["audio"]))
        entries.append(ManifestEntry(id=item_id, audio=audio if audio.is_absolute() else path.parent / audio,
                                     prompt=prompt, references=tuple(references), metadata=metadata))
    if not entries:
        raise PredictionFormatError(path, "no entries (the manifest is empty)")
    return entries


def sakura_manifest(track_dir: str | Path, hop: str = "single") -> list[ManifestEntry]:
    """Entries for the SAKURA clips present under ``<track>/audio`` (order: metadata order)."""
    track_dir = Path(track_dir)
    if hop not in ("single", "multi"):
        raise ValueError(f"hop must be 'single' or 'multi', not {hop!r}")
    metadata_path = track_dir / "metadata.json"
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PredictionFormatError(metadata_path, "SAKURA metadata.json not found") from None
    entries = []
    for key, question in metadata.items():
        audio = track_dir / "audio" / Path(key).name
        if not audio.is_file():
            continue
        entries.append(ManifestEntry(
            id=key, audio=audio, prompt=question[f"{hop}_instruction"], references=(question[f"{hop}_answer"],),
            metadata={"track": track_dir.name, "hop": hop, "attribute_label": question.get("attribute_label")}))
    if not entries:
        raise PredictionFormatError(track_dir, "no clip of metadata.json is present under audio/")
    return entries


def shard(entries: Sequence[Any], rank: int, world_size: int) -> list[Any]:
    """Deterministic shard of one rank: items ``rank, rank + world_size, ...``."""
    if not 0 <= rank < world_size:
        raise ValueError(f"rank {rank} outside world of size {world_size}")
    return list(entries[rank::world_size])


def merge_shards(shards: Sequence[Sequence[PredictionItem]], order: Sequence[str]) -> list[PredictionItem]:
    """Put the ranks' outputs back into manifest order; every id exactly once."""
    by_id: dict[str, PredictionItem] = {}
    for part in shards:
        for item in part:
            if item.id in by_id:
                raise ValueError(f"item {item.id!r} produced by two ranks")
            by_id[item.id] = item
    missing = [item_id for item_id in order if item_id not in by_id]
    if missing or len(by_id) != len(order):
        raise ValueError(f"shards do not cover the manifest: missing {missing[:5]}, "
                         f"extra {sorted(set(by_id) - set(order))[:5]}")
    return [by_id[item_id] for item_id in order]


def run_entries(runner: Runner, entries: Sequence[ManifestEntry], *, batch_size: int = 1,
                max_new_tokens: int = 128) -> list[PredictionItem]:
    """Generate for the entries in consecutive batches; one ``PredictionItem`` per entry, same order."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    facts = runner.describe()
    items: list[PredictionItem] = []
    starts = range(0, len(entries), batch_size)
    for start in progress(starts, desc=f"inference (batch size {batch_size})", unit="batch"):
        chunk = entries[start:start + batch_size]
        inputs = [AudioInput(id=e.id, waveform=read_wav(e.audio), prompt=e.prompt) for e in chunk]
        for entry, output in zip(chunk, runner.generate(inputs, max_new_tokens), strict=True):
            metadata = {**entry.metadata, "audio": str(entry.audio), "batch_size": len(chunk),
                        "generated_tokens": len(output.token_ids), **{f"runner_{k}": v for k, v in facts.items()}}
            items.append(PredictionItem(id=entry.id, prediction=output.text, references=entry.references,
                                        prompt=entry.prompt, metadata=metadata))
    return items


def distributed_context() -> tuple[int, int, int]:
    """(rank, world size, local rank) from torchrun's environment; (0, 1, 0) when not distributed."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    return int(os.environ.get("RANK", "0")), world, int(os.environ.get("LOCAL_RANK", "0"))


def infer(runner_factory: Any, entries: Sequence[ManifestEntry], *, batch_size: int = 1,
          max_new_tokens: int = 128, name: str = "inference", device: str = "cpu") -> PredictionSet | None:
    """Run the entries (sharded under torchrun) and return the merged set on rank 0, None elsewhere.

    ``runner_factory(device)`` builds the runner on this rank's device.
    """
    rank, world, local_rank = distributed_context()
    if world > 1 and device.startswith("cuda"):
        device = f"cuda:{local_rank}"
    runner = runner_factory(device)
    mine = run_entries(runner, shard(entries, rank, world), batch_size=batch_size, max_new_tokens=max_new_tokens)
    if world > 1:
        import torch.distributed as dist

        initialised_here = not dist.is_initialized()
        if initialised_here:
            dist.init_process_group(backend="gloo")
        # plain tuples travel through pickle (item metadata is a read-only mapping proxy)
        payload = [(i.id, i.prediction, i.references, i.prompt, dict(i.metadata)) for i in mine]
        gathered: list[Any] = [None] * world if rank == 0 else []
        dist.gather_object(payload, gathered if rank == 0 else None, dst=0)
        if initialised_here:
            dist.destroy_process_group()
        if rank != 0:
            return None
        shards = [[PredictionItem(id=a, prediction=b, references=c, prompt=d, metadata=e) for a, b, c, d, e in part]
                  for part in gathered]
        merged = merge_shards(shards, [entry.id for entry in entries])
    else:
        merged = mine
    return PredictionSet(name=name, source=name, items=tuple(merged),
                         metadata={"format": "generic-jsonl", "world_size": world, **runner.describe()})
