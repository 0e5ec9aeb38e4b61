"""Your own run: which published model it is compared with, and which file holds which dataset and split.

A **run manifest** is a YAML file (schema: ``run_manifest.schema.json`` next to this module, documented in
``docs/run-manifest.md``)::

    model: salmonn-7b                      # golden model_key this run is compared with
    predictions:
      - file: librispeech_test_clean.json  # relative to this YAML (or absolute); any supported format
        dataset: librispeech               # golden dataset_key (mmau matches mmau-sound/-music/-speech/-average)
        split: test-clean                  # golden split_key
        # optional: task, pair: en-ja, answer_key: <file>, format: <name>, prompt: <text>

A **directory** may be given instead when names and formats say enough: the model from the folder name
(``salmonn_7b`` → ``salmonn-7b``) or ``--model``, dataset and split from AudioBench file names
(``librispeech_test_clean.json``, ``…_wer_score.json``) or the ``source`` of Qwen2-Audio ``eval_audio`` results
(``librispeech_test_clean``, ``covost2_en_de_test``). Whatever cannot be inferred is an error naming
the file and the missing field. Every problem raises :class:`RunManifestError` (file, prediction, field).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from evaluators.errors import AudioreproError, _where
from evaluators.predictions.base import PredictionSet
from evaluators.schema import field_and_message, read_yaml, schema_errors

SCHEMA_PATH = Path(__file__).resolve().parent / "run_manifest.schema.json"
#: extensions a directory run is searched for
RUN_FILE_SUFFIXES = (".json", ".jsonl", ".csv", ".tsv", ".txt")

#: AudioBench result-file stems (``log/<model>/<stem>.json`` and ``<stem>_wer_score.json``) → dataset, split, task
AUDIOBENCH_FILES: dict[str, tuple[str, str, str]] = {
    "librispeech_test_clean": ("librispeech", "test-clean", "asr"),
    "librispeech_test_other": ("librispeech", "test-other", "asr"),
    "common_voice_15_en_test": ("common-voice", "test", "asr"),
    "peoples_speech_test": ("people-s-speech", "test", "asr"),
    "gigaspeech_test": ("gigaspeech", "test", "asr"),
    "tedlium3_test": ("ted-lium-3", "test", "asr"),
    "tedlium3_long_form_test": ("ted-lium-3-long-form", "test", "asr"),
    "earnings21_test": ("earnings21", "test", "asr"),
    "earnings22_test": ("earnings22", "test", "asr"),
    "aishell_asr_zh_test": ("aishell-1-zh", "test", "asr"),
    "covost2_en_id_test": ("covost2-en-id", "test", "st"),
    "covost2_en_zh_test": ("covost2-en-zh", "test", "st"),
    "covost2_en_ta_test": ("covost2-en-ta", "test", "st"),
    "covost2_id_en_test": ("covost2-id-en", "test", "st"),
    "covost2_zh_en_test": ("covost2-zh-en", "test", "st"),
    "covost2_ta_en_test": ("covost2-ta-en", "test", "st"),
}
_AUDIOBENCH_SUFFIX = re.compile(r"_(wer|bleu)_score$")
#: Qwen ``source`` values (``eval_audio`` results) → dataset, split, task
_QWEN_SOURCES = (
    (re.compile(r"^librispeech_(?P<split>(?:test|dev)_(?:clean|other))$"), "librispeech", "asr"),
    (re.compile(r"^covost2_(?P<pair>[a-z]{2,3}_[a-z]{2,3})(?:_test)?$"), "covost2", "st"),
)


def dataset_of_source(source: str) -> tuple[str, str, str] | None:
    """Dataset key, split key and task a Qwen ``source`` value names (``librispeech_test_clean``), or ``None``."""
    for pattern, dataset, task in _QWEN_SOURCES:
        match = pattern.match(source)
        if match is None:
            continue
        if "pair" in pattern.groupindex:
            return f"{dataset}-{match['pair'].replace('_', '-')}", "test", task
        return dataset, match["split"].replace("_", "-"), task
    return None


class RunManifestError(AudioreproError, ValueError):
    """A run manifest or run directory that cannot be used as given. Names file, prediction and field."""

    def __init__(self, path: object, message: str, *, item: object = None, field: str | None = None):
        self.path = str(path)
        self.item = item
        self.field = field
        super().__init__(f"{_where(path, 'prediction', item, field)}: {message}")


@dataclass(frozen=True)
class RunPrediction:
    """One prediction file of a run and what it was run on."""

    file: Path
    dataset: str
    split: str
    task: str | None = None
    pair: str | None = None
    answer_key: Path | None = None
    format: str | None = None
    prompt: str | None = None
    references: Path | None = None

    def describe(self) -> str:
        extra = f", pair {self.pair}" if self.pair else ""
        return f"{self.file.name} ({self.dataset} {self.split}{extra})"

    def loader_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {}
        if self.answer_key is not None:
            options["answer_key"] = self.answer_key
        if self.references is not None:
            options["references"] = self.references
        return options


@dataclass(frozen=True)
class Run:
    """A model's prediction files, from a manifest or a directory."""

    model: str
    predictions: tuple[RunPrediction, ...]
    source: Path
    name: str = ""


