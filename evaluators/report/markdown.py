"""``report.md``: the reproduction report as GitHub-flavoured markdown.

A rendering only: what each section holds is computed once by :mod:`evaluators.report.sections`
(shared with ``index.html``). Sections: headline counts; numbers whose status contradicts their
golden expectation; the "does not reproduce" list with reasons; one table per paper; the protocol
sweep per prediction set; numbers not measured, grouped by reason; determinism results (when run);
the citation side-by-side view (when the golden registry provides it). Long lists are folded in
``<details>`` (GitHub renders it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from evaluators.report.formatting import (
    MISSING,
    STATUS_EMOJI,
    fmt_delta,
    fmt_interval,
    fmt_number,
    fmt_skipped,
    fmt_tolerance,
    status_label,
)
from evaluators.report.model import Report
from evaluators.report.sections import CITATION_HEADERS, Column, ReportSections, SweepRow, build_sections
from evaluators.report.sections import device_model_agreement as device_model_agreement  # re-exported
from evaluators.verdict import STATUSES, PaperValueResult

#: every character some tool treats as a line break (str.splitlines' set): none may split a table row
LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
#: the folded table of numbers not measured keeps only these of the model's columns (its other cells are empty)
NOT_MEASURED_FIELDS = ("id", "model", "task", "dataset", "metric", "published", "status")


def inline(value: Any) -> str:
    """Free text from results (reasons, notes, paper names, test ids, the command line) on one line with
    HTML escaped: ``report.md`` is rendered as HTML by GitHub and editors, so ``<script>`` in a reason
    must stay text, as in ``index.html``."""
    return escape_html(LINE_BREAKS.sub(" ", str(value)))


def cell(value: Any) -> str:
    """A markdown table cell: pipes escaped, newlines flattened, HTML escaped."""
    text = MISSING if value is None or value == "" else str(value)
    return inline(text.replace("\\", "\\\\").replace("|", "\\|"))


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in rows)
    return lines


def status_text(status: str) -> str:
    return f"{STATUS_EMOJI.get(status, '')} {status_label(status)}".strip()


def result_cells(result: PaperValueResult) -> dict[str, str]:
    """The text of each field a paper's table can show (see :data:`evaluators.report.sections.MEASURED_COLUMNS`)."""
    dataset = f"{result.dataset} / {result.split}" if result.split else result.dataset
    return {"id": f"`{result.id}`", "model": result.model, "task": result.task, "dataset": dataset,
            "metric": result.metric, "published": fmt_number(result.published), "value": fmt_number(result.value),
            "delta": fmt_delta(result.delta), "tolerance": fmt_tolerance(result.tolerance),
            "interval": fmt_interval(result.interval), "protocol": result.protocol or MISSING,
            "status": status_text(result.status), "verdict": result.verdict or MISSING,
            "closest_protocol": result.closest_protocol or MISSING}


def result_table(columns: Sequence[Column], results: Iterable[PaperValueResult]) -> list[str]:
    """A paper's table with the model's ``columns``."""
    rows = [[cells[column.field] for column in columns] for cells in map(result_cells, results)]
    return table([column.header for column in columns], rows)


def render_markdown(report: Report | ReportSections) -> str:
    """The whole report as GitHub-flavoured markdown (sections computed by :func:`build_sections`)."""
    sections = report if isinstance(report, ReportSections) else build_sections(report)
    lines: list[str] = []
    for section in (_header, _your_run, _changes, _not_reproduced, _papers, _sweep, _skips, _determinism,
                    _citations, _notes):
        lines += section(sections)
    return "\n".join(lines).rstrip() + "\n"


