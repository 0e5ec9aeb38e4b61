"""The golden registry: every published number with its provenance, loaded and validated.

``golden/papers/*.yaml`` holds one file per paper or leaderboard (format: ``golden/README.md``, schema:
``golden/schema.json``). This module

* loads and validates them: the JSON Schema at load, then the rules a schema cannot say (the printed
  digits equal the value, ids start with the file name, ids unique across files, links point to
  existing entries). Every problem raises ``GoldenFormatError`` naming file, entry id and field;
* models an entry as a frozen :class:`GoldenEntry`;
* converts a measured value into the published unit (:func:`to_published_unit`) and states the
  tolerance rule (:func:`tolerance`);
* groups entries by (model, dataset, split, metric) for the side-by-side citation view
  (:func:`comparison_groups`), which the report renders.

Tolerance rule: an entry's explicit ``tolerance`` if it has one; otherwise half a unit of the last
printed digit (``55.58`` → ±0.005, ``2.1`` → ±0.05, ``60`` → ±0.5), never below ``1e-12`` (so a value
printed with all 16–17 significant digits of a double allows for summation-order noise only).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from evaluators.errors import GoldenFormatError
from evaluators.schema import field_and_message, read_yaml, schema_errors

#: the repository's golden folder
GOLDEN_DIR = Path(__file__).resolve().parent.parent / "golden"
PAPERS_DIR = GOLDEN_DIR / "papers"
SCHEMA_PATH = GOLDEN_DIR / "schema.json"
#: smallest tolerance: floating-point noise of a corpus ratio recomputed in another summation order
TOLERANCE_FLOOR = 1e-12
STATUSES = ("reproduces", "differs", "unknown")
#: units of golden values; a protocol's metric has unit fraction, percent or bleu
UNITS = ("percent", "fraction", "bleu", "score", "count")


@dataclass(frozen=True)
class Predictions:
    """The public per-sample predictions an entry can be checked against (paths relative to the data dir)."""

    file: str
    format: str
    options: Mapping[str, Any] = field(default_factory=dict)

    def loader_options(self, resolve_path: Any = None) -> dict[str, Any]:
        """Options for ``load_predictions``; ``resolve_path(rel) -> Path`` turns data-dir files into paths."""
        out: dict[str, Any] = {}
        for key, value in self.options.items():
            if resolve_path is not None and isinstance(value, str) and _looks_like_data_file(value):
                out[key] = resolve_path(value)
            else:
                out[key] = value
        return out

    def files(self) -> list[str]:
        """Every data-dir file this prediction set needs (the predictions and e.g. an answer key)."""
        return [self.file] + [v for v in self.options.values() if isinstance(v, str) and _looks_like_data_file(v)]

    def describe(self) -> str:
        extra = "".join(f", {key}={value}" for key, value in self.options.items())
        return f"{self.file} (format {self.format}{extra})"


def _looks_like_data_file(value: str) -> bool:
    return "/" in value and re.search(r"\.(json|jsonl|csv|tsv|txt|yaml)$", value) is not None


@dataclass(frozen=True)
class Citation:
    """Citation audit of a number reported for a model from another paper."""

    original_paper: str
    test_data: str            # same | different | unknown (vs the original paper's test set for that task)
    test_data_note: str
    eval_code: str | None     # public repository of the evaluation code, if any
    protocol: str | None      # the protocol id that code corresponds to


@dataclass(frozen=True)
class GoldenEntry:
    """One published number."""

    id: str
    origin: str
    paper: str
    arxiv: str
    table: str
    model: str
    model_key: str
    task: str
    dataset: str
    dataset_key: str
    split: str
    split_key: str
    metric: str
    metric_key: str
    direction: str
    value: float
    printed: str
    unit: str
    n: int | None
    source: str
    note: str = ""
    protocols: tuple[str, ...] = ()
    predictions: Predictions | None = None
    explicit_tolerance: float | None = None
    status: str = "unknown"
    reason: str = ""
    remeasures: str | None = None
    quotes: str | None = None
    citation: Citation | None = None
    file: str = ""            # path of the golden file it was read from

    @property
    def protocol(self) -> str | None:
        """The protocol the entry is checked under (the first candidate)."""
        return self.protocols[0] if self.protocols else None

    @property
    def tolerance(self) -> float:
        return tolerance(self)

    @property
    def paper_key(self) -> str:
        return self.id.split("/", 1)[0]

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "paper": self.paper, "arxiv": self.arxiv, "table": self.table, "model": self.model,
                "task": self.task, "dataset": self.dataset, "split": self.split, "metric": self.metric,
                "direction": self.direction, "value": self.value, "printed": self.printed, "unit": self.unit,
                "n": self.n, "source": self.source, "note": self.note, "protocols": list(self.protocols),
                "predictions": None if self.predictions is None else
                {"file": self.predictions.file, "format": self.predictions.format, **self.predictions.options},
                "tolerance": self.tolerance, "status": self.status, "reason": self.reason,
                "remeasures": self.remeasures, "quotes": self.quotes,
                "citation": None if self.citation is None else self.citation.__dict__.copy()}


# ----------------------------------------------------------------------------------------------
# tolerance and units


def decimals(printed: str) -> int:
    """Digits after the decimal point of a value as printed (``'55.58'`` → 2, ``'60'`` → 0)."""
    return len(printed.split(".", 1)[1]) if "." in printed else 0


def rounding_tolerance(printed: str) -> float:
    """Half a unit of the last printed digit, never below :data:`TOLERANCE_FLOOR`."""
    return max(float(Decimal(5) * Decimal(10) ** (-decimals(printed) - 1)), TOLERANCE_FLOOR)


def tolerance(entry: GoldenEntry) -> float:
    """The entry's explicit tolerance, else :func:`rounding_tolerance` of its printed value."""
    if entry.explicit_tolerance is not None:
        return entry.explicit_tolerance
    return rounding_tolerance(entry.printed)


