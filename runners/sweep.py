"""Batch-size sweep: each item alone (the reference), then inside batches of 2, 4, 8, ...

For every batch size ``b`` the items are run

* in consecutive chunks (``items[0:b]``, ``items[b:2b]``, ...), the way an evaluation script runs
  them; these outputs give the task metric at batch size ``b``;
* with ``arrangement="rotate"`` also in every rotation (batch ``k`` = items ``k, k+1, ..., k+b-1``
  mod n), so each item is seen at every position with different neighbours.

Each (item, batch size, position, neighbours) is compared with the reference by
``runners.divergence.compare``. The summary per batch size gives the fraction of items whose
tokens changed anywhere, the largest score drift, the smallest reference margin at a divergence,
and the task metric (e.g. WER) at batch size 1 vs ``b``. Dtype and padding side are properties
of the runner: sweep each configuration with its own runner (``sweep_configurations``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from runners.base import AudioInput, Generation, Runner
from runners.divergence import Divergence, compare

TaskMetric = Callable[[Sequence[str], Sequence[str]], float]


@dataclass(frozen=True)
class SweepCase:
    """One item run inside one batch, compared with its batch-size-1 reference."""

    item_id: str
    batch_size: int
    position: int
    neighbours: tuple[str, ...]
    text: str
    divergence: Divergence

    def as_dict(self) -> dict[str, Any]:
        return {"item": self.item_id, "batch_size": self.batch_size, "position": self.position,
                "neighbours": list(self.neighbours), "text": self.text, **self.divergence.as_dict()}


@dataclass(frozen=True)
class BatchSizeSummary:
    """Aggregate of all cases at one batch size."""

    batch_size: int
    cases: int
    cases_changed: int
    items: int
    items_changed: int
    max_abs_score_delta: float
    min_margin_at_divergence: float | None
    min_reference_margin: float | None
    metric_bs1: float | None
    metric: float | None
    cases_nonfinite: int = 0

    @property
    def fraction_items_changed(self) -> float:
        return self.items_changed / self.items if self.items else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"batch_size": self.batch_size, "cases": self.cases, "cases_changed": self.cases_changed,
                "items": self.items, "items_changed": self.items_changed,
                "fraction_items_changed": self.fraction_items_changed,
                "max_abs_score_delta": self.max_abs_score_delta,
                "min_margin_at_divergence": self.min_margin_at_divergence,
                "min_reference_margin": self.min_reference_margin,
                "metric_bs1": self.metric_bs1, "metric": self.metric, "cases_nonfinite": self.cases_nonfinite}


@dataclass
class SweepResult:
    """References, every compared case, and the chunked outputs per batch size."""

    runner: dict[str, Any]
    max_new_tokens: int
    references: dict[str, Generation]
    cases: list[SweepCase] = field(default_factory=list)
    chunked: dict[int, dict[str, Generation]] = field(default_factory=dict)
    metric_name: str | None = None
    metric_values: dict[int, float] = field(default_factory=dict)

    def summary(self) -> list[BatchSizeSummary]:
        rows = []
        for size in sorted({case.batch_size for case in self.cases}):
            cases = [case for case in self.cases if case.batch_size == size]
            changed = [case for case in cases if not case.divergence.identical]
            margins = [c.divergence.reference_margin for c in changed if c.divergence.reference_margin is not None]
            ref_margins = [c.divergence.min_reference_margin for c in cases
                           if c.divergence.min_reference_margin is not None]
            rows.append(BatchSizeSummary(
                batch_size=size, cases=len(cases), cases_changed=len(changed),
                items=len({c.item_id for c in cases}), items_changed=len({c.item_id for c in changed}),
                max_abs_score_delta=max((c.divergence.max_abs_score_delta for c in cases), default=0.0),
                min_margin_at_divergence=min(margins, default=None),
                min_reference_margin=min(ref_margins, default=None),
                metric_bs1=self.metric_values.get(1), metric=self.metric_values.get(size),
                cases_nonfinite=sum(c.divergence.nonfinite_scores for c in cases)))
        return rows

    def changed_cases(self) -> list[SweepCase]:
        return [case for case in self.cases if not case.divergence.identical]

    def as_dict(self) -> dict[str, Any]:
        return {"runner": self.runner, "max_new_tokens": self.max_new_tokens, "metric": self.metric_name,
                "summary": [row.as_dict() for row in self.summary()],
                "references": {key: {"text": g.text, "token_ids": list(g.token_ids)}
                               for key, g in self.references.items()},
                "cases": [case.as_dict() for case in self.cases]}


def batch_plan(count: int, batch_size: int, arrangement: str = "chunk") -> list[tuple[int, ...]]:
    """Index tuples of the batches to run: consecutive chunks first, then the other rotations."""
    if arrangement not in ("chunk", "rotate"):
        raise ValueError(f"arrangement must be 'chunk' or 'rotate', not {arrangement!r}")
    chunks = [tuple(range(start, min(start + batch_size, count))) for start in range(0, count, batch_size)]
    if arrangement == "chunk" or batch_size > count:
        return chunks
    seen = set(chunks)
    plan = list(chunks)
    for start in range(count):
        batch = tuple((start + offset) % count for offset in range(batch_size))
        if batch not in seen:
            seen.add(batch)
            plan.append(batch)
    return plan


def run_references(runner: Runner, items: Sequence[AudioInput], max_new_tokens: int) -> dict[str, Generation]:
    """Every item alone (batch size 1): the reference outputs."""
    return {item.id: runner.generate([item], max_new_tokens)[0] for item in items}


def run_sweep(runner: Runner, items: Sequence[AudioInput], *, batch_sizes: Sequence[int] = (2, 4, 8),
              max_new_tokens: int = 32, arrangement: str = "chunk", task_metric: TaskMetric | None = None,
              metric_name: str | None = None, references: dict[str, Generation] | None = None) -> SweepResult:
    """Run the references and every planned batch, compare each item with its reference."""
    ids = [item.id for item in items]
    if len(set(ids)) != len(ids):
        raise ValueError("item ids must be unique within a sweep")
    result = SweepResult(runner=runner.describe(), max_new_tokens=max_new_tokens,
                         references=references or run_references(runner, items, max_new_tokens),
                         metric_name=metric_name)
    for size in batch_sizes:
        if size < 2 or size > len(items):
            continue
        plan = batch_plan(len(items), size, arrangement)
        chunk_count = math.ceil(len(items) / size)
        chunked: dict[str, Generation] = {}
        for number, indices in enumerate(plan):
            batch = [items[i] for i in indices]
            outputs = runner.generate(batch, max_new_tokens)
            for position, (item, output) in enumerate(zip(batch, outputs, strict=True)):
                if number < chunk_count:
                    chunked[item.id] = output
                neighbours = tuple(other.id for other in batch if other.id != item.id)
                result.cases.append(SweepCase(item.id, len(batch), position, neighbours, output.text,
                                              compare(result.references[item.id], output)))
        result.chunked[size] = chunked
    if task_metric is not None and all(item.reference is not None for item in items):
        refs = [str(item.reference) for item in items]
        result.metric_values[1] = task_metric([result.references[i].text for i in ids], refs)
        for size, outputs in result.chunked.items():
            result.metric_values[size] = task_metric([outputs[i].text for i in ids], refs)
    return result


def sweep_configurations(make_runner: Callable[[str, str], Runner], items: Sequence[AudioInput], *,
                         dtypes: Sequence[str] = ("fp32",), padding_sides: Sequence[str] = ("left",),
                         **options: Any) -> dict[tuple[str, str], SweepResult]:
    """``run_sweep`` for every (dtype, padding side); ``make_runner(dtype, padding_side)`` builds each runner."""
    return {(dtype, side): run_sweep(make_runner(dtype, side), items, **options)
            for dtype in dtypes for side in padding_sides}


def english_wer(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """Corpus WER after Whisper's English text normaliser (the normaliser of openai/whisper, via whisper-normalizer)."""
    from whisper_normalizer.english import EnglishTextNormalizer

    from evaluators.metrics.wer import edit_distance

    normalise = EnglishTextNormalizer()
    edits = words = 0
    for hypothesis, reference in zip(hypotheses, references, strict=True):
        ref_words = normalise(reference).split()
        edits += edit_distance(ref_words, normalise(hypothesis).split())
        words += len(ref_words)
    return edits / words if words else 0.0