def _schema_error(path: Path, error: Any) -> RunManifestError:
    where = list(error.absolute_path)
    item = where[1] if len(where) >= 2 and where[0] == "predictions" and isinstance(where[1], int) else None
    rest = where[2:] if item is not None else where
    field_name = ".".join(str(p) for p in rest) or None
    field_name, message = field_and_message(error, field_name)
    return RunManifestError(path, message, item=item, field=field_name)


def _relative_file(path: Path, value: str, item: int, field: str) -> Path:
    file = Path(value).expanduser()
    file = file if file.is_absolute() else (path.parent / file)
    if not file.is_file():
        raise RunManifestError(path, f"{file} does not exist", item=item, field=field)
    return file.resolve()


def parse_manifest(data: Any, path: str | Path) -> Run:
    """Validate a parsed manifest (schema, then files exist and formats are known) and build the ``Run``."""
    from evaluators.predictions import FORMATS

    path = Path(path)
    if not isinstance(data, dict):
        raise RunManifestError(path, f"expected a mapping with 'model' and 'predictions', got {type(data).__name__}")
    errors = list(schema_errors(SCHEMA_PATH, data))
    if errors:
        raise _schema_error(path, errors[0])
    predictions = []
    for index, raw in enumerate(data["predictions"]):
        fmt = raw.get("format")
        if fmt is not None and fmt not in FORMATS:
            raise RunManifestError(path, f"unknown format {fmt!r}; known: {', '.join(sorted(FORMATS))}", item=index,
                                   field="format")
        answer_key = _relative_file(path, raw["answer_key"], index, "answer_key") if "answer_key" in raw else None
        references = _relative_file(path, raw["references"], index, "references") if "references" in raw else None
        predictions.append(RunPrediction(
            file=_relative_file(path, raw["file"], index, "file"), dataset=raw["dataset"], split=raw["split"],
            task=raw.get("task"), pair=raw.get("pair"), answer_key=answer_key, format=fmt, prompt=raw.get("prompt"),
            references=references))
    return Run(model=data["model"], predictions=tuple(predictions), source=path, name=data.get("name", path.stem))


def load_manifest(path: str | Path) -> Run:
    """Read and validate a run manifest YAML."""
    path = Path(path)
    data = read_yaml(path, lambda message: RunManifestError(path, message))
    return parse_manifest(data, path)


def model_key_from_name(name: str) -> str:
    """``SALMONN_7B`` → ``salmonn-7b``: how folder names of published runs spell golden model keys."""
    return re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-")