def to_published_unit(value: float, metric_unit: str, published_unit: str) -> float:
    """Convert a protocol's value (unit ``fraction`` | ``percent`` | ``bleu``) into the published unit.

    fraction → percent multiplies by 100, percent → fraction divides; BLEU is on its 0–100 scale on both
    sides. Other combinations (a judge score, a count) must already match and are returned unchanged;
    anything else is a ``ValueError``: comparing across scales silently is the error this suite exists
    to catch.
    """
    if metric_unit == published_unit:
        return value
    if metric_unit == "fraction" and published_unit == "percent":
        return value * 100.0
    if metric_unit == "percent" and published_unit == "fraction":
        return value / 100.0
    if {metric_unit, published_unit} == {"bleu", "percent"}:
        return value
    raise ValueError(f"cannot convert a {metric_unit} value to {published_unit}")


def within_tolerance(measured: float, entry: GoldenEntry) -> bool:
    return abs(measured - entry.value) <= entry.tolerance


@dataclass(frozen=True)
class Outcome:
    """What a paper_values test does with a measurement: ``pass`` | ``fail`` | ``xfail`` | ``skip``."""

    action: str
    reproduces: bool
    message: str


def expected_outcome(entry: GoldenEntry, measured: float) -> Outcome:
    """The verdict rule of the paper_values tests (measured value already in the published unit).

    * ``reproduces`` entry: pass within tolerance, fail outside;
    * ``differs`` entry: xfail outside tolerance; **fail** within it (strict: the registry must be updated);
    * ``unknown`` entry: skip either way, asking for a decision (never a silent pass).
    """
    reproduces = within_tolerance(measured, entry)
    delta = measured - entry.value
    where = (f"measured {measured:.10g} {entry.unit} vs published {entry.printed} "
             f"(delta {delta:+.3g}, tolerance {entry.tolerance:.3g})")
    if entry.status == "reproduces":
        return Outcome("pass" if reproduces else "fail", reproduces,
                       where if reproduces else f"expected to reproduce: {where}")
    if entry.status == "differs":
        if reproduces:
            return Outcome("fail", True, f"entry is marked `differs` but now reproduces; update golden "
                                         f"({entry.paper_key}.yaml): {where}")
        return Outcome("xfail", False, f"differs as encoded: {where}")
    return Outcome("skip", reproduces, f"expected status unknown; decide reproduces/differs in "
                                       f"{entry.paper_key}.yaml: {where}")


# ----------------------------------------------------------------------------------------------
# loading and validation


class _StrictYAMLLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML that refuses what a hand-edited registry never needs and an attacker can abuse.

    libyaml's parser when PyYAML was built with it (6x faster on the ~1 MB registry), else the
    pure-Python one. Duplicate keys (the second would silently win) and aliases (``*name``: an
    8-level alias "bomb" expands into hundreds of MB during validation) are errors.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            raise yaml.constructor.ConstructorError(None, None, "aliases (&anchor / *alias) are not allowed",
                                                    node.start_mark)
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None and key in seen:
                    raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}",
                                                            key_node.start_mark)
                seen.add(key)
                self.constructed_objects.pop(key_node, None)  # constructed again below, not an alias
        return super().construct_mapping(node, deep=deep)


_YAML_LOADER = _StrictYAMLLoader
#: metrics bounded by 100 % (1 as a fraction); an error rate (WER, PER) can exceed it
_BOUNDED_METRICS = ("accuracy", "following-rate", "meteor", "rouge-l", "spider")


