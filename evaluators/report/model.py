"""The reproduction report as data: every checked published number, plus run facts.

A :class:`Report` is what ``results.json`` holds (schema: ``results.schema.json``, documented in
``docs/report.md``). The markdown, HTML and plots are pure renderings of it, so ``audiorepro report``
can re-render any saved ``results.json`` and two runs can be compared with ``audiorepro diff``.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from evaluators.errors import AudioreproError
from evaluators.report.formatting import MISSING, fmt_delta, fmt_interval, fmt_number
from evaluators.report.run import now_utc
from evaluators.verdict import STATUSES, PaperValueResult

#: version of the ``results.json`` layout; bump on an incompatible change
SCHEMA_VERSION = 1

#: statuses that a golden entry can *expect* and that a run can contradict
CHECKED_STATUSES = ("reproduces", "differs")
#: statuses meaning "this number was not measured" (skips): never a change of status
NOT_MEASURED_STATUSES = ("no_predictions", "unavailable")


class ReportFormatError(AudioreproError, ValueError):
    """A ``results.json`` (or ``history.jsonl``) that cannot be read as a report. Names the file and where."""

    def __init__(self, path: object, message: str):
        self.path = str(path)
        super().__init__(f"{self.path}: {message}")


def is_expectation_change(result: PaperValueResult) -> bool:
    """True when a measured number contradicts its golden expectation.

    ``reproduces`` expected but the run says ``differs`` or ``error`` (or the reverse for ``differs``).
    ``unknown`` expectations and numbers that were not measured (no predictions, unavailable) never count.
    """
    if result.expected_status not in CHECKED_STATUSES:
        return False
    if result.status in NOT_MEASURED_STATUSES:
        return False
    return result.status != result.expected_status


def noise_verdict(result: PaperValueResult) -> str | None:
    """Whether the published value lies inside the 95 % interval of the reproduced one (None without an interval)."""
    if result.interval is None or result.value is None:
        return None
    low, high = result.interval
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    if low <= result.published <= high:
        return "within noise: the published value lies inside the 95 % interval"
    return "outside noise: the published value lies outside the 95 % interval"


def generic_reason(result: PaperValueResult) -> str:
    """The skip reason with this entry's own id, model, dataset and split replaced by placeholders.

    Reasons usually name the entry ("no predictions of SALMONN-7B on LibriSpeech test-clean ..."); the
    placeholders let 600 such reasons fall into a handful of groups in the "not measured" list.
    """
    reason = (result.reason or "no reason given").strip()
    for value, placeholder in sorted(((result.id, "<id>"), (result.model, "<model>"), (result.dataset, "<dataset>"),
                                      (result.split, "<split>")), key=lambda pair: -len(pair[0] or "")):
        if value and len(value) > 2:
            reason = reason.replace(value, placeholder)
    return reason


@dataclass
class Report:
    """Everything one run found out. Rendered to ``results.json``, ``report.md`` and ``index.html``."""

    results: list[PaperValueResult] = field(default_factory=list)
    determinism: list[dict[str, Any]] = field(default_factory=list)
    skipped_tests: list[dict[str, str]] = field(default_factory=list)  # paper_values tests with no result
    citations: list[dict[str, Any]] | None = None  # evaluators.golden.comparison_groups(...) when available
    run: dict[str, Any] = field(default_factory=dict)
    generated_at: str = field(default_factory=now_utc)
    notes: list[str] = field(default_factory=list)
    #: checks of the user's own run (``pytest -m paper_values --run``), one per (entry, protocol)
    your_run: list[dict[str, Any]] = field(default_factory=list)

    # ----------------------------------------------------------------- summaries
    def counts(self) -> dict[str, int]:
        """Results per status (every status present, zeros included) plus ``total`` and ``changed``."""
        counter = Counter(result.status for result in self.results)
        counts = {status: counter.get(status, 0) for status in STATUSES}
        counts["total"] = len(self.results)
        counts["changed"] = len(self.expectation_changes())
        return counts

    def expectation_changes(self) -> list[PaperValueResult]:
        """Numbers whose status contradicts their golden expectation (what makes the nightly job fail)."""
        return [result for result in self.results if is_expectation_change(result)]

    def per_paper_counts(self) -> list[tuple[str, dict[str, int]]]:
        """(paper, {status: n, "total": n}) for every paper, in report order."""
        out = []
        for paper, results in self.by_paper().items():
            counter = Counter(result.status for result in results)
            out.append((paper, {**{status: counter.get(status, 0) for status in STATUSES}, "total": len(results)}))
        return out

    def not_reproduced(self) -> list[PaperValueResult]:
        """Measured numbers that do not reproduce (status ``differs`` or ``error``), worst first."""
        rows = [result for result in self.results if result.status in ("differs", "error")]
        return sorted(rows, key=lambda r: (r.status != "error", -abs(r.delta) if r.delta is not None else 0.0, r.id))

    def by_paper(self) -> dict[str, list[PaperValueResult]]:
        """Paper → its results, measured ones first (reproduces, differs, ...), then by id."""
        groups: dict[str, list[PaperValueResult]] = defaultdict(list)
        order = {status: index for index, status in enumerate(STATUSES)}
        for result in sorted(self.results, key=lambda r: (r.paper, order.get(r.status, 9), r.id)):
            groups[result.paper].append(result)
        return dict(groups)

    def skip_reasons(self) -> dict[str, list[str]]:
        """Reason → ids (or test ids) of numbers not measured, most frequent reason first."""
        groups: dict[str, list[str]] = defaultdict(list)
        for result in self.results:
            if result.status in NOT_MEASURED_STATUSES:
                groups[f"{result.status}: {generic_reason(result)}"].append(result.id)
        for test in self.skipped_tests:
            groups[f"skipped: {test.get('reason') or 'no reason given'}"].append(test.get("test", "?"))
        return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    def prediction_sets(self) -> dict[str, list[PaperValueResult]]:
        """Title → the measured results that share one scoring of one prediction set (for the protocol sweep).

        Results are grouped by prediction file, task, dataset, split and the measured values themselves, so
        entries re-checking the very same computation (e.g. a paper and its second source) share one chart,
        while subsets or answer-key revisions of the same file get their own.
        """
        groups: dict[tuple[Any, ...], list[PaperValueResult]] = defaultdict(list)
        for result in sorted(self.results, key=lambda r: r.id):
            if result.prediction_file and (result.value is not None or result.sweep):
                values = tuple(sorted({(s.protocol, None if s.value is None else round(s.value, 9))
                                       for s in result.sweep}
                                      | {(result.protocol or "", None if result.value is None
                                          else round(result.value, 9))}, key=str))
                groups[(result.prediction_file, result.task, result.dataset, result.split, values)].append(result)
        titled: dict[str, list[PaperValueResult]] = {}
        for (prediction_file, task, dataset, split, _), results in sorted(groups.items(), key=lambda kv: kv[0][:4]):
            title = f"{prediction_file} — {task}: {dataset} / {split}"
            if title in titled:
                title = f"{title} ({results[0].id})"
            titled[title] = results
        return titled

    def missing_data(self) -> list[PaperValueResult]:
        """Numbers that have public predictions which were not on this machine (not shipped, not fetched)."""
        return [result for result in self.results if result.status == "no_predictions" and result.prediction_file]

    def data_warning(self) -> str | None:
        """What was not measured for want of data, and the one command that fixes it (None when nothing)."""
        missing = self.missing_data()
        if not missing:
            return None
        files = {result.prediction_file for result in missing}
        return (f"{len(missing)} published numbers with public predictions were not measured: their {len(files)} "
                f"prediction files are not on this machine (audiorepro ships only the permissively licensed sets; "
                f"the others, e.g. AudioBench's non-commercial logs, are downloaded on demand). "
                f"Run `audiorepro fetch` with network (or set AUDIOREPRO_DATA to a folder holding them), then "
                f"`make report` again.")

    def your_run_table(self) -> tuple[list[str], list[list[str]]]:
        """The "Your run" section, computed once for both renderings: header and text rows.

        One row per check (entry × protocol, the entry's own protocol first), beside the published value and
        the public reproduction of the same entry (the golden test's value and interval, when this run
        measured it).
        """
        public = {result.id: result for result in self.results if result.value is not None}
        headers = ["entry", "protocol", "published", "your value", "95% interval", "Δ", "status", "verdict",
                   "closest", "public reproduction"]
        rows = []
        order = sorted(self.your_run, key=lambda r: (str(r.get("file")), str(r.get("entry")), not r.get("primary"),
                                                      str(r.get("protocol"))))
        for record in order:
            reproduction = public.get(str(record.get("entry")))
            public_text = (f"{fmt_number(reproduction.value)} {fmt_interval(reproduction.interval)} "
                           f"({reproduction.protocol})" if reproduction is not None else MISSING)
            status = str(record.get("status") or MISSING)
            if record.get("reason") and record.get("value") is None:
                status += f": {record['reason']}"
            protocol = str(record.get("protocol")) + (" *" if record.get("primary") else "")
            rows.append([str(record.get("entry")), protocol,
                         f"{record.get('printed') or fmt_number(record.get('published'))} {record.get('unit', '')}",
                         fmt_number(record.get("value")), fmt_interval(record.get("interval")),
                         fmt_delta(record.get("delta")), status, str(record.get("verdict") or MISSING),
                         str(record.get("closest_protocol") or MISSING), public_text])
        return headers, rows

    def your_run_summary(self) -> str:
        """"run <model>: N checks of M published numbers: a reproduce, b consistent, ..." (by entry verdict)."""
        verdicts: dict[str, str] = {str(r.get("entry")): str(r.get("verdict")) for r in self.your_run}
        counts = Counter(verdicts.values())
        models = sorted({str(r.get("run_model")) for r in self.your_run if r.get("run_model")})
        files = sorted({str(r.get("file")) for r in self.your_run})
        return (f"run of {', '.join(models) or 'an unnamed model'} ({len(files)} file(s)): {len(self.your_run)} "
                f"checks of {len(verdicts)} published numbers — "
                + ", ".join(f"{counts[v]} {v}" for v in ("reproduces", "consistent", "differs", "unavailable")
                            if counts.get(v)) + "; * = the entry's own protocol")

    def is_empty(self) -> bool:
        return not self.results and not self.determinism and not self.skipped_tests and not self.your_run

    # ----------------------------------------------------------------- (de)serialisation
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "generated_at": self.generated_at,
            "run": dict(self.run),
            "counts": self.counts(),
            "results": [_result_dict(result) for result in sorted(self.results, key=lambda r: r.id)],
            "skipped_tests": list(self.skipped_tests),
            "determinism": [sanitize(row) for row in self.determinism],
            "citations": sanitize(self.citations),
            "notes": list(self.notes),
            "your_run": [sanitize(row) for row in self.your_run],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False, default=_json_default) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        return cls(
            results=[PaperValueResult.from_dict(row) for row in data.get("results", [])],
            determinism=[dict(row) for row in data.get("determinism", [])],
            skipped_tests=[dict(row) for row in data.get("skipped_tests", [])],
            citations=data.get("citations"),
            run=dict(data.get("run", {})),
            generated_at=data.get("generated_at") or now_utc(),
            notes=list(data.get("notes", [])),
            your_run=[dict(row) for row in data.get("your_run", [])],
        )


def _result_dict(result: PaperValueResult) -> dict[str, Any]:
    """JSON-safe: NaN/inf values become null, and an interval with a non-finite end becomes null."""
    data = sanitize(result.to_dict())
    if data.get("interval") is not None and None in data["interval"]:
        data["interval"] = None
    return data


def _json_default(value: Any) -> Any:
    """numpy scalars and other number-likes that tests may attach."""
    for cast in (int, float):
        try:
            number = cast(value)
        except (TypeError, ValueError):
            continue
        if number == value:
            return number
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def sanitize(value: Any) -> Any:
    """JSON-safe copy of free-form data: NaN/inf become None, numpy scalars become numbers."""
    if isinstance(value, Mapping):
        return {str(k): sanitize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [sanitize(v) for v in value]
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if value is None or isinstance(value, (str, int, bool)):
        return value
    converted = _json_default(value)
    return sanitize(converted) if not isinstance(converted, str) else converted


def merge_reports(reports: Iterable[Report]) -> Report:
    """One report from several (later files win for the same result id); run facts from the last."""
    reports = list(reports)
    if not reports:
        return Report()
    by_id: dict[str, PaperValueResult] = {}
    determinism: list[dict[str, Any]] = []
    skipped: dict[str, dict[str, str]] = {}
    citations = None
    notes: list[str] = []
    your_run: list[dict[str, Any]] = []
    for report in reports:
        your_run = report.your_run or your_run
        by_id.update({result.id: result for result in report.results})
        determinism.extend(report.determinism)
        skipped.update({row.get("test", ""): row for row in report.skipped_tests})
        citations = report.citations if report.citations is not None else citations
        notes.extend(note for note in report.notes if note not in notes)
    return Report(results=list(by_id.values()), determinism=determinism, skipped_tests=list(skipped.values()),
                  citations=citations, run=dict(reports[-1].run), generated_at=reports[-1].generated_at,
                  notes=notes, your_run=your_run)
