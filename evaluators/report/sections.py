"""The report's sections, computed once from a :class:`Report` for both renderings.

``report.md`` and ``index.html`` show the same sections: run facts and headline counts, numbers whose
status contradicts the golden expectation, the "does not reproduce" list, one table per paper, the
protocol sweep per prediction set, numbers not measured by reason, determinism records, the same
number as published by several papers, and notes. :func:`build_sections` decides *what* each section
holds (which results, in which order, which rows, the noise verdict, the sweep's protocol rows, the
citation rows); :mod:`evaluators.report.markdown` and :mod:`evaluators.report.html` only decide how it
looks. A section that is empty here is left out (or says "none") in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evaluators.report.formatting import MISSING
from evaluators.report.model import NOT_MEASURED_STATUSES, Report, noise_verdict
from evaluators.verdict import STATUSES, PaperValueResult

CITATION_HEADERS = ("paper", "value", "unit", "in the group's unit", "test data as original", "evaluation code",
                    "status", "id", "source")


@dataclass(frozen=True)
class Column:
    """A column of a paper's table: the result field it shows (``data-field`` in HTML) and its header."""

    field: str
    header: str


#: the columns of every row of a paper's table: the number, what was measured under the entry's own protocol,
#: and its status against the golden expectation
RESULT_COLUMNS = tuple(Column(field, header) for field, header in (
    ("id", "id"), ("model", "model"), ("task", "task"), ("dataset", "dataset"), ("metric", "metric"),
    ("published", "published"), ("value", "reproduced"), ("delta", "Δ"), ("tolerance", "tolerance"),
    ("interval", "interval"), ("protocol", "protocol"), ("status", "status")))
#: a measured number adds the verdict over every candidate protocol (:mod:`evaluators.checking`, the rule of
#: ``audiorepro check``) and the protocol closest to the published value: the entry's own protocol may differ
#: while another of its candidates reproduces or is consistent
MEASURED_COLUMNS = RESULT_COLUMNS + (Column("verdict", "verdict"), Column("closest_protocol", "closest protocol"))


@dataclass(frozen=True)
class RunFacts:
    """When and how the results were produced."""

    generated_at: str
    commit: str | None
    pytest_exit_status: int | None
    pytest_args: tuple[str, ...]
    platform: str | None
    python: str | None


@dataclass(frozen=True)
class Summary:
    """Headline counts, counts per paper and the no-data warning."""

    counts: dict[str, int]
    measured: int
    warning: str | None
    per_paper: list[tuple[str, dict[str, int]]]


@dataclass(frozen=True)
class Failure:
    """A measured number that does not reproduce, with its noise verdict (``None`` without an interval)."""

    result: PaperValueResult
    noise: str | None


@dataclass(frozen=True)
class PaperTable:
    """One paper's numbers: status counts, then measured and not-measured results, each with its columns."""

    paper: str
    results: list[PaperValueResult]
    status_counts: list[tuple[str, int]]
    measured: list[PaperValueResult]
    not_measured: list[PaperValueResult]
    measured_columns: tuple[Column, ...] = MEASURED_COLUMNS
    not_measured_columns: tuple[Column, ...] = RESULT_COLUMNS


@dataclass(frozen=True)
class SweepRow:
    """One protocol's value on a prediction set; ``primary`` for a golden entry's own protocol."""

    protocol: str
    primary: bool
    value: float | None
    n: int | None
    skipped: Any
    signature: str | None
    available: bool = True
    reason: str | None = None


@dataclass(frozen=True)
class SweepTable:
    """Every applicable protocol on one prediction set, and the golden entries checked against it."""

    title: str
    results: list[PaperValueResult]
    rows: list[SweepRow]


@dataclass(frozen=True)
class CitationGroup:
    """The same number (model, dataset, split, metric) as published by several papers."""

    model: str
    dataset: str
    split: str
    metric: str
    rows: list[dict[str, str]]


@dataclass(frozen=True)
class DeterminismTable:
    columns: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class DeterminismSection:
    """Where the records come from (when another run), the snapshot agreement per device model, the rest."""

    origin: str | None
    agreement: DeterminismTable | None
    others: DeterminismTable | None