def _header(sections: ReportSections) -> list[str]:
    """Title, run facts, headline, counts per status and per paper."""
    lines = ["# audiorepro reproduction report", ""]
    run, summary = sections.run, sections.summary
    counts = summary.counts
    lines.append(f"Generated {run.generated_at}" + (f" at commit `{run.commit[:12]}`" if run.commit else "")
                 + (f", pytest exit status {run.pytest_exit_status}" if run.pytest_exit_status is not None
                    else "") + ".")
    if run.pytest_args:
        lines[-1] += f" Command: pytest {inline(' '.join(map(str, run.pytest_args)))}."
    lines.append("")
    lines.append(f"**{counts['reproduces']} of {summary.measured} measured published numbers reproduce** "
                 f"({counts['total']} checked; {counts['changed']} contradict their golden expectation).")
    lines.append("")
    if summary.warning:
        lines += [f"> **Warning:** {summary.warning}", ""]
    lines += table(["status", "numbers"], [[status_text(s), counts[s]] for s in STATUSES]
                   + [["total", counts["total"]], ["changed vs golden expectation", counts["changed"]]])
    lines.append("")
    if summary.per_paper:
        lines += ["<details>", f"<summary>Counts per paper ({len(summary.per_paper)} papers)</summary>", ""]
        lines += table(["paper", *(status_label(s) for s in STATUSES), "total"],
                       [[paper, *(paper_counts[s] for s in STATUSES), paper_counts["total"]]
                        for paper, paper_counts in summary.per_paper])
        lines += ["", "</details>", ""]
    return lines


def _changes(sections: ReportSections) -> list[str]:
    """Numbers whose status contradicts their golden expectation."""
    lines = ["## Status changed against the golden expectation", ""]
    if sections.changes:
        lines += table(["id", "expected", "now", "published", "reproduced", "Δ", "reason"],
                       [[f"`{r.id}`", status_label(r.expected_status), status_text(r.status), fmt_number(r.published),
                         fmt_number(r.value), fmt_delta(r.delta), r.reason] for r in sections.changes])
    else:
        lines.append("None: every measured number has the status its golden entry expects.")
    lines.append("")
    return lines


def _not_reproduced(sections: ReportSections) -> list[str]:
    """Measured numbers that differ or errored, worst first, with the reason."""
    lines = ["## Does not reproduce", ""]
    if sections.failures:
        for failure in sections.failures:
            r = failure.result
            interval = f", 95 % interval {fmt_interval(r.interval)}" if r.interval else ""
            protocol = f" under `{r.protocol}`" if r.protocol else ""
            noise = f" {failure.noise.capitalize()}." if failure.noise else ""
            lines.append(f"- `{r.id}` ({status_label(r.status)}): published {fmt_number(r.published)} {r.unit}, "
                         f"reproduced {fmt_number(r.value)}{protocol} (Δ {fmt_delta(r.delta)}, tolerance "
                         f"{fmt_tolerance(r.tolerance)}{interval}).{noise} {cell(r.reason) if r.reason else ''}"
                         .rstrip())
    else:
        lines.append("Every measured number reproduces.")
    lines.append("")
    return lines


def _papers(sections: ReportSections) -> list[str]:
    """One table per paper: measured numbers, then the not-measured ones folded."""
    lines = ["## Results per paper", ""]
    for paper in sections.papers:
        summary = ", ".join(f"{n} {status_label(s)}" for s, n in paper.status_counts)
        lines += [f"### {inline(paper.paper)}", "", f"{len(paper.results)} numbers: {summary}.", ""]
        if paper.measured:
            lines += result_table(paper.measured_columns, paper.measured)
            lines.append("")
        if paper.not_measured:
            lines += ["<details>", f"<summary>{len(paper.not_measured)} numbers not measured (no predictions or "
                      "unavailable)</summary>", ""]
            lines += result_table([c for c in paper.not_measured_columns if c.field in NOT_MEASURED_FIELDS],
                                  paper.not_measured)
            lines += ["", "</details>", ""]
    return lines