def language_accuracy(hypotheses: Sequence[str], references: Sequence[str]) -> float:
    """Fraction of items whose identified language code equals the reference code."""
    pairs = list(zip(hypotheses, references, strict=True))
    return sum(h.strip() == r.strip() for h, r in pairs) / len(pairs) if pairs else 0.0


def format_summary_table(results: dict[str, SweepResult]) -> str:
    """A markdown table: one row per (configuration, batch size)."""
    lines = ["| configuration | batch size | cases changed | items changed | max abs score delta "
             "| min margin at divergence | min reference margin | metric bs1 -> bs | non-finite scores |",
             "|---|---:|---:|---:|---:|---:|---:|---|---:|"]

    def number(value: float | None) -> str:
        return "—" if value is None else f"{value:.3g}"

    for label, result in results.items():
        for row in result.summary():
            metric = "—" if row.metric is None else f"{row.metric_bs1:.4f} -> {row.metric:.4f}"
            lines.append(f"| {label} | {row.batch_size} | {row.cases_changed}/{row.cases} | "
                         f"{row.items_changed}/{row.items} | {number(row.max_abs_score_delta)} | "
                         f"{number(row.min_margin_at_divergence)} | {number(row.min_reference_margin)} | {metric} | "
                         f"{row.cases_nonfinite}/{row.cases} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m runners.sweep``: sweep a model over SAKURA clips and write JSON + a markdown table."""
    import argparse
    import json
    from pathlib import Path

    from runners.fingerprint import atomic_write_text, environment_fingerprint
    from runners.items import make_runner, workload

    parser = argparse.ArgumentParser(prog="python -m runners.sweep", description=main.__doc__)
    parser.add_argument("--model", default="tiny.en",
                        help="tiny.en, base, base-lid, base-translate or a fixtures/models config name")
    parser.add_argument("--data-dir", required=True, help="public prediction data directory (holds sakura/)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtypes", nargs="+", default=["fp32"])
    parser.add_argument("--padding-sides", nargs="+", default=["left"])
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[2, 4, 8])
    parser.add_argument("--items", type=int, default=8)
    parser.add_argument("--max-new-tokens", type=int, default=None, help="default: the workload's (16; 1 for base-lid)")
    parser.add_argument("--arrangement", default="rotate", choices=["chunk", "rotate"])
    parser.add_argument("--out", required=True, help="folder for sweep-<model>.json and sweep-<model>.md")
    args = parser.parse_args(argv)
    job = workload(args.model)
    items = job.items(Path(args.data_dir), limit=args.items)
    results: dict[str, SweepResult] = {}
    for dtype in args.dtypes:
        for side in args.padding_sides:
            runner = make_runner(args.model, device=args.device, dtype=dtype, padding_side=side)
            results[f"{args.model} {dtype} {side}-pad"] = run_sweep(
                runner, items, batch_sizes=args.batch_sizes, max_new_tokens=args.max_new_tokens or job.max_new_tokens,
                arrangement=args.arrangement, task_metric=job.metric(), metric_name=job.metric_name)
    out = Path(args.out)
    document = {"fingerprint": environment_fingerprint(args.device, args.dtypes[0]),
                "results": {label: result.as_dict() for label, result in results.items()}}
    atomic_write_text(out / f"sweep-{args.model}.json", json.dumps(document, indent=1) + "\n")
    table = format_summary_table(results)
    atomic_write_text(out / f"sweep-{args.model}.md", table + "\n")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