@dataclass(frozen=True)
class YourRunSection:
    """Your own run (``pytest --run``): a one-line summary and the rows of ``Report.your_run_table``."""

    summary: str
    headers: list[str]
    rows: list[list[Any]]


@dataclass(frozen=True)
class ReportSections:
    """Everything both renderings show, in page order."""

    run: RunFacts
    summary: Summary
    changes: list[PaperValueResult]
    failures: list[Failure]
    papers: list[PaperTable]
    sweeps: list[SweepTable]
    skips: dict[str, list[str]]
    determinism: DeterminismSection | None
    citations: list[CitationGroup]
    notes: list[str]
    #: every result, for the charts of the HTML page
    results: list[PaperValueResult]
    #: your own run's rows, when the run had ``--run``
    your_run: YourRunSection | None = None


def build_sections(report: Report) -> ReportSections:
    """Compute every section of ``report`` once."""
    run = report.run
    counts = report.counts()
    return ReportSections(
        run=RunFacts(generated_at=report.generated_at, commit=run.get("git_commit"),
                     pytest_exit_status=run.get("pytest_exit_status"), pytest_args=tuple(run.get("pytest_args") or ()),
                     platform=run.get("platform"), python=str(run["python"]) if run.get("python") else None),
        summary=Summary(counts=counts, measured=counts["reproduces"] + counts["differs"],
                        warning=report.data_warning(), per_paper=report.per_paper_counts()),
        changes=report.expectation_changes(),
        failures=[Failure(result, noise_verdict(result)) for result in report.not_reproduced()],
        papers=[paper_table(paper, results) for paper, results in report.by_paper().items()],
        sweeps=[SweepTable(title, results, sweep_rows(results)) for title, results in report.prediction_sets().items()],
        skips=report.skip_reasons(),
        determinism=determinism_section(report),
        citations=[citation_group(group) for group in (report.citations or []) if len(group.get("values", [])) > 1],
        notes=list(report.notes or ()),
        results=list(report.results),
        your_run=your_run_section(report),
    )


def your_run_section(report: Report) -> YourRunSection | None:
    if not report.your_run:
        return None
    headers, rows = report.your_run_table()
    return YourRunSection(summary=report.your_run_summary(), headers=list(headers), rows=[list(row) for row in rows])


def paper_table(paper: str, results: list[PaperValueResult]) -> PaperTable:
    return PaperTable(
        paper=paper, results=results,
        status_counts=[(status, n) for status in STATUSES if (n := sum(r.status == status for r in results))],
        measured=[r for r in results if r.status not in NOT_MEASURED_STATUSES],
        not_measured=[r for r in results if r.status in NOT_MEASURED_STATUSES])


def sweep_rows(results: list[PaperValueResult]) -> list[SweepRow]:
    """One row per protocol: the golden entries' own protocols first, then the rest of the sweep."""
    rows: dict[str, SweepRow] = {}
    for r in results:
        if r.protocol and r.protocol not in rows:
            rows[r.protocol] = SweepRow(r.protocol, True, r.value, r.n, r.skipped, r.signature)
    for r in results:
        for s in r.sweep:
            if s.protocol not in rows:
                rows[s.protocol] = SweepRow(s.protocol, False, s.value, s.n, s.skipped, s.signature,
                                            available=s.available, reason=s.reason)
    return list(rows.values())


def citation_group(group: dict[str, Any]) -> CitationGroup:
    return CitationGroup(model=str(group.get("model")), dataset=str(group.get("dataset")),
                         split=str(group.get("split")), metric=str(group.get("metric")), rows=citation_rows(group))


