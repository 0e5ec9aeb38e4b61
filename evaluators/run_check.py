"""Check a run (your own predictions) against every matching published number.

:func:`check_run` is what ``audiorepro check`` and ``pytest -m paper_values --run`` share: for each
prediction file of a :class:`~evaluators.run_manifest.Run` it finds the golden entries of the same dataset,
split (and task) — of the run's model, of ``against`` another model, or of every model — and evaluates each
with :func:`evaluators.checking.evaluate_entry` (every candidate protocol with its 95 % interval; for
translation only the protocols of the language pair — the manifest's ``pair``, else the entry's dataset key
``covost2-en-ja``, else the items' metadata). Each protocol is scored once per file, however many entries
share it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from evaluators.checking import VERDICTS, EntryVerdict, Scorer, evaluate_entry, match_entries
from evaluators.errors import AudioreproError
from evaluators.golden import GoldenEntry, all_entries
from evaluators.language_pair import pair_of_dataset_key, protocol_filter
from evaluators.run_manifest import Run, RunPrediction, load_run_predictions

#: verdicts that let ``audiorepro check`` exit 0
PASSING_VERDICTS = frozenset({"reproduces", "consistent"})


@dataclass
class FileCheck:
    """The verdicts of one prediction file of the run."""

    prediction: RunPrediction
    format: str
    n_items: int
    verdicts: list[EntryVerdict] = field(default_factory=list)


@dataclass
class RunCheck:
    """Every file's verdicts, and the files that match no published number."""

    run: Run
    compared_with: str           # a model key, or "all models"
    files: list[FileCheck]
    unmatched: list[RunPrediction]

    @property
    def verdicts(self) -> list[EntryVerdict]:
        return [verdict for file in self.files for verdict in file.verdicts]

    @property
    def passed(self) -> bool:
        """True when there is at least one verdict and every verdict reproduces or is consistent."""
        verdicts = self.verdicts
        return bool(verdicts) and all(verdict.verdict in PASSING_VERDICTS for verdict in verdicts)

    def as_list(self) -> list[dict[str, Any]]:
        """The ``--json`` form: one object per (file, entry)."""
        out = []
        for file in self.files:
            for verdict in file.verdicts:
                out.append({**verdict.as_dict(), "file": str(file.prediction.file), "format": file.format,
                            "run_model": self.run.model})
        return out


def known_model(model: str, entries: Iterable[GoldenEntry]) -> str:
    """``model`` if some golden entry has that model key; ``AudioreproError`` naming close keys otherwise."""
    keys = sorted({entry.model_key for entry in entries})
    if model in keys:
        return model
    close = difflib.get_close_matches(model, keys, n=5, cutoff=0.5)
    hint = f" Did you mean: {', '.join(close)}?" if close else f" Known: {', '.join(keys)}"
    raise AudioreproError(f"model {model!r} has no published number in the golden registry.{hint}")


def check_run(run: Run, *, against: str | None = None, all_models: bool = False,
              entries: Iterable[GoldenEntry] | None = None) -> RunCheck:
    """Evaluate every file of ``run`` against the matching published numbers (module docstring)."""
    from evaluators.predictions import detect_format

    entries = list(all_entries() if entries is None else entries)
    if against is not None and all_models:
        raise AudioreproError("give either --against MODEL_KEY or --all-models, not both")
    model = None if all_models else known_model(against or run.model, entries)
    files: list[FileCheck] = []
    unmatched: list[RunPrediction] = []
    for prediction in run.predictions:
        matched = match_entries(entries, dataset=prediction.dataset, split=prediction.split, model=model,
                                task=prediction.task, pair=prediction.pair)
        if not matched:
            unmatched.append(prediction)
            continue
        predictions = load_run_predictions(prediction)
        fmt = prediction.format or detect_format(prediction.file).name
        scorer = Scorer()
        verdicts = []
        for entry in matched:
            selection = protocol_filter(predictions, prediction.pair or pair_of_dataset_key(entry.dataset_key))
            verdicts.append(evaluate_entry(entry, predictions, key=str(prediction.file), fmt=fmt, scorer=scorer,
                                           sweep_intervals=True, applicable=selection.applicable,
                                           adapt=selection.adapt))
        verdicts.sort(key=lambda verdict: (VERDICTS.index(verdict.verdict), verdict.entry.id))
        files.append(FileCheck(prediction, fmt, len(predictions), verdicts))
    if not files:
        wanted = ", ".join(f"{p.dataset} {p.split}" for p in run.predictions)
        raise AudioreproError(f"{run.source}: no published number of {model or 'any model'} for {wanted} "
                              f"(`audiorepro golden list` shows the registry's dataset and split keys)")
    return RunCheck(run, model or "all models", files, unmatched)


__all__ = ["PASSING_VERDICTS", "FileCheck", "RunCheck", "check_run", "known_model"]