def _your_run(sections: ReportSections) -> list[str]:
    """Your own run (``--run``): your values beside the published ones and the public reproductions."""
    if sections.your_run is None:
        return []
    return ["## Your run", "", sections.your_run.summary, "", *table(sections.your_run.headers, sections.your_run.rows),
            ""]


def _sweep(sections: ReportSections) -> list[str]:
    """Every applicable protocol on each prediction set."""
    lines: list[str] = []
    if sections.sweeps:
        lines += ["## Protocol sweep per prediction set", "",
                  "The same predictions scored under every applicable protocol: how far the protocol alone moves "
                  "the number.", ""]
        for sweep in sections.sweeps:
            lines += [f"### {cell(sweep.title)}", "",
                      "checked against: " + ", ".join(f"`{r.id}`" for r in sweep.results), ""]
            lines += table(["protocol", "value", "n", "skipped", "signature"], [sweep_cells(row) for row in sweep.rows])
            lines.append("")
    return lines


def sweep_cells(row: SweepRow) -> list[str]:
    """protocol (bold for a golden entry's own), value (or why unavailable), n, skipped, signature."""
    if row.primary:
        return [f"**{row.protocol}**", fmt_number(row.value), fmt_number(row.n, 0) if row.n is not None else MISSING,
                fmt_skipped(row.skipped), f"`{row.signature}`" if row.signature else MISSING]
    value = fmt_number(row.value) if row.available else f"unavailable: {row.reason or ''}".strip()
    signature = f"`{row.signature}`" if row.signature else MISSING
    return [row.protocol, value, str(row.n), fmt_skipped(row.skipped), signature]


def _skips(sections: ReportSections) -> list[str]:
    """Numbers not measured, grouped by reason."""
    lines: list[str] = []
    if sections.skips:
        lines += ["## Not measured, by reason", ""]
        for reason, ids in sections.skips.items():
            lines += ["<details>", f"<summary>{len(ids)} × {escape_html(reason)}</summary>", ""]
            lines += [f"- `{inline(identifier)}`" for identifier in ids]
            lines += ["", "</details>", ""]
    return lines


def _determinism(sections: ReportSections) -> list[str]:
    """Determinism: snapshot agreement per device model, then the other records whatever keys they carry."""
    lines: list[str] = []
    section = sections.determinism
    if section:
        lines += ["## Determinism", ""]
        if section.origin:
            lines += [section.origin, ""]
        if section.agreement:
            lines += ["### Snapshots across device models", "",
                      "Per model and platform class: the device model each snapshot was taken on (reference) and "
                      "the outcome on every device model it was checked on (recorded checks and this run).", ""]
            lines += table(section.agreement.columns, section.agreement.rows)
            lines.append("")
        if section.others:
            lines += table(section.others.columns, section.others.rows)
            lines.append("")
    return lines


def _citations(sections: ReportSections) -> list[str]:
    """The same number as published by several papers, side by side."""
    lines: list[str] = []
    groups = sections.citations
    if groups:
        lines += ["## The same number as reported by different papers", "",
                  f"{len(groups)} numbers (model, dataset, split, metric) published by more than one paper.", "",
                  "<details>", f"<summary>{len(groups)} numbers side by side</summary>", ""]
        rows = []
        for group in groups:
            key = f"**{group.model}** {group.dataset} / {group.split} — {group.metric}"
            for index, row in enumerate(group.rows):
                rows.append([key if index == 0 else "″", row["paper"], row["value"], row["unit"], row["group_value"],
                             row["test_data"], row["code"], row["status"], f"`{row['id']}`", row["source"]])
        lines += table(["number", *CITATION_HEADERS], rows)
        lines += ["", "</details>", ""]
    return lines


def _notes(sections: ReportSections) -> list[str]:
    """Problems met while collecting the results."""
    lines: list[str] = []
    if sections.notes:
        lines += ["## Notes", ""] + [f"- {inline(note)}" for note in sections.notes] + [""]
    return lines


def escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