def citation_rows(group: dict[str, Any]) -> list[dict[str, str]]:
    """One display row per paper's value: the group's ``values`` merged with the audit ``rows`` the citation
    tests attach (value in the group's unit, test data, evaluation code and protocol, quotes/re-measures)."""
    audit = {row.get("id"): row for row in group.get("rows", []) if isinstance(row, dict)}
    out = []
    for value in group.get("values", []):
        row = {**value, **audit.get(value.get("id"), {})}
        code = " · ".join(str(part) for part in (row.get("eval_code"), row.get("protocol")) if part)
        relation = ("quotes " + str(row["quotes"])) if row.get("quotes") else (
            ("re-measures " + str(row["remeasures"])) if row.get("remeasures") else "")
        group_value = row.get("value_in_group_unit")
        out.append({
            "paper": str(row.get("paper") or ""), "value": str(row.get("printed") or format_free(row.get("value"))),
            "unit": str(row.get("unit") or ""),
            "group_value": format_free(group_value) if isinstance(group_value, (int, float)) else "",
            "test_data": str(row.get("test_data") or ""), "code": code, "status": str(row.get("status") or ""),
            "id": str(row.get("id") or ""),
            "source": " ".join(part for part in (str(row.get("source") or ""), relation) if part),
        })
    return out


def determinism_section(report: Report) -> DeterminismSection | None:
    """Snapshot agreement per device model, then the other records whatever keys they carry."""
    if not report.determinism:
        return None
    headers, agreement = device_model_agreement(report.determinism)
    others = [row for row in report.determinism if row.get("record") != "snapshot"]
    return DeterminismSection(origin=determinism_origin(report),
                              agreement=DeterminismTable(headers, agreement) if agreement else None,
                              others=determinism_table(others))


def determinism_table(records: list[dict[str, Any]] | None) -> DeterminismTable | None:
    """Free-form determinism records as a table (columns: every key, in first-seen order)."""
    if not records:
        return None
    columns = determinism_columns(records)
    return DeterminismTable(columns, [[format_free(row.get(key)) for key in columns] for row in records])


def determinism_origin(report: Report) -> str | None:
    """Which run the determinism records come from, when it is not the run the rest of the report describes."""
    facts = report.run.get("determinism_run")
    if not isinstance(facts, dict):
        return None
    command = " ".join(str(arg) for arg in facts.get("pytest_args", []))
    return (f"From the determinism run of {facts.get('generated_at', '?')}"
            + (f" (`pytest {command}`)" if command else "")
            + "; the paper-values results above come from their own run.")


def _outcome(outcome: Any, delta: Any) -> str:
    if outcome == "within tolerance" and isinstance(delta, (int, float)):
        return f"within tolerance (Δ {delta:.3g})"
    return str(outcome)


def device_model_agreement(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """Pivot of the ``record: snapshot`` rows: one line per (model, platform), one column per device model.

    A cell says ``reference`` for the device model the snapshot was taken on, else the outcome
    (``identical``, ``within tolerance (Δ 0.023)``, ``mismatch``) of this run there or, failing
    that, of the check recorded in the snapshot's provenance.
    """
    snapshots = [row for row in rows if row.get("record") == "snapshot"]
    devices: list[str] = []
    cells: dict[tuple[str, str], dict[str, str]] = {}
    for row in snapshots:
        key = (str(row.get("model")), str(row.get("platform")))
        line = cells.setdefault(key, {})
        taken = str(row.get("taken_on"))
        for device, check in (row.get("checked_on") or {}).items():
            if isinstance(check, dict):
                line.setdefault(str(device), f"{_outcome(check.get('outcome'), check.get('max_abs_logprob_delta'))} "
                                             "(recorded)")
            else:
                line.setdefault(str(device), f"{check} (recorded)")
        here = str(row.get("device_model"))
        line[here] = f"{_outcome(row.get('outcome'), row.get('max_abs_logprob_delta'))} (this run)"
        line[taken] = "reference" if here != taken else f"reference; {line[here]}"
        for device in (taken, here, *(row.get("checked_on") or {})):
            if str(device) not in devices:
                devices.append(str(device))
    headers = ["model", "platform", *devices]
    table_rows = [[model, platform, *[line.get(device, MISSING) for device in devices]]
                  for (model, platform), line in sorted(cells.items())]
    return headers, table_rows


def determinism_columns(rows: list[dict[str, Any]]) -> list[str]:
    """Union of the keys of free-form determinism records, in first-seen order."""
    keys: list[str] = []
    for row in rows:
        keys.extend(k for k in row if k not in keys)
    return keys


def format_free(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return MISSING if value is None else str(value).lower()
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return ", ".join(format_free(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {format_free(v)}" for k, v in value.items())
    return str(value)