def _infer_from_sources(file: Path) -> RunPrediction | None:
    """A Qwen2-Audio ``eval_audio`` result file names its dataset in every item's ``source``."""
    from evaluators.predictions import detect_format, load_predictions

    if detect_format(file).name != "qwen2-audio-eval":
        return None
    sources = sorted({str(item.metadata["source"]) for item in load_predictions(file, "qwen2-audio-eval")})
    if len(sources) != 1:
        raise RunManifestError(file, f"holds several sources ({', '.join(sources[:6])}); write a run manifest with "
                                     "one prediction per dataset (docs/run-manifest.md)", field="dataset")
    known = dataset_of_source(sources[0])
    if known is None:
        raise RunManifestError(file, f"cannot infer the dataset and split from source {sources[0]!r}; write a run "
                                     "manifest (docs/run-manifest.md)", field="dataset")
    dataset, split, task = known
    return RunPrediction(file=file.resolve(), dataset=dataset, split=split, task=task)


def infer_prediction(file: Path) -> RunPrediction:
    """Dataset, split and task of one file of a run directory, from its name or its items' ``source``;
    ``RunManifestError`` otherwise."""
    from_sources = _infer_from_sources(file)
    if from_sources is not None:
        return from_sources
    stem = _AUDIOBENCH_SUFFIX.sub("", file.stem)
    if stem in AUDIOBENCH_FILES:
        dataset, split, task = AUDIOBENCH_FILES[stem]
        return RunPrediction(file=file.resolve(), dataset=dataset, split=split, task=task)
    raise RunManifestError(file, "cannot infer the dataset and split from the file name (known AudioBench names: "
                                 f"{', '.join(sorted(AUDIOBENCH_FILES))}); write a run manifest "
                                 "(docs/run-manifest.md)", field="dataset")


def load_directory(path: str | Path, *, model: str | None = None) -> Run:
    """A run from a directory of result files (see the module docstring); aggregate-only files are left out."""
    from evaluators.golden import all_entries
    from evaluators.predictions import detect_format

    path = Path(path).resolve()
    files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in RUN_FILE_SUFFIXES)
    if not files:
        raise RunManifestError(path, f"no prediction files ({', '.join(RUN_FILE_SUFFIXES)}) in this directory")
    if model is None:
        candidate = model_key_from_name(path.name)
        if candidate not in {entry.model_key for entry in all_entries()}:
            raise RunManifestError(path, f"cannot infer the model from the folder name {path.name!r} (no golden "
                                         "model key matches); pass --model or write a run manifest", field="model")
        model = candidate
    predictions = []
    for file in files:
        if detect_format(file).kind != "predictions":
            continue  # an answer key or an aggregate-only score: nothing to recompute
        predictions.append(infer_prediction(file))
    if not predictions:
        raise RunManifestError(path, "no file in this directory holds per-item predictions")
    return Run(model=model, predictions=tuple(predictions), source=path, name=path.name)


def load_run(path: str | Path, *, model: str | None = None) -> Run:
    """A manifest YAML or a run directory; ``model`` overrides the directory's inferred model."""
    path = Path(path).expanduser()
    if path.is_dir():
        return load_directory(path, model=model)
    if not path.exists():
        raise RunManifestError(path, "does not exist (give a run manifest YAML or a directory of result files)")
    if path.suffix not in (".yaml", ".yml"):
        raise RunManifestError(path, "a run is a manifest (.yaml) or a directory of result files")
    run = load_manifest(path)
    return replace(run, model=model) if model else run


def load_run_predictions(prediction: RunPrediction) -> PredictionSet:
    """The prediction set of one run file (format named or detected; a manifest ``prompt`` fills missing prompts)."""
    from evaluators.predictions import load_predictions

    predictions = load_predictions(prediction.file, prediction.format, **prediction.loader_options())
    if prediction.prompt is None:
        return predictions
    items = tuple(item if item.prompt else replace(item, prompt=prediction.prompt) for item in predictions.items)
    return replace(predictions, items=items)


__all__ = ["AUDIOBENCH_FILES", "SCHEMA_PATH", "Run", "RunManifestError", "RunPrediction", "infer_prediction",
           "load_directory", "load_manifest", "load_run", "load_run_predictions", "model_key_from_name",
           "parse_manifest"]
