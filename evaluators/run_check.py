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

from evaluators.checking import VERDICTS, EntryVerdict, Scorer, candidate_protocols, evaluate_entry, match_entries
from evaluators.errors import AudioreproError, UnknownProtocolError
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


@dataclass(frozen=True)
class PlannedCheck:
    """One (file, published number, candidate protocol) of a run: one ``pytest --run`` test."""

    prediction: RunPrediction
    entry: GoldenEntry
    protocol: str
    primary: bool

    @property
    def id(self) -> str:
        return f"{self.prediction.file.name}::{self.entry.id}::{self.protocol}"


class RunChecker:
    """Evaluates the files of a run against published numbers, each (file, entry) once per process.

    ``check_run`` and ``pytest -m paper_values --run`` both use it: the same matching, pair selection and
    :func:`evaluators.checking.evaluate_entry` call, one scorer per file (each protocol runs once per file).
    """

    def __init__(self, run: Run, *, against: str | None = None, all_models: bool = False,
                 entries: Iterable[GoldenEntry] | None = None):
        self.run = run
        self.entries = list(all_entries() if entries is None else entries)
        if against is not None and all_models:
            raise AudioreproError("give either --against MODEL_KEY or --all-models, not both")
        self.model = None if all_models else known_model(against or run.model, self.entries)
        self._sets: dict[RunPrediction, tuple[Any, str]] = {}
        self._scorers: dict[RunPrediction, Scorer] = {}
        self._verdicts: dict[tuple[RunPrediction, str], EntryVerdict] = {}

    @property
    def compared_with(self) -> str:
        return self.model or "all models"

    def matches(self, prediction: RunPrediction) -> list[GoldenEntry]:
        return match_entries(self.entries, dataset=prediction.dataset, split=prediction.split, model=self.model,
                             task=prediction.task, pair=prediction.pair)

    def load(self, prediction: RunPrediction) -> tuple[Any, str]:
        """The prediction set and its format name (loaded once)."""
        from evaluators.predictions import detect_format

        if prediction not in self._sets:
            fmt = prediction.format or detect_format(prediction.file).name
            self._sets[prediction] = (load_run_predictions(prediction), fmt)
        return self._sets[prediction]

    def _selection(self, prediction: RunPrediction, entry: GoldenEntry) -> Any:
        predictions, _ = self.load(prediction)
        return protocol_filter(predictions, prediction.pair or pair_of_dataset_key(entry.dataset_key))

    def verdict(self, prediction: RunPrediction, entry: GoldenEntry) -> EntryVerdict:
        key = (prediction, entry.id)
        if key not in self._verdicts:
            predictions, fmt = self.load(prediction)
            selection = self._selection(prediction, entry)
            scorer = self._scorers.setdefault(prediction, Scorer())
            self._verdicts[key] = evaluate_entry(entry, predictions, key=str(prediction.file), fmt=fmt, scorer=scorer,
                                                 sweep_intervals=True, applicable=selection.applicable,
                                                 adapt=selection.adapt)
        return self._verdicts[key]

    def plan(self) -> list[PlannedCheck]:
        """Every (file, matched entry, candidate protocol), without scoring anything."""
        planned = []
        for prediction in self.run.predictions:
            for entry in self.matches(prediction):
                _, fmt = self.load(prediction)
                selection = self._selection(prediction, entry)
                try:
                    candidates = candidate_protocols(entry, fmt)
                except UnknownProtocolError:
                    candidates = []
                if not candidates:
                    planned.append(PlannedCheck(prediction, entry, "-", True))
                for index, protocol in enumerate(candidates):
                    planned.append(PlannedCheck(prediction, entry, selection.adapt(protocol).id, index == 0))
        return planned


def check_run(run: Run, *, against: str | None = None, all_models: bool = False,
              entries: Iterable[GoldenEntry] | None = None) -> RunCheck:
    """Evaluate every file of ``run`` against the matching published numbers (module docstring)."""
    checker = RunChecker(run, against=against, all_models=all_models, entries=entries)
    files: list[FileCheck] = []
    unmatched: list[RunPrediction] = []
    for prediction in run.predictions:
        matched = checker.matches(prediction)
        if not matched:
            unmatched.append(prediction)
            continue
        predictions, fmt = checker.load(prediction)
        verdicts = [checker.verdict(prediction, entry) for entry in matched]
        verdicts.sort(key=lambda verdict: (VERDICTS.index(verdict.verdict), verdict.entry.id))
        files.append(FileCheck(prediction, fmt, len(predictions), verdicts))
    if not files:
        wanted = ", ".join(f"{p.dataset} {p.split}" for p in run.predictions)
        raise AudioreproError(f"{run.source}: no published number of {checker.compared_with} for {wanted} "
                              f"(`audiorepro golden list` shows the registry's dataset and split keys)")
    return RunCheck(run, checker.compared_with, files, unmatched)


__all__ = ["PASSING_VERDICTS", "FileCheck", "PlannedCheck", "RunCheck", "RunChecker", "check_run", "known_model"]