def _entry_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return raw["id"]
    return f"#{index}"


def _schema_error(path: Path, data: Any, error: Any) -> GoldenFormatError:
    where = list(error.absolute_path)
    entry = None
    field_name: str | None = None
    if len(where) >= 2 and where[0] == "entries" and isinstance(where[1], int):
        entry = _entry_label(data["entries"][where[1]], where[1])
        rest = [str(p) for p in where[2:]]
        field_name = ".".join(rest) or None
    elif where:
        field_name = ".".join(str(p) for p in where)
    field_name, message = field_and_message(error, field_name)
    return GoldenFormatError(path, message, entry=entry, field=field_name)


def _make_entry(raw: Mapping[str, Any], path: Path) -> GoldenEntry:
    predictions = None
    if raw.get("predictions"):
        options = {k: v for k, v in raw["predictions"].items() if k not in ("file", "format")}
        predictions = Predictions(raw["predictions"]["file"], raw["predictions"]["format"], options)
    citation = Citation(**raw["citation"]) if raw.get("citation") else None
    return GoldenEntry(
        id=raw["id"], origin=raw["origin"], paper=raw["paper"], arxiv=raw["arxiv"], table=raw["table"],
        model=raw["model"], model_key=raw["model_key"], task=raw["task"], dataset=raw["dataset"],
        dataset_key=raw["dataset_key"], split=raw["split"], split_key=raw["split_key"], metric=raw["metric"],
        metric_key=raw["metric_key"], direction=raw["direction"], value=float(raw["value"]),
        printed=raw["printed"], unit=raw["unit"], n=raw["n"], source=raw["source"], note=raw.get("note", ""),
        protocols=tuple(raw["protocols"]), predictions=predictions, explicit_tolerance=raw.get("tolerance"),
        status=raw["status"], reason=raw.get("reason", ""), remeasures=raw.get("remeasures"),
        quotes=raw.get("quotes"), citation=citation, file=str(path))


def load_file(path: str | Path) -> list[GoldenEntry]:
    """Read and validate one golden file; ``GoldenFormatError`` names file, entry id and field."""
    path = Path(path)
    data = read_yaml(path, lambda message: GoldenFormatError(path, message), _YAML_LOADER)
    if not isinstance(data, dict):
        raise GoldenFormatError(path, f"expected a mapping with 'entries', got {type(data).__name__}")
    errors = list(schema_errors(SCHEMA_PATH, data))
    if errors:
        raise _schema_error(path, data, errors[0])
    if data["file"] != path.stem:
        raise GoldenFormatError(path, f"'file' is {data['file']!r} but the file is named {path.stem}.yaml",
                                field="file")
    entries: list[GoldenEntry] = []
    seen: set[str] = set()
    for raw in data["entries"]:
        ident = raw["id"]
        if not ident.startswith(data["file"] + "/"):
            raise GoldenFormatError(path, f"id must start with {data['file']}/", entry=ident, field="id")
        if ident in seen:
            raise GoldenFormatError(path, "duplicate id in this file", entry=ident, field="id")
        seen.add(ident)
        if float(raw["printed"]) != float(raw["value"]):
            raise GoldenFormatError(path, f"value {raw['value']!r} is not the printed {raw['printed']!r}",
                                    entry=ident, field="value")
        _check_range(path, raw)
        entries.append(_make_entry(raw, path))
    return entries


def _check_range(path: Path, raw: Mapping[str, Any]) -> None:
    """Values a schema cannot bound: a finite tolerance, a bounded metric inside its unit's range."""
    ident = raw["id"]
    tolerance_value = raw.get("tolerance")
    if tolerance_value is not None and not math.isfinite(tolerance_value):
        raise GoldenFormatError(path, f"tolerance {tolerance_value!r} is not a finite number (it would accept "
                                "any measured value)", entry=ident, field="tolerance")
    value, unit = float(raw["value"]), raw["unit"]
    if raw["metric_key"] in _BOUNDED_METRICS and unit in ("percent", "fraction"):
        top = 100.0 if unit == "percent" else 1.0
        if not 0.0 <= value <= top:
            raise GoldenFormatError(path, f"{raw['metric_key']} {value} is outside 0..{top:g} ({unit})",
                                    entry=ident, field="value")
        if unit == "percent" and 0.0 < value <= 1.0 and "." in raw["printed"]:
            raise GoldenFormatError(path, f"{raw['metric_key']} {raw['printed']} looks like a fraction in a percent "
                                    "entry: write it in percent or set unit: fraction", entry=ident, field="value")


def check_references(entries: Iterable[GoldenEntry]) -> None:
    """The protocol (first candidate) and prediction format of every entry with predictions must be registered.

    An unknown id would otherwise make the paper_values test skip as "unavailable" forever. Not part of
    :func:`load_all` (it imports every protocol: seconds); ``audiorepro golden validate`` and the golden
    unit tests run it.
    """
    from evaluators.errors import UnknownProtocolError
    from evaluators.predictions import FORMATS
    from evaluators.protocols import get_protocol

    for entry in entries:
        if entry.predictions is None:
            continue  # nothing is measured: candidates may name protocols the specification has not registered
        if entry.protocol:
            try:
                get_protocol(entry.protocol)
            except UnknownProtocolError as error:
                raise GoldenFormatError(entry.file, str(error), entry=entry.id, field="protocols") from None
        if entry.predictions.format not in FORMATS:
            raise GoldenFormatError(entry.file, f"unknown prediction format {entry.predictions.format!r} (known: "
                                    f"{', '.join(sorted(FORMATS))})", entry=entry.id, field="predictions.format")


def golden_files(directory: str | Path = PAPERS_DIR) -> list[Path]:
    return sorted(Path(directory).glob("*.yaml"))


def load_all(paths: Iterable[str | Path] | None = None) -> list[GoldenEntry]:
    """Every entry of the given files (default: all of ``golden/papers``), validated together.

    Duplicate ids across files and links (``remeasures``, ``quotes``) to unknown ids are rejected.
    """
    files = [Path(p) for p in paths] if paths is not None else golden_files()
    entries: list[GoldenEntry] = []
    where: dict[str, str] = {}
    for path in files:
        for entry in load_file(path):
            if entry.id in where:
                raise GoldenFormatError(path, f"duplicate id, also in {where[entry.id]}", entry=entry.id,
                                        field="id")
            where[entry.id] = str(path)
            entries.append(entry)
    known: set[str] = set()
    if paths is not None and files and any(f.resolve().parent != PAPERS_DIR.resolve() for f in files):
        known = {entry.id for entry in load_all()}  # links from other files may point into the registry
    check_links(entries, known)
    return entries


def check_links(entries: Sequence[GoldenEntry], known: Iterable[str] = ()) -> None:
    """``remeasures`` / ``quotes`` must name an entry of ``entries`` (or of ``known``)."""
    ids = {entry.id for entry in entries} | set(known)
    for entry in entries:
        for name in ("remeasures", "quotes"):
            target = getattr(entry, name)
            if target is not None and target not in ids:
                raise GoldenFormatError(entry.file, f"links to unknown entry {target!r}", entry=entry.id,
                                        field=name)


@lru_cache(maxsize=1)
def _cached_all() -> tuple[GoldenEntry, ...]:
    return tuple(load_all())


def all_entries() -> list[GoldenEntry]:
    """All golden entries (loaded once per process)."""
    return list(_cached_all())


def get_entry(entry_id: str) -> GoldenEntry:
    for entry in _cached_all():
        if entry.id == entry_id:
            return entry
    raise KeyError(f"no golden entry {entry_id!r}")


# ----------------------------------------------------------------------------------------------
# the side-by-side citation view


def comparison_groups(entries: Iterable[GoldenEntry] | None = None, *, min_papers: int = 1) -> list[dict[str, Any]]:
    """Entries grouped by (model, dataset, split, metric): every paper's value side by side.

    Returns plain dicts ``{"model", "dataset", "split", "metric", "values": [{"id", "paper", "value",
    "unit", "source"}, ...]}`` sorted by key; ``min_papers`` keeps only groups with values from at
    least that many golden files (2 gives the groups where papers can disagree).
    """
    groups: dict[tuple[str, str, str, str], list[GoldenEntry]] = {}
    for entry in (all_entries() if entries is None else entries):
        key = (entry.model_key, entry.dataset_key, entry.split_key, entry.metric_key)
        groups.setdefault(key, []).append(entry)
    out: list[dict[str, Any]] = []
    for (model, dataset, split, metric), members in sorted(groups.items()):
        if len({m.paper_key for m in members}) < min_papers:
            continue
        out.append({"model": model, "dataset": dataset, "split": split, "metric": metric,
                    "values": [{"id": m.id, "paper": m.paper, "value": m.value, "unit": m.unit, "source": m.source,
                                "printed": m.printed, "status": m.status,
                                "test_data": m.citation.test_data if m.citation else None}
                               for m in members]})
    return out


def citation_audit(entries: Iterable[GoldenEntry] | None = None) -> list[dict[str, Any]]:
    """Entries that report a number for a model from another paper, with their audit fields."""
    out = []
    for entry in (all_entries() if entries is None else entries):
        if entry.citation is None:
            continue
        out.append({"id": entry.id, "paper": entry.paper, "model": entry.model, "value": entry.value,
                    "unit": entry.unit, **entry.citation.__dict__})
    return out
